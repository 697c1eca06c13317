"""What a plan answer costs, in check() calls of the same cases (the floor), measured in the same run.

    python benchmarks/plan.py                 # 300 generated cases
    python benchmarks/plan.py --cases 1000

For each question (`now` only, `--enter`, `--days N`, an itinerary of two trips, all together) it prints
the median time of one plan() call, the median of one check() of the same cases (called in turn with
it, the best of three calls each), their ratio, and the
stay-limit evaluations one answer took (probes of a planned entry, each an evaluate() without the
report). The entry dates are drawn after each case's history; cases come from `mix.py`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta
from typing import Any, Callable

from mix import cases

from kzcompliance import Case, check, plan
from kzcompliance.planning import answer


def paired_ms(fn: Callable[[Any], Any], floor: Callable[[Any], Any], items: list[Any],
              repeats: int = 3) -> tuple[float, float]:
    """Median over items of the best of `repeats` calls of fn, and of floor, called in turn on each item
    (after a warm-up pass): the best of a few drops the pauses a loaded machine adds to one call."""
    for item in items[:50]:
        fn(item)
        floor(item)
    a, b = [], []
    for item in items:
        best_a = best_b = float("inf")
        for _ in range(repeats):
            t = time.perf_counter()
            fn(item)
            best_a = min(best_a, time.perf_counter() - t)
            t = time.perf_counter()
            floor(item)
            best_b = min(best_b, time.perf_counter() - t)
        a.append(best_a)
        b.append(best_b)
    return statistics.median(a) * 1000, statistics.median(b) * 1000


def questions(rng: random.Random, case: dict[str, Any]) -> dict[str, Any]:
    """An entry day after the case's history, a length of stay and two planned trips after it."""
    model = Case.model_validate(case)
    as_of = model.as_of or date.today()
    last = max([as_of, *(t.exit or as_of for t in model.trips or [])])
    enter = last + timedelta(days=rng.randrange(1, 60))
    first = enter + timedelta(days=rng.randrange(0, 30))
    second = first + timedelta(days=rng.randrange(20, 60))
    return {"enter": enter, "days": rng.choice([7, 14, 30, 60, 90]),
            "trips": [(first, first + timedelta(days=rng.randrange(5, 20))),
                      (second, second + timedelta(days=rng.randrange(5, 40)))]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=300)
    args = ap.parse_args()
    rng = random.Random(11)
    items = [(c, questions(rng, c)) for c in cases(args.cases, seed=11)]
    print(f"plan() against check() over {len(items)} generated cases (median of one call)")
    print(f"  {'question':<28} {'plan':>10} {'check':>10} {'ratio':>7} {'evaluations':>12}")
    probes = [0]
    original = answer.Planner._probe

    def counted(self: answer.Planner, *a: Any) -> answer.Probe:
        probes[0] += 1
        return original(self, *a)

    answer.Planner._probe = counted  # type: ignore[method-assign]
    for label, kw in (("now + timeline", lambda q: {}),
                      ("--enter DATE", lambda q: {"enter": q["enter"]}),
                      ("--days N", lambda q: {"days": q["days"]}),
                      ("--trip x2", lambda q: {"trips": q["trips"]}),
                      ("all together", lambda q: q)):
        ms, floor = paired_ms(lambda it, kw=kw: plan(it[0], **kw(it[1])), lambda it: check(it[0]), items)
        probes[0] = 0
        for c, q in items:
            plan(c, **kw(q))
        # the check of today's case, the itinerary's check (with trips) and the probes
        per = probes[0] / len(items) + 1 + (1 if "trips" in kw(items[0][1]) else 0)
        print(f"  {label:<28} {ms:>8.2f}ms {floor:>8.2f}ms {ms / floor:>6.1f}x {per:>12.1f}")
    answer.Planner._probe = original  # type: ignore[method-assign]


if __name__ == "__main__":
    main()
