"""kzcompliance: check a foreign national's stay in Kazakhstan, and their hosts and employers,
against Kazakhstan's migration law, as of a date.

    from kzcompliance import Case, Report, check
    report = check({"as_of": "2026-03-06", "person": {"citizenship": "UZ"},
                    "trips": [{"entry": "2026-02-01"}], "documents": []})
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .batch import check_many
from .case import Case
from .pipeline import build_report, check, evaluate
from .errors import CaseError, KzComplianceError, RuleFileError, SeedError
from .evaluation import Evaluation
from .report import Finding, Obligation, Report, Sanction, Trace, Unchecked, Violation
from .rulebook import Rulebook, default_rulebook, rulebook_with
from .settings import Settings

if TYPE_CHECKING:
    from .hire import HireReport, check_hire
    from .planning import PlanReport, plan
    from .roster import RosterReport, check_roster

__version__ = "0.1.0"

__all__ = ["Case", "CaseError", "Evaluation", "Finding", "HireReport", "KzComplianceError", "Obligation", "PlanReport",
           "Report",
           "RosterReport", "RuleFileError", "Rulebook", "Sanction", "SeedError", "Settings", "Trace", "Unchecked",
           "Violation", "__version__", "build_report", "check", "check_hire", "check_many", "check_roster",
           "default_rulebook", "evaluate", "plan", "rulebook_with"]

# Imported on first use: a check, a batch worker or `kzcompliance check` never needs them (their models
# cost a twentieth of the package's import).
_LAZY = {"HireReport": ".hire", "check_hire": ".hire", "PlanReport": ".planning", "plan": ".planning",
         "RosterReport": ".roster", "check_roster": ".roster"}


def __getattr__(name: str) -> Any:
    """A public name of the hiring, planning or roster checks, imported when first asked for."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value
