"""kzcompliance: check a foreign national's stay in Kazakhstan, and their hosts and employers,
against Kazakhstan's migration law, as of a date.

    from kzcompliance import Case, Report, check
    report = check({"as_of": "2026-03-06", "person": {"citizenship": "UZ"},
                    "trips": [{"entry": "2026-02-01"}], "documents": []})
"""

from .batch import check_many
from .case import Case
from .check import check
from .hire import HireReport, check_hire
from .errors import CaseError, KzComplianceError, RuleFileError, SeedError
from .report import Obligation, Report, Sanction, Unchecked, Violation
from .roster import RosterReport, check_roster
from .settings import Settings

__version__ = "0.1.0"

__all__ = ["Case", "CaseError", "KzComplianceError", "Obligation", "Report", "RuleFileError", "Sanction",
           "SeedError", "Settings", "Unchecked", "Violation", "check", "check_hire", "check_many", "check_roster",
           "HireReport", "RosterReport", "__version__"]
