"""The plan's answers, each asked of `check`'s own stay-limit derivation about the case with the planned trip added.

A planned entry on a day is a probe: the case's trips (the stay under way ended, see `_History`) plus an
open-ended trip entering that day, evaluated as of that day; its `TripTerm` gives the last lawful day
(`leave_by`) and what set it. The earliest entry for N days bisects over entry dates between the days
where what can make a stay lawful changes (the regime, a document's or a plugin basis's start and end):
between them a later entry is never worse, so the first probe that gives N days is found in a handful
of probes, not day by day. Planned trips are checked by the normal report of the case with them added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from ..case import Case, Trip
from ..dates import FAR_FUTURE, parse_iso
from ..errors import CaseError
from ..evaluation import Evaluation
from ..i18n import check_lang
from ..pipeline import build_report, evaluate, to_case
from ..settings import Settings
from ..stay_limits import TripTerm, window_counts
from .models import Earliest, Entry, History, Now, PlannedTrip, PlanReport, Reason

TIMELINE_DAYS = 180
LAST_SEARCHED = FAR_FUTURE - timedelta(days=2 * 366)  # entries are searched up to here (room for a stay after)
TripLike = Union[Trip, Mapping[str, Any], tuple[Any, Any], str]


@dataclass(frozen=True)
class Probe:
    """A stay entering on `day`: its lawful days in a row (None: no end, or not known) and what set them."""

    day: date
    days: Optional[int]
    leave_by: Optional[date]
    reason: Reason
    detail: Optional[str]
    cap_days: Optional[int]
    window_days: Optional[int]

    def gives(self, n: int) -> bool:
        """At least `n` lawful days in a row (a stay with no end gives any number)."""
        return self.reason == "unlimited" or (self.days is not None and self.days >= n)


def _probe_of(term: TripTerm) -> Probe:
    """What `check`'s term of an ongoing trip, evaluated on its entry day, says of a stay entering then."""
    day = date.fromordinal(term.start)
    terms = term.regime.terms
    cap = terms.cap_days if terms and term.days_in_window is not None else None
    window = terms.window_days if cap is not None and terms else None
    if not term.checkable:
        return Probe(day, None, None, "undetermined", None, cap, window)
    if term.unlawful:  # unlawful on the entry day itself
        used_up = term.limit_basis == "visa_free_cap"
        return Probe(day, 0, None, "cap_used_up" if used_up else "visa_required", None, cap, window)
    if term.leave_by is None:
        return Probe(day, None, None, "unlimited", term.basis_detail or None, cap, window)
    reason: Reason = term.limit_basis if term.limit_basis in (
        "visa_free_entry", "visa_free_cap", "document", "eaeu_contract") else "unlimited"  # type: ignore[assignment]
    return Probe(day, term.leave_by - term.start + 1, date.fromordinal(term.leave_by), reason,
                 term.basis_detail or None, cap, window)


def _trip(item: TripLike, i: int) -> Trip:
    """A planned trip from a Trip, a mapping, an (entry, exit) pair or 'ENTRY[:EXIT]'."""
    try:
        if isinstance(item, Trip):
            return item
        if isinstance(item, str):
            entry, _, leave = item.partition(":")
            return Trip(entry=parse_iso(entry), exit=parse_iso(leave) if leave else None)
        if isinstance(item, tuple):
            return Trip(entry=parse_iso(item[0]), exit=parse_iso(item[1]) if item[1] is not None else None)
        return Trip.model_validate(item)
    except (ValueError, TypeError, IndexError) as e:
        raise CaseError(f"trips[{i}]", str(e).splitlines()[-1] if str(e) else "not a trip") from None


