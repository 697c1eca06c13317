"""Property tests of planning against the day-by-day oracle of test_properties_stay (which shares no code with
stay_limits.py): the entry answer is the longest lawful run, the earliest entry is minimal and keeps the
stay lawful when taken, itinerary answers match `check`, and answers agree on both engines, across the
2023-01-27 switch and the regime changes of China (2023-11-10) and Turkey (2025-09-01)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Optional

from hypothesis import example, given
from hypothesis import strategies as st

from kzcompliance import Case, check
from kzcompliance.case import Trip
from kzcompliance.planning import plan
from kzcompliance.settings import Settings
from kzcompliance.testing import cases, trip_lists
from .test_properties_stay import oracle

from .helpers import ENGINES


def _history(case: Case) -> tuple[list[Trip], date]:
    """The case's trips with an open-ended one ending on as_of, and the first day a planned trip may begin."""
    assert case.as_of is not None and case.trips is not None
    trips = [t.model_copy(update={"exit": case.as_of}) if t.exit is None else t for t in case.trips]
    last = max((t.exit for t in trips if t.exit is not None), default=None)
    return trips, (last + timedelta(days=1) if last else date(2015, 1, 1))


def lawful_days(case: Case, entry: date) -> Optional[int]:
    """The oracle's lawful days in a row entering on `entry` after the history (None: no end)."""
    trips, _free = _history(case)
    probe = case.model_copy(update={"trips": [*trips, Trip(entry=entry)], "as_of": entry})
    want = oracle(probe, Settings())[f"trips[{len(trips)}]"]
    if want.overstay_days:
        return 0
    return None if want.leave_by is None else (want.leave_by - entry).days + 1


def _gives(days: Optional[int], n: int) -> bool:
    return days is None or days >= n


def _no_open_future(case: Case) -> bool:
    assert case.as_of is not None
    return all(t.exit is not None or t.entry <= case.as_of for t in case.trips or [])


# Regimes that change: China from visa-required to 30 days (2023-11-10), Turkey from 30 to 90 days per entry
# (2025-09-01) under a cap counted since 2023-01-27; and every regime across the cap's start (2023-01-27).
@st.composite
def changing(draw: st.DrawFn) -> Case:
    country, start, end = draw(st.sampled_from([("CN", date(2023, 6, 1), date(2024, 6, 1)),
                                                ("TR", date(2025, 2, 1), date(2026, 2, 1)),
                                                ("UZ", date(2022, 9, 1), date(2023, 9, 1)),
                                                ("RU", date(2022, 9, 1), date(2023, 9, 1)),
                                                ("US", date(2022, 9, 1), date(2023, 9, 1))]))
    trips = draw(trip_lists(start, end, max_trips=5, max_days=60, max_gap=40))
    latest = max((t.exit or t.entry for t in trips), default=start)
    as_of = draw(st.dates(min_value=min((t.entry for t in trips), default=start), max_value=latest))
    return Case.model_validate({"as_of": as_of, "person": {"citizenship": country}, "trips": trips,
                                "documents": [], "employment": [], "stays": []})


HISTORIES = st.one_of(cases(max_trips=4), cases(start=date(2022, 9, 1), end=date(2027, 3, 1), max_trips=6,
                                                max_days=31, max_gap=15), changing())


# The rolling cap used up on the entry day: 90 days in three 30-day trips up to 2026-02-13.
CAP_USED_UP = Case.model_validate({
    "as_of": "2026-03-10", "person": {"citizenship": "UZ"}, "documents": [], "employment": [], "stays": [],
    "trips": [{"entry": "2025-10-01", "exit": "2025-10-30"}, {"entry": "2025-11-20", "exit": "2025-12-19"},
              {"entry": "2026-01-15", "exit": "2026-02-13"}]})


@given(HISTORIES, st.integers(0, 200))
@example(CAP_USED_UP, 5)
def test_the_entry_answer_is_the_longest_lawful_run(case: Case, after: int) -> None:
    if not _no_open_future(case):
        return
    _trips, free = _history(case)
    assert case.as_of is not None
    day = max(free, case.as_of) + timedelta(days=after)
    got = plan(case, enter=day).entry
    assert got is not None
    want = lawful_days(case, day)
    assert got.days == want, (got, want)
    if want:
        assert got.leave_by == day + timedelta(days=want - 1)
    if want == 0:
        assert got.reason in ("cap_used_up", "visa_required")
        if got.possible_from is not None:
            assert lawful_days(case, got.possible_from) != 0
            assert lawful_days(case, got.possible_from - timedelta(days=1)) == 0
        else:
            for later in (day + timedelta(days=200), day + timedelta(days=400)):
                assert lawful_days(case, later) == 0, later


