"""Speed and scale of kzcompliance, each figure printed beside the floor measured in the same run.

    python benchmarks/bench.py                       # 100,000 cases of each profile (a few minutes on 2 cores)
    python benchmarks/bench.py --cases 5000          # a quick run
    python benchmarks/bench.py --profile enforcement # one profile (national, enforcement, both)
    python benchmarks/bench.py --rss-cases 1000000   # also a 1M-case batch: peak RSS, and a sample re-checked
    BENCH_CPU_TIME=1 python benchmarks/bench.py      # on a shared machine: timed in CPU time, not wall time

Linux only (reads /proc). Figures: cases/s per core of `check` in-process (JSON line in, report
JSON out, one process) and of `kzcompliance batch` end-to-end (a subprocess over a JSON Lines file,
worker processes, start-up included); p50/p99 latency of one in-process `check()` call; the CLI's
cold start for one case; the peak RSS of the batch's largest process. Floors: JSON parse + case model
validation alone (timed in turns with the checks, each engine's check on its own share of the cases so that none
runs on a case another has just checked, and just before and just after each batch, the median
of three batch runs reported, since the machine's speed drifts; a validation's p50 also alone), the
batch's start-up (a batch of 100 lines, whose CPU also gives a batch rate with the start-up left out),
durable-rules posting alone (asserting each case's derived facts and draining what fires), the
interpreter's own start-up, and the batch's peak RSS over the 100 lines. Every figure but the cold
start is given for each profile of `profiles.py` (a national flow with a few percent violating, an
enforcement register where most cases violate several rules), with the issue's targets as ratios to
their floors: batch per core at least 1/3 of parse + validate, check() p50 at most 3x validate p50.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from profiles import CIS, EAEU, PROFILES, cases

import kzcompliance
from kzcompliance import check
from kzcompliance.batch import default_jobs
from kzcompliance.build import compiled_modules
from kzcompliance.pipeline import evaluate, to_case
from kzcompliance.engines import durable_available
from kzcompliance.rulebook import default_rulebook

ROOT = Path(__file__).resolve().parents[1]
# -P: the subprocesses import what this process imports, the installed package; without it `-m` and `-c` put the
# current directory first on sys.path, and a run from the checkout timed its sources (the pure build) instead.
PY = [sys.executable, "-P"]
CLI = [*PY, "-m", "kzcompliance"]
# Subprocesses keep compiled bytecode, as an installed package does (pip compiles it on install).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def num(x: float) -> str:
    """A count with thin-space thousands: 12 345."""
    return f"{x:,.0f}".replace(",", " ")


def rate(n: float, seconds: float) -> str:
    return f"{num(n / seconds)}/s"


def micros(ns: float) -> str:
    return f"{ns / 1000:.1f} µs"


# On a shared machine wall time counts other processes' turns: with CPU=1, every in-process figure
# (throughputs, floors and latencies) is taken in this process's CPU time instead, and a batch's
# throughput in the CPU time of its processes.
CPU = os.environ.get("BENCH_CPU_TIME") == "1"
CLOCK, CLOCK_NS = (time.process_time, time.thread_time_ns) if CPU else (time.perf_counter, time.perf_counter_ns)


def throughput(fn: Callable[[Any], Any], items: list[Any]) -> float:
    """Seconds to run fn over items once (after a short warm-up)."""
    for item in items[:200]:
        fn(item)
    start = CLOCK()
    for item in items:
        fn(item)
    return CLOCK() - start


BLOCK = 100  # lines a turn when a figure and its floor are timed in turns


def turns(names: list[str], count: int) -> Iterator[list[str]]:
    """For each of `count` turns (a block of items, or an item), the figures timed on it, in order: the floor
    (`names[0]`) and one of the others, each other in turn, the floor going first on one of that one's turns and
    second on the next. A check never runs on a case another check has just checked (the second of two checks of
    one case ran about a tenth faster, on the per-date and processor caches the first had warmed), and the floor
    runs as often just before its figure as just after it."""
    floor, others = names[0], names[1:]
    for i in range(count):
        if not others:
            yield [floor]
            continue
        other = others[i % len(others)]
        yield [floor, other] if (i // len(others)) % 2 == 0 else [other, floor]


def interleaved(fns: dict[str, Callable[[Any], Any]], items: list[Any]) -> dict[str, float]:
    """Seconds per item each fn took, the fns taking turns a block of BLOCK items at a time (`turns`; after a short
    warm-up of each): a figure and its floor see the same machine, whose speed drifts by up to a half between
    runs minutes apart, so their ratio does not drift with it. The floor runs on every block, each other fn on
    its share of them."""
    for fn in fns.values():
        for item in items[:200]:
            fn(item)
    spent = dict.fromkeys(fns, 0.0)
    done = dict.fromkeys(fns, 0)
    blocks = [items[i:i + BLOCK] for i in range(0, len(items), BLOCK)]
    for block, order in zip(blocks, turns(list(fns), len(blocks)), strict=True):
        for name in order:
            fn = fns[name]
            start = CLOCK()
            for item in block:
                fn(item)
            spent[name] += CLOCK() - start
            done[name] += len(block)
    return {name: spent[name] / done[name] for name in fns}


def latencies(fns: dict[str, Callable[[Any], Any]], items: list[Any]) -> dict[str, tuple[float, float]]:
    """p50 and p99 in ns of one call of each fn, over items taken in `turns`: the floor on every item, each other fn
    on its share, so a latency and its floor are taken at the same moments."""
    clock = CLOCK_NS
    out: dict[str, list[int]] = {name: [] for name in fns}
    for item, order in zip(items, turns(list(fns), len(items)), strict=True):
        for name in order:
            fn = fns[name]
            t = clock()
            fn(item)
            out[name].append(clock() - t)
    found = {}
    for name, times in out.items():
        q = statistics.quantiles(times, n=100)
        found[name] = (q[49], q[98])
    return found


def _tree(root: int) -> list[int]:
    """`root` and its descendants, from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grown = {root}, True
    while grown:
        more = {pid for pid, ppid in parents.items() if ppid in tree} - tree
        tree |= more
        grown = bool(more)
    return sorted(tree)