@dataclass
class Planner:
    """The case's history, and probes of planned entries after it (memoised by entry day)."""

    model: Case
    as_of: date
    engine: Optional[str]
    settings: Optional[Settings]
    history: list[Trip] = field(default_factory=list)
    leaves_on: Optional[date] = None      # the day the stay under way is taken to end
    free_from: Optional[date] = None      # the first day a planned trip may begin (None: an open trip blocks it)
    _probes: dict[date, Probe] = field(default_factory=dict)

    def __post_init__(self) -> None:
        trips = sorted(self.model.trips or [], key=lambda t: t.entry)
        free: Optional[date] = None
        for t in trips:
            exit_ = t.exit
            if exit_ is None and t.entry <= self.as_of:
                exit_ = self.leaves_on = self.as_of
            self.history.append(t if exit_ == t.exit else t.model_copy(update={"exit": exit_}))
            free = exit_ + timedelta(days=1) if exit_ is not None else None
        self.free_from = free if trips else date.min

    def _case(self, trips: Optional[list[Trip]], as_of: date, *, full: bool) -> Case:
        """The case with these trips as of `as_of`; without `full`, only what stay limits read."""
        last = max((t.exit or date.max for t in trips or []), default=date.min)
        update: dict[str, Any] = {"trips": trips, "as_of": as_of}
        if full:
            update["stays"] = None if self.model.stays is None else [s for s in self.model.stays if s.from_ <= last]
        else:
            update.update(stays=None, hosts=None, prior_offences=None)
        return self.model.model_copy(update=update)

    def _after_history(self, day: date, what: str) -> None:
        if self.free_from is None:
            raise CaseError("trips", "an open-ended trip begins after as_of: planned trips cannot follow it")
        if day < self.free_from:
            last = self.free_from - timedelta(days=1)
            why = (f"the stay under way is taken to end on as_of {last} (a later as_of plans from a later leaving day)"
                   if last == self.leaves_on else f"the case's last trip ends {last}")
            raise CaseError(what, f"{day} is not after the case's trips: {why}; planned trips follow the history")

    def evaluate(self, trips: Optional[list[Trip]], as_of: date, *, full: bool = False) -> Evaluation:
        return evaluate(self._case(trips, as_of, full=full), engine=self.engine, settings=self.settings)

    def probe(self, day: date, before: Sequence[Trip] = ()) -> Probe:
        """Entering on `day` after the history (and the planned trips `before`)."""
        if before:
            return self._probe(day, list(before))
        if day not in self._probes:
            self._probes[day] = self._probe(day, [])
        return self._probes[day]

    def _probe(self, day: date, before: list[Trip]) -> Probe:
        if self.model.trips is None:  # the history is not known
            return Probe(day, None, None, "undetermined", None, None, None)
        trips = [*self.history, *before, Trip(entry=day, exit=None)]
        ev = self.evaluate(trips, day)
        index = len(trips) - 1
        return _probe_of(next(t for t in ev.derived.terms if t.index == index))

    def breakpoints(self, ev: Evaluation, lo: date) -> set[date]:
        """Days after `lo` from which an entry may fare differently: the regime's terms change, or a document
        or plugin basis of stay begins or ends."""
        ctx = ev.ctx
        hi = LAST_SEARCHED
        ref = ctx.ref
        out: set[date] = set()
        rows = [m for m in ref.members if m.country == ctx.country]
        candidates: set[date] = set()
        for m in rows:
            candidates.update(d for d in (m.start, m.until and m.until + timedelta(days=1)) if d)
            for t in ref.groups[m.group].terms:
                candidates.update(d for d in (t.start, t.until and t.until + timedelta(days=1)) if d)
        out.update(d for d in candidates if lo < d <= hi and ctx.regime(d) != ctx.regime(d - timedelta(days=1)))
        for doc in self.model.documents or []:
            if ref.documents[doc.type].stay_basis:
                out.update(d for d in (doc.valid_from, doc.valid_until and doc.valid_until + timedelta(days=1)) if d)
        for day in (lo, lo + timedelta(days=366)):
            trip = Trip(entry=day, exit=None)
            for bases in ctx.pm.hook.kzc_stay_bases(case=self.model, trip=trip, regime=ctx.regime(day), ref=ref):
                for b in bases:
                    out.update(d for d in (b.start, b.until and b.until + timedelta(days=1)) if d)
        return {d for d in out if lo < d <= hi}

    def earliest(self, n: int, start: date, ev: Evaluation) -> tuple[Optional[Probe], Probe]:
        """The first entry on or after `start` giving `n` lawful days in a row (None: none does), and the
        probe of the last day searched (it says why, when none does)."""
        last_trip = max((t.exit for t in self.history if t.exit is not None), default=start)
        points = self.breakpoints(ev, start)
        window = max((terms.window_days or 0 for terms in (ev.ctx.regime(d).terms for d in {start, *points}) if terms),
                     default=0)
        horizon = min(LAST_SEARCHED, max([start, last_trip, *points]) + timedelta(days=window + 1))
        bounds = sorted({start, *(d for d in points if d <= horizon)}) + [horizon + timedelta(days=1)]
        for s, nxt in zip(bounds, bounds[1:], strict=False):
            t = nxt - timedelta(days=1)
            if self.probe(s).gives(n):
                return self.probe(s), self.probe(s)
            if s < t and self.probe(t).gives(n):
                lo, hi = s, t  # lo does not give n days, hi does
                while (hi - lo).days > 1:
                    mid = lo + (hi - lo) // 2
                    if self.probe(mid).gives(n):
                        hi = mid
                    else:
                        lo = mid
                return self.probe(hi), self.probe(hi)
            if self.probe(t).reason == "undetermined":
                return None, self.probe(t)
        return None, self.probe(horizon)


