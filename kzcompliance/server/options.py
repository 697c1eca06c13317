"""Query options read straight from the query string (FastAPI's per-parameter validation costs more than
a typical check) and documented in the OpenAPI document from the same declaration; a bad one is a 422
naming it, in the request's language (`request_lang`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

from babel.core import negotiate_locale
from starlette.requests import Request

from ..dates import parse_iso
from ..i18n import LANGS
from .body import ApiError

_TRUE = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


@dataclass(frozen=True)
class Opt:
    """One query option: `kind` string, date, boolean or integer (>= 1); `choices` limit a string."""

    name: str
    description: str
    kind: str = "string"
    choices: tuple[str, ...] = ()
    default: Any = None
    required: bool = False
    repeat: bool = False
    fallback: Optional[Callable[[Request], Any]] = None  # the value when the query leaves it out (else default)

    def read(self, text: str) -> Any:
        if self.choices and text not in self.choices:
            raise ApiError(422, f"{text!r} is not one of {', '.join(self.choices)}", self.name)
        try:
            if self.kind == "date":
                return parse_iso(text)
            if self.kind == "boolean":
                return _TRUE[text.lower()]
            if self.kind == "integer":
                value = int(text)
                if value < 1:
                    raise ValueError
                return value
        except (ValueError, KeyError) as e:
            wanted = "positive whole number" if self.kind == "integer" else "boolean (true or false)"
            raise ApiError(422, str(e) if self.kind == "date" else f"{text!r} is not a {wanted}", self.name) from None
        return text

    def schema(self) -> dict[str, Any]:
        one: dict[str, Any] = {"type": "string", "format": "date"} if self.kind == "date" else {"type": self.kind}
        if self.choices:
            one["enum"] = list(self.choices)
        if self.default is not None:
            one["default"] = self.default
        return {"name": self.name, "in": "query", "required": self.required, "description": self.description,
                "schema": {"type": "array", "items": one} if self.repeat else one}


class Opts:
    """A route's options: `read(request)` gives their values by name, `openapi` documents them."""

    def __init__(self, *opts: Opt) -> None:
        self.opts = opts

    def read(self, request: Request) -> dict[str, Any]:
        query = request.query_params
        out: dict[str, Any] = {}
        for o in self.opts:
            if o.repeat:
                out[o.name] = [o.read(t) for t in query.getlist(o.name)]
                continue
            text: Optional[str] = query.get(o.name)
            if text is None or text == "":
                if o.required:
                    raise ApiError(422, "required", o.name)
                out[o.name] = o.fallback(request) if o.fallback else o.default
            else:
                out[o.name] = o.read(text)
        return out

    def openapi(self, body: Optional[dict[str, Any]] = None) -> dict[str, Any]:
        """`openapi_extra` for the route: its parameters and, if given, its request body."""
        return {"parameters": [o.schema() for o in self.opts], **(body or {})}


def accept_language(request: Request) -> str:
    """The language of LANGS the `Accept-Language` header prefers (by its q-values), else English."""
    ranked: list[tuple[float, int, str]] = []
    for i, item in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, params = item.strip().partition(";")
        q = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
        try:
            weight = float(q)
        except ValueError:
            continue
        if tag and weight > 0:
            ranked.append((-weight, i, tag.strip().lower()))
    best = negotiate_locale([tag for _w, _i, tag in sorted(ranked)], LANGS, sep="-", aliases={})
    return best or "en"


def request_lang(request: Request) -> str:
    """The language of a request's refusal: its `lang` option when that is one of LANGS, else what it would be
    without one (the best of Accept-Language, else English), so a bad `lang` is refused in that language."""
    lang = request.query_params.get("lang", "")
    return lang if lang in LANG.choices else accept_language(request)


LANG = Opt("lang", "the language of messages and errors (default: the best of Accept-Language, else en)",
           choices=LANGS, default="en", fallback=accept_language)
ENGINE = Opt("engine", "rule engine (default: durable where it imports, else python)", choices=("durable", "python"))
AS_OF = Opt("as_of", "check date, YYYY-MM-DD (default: the case's as_of, else today)", "date")
