"""kzcompliance: check a foreign national's stay in Kazakhstan, and their hosts and employers,
against Kazakhstan's migration law, as of a date.

    from kzcompliance import Case, Report, check
    report = check({"as_of": "2026-03-06", "person": {"citizenship": "UZ"},
                    "trips": [{"entry": "2026-02-01"}], "documents": []})
"""

from .batch import check_many
from .case import Case
from .pipeline import check
from .hire import HireReport, check_hire
from .planning import PlanReport, plan
from .errors import CaseError, KzComplianceError, RuleFileError, SeedError
from .report import Finding, Obligation, Report, Sanction, Trace, Unchecked, Violation
from .roster import RosterReport, check_roster
from .rulebook import Rulebook, default_rulebook, rulebook_with
from .settings import Settings

__version__ = "0.1.0"

__all__ = ["Case", "CaseError", "Evaluation", "Finding", "HireReport", "KzComplianceError", "Obligation", "PlanReport",
           "Report",
           "RosterReport", "RuleFileError", "Rulebook", "Sanction", "SeedError", "Settings", "Trace", "Unchecked",
           "Violation", "__version__", "build_report", "check", "check_hire", "check_many", "check_roster",
           "default_rulebook", "evaluate", "plan", "rulebook_with"]