def _history(ev: Evaluation, lang: str) -> History:
    report = build_report(ev, lang)
    compliant = None if report.unchecked or report.compliant is None else report.compliant
    return History(compliant=compliant, violations=len(report.violations), unchecked=report.unchecked)


def _now(ev: Evaluation) -> Now:
    ctx = ev.ctx
    here = next((t for t in ev.derived.terms if t.ongoing), None)
    day = ctx.as_of.toordinal()
    counts = window_counts(ctx, ev.derived.terms, day, day)
    used, cap, window, oldest = counts.counted[0], counts.caps[0], counts.windows[0], counts.oldest(day)
    if ctx.case.trips is None:  # nothing is known to count
        used = oldest = None
    determined = ctx.case.trips is not None and ctx.case.documents is not None and (here is None or here.checkable)
    leave = here.leave_by if here is not None and here.checkable else None
    return Now(in_country=here is not None if ctx.case.trips is not None else None,
               leave_by=date.fromordinal(leave) if leave is not None else None,
               days_used=used, days_left=max(0, cap - used) if cap is not None and used is not None else None,
               window_days=window, cap_days=cap,
               frees_on=date.fromordinal(oldest + window) if oldest is not None and window else None,
               determined=determined, basis=here.limit_basis if here is not None and here.checkable else None,
               detail=(here.basis_detail or None) if here is not None and here.checkable else None)


def _entry(planner: Planner, day: date, ev: Evaluation) -> Entry:
    p = planner.probe(day)
    possible = None
    if p.days == 0:
        found, _why = planner.earliest(1, day + timedelta(days=1), ev)
        possible = found.day if found else None
    return Entry(date=day, leave_by=p.leave_by, days=p.days, reason=p.reason, detail=p.detail, cap_days=p.cap_days,
                 window_days=p.window_days, possible_from=possible)


def _earliest(planner: Planner, n: int, start: date, ev: Evaluation) -> Earliest:
    found, why = planner.earliest(n, start, ev)
    if found is not None:
        return Earliest(days=n, date=found.day, leave_by=found.leave_by, start=start)
    reason: Reason = why.reason
    if why.days and why.reason == "visa_free_entry":
        reason = "longer_than_term"
    return Earliest(days=n, date=None, leave_by=None, start=start, reason=reason, longest=why.days)


