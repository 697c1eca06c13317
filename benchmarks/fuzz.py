"""The long fuzz run: mutated cases through check, the CLI and batch; prints the tally.

    python -m benchmarks.fuzz --cases 100000          # the figures in README ("Bad input")
    python -m benchmarks.fuzz --cases 2000 --seed 7   # a quick run

Starts from the examples, the scenario files and cases drawn from `kzcompliance.testing.cases()`,
and mutates them with `kzcompliance.fuzzing.mutate` (seeded: a run is repeatable). Exits 1 when any
outcome was unexpected, printing the first input of each kind.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any, Iterator

from kzcompliance import fuzzing

ROOT = Path(__file__).resolve().parents[1]


def drawn_cases(count: int, seed: int) -> list[dict[str, Any]]:
    """`count` cases drawn from the testing kit's strategy (valid, of every regime)."""
    from hypothesis import HealthCheck, given, seed as hseed, settings

    from kzcompliance import testing

    out: list[dict[str, Any]] = []

    @hseed(seed)
    @settings(max_examples=count, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(testing.cases())
    def collect(case: Any) -> None:
        out.append(case.to_json_dict())

    collect()
    return out


def inputs(pool: list[dict[str, Any]], cases: int, seed: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    for _ in range(cases):
        yield fuzzing.mutate(rng, rng.choice(pool))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cases", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--drawn", type=int, default=300, help="cases drawn from kzcompliance.testing for the pool")
    p.add_argument("--cli-every", type=int, default=20, help="run the CLI on one input in N")
    args = p.parse_args()
    started = time.perf_counter()
    pool = fuzzing.seed_cases(ROOT) + drawn_cases(args.drawn, args.seed)
    tally = fuzzing.Tally()
    step = max(1, args.cases // 10)
    done = 0
    while done < args.cases:
        n = min(step, args.cases - done)
        fuzzing.run(inputs(pool, n, args.seed * 1_000_003 + done), cli_every=args.cli_every, tally=tally)
        done += n
        print(f"  {done:>8} cases, unexpected {tally.unexpected}, {time.perf_counter() - started:.0f} s",
              file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - started
    print(f"pool: {len(pool)} valid cases; cases: {tally.cases}; check answered: {tally.reports} reports, "
          f"{tally.case_errors} CaseErrors; CLI runs: {tally.cli_runs}; batch lines: {tally.batch_lines}; "
          f"unexpected: {tally.unexpected}; time: {elapsed:.0f} s")
    for kind, example in tally.examples.items():
        print(f"UNEXPECTED {kind}:\n{example}")
    return 1 if tally.unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
