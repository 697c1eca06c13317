"""The service's settings: limits, the bearer token, CORS; read from environment variables so that
every uvicorn worker process builds the same app."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Mapping, Optional

from ..limits import MAX_DEPTH

TOKEN_ENV = "KZCOMPLIANCE_TOKEN"


@dataclass(frozen=True)
class ServerSettings:
    """`max_body_bytes`: the largest request body (and batch line) accepted, else 413;
    `max_depth`: the deepest JSON nesting accepted, else 400 before parsing; `token`: when set, every
    /v1/ call needs `Authorization: Bearer <token>`; `cors_origins`: origins allowed cross-site (none: CORS off)."""

    max_body_bytes: int = 1 << 20
    max_depth: int = MAX_DEPTH  # the library's own limit on a case's nesting, unless configured
    token: Optional[str] = None
    cors_origins: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "ServerSettings":
        """KZCOMPLIANCE_TOKEN, KZCOMPLIANCE_MAX_BODY_BYTES, KZCOMPLIANCE_MAX_DEPTH,
        KZCOMPLIANCE_CORS_ORIGINS (comma-separated)."""
        default = cls()
        origins = tuple(o.strip() for o in env.get("KZCOMPLIANCE_CORS_ORIGINS", "").split(",") if o.strip())
        return cls(max_body_bytes=_positive(env, "KZCOMPLIANCE_MAX_BODY_BYTES", default.max_body_bytes),
                   max_depth=_positive(env, "KZCOMPLIANCE_MAX_DEPTH", default.max_depth),
                   token=env.get(TOKEN_ENV) or None, cors_origins=origins)


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{name}: {text!r} is not a positive whole number")
    return value
