"""The optional bearer token: with `ServerSettings.token` set, /v1/ answers 401 without it."""

from __future__ import annotations

import hmac

from fastapi import Request

from .body import ApiError


async def require_token(request: Request) -> None:
    token = request.app.state.settings.token
    if token is None:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(401, "a valid bearer token is required (Authorization: Bearer TOKEN)", "authorization")
