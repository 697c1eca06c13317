"""Hypothesis strategies for rule authors and property tests: valid cases and cases near a boundary.

`st.builds()` on the models fails on their cross-field rules (trips may not overlap, stays lie within
trips, ids must resolve), so each strategy here builds valid data directly:

- `citizenships`: codes whose regime is the one asked for on every day of a date range;
- `trip_lists`: trips that never overlap, in any order, the last possibly ongoing;
- `documents_for`, `hosts`, `stays_for`, `employers`, `jobs_for`: documents, stays and jobs that
  fit the trips and reference the hosts and employers present;
- `cases`: whole cases by regime and date range;
- `near_entry_limit`, `near_cap_limit`, `near_registration_deadline`: a `Boundary`, a case whose
  check day falls just before, on or just after a legal limit (day 29-31 of a 30-day entry, the 90th
  or 91st day in 180, a notice deadline across weekends and holidays), with that limit computed
  here from the seeds' figures, not by the code under test.

The module is also registered in Hypothesis's `hypothesis` entry point (see `register_strategies`),
so `st.from_type(Case)` draws from `cases()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Callable, Optional, Sequence

import pycountry
from hypothesis import assume
from hypothesis import strategies as st

from .calendar import calendar
from .case import Case, Document, Employer, Employment, Host, Person, PriorOffence, StaffCount, Stay, Trip
from .plugins import plugin_manager
from .plugins.hookspecs import RegimeDecision, StayTerms
from .seeds import reference

__all__ = ["DEFAULT_END", "DEFAULT_START", "REGIMES", "Boundary", "cases", "citizenships", "documents_for",
           "employers", "hosts", "jobs_for", "near_cap_limit", "near_entry_limit", "near_registration_deadline",
           "regime_on", "stays_for", "trip_lists"]

REGIMES = ("eaeu", "cis", "visa_free", "visa_required")
DEFAULT_START = date(2021, 1, 1)
DEFAULT_END = date(2027, 12, 31)
PURPOSES = ("private", "tourism", "business", "work", "study", "family", "medical", "transit", "official", "other")
SIZES = ("small", "medium", "large", "nonprofit", "official")
CATEGORIES = ("1", "2", "3", "4", "seasonal", "ict")


@dataclass(frozen=True)
class Boundary:
    """A case checked on `day` near a legal `limit` (the last lawful day, or a deadline).

    `day <= limit` means the limit is kept; otherwise the case is `past` days beyond it.
    """

    case: Case
    limit: date
    day: date
    what: str

    @property
    def past(self) -> int:
        return max(0, (self.day - self.limit).days)


def regime_on(country: str, on: date) -> RegimeDecision:
    """The regime the plugins decide for `country` on `on` (the same decision a check uses)."""
    return plugin_manager().hook.kzc_regime(country=country, on=on, ref=reference())


@lru_cache(maxsize=None)
def _candidates() -> tuple[str, ...]:
    """Every citizenship a case may hold: members of the seeds' groups, other ISO codes, 'stateless'."""
    members = sorted({m.country for m in reference().members})
    others = sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 != "KZ" and c.alpha_2 not in members)
    return (*members, *others, "stateless")


@lru_cache(maxsize=None)
def _citizenships_of(regime: str, start: date, end: date) -> tuple[str, ...]:
    """Codes whose regime is `regime` on every day from `start` to `end` (it changes only at row bounds)."""
    out = []
    for country in _candidates():
        probes = {start, end}
        for m in reference().members:
            if m.country == country:
                probes.update(d for d in (m.start, m.until and m.until + timedelta(days=1)) if d and start <= d <= end)
        if all(regime_on(country, d).regime == regime for d in probes):
            out.append(country)
    return tuple(out)


