"""Errors the library raises: each names the field, file or rule at fault."""

from __future__ import annotations

import re

from pydantic import ValidationError

_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*(\.[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*)*")


# The problems the input boundary (limits.py) reports, in English, kept here in one place so they can
# be translated: problem(key, **values) fills one in.
PROBLEMS: dict[str, str] = {
    "not_a_date": "expected an ISO date YYYY-MM-DD (or a date), got {value!r}",
    "not_a_real_date": "{value!r} is not a real calendar date",
    "date_out_of_range": "{value} is outside the dates this library accepts ({lo} to {hi})",
    "not_utf8": "not UTF-8 text",
    "invalid_json": "invalid JSON at line {line} column {column}: {msg}",
    "too_deep": "JSON nested deeper than {limit} levels",
    "number_too_long": "a number with more than {limit} digits",
    "duplicate_key": "duplicate key {key!r} in one JSON object",
    "line_too_long": "line longer than {limit} bytes",
    "body_too_large": "{n} bytes is over the limit of {limit}",  # the service's request body, by Content-Length
    "body_over_limit": "over the limit of {limit} bytes",  # ... and as it arrives
    "empty_line": "empty line: expected a case (a JSON object)",
    "not_an_object": "a case is a JSON object, not {kind}",
    "unknown_offence": "{code!r} is not a KoAP code of the sanctions catalogue (e.g. 518-1, 517-3.2)",
    "category_for_household": "an individual (household) employer hires on a labour-immigrant permit, which has "
                              "no IRS category: leave the category out",
}


def problem(name: str, **values: object) -> str:
    """The English text of the boundary problem `name`, its placeholders filled from `values`."""
    return PROBLEMS[name].format(**values)


class KzComplianceError(Exception):
    """Base of the library's own errors."""


class CaseError(KzComplianceError, ValueError):
    """An invalid case: `field` is the dotted path (e.g. ``trips[1].exit``), `problem` says why."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}" if field else problem)

    def __reduce__(self) -> tuple[type["CaseError"], tuple[str, str]]:
        # Rebuilt from (field, problem), not from the message: it crosses to and from worker processes.
        return (type(self), (self.field, self.problem))

    @classmethod
    def from_validation(cls, err: ValidationError) -> "CaseError":
        """The first pydantic error as a CaseError naming its field."""
        first = err.errors(include_url=False)[0]
        field = format_loc(first["loc"])
        msg = str(first["msg"])
        for prefix in ("Value error, ", "Assertion failed, "):
            if msg.startswith(prefix):
                msg = msg[len(prefix):]
        # Cross-field errors raised by model validators carry their own "path: problem" text.
        head, sep, tail = msg.partition(": ")
        if sep and _PATH.fullmatch(head):
            field = f"{field}.{head}" if field else head
            msg = tail
        return cls(field, msg)


class RuleFileError(KzComplianceError):
    """A rule file that does not load: names the file and the rule id."""

    def __init__(self, path: str, rule_id: str | None, problem: str) -> None:
        self.path = path
        self.rule_id = rule_id
        self.problem = problem
        where = f"{path}: rule {rule_id}" if rule_id else path
        super().__init__(f"{where}: {problem}")


class SeedError(KzComplianceError):
    """A reference-data file in seeds/ that does not load: names the file and row."""


def format_loc(loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic location tuple into ``trips[1].exit``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
