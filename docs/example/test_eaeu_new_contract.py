"""The guide's worked example: the property test of the rule in eaeu-new-contract.yaml."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings

from kzcompliance import Case, check
from kzcompliance.pipeline import evaluate
from kzcompliance.rulebook import rulebook_with
from kzcompliance.testing import cases

BOOK = rulebook_with([Path(__file__).with_name("eaeu-new-contract.yaml")])
# The example count comes from the Hypothesis profile (tests/conftest.py: "ci", or HYPOTHESIS_PROFILE=dev);
# no deadline, as the first check builds the rule engines.
NO_DEADLINE = settings(deadline=None)


@NO_DEADLINE
@given(cases(regime="eaeu", max_trips=2, ongoing=True))
def test_a_new_contract_is_due_exactly_when_a_contract_bases_the_stay(case: Case) -> None:
    report = check(case, rulebook=BOOK)
    due = [o.due.isoformat() for o in report.obligations if o.kind == "new_contract_by"]
    trips = [f for f in evaluate(case, rulebook=BOOK).derived.facts if f["kind"] == "trip"]
    based = [f["leave_by"] for f in trips
             if f.get("limit_basis") == "eaeu_contract" and f.get("overstay_days") == 0 and "leave_by" in f]
    assert due == based
    assert set(due) <= {o.due.isoformat() for o in report.obligations if o.kind == "leave_by"}


@NO_DEADLINE
@given(cases(regime="cis"))
def test_no_one_outside_the_eaeu_is_told_to_sign_a_new_contract(case: Case) -> None:
    assert not [o for o in check(case, rulebook=BOOK).obligations if o.kind == "new_contract_by"]