def citizenships(regime: Optional[str] = None, start: date = DEFAULT_START,
                 end: date = DEFAULT_END) -> st.SearchStrategy[str]:
    """A citizenship whose regime is `regime` throughout [start, end]; any regime when None."""
    if regime is not None:
        found = _citizenships_of(regime, start, end)
        if not found:
            raise ValueError(f"no citizenship has the regime {regime!r} throughout {start} to {end}")
        return st.sampled_from(found)
    regimes = [r for r in REGIMES if _citizenships_of(r, start, end)]
    return st.sampled_from(regimes).flatmap(lambda r: st.sampled_from(_citizenships_of(r, start, end)))


def _dates(lo: date, hi: date) -> st.SearchStrategy[date]:
    return st.dates(min_value=lo, max_value=max(lo, hi))


def _days_after(base: date) -> Callable[[int], date]:
    """A mapper from a day count to the date that many days after `base`."""
    return lambda k: base + timedelta(days=k)


@st.composite
def trip_lists(draw: st.DrawFn, start: date = DEFAULT_START, end: date = DEFAULT_END, *, min_trips: int = 0,
               max_trips: int = 4, max_days: int = 200, max_gap: int = 400,
               ongoing: Optional[bool] = None) -> list[Trip]:
    """Trips that never overlap, entering from `start` and leaving by `end`, in any order, each at most
    `max_days` long and at most `max_gap` days after the one before.

    The last one is ongoing (`exit: null`) when `ongoing` is True (unless an earlier one reached `end`),
    never when False, either when None.
    Lengths and gaps favour the 14/30/90-day scales where the limits lie.
    """
    if (end - start).days + 1 < min_trips:
        raise ValueError(f"[{start}, {end}] is too short for {min_trips} trips")
    length = st.one_of(st.integers(1, min(35, max_days)), st.integers(1, max_days),
                       st.sampled_from([d for d in (13, 14, 15, 29, 30, 31, 89, 90, 91) if d <= max_days]))
    gap = st.one_of(st.integers(0, min(40, max_gap)), st.integers(0, max_gap))
    n = draw(st.integers(min_trips, max_trips))
    out: list[Trip] = []
    entry = draw(_dates(start, end - timedelta(days=max(0, min_trips - 1))))
    for i in range(n):
        if entry > end:
            break
        later = max(0, min_trips - i - 1)  # trips that must still fit after this one, a day each
        if i == n - 1 and (ongoing if ongoing is not None else draw(st.booleans())):
            exit_: Optional[date] = None
        else:
            exit_ = min(end - timedelta(days=later), entry + timedelta(days=draw(length) - 1))
        out.append(Trip(entry=entry, exit=exit_, purpose=draw(st.sampled_from(PURPOSES))))
        if exit_ is None or exit_ >= end:
            break
        room = (end - exit_).days - later if later else max_gap
        entry = exit_ + timedelta(days=1 + min(draw(gap), room))
    return list(draw(st.permutations(out)))


def _span(trip: Trip, as_of: date) -> tuple[date, date]:
    """A trip's days as a closed range; an ongoing trip is taken to last to as_of (at least its entry)."""
    return trip.entry, trip.exit or max(trip.entry, as_of)


@st.composite
def hosts(draw: st.DrawFn, *, min_size: int = 1, max_size: int = 3) -> list[Host]:
    """Hosts with ids host-1, host-2, ...: individuals (no size), legal entities and hotels (with one)."""
    out = []
    for i in range(draw(st.integers(min_size, max_size))):
        kind = draw(st.sampled_from(("individual", "legal_entity", "hotel")))
        size = None if kind == "individual" else draw(st.sampled_from(SIZES))
        out.append(Host.model_validate({"id": f"host-{i + 1}", "type": kind, "size": size}))
    return out


