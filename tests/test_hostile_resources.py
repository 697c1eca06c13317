"""Bounded cost and memory (issue 10): linear work in the trips, bounded caches, durable-rules handles
shared and sessions waited for. Counts, not wall time: the timings are in benchmarks/hostile.py."""

from __future__ import annotations

import gc
import json
import os
import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from kzcompliance import check, rulebook_with, stay_limits
from kzcompliance.build import compiled_modules
from kzcompliance.calendar import RUNNING_YEARS, WorkingCalendar
from kzcompliance.engines import durable_available
from kzcompliance.limits import DATE_MAX
from kzcompliance.rulebook import EXTENDED_KEPT, Rulebook, rule_files

ROOT = Path(__file__).resolve().parents[1]


def short_trips(n: int, first: date = date(2023, 2, 1)) -> dict[str, Any]:
    """A case of `n` three-day trips a week apart (each trip's window holds earlier trips' days)."""
    trips = [{"entry": (first + timedelta(days=7 * i)).isoformat(),
              "exit": (first + timedelta(days=7 * i + 2)).isoformat()} for i in range(n)]
    return {"as_of": (first + timedelta(days=7 * n)).isoformat(), "person": {"citizenship": "UZ"},
            "trips": trips, "documents": [], "employment": []}


@pytest.mark.skipif("stay_limits" in compiled_modules(), reason="a compiled DayIndex cannot be instrumented")
def test_the_trip_walk_does_work_linear_in_the_trips(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"count": 0}
    real = stay_limits.DayIndex.count

    def counted(self: Any, a: int, b: int, first: int = 0) -> int:
        calls["count"] += 1
        return real(self, a, b, first)

    monkeypatch.setattr(stay_limits.DayIndex, "count", counted)
    per_size = {}
    for n in (100, 400):
        calls["count"] = 0
        check(short_trips(n))
        per_size[n] = calls["count"]
    assert per_size[100] > 0
    assert per_size[400] <= 4 * per_size[100] * 1.1  # linear (it was quadratic: every earlier trip, per trip)


def test_far_future_checks_keep_a_bounded_calendar() -> None:
    cal = WorkingCalendar()
    assert cal.working_days_between(date(1992, 1, 1), DATE_MAX) > 0
    running, totals = cal.cached_years()
    assert running == RUNNING_YEARS  # day-by-day totals of a few years only ...
    assert totals == DATE_MAX.year - 1992 + 1  # ... and one number per year asked
    assert cal.working_days_between(date(1992, 1, 1), DATE_MAX) == sum(
        cal.working_days_between(date(y - 1, 12, 31), date(y, 12, 31)) for y in range(1992, DATE_MAX.year + 1)) - \
        cal.working_days_between(date(1991, 12, 31), date(1992, 1, 1))


def test_rulebook_with_keeps_a_bounded_cache_and_rereads_edited_files(tmp_path: Path) -> None:
    source = (ROOT / "docs" / "example" / "eaeu-new-contract.yaml").read_text(encoding="utf-8")
    path = tmp_path / "extra.yaml"
    path.write_text(source, encoding="utf-8")
    first = rulebook_with([path])
    assert rulebook_with([path]) is first
    path.write_text(source + "\n# edited\n", encoding="utf-8")
    os.utime(path, ns=(1, 1))
    assert rulebook_with([path]) is not first
    for i in range(EXTENDED_KEPT + 3):
        other = tmp_path / f"extra{i}.yaml"
        other.write_text(source, encoding="utf-8")
        rulebook_with([other])
    from kzcompliance.rulebook import _extended

    assert len(_extended) == EXTENDED_KEPT


needs_durable = pytest.mark.skipif(not durable_available(), reason="durable-rules does not import here")


@needs_durable
def test_rulebooks_over_the_same_rules_share_one_durable_handle() -> None:
    from kzcompliance.engines import durable

    books = [Rulebook(rule_files()) for _ in range(5)]
    handles = {b.engine("durable")._handle for b in books}
    assert len(handles) == 1
    del books
    gc.collect()
    alive, idle = durable.live_rulesets()
    assert idle <= durable.IDLE_RULESETS


@needs_durable
def test_handles_of_rules_no_longer_used_are_deleted_beyond_the_idle_bound() -> None:
    from kzcompliance.engines import durable

    compiled = Rulebook(rule_files()).compiled
    before, _ = durable.live_rulesets()
    for k in range(1, durable.IDLE_RULESETS + 6):  # distinct definitions, each dropped at once
        durable.DurableEngine(compiled[:k])
        gc.collect()
    alive, idle = durable.live_rulesets()
    assert idle <= durable.IDLE_RULESETS and alive <= before + durable.IDLE_RULESETS


@needs_durable
def test_callers_beyond_the_session_limit_wait_instead_of_failing(monkeypatch: pytest.MonkeyPatch) -> None:
    from kzcompliance.engines import durable
    from kzcompliance.pipeline import evaluate

    monkeypatch.setattr(durable, "MAX_SESSIONS", 2)
    compiled = Rulebook(rule_files()).compiled
    engine = durable.DurableEngine(compiled[:-1])  # a definition of its own: a pool of 2 sessions
    case = json.loads((ROOT / "examples" / "uzbek-overstay.json").read_text(encoding="utf-8"))
    fact = next(f for f in evaluate(case).derived.facts if f["kind"] == "trip")
    want = engine.evaluate(fact)
    results: list[list[str]] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(40)

    def work() -> None:
        try:
            gate.wait()
            for _ in range(20):
                results.append(engine.evaluate(fact))
        except BaseException as e:  # noqa: BLE001 - recorded and asserted below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(results) == 800 and all(r == want for r in results)
    assert engine._ruleset.sessions <= 2


def test_day_index_answers_as_counting_day_by_day() -> None:
    import random

    from kzcompliance.dates import DayIndex, covering, merge

    rng = random.Random(11)
    for _ in range(200):
        starts = (rng.randrange(0, 300) for _ in range(rng.randrange(0, 12)))
        merged = merge((a, a + rng.randrange(0, 9)) for a in starts)
        index = DayIndex(merged)
        days = {d for a, b in merged for d in range(a, b + 1)}
        first = rng.randrange(0, len(merged) + 1)
        later = {d for a, b in merged[first:] for d in range(a, b + 1)}
        for _ in range(20):
            a = rng.randrange(-5, 320)
            b = a + rng.randrange(-2, 60)
            assert index.count(a, b) == sum(1 for d in range(a, b + 1) if d in days)
            assert index.count(a, b, first) == sum(1 for d in range(a, b + 1) if d in later)
            assert index.covering(a) == covering(merged, a) == next(((x, y) for x, y in merged if x <= a <= y), None)
            assert index.next_start(a) == next((x for x, _y in merged if x > a), None)
