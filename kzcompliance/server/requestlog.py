"""One structured JSON log line per request, with its request id (given in X-Request-ID or made here,
and returned in the answer's X-Request-ID); an exception escaping a route is answered 500 without a
traceback (its one line in the request's language) and logged by its type, so one bad request never harms
the next."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..i18n.errors import problem_text
from .options import request_lang

log = logging.getLogger("kzcompliance.server")
_GIVEN_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def configure_log() -> None:
    """Log lines as bare JSON to stderr, once per process."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        rid = given if _GIVEN_ID.fullmatch(given) else uuid.uuid4().hex
        started = time.perf_counter()
        status = 0
        sent = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", rid.encode())]}
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        error = None
        try:
            await self.app(scope, receive, send_with_id)
        except Exception as e:  # noqa: BLE001 - answered and logged here, never shown as a traceback
            error = f"{type(e).__name__}: {e}"[:500]
            if status == 0:
                text = problem_text("internal error", request_lang(Request(scope)))
                body = json.dumps({"error": text, "request_id": rid}, ensure_ascii=False).encode()
                await send_with_id({"type": "http.response.start", "status": 500,
                                    "headers": [(b"content-type", b"application/json"),
                                                (b"content-length", str(len(body)).encode())]})
                await send_with_id({"type": "http.response.body", "body": body})
        line: dict[str, Any] = {
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "request_id": rid,
            "method": scope["method"], "path": scope["path"], "status": status,
            "ms": round((time.perf_counter() - started) * 1000, 3), "bytes_out": sent,
            "client": scope["client"][0] if scope.get("client") else None}
        if error:
            line["error"] = error
        log.info(json.dumps(line, ensure_ascii=False))