@st.composite
def employers(draw: st.DrawFn, *, min_size: int = 1, max_size: int = 2) -> list[Employer]:
    """Employers with ids emp-1, emp-2, ...: households (individual) and legal entities with a size and,
    sometimes, their staff by IRS category (local and foreign head counts)."""
    out = []
    for i in range(draw(st.integers(min_size, max_size))):
        kind = draw(st.sampled_from(("individual", "legal_entity")))
        size = None if kind == "individual" else draw(st.sampled_from(SIZES))
        staff = None
        if kind == "legal_entity" and draw(st.booleans()):
            staff = draw(st.dictionaries(st.sampled_from(CATEGORIES[:4]), st.builds(
                StaffCount, local=st.integers(0, 200), foreign=st.integers(0, 30)), max_size=4))
        out.append(Employer.model_validate({"id": f"emp-{i + 1}", "type": kind, "size": size, "staff": staff}))
    return out


@st.composite
def stays_for(draw: st.DrawFn, trips: Sequence[Trip], as_of: date,
              host_list: Optional[Sequence[Host]] = None) -> list[Stay]:
    """Up to two consecutive stays per trip, each beginning within its trip, never overlapping.

    Hosts come from `host_list` (a stay may name none); `registered_on` is null or a few days after arrival.
    """
    ids: list[Optional[str]] = [h.id for h in host_list or []] or [None]
    out: list[Stay] = []
    for trip in sorted(trips, key=lambda t: t.entry):
        first, last = _span(trip, as_of)
        day = first + timedelta(days=draw(st.integers(0, 3)))
        for _ in range(draw(st.integers(0, 2))):
            if day > last:
                break
            ends = draw(st.one_of(st.none(), _dates(day, last)))
            to = ends if ends is not None else trip.exit
            registered = draw(st.one_of(st.none(), st.integers(0, 12).map(_days_after(day))))
            out.append(Stay.model_validate({"host": draw(st.sampled_from(ids)), "from": day, "to": to,
                                            "registered_on": registered}))
            if to is None:
                break
            day = to + timedelta(days=1)
    return out


@st.composite
def jobs_for(draw: st.DrawFn, trips: Sequence[Trip], as_of: date,
             employer_list: Sequence[Employer]) -> list[Employment]:
    """Jobs starting within the trips, each with an employer from `employer_list`."""
    out = []
    for trip in trips:
        if not employer_list or not draw(st.booleans()):
            continue
        first, last = _span(trip, as_of)
        start = draw(_dates(first, last))
        end = draw(st.one_of(st.none(), st.integers(0, 400).map(_days_after(start))))
        out.append(Employment(employer=draw(st.sampled_from([e.id for e in employer_list])), start=start, end=end,
                              category=draw(st.one_of(st.none(), st.sampled_from(CATEGORIES)))))
    return out


def _valid_until(draw: st.DrawFn, start: date, longest: int) -> date:
    return start + timedelta(days=draw(st.integers(0, longest)))


