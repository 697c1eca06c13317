"""The /v1 endpoints: each reads its body within the limits, calls the library's API in a worker thread,
and answers with the JSON the matching CLI command prints (`--format json`)."""

from __future__ import annotations

import importlib
import json
from datetime import date
from typing import Any, Callable, Literal, Optional

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from .. import __version__
from ..batch import Options
from ..cli import rules_json, schemas
from ..dates import parse_iso
from ..engines import default_engine_name
from ..errors import KzComplianceError
from ..hire import check_hire
from ..pipeline import check
from ..roster import check_roster
from .auth import require_token
from .body import ApiError, declared_size, parse, read_limited
from .openapi import answer_schema, body_schema
from .settings import ServerSettings
from .stream import NdjsonResponse, ndjson_reports

Lang = Literal["en", "ru", "kk"]
Engine = Optional[Literal["durable", "python"]]
LANG = Query("en", description="the language of messages")
ENGINE = Query(None, description="rule engine (default: durable where it imports, else python)")
AS_OF = Query(None, description="check date, YYYY-MM-DD (default: the case's as_of, else today)")

router = APIRouter(prefix="/v1", dependencies=[Depends(require_token)])
public = APIRouter()


def _settings(request: Request) -> ServerSettings:
    settings: ServerSettings = request.app.state.settings
    return settings


def _day(name: str, text: Optional[str]) -> Optional[date]:
    """A date option, refused in the words the library uses for a bad date field."""
    if text is None:
        return None
    try:
        return parse_iso(text)
    except ValueError as e:
        raise ApiError(422, f"{name}: {e}", name) from None


async def _json_body(request: Request) -> Any:
    settings = _settings(request)
    declared_size(request.headers, settings.max_body_bytes)
    return parse(await read_limited(request.stream(), settings.max_body_bytes), settings.max_depth)


async def _answer(work: Callable[[], Any]) -> Response:
    """Run the library call off the event loop; its model's `to_json()` is the body, exactly as the CLI prints it."""
    try:
        result = await run_in_threadpool(work)
    except KzComplianceError as e:
        raise ApiError.invalid(e) from None
    return Response(result.to_json() + "\n", media_type="application/json")


def _json(value: Any) -> Response:
    return Response(json.dumps(value, ensure_ascii=False, indent=2) + "\n", media_type="application/json")


@router.post("/check", openapi_extra=body_schema("Case"), responses=answer_schema("Report"),
             summary="Check one case: the report of `kzcompliance check --format json`")
async def check_case(request: Request, lang: Lang = LANG, as_of: Optional[str] = AS_OF,
                     trace: bool = Query(False, description="add the trace (as `explain`)"),
                     engine: Engine = ENGINE) -> Response:
    case = await _json_body(request)
    day = _day("as_of", as_of)
    return await _answer(lambda: check(case, as_of=day, lang=lang, engine=engine, trace=trace))


@router.post("/explain", openapi_extra=body_schema("Case"), responses=answer_schema("Report"),
             summary="The report with its trace: `kzcompliance explain --format json`")
async def explain_case(request: Request, lang: Lang = LANG, as_of: Optional[str] = AS_OF,
                       engine: Engine = ENGINE) -> Response:
    case = await _json_body(request)
    day = _day("as_of", as_of)
    return await _answer(lambda: check(case, as_of=day, lang=lang, engine=engine, trace=True))


@router.post("/hire", openapi_extra=body_schema("Case"),
             summary="Pre-check a planned hire: `kzcompliance hire --format json`")
async def hire(request: Request, start: str = Query(..., description="the planned first day of work"),
               employer: str = Query(..., description="the employer's id among the case's employers[]"),
               end: Optional[str] = Query(None, description="the planned last day (default: open-ended)"),
               category: Optional[Literal["1", "2", "3", "4", "seasonal", "ict"]] = Query(
                   None, description="the position's IRS category (required for a legal entity)"),
               region: Optional[str] = Query(None, description="the region of work"),
               lang: Lang = LANG, engine: Engine = ENGINE) -> Response:
    case = await _json_body(request)
    first, last = _day("start", start), _day("end", end)
    assert first is not None
    return await _answer(lambda: check_hire(case, start=first, end=last, employer=employer, category=category,
                                            region=region, lang=lang, engine=engine))


@router.post("/roster", summary="Check an employer's roster: `kzcompliance roster --format json`")
async def roster(request: Request, as_of: Optional[str] = AS_OF, lang: Lang = LANG,
                 engine: Engine = ENGINE) -> Response:
    body = await _json_body(request)
    day = _day("as_of", as_of)
    if not isinstance(body, dict):
        raise ApiError(422, "roster: expected a JSON object with employer and employees", "roster")
    return await _answer(lambda: check_roster(body, as_of=day, lang=lang, engine=engine))


def _trip(text: str) -> dict[str, Optional[date]]:
    entry, _, exit_ = text.partition(":")
    return {"entry": _day("trip", entry), "exit": _day("trip", exit_) if exit_ else None}


@router.post("/plan", openapi_extra=body_schema("Case"),
             summary="Plan a stay: `kzcompliance plan --format json` (501 until the planning package is installed)")
async def plan(request: Request, enter: Optional[str] = Query(None, description="a planned entry date"),
               days: Optional[int] = Query(None, ge=1, description="lawful days wanted in a row"),
               trip: list[str] = Query([], description="a planned trip ENTRY[:EXIT] (repeatable)"),
               as_of: Optional[str] = AS_OF, lang: Lang = LANG) -> Response:
    try:
        planner = importlib.import_module("kzcompliance.planning").plan
    except (ImportError, AttributeError):
        raise ApiError(501, "plan: this installation has no planning (kzcompliance.planning)") from None
    case = await _json_body(request)
    day, entry, trips = _day("as_of", as_of), _day("enter", enter), [_trip(t) for t in trip]
    return await _answer(lambda: planner(case, enter=entry, days=days, trips=trips or None, as_of=day, lang=lang))


@router.post("/batch", responses={200: {"description": "JSON Lines", "content": {"application/x-ndjson": {}}}},
             openapi_extra={"requestBody": {"required": True, "content": {"application/x-ndjson": {
                 "schema": {"type": "string", "description": "JSON Lines, one case per line"}}}}},
             summary="JSON Lines of cases in, JSON Lines of reports (or {line, error}) out, streamed in order")
async def batch(request: Request, as_of: Optional[str] = AS_OF, lang: Lang = LANG,
                engine: Engine = ENGINE) -> Response:
    settings = _settings(request)
    try:
        options = Options(_day("as_of", as_of), lang, engine).resolved()
    except KzComplianceError as e:
        raise ApiError.invalid(e) from None
    return NdjsonResponse(ndjson_reports(request.stream(), options, settings.max_body_bytes, settings.max_depth))


@router.get("/rules", summary="The rules in force: `kzcompliance rules --format json`")
async def rules(as_of: Optional[str] = AS_OF) -> Response:
    return _json(await run_in_threadpool(rules_json, _day("as_of", as_of) or date.today()))


@router.get("/schema/{which}", summary="The case or report JSON Schema: `kzcompliance schema case|report`")
async def schema(which: Literal["case", "report"]) -> Response:
    return _json(schemas()[which])


@public.get("/healthz", summary="Liveness: the version and the default rule engine")
async def healthz() -> dict[str, str]:
    return {"status": "ok", "version": __version__, "engine": default_engine_name()}

