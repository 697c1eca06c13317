"""Labour beyond the scenario files (tests/scenarios/labour-*.case.yaml pin each labour rule firing and
not, at its boundaries): which permit a job needs (a derived fact), the validation of secondments and
staff counts, the ratio arithmetic of a hire, the labour seeds, and the text of unverified violations."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from .helpers import case, codes, run

from kzcompliance import CaseError, check
from kzcompliance.case import StaffCount
from kzcompliance.pipeline import evaluate
from kzcompliance.ratios import staff_ratios, with_hire
from kzcompliance.seeds import reference

LEGAL = {"id": "e1", "type": "legal_entity", "size": "medium"}
HOUSEHOLD = {"id": "fam", "type": "individual"}


def worker(as_of: str, *, docs: list[dict[str, Any]], job: dict[str, Any], employer: dict[str, Any] = LEGAL,
           citizenship: str = "UZ", entry: str = "2025-11-15", purpose: str = "work",
           residence: bool = True) -> dict[str, Any]:
    """A worker in the country since `entry`, with a residence permit covering the stay unless told otherwise."""
    residence_permit = {"type": "temporary_residence_permit", "valid_from": entry, "valid_until": "2027-12-31"}
    stay_docs = [residence_permit] if residence else []
    return case(citizenship, as_of, trips=[{"entry": entry, "exit": None, "purpose": purpose}],
                documents=[*stay_docs, *docs], employment=[job], employers=[employer])


def irs(category: str = "3", employer: str = "e1", valid_from: str = "2025-11-20", valid_until: str = "2026-03-31",
        region: str | None = None) -> dict[str, Any]:
    doc = {"type": "work_permit", "category": category, "employer": employer, "valid_from": valid_from,
           "valid_until": valid_until}
    if region:
        doc["region"] = region
    return doc


def job(start: str = "2025-12-01", category: str | None = "3", employer: str = "e1", **extra: Any) -> dict[str, Any]:
    return {"employer": employer, "start": start, "end": None, "category": category, **extra}


def test_secondments_are_validated_against_the_job() -> None:
    bad = worker("2026-01-10", docs=[], job=job(secondments=[{"region": "Almaty", "from": "2025-11-01"}]))
    with pytest.raises(CaseError) as err:
        check(bad)
    assert err.value.field == "employment[0].secondments[0]"
    overlap = worker("2026-01-10", docs=[], job=job(secondments=[
        {"region": "Almaty", "from": "2025-12-05", "to": "2025-12-20"},
        {"region": "Aktau", "from": "2025-12-20", "to": "2025-12-30"}]))
    with pytest.raises(CaseError) as err:
        check(overlap)
    assert err.value.field == "employment[0].secondments[1]"


class TestWhichPermit:
    def permit_needed(self, c: dict[str, Any]) -> Any:
        ev = evaluate(c)
        return next(f.get("permit_needed") for f in ev.derived.facts if f["kind"] == "job")

    def test_by_regime_and_employer_type(self) -> None:
        planned = job(start="2026-05-01")
        assert self.permit_needed(worker("2026-04-01", docs=[], job=planned)) == "work_permit"
        household = worker("2026-04-01", docs=[], job=job(start="2026-05-01", employer="fam", category=None),
                           employer=HOUSEHOLD)
        assert self.permit_needed(household) == "labour_immigrant_permit"
        assert self.permit_needed(worker("2026-04-01", docs=[], job=planned, citizenship="KG")) == "none"
        prp = {"type": "permanent_residence_permit", "valid_from": "2020-01-01"}
        assert self.permit_needed(worker("2026-04-01", docs=[prp], job=planned)) == "none"


def staffed(as_of: str, staff: dict[str, Any]) -> dict[str, Any]:
    return case("UZ", as_of, employers=[{**LEGAL, "staff": staff}])


class TestLocalStaffRatio:
    def test_ict_cannot_exceed_foreign(self) -> None:
        with pytest.raises(CaseError) as err:
            check(staffed("2026-03-01", {"2": {"local": 10, "foreign": 1, "ict": 2}}))
        assert err.value.field == "employers[0].staff.2.ict"

    def test_a_hire_adds_one_foreign_worker_to_its_category(self) -> None:
        ref = reference()

        def param(name: str, on: date) -> int | None:
            row = ref.parameter(name, on)
            return row.value if row else None

        staff = {"3": StaffCount(local=90, foreign=10)}
        before = staff_ratios(staff, None, date(2026, 3, 1), param)[0]
        after = staff_ratios(with_hire(staff, "3"), None, date(2026, 3, 1), param)[0]
        assert (before.ok, before.share_text) == (True, "90.0%")
        assert (after.ok, after.foreign, after.limit) == (False, 11, 91)  # ceil(0.9 x 101) = 91


class TestSeeds:
    def test_quotas_by_year(self) -> None:
        ref = reference()
        assert str(ref.quota(date(2024, 6, 1)).irs_pct) == "0.23"
        assert str(ref.quota(date(2025, 9, 1)).labour_immigrant_pct) == "2.95"
        q = ref.quota(date(2026, 1, 2))
        assert (str(q.irs_pct), str(q.labour_immigrant_pct)) == ("0.25", "2.9")
        assert q.irs_by_category == {"1": 726, "2": 3402, "3": 5893, "4": 3131, "seasonal": 4994}
        assert ref.quota(date(2027, 1, 1)) == q  # past the table's known_until: carried forward
        assert ref.quota(date(2023, 12, 31)) is None

    def test_unverified_figures_are_marked_and_unknown_fines_are_null(self) -> None:
        ref = reference()
        on = date(2026, 1, 1)
        assert not ref.sanction("519-1", on).verified and ref.sanction("519-1", on).tiers["large"].fine_mrp is None
        p2 = ref.sanction("518-2", on)
        assert not p2.verified and all(t.fine_mrp is None for t in p2.tiers.values())
        p3 = ref.sanction("518-3", on)
        assert not p3.verified and p3.tiers["individual"].fine_mrp == 30 and p3.tiers["large"].fine_mrp is None
        tax = [ref.parameter("labour.immigrant_tax_mrp_per_month", date(y, 1, 1)) for y in (2016, 2018, 2026)]
        assert [(t.value, t.verified) for t in tax if t] == [(2, False), (4, False), (4, False)]  # brief C8
        assert ref.parameter("labour.local_share_min_pct_cat_1_2", on).value == 70


def test_unverified_labour_violations_show_as_such_in_text(engine: str) -> None:
    from kzcompliance.render import render_text

    r = run(worker("2026-04-01", docs=[irs()], job=job()), engine)
    text = render_text(r)
    assert "519-1" in text and "fine unknown" in text and "[unverified]" in text
    assert sorted(codes(r)) == ["517-5", "519-1"]
