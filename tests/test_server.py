"""The HTTP service over a real uvicorn on 127.0.0.1: every endpoint, the same JSON as the CLI, bad
requests refused in the CLI's words, the token, the request log, and the streamed batch."""

from __future__ import annotations

import io
import json
import logging
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the server extra is not installed: pip install '.[server]'")
httpx = pytest.importorskip("httpx", reason="httpx (test extra) is not installed")

from kzcompliance import CaseError, check  # noqa: E402
from kzcompliance.batch import run_batch  # noqa: E402
from kzcompliance.cli import main  # noqa: E402
from kzcompliance.i18n.catalog import read_catalog  # noqa: E402
from kzcompliance.i18n.errors import ERROR, headed_text, match, problem_text  # noqa: E402
from kzcompliance.scenarios import load_scenarios  # noqa: E402
from kzcompliance.server import ServerSettings, create_app  # noqa: E402
from kzcompliance.server.page_texts import PAGE_TEXTS  # noqa: E402
from .serving import running  # noqa: E402

ROOT = Path(__file__).parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
SCENARIOS = sorted((ROOT / "tests" / "scenarios").glob("*.case.yaml"))
LIMIT = 64 * 1024
HIRES = [("chinese-engineer.json",
          {"start": "2026-05-04", "end": "2026-12-31", "employer": "almaty-tech", "category": "3"}),
         ("eaeu-welder.json",
          {"start": "2026-04-01", "end": "2026-09-30", "employer": "karaganda-steel", "category": "4"}),
         ("household-nanny.json", {"start": "2026-04-06", "end": "2026-09-30", "employer": "family-abenov"})]


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with running(ServerSettings(max_body_bytes=LIMIT)) as url:
        yield url


@pytest.fixture()
def client(base: str) -> Iterator[Any]:
    with httpx.Client(base_url=base, timeout=30) as c:
        yield c


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """What `kzcompliance ARGV` prints on stdout."""
    capsys.readouterr()
    main(list(argv))
    return capsys.readouterr().out


def body(path: Path) -> bytes:
    return path.read_bytes()


# -- the same documents as the CLI ---------------------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_check_is_the_cli_json_byte_for_byte(client: Any, capsys: pytest.CaptureFixture[str], path: Path,
                                             lang: str) -> None:
    r = client.post("/v1/check", params={"lang": lang}, content=body(path))
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.text == cli(capsys, "check", str(path), "--format", "json", "--lang", lang)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_explain_and_trace_are_the_cli_explain_json(client: Any, capsys: pytest.CaptureFixture[str],
                                                    path: Path) -> None:
    expected = cli(capsys, "explain", str(path), "--format", "json", "--as-of", "2026-04-01")
    assert client.post("/v1/explain", params={"as_of": "2026-04-01"}, content=body(path)).text == expected
    traced = client.post("/v1/check", params={"as_of": "2026-04-01", "trace": "true"}, content=body(path))
    assert traced.text == expected
    assert "trace" in json.loads(expected)


def _scenarios() -> list[Any]:
    out = []
    for path in SCENARIOS:
        for s in load_scenarios(path):
            if not s.rules and not s.settings:  # rule files and settings are no options of the service
                out.append(pytest.param(s, id=f"{path.name}::{s.name}"))
    return out


@pytest.mark.parametrize("scenario", _scenarios())
def test_check_equals_the_cli_on_every_scenario(client: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                scenario: Any) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(scenario.case, default=str), encoding="utf-8")
    argv, params = ["check", str(path), "--format", "json", "--lang", scenario.lang], {"lang": scenario.lang}
    if scenario.as_of:
        argv += ["--as-of", scenario.as_of.isoformat()]
        params["as_of"] = scenario.as_of.isoformat()
    r = client.post("/v1/check", params=params, content=path.read_bytes())
    assert r.status_code == 200
    assert r.text == cli(capsys, *argv)


@pytest.mark.parametrize("name,options", HIRES, ids=[h[0] for h in HIRES])
def test_hire_is_the_cli_json(client: Any, capsys: pytest.CaptureFixture[str], name: str,
                              options: dict[str, str]) -> None:
    path = ROOT / "examples" / "hire" / name
    argv = ["hire", str(path), "--format", "json"] + [a for k, v in options.items() for a in (f"--{k}", v)]
    r = client.post("/v1/hire", params=options, content=body(path))
    assert r.status_code == 200
    assert r.text == cli(capsys, *argv)


