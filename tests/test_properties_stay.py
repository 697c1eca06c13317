"""Property tests of the stay limits: an independent day-by-day oracle for the per-entry term and the rolling
cap, monotonicity, leave_by, and the boundary generators of `kzcompliance.testing`.

The oracle counts days as sets of calendar days, one day at a time, from the law's figures (the seeds'
stay terms and document kinds, the brief's EAEU contract rule); it shares no code with stay_limits.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Optional

from hypothesis import example, given
from hypothesis import strategies as st

from kzcompliance import Case, Settings, check
from kzcompliance.case import Trip
from kzcompliance.plugins import StayTerms
from kzcompliance.pipeline import evaluate
from kzcompliance.seeds import reference
from kzcompliance.testing import cases, near_cap_limit, near_entry_limit, regime_on

SETTINGS = st.sampled_from([Settings(), Settings(count_exit_day=False)])


@dataclass(frozen=True)
class Expected:
    overstay_days: int
    overstay_since: Optional[date]
    last_lawful: Optional[date]
    leave_by: Optional[date]
    days_in_window: Optional[int]
    unlawful: frozenset[date]


def _bases(case: Case, entry: date) -> list[tuple[date, Optional[date]]]:
    """Periods (until None: open-ended) that make a trip's days lawful whatever the visa-free term."""
    ref = reference()
    out = [(d.valid_from, d.valid_until) for d in case.documents or [] if ref.documents[d.type].stay_basis]
    if regime_on(case.person.citizenship, entry).regime == "eaeu":  # EAEU Treaty art. 97: the contract's term
        grace = ref.parameter("eaeu.contract_grace_days", entry)
        after = ref.parameter("eaeu.contract_grace_after_days", entry)
        for job in case.employment or []:
            end = job.end
            if end is not None and grace and after and (end - entry).days >= after.value:
                end += timedelta(days=grace.value)
            out.append((job.start, end))
    return out


def _covered(bases: list[tuple[date, Optional[date]]], day: date) -> bool:
    return any(a <= day and (b is None or day <= b) for a, b in bases)


def _forever(bases: list[tuple[date, Optional[date]]], day: date) -> bool:
    return any(a <= day and b is None for a, b in bases)


def cap_start(country: str, entry: date) -> Optional[date]:
    """Since when the person's visa-free stays have been capped without a break (brief s.2: the cap counts
    stays begun on or after it came in, 2023-01-27; a later change of the term, as Turkey's, does not
    restart it), walking back through the regimes in force."""
    terms = regime_on(country, entry).terms
    if terms is None or terms.cap_days is None:
        return None
    start = terms.valid_from
    while True:
        before = regime_on(country, start - timedelta(days=1)).terms
        if before is None or before.cap_days is None:
            return start
        start = before.valid_from


@dataclass
class _OracleWalk:
    """One trip walked day by day: its terms, the days a basis covers, and the visa-free days counted so far."""

    trip: Trip
    terms: Optional[StayTerms]
    capped: bool
    bases: list[Any]
    prior: set[date]
    own: set[date] = field(default_factory=set)
    alive: bool = True  # the visa-free term is over for this entry once a day was unlawful

    def in_window(self, day: date) -> int:
        assert self.terms is not None and self.terms.window_days is not None
        lo = day - timedelta(days=self.terms.window_days - 1)
        return sum(1 for d in self.prior | self.own if lo <= d <= day)

    def lawful(self, day: date) -> bool:
        if _covered(self.bases, day):
            return True
        self.own.add(day)
        per_entry = self.terms.per_entry_days if self.terms else None
        if not self.alive or per_entry is None or (day - self.trip.entry).days + 1 > per_entry:
            return False
        return not self.capped or self.in_window(day) <= self.terms.cap_days  # type: ignore[union-attr, operator]


