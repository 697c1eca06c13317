"""The /v1 endpoints: each reads its options and its body within the limits, calls the library's API, and
answers with the JSON the matching CLI command prints (`--format json`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Literal

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from .. import __version__
from ..batch import Options
from ..cli import rules_json, schemas
from ..engines import default_engine_name
from ..errors import KzComplianceError
from ..hire import check_hire
from ..pipeline import check
from ..planning import plan as plan_stays
from ..roster import check_roster
from .auth import require_token
from .body import ApiError, declared_size, parse, read_limited
from .openapi import answer_schema, body_schema
from .options import AS_OF, ENGINE, LANG, Opt, Opts
from .settings import ServerSettings
from .stream import NdjsonResponse, ndjson_reports

INLINE_BYTES = 8192  # a typical case is 0.3-2 KB and takes about 0.3 ms to check

router = APIRouter(prefix="/v1", dependencies=[Depends(require_token)])
public = APIRouter()


def _settings(request: Request) -> ServerSettings:
    settings: ServerSettings = request.app.state.settings
    return settings


@dataclass(frozen=True)
class Body:
    """A request's JSON document and its size in bytes (what the check of it is likely to cost)."""

    doc: Any
    size: int


async def _json_body(request: Request) -> Body:
    settings = _settings(request)
    declared_size(request.headers, settings.max_body_bytes)
    text = await read_limited(request.stream(), settings.max_body_bytes)
    return Body(parse(text, settings.max_depth), len(text))


async def _answer(work: Callable[[], Any], body: Body) -> Response:
    """The library call's model, `to_json()` exactly as the CLI prints it. A body under INLINE_BYTES is
    checked on the event loop (the hop to a thread costs about as much as such a check); a larger one in
    a thread, so the loop keeps answering other requests meanwhile."""
    try:
        result = work() if body.size < INLINE_BYTES else await run_in_threadpool(work)
    except KzComplianceError as e:
        raise ApiError.invalid(e) from None
    return Response(result.to_json() + "\n", media_type="application/json")


def _json(value: Any) -> Response:
    return Response(json.dumps(value, ensure_ascii=False, indent=2) + "\n", media_type="application/json")


CHECK = Opts(LANG, AS_OF, Opt("trace", "add the trace (as `explain`)", "boolean", default=False), ENGINE)
EXPLAIN = Opts(LANG, AS_OF, ENGINE)
HIRE = Opts(Opt("start", "the planned first day of work", "date", required=True),
            Opt("employer", "the employer's id among the case's employers[]", required=True),
            Opt("end", "the planned last day (default: open-ended)", "date"),
            Opt("category", "the position's IRS category (required for a legal entity)",
                choices=("1", "2", "3", "4", "seasonal", "ict")),
            Opt("region", "the region of work (checked against a permit's region)"), LANG, ENGINE)
ROSTER = Opts(AS_OF, LANG, ENGINE)
PLAN = Opts(Opt("enter", "a planned entry date", "date"), Opt("days", "lawful days wanted in a row", "integer"),
            Opt("trip", "a planned trip ENTRY[:EXIT] (repeatable)", repeat=True), AS_OF, LANG)
BATCH = Opts(AS_OF, LANG, ENGINE)
RULES = Opts(AS_OF)


@router.post("/check", openapi_extra=CHECK.openapi(body_schema("Case")), responses=answer_schema("Report"),
             summary="Check one case: the report of `kzcompliance check --format json`")
async def check_case(request: Request) -> Response:
    o = CHECK.read(request)
    case = await _json_body(request)
    return await _answer(lambda: check(case.doc, as_of=o["as_of"], lang=o["lang"], engine=o["engine"],
                                       trace=o["trace"]), case)


@router.post("/explain", openapi_extra=EXPLAIN.openapi(body_schema("Case")), responses=answer_schema("Report"),
             summary="The report with its trace: `kzcompliance explain --format json`")
async def explain_case(request: Request) -> Response:
    o = EXPLAIN.read(request)
    case = await _json_body(request)
    return await _answer(lambda: check(case.doc, as_of=o["as_of"], lang=o["lang"], engine=o["engine"],
                                       trace=True), case)


@router.post("/hire", openapi_extra=HIRE.openapi(body_schema("Case")),
             summary="Pre-check a planned hire: `kzcompliance hire --format json`")
async def hire(request: Request) -> Response:
    o = HIRE.read(request)
    case = await _json_body(request)
    return await _answer(lambda: check_hire(case.doc, start=o["start"], end=o["end"], employer=o["employer"],
                                            category=o["category"], region=o["region"], lang=o["lang"],
                                            engine=o["engine"]), case)


@router.post("/roster", openapi_extra=ROSTER.openapi(),
             summary="Check an employer's roster: `kzcompliance roster --format json`")
async def roster(request: Request) -> Response:
    o = ROSTER.read(request)
    body = await _json_body(request)
    roster = body.doc
    if not isinstance(roster, dict):
        raise ApiError(422, "expected a JSON object with employer and employees", "roster")
    return await _answer(lambda: check_roster(roster, as_of=o["as_of"], lang=o["lang"], engine=o["engine"]), body)


@router.post("/plan", openapi_extra=PLAN.openapi(body_schema("Case")),
             summary="Plan a stay: `kzcompliance plan --format json`")
async def plan(request: Request) -> Response:
    o = PLAN.read(request)
    case = await _json_body(request)
    return await _answer(lambda: plan_stays(case.doc, enter=o["enter"], days=o["days"], trips=o["trip"] or None,
                                            as_of=o["as_of"], lang=o["lang"]), case)


@router.post("/batch", responses={200: {"description": "JSON Lines", "content": {"application/x-ndjson": {}}}},
             openapi_extra=BATCH.openapi({"requestBody": {"required": True, "content": {"application/x-ndjson": {
                 "schema": {"type": "string", "description": "JSON Lines, one case per line"}}}}}),
             summary="JSON Lines of cases in, JSON Lines of reports (or {line, error}) out, streamed in order")
async def batch(request: Request) -> Response:
    settings = _settings(request)
    o = BATCH.read(request)
    try:
        options = Options(o["as_of"], o["lang"], o["engine"]).resolved()
    except KzComplianceError as e:
        raise ApiError.invalid(e) from None
    return NdjsonResponse(ndjson_reports(request.stream(), options, settings.max_body_bytes, settings.max_depth))


@router.get("/rules", openapi_extra=RULES.openapi(), summary="The rules in force: `kzcompliance rules --format json`")
async def rules(request: Request) -> Response:
    on = RULES.read(request)["as_of"] or date.today()
    return _json(await run_in_threadpool(rules_json, on))


@router.get("/schema/{which}", summary="The case or report JSON Schema: `kzcompliance schema case|report`")
async def schema(which: Literal["case", "report"]) -> Response:
    return _json(schemas()[which])


@public.get("/healthz", summary="Liveness: the version and the default rule engine")
async def healthz() -> dict[str, str]:
    return {"status": "ok", "version": __version__, "engine": default_engine_name()}

