"""Errors the library raises: each names the field, file or rule at fault."""

from __future__ import annotations

import re

from pydantic import ValidationError

_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*(\.[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*)*")


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