@given(HISTORIES, st.integers(1, 95), st.integers(0, 120), st.data())
def test_the_earliest_entry_is_minimal_and_lawful_when_taken(case: Case, n: int, after: int,
                                                             data: st.DataObject) -> None:
    if not _no_open_future(case):
        return
    trips, free = _history(case)
    assert case.as_of is not None
    start = max(free, case.as_of) + timedelta(days=after)
    got = plan(case, enter=start, days=n).earliest
    assert got is not None and got.start == start
    if got.date is None:
        for probe in {start, start + timedelta(days=200), start + timedelta(days=400)}:
            assert not _gives(lawful_days(case, probe), n), probe
        return
    assert _gives(lawful_days(case, got.date), n)
    if got.date > start:
        assert not _gives(lawful_days(case, got.date - timedelta(days=1)), n)
        earlier = data.draw(st.dates(min_value=start, max_value=got.date - timedelta(days=1)), label="earlier")
        assert not _gives(lawful_days(case, earlier), n)
    stay = Trip(entry=got.date, exit=got.date + timedelta(days=n - 1))
    taken = case.model_copy(update={"trips": [*trips, stay], "as_of": stay.exit})
    ref = f"trips[{len(trips)}]"
    assert not [v for v in check(taken).violations if v.facts["ref"] == ref], stay


@given(HISTORIES, st.lists(st.tuples(st.integers(1, 60), st.integers(1, 50)), min_size=1, max_size=3))
def test_itinerary_answers_are_what_check_reports(case: Case, legs: list[tuple[int, int]]) -> None:
    if not _no_open_future(case):
        return
    trips, free = _history(case)
    assert case.as_of is not None
    day = max(free, case.as_of + timedelta(days=1))
    planned = []
    for gap, length in legs:
        entry = day + timedelta(days=gap)
        planned.append(Trip(entry=entry, exit=entry + timedelta(days=length - 1)))
        day = entry + timedelta(days=length)
    got = plan(case, trips=planned)
    together = case.model_copy(update={"trips": [*trips, *planned], "as_of": planned[-1].exit})
    want = oracle(together, Settings())
    report = check(together)
    for i, (trip, answer) in enumerate(zip(planned, got.itinerary, strict=True)):
        ref = f"trips[{len(trips) + i}]"
        assert answer.overstay_days == want[ref].overstay_days
        assert answer.lawful == (want[ref].overstay_days == 0)
        found = [v for v in report.violations if v.facts["ref"] == ref]
        assert (answer.sanction is None) == (not found)
        if found:
            assert answer.sanction == found[0].sanction
        days = lawful_days(case.model_copy(update={"trips": [*trips, *planned[:i]]}), trip.entry)
        assert answer.last_lawful_day == (None if days in (None, 0) else trip.entry + timedelta(days=days - 1))
        if want[ref].overstay_days and answer.last_lawful_day is not None:
            assert want[ref].overstay_since == answer.last_lawful_day + timedelta(days=1)


@given(HISTORIES, st.integers(0, 60), st.integers(1, 40))
def test_the_timeline_starts_at_the_days_used_and_moves_a_day_at_a_time(case: Case, after: int, n: int) -> None:
    if not _no_open_future(case):
        return
    _trips, free = _history(case)
    assert case.as_of is not None
    entry = max(free, case.as_of + timedelta(days=1)) + timedelta(days=after)
    got = plan(case, trips=[Trip(entry=entry, exit=entry + timedelta(days=n - 1))])
    assert got.timeline[0].date == got.as_of and got.timeline[0].days_in_window == got.now.days_used
    assert len(got.timeline) >= 180
    for a, b in zip(got.timeline, got.timeline[1:], strict=False):
        assert (b.date - a.date).days == 1
        if a.days_in_window is not None and b.days_in_window is not None and a.cap_days == b.cap_days:
            assert abs(b.days_in_window - a.days_in_window) <= 1, (a, b)


@given(HISTORIES, st.integers(0, 100), st.integers(1, 60))
def test_plans_agree_on_both_engines(case: Case, after: int, n: int) -> None:
    if len(ENGINES) < 2 or not _no_open_future(case):
        return
    _trips, free = _history(case)
    assert case.as_of is not None
    day = max(free, case.as_of + timedelta(days=1)) + timedelta(days=after)
    trips = [Trip(entry=day + timedelta(days=n), exit=day + timedelta(days=2 * n + 20))]
    answers = [plan(case, enter=day, days=n, trips=trips, engine=e) for e in ENGINES]
    assert answers[0] == answers[1]
