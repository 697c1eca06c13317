"""`POST /v1/batch`: JSON Lines in, JSON Lines out, as `kzcompliance batch` writes them, while the body
is still arriving. Lines are checked by the batch's own `check_lines`, in runs of at most CHUNK_LINES;
memory holds one run and at most one line, so it stays flat however long the body."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from ..batch import CHUNK_LINES, Chunk, Options, Summary, check_lines
from ..errors import problem
from ..i18n.errors import problem_text
from .body import too_deep


def _refused(message: str, line: int, options: Options) -> str:
    """The output line for an input line refused before checking, in the batch's own error format and language."""
    return Chunk([problem_text(message, options.lang)], [0], Summary()).text(line)


async def ndjson_reports(body: AsyncIterator[bytes], options: Options, max_line: int,
                         max_depth: int) -> AsyncIterator[str]:
    """One output line per input line (blank lines included, counted from 1), in input order."""
    line = 1          # the number of the next input line
    run: list[bytes] = []
    buf = bytearray()
    skipping = False  # inside a line already refused as too long

    async def flush() -> str:
        nonlocal line, run
        if not run:
            return ""
        lines, run = run, []
        out = (await run_in_threadpool(check_lines, lines, options)).text(line)
        line += len(lines)
        return out

    def take(raw: bytes) -> str:
        """Queue a whole line; the text of a refusal when it is refused (the run before it is flushed first)."""
        if too_deep(raw, max_depth):
            return problem("too_deep", limit=max_depth)
        run.append(raw)
        return ""

    async def accept(raw: bytes) -> AsyncIterator[str]:
        nonlocal line
        refusal = take(raw)
        if refusal:
            if out := await flush():
                yield out
            yield _refused(refusal, line, options)
            line += 1
        elif len(run) >= CHUNK_LINES:
            yield await flush()

    async def too_long() -> AsyncIterator[str]:
        nonlocal line
        buf.clear()
        if out := await flush():
            yield out
        yield _refused(problem("line_too_long", limit=max_line), line, options)
        line += 1

    async for part in body:
        start = 0
        while (end := part.find(b"\n", start)) >= 0:
            if skipping:
                skipping = False
            elif len(buf) + end - start > max_line:  # the line without its newline
                async for out in too_long():
                    yield out
            else:
                buf += part[start:end + 1]
                async for out in accept(bytes(buf)):
                    yield out
            buf.clear()
            start = end + 1
        if not skipping:
            buf += part[start:]
            if len(buf) > max_line:
                skipping = True
                async for out in too_long():
                    yield out
        if out := await flush():
            yield out
    if buf and not skipping:
        async for out in accept(bytes(buf)):
            yield out
    if out := await flush():
        yield out


class NdjsonResponse(Response):
    """A streamed application/x-ndjson answer that leaves the request body to the generator reading it
    (Starlette's StreamingResponse would consume it while listening for a disconnect)."""

    media_type = "application/x-ndjson"

    def __init__(self, lines: AsyncIterator[str], headers: Any = None) -> None:
        super().__init__(None, 200, headers, self.media_type)
        self.lines = lines
        del self.headers["content-length"]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        try:
            async for text in self.lines:
                if text:
                    await send({"type": "http.response.body", "body": text.encode("utf-8"), "more_body": True})
        except OSError:  # the client went away
            return
        await send({"type": "http.response.body", "body": b"", "more_body": False})