def _rss_mib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in MiB; (0, 0) once it is gone."""
    found = {"VmRSS:": 0, "VmHWM:": 0}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                key = line.split(None, 1)[0]
                if key in found:
                    found[key] = int(line.split()[1]) // 1024
    except OSError:
        pass
    return found["VmRSS:"], found["VmHWM:"]


def _children_cpu() -> float:
    """CPU seconds used by this process's finished children and theirs (workers are reaped by the batch)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def jobs_of(cmd: list[str]) -> int:
    return int(cmd[cmd.index("--jobs") + 1]) if "--jobs" in cmd else 1


def run_measured(cmd: list[str], **kw: Any) -> tuple[int, float, int, list[int]]:
    """Run a command, sampling /proc every 0.2 s: (exit code, seconds, peak RSS in MiB of its largest
    process, workers included, and that largest process's RSS at each sample). Seconds are wall
    seconds, or with BENCH_CPU_TIME=1 the CPU seconds of the command's processes over its --jobs."""
    start = time.perf_counter()
    cpu_start = _children_cpu()
    proc = subprocess.Popen(cmd, env=ENV, **kw)
    peak, samples = 0, []
    while True:
        sizes = [_rss_mib(pid) for pid in _tree(proc.pid)]
        peak = max([peak, *(hwm for _rss, hwm in sizes)])
        if any(rss for rss, _hwm in sizes):
            samples.append(max(rss for rss, _hwm in sizes))
        try:
            code = proc.wait(timeout=0.2)
            wall = time.perf_counter() - start
            return code, (_children_cpu() - cpu_start) / jobs_of(cmd) if CPU else wall, peak, samples
        except subprocess.TimeoutExpired:
            continue


