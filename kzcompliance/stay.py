"""The stay-limit logic: for each trip, its last lawful day and overstay.

A day of a trip is lawful when a stay document (visa, residence permit, ...) or a plugin's basis
(the EAEU worker's contract) covers it, or when it is within the visa-free term of the entry and,
where the regime has a rolling cap (90/180, 42/180), the visa-free days in the window ending that
day stay within the cap. The cap counts only trips that began on or after the cap's start
(2023-01-27 for most regimes) and never days a document covers. The last lawful day ends the first
unbroken run of lawful days from the entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from .case import Trip
from .context import Context
from .dates import FAR_FUTURE_DAY, Interval, covering, merge, overlap, subtract
from .plugins.hookspecs import RegimeDecision


@dataclass(frozen=True)
class TripTerm:
    """A trip measured against its lawful term, as of the check date."""

    index: int
    trip: Trip
    regime: RegimeDecision
    start: int                  # entry, ordinal
    end: int                    # last counted day on or before as_of, ordinal
    ongoing: bool               # still in the country on as_of
    last_lawful: Optional[int]  # None: no end (permanent basis)
    limit_basis: str            # visa_free_entry, visa_free_cap, document, eaeu_contract, none, unlimited
    basis_detail: str           # the document type or basis kind that set the limit
    allowed: Optional[int]      # the term that bit: per-entry days or cap days
    days_in_window: Optional[int]
    checkable: bool             # False when a left-out list could extend the stay

    @property
    def days_on_entry(self) -> int:
        return self.end - self.start + 1

    @property
    def overstay_days(self) -> int:
        if self.last_lawful is None:
            return 0
        return max(0, self.end - max(self.last_lawful, self.start - 1))

    def unlawful_days(self) -> list[Interval]:
        """The counted days after the last lawful day."""
        if self.last_lawful is None or self.overstay_days == 0:
            return []
        return [(max(self.last_lawful + 1, self.start), self.end)]


def counted_range(trip: Trip, ctx: Context) -> tuple[int, int, bool]:
    """(first, last, ongoing) counted days of a trip up to as_of, under the day-count setting."""
    start = trip.entry.toordinal()
    as_of = ctx.as_of.toordinal()
    if trip.exit is None or trip.exit > ctx.as_of:
        return start, as_of, True
    last = trip.exit.toordinal()
    if not ctx.settings.count_exit_day and last > start:
        last -= 1
    return start, last, False


def _coverage(trip: Trip, regime: RegimeDecision, ctx: Context) -> tuple[list[Interval], list[tuple[int, int, str, str]], list[str]]:
    """Merged lawful-basis days for a trip, the labelled pieces, and the left-out lists that matter."""
    pieces: list[tuple[int, int, str, str]] = []
    missing: list[str] = []
    if ctx.case.documents is None:
        missing.append("documents")
    for doc in ctx.case.documents or []:
        kind = ctx.ref.documents[doc.type]
        if kind.stay_basis:
            until = doc.valid_until.toordinal() if doc.valid_until else FAR_FUTURE_DAY
            pieces.append((doc.valid_from.toordinal(), until, "document", doc.type))
    if regime.regime == "eaeu" and ctx.case.employment is None:
        missing.append("employment")
    for bases in ctx.pm.hook.kzc_stay_bases(case=ctx.case, trip=trip, regime=regime, ref=ctx.ref):
        for b in bases:
            until = b.until.toordinal() if b.until else FAR_FUTURE_DAY
            pieces.append((b.start.toordinal(), until, b.kind, b.kind))
    return merge((a, b) for a, b, _, _ in pieces), pieces, missing


def trip_terms(ctx: Context) -> list[TripTerm]:
    """Every trip that began on or before as_of, with its term; sorted by entry."""
    trips = sorted((t for t in ctx.case.trips or [] if t.entry <= ctx.as_of), key=lambda t: t.entry)
    index = {id(t): i for i, t in enumerate(ctx.case.trips or [])}
    prior_visa_free: list[tuple[int, list[Interval]]] = []  # (entry, visa-free counted days)
    out: list[TripTerm] = []
    for trip in trips:
        regime = ctx.regime(trip.entry)
        first, last, ongoing = counted_range(trip, ctx)
        cover, pieces, missing = _coverage(trip, regime, ctx)
        terms = regime.terms
        if terms is not None:
            ctx.parameters[f"stay.terms.{regime.group}"] = {
                "value": {"per_entry_days": terms.per_entry_days, "cap_days": terms.cap_days,
                          "window_days": terms.window_days},
                "from": terms.valid_from.isoformat(), "source": terms.source, "verified": terms.verified}
        vf_end = first + terms.per_entry_days - 1 if terms and terms.per_entry_days else None
        cap = terms.cap_days if terms and terms.cap_from and trip.entry >= terms.cap_from else None
        window = terms.window_days if cap else None
        prior = merge(iv for entry, ivs in prior_visa_free
                      if terms and terms.cap_from and entry >= terms.cap_from.toordinal() for iv in ivs)

        def in_window(day: int) -> int:
            assert window is not None
            lo = day - window + 1
            own = subtract([(first, day)], cover)
            return overlap(prior, lo, day) + overlap(own, lo, day)

        day = first
        unlimited = False
        while True:
            c = covering(cover, day)
            if c is not None:
                if c[1] >= FAR_FUTURE_DAY:
                    unlimited = True
                    break
                day = c[1] + 1
                continue
            if vf_end is not None and day <= vf_end and (cap is None or in_window(day) <= cap):
                day += 1
                continue
            break
        lawful_to = None if unlimited else day - 1

        basis, detail, allowed = "unlimited", "", None
        if lawful_to is not None:
            ending = [p for p in pieces if p[0] <= lawful_to == p[1]]
            if lawful_to < first:
                basis, detail = "none", "no visa-free term and no stay document"
            elif ending:
                basis, detail = ending[0][2], ending[0][3]
            elif lawful_to == vf_end:
                basis, detail, allowed = "visa_free_entry", "visa-free term per entry", terms.per_entry_days if terms else None
            else:
                basis, detail, allowed = "visa_free_cap", f"{cap} days in any {window}", cap
        elif pieces:
            detail = next(p[3] for p in pieces if p[1] >= FAR_FUTURE_DAY)

        checkable = not missing or (lawful_to is not None and lawful_to >= last and not ongoing)
        if not checkable:
            for needs in missing:
                ctx.skip("stay", needs)
        days_in_window = in_window(min(last, lawful_to + 1 if lawful_to is not None else last)) if cap else None
        out.append(TripTerm(index=index[id(trip)], trip=trip, regime=regime, start=first, end=last, ongoing=ongoing,
                            last_lawful=lawful_to, limit_basis=basis, basis_detail=detail, allowed=allowed,
                            days_in_window=days_in_window, checkable=checkable))
        prior_visa_free.append((first, subtract([(first, last)], cover)))
    return out


def leave_by(term: TripTerm, as_of: date) -> Optional[date]:
    """The last lawful day still ahead (or as_of when it has passed); None when there is no limit."""
    if not term.ongoing or term.last_lawful is None:
        return None
    return max(date.fromordinal(max(term.last_lawful, term.start - 1)), as_of)
