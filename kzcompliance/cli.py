"""The command line: `kzcompliance check | explain | batch | roster | hire | rules | law | schema | plan | serve`.

Exit codes: 0 compliant, 1 violations found, 2 invalid input (one line naming the field), 3 undetermined
(no violation found, but a check that could find one could not run). `batch` returns 1 when some case
has violations or a line was not a valid case (its error is in the output), else 3 when some case is
undetermined, else 0; 2 only for bad input to the command itself. `roster` returns 1 when an employee
has a violation or a finding blocks new permits, else 3 when an employee is undetermined, else 0;
`hire` returns 0 only when the hire can go ahead as described (verdict `ready`), 3 when it is
`undetermined`, else 1; `plan` returns 1 when a planned trip overstays or no entry gives the days asked
for.
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
from . import __version__, limits
from .errors import CaseError, KzComplianceError
from .i18n import LANGS

if TYPE_CHECKING:
    from .batch import Summary


SCHEDULER_TIMEOUT_S = 5  # how long `batch --scheduler` tries to reach the scheduler (Dask's default: 30 s)


class InputError(Exception):
    """Bad input to the CLI: printed as one line, exit code 2."""


def _date(text: str) -> date:
    try:
        return parse_iso(text)  # the format only: the library checks the range (one line, exit 2)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def read_json(path: str) -> Any:
    """A JSON document from a file path or '-' (stdin); InputError says what is wrong and where."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None
    try:
        return limits.loads(data)  # the limits batch applies to each line: UTF-8, BOM allowed, no duplicate keys
    except CaseError as e:
        raise InputError(f"{path}: {e}") from None


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
    return report.exit_code


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
    return summary.exit_code


def _batch_here(args: argparse.Namespace, source: IO[bytes], sink: IO[str],
                stack: contextlib.ExitStack) -> "Summary":
    from .batch import default_jobs, run_batch, worker_count
    from .progress import ProgressBar

    if args.jobs and worker_count(args.jobs) < args.jobs:
        sys.stderr.write(f"kzcompliance: --jobs {args.jobs}: using {worker_count(args.jobs)}, one worker per core\n")

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
        client = stack.enter_context(Client(args.scheduler, timeout=SCHEDULER_TIMEOUT_S))
    except Exception as e:  # noqa: BLE001 - refused, timed out, not an address, or Dask failing to start its loop
        raise InputError(f"--scheduler: cannot connect to {args.scheduler}: {str(e) or type(e).__name__}") from None
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


def rules_json(on: date, lang: str = "en") -> list[dict[str, Any]]:
    """`rules --format json` (and the service's /v1/rules): the rules in force on `on`, their legal bases in `lang`."""
    from .i18n.legal import legal_basis
    from .rulebook import default_rulebook

    book = default_rulebook()
    return [{"id": r.id, "subject": r.subject, "fact": r.fact,
             "sanction": r.sanction if isinstance(r.sanction, str) or r.sanction is None
             else [g.code for g in r.grades], "obligation": r.obligation, "finding": r.finding,
             "legal_basis": [legal_basis(b, lang) for b in r.legal_basis],
             "effective": {"from": r.effective.start.isoformat(),
                           "until": r.effective.until.isoformat() if r.effective.until else None},
             "verified": r.verified, "file": book.paths[r.id],
             "overridden_by_plugin": r.id in book.overridden} for r in book.in_force(on)]


def _cmd_rules(args: argparse.Namespace) -> int:
    from .render_rules import render_rules
    from .rulebook import default_rulebook

    if args.fields:
        return _print_fields(args.format, args.lang)
    on = args.as_of or date.today()
    if args.format == "json":
        sys.stdout.write(json.dumps(rules_json(on, args.lang), ensure_ascii=False, indent=2) + "\n")
        return 0
    sys.stdout.write(render_rules(default_rulebook().in_force(on), on, args.lang))
    return 0


