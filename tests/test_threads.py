"""The public API called from 8 threads at once gives exactly the reports of a serial run, on both engines."""

from __future__ import annotations

import random
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from .test_batch import CASES

from kzcompliance import check, check_many
from kzcompliance.pipeline import build_report, evaluate
from kzcompliance.resources import bundled_dir
from kzcompliance.rulebook import Rulebook, rule_files

THREADS = 8
ROUNDS = 3


@pytest.fixture(autouse=True)
def frequent_thread_switches() -> Iterator[None]:
    """Switch threads every microsecond instead of every 5 ms, so interleavings are many."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def run_threads(work: Any) -> list[Any]:
    """work(i) in THREADS threads released together; their results, in thread order."""
    barrier = threading.Barrier(THREADS)
    results: list[Any] = [None] * THREADS
    errors: list[BaseException] = []

    def target(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except BaseException as e:  # noqa: BLE001 - re-raised below in the test's thread
            errors.append(e)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def test_check_from_threads_matches_serial(engine: str) -> None:
    # A fresh rulebook: its engine is built lazily by whichever thread gets there first.
    book = Rulebook(rule_files(), builtin_dir=bundled_dir("rules"))
    serial = [check(c, engine=engine, rulebook=book).model_dump() for c in CASES]
    fresh = Rulebook(rule_files(), builtin_dir=bundled_dir("rules"))

    def work(i: int) -> dict[int, dict[str, Any]]:
        order = list(range(len(CASES))) * ROUNDS
        random.Random(i).shuffle(order)  # each thread its own order, so different cases overlap
        out: dict[int, dict[str, Any]] = {}
        for k in order:
            report = check(CASES[k], engine=engine, rulebook=fresh).model_dump()
            assert out.setdefault(k, report) == report
        return out

    for result in run_threads(work):
        assert [result[k] for k in range(len(CASES))] == serial


def test_evaluate_build_report_and_check_many_from_threads(engine: str) -> None:
    serial = [check(c, engine=engine, lang="ru").model_dump() for c in CASES]

    def work(i: int) -> list[dict[str, Any]]:
        if i % 2:
            return [r.model_dump() for r in check_many(CASES, engine=engine, lang="ru")]
        return [build_report(evaluate(c, engine=engine), "ru").model_dump() for c in CASES]

    for result in run_threads(work):
        assert result == serial
