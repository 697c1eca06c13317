"""Property tests of the verdict (`compliant` true, false or null) on both engines: it is never true while a
check that could find a violation was skipped, false whenever a violation exists, and the law's edges
(before the tables start, after they end) are never passed silently."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from .helpers import ENGINES
from hypothesis import given
from hypothesis import strategies as st

from kzcompliance import Case, check
from kzcompliance.seeds import reference
from kzcompliance.testing import cases, citizenships

ANY_CASE = cases(complete=False, permanent_resident=None)
LAW_START = reference().law_start
MRP_UNTIL = reference().known_until("mrp")


@pytest.mark.parametrize("engine", ENGINES)
@given(case=ANY_CASE)
def test_the_verdict_is_false_on_a_violation_and_never_true_past_a_skipped_check(engine: str, case: Case) -> None:
    report = check(case, engine=engine)
    open_checks = [u for u in report.unchecked if u.can_find_violation]
    assert (report.compliant is False) == bool(report.violations)
    if report.compliant is True:
        assert open_checks == []
    if not report.violations:
        assert report.compliant is (None if open_checks else True)
    assert report.exit_code == {True: 0, False: 1, None: 3}[report.compliant]


@pytest.mark.parametrize("engine", ENGINES)
@given(case=cases(complete=True, permanent_resident=None), left_out=st.sampled_from(["trips", "stays", "employment"]))
def test_leaving_out_a_list_every_check_needs_never_leaves_the_verdict_true(engine: str, case: Case,
                                                                           left_out: str) -> None:
    partial = check(case.model_copy(update={left_out: None}), engine=engine)
    assert partial.compliant is not True
    assert any(u.needs == left_out and u.can_find_violation for u in partial.unchecked)


@pytest.mark.parametrize("engine", ENGINES)
@given(case=cases(complete=True, permanent_resident=None))
def test_prior_offences_only_aggravate_so_leaving_them_out_keeps_the_verdict(engine: str, case: Case) -> None:
    full = check(case, engine=engine)
    without = check(case.model_copy(update={"prior_offences": None}), engine=engine)
    assert without.compliant == full.compliant
    assert all(not u.can_find_violation for u in without.unchecked if u.needs.startswith("prior_offences"))


@pytest.mark.parametrize("engine", ENGINES)
@given(country=citizenships("cis"), entry=st.dates(date(1990, 1, 1), LAW_START - timedelta(days=1)),
       as_of=st.dates(LAW_START + timedelta(days=120), date(2027, 12, 31)))
def test_a_stay_begun_before_the_law_is_an_overstay_judged_from_its_start(engine: str, country: str, entry: date,
                                                                          as_of: date) -> None:
    # Still in the country over 90 days after the law's start, with no documents: no visa-free term covers it.
    report = check({"as_of": as_of.isoformat(), "person": {"citizenship": country}, "documents": [],
                    "trips": [{"entry": entry.isoformat(), "exit": None, "purpose": "private"}]}, engine=engine)
    assert report.compliant is False
    overstay = [v for v in report.violations if v.facts["ref"] == "trips[0]"]
    assert overstay and all(not v.verified and v.since > LAW_START for v in overstay)
    assert [(a.ref, a.kind) for a in report.assumptions] == [("trips[0]", "before_law_start")]


@given(case=cases(start=date(2026, 6, 1), end=date(2027, 12, 31), complete=True, permanent_resident=None))
def test_a_fine_priced_past_the_mrp_table_is_unverified_and_says_which_mrp(case: Case) -> None:
    report = check(case)
    for v in report.violations:
        carried = report.as_of > MRP_UNTIL
        assert (v.sanction.note is not None) == carried
        if carried:
            assert not v.sanction.verified
            assert str(MRP_UNTIL.year) in (v.sanction.note or "") and str(report.as_of.year) in (v.sanction.note or "")