def median_wall(cmd: list[str], runs: int = 5) -> float:
    """Median wall time of `runs` runs, after one unmeasured run that writes the bytecode caches."""
    run_measured(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return statistics.median(run_measured(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)[1]
                             for _ in range(runs))


def write_jsonl(path: Path, items: Iterable[dict[str, Any]]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for case in items:
            fh.write(json.dumps(case, ensure_ascii=False) + "\n")
            n += 1
    return n


def row(label: str, value: str, floor: str) -> None:
    print(f"  {label:<44} {value:>16}   floor: {floor}")


def in_process(lines: list[str], engines: list[str], book: Any) -> None:
    """Print the in-process figures, each timed in turns with its floor."""
    print("\ncheck in-process (one process, one core)")
    dicts = [json.loads(line) for line in lines]
    # The checks are timed before anything else meets these cases, so their dates, fact classes and texts are
    # not in any cache yet beyond the warm-up's: a first pass, as a batch of these lines makes it.
    spent = interleaved({"floor": lambda line: to_case(json.loads(line)),
                         **{engine: lambda line, engine=engine: check(json.loads(line), engine=engine).to_json(None)
                            for engine in engines}}, lines)
    t_floor = spent["floor"]  # seconds a line, as every figure of `spent`
    facts = [evaluate(d, engine="python").derived.facts for d in dicts]
    floor_text = f"parse+validate {rate(1, t_floor)}"
    if durable_available():
        durable = book.engine("durable")
        t_post = throughput(durable.evaluate_many, facts)
        per_case = sum(map(len, facts)) / len(facts)
        floor_text += f", durable posting {rate(len(lines), t_post)} ({per_case:.1f} facts/case)"
    for engine in engines:
        row(f"{engine}: cases/s per core (line -> report JSON)", rate(1, spent[engine]),
            f"{t_floor / spent[engine]:.1%} of {floor_text}")
    found = latencies({"validate": to_case, **{engine: lambda d, engine=engine: check(d, engine=engine)
                                              for engine in engines}}, dicts)
    v50, v99 = found["validate"]
    # alone, one validation after another keeps the validator's code and data in the caches, as a check cannot
    alone = latencies({"validate": to_case}, dicts)["validate"][0]
    floor_text = f"validate p50 {micros(v50)} p99 {micros(v99)} in turns with the checks ({micros(alone)} alone)"
    if durable_available():
        p50, p99 = latencies({"post": durable.evaluate_many}, facts)["post"]
        floor_text += f"; durable posting p50 {micros(p50)} p99 {micros(p99)}"
    for engine in engines:
        p50, p99 = found[engine]
        row(f"{engine}: latency of one check() p50 / p99", f"{micros(p50)} / {micros(p99)}",
            f"p50 {p50 / v50:.1f}x (target <= 3x; {p50 / alone:.1f}x validate alone) {floor_text}")


def floor_rate(lines: list[str]) -> float:
    """Parse + validate, lines/s on one core, over `lines`."""
    return len(lines) / throughput(lambda line: to_case(json.loads(line)), lines)


def batch(path: Path, n: int, engines: list[str], jobs: int, sample: list[str], small: Path, runs: int) -> None:
    """Print a batch's throughput per core beside the parse + validate floor timed just before and just after it
    (on `sample`), the median of `runs` such runs by their ratio, with the ratios' range; beside it the rate with
    the start-up left out: the CPU of a batch over `small` (100 lines) taken from the whole run's."""
    print(f"\nkzcompliance batch end-to-end ({num(n)} cases, --jobs {jobs}, start-up included, median of {runs} runs)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        for engine in engines:
            tail = ["--jobs", str(jobs), "--engine", engine]
            _code, start_up, rss_floor, _ = run_measured([*CLI, "batch", str(small), str(out), *tail],
                                                         stderr=subprocess.DEVNULL)
            measured = []  # (ratio to its floor, per core, floor, seconds, peak RSS) of each run
            for _ in range(runs):
                before = floor_rate(sample)
                code, seconds, peak, _samples = run_measured([*CLI, "batch", str(path), str(out), *tail],
                                                             stderr=subprocess.DEVNULL)
                floor = (before + floor_rate(sample)) / 2
                assert code in (0, 1), f"batch failed with exit code {code}"
                per_core = n / jobs / seconds
                measured.append((per_core / floor, per_core, floor, seconds, peak))
            measured.sort()
            ratio, per_core, floor, seconds, _peak = measured[len(measured) // 2]
            steady = (n - SMALL) / jobs / (seconds - start_up)
            spread = f"; runs {measured[0][0]:.1%}-{measured[-1][0]:.1%}" if runs > 1 else ""
            row(f"{engine}: cases/s per core ({rate(n, seconds)} total)", f"{num(per_core)}/s",
                f"{ratio:.1%} (target >= 33%{spread}) of parse+validate {num(floor)}/s per core (timed just "
                f"before and after); start-up left out {num(steady)}/s = {steady / floor:.1%}")
            row(f"{engine}: peak RSS of the largest process", f"{max(m[4] for m in measured)} MiB",
                f"{SMALL} cases {rss_floor} MiB")


def cold_start(example: Path) -> None:
    print("\nCLI cold start")
    floor = median_wall([*PY, "-c", "pass"])
    imp = median_wall([*PY, "-c", "import kzcompliance"])
    wall = median_wall([*CLI, "check", str(example)])
    row(f"kzcompliance check {example.name} (median of 5)", f"{wall:.3f} s",
        f"python start-up {floor:.3f} s, import kzcompliance {imp:.3f} s")


SMALL = 100  # lines of the batch that gives the start-up and memory floors


def write_small(path: Path, profile: str) -> Path:
    write_jsonl(path, cases(profile, SMALL, seed=7))
    return path


def peak_rss(profile: str, n: int, jobs: int, engine: str, sample: int) -> None:
    print(f"\na long batch: throughput at scale and peak RSS (largest process, --jobs {jobs}, {engine}, {profile})")
    with tempfile.TemporaryDirectory() as tmp:
        big, out = Path(tmp) / "big.jsonl", Path(tmp) / "out.jsonl"
        small = write_small(Path(tmp) / "small.jsonl", profile)
        floor = run_measured([*CLI, "batch", str(small), str(out), "--jobs", str(jobs), "--engine", engine],
                             stderr=subprocess.DEVNULL)[2]
        write_jsonl(big, cases(profile, n, seed=11))
        with open(big, encoding="utf-8") as fh:
            sample_lines = list(islice(fh, 5000))
        before = floor_rate(sample_lines)
        code, seconds, peak, samples = run_measured([*CLI, "batch", str(big), str(out), "--jobs", str(jobs),
                                                     "--engine", engine], stderr=subprocess.DEVNULL)
        rate_floor = (before + floor_rate(sample_lines)) / 2
        assert code in (0, 1), f"batch failed with exit code {code}"
        per_core = n / jobs / seconds
        row(f"{num(n)} cases: cases/s per core", f"{num(per_core)}/s",
            f"{per_core / rate_floor:.1%} (target >= 33%) of parse+validate {num(rate_floor)}/s per core (timed just "
            f"before and after)")
        row(f"{num(n)} cases in {num(seconds)} s{' of CPU per core' if CPU else ''}", f"{peak} MiB",
            f"{SMALL} cases {floor} MiB")
        marks = [samples[min(len(samples) - 1, len(samples) * k // 10)] for k in (1, 3, 5, 7, 9)] if samples else []
        print(f"  largest process's RSS at 10/30/50/70/90% of the run: {' / '.join(map(str, marks))} MiB")
        # The same results as check() on a sample of the lines.
        picks = set(random.Random(1).sample(range(n), min(sample, n)))
        checked = 0
        with open(big, encoding="utf-8") as src, open(out, encoding="utf-8") as dst:
            for i, (case_line, report_line) in enumerate(zip(src, dst, strict=True)):
                if i in picks:
                    expected = json.loads(check(json.loads(case_line), engine=engine).to_json())  # as batch writes it
                    assert json.loads(report_line) == expected, f"line {i + 1} differs from check()"
                    checked += 1
        print(f"  output lines re-checked in-process with check(): {num(checked)} of {num(n)}, all identical")


def describe(items: list[dict[str, Any]]) -> str:
    regions = Counter("cis/eaeu" if c["person"]["citizenship"] in EAEU | CIS else "other" for c in items)
    reports = [check(c, engine="python") for c in items[:5000]]
    violating = sum(bool(r.violations) for r in reports)
    return (f"{regions['cis/eaeu'] / len(items):.1%} CIS/EAEU arrivals, "
            f"{violating / len(reports):.1%} with violations, per case "
            f"{sum(len(r.violations) for r in reports) / len(reports):.2f} violations and "
            f"{sum(len(r.obligations) for r in reports) / len(reports):.2f} obligations")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cases", type=int, default=100_000, help="cases of each profile for the throughput figures")
    p.add_argument("--profile", choices=[*PROFILES, "both"], default="both", help="the register's shape (default both)")
    p.add_argument("--jobs", type=int, default=default_jobs(), help="batch worker processes (default: all cores)")
    p.add_argument("--rss-cases", type=int, default=0, help="also run a batch this long for peak RSS (e.g. 1000000)")
    p.add_argument("--sample", type=int, default=2000, help="lines of the RSS run re-checked with check()")
    p.add_argument("--batch-runs", type=int, default=3, help="batch runs per engine, the median reported (default 3)")
    args = p.parse_args()

    engines = (["durable"] if durable_available() else []) + ["python"]
    profiles = list(PROFILES) if args.profile == "both" else [args.profile]
    compiled = compiled_modules()
    build = f"compiled build ({len(compiled)} modules, mypyc)" if compiled else "pure-Python build"
    print(f"kzcompliance benchmark: Python {sys.version.split()[0]}, {build}, {default_jobs()} cores, load average "
          f"{os.getloadavg()[0]:.2f} at start, {num(args.cases)} cases per profile, "
          + ("CPU time (BENCH_CPU_TIME=1)" if CPU else "wall time"))
    loaded = subprocess.run([*PY, "-c", "import kzcompliance; print(kzcompliance.__file__)"], env=ENV,
                            capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == kzcompliance.__file__, f"the subprocesses would time {loaded}, not {kzcompliance.__file__}"
    book = default_rulebook()
    for profile in profiles:
        items = list(cases(profile, args.cases))
        print(f"\n== profile {profile}: {describe(items)}")
        lines = [json.dumps(c, ensure_ascii=False) for c in items]
        in_process(lines, engines, book)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "cases.jsonl"
            write_jsonl(path, items)
            sample = lines[:5000]
            del items, lines
            batch(path, args.cases, engines, args.jobs, sample, write_small(Path(tmp) / "small.jsonl", profile),
                  args.batch_runs)
        if args.rss_cases:
            peak_rss(profile, args.rss_cases, args.jobs, engines[0], args.sample)
    cold_start(ROOT / "examples" / "uzbek-overstay.json")


if __name__ == "__main__":
    main()
