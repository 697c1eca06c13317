"""A one-line progress bar for long batch runs, redrawn in place on a terminal."""

from __future__ import annotations

import time
from typing import Optional, TextIO

from .i18n import number, t, tn

WIDTH = 30


class ProgressBar:
    """Called with (input bytes done, cases done); shows a bar when the input size is known.

    Redraws at most every `interval` seconds, so a run of millions of cases does not spend its time
    on the terminal.
    """

    def __init__(self, stream: TextIO, total_bytes: Optional[int], interval: float = 0.2, lang: str = "en") -> None:
        self._stream = stream
        self._lang = lang
        self._total = total_bytes or None
        self._interval = interval
        self._start = time.monotonic()
        self._last = 0.0
        self._drawn = False

    def __call__(self, done_bytes: int, cases: int) -> None:
        now = time.monotonic()
        if now - self._last < self._interval:
            return
        self._last = now
        rate = cases / max(now - self._start, 1e-9)
        lang = self._lang
        text = tn(lang, "{n} case", "{n} cases", cases) + "  " + t(lang, "{rate}/s", rate=number(round(rate), lang))
        if self._total:
            share = min(done_bytes / self._total, 1.0)
            filled = int(share * WIDTH)
            text = f"[{'#' * filled}{'.' * (WIDTH - filled)}] {share:4.0%}  {text}"
        self._stream.write("\r" + text + "\033[K")
        self._stream.flush()
        self._drawn = True

    def close(self) -> None:
        """End the bar's line, if one was drawn."""
        if self._drawn:
            self._stream.write("\n")
            self._stream.flush()
