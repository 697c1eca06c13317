"""The command line: `kzcompliance check | explain | batch | roster | hire | rules | schema`.

Exit codes: 0 compliant, 1 violations found, 2 invalid input (one line naming the field). `batch`
returns 0 when every line was checked and compliant, 1 when some case has violations or a line was
not a valid case (its error is in the output), 2 only for bad input to the command itself. `roster`
returns 1 when an employee has a violation or a finding blocks new permits; `hire` returns 0 only when
the hire can go ahead as described (verdict `ready`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Optional, Sequence

from .dates import parse_iso
from .errors import KzComplianceError
from .i18n import LANGS

if TYPE_CHECKING:
    from .batch import Summary


class InputError(Exception):
    """Bad input to the CLI: printed as one line, exit code 2."""


def _date(text: str) -> date:
    try:
        return parse_iso(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def read_json(path: str) -> Any:
    """A JSON document from a file path or '-' (stdin); InputError says what is wrong and where."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: invalid JSON at line {e.lineno} column {e.colno}: {e.msg}") from None


def _cmd_check(args: argparse.Namespace) -> int:
    """`check`, and `explain` (the same with the trace: in the JSON, or as text after the report)."""
    from .pipeline import check
    from .render_trace import render_trace
    from .render import render_text
    from .rulebook import rulebook_with

    report = check(read_json(args.case), as_of=args.as_of, lang=args.lang, engine=args.engine, trace=args.trace,
                   rulebook=rulebook_with(args.rules))
    if args.format == "json":
        sys.stdout.write(report.to_json() + "\n")
    else:
        sys.stdout.write(render_text(report, args.lang))
        if report.trace is not None:
            sys.stdout.write("\n" + render_trace(report.trace, args.lang))
    return 0 if report.compliant else 1


def _cmd_batch(args: argparse.Namespace) -> int:
    """`batch`: a JSON Lines file of cases in, one report or error per line out, the summary on stderr."""
    if "-" not in (args.input, args.output) and os.path.realpath(args.input) == os.path.realpath(args.output):
        raise InputError(f"{args.output}: is the input file; write the reports elsewhere")
    if args.scheduler and args.input == "-":
        raise InputError("-: with --scheduler the input is a path or URL the Dask workers can read")
    with contextlib.ExitStack() as stack:
        source = None
        if not args.scheduler:
            try:
                source = (open(sys.stdin.fileno(), "rb", closefd=False) if args.input == "-"
                          else stack.enter_context(open(args.input, "rb")))
            except OSError as e:
                raise InputError(f"{args.input}: cannot read: {e.strerror}") from None
        try:
            sink = stack.enter_context(open(sys.stdout.fileno() if args.output == "-" else args.output, "w",
                                            encoding="utf-8", newline="\n", closefd=args.output != "-"))
        except OSError as e:
            raise InputError(f"{args.output}: cannot write: {e.strerror}") from None
        summary = _batch_on_cluster(args, sink, stack) if source is None else _batch_here(args, source, sink, stack)
    sys.stderr.write(summary.to_text(args.lang))
    return 0 if summary.all_compliant else 1


def _batch_here(args: argparse.Namespace, source: IO[bytes], sink: IO[str],
                stack: contextlib.ExitStack) -> "Summary":
    from .batch import default_jobs, run_batch
    from .progress import ProgressBar

    size = os.fstat(source.fileno()).st_size if args.input != "-" else None
    bar = ProgressBar(sys.stderr, size, lang=args.lang) if sys.stderr.isatty() else None
    if bar is not None:
        stack.callback(bar.close)
    return run_batch(source, sink, as_of=args.as_of, lang=args.lang, engine=args.engine,
                     jobs=args.jobs or default_jobs(), progress=bar)


def _batch_on_cluster(args: argparse.Namespace, sink: IO[str], stack: contextlib.ExitStack) -> "Summary":
    from .progress import ProgressBar

    try:
        from distributed import Client

        from .dask_batch import run_batch
    except ImportError:
        raise InputError("--scheduler: needs the dask extra: pip install 'kzcompliance[dask]'") from None
    try:
        client = stack.enter_context(Client(args.scheduler))
    except OSError as e:
        raise InputError(f"--scheduler: cannot connect to {args.scheduler}: {e}") from None
    bar = ProgressBar(sys.stderr, None, lang=args.lang) if sys.stderr.isatty() else None
    if bar is not None:
        stack.callback(bar.close)
    try:
        return run_batch(args.input, sink, client=client, as_of=args.as_of, lang=args.lang, engine=args.engine,
                         progress=bar)
    except FileNotFoundError:
        raise InputError(f"{args.input}: the Dask workers cannot read it") from None


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of worker processes")
    return n


def _cmd_rules(args: argparse.Namespace) -> int:
    from .i18n.legal import legal_basis
    from .render_rules import render_rules
    from .rulebook import default_rulebook

    book = default_rulebook()
    on = args.as_of or date.today()
    rules = book.in_force(on)
    if args.format == "json":
        out = [{"id": r.id, "subject": r.subject, "fact": r.fact,
                "sanction": r.sanction if isinstance(r.sanction, str) or r.sanction is None
                else [g.code for g in r.grades], "obligation": r.obligation, "finding": r.finding,
                "legal_basis": [legal_basis(b, args.lang) for b in r.legal_basis],
                "effective": {"from": r.effective.start.isoformat(),
                              "until": r.effective.until.isoformat() if r.effective.until else None},
                "verified": r.verified, "file": book.paths[r.id],
                "overridden_by_plugin": r.id in book.overridden} for r in rules]
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return 0
    sys.stdout.write(render_rules(rules, on, args.lang))
    return 0


