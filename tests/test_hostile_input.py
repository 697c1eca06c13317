"""Hostile input and faults (issue 10): every example found by fuzzing, as a regression test.

Each bad input is a CaseError naming the field from the API, exit 2 with one line from the CLI,
and an error line from batch that does not stop the run; never a traceback.
"""

from __future__ import annotations

import copy
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzcompliance import CaseError, check, check_hire, check_roster
from kzcompliance.batch import Options, bounded_lines, check_one, run_batch, worker_count
from kzcompliance.cli import main
from kzcompliance.limits import DATE_MAX, DATE_MIN, MAX_DEPTH, MAX_ITEMS, MAX_TEXT

ROOT = Path(__file__).resolve().parents[1]
UZBEK = json.loads((ROOT / "examples" / "uzbek-overstay.json").read_text(encoding="utf-8"))
EAEU = json.loads((ROOT / "examples" / "eaeu-worker.json").read_text(encoding="utf-8"))
NANNY = json.loads((ROOT / "examples" / "hire" / "household-nanny.json").read_text(encoding="utf-8"))


def _with(base: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `base` with the dotted path (list indexes as numbers) set to `value`."""
    out = copy.deepcopy(base)
    *head, last = path.split(".")
    node: Any = out
    for part in head:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[int(last) if isinstance(node, list) else last] = value
    return out


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(code: int, err: str, *words: str) -> None:
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("kzcompliance: invalid input: ")
    assert "Traceback" not in err
    for w in words:
        assert w in err


def _write(tmp_path: Path, name: str, data: Any) -> str:
    p = tmp_path / name
    if isinstance(data, bytes):
        p.write_bytes(data)
    else:
        p.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(p)


# -- dates at and beyond the calendar's edges ------------------------------------------------------

DATE_CASES = [
    ("trips.0.entry", "0001-01-01", UZBEK, "trips[0].entry"),
    ("trips.0.entry", (DATE_MIN - timedelta(days=1)).isoformat(), UZBEK, "trips[0].entry"),
    ("employment.0.end", "9999-12-31", EAEU, "employment[0].end"),
    ("stays.0.registered_on", "2101-01-01", UZBEK, "stays[0].registered_on"),
]


@pytest.mark.parametrize("path,value,base,field", DATE_CASES)
def test_dates_outside_the_range_are_errors_naming_the_field(path: str, value: str, base: dict[str, Any],
                                                             field: str, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    bad = _with(base, path, value)
    with pytest.raises(CaseError) as e:
        check(bad)
    assert e.value.field == field and str(DATE_MAX) in e.value.problem
    for command in ("check", "explain"):
        _one_line_error(*_cli(capsys, command, _write(tmp_path, "c.json", bad))[::2], field)
    report, error = check_one(json.dumps(bad), Options())
    assert report is None and field in error


def test_the_range_ends_are_accepted() -> None:
    first = _with(_with(UZBEK, "trips.0.entry", DATE_MIN.isoformat()), "stays", [])
    assert check(first).as_of == date(2026, 3, 6)
    far = _with(UZBEK, "stays.0.registered_on", None)  # unregistered until the last day accepted
    assert check(far, as_of=DATE_MAX).as_of == DATE_MAX


def test_as_of_far_in_the_future_with_an_unregistered_stay(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    unregistered = _with(UZBEK, "stays.0.registered_on", None)
    with pytest.raises(CaseError) as e:
        check(unregistered, as_of=date(9999, 1, 1))
    assert e.value.field == "as_of"
    _one_line_error(*_cli(capsys, "check", _write(tmp_path, "c.json", unregistered), "--as-of", "9999-01-01")[::2])


def test_hire_and_roster_reject_dates_outside_the_range(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    employer = NANNY["employers"][0]["id"]
    with pytest.raises(CaseError) as e:
        check_hire(NANNY, start="2026-04-01", end="9999-12-31", employer=employer)
    assert e.value.field == "end"
    roster = {"as_of": "2026-03-02", "employer": {"id": "e", "type": "legal_entity", "size": "small"},
              "employees": [_with(UZBEK, "trips.0.entry", "0001-01-01")]}
    with pytest.raises(CaseError) as e:
        check_roster(roster)
    assert e.value.field == "employees[0].trips[0].entry"
    _one_line_error(*_cli(capsys, "roster", _write(tmp_path, "r.json", roster))[::2], "employees[0].trips[0].entry")


def test_open_ends_are_not_shown_as_9999() -> None:
    two = _with(UZBEK, "trips", [{"entry": "2026-01-01"}, {"entry": "2026-02-01"}])
    with pytest.raises(CaseError) as e:
        check(two)
    assert "9999" not in str(e.value) and "open" in str(e.value)


# -- the obvious forms of arguments ------------------------------------------------------------

def test_iso_strings_are_accepted_for_date_arguments() -> None:
    assert check(UZBEK, as_of="2026-03-20") == check(UZBEK, as_of=date(2026, 3, 20))
    employer = NANNY["employers"][0]["id"]
    assert check_hire(NANNY, start="2026-04-01", employer=employer) == \
        check_hire(NANNY, start=date(2026, 4, 1), employer=employer)


@pytest.mark.parametrize("value", ["2026-13-01", "20260101", 20260101, [], "2026-02-30"])
def test_bad_date_arguments_name_the_argument(value: Any) -> None:
    with pytest.raises(CaseError) as e:
        check(UZBEK, as_of=value)
    assert e.value.field == "as_of"
    with pytest.raises(CaseError) as e:
        check_hire(NANNY, start=value, employer="x")
    assert e.value.field == "start"


def test_a_household_employer_takes_no_category(capsys: pytest.CaptureFixture[str]) -> None:
    employer = NANNY["employers"][0]["id"]
    path = str(ROOT / "examples" / "hire" / "household-nanny.json")
    with pytest.raises(CaseError) as e:
        check_hire(NANNY, start="2026-04-01", employer=employer, category="3")
    assert e.value.field == "category"
    _one_line_error(*_cli(capsys, "hire", path, "--start", "2026-04-01", "--employer", employer,
                          "--category", "3")[::2], "category")


# -- JSON: nesting, numbers, keys, encodings ---------------------------------------------------

DEEP = "[" * 5000 + "]" * 5000
HUGE = '{"person": {"citizenship": "UZ"}, "employers": [{"id": "e", "type": "legal_entity", "size": "small", ' \
       '"staff": {"1": {"local": ' + "9" * 5000 + ', "foreign": 1}}}]}'
SHALLOW_BUT_DEEPER_THAN_LIMIT = '{"person": ' + '{"a": ' * MAX_DEPTH + "1" + "}" * MAX_DEPTH + "}"
DUPLICATE = '{"person": {"citizenship": "UZ"}, "person": {"citizenship": "KG"}}'


@pytest.mark.parametrize("text,words", [
    (DEEP, ["nested deeper"]), (HUGE, ["more than 4300 digits"]),
    (SHALLOW_BUT_DEEPER_THAN_LIMIT, ["nested deeper"]), (DUPLICATE, ["person", "duplicate key"]),
    (b"\xff\xfe{}", ["not UTF-8"]), ('{"person": ', ["invalid JSON"]),
])
def test_bad_json_is_one_line_everywhere(text: str | bytes, words: list[str], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    _one_line_error(*_cli(capsys, "check", _write(tmp_path, "c.json", text))[::2], *words)
    data = (text if isinstance(text, bytes) else text.encode()) + b"\n"
    sink = io.StringIO()
    summary = run_batch(io.BytesIO(data + json.dumps(EAEU).encode() + b"\n"), sink)
    first, second = (json.loads(x) for x in sink.getvalue().splitlines())
    assert first["line"] == 1 and all(w in first["error"] for w in words)
    assert second == json.loads(check(EAEU).to_json())  # the run went on
    assert summary.cases == 2 and summary.errors == 1


def test_the_shared_decoder_answers_as_json_loads_with_the_duplicate_hook() -> None:
    """limits parses on one decoder built once: each text gives the value or error json.loads gives with the
    hook (which error comes first included), also while many threads parse at once."""
    from concurrent.futures import ThreadPoolExecutor

    from kzcompliance.limits import _parse, _unique_keys

    texts = [DEEP, HUGE, SHALLOW_BUT_DEEPER_THAN_LIMIT, DUPLICATE, json.dumps(UZBEK), json.dumps(NANNY), "\ufeff{}",
             '{"a": {"b": 1, "b": 2}, "c": [', '{"a": 1, "a": 2, "b": "\\u003a"}', '{"a": [1, 2}', "[]", "3", "",
             '{"x": "a:b", "y": {"z": {"x": 1}}}', '{"a": NaN, "b": -Infinity, "c": 1e999}', '{"é": "\\ud800"}',
             '{"a": 1} {"b": 2}', '{"a": "' + "x" * 100_000 + '"}', json.dumps(EAEU) + "  \n"]

    want = [_outcome(lambda t: json.loads(t, object_pairs_hook=_unique_keys), t) for t in texts]
    assert [_outcome(_parse, t) for t in texts] == want
    assert want[3][0] == "CaseError" and want[6][0] == "JSONDecodeError"
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(lambda t: _outcome(_parse, t), texts * 20)) == want * 20


def _outcome(parse: Any, text: str) -> Any:
    """What parsing `text` gives: the value's repr (types and float signs included), or the error's type and text."""
    try:
        return "value", repr(parse(text))
    except RecursionError:
        return "recursion", None
    except Exception as e:  # noqa: BLE001 - the outcome compared is the error's type and text
        return type(e).__name__, str(e), getattr(e, "field", None)


class _Object(tuple):  # type: ignore[type-arg]
    """A JSON object as (key, value) pairs, so that a generated object can give a key twice."""


_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6)
            | st.sampled_from(["a:b", "\u003a", "\ud800", "é", '"', "\\"]))
_KEYS = st.sampled_from(["a", "b", "a:", ":", "é", "\u003a", "\\", " "]) | st.text(max_size=3)
_JSON = st.recursive(_SCALARS, lambda kids: st.lists(kids, max_size=4)
                     | st.lists(st.tuples(_KEYS, kids), max_size=4).map(_Object), max_leaves=25)


def _render(value: Any, ascii_only: bool, colon: str) -> str:
    """`value` as JSON text, objects keeping every pair (duplicates too)."""
    if isinstance(value, _Object):
        return "{" + ", ".join(json.dumps(k, ensure_ascii=ascii_only) + colon + _render(v, ascii_only, colon)
                               for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_render(v, ascii_only, colon) for v in value) + "]"
    return json.dumps(value, ensure_ascii=ascii_only)


@settings(max_examples=400)
@given(_JSON, st.booleans(), st.sampled_from([":", ": ", " : ", "\n:\t"]), st.integers(0, 40), st.booleans())
def test_parsing_gives_what_json_loads_gives_with_the_duplicate_hook(value: Any, ascii_only: bool, colon: str,
                                                                      cut: int, truncate: bool) -> None:
    """Whichever parser gives the value (pydantic-core's where it accepts the text and no key can repeat, else the
    standard decoder), it is the value, or the error, of json.loads with the duplicate hook, on any JSON text:
    duplicates, colons and escapes in keys and strings, surrogates, NaN, floats, cut-off texts."""
    from kzcompliance.limits import _parse, _unique_keys

    text = _render(value, ascii_only, colon)
    if truncate:
        text = text[:cut]
    assert _outcome(_parse, text) == _outcome(lambda t: json.loads(t, object_pairs_hook=_unique_keys), text)


def test_a_deep_or_huge_mapping_given_to_check_is_a_case_error() -> None:
    deep: Any = 1
    for _ in range(2000):
        deep = {"a": deep}
    with pytest.raises(CaseError) as e:
        check({"person": deep})
    assert "nested deeper" in str(e.value)
    huge = json.loads(HUGE.replace("9" * 5000, "1"))
    huge["employers"][0]["staff"]["1"]["local"] = 10 ** 5000
    with pytest.raises(CaseError) as e:
        check(huge)
    assert e.value.field == "employers[0].staff.1.local"


def test_a_byte_order_mark_is_accepted_by_check_and_batch_alike(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    text = "\ufeff" + json.dumps(EAEU)
    code, out, err = _cli(capsys, "check", _write(tmp_path, "c.json", text), "--format", "json")
    assert err == "" and json.loads(out) == json.loads(check(EAEU).to_json())
    sink = io.StringIO()
    run_batch(io.BytesIO(text.encode() + b"\n"), sink)
    assert json.loads(sink.getvalue()) == json.loads(out)


def test_sizes_beyond_the_limits_name_the_field() -> None:
    trips = [{"entry": date.fromordinal(date(2000, 1, 1).toordinal() + 2 * i).isoformat(),
              "exit": date.fromordinal(date(2000, 1, 1).toordinal() + 2 * i).isoformat()} for i in range(MAX_ITEMS + 1)]
    with pytest.raises(CaseError) as e:
        check({**UZBEK, "trips": trips, "stays": []})
    assert e.value.field == "trips"
    with pytest.raises(CaseError) as e:
        check(_with(UZBEK, "person.name", "x" * (MAX_TEXT + 1)))
    assert e.value.field == "person.name"


def test_a_line_longer_than_the_limit_is_cut_and_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    import kzcompliance.batch as batch

    monkeypatch.setattr(batch, "MAX_LINE_BYTES", 100)
    good = json.dumps(EAEU, separators=(",", ":")).encode()
    assert len(good) > 100
    monkeypatch.setattr(batch, "MAX_LINE_BYTES", len(good) + 1)
    data = b'{"a": "' + b"x" * (5 * len(good)) + b'"}\n' + good + b"\n"
    assert [len(x) for x in bounded_lines(io.BytesIO(data))][1] == len(good) + 1
    sink = io.StringIO()
    run_batch(io.BytesIO(data), sink)
    first, second = (json.loads(x) for x in sink.getvalue().splitlines())
    assert first["line"] == 1 and "longer than" in first["error"]
    assert second == json.loads(check(EAEU).to_json())


# -- batch: one line out per line in, the same JSON as check ----------------------------------

def test_batch_lines_are_what_check_prints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(capsys, "check", str(ROOT / "examples" / "uzbek-overstay.json"), "--format", "json")
    sink = io.StringIO()
    run_batch(io.BytesIO(json.dumps(UZBEK).encode() + b"\n"), sink)
    assert "trace" not in json.loads(sink.getvalue()) and json.loads(sink.getvalue()) == json.loads(out)


def test_jobs_are_capped_at_the_cores(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import kzcompliance.batch as batch

    monkeypatch.setattr(batch, "default_jobs", lambda: 1)
    assert worker_count(64) == 1 and worker_count(0) == 1
    src = _write(tmp_path, "in.jsonl", json.dumps(EAEU) + "\n")
    dst = tmp_path / "out.jsonl"
    code, _, err = _cli(capsys, "batch", src, str(dst), "--jobs", "64")
    assert "--jobs 64: using 1" in err and json.loads(dst.read_text()) == json.loads(check(EAEU).to_json())


# -- the command line's own inputs ------------------------------------------------------------

def test_rule_files_that_cannot_be_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = str(ROOT / "examples" / "eaeu-worker.json")
    missing = str(tmp_path / "missing.yaml")
    code, _, err = _cli(capsys, "check", case, "--rules", missing)
    _one_line_error(code, err, "No such file")
    assert err.count(missing) == 1
    code, _, err = _cli(capsys, "check", case, "--rules", _write(tmp_path, "bad.yaml", b"\xff\xfe\x00rules"))
    _one_line_error(code, err, "bad.yaml", "not UTF-8")


def test_scheduler_addresses_that_do_not_work(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    import kzcompliance.cli as cli

    src = _write(tmp_path, "in.jsonl", json.dumps(EAEU) + "\n")
    dst = str(tmp_path / "out.jsonl")
    _one_line_error(*_cli(capsys, "batch", src, dst, "--scheduler", "notaurl")[::2], "notaurl")
    monkeypatch.setattr(cli, "SCHEDULER_TIMEOUT_S", 0.5)
    # Dask's own reason varies with the machine (its timeout; on a loaded one, its IO loop not starting in time)
    _one_line_error(*_cli(capsys, "batch", src, dst, "--scheduler", "tcp://127.0.0.1:1")[::2],
                    "cannot connect to tcp://127.0.0.1:1")


def test_the_cli_gives_dask_its_own_timeout(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """`batch --scheduler` tries for SCHEDULER_TIMEOUT_S, not Dask's 30 s: the Client is given it."""
    distributed = pytest.importorskip("distributed")
    import kzcompliance.cli as cli

    asked: list[object] = []

    def refusing(address: str, **kwargs: object) -> None:
        asked.append(kwargs.get("timeout"))
        raise OSError(f"Timed out trying to connect to {address} after {kwargs.get('timeout')} s")

    monkeypatch.setattr(distributed, "Client", refusing)
    src = _write(tmp_path, "in.jsonl", json.dumps(EAEU) + "\n")
    _one_line_error(*_cli(capsys, "batch", src, str(tmp_path / "out.jsonl"), "--scheduler", "tcp://127.0.0.1:1")[::2],
                    "cannot connect to tcp://127.0.0.1:1", f"after {cli.SCHEDULER_TIMEOUT_S} s")
    assert asked == [cli.SCHEDULER_TIMEOUT_S]


def test_a_client_that_fails_inside_dask_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Dask's Client can fail in its own code (once in CI its IO-loop thread did not start within its 10 s and
    an AssertionError came out of Client()): the CLI still says in one line that it could not connect."""
    distributed = pytest.importorskip("distributed")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise AssertionError

    monkeypatch.setattr(distributed, "Client", broken)
    src = _write(tmp_path, "in.jsonl", json.dumps(EAEU) + "\n")
    code, _out, err = _cli(capsys, "batch", src, str(tmp_path / "out.jsonl"), "--scheduler", "tcp://127.0.0.1:1")
    _one_line_error(code, err, "cannot connect to tcp://127.0.0.1:1", "AssertionError")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from kzcompliance import __version__

    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0 and capsys.readouterr().out == f"kzcompliance {__version__}\n"


def test_a_deep_truncated_text_gets_one_message_whatever_the_callers_stack() -> None:
    """Found by the 100,000-case fuzz run: where json stops in a deep text depended on the stack depth,
    so batch and check answered the same line differently."""
    from kzcompliance.limits import loads

    text = '{"as_of": ' + "[" * 990 + "1"

    def nested(depth: int) -> str:
        if depth:
            return nested(depth - 1)
        with pytest.raises(CaseError) as e:
            loads(text)
        return str(e.value)

    assert nested(0) == nested(600) == f"JSON nested deeper than {MAX_DEPTH} levels"
    with pytest.raises(CaseError) as e:
        loads('{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "b": [1, }')  # brackets in strings do not count
    assert "invalid JSON at line 1 column" in str(e.value)
