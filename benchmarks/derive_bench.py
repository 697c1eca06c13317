"""CPU time of deriving the facts, and of the rest of evaluate(), per case of a profile.

    python benchmarks/derive_bench.py national            # 3,000 cases, best of 5
    python benchmarks/derive_bench.py enforcement 5000 3

Cases are validated and their contexts built before the clock starts, so `derive` is `facts.derive`
alone; `evaluate` is `pipeline.evaluate` on the validated case (derive, the rules on the Python engine,
and evaluate's own checks and set-up), `fire` the rules alone. Run it with the install to measure (from
outside the checkout for the compiled build), old and new alternately: a shared machine moves each
figure by 20-40% between runs.
"""

from __future__ import annotations

import gc
import sys
import time
from datetime import date
from typing import Any, Callable, TypeVar

from profiles import cases

from kzcompliance.build import compiled_modules
from kzcompliance.calendar import calendar
from kzcompliance.context import Context
from kzcompliance.facts import derive
from kzcompliance.pipeline import evaluate, to_case
from kzcompliance.plugins import plugin_manager
from kzcompliance.rulebook import default_rulebook
from kzcompliance.seeds import reference
from kzcompliance.settings import DEFAULT_SETTINGS


T = TypeVar("T")


def best(reps: int, setup: Callable[[], list[T]], run: Callable[[T], Any]) -> float:
    """The least CPU seconds of `reps` runs of `run` over what `setup` gives (the collector off while timed)."""
    out = float("inf")
    for _ in range(reps):
        items = setup()
        gc.collect()
        gc.disable()
        start = time.process_time()
        for item in items:
            run(item)
        out = min(out, time.process_time() - start)
        gc.enable()
    return out


def main() -> None:
    profile = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    models = [to_case(c) for c in cases(profile, n)]
    ref, cal, pm, book = reference(), calendar(), plugin_manager(), default_rulebook()

    def contexts() -> list[Context]:
        return [Context(m, m.as_of or date.today(), ref, cal, pm, DEFAULT_SETTINGS) for m in models]

    facts = [derive(c).facts for c in contexts()]  # also warms every cache a register's run keeps warm
    derived = best(reps, contexts, derive)
    evaluated = best(reps, lambda: list(models), lambda m: evaluate(m, engine="python"))
    fired = best(reps, lambda: list(facts), lambda f: book.fire(f, "python"))
    build = "compiled" if compiled_modules() else "pure"
    print(f"{profile} ({build}, {n} cases, best of {reps}): derive {derived / n * 1e6:.1f} µs a case, "
          f"evaluate {evaluated / n * 1e6:.1f}, fire {fired / n * 1e6:.1f}")


if __name__ == "__main__":
    main()
