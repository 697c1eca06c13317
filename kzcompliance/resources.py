"""Where the bundled rules/ and seeds/ live: inside the installed wheel, or beside the package in a checkout."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The directory `name` ('rules' or 'seeds'): the wheel copy, else the checkout's top level."""
    for candidate in (_PKG / "_data" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kzcompliance data directory {name!r} not found next to {_PKG}")
