"""The command line: `kzcompliance check | rules | schema`.

Exit codes: 0 compliant, 1 violations found, 2 invalid input (one line naming the field).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any, Optional, Sequence

from .dates import parse_iso
from .errors import KzComplianceError


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
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: invalid JSON at line {e.lineno} column {e.colno}: {e.msg}") from None


def _cmd_check(args: argparse.Namespace) -> int:
    from .check import check
    from .render import render_text

    report = check(read_json(args.case), as_of=args.as_of, lang=args.lang, engine=args.engine)
    if args.format == "json":
        sys.stdout.write(report.to_json() + "\n")
    else:
        sys.stdout.write(render_text(report, args.lang))
    return 0 if report.compliant else 1


def _cmd_rules(args: argparse.Namespace) -> int:
    from .rulebook import default_rulebook

    book = default_rulebook()
    on = args.as_of or date.today()
    rules = book.in_force(on)
    if args.format == "json":
        out = [{"id": r.id, "subject": r.subject, "fact": r.fact,
                "sanction": r.sanction if isinstance(r.sanction, str) or r.sanction is None
                else [g.code for g in r.grades], "obligation": r.obligation, "legal_basis": r.legal_basis,
                "effective": {"from": r.effective.start.isoformat(),
                              "until": r.effective.until.isoformat() if r.effective.until else None},
                "verified": r.verified, "file": book.paths[r.id],
                "overridden_by_plugin": r.id in book.overridden} for r in rules]
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return 0
    sys.stdout.write(f"Rules in force on {on.isoformat()}: {len(rules)}\n")
    for r in rules:
        what = r.obligation or ", ".join(dict.fromkeys(g.code for g in r.grades))
        until = r.effective.until.isoformat() if r.effective.until else "..."
        flag = "" if r.verified else "  [unverified]"
        sys.stdout.write(f"\n{r.id}  ({r.subject}; {what}; {r.effective.start.isoformat()} to {until}){flag}\n")
        for basis in r.legal_basis:
            sys.stdout.write(f"    {basis}\n")
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from .case import Case
    from .report import Report

    which = {"case": Case.model_json_schema(by_alias=True), "report": Report.model_json_schema()}
    out = which if args.which == "all" else which[args.which]
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kzcompliance", description="Check a foreign national's stay in Kazakhstan "
                                "against its migration law.")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="check one case (JSON file, or - for stdin)")
    c.add_argument("case")
    c.add_argument("--as-of", type=_date, help="check date (default: the case's as_of, else today)")
    c.add_argument("--format", choices=("json", "text"), default="text")
    c.add_argument("--lang", choices=("ru", "kk", "en"), default="en")
    c.add_argument("--engine", choices=("durable", "python"), default=None,
                   help="rule engine (default: durable where it imports, else python)")
    c.set_defaults(func=_cmd_check)
    r = sub.add_parser("rules", help="list the rules in force with their legal sources")
    r.add_argument("--as-of", type=_date)
    r.add_argument("--format", choices=("json", "text"), default="text")
    r.set_defaults(func=_cmd_rules)
    s = sub.add_parser("schema", help="print the case and report JSON Schemas")
    s.add_argument("which", nargs="?", choices=("all", "case", "report"), default="all")
    s.set_defaults(func=_cmd_schema)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (InputError, KzComplianceError) as e:
        sys.stderr.write(f"kzcompliance: invalid input: {e}\n")
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