@st.composite
def documents_for(draw: st.DrawFn, trips: Sequence[Trip], jobs: Sequence[Employment] = (),
                  employer_list: Sequence[Employer] = (), *, permanent_resident: Optional[bool] = False,
                  visa_likely: bool = False) -> list[Document]:
    """Documents that fit the trips and jobs: visas and residence permits valid from around an entry,
    work permits for a job's own employer (or, sometimes, another), labour-immigrant permits and
    qualification certificates from around a job's start.

    `permanent_resident`: True adds a permanent residence permit valid from before the first entry,
    None adds one sometimes. `visa_likely` (for visa-required citizens) gives most trips a visa.
    """
    docs: list[Document] = []
    for trip in trips:
        if draw(st.integers(0, 7)) < (6 if visa_likely else 1):
            kind = draw(st.sampled_from(("visa", "visa", "temporary_residence_permit", "refugee_certificate")))
            start = trip.entry - timedelta(days=draw(st.integers(0, 40)))
            docs.append(Document.model_validate({
                "type": kind, "valid_from": start, "valid_until": _valid_until(draw, trip.entry, 120),
                "visa_type": "C3" if kind == "visa" else None, "purpose": trip.purpose if kind == "visa" else None}))
    ids = [e.id for e in employer_list]
    for job in jobs:
        choice = draw(st.sampled_from(("none", "work_permit", "work_permit", "labour_immigrant_permit",
                                       "qualification_certificate")))
        if choice == "none":
            continue
        start = job.start + timedelta(days=draw(st.integers(-30, 15)))
        until = _valid_until(draw, start, 400)
        if choice == "work_permit":
            employer = job.employer if not ids or draw(st.integers(0, 4)) else draw(st.sampled_from(ids))
            docs.append(Document(type="work_permit", valid_from=start, valid_until=until, employer=employer,
                                 category=job.category or draw(st.sampled_from(CATEGORIES))))
        elif choice == "labour_immigrant_permit":
            paid = draw(st.one_of(st.none(), _dates(start, until)))
            docs.append(Document(type="labour_immigrant_permit", valid_from=start, valid_until=until,
                                 tax_paid_until=paid))
        else:
            docs.append(Document(type="qualification_certificate", valid_from=start, valid_until=until))
    holds = permanent_resident if permanent_resident is not None else draw(st.integers(0, 7)) == 0
    if holds:
        first = min((t.entry for t in trips), default=DEFAULT_START)
        docs.append(Document(type="permanent_residence_permit",
                             valid_from=first - timedelta(days=draw(st.integers(0, 1000)))))
    return list(draw(st.permutations(docs)))


@st.composite
def cases(draw: st.DrawFn, regime: Optional[str] = None, start: date = DEFAULT_START, end: date = DEFAULT_END, *,
          max_trips: int = 4, max_days: int = 200, max_gap: int = 400, complete: bool = True,
          permanent_resident: Optional[bool] = False, ongoing: Optional[bool] = None) -> Case:
    """A valid case for a citizen of `regime` (any when None) with trips from `start` to `end`, shaped
    as in `trip_lists` (short trips with short gaps make the rolling cap bind).

    `as_of` falls on or after the first entry, mostly within the trips or soon after them; sanctions
    already imposed (`prior_offences`) are dated in the 500 days before it.
    `complete`: True gives every list (so every check runs); False leaves some out at random (those
    checks are then reported as unchecked). `permanent_resident` as in `documents_for`.
    """
    country = draw(citizenships(regime, start, end))
    trips = draw(trip_lists(start, end, max_trips=max_trips, max_days=max_days, max_gap=max_gap, ongoing=ongoing))
    if trips:
        first = min(t.entry for t in trips)
        latest = max(t.exit or t.entry for t in trips)
        as_of = draw(st.one_of(_dates(first, min(end, latest + timedelta(days=60))), _dates(first, end)))
    else:
        as_of = draw(_dates(start, end))
    host_list = draw(hosts())
    employer_list = draw(employers())
    jobs = draw(jobs_for(trips, as_of, employer_list))
    visa_likely = regime_on(country, as_of).regime == "visa_required"
    docs = draw(documents_for(trips, jobs, employer_list, permanent_resident=permanent_resident,
                              visa_likely=visa_likely))
    codes = sorted(reference().sanction_codes())
    offences = draw(st.lists(st.builds(
        PriorOffence, code=st.sampled_from(codes), decided_on=_dates(as_of - timedelta(days=500), as_of),
        subject_id=st.sampled_from([None, *(h.id for h in host_list), *(e.id for e in employer_list)])),
        max_size=2))
    data: dict[str, Any] = {
        "as_of": as_of, "person": Person(citizenship=country), "trips": trips, "documents": docs,
        "stays": draw(stays_for(trips, as_of, host_list)), "hosts": host_list, "employment": jobs,
        "employers": employer_list, "prior_offences": offences,
    }
    if not complete:
        for key in ("trips", "documents", "stays", "hosts", "employment", "employers", "prior_offences"):
            if draw(st.integers(0, 5)) == 0:
                data[key] = None
    return Case.model_validate(data)