def _itinerary(planner: Planner, trips: list[Trip], lang: str, now: Evaluation) -> tuple[list[PlannedTrip],
                                                                                        Evaluation]:
    """Each planned trip checked after the history and the trips before it; and the evaluation of them all
    (an open-ended last trip ending on its last lawful day), as of its last day (without planned or future
    trips: `now`, the check as of today)."""
    probes = [planner.probe(t.entry, trips[:i]) for i, t in enumerate(trips)]
    closed = list(trips)
    if trips and trips[-1].exit is None and probes[-1].leave_by is not None:
        closed[-1] = trips[-1].model_copy(update={"exit": probes[-1].leave_by})
    elif trips and trips[-1].exit is None and probes[-1].days == 0:
        closed[-1] = trips[-1].model_copy(update={"exit": trips[-1].entry})
    # as of the last planned day: the sanction at the MRP a check then would apply; every trip has ended by then
    horizon = max([planner.as_of, *(t.exit or t.entry for t in [*planner.history, *closed])])
    known = planner.model.trips is not None
    if not trips and all(t.entry <= planner.as_of for t in planner.model.trips or []):
        return [], now  # the check as of today already ends the stay under way then
    ev = planner.evaluate([*planner.history, *closed] if known else None, horizon, full=True)
    report = build_report(ev, lang)
    out = []
    for i, (trip, p) in enumerate(zip(trips, probes, strict=True)):
        index = len(planner.history) + i
        term = next((t for t in ev.derived.terms if t.index == index), None)
        ref = f"trips[{index}]"
        sanction = next((v.sanction for v in report.violations if v.facts.get("ref") == ref), None)
        if term is None or not term.checkable or p.reason == "undetermined":
            out.append(PlannedTrip(entry=trip.entry, exit=trip.exit, lawful=None, last_lawful_day=None,
                                   overstay_days=None, sanction=None, reason="undetermined"))
            continue
        open_ended = trip.exit is None
        out.append(PlannedTrip(
            entry=trip.entry, exit=trip.exit,
            lawful=(p.reason == "unlimited") if open_ended else term.overstay_days == 0,
            last_lawful_day=p.leave_by, overstay_days=None if open_ended else term.overstay_days,
            sanction=sanction, reason=p.reason))
    return out, ev


def _planned(trips: Iterable[TripLike], planner: Planner) -> list[Trip]:
    out = [_trip(t, i) for i, t in enumerate(trips)]
    for i, t in enumerate(out):
        if i == 0:
            planner._after_history(t.entry, "trips[0].entry")
        else:
            before = out[i - 1]
            if before.exit is None or t.entry <= before.exit:
                raise CaseError(f"trips[{i}].entry", f"{t.entry} is not after the planned trip before it "
                                                      f"({before.entry} to {before.exit or 'open'})")
    return out


def plan(case: Union[Case, Mapping[str, Any]], *, enter: Optional[date] = None, days: Optional[int] = None,
         trips: Optional[Iterable[TripLike]] = None, as_of: Optional[date] = None, lang: str = "en",
         engine: Optional[str] = None, settings: Optional[Settings] = None) -> PlanReport:
    """Plan stays for the case's person as of `as_of` (default: the case's, else today).

    `enter`: entering on that day, how long they may stay; `days`: the earliest entry on or after `enter`
    (default: as_of) giving that many lawful days in a row; `trips`: planned trips (Trip, mapping,
    (entry, exit) or 'ENTRY[:EXIT]'), each checked after the history. A stay under way is taken to end on
    as_of for the planned trips. Raises CaseError naming the field or option at fault.
    """
    check_lang(lang)
    if days is not None and days < 1:
        raise CaseError("days", f"{days} is not a positive number of days")
    model = to_case(case)
    when = as_of or model.as_of or date.today()
    ev = evaluate(model, as_of=when, engine=engine, settings=settings)
    planner = Planner(model, when, engine, settings)
    entry = None
    if enter is not None:
        planner._after_history(enter, "enter")
        entry = _entry(planner, enter, ev)
    earliest = None
    if days is not None:
        start = max(enter or when, planner.free_from or when)
        planner._after_history(start, "days")
        earliest = _earliest(planner, days, start, ev)
    planned = _planned(trips or [], planner)
    itinerary, scenario = _itinerary(planner, planned, lang, ev)
    last = max([when + timedelta(days=TIMELINE_DAYS - 1), *(t.exit or t.entry for t in planned)])
    first = when.toordinal()
    timeline: list[dict[str, Any]] = []
    if model.trips is not None:
        counts = window_counts(scenario.ctx, scenario.derived.terms, first, last.toordinal())
        timeline = [{"date": date.fromordinal(first + i), "days_in_window": c, "cap_days": cap}  # validated at once
                    for i, (c, cap) in enumerate(zip(counts.counted, counts.caps, strict=True))]
    return PlanReport.model_validate({
        "as_of": when, "regime": ev.ctx.regime(when).regime, "history": _history(ev, lang), "now": _now(ev),
        "entry": entry, "earliest": earliest, "itinerary": itinerary, "timeline": timeline,
        "leaves_on": planner.leaves_on})


