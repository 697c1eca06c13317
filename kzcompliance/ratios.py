"""Local-staff ratios: the share of Kazakh citizens in an employer's staff, a condition of IRS permits.

Labour Ministry Order No. 279 (in force 2023-07-01; brief s.4: V figures, P clause):
- Kazakh citizens (`staff[].local`) at least 70% of the staff of categories 1-2 taken together, and
  at least 90% of categories 3-4 (read per group of two categories; per category is the other
  reading, U);
- intra-corporate transferees (`staff[].ict`) at most 50% of the Kazakh staff of their category; they
  are measured by that limit and left out of the 70/90% share (U);
- branches and representative offices (`employers[].branch`) with up to 10 staff in all are exempt.
Seasonal workers and the `ict` and `seasonal` keys of `staff` belong to no group. All thresholds
are seeds parameters, read for the day the ratio is measured. Comparisons are exact integer ones:
the share meets 70% when local x 100 >= 70 x total, i.e. local >= ceil(0.7 x total).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable, Mapping, Optional

from .case import PermitCategory, StaffCount

GROUPS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("1-2", ("1", "2"), "labour.local_share_min_pct_cat_1_2"),
    ("3-4", ("3", "4"), "labour.local_share_min_pct_cat_3_4"),
)
ICT_PARAMETER = "labour.ict_max_pct_of_local"
EXEMPT_PARAMETER = "labour.ratio_exempt_branch_max_staff"

Staff = Mapping[PermitCategory, StaffCount]
Parameter = Callable[[str, date], Optional[int]]


@dataclass(frozen=True)
class StaffRatio:
    """One measured condition: the local share of a group of categories, or the ICT share of one category."""

    measure: str            # local_share or ict
    group: str              # "1-2", "3-4", or the category for ict
    local: int              # Kazakh citizens
    foreign: int            # foreign staff counted (intra-corporate transferees left out of local_share)
    ict: int                # intra-corporate transferees (ict measure)
    pct: int                # the threshold in percent: minimum local share, or maximum ICT share of local
    limit: int              # local_share: the fewest Kazakh staff allowed; ict: the most transferees allowed
    exempt: bool            # a small branch or representative office

    @property
    def total(self) -> int:
        return self.local + self.foreign

    @property
    def ok(self) -> bool:
        if self.exempt:
            return True
        return self.local >= self.limit if self.measure == "local_share" else self.ict <= self.limit

    @property
    def share_permille(self) -> int:
        """Local share in tenths of a percent, rounded down (69.96% is 699, below 70%)."""
        return self.local * 1000 // self.total if self.total else 1000

    @property
    def share_text(self) -> str:
        p = self.share_permille
        return f"{p // 10}.{p % 10}%"


def headcount(staff: Staff) -> int:
    """All staff of every category, local and foreign."""
    return sum(c.local + c.foreign for c in staff.values())


def with_hire(staff: Staff, category: str, ict: bool = False) -> dict[PermitCategory, StaffCount]:
    """The staff after hiring one more foreign worker in `category` (an intra-corporate transferee if `ict`)."""
    out = dict(staff)
    cur = out.get(category, StaffCount(local=0, foreign=0))  # type: ignore[call-overload]
    out[category] = StaffCount(local=cur.local, foreign=cur.foreign + 1,  # type: ignore[index]
                               ict=(cur.ict or 0) + 1 if ict else cur.ict)
    return out


def staff_ratios(staff: Staff, branch: Optional[bool], on: date, parameter: Parameter) -> list[StaffRatio]:
    """The ratios the permit conditions in force on `on` measure; [] before the Order took effect."""
    exempt_max = parameter(EXEMPT_PARAMETER, on)
    exempt = bool(branch) and exempt_max is not None and headcount(staff) <= exempt_max
    out = []
    for group, cats, name in GROUPS:
        pct = parameter(name, on)
        counts = [staff[c] for c in cats if c in staff]  # type: ignore[index]
        local = sum(c.local for c in counts)
        foreign = sum(c.foreign - (c.ict or 0) for c in counts)
        if pct is None or local + foreign == 0:
            continue
        need = -(-(local + foreign) * pct // 100)
        out.append(StaffRatio("local_share", group, local, foreign, 0, pct, need, exempt))
    ict_pct = parameter(ICT_PARAMETER, on)
    if ict_pct is not None:
        for cat, c in staff.items():
            if cat in ("1", "2", "3", "4") and c.ict:
                out.append(StaffRatio("ict", cat, c.local, c.foreign, c.ict, ict_pct, c.local * ict_pct // 100, exempt))
    return out
