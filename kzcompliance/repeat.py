"""Repeat offences: new conduct within a year after a sanction under the same KoAP article.

KoAP 518 p.3 aggravates a host's offence committed again within a year (brief s.5, P). The year is
counted with calendar arithmetic from `prior_offences[].decided_on` (the Code counts from when the
sanction was imposed; U), the anniversary day included: a decision of 2025-03-01 makes conduct up to
2026-03-01 a repeat, so 364 days later is one and 366 days later is not. The window's length is the
seeds parameter `koap.repeat_window_months`.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import Optional

from .case import PriorOffence


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, clipped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


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
        window_end = add_months(p.decided_on, window_months)
        if p.subject_id == subject_id and p.decided_on < conduct_on <= window_end:
            return True
    return None if unknown else False
