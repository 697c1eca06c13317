"""Request bodies within limits: size refused at the header or while streaming (413), nesting refused
before parsing (400), JSON parsed as the CLI parses a case file (400 with the CLI's words)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any, Optional

from ..errors import CaseError, KzComplianceError
from ..i18n.errors import case_error_text, problem_text


class ApiError(Exception):
    """An answer other than 200: the status and the one-line message (the CLI's words), naming the field."""

    def __init__(self, status: int, message: str, field: Optional[str] = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field

    @classmethod
    def invalid(cls, err: KzComplianceError, lang: str = "en") -> "ApiError":
        """A case, roster or option the library rejected: 422 naming the field, the sentence in `lang`."""
        if isinstance(err, CaseError):
            return cls(422, case_error_text(err, lang), err.field)
        return cls(422, problem_text(str(err), lang))

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.message}
        if self.field is not None:
            out["field"] = self.field
        return out


_STRING = re.compile(rb'"(?:[^"\\]+|\\.)*"?', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def too_deep(text: bytes, limit: int) -> bool:
    """Whether JSON text nests arrays/objects deeper than `limit` (strings skipped): checked before parsing,
    so a hostile body costs a scan, not a recursion."""
    if text.count(b"[") + text.count(b"{") <= limit:
        return False
    depth = 0
    for m in _BRACKET.finditer(_STRING.sub(b"", text)):
        if m.group() in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def parse(text: bytes, max_depth: int) -> Any:
    """A JSON document from a request body, or ApiError 400 saying what is wrong and where."""
    if too_deep(text, max_depth):
        raise ApiError(400, f"body: JSON nested deeper than {max_depth} levels")
    try:
        return json.loads(text.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError(400, "body: not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise ApiError(400, f"body: invalid JSON at line {e.lineno} column {e.colno}: {e.msg}") from None


def declared_size(headers: Any, limit: int) -> None:
    """413 at once when Content-Length already says the body is over the limit."""
    length = headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise ApiError(413, f"body: {int(length)} bytes is over the limit of {limit}")


async def read_limited(stream: AsyncIterator[bytes], limit: int) -> bytes:
    """The whole body, refused with 413 as soon as it passes `limit` bytes (whatever Content-Length said)."""
    parts: list[bytes] = []
    size = 0
    async for part in stream:
        size += len(part)
        if size > limit:
            raise ApiError(413, f"body: over the limit of {limit} bytes")
        parts.append(part)
    return b"".join(parts)
