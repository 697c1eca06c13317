"""Differential run: the reports of an old revision and of this checkout, compared line by line.

    python benchmarks/differential.py --old HEAD~3                  # 20,000 cases of each profile
    python benchmarks/differential.py --old main --cases 100000 --engine durable
    python benchmarks/differential.py --old-path /some/other/checkout

Each side runs in its own interpreter with its tree first on sys.path (the old revision is unpacked
with `git archive`, so no worktree of the repository is made) and writes the report JSON of every case
of both profiles of `profiles.py`, on each engine, in all three languages in turn, every tenth case
traced. The outputs must be identical byte for byte; the first differences are printed with the case.
An optimisation that changes no report leaves this at "identical".
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from profiles import PROFILES, cases

ROOT = Path(__file__).resolve().parents[1]

# Run inside each side's interpreter: argv = tree, cases file, output file, engines (comma-separated).
RUNNER = """
import json, sys
tree, src, dst, engines = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
sys.path.insert(0, tree)
import kzcompliance
from kzcompliance import check
assert kzcompliance.__file__.startswith(tree), f"imported {kzcompliance.__file__}, not from {tree}"
langs = ("en", "ru", "kk")
with open(src, encoding="utf-8") as fh, open(dst, "w", encoding="utf-8") as out:
    for i, line in enumerate(fh):
        case = json.loads(line)
        for engine in engines:
            report = check(case, engine=engine, lang=langs[i % 3], trace=i % 10 == 0)
            # a traced report names its rule files: by their path inside the tree, the same on both sides
            out.write(report.model_dump_json().replace(json.dumps(tree + "/")[1:-1], "") + "\\n")
"""


def unpack(rev: str, into: Path) -> Path:
    """The tree of git revision `rev` of this repository, unpacked under `into`."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev],
                             check=True, capture_output=True).stdout
    tar_path = into / "old.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into / "old", filter="data")
    return into / "old"


def run_side(tree: Path, src: Path, dst: Path, engines: list[str]) -> None:
    subprocess.run([sys.executable, "-c", RUNNER, str(tree), str(src), str(dst), ",".join(engines)], check=True)


def differences(a: str, b: str, width: int = 300) -> str:
    """The top-level report fields whose values differ, old and new, each cut to `width` characters."""
    x, y = json.loads(a), json.loads(b)
    return "".join(f"\n  {k}: old {json.dumps(x.get(k))[:width]}\n  {' ' * len(k)}  new {json.dumps(y.get(k))[:width]}"
                   for k in sorted(set(x) | set(y)) if x.get(k) != y.get(k))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    old = p.add_mutually_exclusive_group(required=True)
    old.add_argument("--old", metavar="REV", help="a git revision of this repository")
    old.add_argument("--old-path", type=Path, help="a checkout (a directory holding kzcompliance/, rules/, seeds/)")
    p.add_argument("--new-path", type=Path, default=ROOT, help="the new tree (default: this checkout)")
    p.add_argument("--cases", type=int, default=20_000, help="cases of each profile")
    p.add_argument("--engine", choices=["durable", "python", "both"], default="both")
    p.add_argument("--seed", type=int, default=14)
    p.add_argument("--show", type=int, default=5, help="differences printed")
    args = p.parse_args()

    engines = ["durable", "python"] if args.engine == "both" else [args.engine]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        old_tree = (args.old_path or unpack(args.old, tmp)).resolve()
        src = tmp / "cases.jsonl"
        with open(src, "w", encoding="utf-8") as fh:
            for profile in PROFILES:
                for case in cases(profile, args.cases, seed=args.seed):
                    fh.write(json.dumps(case, ensure_ascii=False) + "\n")
        outs = tmp / "old.jsonl", tmp / "new.jsonl"
        with ThreadPoolExecutor(2) as pool:  # the two sides run at once, one core each
            for job in [pool.submit(run_side, tree, src, out, engines)
                        for tree, out in zip((old_tree, args.new_path.resolve()), outs, strict=True)]:
                job.result()
        differing, total = 0, 0
        with open(src, encoding="utf-8") as case_fh, open(outs[0], encoding="utf-8") as a_fh, \
                open(outs[1], encoding="utf-8") as b_fh:
            for n, case_line in enumerate(case_fh):
                for engine in engines:
                    a, b = a_fh.readline(), b_fh.readline()
                    total += 1
                    if a != b:
                        differing += 1
                        if differing <= args.show:
                            print(f"case {n + 1} ({engine}): {case_line.strip()}{differences(a, b)}")
            assert not a_fh.readline() and not b_fh.readline(), "the two sides wrote different numbers of lines"
    label = args.old or str(args.old_path)
    print(f"{label} vs {args.new_path}: {total:,} reports ({args.cases:,} cases of each of {', '.join(PROFILES)}; "
          f"{', '.join(engines)}; en/ru/kk, every tenth traced): "
          + ("identical" if not differing else f"{differing:,} differ"))
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
