"""A fuzz harness: valid cases mutated into hostile ones, run through `check`, the CLI and `batch`.

The contract it checks (README "Bad input"): `check` returns a Report or raises CaseError; the CLI
exits 0/1 with its output, or 2 with one line on stderr; `batch` writes one line per input line, in
order, each the report `check` gives or `{"line": N, "error": ...}`. Anything else (another
exception, a traceback, a lost or misplaced line) is counted as unexpected, with its first example.

Mutations start from valid cases (the examples, the scenario files, `kzcompliance.testing`
strategies) and change types, dates (at the calendar's and the law tables' edges), nesting, sizes
and encodings, on the parsed case or on its JSON text. `mutate` is driven by a `random.Random`, so a
Hypothesis test can drive it with `st.randoms()` and shrink a failure to its seed.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import random
import re
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from .batch import Options, check_one, run_batch
from .errors import CaseError
from .limits import DATE_MAX, DATE_MIN, MAX_DEPTH, MAX_ITEMS

EDGE_DATES = ("0001-01-01", "9999-12-31", "1900-01-01", DATE_MIN.isoformat(), "1991-12-15", "2014-12-31",
              "2015-01-01", "2023-01-26", "2023-01-27", "2024-02-29", "2023-02-29", "2026-06-30", "2026-07-01",
              DATE_MAX.isoformat(), "2101-01-01", "2026-13-01", "2026-00-10", "26-01-01", "2026/01/01",
              "2026-01-01T00:00:00", " 2026-01-01", "")
ODD_VALUES: tuple[Any, ...] = (None, True, False, 0, -1, 1.5, 10 ** 30, float("inf"), float("nan"), "", " ", "x" * 1200,
                               "\u0000", "\ud800", "Алматы", "🇰🇿", [], {}, [None], {"": None}, "stateless", "KZ",
                               "kaz", "XX", *EDGE_DATES)


def _odd(rng: random.Random) -> Any:
    """One of ODD_VALUES, copied: a later mutation must not change the shared list or dict."""
    return copy.deepcopy(rng.choice(ODD_VALUES))


def seed_cases(root: Path) -> list[dict[str, Any]]:
    """The valid cases to start from: examples/*.json (hire/ and roster/ included) and the scenario files."""
    from .scenarios import jsonable, load_scenarios

    out: list[dict[str, Any]] = []
    for path in sorted((root / "examples").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.extend(data["employees"] if "employees" in data else [data])
    for path in sorted((root / "tests" / "scenarios").glob("*.case.yaml")):
        out.extend(jsonable(s.case) for s in load_scenarios(path))
    return [c for c in out if isinstance(c, dict)]


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON value (the root included)."""
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_nodes(v, (*path, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_nodes(v, (*path, i)))
    return out


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        value = value[p]
    return value


# Values too deep or too long for json.dumps itself stand in the parsed case as placeholders, put
# into the text after it is written.
_PLACEHOLDER = re.compile(r'"@@(nest|digits)(\d+)@@"')


def _expand(text: str) -> str:
    def real(m: re.Match[str]) -> str:
        n = int(m.group(2))
        return "[" * n + "1" + "]" * n if m.group(1) == "nest" else "9" * n
    return _PLACEHOLDER.sub(real, text)


VALID_EDGES = (DATE_MIN.isoformat(), "1991-12-31", "2014-12-31", "2015-01-01", "2023-01-26", "2023-01-27",
               "2024-02-29", "2026-06-30", "2026-07-01", "2099-12-31", DATE_MAX.isoformat())
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _move_a_date(rng: random.Random, case: Any) -> Any:
    """One date of the case moved to an accepted edge (the case often stays valid: the answering paths)."""
    dates = [p for p in _nodes(case) if p and isinstance(_get(case, p), str) and _ISO.fullmatch(_get(case, p))]
    if dates:
        path = rng.choice(dates)
        _get(case, path[:-1])[path[-1]] = rng.choice(VALID_EDGES)
    return case


def _mutate_value(rng: random.Random, case: Any) -> Any:
    """One structural change at a random place of the parsed case."""
    if rng.random() < 0.4:
        return _move_a_date(rng, case)
    paths = _nodes(case)
    path = rng.choice(paths)
    target = _get(case, path)
    kind = rng.randrange(9)
    if not path:
        return _odd(rng) if kind == 0 else case
    parent, key = _get(case, path[:-1]), path[-1]
    if kind <= 2:
        parent[key] = rng.choice(EDGE_DATES) if rng.random() < 0.5 else _odd(rng)
    elif kind == 3 and isinstance(parent, dict):
        del parent[key]
    elif kind == 4:
        depth = rng.choice((2, MAX_DEPTH - 2, MAX_DEPTH + 1, 200, 3000))
        parent[key] = [[target]] if depth == 2 else f"@@nest{depth}@@"
    elif kind == 5 and isinstance(target, list):
        if target and rng.random() < 0.7:
            target.extend(copy.deepcopy(rng.choice(target)) for _ in range(rng.randrange(1, 40)))
        else:
            target.clear()
    elif kind == 6 and isinstance(target, dict):
        target[rng.choice(("unknown", "from", "from_", "as_of", "id", "x" * 300))] = _odd(rng)
    elif kind == 7:
        parent[key] = str(target) if not isinstance(target, str) else [target]
    else:
        parent[key] = f"@@digits{rng.choice((5, 4300, 4301, 6000))}@@" if rng.random() < 0.5 else -(10 ** 20)
    return case


def _mutate_text(rng: random.Random, text: str) -> bytes:
    """One change to the case's JSON text or its encoding."""
    kind = rng.randrange(10)
    if kind == 0:
        return ("\ufeff" + text).encode(errors="surrogatepass")
    if kind == 1:
        return text.encode("utf-16", errors="surrogatepass")
    if kind == 2 and text:
        cut = rng.randrange(len(text))
        return text[:cut].encode(errors="surrogatepass")
    if kind == 3 and text.startswith("{"):
        first_key = text[1:text.find(":") + 1] if ":" in text else '"x":'
        return ("{" + first_key + "1," + text[1:]).encode(errors="surrogatepass")  # the first key twice
    if kind == 4:
        raw = bytearray(text.encode(errors="surrogatepass"))
        for _ in range(rng.randrange(1, 4)):
            if raw:
                raw[rng.randrange(len(raw))] = rng.randrange(256)
        return bytes(raw)
    if kind == 5:
        depth = rng.choice((MAX_DEPTH + 1, 999, 1000, 5000, 100_000))
        return ("[" * depth + "]" * depth).encode()
    if kind == 6:
        return ('{"person": {"citizenship": "UZ"}, "trips": [{"entry": ' + "9" * rng.choice((4300, 4301, 20_000))
                + "}]}").encode()
    if kind == 7:
        return rng.choice((b"", b"   ", b"null", b"[]", b"1", b'"case"', b"{}", b"\xef\xbb\xbf", b"\x00"))
    if kind == 8:
        return text.encode("latin-1", "replace").replace(b"?", b"\xe9")
    return text.encode(errors="surrogatepass")


def mutate(rng: random.Random, case: dict[str, Any]) -> bytes:
    """A hostile variant of `case` as the bytes of one JSON document (no line end inside)."""
    value: Any = copy.deepcopy(case)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        value = _mutate_value(rng, value)
    if rng.random() < 0.002:  # beyond the list limit
        value = dict(value) if isinstance(value, dict) else {}
        value["trips"] = [{"entry": "2026-01-01"}] * (MAX_ITEMS + 1)
    text = _expand(json.dumps(value, ensure_ascii=rng.random() < 0.5))
    data = _mutate_text(rng, text) if rng.random() < 0.2 else text.encode(errors="surrogatepass")
    return data.replace(b"\n", b" ").replace(b"\r", b" ")


@dataclass
class Tally:
    """What a fuzz run saw: cases, how they were answered, and the unexpected outcomes (first of each kind)."""

    cases: int = 0
    reports: int = 0
    case_errors: int = 0
    cli_runs: int = 0
    batch_lines: int = 0
    unexpected: int = 0
    examples: dict[str, str] = field(default_factory=dict)

    def odd(self, kind: str, data: bytes, detail: str) -> None:
        self.unexpected += 1
        self.examples.setdefault(kind, f"{detail}\n  input: {data[:300]!r}")


def _check(data: bytes, tally: Tally) -> None:
    from .limits import loads
    from .pipeline import check

    try:
        case = loads(data)
        check(case)
        tally.reports += 1
    except CaseError as e:
        tally.case_errors += 1
        if "\n" in str(e):
            tally.odd("multi-line CaseError", data, str(e))
    except Exception as e:  # noqa: BLE001 - this is what the harness looks for
        tally.odd(f"check: {type(e).__name__}", data, "".join(traceback.format_exception(e)[-3:]))


# `check`'s exit codes and the verdict each stands for (2 is invalid input, one line on stderr).
EXIT_VERDICT: dict[int, Optional[bool]] = {0: True, 1: False, 3: None}


def _cli(data: bytes, tally: Tally, workdir: Path) -> None:
    from .cli import main

    path = workdir / "case.json"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", str(path), "--format", "json"])
    except BaseException as e:  # noqa: BLE001 - SystemExit included: main returns its code
        tally.odd(f"cli: {type(e).__name__}", data, "".join(traceback.format_exception(e)[-3:]))
        return
    tally.cli_runs += 1
    text = err.getvalue()
    if code == 2:
        if text.count("\n") != 1 or not text.startswith("kzcompliance: invalid input: "):
            tally.odd("cli: exit 2 not one line", data, text[:500])
    elif code in EXIT_VERDICT:
        try:
            verdict = json.loads(out.getvalue())["compliant"]
        except (ValueError, KeyError, TypeError):
            tally.odd("cli: output not a report", data, out.getvalue()[:300])
            return
        if verdict is not EXIT_VERDICT[code]:
            tally.odd(f"cli: exit {code} with compliant {verdict}", data, out.getvalue()[:300])
    else:
        tally.odd(f"cli: exit {code}", data, text[:500])


def _batch(lines: list[bytes], tally: Tally) -> None:
    sink = io.StringIO()
    try:
        run_batch(io.BytesIO(b"".join(line + b"\n" for line in lines)), sink)
    except BaseException as e:  # noqa: BLE001
        tally.odd(f"batch: {type(e).__name__}", lines[0], "".join(traceback.format_exception(e)[-3:]))
        return
    out = sink.getvalue().split("\n")[:-1]  # not splitlines(): U+2028 and the like may stand inside a line
    tally.batch_lines += len(out)
    if len(out) != len(lines):
        tally.odd("batch: lines lost", lines[0], f"{len(lines)} in, {len(out)} out")
        return
    options = Options()
    for n, (line, got) in enumerate(zip(lines, out, strict=True), start=1):
        report, error = check_one(line, options)
        want = report.to_json(indent=None) if report is not None else \
            json.dumps({"line": n, "error": error}, ensure_ascii=False)
        if got != want:
            tally.odd("batch: line differs from check_one", line, f"line {n}: {got[:200]} != {want[:200]}")
        if error.startswith("internal error"):
            tally.odd("batch: internal error", line, error)


def run(inputs: Iterable[bytes], *, cli_every: int = 20, batch_size: int = 200,
        tally: Optional[Tally] = None) -> Tally:
    """Run every input through check (each), the CLI (one in `cli_every`) and batch (in runs of `batch_size`)."""
    tally = tally or Tally()
    pending: list[bytes] = []
    with tempfile.TemporaryDirectory() as tmp:
        for data in inputs:
            tally.cases += 1
            _check(data, tally)
            if cli_every and tally.cases % cli_every == 0:
                _cli(data, tally, Path(tmp))
            pending.append(data)
            if len(pending) >= batch_size:
                _batch(pending, tally)
                pending = []
        if pending:
            _batch(pending, tally)
    return tally
