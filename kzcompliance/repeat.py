"""Prior offences: new conduct within a year after a sanction under the same KoAP article (a repeat),
and the months a decision bars its subject from something (an employer's 519 decision, new IRS permits).

KoAP 518 p.3 aggravates a host's offence committed again within a year (brief s.5, P). The year is
counted with calendar arithmetic from `prior_offences[].decided_on` (the Code counts from when the
sanction was imposed; U), the anniversary day included: a decision of 2025-03-01 makes conduct up to
2026-03-01 a repeat, so 364 days later is one and 366 days later is not. The window's length is the
seeds parameter `koap.repeat_window_months`.
"""

from __future__ import annotations

from datetime import date
from typing import Optional

from dateutil.relativedelta import relativedelta

from .case import PriorOffence


def is_repeat(prior: Optional[list[PriorOffence]], article: int, subject_id: Optional[str], conduct_on: date,
              window_months: int) -> Optional[bool]:
    """Whether conduct on `conduct_on` by `subject_id` repeats an `article` offence decided within the window.

    None when it cannot be told: prior offences not known, or a prior offence under the article that
    does not name whom it was imposed on.
    """
    if prior is None:
        return None
    unknown = False
    for p in prior:
        if not p.code.startswith(f"{article}-"):
            continue
        if p.subject_id is None:
            unknown = True
            continue
        window_end = p.decided_on + relativedelta(months=window_months)
        if p.subject_id == subject_id and p.decided_on < conduct_on <= window_end:
            return True
    return None if unknown else False


def ban_since(prior: Optional[list[PriorOffence]], article: int, subject_id: Optional[str], on: date,
              months: int) -> Optional[date]:
    """The decision date of the latest `article` offence of `subject_id` whose ban of `months` covers `on`
    (the decision day to the same day `months` later, both included); None when none does or none is known."""
    found = None
    for p in prior or []:
        if p.code.startswith(f"{article}-") and p.subject_id == subject_id and p.decided_on <= on <= (
                p.decided_on + relativedelta(months=months)):
            found = p.decided_on if found is None else max(found, p.decided_on)
    return found
