"""Property tests over generated cases: determinism, JSON round trips, the two engines, regime invariants,
late notification, registration deadlines near weekends and holidays, and the trace."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from .helpers import ENGINES, raw_rulebook
from hypothesis import given
from hypothesis import strategies as st

from kzcompliance import Case, Report, check
from kzcompliance.pipeline import evaluate
from kzcompliance.testing import Boundary, cases, near_registration_deadline

ANY_CASE = cases(complete=False, permanent_resident=None)


def _without_engine(report: Report) -> dict[str, Any]:
    data = report.model_dump(mode="json")
    data.pop("engine")
    return data


@given(ANY_CASE)
def test_a_check_is_deterministic(case: Case) -> None:
    first = check(case)
    assert check(case) == first
    assert check(json.loads(json.dumps(case.to_json_dict()))) == first


@given(ANY_CASE)
def test_a_json_line_validates_to_the_case_its_dict_does(case: Case) -> None:
    # The batch validates each line's text directly (pydantic parses it); check() takes the dict.
    line = json.dumps(case.to_json_dict(), ensure_ascii=False)
    assert Case.model_validate_json(line) == Case.model_validate(json.loads(line)) == case


def _canonical(report: Report, renamed: dict[str, str]) -> dict[str, Any]:
    """The report with refs renamed and its lists in a fixed order (ties in the report's own order aside)."""
    def rename(text: str) -> str:  # "documents[1].tax_paid_until" -> "documents[0].tax_paid_until"
        return re.sub(r"^\w+\[\d+\]", lambda m: renamed.get(m.group(0), m.group(0)), text)

    data = report.model_dump(mode="json")
    for key in ("violations", "findings"):
        for item in data[key]:
            item["facts"]["ref"] = rename(item["facts"]["ref"])
    for item in data["unchecked"]:
        item["needs"] = rename(item["needs"])
    for item in data["assumptions"]:
        item["ref"] = rename(item["ref"])
    for key in ("violations", "obligations", "findings", "unchecked", "assumptions"):
        data[key] = sorted(data[key], key=lambda item: json.dumps(item, sort_keys=True))
    return data


@given(ANY_CASE, st.data())
def test_the_order_of_a_cases_lists_does_not_matter(case: Case, data: st.DataObject) -> None:
    update: dict[str, Any] = {}
    renamed: dict[str, str] = {}
    for name in ("trips", "documents", "stays", "hosts", "employment"):
        items = getattr(case, name)
        if items:
            order = data.draw(st.permutations(range(len(items))), label=name)
            update[name] = [items[i] for i in order]
            renamed.update({f"{name}[{i}]": f"{name}[{j}]" for j, i in enumerate(order)})
    shuffled = case.model_copy(update=update)
    assert _canonical(check(case), renamed) == _canonical(check(shuffled), {})


@given(ANY_CASE)
def test_case_and_report_round_trip_through_json(case: Case) -> None:
    assert Case.model_validate_json(case.model_dump_json(by_alias=True)) == case
    assert Case.model_validate(json.loads(json.dumps(case.to_json_dict()))) == case
    for traced in (False, True):
        report = check(case, trace=traced)
        assert Report.model_validate_json(report.to_json()) == report


@pytest.mark.skipif(len(ENGINES) < 2, reason="durable-rules does not import here")
@given(ANY_CASE)
def test_durable_rules_and_the_python_evaluator_agree(case: Case) -> None:
    book = raw_rulebook()  # every fact asked of each engine: the memo may not hide a disagreement
    assert _without_engine(check(case, engine="durable", rulebook=book)) == \
        _without_engine(check(case, engine="python", rulebook=book))
    durable, python = book.engine("durable"), book.engine("python")
    for fact in evaluate(case, engine="python").derived.facts:
        assert durable.evaluate(fact) == python.evaluate(fact), fact


PERMIT_RULES = {"labour.work-without-permit", "labour.employer-without-permit"}


@given(cases(regime="eaeu", complete=True, permanent_resident=None))
def test_an_eaeu_citizen_is_never_asked_for_a_work_permit(case: Case) -> None:
    report = check(case)
    assert not [v.rule for v in report.violations if v.rule in PERMIT_RULES]
    assert not [o.kind for o in report.obligations if o.kind in ("obtain_permit", "renew_permit_by")]
    jobs = [f for f in evaluate(case).derived.facts if f["kind"] == "job"]
    assert all(f["permit_required"] is False for f in jobs)


@given(cases(complete=True, permanent_resident=True))
def test_a_permanent_resident_never_overstays(case: Case) -> None:
    report = check(case)
    assert not [v.rule for v in report.violations if v.facts["ref"].startswith("trips[")]
    assert not [o for o in report.obligations if o.kind == "leave_by"]


def _late(report: Report) -> dict[tuple[str, str], int]:
    return {(v.rule, v.facts["ref"]): v.facts.get("late_days", 0) for v in report.violations
            if v.rule.startswith("registration.")}


@given(cases(complete=True), st.data())
def test_notifying_later_never_removes_a_late_notification(case: Case, data: st.DataObject) -> None:
    notified = [i for i, s in enumerate(case.stays or []) if s.registered_on is not None]
    if not notified:
        return
    i = data.draw(st.sampled_from(notified))
    stays = list(case.stays or [])
    stays[i] = stays[i].model_copy(update={"registered_on": stays[i].registered_on + timedelta(days=1)})
    before, after = _late(check(case)), _late(check(case.model_copy(update={"stays": stays})))
    for key, days in before.items():
        assert key in after and after[key] >= days, (key, days, after)


@given(near_registration_deadline())
def test_registration_around_its_deadline(b: Boundary) -> None:
    late = [v for v in check(b.case).violations if v.rule.startswith("registration.")]
    if b.past == 0:
        assert late == [], b.what
    else:
        assert [(v.since, v.facts["late_days"]) for v in late] == [(b.limit + timedelta(days=1), b.past)], b.what
        assert late[0].facts["register_by"] == b.limit.isoformat()


@given(ANY_CASE)
def test_the_trace_explains_exactly_the_report(case: Case) -> None:
    report = check(case, trace=True)
    assert report.trace is not None
    assert report.model_copy(update={"trace": None}) == check(case)
    outcomes = sorted((o.outcome, o.rule, o.result, o.on.isoformat()) for o in report.trace.outcomes)
    listed = sorted([("violation", v.rule, v.sanction.code, v.since.isoformat()) for v in report.violations]
                    + [("obligation", o.rule, o.kind, o.due.isoformat()) for o in report.obligations]
                    + [("finding", f.rule, f.kind, f.since.isoformat()) for f in report.findings])
    assert outcomes == listed
    fired = Counter((fact.ref, rc.rule, rc.outcome) for fact in report.trace.facts for rc in fact.rules
                    if rc.outcome in ("violation", "obligation", "finding"))
    assert fired == Counter((o.ref, o.rule, o.outcome) for o in report.trace.outcomes)
    for fact in report.trace.facts:
        for rc in fact.rules:
            assert (rc.outcome == "not fired") == bool(rc.failed), (fact.ref, rc)
