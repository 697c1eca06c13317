"""Where the law tables begin and end: what a check says about a case item judged on an assumption (before
the law's start, past a table's `known_until`), and the MRP carried forward past its table's end."""

from __future__ import annotations

from datetime import date
from typing import Optional

from .i18n import N_, t, tenge
from .seeds import MrpRow, ReferenceData

# What the report says about a case item judged on an assumption (Context.assume), by kind (translated in the
# catalogues, kzcompliance/i18n).
ASSUMPTION_TEXT = {
    "before_law_start": N_("The trip entered on {entry}, before {start}, where this library's law starts: the days "
                           "from {start} on are judged under the earliest law it holds, as if the person had entered "
                           "on {start}; what rests on that is unverified."),
    "calendar_carried_forward": N_("Working days after {until} are counted without the Government's day-off "
                                   "transfers, which the tables know only until {until}; the deadline is unverified."),
}


def assumption_text(kind: str, lang: str, fields: dict[str, str]) -> str:
    """The report's text for an assumption of `kind`, in `lang`, its fields filled in."""
    return t(lang, ASSUMPTION_TEXT[kind], **fields)


def mrp_carried(ref: ReferenceData, on: date, lang: str) -> tuple[MrpRow, Optional[str]]:
    """The MRP row for `on` and, when `on` is past the table's end, the text saying which MRP was carried forward."""
    row = ref.mrp(on)
    until = ref.known_until("mrp")
    if on <= until:
        return row, None
    return row, t(lang, "the {year} MRP ({mrp}) used for {on_year}: the MRP table is known until {until}",
                  year=row.start.year, mrp=tenge(row.mrp, lang), on_year=on.year, until=until.isoformat())