def _terms(country: str, on: date) -> StayTerms:
    terms = regime_on(country, on).terms
    assert terms is not None and terms.per_entry_days is not None, f"{country} has no visa-free term on {on}"
    return terms


def _visa_free_regimes(regime: Optional[str]) -> st.SearchStrategy[str]:
    """`regime`, or any regime with a visa-free term when None."""
    if regime == "visa_required":
        raise ValueError("a visa-required citizen has no visa-free limit")
    return st.sampled_from([r for r in REGIMES if r != "visa_required"]) if regime is None else st.just(regime)


@st.composite
def near_entry_limit(draw: st.DrawFn, regime: Optional[str] = None, start: date = DEFAULT_START,
                     end: date = DEFAULT_END, *, spread: int = 1) -> Boundary:
    """One ongoing visa-free entry checked on day E-spread .. E+spread of it (E: its per-entry term,
    e.g. day 29-31 of a 30-day entry), holding no documents and no job."""
    country = draw(citizenships(draw(_visa_free_regimes(regime)), start, end))
    entry = draw(_dates(start, end - timedelta(days=90 + spread)))
    term = _terms(country, entry).per_entry_days
    assert term is not None
    limit = entry + timedelta(days=term - 1)
    as_of = limit + timedelta(days=draw(st.integers(-spread, spread)))
    case = Case.model_validate({"as_of": as_of, "person": {"citizenship": country},
                                "trips": [{"entry": entry, "exit": None, "purpose": "private"}],
                                "documents": [], "employment": [], "stays": []})
    return Boundary(case=case, limit=limit, day=as_of, what=f"day {(as_of - entry).days + 1} of a {term}-day entry")