def oracle(case: Case, cfg: Settings) -> dict[str, Expected]:
    """Each trip's overstay (and its unlawful days), last lawful day, leave_by and window count, day by day."""
    assert case.as_of is not None and case.trips is not None
    as_of = case.as_of
    out: dict[str, Expected] = {}
    earlier: list[tuple[date, set[date]]] = []  # (entry, its uncovered present days)
    for index, trip in sorted(enumerate(case.trips), key=lambda it: it[1].entry):
        if trip.entry > as_of:
            continue
        ongoing = trip.exit is None or trip.exit > as_of
        last = as_of if ongoing else trip.exit
        assert last is not None
        if not ongoing and not cfg.count_exit_day and last > trip.entry:
            last -= timedelta(days=1)
        since = cap_start(case.person.citizenship, trip.entry)
        bases = _bases(case, trip.entry)
        walk = _OracleWalk(trip=trip, terms=regime_on(case.person.citizenship, trip.entry).terms,
                           capped=since is not None, bases=bases,
                           prior={d for e, days in earlier if since is not None and e >= since for d in days})
        unlawful = []
        day = trip.entry
        while day <= last:
            if not walk.lawful(day):
                walk.alive = False
                unlawful.append(day)
            day += timedelta(days=1)
        present = {trip.entry + timedelta(days=i) for i in range((last - trip.entry).days + 1)}
        projected: Optional[date] = None
        if ongoing and last not in unlawful:
            while not _forever(bases, day) and walk.lawful(day):
                day += timedelta(days=1)
            projected = None if _forever(bases, day) else day - timedelta(days=1)
        first_bad = unlawful[0] if unlawful else None
        out[f"trips[{index}]"] = Expected(
            overstay_days=len(unlawful), overstay_since=first_bad,
            last_lawful=first_bad - timedelta(days=1) if first_bad else projected,
            leave_by=(last if unlawful and unlawful[-1] == last else projected) if ongoing else None,
            days_in_window=walk.in_window(first_bad or last) if walk.capped else None, unlawful=frozenset(unlawful))
        earlier.append((trip.entry, {d for d in present if not _covered(bases, d)}))
    return out


def _iso(day: Optional[date]) -> Optional[str]:
    return day.isoformat() if day else None


def _assert_agrees(case: Case, cfg: Settings) -> None:
    """The trip facts, and the host's count of days it housed a guest past the term, agree with the oracle."""
    assert case.as_of is not None
    facts = {f["ref"]: f for f in evaluate(case, settings=cfg).derived.facts}
    expected = oracle(case, cfg)
    for ref, want in expected.items():
        got = facts[ref]
        assert got.get("overstay_days") == want.overstay_days, ref
        assert got.get("overstay_since") == _iso(want.overstay_since), ref
        assert got.get("last_lawful_day") == _iso(want.last_lawful), ref
        assert got.get("leave_by") == _iso(want.leave_by), ref
        assert got.get("days_in_window") == want.days_in_window, ref
    unlawful = set().union(*(want.unlawful for want in expected.values()))
    for i, stay in enumerate(case.stays or []):
        if stay.from_ > case.as_of:
            continue
        until = min(stay.to or case.as_of, case.as_of)
        hosted = sorted(d for d in unlawful if stay.from_ <= d <= until)
        got = facts[f"stays[{i}]"]
        assert got["guest_overstay_days"] == len(hosted), f"stays[{i}]"
        assert got.get("guest_overstay_since") == _iso(hosted[0] if hosted else None), f"stays[{i}]"
        assert got.get("arrived_unlawful") == (hosted[0] == stay.from_ if hosted else None), f"stays[{i}]"


# Short trips packed close together, some around the 2023-01-27 switch, so the rolling cap often binds.
DENSE = cases(start=date(2022, 9, 1), end=date(2027, 3, 1), max_trips=8, max_days=31, max_gap=15)


# Found by this property: Turkey's switch to 90 days per entry (2025-09-08) restarted the 90/180 count,
# so 60 visa-free days in June-July 2025 were forgotten by an entry in September.
TURKEY_2025 = Case.model_validate({
    "as_of": "2025-11-20", "person": {"citizenship": "TR"}, "documents": [], "employment": [],
    "trips": [{"entry": "2025-06-01", "exit": "2025-06-30"}, {"entry": "2025-07-01", "exit": "2025-07-30"},
              {"entry": "2025-09-09", "exit": None}]})


@given(cases(max_trips=5), SETTINGS)
@example(TURKEY_2025, Settings())
def test_stay_limits_agree_with_a_day_by_day_oracle(case: Case, cfg: Settings) -> None:
    _assert_agrees(case, cfg)


@given(DENSE, SETTINGS)
def test_stay_limits_agree_with_the_oracle_around_the_cap_switch(case: Case, cfg: Settings) -> None:
    _assert_agrees(case, cfg)