def _print_fields(fmt: str, lang: str) -> int:
    """`rules --fields`: the fact-field glossary (what a rule can read), as text, JSON or docs/facts.md's Markdown;
    its meanings in `lang` (JSON: every language)."""
    from .glossary import glossary, glossary_markdown
    from .i18n import t

    if fmt == "markdown":
        sys.stdout.write(glossary_markdown(lang) + "\n")
    elif fmt == "json":
        sys.stdout.write(json.dumps([{"kind": e.kind, "field": e.name, "type": e.type, "unit": e.unit,
                                      "meaning": e.meaning, "parameter": e.parameter} for e in glossary()],
                                    ensure_ascii=False, indent=2) + "\n")
    else:
        kind = ""
        for e in glossary():
            if e.kind != kind:
                kind = e.kind
                sys.stdout.write("\n" + t(lang, "{kind} facts", kind=kind) + "\n")
            param = f"  [{e.parameter}]" if e.parameter else ""
            sys.stdout.write(f"  {e.name} ({e.type}, {e.unit}): {e.meaning[lang]}{param}\n")
    return 0


def _cmd_law(args: argparse.Namespace) -> int:
    """`law`: until when each table of law is known, and every unverified figure with its source."""
    from .coverage import law_coverage, render_coverage
    from .rulebook import default_rulebook
    from .seeds import reference

    cov = law_coverage(reference(), default_rulebook().rules)
    sys.stdout.write(json.dumps(cov, ensure_ascii=False, indent=2) + "\n" if args.format == "json"
                     else render_coverage(cov))
    return 0


def _cmd_roster(args: argparse.Namespace) -> int:
    """`roster`: one employer and its foreign employees' cases; 1 when a violation or a blocked permit is found."""
    from .render_employer import render_roster
    from .roster import check_roster

    report = check_roster(read_json(args.roster), as_of=args.as_of, lang=args.lang, engine=args.engine)
    sys.stdout.write(report.to_json() + "\n" if args.format == "json" else render_roster(report, args.lang))
    return 1 if report.compliant is False or report.permits_blocked else 3 if report.compliant is None else 0


def _cmd_hire(args: argparse.Namespace) -> int:
    """`hire`: the pre-check of a planned hire; 0 only when it can go ahead as described."""
    from .hire import check_hire
    from .render_employer import render_hire

    report = check_hire(read_json(args.case), start=args.start, end=args.end, employer=args.employer,
                        category=args.category, region=args.region, lang=args.lang, engine=args.engine)
    sys.stdout.write(report.to_json() + "\n" if args.format == "json" else render_hire(report, args.lang))
    return {"ready": 0, "undetermined": 3}.get(report.verdict, 1)


def schemas() -> dict[str, Any]:
    """The JSON Schemas of the case, the report, a rule file and each YAML seed file (by file name)."""
    from .case import Case
    from .report import Report
    from .rulebook import RuleFile
    from .seeds import SEED_FILE_MODELS

    return {"case": Case.model_json_schema(by_alias=True), "report": Report.model_json_schema(),
            "rule": RuleFile.model_json_schema(by_alias=True),
            "seeds": {name: m.model_json_schema(by_alias=True) for name, m in SEED_FILE_MODELS.items()}}


def schema_files() -> dict[str, str]:
    """Each schema as the file `schema --write` makes: case, report, rule and seeds-<file> .schema.json."""
    which = schemas()
    named = {k: v for k, v in which.items() if k != "seeds"}
    named.update({f"seeds-{name.removesuffix('.yaml')}": v for name, v in which["seeds"].items()})
    return {f"{k}.schema.json": json.dumps(v, ensure_ascii=False, indent=2) + "\n" for k, v in named.items()}


def _cmd_plan(args: argparse.Namespace) -> int:
    """`plan`: how long the person may stay, the earliest entry for N days, a travel plan checked; 0 when every
    planned trip is lawful, 1 when one is not or a planned entry gives fewer days than asked."""
    from .planning import plan
    from .planning.render import render_plan

    report = plan(read_json(args.case), enter=args.enter, days=args.days, trips=args.trip, as_of=args.as_of,
                  lang=args.lang, engine=args.engine)
    sys.stdout.write(report.to_json() + "\n" if args.format == "json" else render_plan(report, args.lang))
    short = report.earliest is not None and report.earliest.date is None
    return 1 if short or any(t.lawful is False for t in report.itinerary) else 0


