"""Request bodies within limits: size refused at the header or while streaming (413), nesting refused
before parsing (400), JSON parsed as the CLI parses a case file (400 with the CLI's words)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any, Optional

from ..errors import CaseError, KzComplianceError, problem
from ..i18n.errors import headed_text


class ApiError(Exception):
    """An answer other than 200: the status and the problem, an English sentence of the catalogues' error
    templates, put in the request's language when answered (`body`). `field` names what is at fault in the
    answer; `where` (by default the field) heads the sentence, e.g. "body" for a body that names no field."""

    def __init__(self, status: int, problem: str, field: Optional[str] = None, where: Optional[str] = None) -> None:
        super().__init__(problem)
        self.status = status
        self.problem = problem
        self.field = field
        self.where = field if where is None else where

    @classmethod
    def invalid(cls, err: KzComplianceError) -> "ApiError":
        """A case, roster or option the library rejected: 422 naming the field, in the library's words."""
        if isinstance(err, CaseError):
            return cls(422, err.problem, err.field)
        return cls(422, str(err))

    def body(self, lang: str) -> dict[str, Any]:
        """The answer's JSON: {"error": "where: problem"} in `lang`, and the field when there is one."""
        out: dict[str, Any] = {"error": headed_text(self.where or "", self.problem, lang)}
        if self.field is not None:
            out["field"] = self.field
        return out


BODY = "body"  # what heads the sentence of a refused body (which names no field)
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
        raise ApiError(400, problem("too_deep", limit=max_depth), where=BODY)
    try:
        return json.loads(text.decode("utf-8"))
    except UnicodeDecodeError:
        raise ApiError(400, problem("not_utf8"), where=BODY) from None
    except json.JSONDecodeError as e:
        raise ApiError(400, problem("invalid_json", line=e.lineno, column=e.colno, msg=e.msg), where=BODY) from None


def declared_size(headers: Any, limit: int) -> None:
    """413 at once when Content-Length already says the body is over the limit."""
    length = headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise ApiError(413, problem("body_too_large", n=int(length), limit=limit), where=BODY)


async def read_limited(stream: AsyncIterator[bytes], limit: int) -> bytes:
    """The whole body, refused with 413 as soon as it passes `limit` bytes (whatever Content-Length said)."""
    parts: list[bytes] = []
    size = 0
    async for part in stream:
        size += len(part)
        if size > limit:
            raise ApiError(413, problem("body_over_limit", limit=limit), where=BODY)
        parts.append(part)
    return b"".join(parts)