def _cmd_roster(args: argparse.Namespace) -> int:
    """`roster`: one employer and its foreign employees' cases; 1 when a violation or a blocked permit is found."""
    from .render_employer import render_roster
    from .roster import check_roster

    report = check_roster(read_json(args.roster), as_of=args.as_of, lang=args.lang, engine=args.engine)
    sys.stdout.write(report.to_json() + "\n" if args.format == "json" else render_roster(report, args.lang))
    return 0 if report.compliant and not report.permits_blocked else 1


def _cmd_hire(args: argparse.Namespace) -> int:
    """`hire`: the pre-check of a planned hire; 0 only when it can go ahead as described."""
    from .hire import check_hire
    from .render_employer import render_hire

    report = check_hire(read_json(args.case), start=args.start, end=args.end, employer=args.employer,
                        category=args.category, region=args.region, lang=args.lang, engine=args.engine)
    sys.stdout.write(report.to_json() + "\n" if args.format == "json" else render_hire(report, args.lang))
    return 0 if report.verdict == "ready" else 1


def _cmd_schema(args: argparse.Namespace) -> int:
    from .case import Case
    from .report import Report

    which = {"case": Case.model_json_schema(by_alias=True), "report": Report.model_json_schema()}
    out = which if args.which == "all" else which[args.which]
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    return 0


def _language_and_engine(p: argparse.ArgumentParser, *, output: bool) -> None:
    """The options every checking command shares: messages' language, rule engine, and (`output`) format."""
    if output:
        p.add_argument("--format", choices=("json", "text"), default="text")
    p.add_argument("--lang", choices=LANGS, default="en", help="language of the text and messages")
    p.add_argument("--engine", choices=("durable", "python"), default=None,
                   help="rule engine (default: durable where it imports, else python)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kzcompliance", description="Check a foreign national's stay in Kazakhstan "
                                "against its migration law.")
    sub = p.add_subparsers(dest="command", required=True)
    for name, traced, text in (("check", False, "check one case (JSON file, or - for stdin)"),
                               ("explain", True, "check one case and show, per outcome and per fact, the rules, "
                                                 "conditions, facts and figures of law used")):
        c = sub.add_parser(name, help=text)
        c.add_argument("case")
        c.add_argument("--as-of", type=_date, help="check date (default: the case's as_of, else today)")
        _language_and_engine(c, output=True)
        c.add_argument("--rules", action="append", default=[], metavar="FILE",
                       help="an extra rule file (repeatable); a rule with a built-in rule's id replaces it")
        c.set_defaults(func=_cmd_check, trace=traced)
    b = sub.add_parser("batch", help="check a JSON Lines file of cases (- for stdin) into a JSON Lines file of "
                                     "reports (- for stdout), one line per input line, in worker processes")
    b.add_argument("input", help="JSON Lines, one case per line (- for stdin)")
    b.add_argument("output", help="JSON Lines, the report or {\"line\": N, \"error\": ...} per input line "
                                  "(- for stdout); the summary goes to stderr")
    b.add_argument("--jobs", "-j", type=_jobs, default=None, help="worker processes (default: all cores)")
    b.add_argument("--as-of", type=_date, help="check date for every case (default: each case's as_of, else today)")
    _language_and_engine(b, output=False)
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on the Dask cluster at ADDRESS (e.g. tcp://host:8786; needs kzcompliance[dask]) "
                        "instead of local worker processes; INPUT must then be readable by the workers")
    b.set_defaults(func=_cmd_batch)
    r = sub.add_parser("rules", help="list the rules in force with their legal sources")
    r.add_argument("--as-of", type=_date)
    r.add_argument("--format", choices=("json", "text"), default="text")
    r.add_argument("--lang", choices=LANGS, default="en", help="language of the listing and the legal bases")
    r.set_defaults(func=_cmd_rules)
    ro = sub.add_parser("roster", help="check one employer's roster (JSON: employer and its employees' cases)")
    ro.add_argument("roster")
    ro.add_argument("--as-of", type=_date, help="check date for every employee (default: the roster's, else each "
                                                "case's, else today)")
    h = sub.add_parser("hire", help="pre-check hiring the case's person: permit, stay, local-staff ratio, fines")
    h.add_argument("case")
    h.add_argument("--start", type=_date, required=True, help="the planned first day of work")
    h.add_argument("--end", type=_date, default=None, help="the planned last day (default: open-ended)")
    h.add_argument("--employer", required=True, help="the employer's id among the case's employers[]")
    h.add_argument("--category", choices=("1", "2", "3", "4", "seasonal", "ict"), default=None,
                   help="the position's IRS category (required for a legal entity)")
    h.add_argument("--region", default=None, help="the region of work (checked against a permit's region)")
    for cmd in (ro, h):
        _language_and_engine(cmd, output=True)
    ro.set_defaults(func=_cmd_roster)
    h.set_defaults(func=_cmd_hire)
    s = sub.add_parser("schema", help="print the case and report JSON Schemas")
    s.add_argument("which", nargs="?", choices=("all", "case", "report"), default="all")
    s.set_defaults(func=_cmd_schema)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (InputError, KzComplianceError) as e:
        from .i18n.errors import error_text

        lang = getattr(args, "lang", "en")
        sys.stderr.write(f"kzcompliance: {error_text(e, lang)}\n")
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