def _cmd_schema(args: argparse.Namespace) -> int:
    if args.write:
        out_dir = Path(args.write)
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, text in schema_files().items():
            (out_dir / name).write_text(text, encoding="utf-8")
        return 0
    which = schemas()
    out = which if args.which == "all" else which[args.which]
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    """`serve`: the HTTP service and its page, until interrupted (SIGINT/SIGTERM stop it gracefully)."""
    try:
        from .server.run import serve
    except ImportError:
        raise InputError("serve: needs the server extra: pip install 'kzcompliance[server]'") from None
    serve(args.host, args.port, args.workers)
    return 0


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535; 0 picks a free one)")
    return int(text)


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
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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
    b.add_argument("--jobs", "-j", type=_jobs, default=None,
                   help="worker processes (default and at most: one per core)")
    b.add_argument("--as-of", type=_date, help="check date for every case (default: each case's as_of, else today)")
    _language_and_engine(b, output=False)
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on the Dask cluster at ADDRESS (e.g. tcp://host:8786; needs kzcompliance[dask]) "
                        "instead of local worker processes; INPUT must then be readable by the workers")
    b.set_defaults(func=_cmd_batch)
    r = sub.add_parser("rules", help="list the rules in force with their legal sources")
    r.add_argument("--as-of", type=_date)
    r.add_argument("--format", choices=("json", "text", "markdown"), default="text")
    r.add_argument("--fields", action="store_true",
                   help="list the fact fields rules can read: meaning, unit, the seeds parameter behind each")
    r.add_argument("--lang", choices=LANGS, default="en", help="language of the listing and the legal bases")
    r.set_defaults(func=_cmd_rules)
    lw = sub.add_parser("law", help="the law's coverage: until when each table (MRP, calendar, quotas) is known, "
                                    "and every unverified figure with its source")
    lw.add_argument("--format", choices=("json", "text"), default="text")
    lw.set_defaults(func=_cmd_law)
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
    pl = sub.add_parser("plan", help="plan stays: how long after an entry, the earliest entry for N days, "
                                     "a travel plan checked, and the rolling window day by day")
    pl.add_argument("case")
    pl.add_argument("--enter", type=_date, help="a planned entry day: how long may they stay")
    pl.add_argument("--days", type=int, help="the earliest entry (on or after --enter, else as_of) giving "
                                                   "this many lawful days in a row")
    pl.add_argument("--trip", action="append", default=[], metavar="ENTRY[:EXIT]",
                    help="a planned trip after the case's trips (repeatable, in order; no EXIT: open-ended)")
    pl.add_argument("--as-of", type=_date, help="today (default: the case's as_of, else today); a stay under way "
                                                "is taken to end on it")
    _language_and_engine(pl, output=True)
    pl.set_defaults(func=_cmd_plan)
    s = sub.add_parser("schema", help="print the JSON Schemas of the case, the report, rule files and seed files")
    s.add_argument("which", nargs="?", choices=("all", "case", "report", "rule", "seeds"), default="all")
    s.add_argument("--write", metavar="DIR", help="write each schema as DIR/<name>.schema.json (docs/schemas/ holds "
                                                   "them for editors: the rule and seed files name theirs)")
    s.set_defaults(func=_cmd_schema)
    sv = sub.add_parser("serve", help="run the HTTP service (/v1/...) and its page (/) (needs kzcompliance[server]); "
                                      "KZCOMPLIANCE_TOKEN, if set, is the bearer token /v1/ requires")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    sv.add_argument("--port", type=_port, default=8000)
    sv.add_argument("--workers", type=_jobs, default=1, help="worker processes (default: 1)")
    sv.set_defaults(func=_cmd_serve)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run one command of the command line; its exit code (tests and `fuzzing` call this in-process)."""
    return _run_command(build_parser().parse_args(argv))


def run() -> None:
    """The `kzcompliance` program: main() over sys.argv, then the process ends at once, its output flushed.

    Tearing down an interpreter's heap, which nothing reads again, cost about a tenth of a second of CPU: a
    twelfth of `check`'s cold start, more after a batch (its workers already end this way). Only `serve` and
    `batch --scheduler` exit the usual way, since uvicorn and Dask's client finish their work in exit handlers.
    """
    args = build_parser().parse_args()
    code = _run_command(args, flush=True)
    if args.func is _cmd_serve or getattr(args, "scheduler", None):
        sys.exit(code)
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(code)


def _run_command(args: argparse.Namespace, flush: bool = False) -> int:
    """args.func's exit code; 2 with one line on stderr for bad input; 0 once the reader of the output has gone
    (`| head`), also when that shows only at the final flush of the output (`flush`)."""
    try:
        code = int(args.func(args))
        if flush:
            sys.stdout.flush()
        return code
    except (InputError, KzComplianceError) as e:
        from .i18n.errors import error_text

        lang = getattr(args, "lang", "en")
        sys.stderr.write(f"kzcompliance: {error_text(e, lang)}\n")
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    run()
