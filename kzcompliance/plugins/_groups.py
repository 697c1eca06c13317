"""Shared by the built-in plugins: a regime decision from the seeds' group table."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

from ..seeds import ReferenceData
from .hookspecs import RegimeDecision, StayTerms


def decide_from_seeds(country: str, on: date, ref: ReferenceData, plugin: str) -> RegimeDecision | None:
    """The decision for `country` on `on` if its seeds group belongs to `plugin`."""
    member = ref.membership(country, on)
    if member is None:
        return None
    group = ref.groups[member.group]
    if group.plugin != plugin:
        return None
    row = ref.terms(member.group, on)
    terms = None
    if row is not None and row.per_entry_days is not None:
        terms = StayTerms(per_entry_days=row.per_entry_days, cap_days=row.cap_days, window_days=row.window_days,
                          cap_from=(row.cap_from or row.start) if row.cap_days else None, source=row.source,
                          verified=row.verified, valid_from=row.start)
    return RegimeDecision(regime=group.regime, group=member.group, terms=terms, plugin=plugin,
                          source=member.source, verified=member.verified and (row.verified if row else True))


def seed_changes(country: str, ref: ReferenceData, parameters: Iterable[str] = ()) -> list[date]:
    """The days a decision from the seeds for `country` may change: where a membership row of it, a
    stay-term row of a group it belongs to, or a row of one of `parameters` begins or ends."""
    members = ref.memberships(country)
    rows = [*members, *(t for g in {m.group for m in members} for t in ref.groups[g].terms),
            *(r for name in parameters for r in ref.parameters.get(name, ()))]
    return [r.start for r in rows] + [r.until + timedelta(days=1) for r in rows if r.until is not None]
