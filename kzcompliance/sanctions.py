"""The sanctions catalogue applied: a KoAP code and the liable subject's tier give the sanction.

Fines are set in MRP by the catalogue row in force on the day the conduct began; they are turned
into tenge at the MRP in force on the check date (brief s.5: the exact legal moment is U, so the
MRP row's own `verified` flag carries into the sanction's).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Mapping, Optional

from .seeds import ReferenceData


def liable_tier(subject: str, fact: Mapping[str, Any]) -> Optional[str]:
    """The fine tier of the liable subject: a foreigner is an individual; a host's or employer's is on the fact."""
    return "individual" if subject == "foreigner" else fact.get("tier")


def sanction_for(ref: ReferenceData, code: str, tier: Optional[str], conduct_on: date, as_of: date,
                 lang: str) -> dict[str, Any]:
    """The fields of the report's Sanction for `code` and `tier` ('unknown' when the case does not say the
    subject's size); the report validates them once, with the rest of the report."""
    row = ref.sanction(code, conduct_on)
    mrp = ref.mrp(as_of)
    fine = row.fine_for(tier)
    fine_mrp = fine.fine_mrp if fine is not None else None
    return {
        "code": row.code, "article": row.article, "part": row.part, "item": row.item, "title": row.title_in(lang),
        "tier": tier or "unknown", "warning": bool(fine and fine.warning), "fine_mrp": fine_mrp,
        "fine_kzt": fine_mrp * mrp.mrp if fine_mrp is not None else None, "mrp": mrp.mrp, "mrp_from": mrp.start,
        "expulsion": row.expulsion, "expulsion_possible": row.expulsion_possible or row.expulsion,
        "entry_ban_years": row.entry_ban_years, "entry_ban_years_if_expelled": row.entry_ban_years_if_expelled,
        "verified": row.verified and mrp.verified, "source": row.source}
