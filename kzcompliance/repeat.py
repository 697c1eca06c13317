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

from .case import PriorOffence

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the end of a shorter month (2024-02-29 + 12 months is
    2025-02-28): dateutil's relativedelta(months=...) as plain integer arithmetic, a tenth of its cost and no
    cache (tests compare the two on every day of several years)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = _MONTH_DAYS[month - 1]
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    return date(year, month, min(day.day, last))


class Offences:
    """A case's prior offences under one KoAP article, their decision dates by subject (None: not named):
    gathered once per case, so each repeat or ban question scans only its subject's decisions. Per case, so its
    memo of the repeat windows (a few calendar sums a case asks again for each stay) is never shared."""

    def __init__(self, prior: Optional[list[PriorOffence]], article: int) -> None:
        self.known = prior is not None
        prefix = f"{article}-"
        self.by_subject: dict[Optional[str], list[date]] = {}
        for p in [p.__dict__ for p in prior or []]:  # each offence's fields, read from its dict (as StayFields')
            code: str = p["code"]
            if code.startswith(prefix):
                self.by_subject.setdefault(p["subject_id"], []).append(p["decided_on"])
        # by (subject, months): each decision's (day, last day of its window), as ordinals
        self._windows: dict[tuple[Optional[str], int], list[tuple[int, int]]] = {}

    def is_repeat(self, subject_id: Optional[str], conduct_day: int, window_months: int) -> Optional[bool]:
        """Whether conduct on the ordinal day `conduct_day` by `subject_id` repeats an offence decided within the
        window; None when it cannot be told (prior offences not known, or an offence that does not name whom it was
        imposed on)."""
        if not self.known:
            return None
        if subject_id is not None and subject_id in self.by_subject:
            key = (subject_id, window_months)
            windows = self._windows.get(key)
            if windows is None:
                windows = self._windows[key] = [(d.toordinal(), add_months(d, window_months).toordinal())
                                                for d in self.by_subject[subject_id]]
            for decided, last in windows:
                if decided < conduct_day <= last:
                    return True
        return None if None in self.by_subject else False

    def ban_since(self, subject_id: Optional[str], on: date, months: int) -> Optional[date]:
        """The latest decision of `subject_id` whose ban of `months` covers `on` (the decision day to the same
        day `months` later, both included); None when none does or none is known."""
        found: Optional[date] = None
        for decided in self.by_subject.get(subject_id, ()):
            if decided <= on <= add_months(decided, months) and (found is None or decided > found):
                found = decided
        return found

