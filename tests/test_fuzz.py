"""The short fuzz profile: hostile variants of valid cases get only documented answers from check,
the CLI and batch (the long run is `python -m benchmarks.fuzz --cases 100000`, README)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kzcompliance import fuzzing, testing

ROOT = Path(__file__).resolve().parents[1]
POOL = fuzzing.seed_cases(ROOT)


def test_the_pool_holds_the_examples_and_scenarios() -> None:
    assert len(POOL) > 50 and all(isinstance(c.get("person"), dict) for c in POOL)


@settings(max_examples=40)
@given(st.one_of(st.sampled_from(POOL), testing.cases().map(lambda c: c.to_json_dict())), st.randoms())
def test_mutated_cases_get_documented_answers(case: dict[str, Any], rng: random.Random) -> None:
    data = fuzzing.mutate(rng, case)
    tally = fuzzing.run([data], cli_every=1, batch_size=1)
    assert tally.unexpected == 0, tally.examples


def test_a_batch_of_mutations_keeps_one_line_per_line_in_order() -> None:
    rng = random.Random(20261201)
    inputs = [fuzzing.mutate(rng, rng.choice(POOL)) for _ in range(300)]
    tally = fuzzing.run(inputs, cli_every=30, batch_size=150)
    assert tally.cases == 300 and tally.batch_lines == 300 and tally.cli_runs == 10
    assert tally.reports > 30 and tally.case_errors > 30  # both kinds of answer were exercised
    assert tally.unexpected == 0, tally.examples


def test_the_harness_sees_an_escape(monkeypatch: Any) -> None:
    """A check that raises something other than CaseError is counted, with its input."""
    import kzcompliance.pipeline as pipeline

    def broken(*_a: Any, **_k: Any) -> Any:
        raise OverflowError("date value out of range")

    monkeypatch.setattr(pipeline, "check", broken)
    tally = fuzzing.run([b'{"person": {"citizenship": "UZ"}}'], cli_every=0, batch_size=1)
    assert tally.unexpected == 1 and "check: OverflowError" in tally.examples
