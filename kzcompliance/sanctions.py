"""The sanctions catalogue applied: a KoAP code and the liable subject's tier give the sanction.

Fines are set in MRP by the catalogue row in force on the day the conduct began (the violation's
`since`: an overstay's first day, a notice's first late day); they are turned
into tenge at the MRP in force on the check date (brief s.5: the exact legal moment is U, so the
MRP row's own `verified` flag carries into the sanction's). Past the MRP table's `known_until` the last
MRP is carried forward, unverified, and the sanction's `note` says so.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Mapping, Optional

from .dates import ByKey, date_of_iso
from .report import Sanction
from .seeds import MrpRow, ReferenceData, SanctionRow

if TYPE_CHECKING:
    from .rulebook import CompiledRule
    from .writing import Writing


def liable_tier(subject: str, fact: Mapping[str, Any]) -> Optional[str]:
    """The fine tier of the liable subject: a foreigner is an individual; a host's or employer's is on the fact."""
    return "individual" if subject == "foreigner" else fact.get("tier")


def conduct_on(cr: "CompiledRule", fact: Mapping[str, Any]) -> date:
    """The day the conduct began: the violation's `since` (the catalogue row in force then applies)."""
    return date.fromisoformat(fact[str(cr.rule.since)]) if cr.rule.since else date.fromordinal(fact["on_day"])


def decided(fired: list["CompiledRule"], catalogue: ByKey[SanctionRow],
            fact: dict[str, Any]) -> list[tuple["CompiledRule", "Writing", date, Optional[SanctionRow]]]:
    """Per rule, in the order fired, the compiled rule that decides its outcome, what the write-up reads of it, its
    day (an obligation's due date, else the day the conduct began) and, for a violation, the catalogue row in force
    that day: the first fired grade whose code the catalogue has in force then (a grade's code that was not yet law
    gives way to the next, e.g. the graded overstay of 517 p.3-4 to the single 517 p.1 fine before it); obligations
    and findings: the first. Each rule's day and row are found once, for the write-up and the sanction both.
    `catalogue` is the reference data's by code and date (`ReferenceData.sanction_on`), read once per report."""
    out: list[tuple["CompiledRule", "Writing", date, Optional[SanctionRow]]] = []
    seen: list[str] = []  # the rules decided: a fact fires a few (a list is cheaper to make than a set)
    for cr in fired:
        w = cr.writing
        if w.id in seen:
            continue
        day = date_of_iso(fact[w.day_field])
        row: Optional[SanctionRow] = None
        if w.code is not None:
            row = catalogue.at(w.code, day)  # ReferenceData.sanction_row, natively
            if row is None:
                continue
        seen.append(w.id)
        out.append((cr, w, day, row))
    return out


def deciding(fired: list["CompiledRule"], ref: ReferenceData, fact: dict[str, Any]) -> dict[str, "CompiledRule"]:
    """Per rule id, the compiled rule that decides its outcome (`decided`)."""
    return {w.id: cr for cr, w, _day, _row in decided(fired, ref.sanction_on, fact)}


def sanction_for(row: SanctionRow, tier: Optional[str], at: tuple[MrpRow, Optional[str]],
                 lang: str) -> tuple[Sanction, Optional[int]]:
    """The report's Sanction of catalogue row `row` (the one in force on the day the conduct began) for `tier`
    ('unknown' when the case does not say the subject's size), at `at`: the MRP row in force on the check date and
    the note on carrying it forward (`law_edges.mrp_carried`, the same for every violation of a report); and its
    fine in tenge (None: not known), which the write-up sums (kept beside it: a pydantic model's attribute is not
    read natively).

    It depends only on the row, the tier, the MRP row (and the note) and the language, so each one is validated
    once and the frozen model is shared by every report that carries it."""
    mrp, carried = at
    key = (id(row), tier, id(mrp), carried, lang)  # the entry holds row and mrp, so their ids stay theirs
    found = _PRICED.get(key)
    if found is None:
        if len(_PRICED) >= _PRICED_MAX:
            _PRICED.clear()
        sanction = _sanction(row, tier, mrp, carried, lang)
        found = _PRICED[key] = (row, mrp, sanction, sanction.fine_kzt)
    return found[2], found[3]


_PRICED: dict[tuple[int, Optional[str], int, Optional[str], str],
              tuple[SanctionRow, MrpRow, Sanction, Optional[int]]] = {}
_PRICED_MAX = 4096  # codes x tiers x MRP rows x languages are a few thousand at most; emptied when full


def _sanction(row: SanctionRow, tier: Optional[str], mrp: MrpRow, carried: Optional[str], lang: str) -> Sanction:
    """The Sanction of catalogue row `row` for `tier` at the MRP row `mrp` (`carried`: the note on carrying it)."""
    fine = row.fine_for(tier)
    fine_mrp = fine.fine_mrp if fine is not None else None
    return Sanction.model_validate({
        "code": row.code, "article": row.article, "part": row.part, "item": row.item, "title": row.title_in(lang),
        "tier": tier or "unknown", "warning": bool(fine and fine.warning), "fine_mrp": fine_mrp,
        "fine_kzt": fine_mrp * mrp.mrp if fine_mrp is not None else None, "mrp": mrp.mrp, "mrp_from": mrp.start,
        "expulsion": row.expulsion, "expulsion_possible": row.expulsion_possible or row.expulsion,
        "entry_ban_years": row.entry_ban_years, "entry_ban_years_if_expelled": row.entry_ban_years_if_expelled,
        "verified": row.verified and mrp.verified and carried is None, "source": row.source, "note": carried,
        "invitation_ban_years": fine.invitation_ban_years if fine is not None else 0,
        "arrest_days_max": row.arrest_days_max})
