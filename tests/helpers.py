"""Helpers the test modules share: building cases and reading reports."""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from kzcompliance import Report, check
from kzcompliance.engines import durable_available
from kzcompliance.resources import bundled_dir
from kzcompliance.rulebook import Rulebook, rule_files

# The rule engines available on this interpreter (durable-rules does not import on 3.13+).
ENGINES = ["python"] + (["durable"] if durable_available() else [])


@lru_cache(maxsize=1)
def raw_rulebook() -> Rulebook:
    """The default rules without the decision memo: every fact asked of the engine, so that tests comparing the
    engines compare what each engine decides for every fact."""
    return Rulebook(rule_files(), builtin_dir=bundled_dir("rules"), memoise=False)


def case(citizenship: str, as_of: str, **parts: Any) -> dict[str, Any]:
    """A case dict with `documents`, `employment` and `stays` known to be empty unless given (a list left out
    would leave the verdict undetermined)."""
    out: dict[str, Any] = {"as_of": as_of, "person": {"citizenship": citizenship}, "documents": [], "employment": [],
                           "stays": []}
    out.update(copy.deepcopy(parts))
    return out


def codes(report: Report, rule: str | None = None) -> list[str]:
    """Sanction codes of the report's violations (of one rule, if given)."""
    return [v.sanction.code for v in report.violations if rule is None or v.rule == rule]


def run(c: dict[str, Any], engine: str | None = None, **kw: Any) -> Report:
    return check(c, engine=engine, **kw)
