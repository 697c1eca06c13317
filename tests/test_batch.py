"""check_many and `kzcompliance batch`: input order, per-line errors, the summary, same reports as check()."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from kzcompliance import CaseError, check, check_many
from kzcompliance.batch import run_batch
from kzcompliance.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples").glob("*.json"))]


def sample_cases() -> list[dict[str, Any]]:
    """The examples checked on several dates and for several citizenships: compliant and violating cases."""
    out = []
    for example in EXAMPLES:
        for shift in (0, 25, 70):
            for country in ("UZ", "RU", "US", "IN"):
                case = json.loads(json.dumps(example))
                case["as_of"] = (date.fromisoformat(case["as_of"]) + timedelta(days=shift)).isoformat()
                case["person"]["citizenship"] = country
                out.append(case)
    return out


CASES = sample_cases()
BAD_LINES = {3: "{not json", 7: "", 11: json.dumps({"person": {"citizenship": "KZ"}}), 12: "[1, 2]"}


def jsonl_with_errors() -> tuple[bytes, list[Any]]:
    """JSON Lines of CASES with bad lines at BAD_LINES (1-based), and per line the case or None."""
    lines: list[str] = []
    expected: list[Any] = []
    cases = iter(CASES)
    while len(lines) < len(CASES) + len(BAD_LINES):
        n = len(lines) + 1
        if n in BAD_LINES:
            lines.append(BAD_LINES[n])
            expected.append(None)
        else:
            case = next(cases)
            lines.append(json.dumps(case, ensure_ascii=False))
            expected.append(case)
    return ("\n".join(lines) + "\n").encode("utf-8"), expected


def test_sample_has_both_outcomes() -> None:
    outcomes = Counter(check(c).compliant for c in CASES)
    assert outcomes[True] > 0 and outcomes[False] > 0


@pytest.mark.parametrize("jobs", [1, 2])
def test_check_many_keeps_order_and_matches_check(jobs: int) -> None:
    reports = list(check_many(CASES, jobs=jobs, engine="python"))
    assert [r.model_dump() for r in reports] == [check(c, engine="python").model_dump() for c in CASES]


def test_check_many_errors_raise_or_yield() -> None:
    cases = [CASES[0], {"person": {"citizenship": "XX"}}, CASES[1]]
    with pytest.raises(CaseError, match="person.citizenship"):
        list(check_many(cases))
    out = list(check_many(cases, errors="yield"))
    assert isinstance(out[1], CaseError) and out[1].field == "person.citizenship"
    assert out[0] == check(CASES[0]) and out[2] == check(CASES[1])


def test_check_many_errors_cross_processes() -> None:
    out = list(check_many([{"person": {"citizenship": "KZ"}}, CASES[0]], jobs=2, errors="yield"))
    assert isinstance(out[0], CaseError) and out[0].field == "person.citizenship"
    assert out[1] == check(CASES[0])


@pytest.mark.parametrize("jobs", [1, 2])
def test_run_batch_lines_errors_and_summary(jobs: int) -> None:
    data, expected = jsonl_with_errors()
    sink = io.StringIO()
    summary = run_batch(io.BytesIO(data), sink, jobs=jobs)
    out = [json.loads(line) for line in sink.getvalue().splitlines()]
    assert len(out) == len(expected)
    codes: Counter[str] = Counter()
    fines = compliant = 0
    for n, (line, case) in enumerate(zip(out, expected, strict=True), start=1):
        if case is None:
            assert line["line"] == n and line["error"]
            continue
        report = check(case)
        assert line == json.loads(report.to_json())  # as `check --format json` prints it: no "trace" key
        codes.update(v.sanction.code for v in report.violations)
        fines += report.fines_total_kzt
        compliant += report.compliant
    assert "person.citizenship" in out[10]["error"] and "invalid JSON" in out[2]["error"]
    assert "empty line" in out[6]["error"] and "not list" in out[11]["error"]
    assert summary.cases == len(expected) and summary.errors == len(BAD_LINES)
    assert summary.compliant == compliant and summary.with_violations == len(CASES) - compliant
    assert summary.violations_by_code == codes and summary.fines_total_kzt == fines
    assert not summary.all_compliant


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_chunks_checked_here_and_in_the_worker_come_out_in_order(monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    """With jobs=2 one worker is started (forked or spawned) and this process checks chunks too while the
    worker's window is full: the output (lines, error numbers, summary) and check_many's reports are those
    of jobs=1."""
    import kzcompliance.batch as batch

    if method == "fork" and batch.start_method() != "fork":
        pytest.skip("workers are forked only from a single-threaded process on Linux")
    monkeypatch.setattr(batch, "start_method", lambda: method)
    here = []
    done = batch._done

    def counted(result: Any) -> Any:
        here.append(result)
        return done(result)

    monkeypatch.setattr(batch, "CHUNK_LINES", 3)
    monkeypatch.setattr(batch, "WINDOW_PER_JOB", 1)
    monkeypatch.setattr(batch, "_done", counted)
    data, _ = jsonl_with_errors()
    outputs, summaries = [], []
    for jobs in (1, 2):
        sink = io.StringIO()
        summaries.append(run_batch(io.BytesIO(data), sink, jobs=jobs, engine="python"))
        outputs.append(sink.getvalue())
    chunks = -(-len(data.splitlines()) // 3)
    assert outputs[0] == outputs[1] and summaries[0] == summaries[1]
    assert 0 < len(here) < chunks  # both this process and the worker checked chunks
    here.clear()
    reports = list(check_many(CASES, jobs=2, engine="python"))
    assert [r.model_dump() for r in reports] == [check(c, engine="python").model_dump() for c in CASES]
    assert 0 < len(here) < -(-len(CASES) // 3)


def test_the_calling_process_builds_before_it_forks_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The working calendar (and the rest a check needs) is built here before the pool forks its workers, so
    they inherit it rather than each building it again; the reports are check()'s."""
    import concurrent.futures

    import kzcompliance.batch as batch
    import kzcompliance.calendar as cal

    if batch.start_method() != "fork":
        pytest.skip("workers are forked only from a single-threaded process on Linux")
    monkeypatch.setattr(cal, "_default", None)
    built_at_start = []
    pool = concurrent.futures.ProcessPoolExecutor

    def started(*args: Any, **kwargs: Any) -> Any:
        built_at_start.append(cal._default is not None)
        return pool(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", started)
    reports = list(check_many(CASES[:5], jobs=2, engine="python"))
    assert built_at_start == [True]
    assert [r.model_dump() for r in reports] == [check(c, engine="python").model_dump() for c in CASES[:5]]


def test_workers_are_forked_only_from_a_single_thread() -> None:
    """A fork copies only the calling thread, and a lock another thread held stays locked in the copy: with
    a second thread alive the workers are spawned; a process alone on Linux forks them."""
    import threading

    from kzcompliance.batch import start_method

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert start_method() == "spawn"
    finally:
        stop.set()
        other.join()
    alone = subprocess.run([sys.executable, "-c", "from kzcompliance.batch import start_method; print(start_method())"],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert alone == ("fork" if sys.platform == "linux" else "spawn")


def test_cli_batch_jobs_agree_and_summarise(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, _ = jsonl_with_errors()
    src = tmp_path / "cases.jsonl"
    src.write_bytes(data)
    outputs = []
    for jobs in ("1", "2"):
        dst = tmp_path / f"reports-{jobs}.jsonl"
        assert main(["batch", str(src), str(dst), "--jobs", jobs, "--engine", "python"]) == 1
        outputs.append(dst.read_bytes())
        err = capsys.readouterr().err
        assert f"cases: {len(CASES) + len(BAD_LINES)}," in err and f"errors: {len(BAD_LINES)}" in err
        assert "violations by code: " in err and "fines total: " in err
    assert outputs[0] == outputs[1]


def test_cli_batch_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    compliant = [c for c in CASES if check(c).compliant]
    src = tmp_path / "ok.jsonl"
    src.write_text("".join(json.dumps(c) + "\n" for c in compliant), encoding="utf-8")
    assert main(["batch", str(src), str(tmp_path / "out.jsonl"), "-j", "1"]) == 0
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == len(compliant)
    assert main(["batch", str(tmp_path / "missing.jsonl"), str(tmp_path / "x.jsonl")]) == 2
    assert "missing.jsonl: cannot read" in capsys.readouterr().err
    assert not (tmp_path / "x.jsonl").exists()
    assert main(["batch", str(src), str(src)]) == 2
    assert "is the input file" in capsys.readouterr().err
    assert src.read_text(encoding="utf-8").count("\n") == len(compliant)
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(src), str(tmp_path / "y.jsonl"), "--jobs", "0"])
    assert exc.value.code == 2
