"""Cost and memory under hostile sizes (issue 10), each figure beside its floor or the figure before the fix.

    python benchmarks/hostile.py                 # all four measurements (about a minute on 2 cores)
    python benchmarks/hostile.py --reloads 50    # fewer rulebook reloads

1. a case of 10,000 trips: check() time, beside the time of validating the case alone (the floor);
2. RSS after a check as of 2100-12-31 of a stay unregistered since 1992, beside a check as of 2026:
   the calendar keeps RUNNING_YEARS years of running totals, not every year touched;
3. 200 Rulebook reloads (each building its durable engine), and 200 rulebook_with() over a rule file
   whose condition is edited each time (200 distinct rule sets): RSS, thread count and live durable handles
   at the start and every 50;
4. 2,000 threads checking at once, switching every microsecond (durable-rules has 1,024 sessions per
   ruleset): errors, wrong reports, RSS and threads before and after.
Linux only (reads /proc/self/status).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kzcompliance import Rulebook, check, rulebook_with
from kzcompliance.calendar import calendar
from kzcompliance.case import Case
from kzcompliance.engines.durable import live_rulesets
from kzcompliance.rulebook import rule_files

ROOT = Path(__file__).resolve().parents[1]


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def many_trips(n: int) -> dict[str, Any]:
    """A frequent border crosser: one-day trips three days apart (10,000 of them reach 2074)."""
    first = date(1992, 1, 1)
    trips = [{"entry": (first + timedelta(days=3 * i)).isoformat(),
              "exit": (first + timedelta(days=3 * i)).isoformat()} for i in range(n)]
    as_of = max(first + timedelta(days=3 * n), date(2026, 1, 1))  # the law tables start in 2015
    return {"as_of": as_of.isoformat(), "person": {"citizenship": "UZ"},
            "trips": trips, "documents": [], "employment": []}


def best_of(runs: int, fn: Any) -> tuple[float, float]:
    """The best (CPU seconds of this process, wall seconds) of `runs` calls: CPU time is what the
    code costs; wall time also counts waiting for a core on a shared machine."""
    cpu, wall = [], []
    for _ in range(runs):
        c, w = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return min(cpu), min(wall)


def trips_cost(n: int) -> None:
    case = many_trips(n)
    check(case)  # warm: rules, seeds, calendar
    cpu, wall = best_of(3, lambda: check(case))
    floor, _ = best_of(3, lambda: Case.model_validate(case))
    print(f"{n} trips: check {cpu:.2f} s CPU ({wall:.2f} s wall) (floor: validating the case {floor:.2f} s CPU; "
          f"before the fix: 30 s at 10,000 trips)")


def far_future() -> None:
    uz = json.loads((ROOT / "examples" / "uzbek-overstay.json").read_text(encoding="utf-8"))
    uz["stays"][0]["registered_on"] = None
    check(uz)
    gc.collect()
    near = rss_mib()
    old = dict(uz, trips=[{"entry": "1992-01-01"}], stays=[{**uz["stays"][0], "from": "1992-01-01"}])
    t = time.perf_counter()
    check(old, as_of="2100-12-31")
    took = time.perf_counter() - t
    gc.collect()
    running, totals = calendar().cached_years()
    print(f"as_of 2100-12-31, unregistered since 1992: {took:.2f} s, RSS {near:.0f} -> {rss_mib():.0f} MiB "
          f"(floor: the check as of 2026, {near:.0f} MiB); calendar keeps {running} years of running totals "
          f"and {totals} year totals")


def threads() -> int:
    return threading.active_count()


def reloads(count: int) -> None:
    gc.collect()
    print(f"rulebook reloads: start RSS {rss_mib():.0f} MiB, {threads()} threads")
    uz = json.loads((ROOT / "examples" / "uzbek-overstay.json").read_text(encoding="utf-8"))
    for i in range(1, count + 1):
        book = Rulebook(rule_files())
        check(uz, rulebook=book, engine="durable")
        if i % 50 == 0:
            gc.collect()
            print(f"  {i:>4} Rulebook()s: RSS {rss_mib():.0f} MiB, {threads()} threads")
    source = (ROOT / "docs" / "example" / "eaeu-new-contract.yaml").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "extra.yaml"
        for i in range(1, count + 1):
            # a condition edited each time: a new durable-rules definition (a comment alone would reuse the handle)
            path.write_text(source.replace("{overstay_days: 0}", f"{{overstay_days: {i}}}"), encoding="utf-8")
            os.utime(path, ns=(i * 10**9, i * 10**9))
            check(uz, rulebook=rulebook_with([path]), engine="durable")
            if i % 50 == 0:
                gc.collect()
                print(f"  {i:>4} rulebook_with() over an edited file: RSS {rss_mib():.0f} MiB, {threads()} threads, "
                      f"durable handles (alive, idle) {live_rulesets()}")


def concurrent(count: int) -> None:
    uz = json.loads((ROOT / "examples" / "uzbek-overstay.json").read_text(encoding="utf-8"))
    want = check(uz, engine="durable")
    gc.collect()
    before_rss, before_threads = rss_mib(), threads()
    errors: list[str] = []
    wrong = 0
    gate = threading.Barrier(count)

    def work() -> None:
        nonlocal wrong
        try:
            gate.wait()
            if check(uz, engine="durable") != want:
                wrong += 1
        except Exception as e:  # noqa: BLE001 - counted and printed
            errors.append(f"{type(e).__name__}: {e}")

    pool = [threading.Thread(target=work) for _ in range(count)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads inside evaluate(), so sessions are leased at once
    t = time.perf_counter()
    try:
        for th in pool:
            th.start()
        for th in pool:
            th.join()
    finally:
        sys.setswitchinterval(interval)
    took = time.perf_counter() - t
    gc.collect()
    print(f"{count} concurrent checks: {took:.1f} s, errors {len(errors)}, wrong {wrong}"
          f"{' (' + errors[0] + ')' if errors else ''}; RSS {before_rss:.0f} -> {rss_mib():.0f} MiB, "
          f"threads {before_threads} -> {threads()}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trips", type=int, default=10_000)
    p.add_argument("--reloads", type=int, default=200)
    p.add_argument("--threads", type=int, default=2_000)
    args = p.parse_args()
    trips_cost(args.trips)
    far_future()
    reloads(args.reloads)
    concurrent(args.threads)


if __name__ == "__main__":
    main()