def test_roster_is_the_cli_json(client: Any, capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "examples" / "roster" / "construction-roster.json"
    r = client.post("/v1/roster", params={"lang": "ru"}, content=body(path))
    assert r.status_code == 200
    assert r.text == cli(capsys, "roster", str(path), "--format", "json", "--lang", "ru")


def test_rules_and_schemas_are_the_cli_json(client: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert client.get("/v1/rules", params={"as_of": "2022-06-01"}).text == cli(
        capsys, "rules", "--as-of", "2022-06-01", "--format", "json")
    for which in ("case", "report"):
        assert client.get(f"/v1/schema/{which}").text == cli(capsys, "schema", which)
    assert client.get("/v1/schema/other").status_code == 422


def test_health_openapi_and_offline_docs(client: Any) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["engine"] in ("durable", "python")
    doc = client.get("/openapi.json").json()
    assert {"/v1/check", "/v1/explain", "/v1/plan", "/v1/hire", "/v1/roster", "/v1/batch", "/v1/rules",
            "/v1/schema/{which}"} <= set(doc["paths"])
    assert {"Case", "Report", "Trip"} <= set(doc["components"]["schemas"])
    check_body = doc["paths"]["/v1/check"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert check_body == {"$ref": "#/components/schemas/Case"}
    params = {p["name"]: p for p in doc["paths"]["/v1/check"]["post"]["parameters"]}
    assert set(params) == {"lang", "as_of", "trace", "engine"}
    assert params["lang"]["schema"]["enum"] == ["en", "ru", "kk"]
    assert [p["name"] for p in doc["paths"]["/v1/hire"]["post"]["parameters"] if p["required"]] == ["start", "employer"]
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
        assert "cdn" not in html
        assert assets and all(a.startswith("/") for a in assets), assets  # nothing from the internet
        for asset in assets:
            assert client.get(asset).status_code == 200, asset


def test_the_page_and_its_catalogue_are_served(client: Any) -> None:
    page = client.get("/")
    assert page.status_code == 200 and 'id="verdict"' in page.text
    catalogue = client.get("/messages.json").json()
    assert set(catalogue) == {"en", "ru", "kk"}
    keys = set(re.findall(r"""\bt\("([\w.]+)"\)""", client.get("/static/app.js").text))
    keys |= set(re.findall(r'data-tp?="([\w.]+)"', page.text))
    assert keys and set(catalogue["ru"]) == set(catalogue["en"]) == set(catalogue["kk"]) == set(PAGE_TEXTS) >= keys
    assert catalogue["ru"]["check"] == "Проверить" and catalogue["kk"]["check"] == "Тексеру"
    assert client.get("/static/messages.json").status_code == 404  # one catalogue: the .po files
    assert "http" not in client.get("/static/app.js").text.replace("http://www.w3.org/2000/svg", "")


# -- bad requests ----------------------------------------------------------------------------------------

UZ = json.loads((ROOT / "examples" / "uzbek-overstay.json").read_text(encoding="utf-8"))


def refused(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    out: dict[str, Any] = r.json()
    assert "Traceback" not in r.text
    return out


def test_an_invalid_case_is_422_naming_the_field_as_the_library_does(client: Any) -> None:
    bad = dict(UZ, trips=[{"entry": "2026-02-01", "exit": "2026-01-01"}])
    with pytest.raises(CaseError) as raised:
        check(bad)
    answer = refused(client.post("/v1/check", json=bad), 422)
    assert answer == {"error": str(raised.value), "field": raised.value.field}
    assert refused(client.post("/v1/check", json={"person": {}}), 422)["field"] == "person.citizenship"
    assert refused(client.post("/v1/check", json=[1, 2]), 422)["error"]


@pytest.mark.parametrize("params,field", [({"as_of": "2026-02-30"}, "as_of"), ({"lang": "de"}, "lang"),
                                          ({"engine": "fast"}, "engine"), ({"trace": "maybe"}, "trace")])
def test_a_bad_option_is_422_naming_it(client: Any, params: dict[str, str], field: str) -> None:
    answer = refused(client.post("/v1/check", params=params, json=UZ), 422)
    assert answer["field"] == field and answer["error"].startswith(field + ": ")


def test_hire_without_its_employer_is_422_in_the_librarys_words(client: Any) -> None:
    answer = refused(client.post("/v1/hire", params={"start": "2026-05-04", "employer": "nobody"}, json=UZ), 422)
    assert answer["field"] == "employer" and "'nobody' is not among employers[].id" in answer["error"]
    assert refused(client.post("/v1/hire", json=UZ), 422)["field"] == "start"


def test_a_body_that_is_not_json_is_400(client: Any) -> None:
    assert refused(client.post("/v1/check", content=b'{"person": '), 400)["error"] == \
        "body: invalid JSON at line 1 column 12: Expecting value"
    assert refused(client.post("/v1/check", content=b'{"a": "\xff"}'), 400)["error"] == "body: not UTF-8 text"


def test_deep_nesting_is_refused_before_parsing(client: Any) -> None:
    deep = b"[" * 20_000 + b"]" * 20_000
    assert "nested deeper than" in refused(client.post("/v1/check", content=deep), 400)["error"]
    quoted = json.dumps(dict(UZ, person={"citizenship": "UZ", "name": "[" * 1000})).encode()
    assert client.post("/v1/check", content=quoted).status_code == 200  # brackets inside strings do not count


def test_a_body_over_the_limit_is_413_declared_or_streamed(client: Any) -> None:
    big = json.dumps(dict(UZ, person={"citizenship": "UZ", "name": "x" * LIMIT})).encode()
    assert "over the limit" in refused(client.post("/v1/check", content=big), 413)["error"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused while it streams
        for _ in range(LIMIT // 1024 + 2):
            yield b" " * 1024
    assert "over the limit" in refused(client.post("/v1/check", content=chunks()), 413)["error"]


def test_one_bad_request_never_harms_the_next(client: Any) -> None:
    good = client.post("/v1/check", json=UZ).text
    for bad in (b"[" * 5000, b"nope", b"\xff", json.dumps({"person": {"citizenship": "XX"}}).encode()):
        assert client.post("/v1/check", content=bad).status_code in (400, 422)
        assert client.post("/v1/check", json=UZ).text == good


def test_an_exception_in_a_route_is_a_500_without_traceback_and_the_server_goes_on() -> None:
    app = create_app(ServerSettings())

    def broken() -> None:
        raise RuntimeError("a bug, not the caller's fault")
    app.add_api_route("/broken", broken)
    with running(ServerSettings(), app) as url, httpx.Client(base_url=url) as c:
        r = c.get("/broken")
        assert r.status_code == 500 and r.json() == {"error": "internal error", "request_id": r.headers["x-request-id"]}
        assert c.get("/healthz").status_code == 200


def test_unknown_paths_and_methods_are_json(client: Any) -> None:
    assert refused(client.get("/v2/check"), 404) == {"error": "Not Found"}
    assert refused(client.get("/v1/check"), 405) == {"error": "Method Not Allowed"}


# -- the token, CORS, the request log -------------------------------------------------------------------

def test_the_bearer_token_guards_v1_and_cors_is_only_as_configured() -> None:
    settings = ServerSettings(token="s3cret-token", cors_origins=("https://hr.example",))
    with running(settings) as url, httpx.Client(base_url=url) as c:
        assert refused(c.post("/v1/check", json=UZ), 401)["field"] == "authorization"
        assert c.post("/v1/check", json=UZ).headers["www-authenticate"] == "Bearer"
        assert c.post("/v1/check", json=UZ, headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/v1/rules", headers={"Authorization": "Basic s3cret-token"}).status_code == 401
        ok = c.post("/v1/check", json=UZ, headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200 and ok.json()["regime"] == "cis"
        assert c.get("/healthz").status_code == 200 and c.get("/").status_code == 200
        pre = c.options("/v1/check", headers={"Origin": "https://hr.example", "Access-Control-Request-Method": "POST"})
        assert pre.headers["access-control-allow-origin"] == "https://hr.example"
        other = c.options("/v1/check", headers={"Origin": "https://evil.example",
                                                "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in other.headers


def test_without_cors_settings_no_cross_site_header(client: Any) -> None:
    r = client.post("/v1/check", json=UZ, headers={"Origin": "https://hr.example"})
    assert "access-control-allow-origin" not in r.headers


def test_one_json_log_line_per_request_with_its_request_id(client: Any) -> None:
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())
    keep = Keep()
    logging.getLogger("kzcompliance.server").addHandler(keep)
    try:
        given = client.post("/v1/check", json=UZ, headers={"X-Request-ID": "req-42"})
        made = client.post("/v1/check", content=b"nope", headers={"X-Request-ID": "bad id with spaces"})
        deadline = time.monotonic() + 10
        while len(lines) < 2 and time.monotonic() < deadline:  # a line is written once its answer is sent
            time.sleep(0.01)
    finally:
        logging.getLogger("kzcompliance.server").removeHandler(keep)
    assert given.headers["x-request-id"] == "req-42"
    assert made.headers["x-request-id"] != "bad id with spaces" and len(made.headers["x-request-id"]) == 32
    logged = [json.loads(line) for line in lines]
    assert [(e["request_id"], e["path"], e["status"]) for e in logged] == [
        ("req-42", "/v1/check", 200), (made.headers["x-request-id"], "/v1/check", 400)]
    assert all(e["ms"] >= 0 and e["method"] == "POST" for e in logged)


# -- the streamed batch ---------------------------------------------------------------------------------

def ndjson(*cases: Any) -> bytes:
    return b"".join((c if isinstance(c, bytes) else json.dumps(c).encode()) + b"\n" for c in cases)


def batch_cli(data: bytes, **options: Any) -> str:
    """What `kzcompliance batch` writes for the same lines (run_batch in this process)."""
    sink = io.StringIO()
    run_batch(io.BytesIO(data), sink, **options)
    return sink.getvalue()


MIXED = ndjson(UZ, b"not json", b"", {"person": {}}, dict(UZ, as_of="2026-02-10"), b"[1]", UZ)


def test_batch_is_the_batch_commands_output_line_for_line(client: Any) -> None:
    r = client.post("/v1/batch", params={"lang": "kk"}, content=MIXED,
                    headers={"Content-Type": "application/x-ndjson"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    assert r.text == batch_cli(MIXED, lang="kk")
    out = [json.loads(line) for line in r.text.splitlines()]
    assert [o.get("line") for o in out] == [None, 2, 3, 4, None, 6, None]


def test_batch_streams_a_long_body_in_pieces_in_input_order(client: Any) -> None:
    lines = MIXED * 120  # 840 lines: several runs of check_lines
    chunks = [lines[i:i + 777] for i in range(0, len(lines), 777)]  # pieces end mid-line
    r = client.post("/v1/batch", params={"as_of": "2026-03-01"}, content=iter(chunks))
    assert r.text == batch_cli(lines, as_of=date(2026, 3, 1))
    assert len(r.text.splitlines()) == 840


def test_batch_refuses_an_overlong_or_too_deep_line_and_goes_on(client: Any) -> None:
    long_line = json.dumps(dict(UZ, person={"citizenship": "UZ", "name": "x" * (2 * LIMIT)})).encode()
    data = ndjson(UZ, long_line, b"[" * 100 + b"]" * 100, UZ, b'{"person": {"citizenship": "UZ"}}')
    out = client.post("/v1/batch", content=data).text.splitlines()
    good = check(UZ).to_json(indent=None)  # as the batch command writes it
    assert out[0] == out[3] == good
    assert json.loads(out[1]) == {"line": 2, "error": f"line longer than {LIMIT} bytes"}
    assert json.loads(out[2]) == {"line": 3, "error": "JSON nested deeper than 32 levels"}
    assert json.loads(out[4])["as_of"] and len(out) == 5  # a last line without a newline is a line


def test_batch_answers_before_the_body_ends(base: str) -> None:
    """The first report arrives while the request is still open: the body is read as a stream."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as s:
        s.sendall(b"POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\n")
        line = ndjson(UZ)
        s.sendall(b"%x\r\n%s\r\n" % (len(line), line))
        got = b""
        while b'"as_of"' not in got:
            piece = s.recv(65536)
            assert piece, "the server closed before answering"
            got += piece
        assert got.startswith(b"HTTP/1.1 200")
        s.sendall(b"0\r\n\r\n")


def test_batch_bad_options_are_422_before_streaming(client: Any) -> None:
    assert refused(client.post("/v1/batch", params={"as_of": "soon"}, content=MIXED), 422)["field"] == "as_of"


# -- plan -------------------------------------------------------------------------------------------------

def test_plan_is_the_cli_plan_json(client: Any, capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "examples" / "plan" / "uzbek-return.json"
    options = {"enter": "2026-03-15", "days": "30", "as_of": "2026-03-06", "lang": "kk"}
    trips = ["2026-04-10:2026-05-09", "2026-06-01:2026-07-05"]
    r = client.post("/v1/plan", params=[*options.items(), *(("trip", t) for t in trips)], content=body(path))
    assert r.status_code == 200, r.text
    flags = (a for k, v in options.items() for a in (f"--{k.replace('_', '-')}", v))
    argv = ["plan", str(path), "--format", "json", *flags,
            *(a for t in trips for a in ("--trip", t))]
    assert r.text == cli(capsys, *argv)
    plan = r.json()
    assert {"now", "entry", "earliest", "itinerary", "timeline", "as_of", "regime"} <= set(plan)
    assert [t["entry"] for t in plan["itinerary"]] == ["2026-04-10", "2026-06-01"]


def test_a_bad_planned_trip_is_422_naming_it(client: Any) -> None:
    assert refused(client.post("/v1/plan", params={"trip": "someday"}, json=UZ), 422)["field"].startswith("trip")


# -- the command ------------------------------------------------------------------------------------------

def test_serve_runs_workers_and_stops_gracefully_on_sigterm() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "kzcompliance", "serve", "--port", "0", "--workers", "2"],
                            stderr=subprocess.PIPE, text=True)
    try:
        url = None
        deadline = time.monotonic() + 30
        while url is None and time.monotonic() < deadline:
            line = proc.stderr.readline() if proc.stderr else ""
            if "running on http://" in line.lower():
                url = line.split("running on ")[1].split()[0]
        assert url and url.startswith("http://127.0.0.1:") and not url.endswith(":0"), url
        for _ in range(100):
            try:
                r = httpx.post(url + "/v1/check", json=UZ, timeout=10)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert r.status_code == 200 and r.json()["regime"] == "cis"
        proc.terminate()
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()


def test_serve_rejects_a_bad_port(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["serve", "--port", "70000"])
    assert e.value.code == 2 and "is not a port number" in capsys.readouterr().err


def test_serve_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if the server extra were not installed
    monkeypatch.delitem(sys.modules, "kzcompliance.server.run", raising=False)
    assert main(["serve"]) == 2
    assert "pip install 'kzcompliance[server]'" in capsys.readouterr().err


# -- the language of the answer ----------------------------------------------------------------------------

def _requests_with_lang() -> dict[str, tuple[dict[str, str], bytes]]:
    """A request (options, body) for every /v1 endpoint that takes `lang`, each with text in the language: a
    rejected case (its error sentence) or, for the streamed batch, lines with reports and errors."""
    bad = json.dumps({"person": {"citizenship": "XX"}}).encode()
    return {"/v1/check": ({}, bad), "/v1/explain": ({}, bad),
            "/v1/hire": ({"start": "2026-05-04", "employer": "e"}, bad),
            "/v1/roster": ({}, json.dumps({"employer": "e", "employees": [{"person": {"citizenship": "XX"}}]})
                           .encode()),
            "/v1/plan": ({}, bad), "/v1/batch": ({}, MIXED)}


def test_every_endpoint_with_a_language_honours_accept_language(client: Any) -> None:
    requests = _requests_with_lang()
    with_lang = {path for path, ops in client.get("/openapi.json").json()["paths"].items()
                 for op in ops.values() if any(p["name"] == "lang" for p in op.get("parameters", []))}
    assert with_lang == set(requests)
    for path, (options, content) in requests.items():
        def answer(header: str | None, path: str = path, options: dict[str, str] = options, content: bytes = content,
                   **lang: str) -> str:
            headers = {"Accept-Language": header} if header is not None else {}
            r = client.post(path, params={**options, **lang}, content=content, headers=headers)
            assert r.status_code in (200, 422), (path, r.text)
            return str(r.text)

        kk, ru, en = answer(None, lang="kk"), answer(None, lang="ru"), answer(None)
        assert len({kk, ru, en}) == 3 and re.search("[әғқңөұүһі]", kk) and re.search("[а-яё]", ru), path
        assert answer("kk-KZ, ru;q=0.8") == kk and answer("ru;q=0.1, kk;q=0.9, en;q=0.5") == kk, path
        assert answer("de-DE, ru-RU;q=0.5") == ru and answer("RU") == ru, path
        assert answer("de, fr;q=0.9") == en and answer("*") == en and answer("kk;q=0") == en, path
        assert answer("kk", lang="en") == en, path  # the query decides when it is given


# -- refusals in the request's language ---------------------------------------------------------------------

def _oversized() -> bytes:
    return json.dumps(dict(UZ, person={"citizenship": "UZ", "name": "x" * LIMIT})).encode()


def _streamed_oversized() -> Iterator[bytes]:  # no Content-Length: refused while it streams
    for _ in range(LIMIT // 1024 + 2):
        yield b" " * 1024


HIRE_OPTS = {"start": "2026-05-04", "employer": "e"}
# Each kind of refusal the service writes: (method, path, options, body, status, field, head, English problem);
# head is what the sentence starts with (the field, else the part of the request); a body may be made per call.
# 401 and 500 come from the `guarded` server.
REFUSALS: list[tuple[str, str, dict[str, str], Any, int, str | None, str, str]] = [
    ("POST", "/v1/check", {"lang": "de"}, UZ, 422, "lang", "lang", "'de' is not one of en, ru, kk"),
    ("POST", "/v1/check", {"engine": "fast"}, UZ, 422, "engine", "engine", "'fast' is not one of durable, python"),
    ("POST", "/v1/hire", {"employer": "e"}, UZ, 422, "start", "start", "required"),
    ("POST", "/v1/hire", dict(HIRE_OPTS, category="9"), UZ, 422, "category", "category",
     "'9' is not one of 1, 2, 3, 4, seasonal, ict"),
    ("POST", "/v1/plan", {"days": "0"}, UZ, 422, "days", "days", "'0' is not a positive whole number"),
    ("POST", "/v1/check", {"trace": "maybe"}, UZ, 422, "trace", "trace", "'maybe' is not a boolean (true or false)"),
    ("POST", "/v1/check", {"as_of": "2026-02-30"}, UZ, 422, "as_of", "as_of",
     "'2026-02-30' is not a real calendar date"),
    ("POST", "/v1/batch", {"as_of": "soon"}, b"", 422, "as_of", "as_of", "expected an ISO date YYYY-MM-DD, got 'soon'"),
    ("POST", "/v1/roster", {}, [1], 422, "roster", "roster", "expected a JSON object with employer and employees"),
    ("POST", "/v1/hire", dict(HIRE_OPTS, employer="nobody"), UZ, 422, "employer", "employer",
     "'nobody' is not among employers[].id: add the employer (type, size, staff) to the case"),
    ("GET", "/v1/schema/other", {}, None, 422, "which", "which", "Input should be 'case' or 'report'"),
    ("POST", "/v1/check", {}, b'{"person": ', 400, None, "body", "invalid JSON at line 1 column 12: Expecting value"),
    ("POST", "/v1/check", {}, b'{"a": "\xff"}', 400, None, "body", "not UTF-8 text"),
    ("POST", "/v1/check", {}, b"[" * 40 + b"]" * 40, 400, None, "body", "JSON nested deeper than 32 levels"),
    ("POST", "/v1/check", {}, _oversized, 413, None, "body",
     f"{len(_oversized())} bytes is over the limit of {LIMIT}"),
    ("POST", "/v1/check", {}, _streamed_oversized, 413, None, "body", f"over the limit of {LIMIT} bytes"),
    ("GET", "/v2/check", {}, None, 404, None, "", "Not Found"),
    ("GET", "/v1/check", {}, None, 405, None, "", "Method Not Allowed"),
    ("POST", "/v1/check", {}, UZ, 401, "authorization", "authorization",
     "a valid bearer token is required (Authorization: Bearer TOKEN)"),
    ("GET", "/broken", {}, None, 500, None, "", "internal error"),
]


@pytest.fixture(scope="module")
def guarded() -> Iterator[str]:
    """A server with a token (every /v1 call is refused without it) and a route that fails (/broken)."""
    app = create_app(ServerSettings(token="s3cret-token"))

    def broken() -> None:
        raise RuntimeError("a bug, not the caller's fault")
    app.add_api_route("/broken", broken)
    with running(ServerSettings(), app) as url:
        yield url


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda r: f"{r[4]}-{r[5] or r[6] or r[7]}")
def test_every_refusal_is_in_the_requests_language_naming_the_same_field(
        client: Any, guarded: str, refusal: tuple[str, str, dict[str, str], Any, int, str | None, str, str]) -> None:
    method, path, options, content, status, field, head, problem = refusal
    base = guarded if status in (401, 500) else str(client.base_url)

    def answer(lang: str | None = None, accept: str | None = None) -> dict[str, Any]:
        data = content() if callable(content) else content
        kwargs = {"content": data} if isinstance(data, bytes) or not isinstance(data, (dict, list)) else {"json": data}
        headers = {"Accept-Language": accept} if accept else {}
        with httpx.Client(base_url=base, timeout=30) as c:
            r = c.request(method, path, params={**options, **({"lang": lang} if lang else {})}, headers=headers,
                          **(kwargs if data is not None else {}))
        out = refused(r, status)
        out.pop("request_id", None)  # the 500's
        return out

    english = f"{head}: {problem}" if head else problem
    en = answer()
    assert en == ({"error": english} if field is None else {"error": english, "field": field})
    found = match(problem)
    assert found is not None, f"no error template for {problem!r}"
    for lang in ("ru", "kk"):
        entry = read_catalog(lang).get(found[0], context=ERROR)
        assert entry is not None and all(entry.string if isinstance(entry.string, tuple) else (entry.string,)), lang
    assert headed_text(head, problem, "ru") != headed_text(head, problem, "kk")
    for lang in ("ru", "kk"):
        translated = headed_text(head, problem, lang)
        assert translated != english and re.search("[а-яёәғқңөұүһі]", translated), translated
        by_header = answer(accept=f"{lang}-KZ, en;q=0.5")
        assert by_header == dict(en, error=translated)
        if "lang" not in options:  # a valid `lang` decides, whatever the header says
            assert answer(lang=lang, accept="en") == by_header
        else:  # a bad `lang` is refused, naming it, in the header's language
            assert by_header["field"] == "lang"


def test_refusals_read_as_the_catalogue_says() -> None:
    """A few refusals as a Russian or Kazakh reader sees them (the catalogue's words, the plural form of a count)."""
    assert headed_text("lang", "'de' is not one of en, ru, kk", "ru") == "lang: 'de' не входит в en, ru, kk"
    assert headed_text("start", "required", "kk") == "start: міндетті параметр"
    assert headed_text("body", "70001 bytes is over the limit of 65536", "ru") == \
        "body: 70001 байт — больше допустимого предела (65536)"
    assert headed_text("body", "over the limit of 1024 bytes", "ru") == "body: больше допустимого предела в 1024 байта"
    assert headed_text("", "internal error", "kk") == "ішкі қате"


def test_batch_refuses_a_line_in_the_language_asked(client: Any) -> None:
    long_line = json.dumps(dict(UZ, person={"citizenship": "UZ", "name": "x" * (2 * LIMIT)})).encode()
    data = ndjson(long_line, b"[" * 100 + b"]" * 100)
    en = [json.loads(line)["error"] for line in client.post("/v1/batch", content=data).text.splitlines()]
    for lang in ("ru", "kk"):
        out = client.post("/v1/batch", params={"lang": lang}, content=data).text.splitlines()
        errors = [json.loads(line)["error"] for line in out]
        assert errors == [problem_text(e, lang) for e in en], errors
        assert all(a != b for a, b in zip(errors, en, strict=True)), errors