def _split(draw: st.DrawFn, total: int, most: int, max_parts: int = 6) -> list[int]:
    """`total` days as trip lengths each 1..most."""
    if total == 0:
        return []
    fewest = -(-total // most)
    parts, left = [], total
    count = draw(st.integers(fewest, max(fewest, min(total, max_parts))))
    for i in range(count):
        rest = count - i - 1
        part = draw(st.integers(max(1, left - most * rest), min(most, left - rest)))
        parts.append(part)
        left -= part
    return parts


@st.composite
def near_cap_limit(draw: st.DrawFn, regime: Optional[str] = None, start: date = DEFAULT_START,
                   end: date = DEFAULT_END, *, spread: int = 1) -> Boundary:
    """Earlier visa-free trips plus an ongoing one, checked when the days in the window are the cap
    -spread .. +spread (e.g. the 89th-91st day in 180). Every trip keeps its per-entry term, so only the
    rolling cap can bind; all trips began after the cap took effect, and all lie within the window of
    the day after the limit, so none drops out of the window before the limit is reached."""
    country = draw(citizenships(draw(_visa_free_regimes(regime)), start, end))
    as_of = draw(_dates(start + timedelta(days=400), end))
    terms = _terms(country, as_of)
    assume(terms.cap_days is not None and terms.window_days is not None)
    assert terms.cap_days is not None and terms.window_days is not None and terms.per_entry_days is not None
    cap, most, window = terms.cap_days, terms.per_entry_days, terms.window_days
    offset = draw(st.integers(-spread, spread))
    length = draw(st.integers(1 + spread, min(most, cap + offset)))  # days of the ongoing trip on as_of
    earlier = _split(draw, cap - length + offset, most)
    entry = as_of - timedelta(days=length - 1)
    limit = entry + timedelta(days=min(most, cap - sum(earlier)) - 1)
    day = limit - timedelta(days=window - 2)  # the first day in the window of the day after the limit
    assume(terms.cap_from is not None and day >= terms.cap_from and _terms(country, day) == terms)
    slack = (entry - day).days - sum(earlier)
    trips = []
    for days in earlier:
        gap = draw(st.integers(0, slack))
        slack -= gap
        day += timedelta(days=gap)
        trips.append({"entry": day, "exit": day + timedelta(days=days - 1), "purpose": "tourism"})
        day += timedelta(days=days)
    trips.append({"entry": entry, "exit": None, "purpose": "tourism"})
    case = Case.model_validate({"as_of": as_of, "person": {"citizenship": country},
                                "trips": draw(st.permutations(trips)), "documents": [], "employment": [],
                                "stays": []})
    return Boundary(case=case, limit=limit, day=as_of, what=f"day {sum(earlier) + length} in {window} (cap {cap})")


@lru_cache(maxsize=None)
def _before_days_off(start: date, end: date) -> tuple[date, ...]:
    """Days from which a weekday holiday or moved day off lies within the next four days."""
    cal = calendar()
    off = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    off = [d for d in off if d.weekday() < 5 and not cal.is_working_day(d)]
    return tuple(sorted({d - timedelta(days=k) for d in off for k in range(1, 5) if d - timedelta(days=k) >= start}))


def _nth_working_day_after(day: date, n: int) -> date:
    cal = calendar()
    while n > 0:
        day += timedelta(days=1)
        if cal.is_working_day(day):
            n -= 1
    return day


ONLINE_FROM = date(2026, 7, 1)


@st.composite
def near_registration_deadline(draw: st.DrawFn, start: date = DEFAULT_START, end: date = DEFAULT_END, *,
                               spread: int = 1) -> Boundary:
    """One stay with its registration made (or, unregistered, checked) `spread` days either side of
    its deadline: the host's notice N working days after arrival, arrivals clustered just before
    weekday holidays and weekends; or, from 2026-07-01 for 90-day-regime citizens, online
    registration by the 30th calendar day after entry. The host notifies for every guest, EAEU and
    Uzbek citizens included: their exemption is from their own registration only (brief C3)."""
    ref = reference()
    online = end >= ONLINE_FROM and draw(st.booleans())
    if online:
        regime = draw(st.sampled_from(("eaeu", "cis", "visa_free")))
        country = draw(citizenships(regime, max(start, ONLINE_FROM), end))
        entry = draw(_dates(max(start, ONLINE_FROM), end - timedelta(days=60)))
        row = ref.parameter("registration.online_days_after_entry", entry)
        assert row is not None
        arrival, deadline = entry, entry + timedelta(days=row.value)
    else:
        last_entry = end - timedelta(days=60)
        regime = draw(st.sampled_from(("eaeu", "cis", "visa_free", "visa_required")))
        if regime != "visa_required":
            last_entry = min(last_entry, ONLINE_FROM - timedelta(days=1))
        country = draw(citizenships(regime, start, last_entry))
        arrival = draw(st.one_of(st.sampled_from(_before_days_off(start, last_entry)), _dates(start, last_entry)))
        entry = arrival - timedelta(days=draw(st.integers(0, 2)))
        row = ref.parameter("registration.host_notice_working_days", arrival)
        assert row is not None
        deadline = _nth_working_day_after(arrival, row.value)
    day = deadline + timedelta(days=draw(st.integers(-spread, spread)))
    registered = draw(st.booleans())
    host = draw(hosts(max_size=1))[0]
    docs = [] if regime != "visa_required" else [
        {"type": "visa", "valid_from": entry, "valid_until": entry + timedelta(days=89), "visa_type": "C3"}]
    case = Case.model_validate({
        "as_of": day, "person": {"citizenship": country},
        "trips": [{"entry": entry, "exit": None, "purpose": "private"}], "documents": docs, "employment": [],
        "hosts": [host.model_dump()],
        "stays": [{"host": host.id, "from": arrival, "to": None, "registered_on": day if registered else None}]})
    form = "online registration" if online else "host notice"
    return Boundary(case=case, limit=deadline, day=day, what=f"{form} {'made' if registered else 'checked'} on {day}")