def _later_by_a_day(case: Case) -> list[Case]:
    """The case with one trip a day longer: a finished trip leaving a day later (if that day is free and
    counted), or, for an ongoing trip, the check a day later."""
    assert case.as_of is not None and case.trips is not None
    out = []
    entries = sorted(t.entry for t in case.trips)
    for i, t in enumerate(case.trips):
        if t.exit is not None and t.exit < case.as_of:
            nxt = [e for e in entries if e > t.entry]
            if not nxt or nxt[0] > t.exit + timedelta(days=1):
                trips = list(case.trips)
                trips[i] = t.model_copy(update={"exit": t.exit + timedelta(days=1)})
                out.append(case.model_copy(update={"trips": trips}))
        elif t.entry <= case.as_of and (t.exit is None or t.exit > case.as_of):
            out.append(case.model_copy(update={"as_of": case.as_of + timedelta(days=1)}))
    return out


def _overstays(case: Case) -> dict[str, int]:
    """Overstay days by trip (the foreigner's violations) and by stay (the host's, for a guest past the term)."""
    out: dict[str, int] = {}
    for v in check(case).violations:
        days = v.facts.get("overstay_days", v.facts.get("guest_overstay_days"))
        if days is not None:
            out[v.facts["ref"]] = max(days, out.get(v.facts["ref"], 0))
    return out


@given(cases(max_trips=5))
@example(Case.model_validate({  # 30 days then a visa from day 35: the gap stays an overstay when staying on
    "as_of": "2026-03-01", "person": {"citizenship": "UZ"}, "documents": [
        {"type": "temporary_residence_permit", "valid_from": "2026-02-05", "valid_until": "2026-12-31"}],
    "employment": [], "trips": [{"entry": "2026-01-01", "exit": None}]}))
def test_staying_a_day_longer_never_removes_an_overstay(case: Case) -> None:
    before = _overstays(case)
    for longer in _later_by_a_day(case):
        after = _overstays(longer)
        for ref, days in before.items():
            assert ref in after and after[ref] >= days, (ref, days, after)


@given(cases(max_trips=4, ongoing=True))
def test_leave_by_is_lawful_and_the_day_after_is_not(case: Case) -> None:
    assert case.as_of is not None and case.trips is not None
    trips = [t for t in case.trips if t.entry <= case.as_of]
    if not trips:
        return
    here = max(trips, key=lambda t: t.entry)
    ref = f"trips[{trips.index(here)}]"
    trips[trips.index(here)] = here.model_copy(update={"exit": None})
    staying = case.model_copy(update={"trips": trips, "stays": None, "hosts": None})
    report = check(staying)
    leave = [o.due for o in report.obligations if o.kind == "leave_by"]
    if any(v.facts["ref"] == ref for v in report.violations) or not leave:
        return  # already overstaying (leave now) or no limit
    (day,) = leave
    on_the_day = check(staying, as_of=day)
    assert not [v for v in on_the_day.violations if v.facts["ref"] == ref]
    after = [v for v in check(staying, as_of=day + timedelta(days=1)).violations if v.facts["ref"] == ref]
    assert [(v.since, v.facts.get("overstay_days")) for v in after] == [(day + timedelta(days=1), 1)]


def _overstay_on(report: Any) -> list[Any]:
    return [v for v in report.violations if v.facts["ref"] == "trips[0]"]


@given(near_entry_limit())
def test_day_around_the_per_entry_term(b: Any) -> None:
    found = _overstay_on(check(b.case))
    if b.past == 0:
        assert found == [], b.what
    else:
        assert [(v.rule, v.since, v.facts["overstay_days"]) for v in found] == [
            ("stay.visa-free-term", b.limit + timedelta(days=1), b.past)], b.what


@given(near_cap_limit())
def test_day_around_the_rolling_cap(b: Any) -> None:
    trips = b.case.trips
    ongoing = next(i for i, t in enumerate(trips) if t.exit is None)
    report = check(b.case)
    found = [v for v in report.violations if v.facts["ref"] == f"trips[{ongoing}]"]
    assert all(v.facts["ref"] == f"trips[{ongoing}]" for v in report.violations), b.what
    if b.past == 0:
        assert found == [], b.what
        assert [o.due for o in report.obligations if o.kind == "leave_by"] == [b.limit]
    else:
        assert [(v.since, v.facts["overstay_days"]) for v in found] == [(b.limit + timedelta(days=1), b.past)]
        assert found[0].rule in ("stay.visa-free-cap", "stay.visa-free-term"), b.what
