"""The employer's roster check and the hire pre-check, on the bundled examples and at their boundaries.

Figures: MRP 2026 = 4,325 KZT, 2025 = 3,932 KZT; 25 MRP (517 p.5) = 108,125 KZT in 2026.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kzcompliance import CaseError, check_hire, check_roster

ROOT = Path(__file__).resolve().parents[1]
ROSTER = ROOT / "examples" / "roster" / "construction-roster.json"
HIRE = ROOT / "examples" / "hire"
MRP_2026, MRP_2025 = 4325, 3932


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kzcompliance", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


class TestRosterExample:
    def test_each_employee_is_judged_on_their_own_case(self, engine: str) -> None:
        r = check_roster(load(ROSTER), engine=engine)
        status = {e.index: sorted(v.rule for v in e.report.violations) for e in r.employees}
        assert status == {
            0: [],                                                                # permit and residence held
            1: ["labour.employer-permit-expired", "labour.permit-expired"],       # permit ended 28 Feb
            2: [],                                                                # EAEU: no permit
            3: ["labour.employer-purpose-not-work", "labour.purpose-not-work"],   # business trip used for work
        }
        assert not r.compliant

    def test_the_employers_ratio_blocks_new_permits(self, engine: str) -> None:
        r = check_roster(load(ROSTER), engine=engine)
        # categories 3-4: 140 Kazakh citizens of 158 staff = 88.6%; 90% needs ceil(142.2) = 143
        by_group = {q.group: q for q in r.ratios}
        assert (by_group["3-4"].local, by_group["3-4"].foreign, by_group["3-4"].limit, by_group["3-4"].ok) == \
            (140, 18, 143, False)
        assert by_group["1-2"].ok  # 11 of 14 = 78.5%
        assert r.permits_blocked and [f.rule for f in r.findings] == ["labour.local-staff-ratio"]
        # the employees' own reports do not repeat the employer's ratio
        assert all(e.report.findings == [] for e in r.employees)

    def test_missing_permits_and_fines_exposure(self, engine: str) -> None:
        r = check_roster(load(ROSTER), engine=engine)
        assert [(m.employee, m.permit, m.category, m.since) for m in r.permits_missing] == [
            (1, "work_permit", "4", date(2026, 3, 1)), (3, "work_permit", "4", date(2026, 3, 2))]
        x = r.exposure
        # two workers under 517 p.5 at 25 MRP; the medium employer's two 519 fines have no known figure
        assert (x.employees_kzt, x.employees_unknown) == (2 * 25 * MRP_2026, 0)
        assert (x.employer_kzt, x.employer_unknown) == (0, 2)

    def test_cli_json_and_table_exit_1(self) -> None:
        p = cli("roster", str(ROSTER), "--format", "json")
        assert p.returncode == 1 and p.stderr == ""
        out = json.loads(p.stdout)
        assert {"as_of", "employer", "compliant", "permits_blocked", "employees", "findings", "ratios",
                "permits_missing", "exposure"} <= set(out)
        assert {"violations", "obligations", "regime", "compliant"} <= set(out["employees"][0]["report"])
        text = cli("roster", str(ROSTER))
        assert text.returncode == 1
        for shown in ("new permits blocked", "PERMITS MISSING", "[unverified]"):
            assert shown in text.stdout


def compliant_roster() -> dict[str, Any]:
    data = load(ROSTER)
    data["employees"] = [data["employees"][0], data["employees"][2]]
    # categories 3-4: 170 Kazakh citizens of 188 staff = 90.4% (90% needs ceil(169.2) = 170)
    data["employer"]["staff"]["3"] = {"local": 70, "foreign": 6}
    return data


class TestRosterInput:
    def test_all_compliant_and_ratios_met_exits_0(self, tmp_path: Path) -> None:
        path = tmp_path / "roster.json"
        path.write_text(json.dumps(compliant_roster()))
        p = cli("roster", str(path))
        assert p.returncode == 0, p.stdout
        r = check_roster(compliant_roster())
        assert r.compliant and not r.permits_blocked

    def test_a_case_keeps_its_own_date_and_employer(self) -> None:
        data = compliant_roster()
        data["employees"][1]["as_of"] = "2026-02-20"
        data["employees"][1]["employers"] = [{"id": "astana-build", "type": "legal_entity", "size": "large"}]
        r = check_roster(data)
        assert r.employees[1].report.as_of == date(2026, 2, 20) and r.employees[0].report.as_of == date(2026, 3, 10)

    def test_an_invalid_employee_names_its_path(self, tmp_path: Path) -> None:
        data = compliant_roster()
        data["employees"][1]["trips"][0]["exit"] = "2026-01-01"
        with pytest.raises(CaseError) as err:
            check_roster(data)
        assert err.value.field == "employees[1].trips[0].exit"
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(data))
        p = cli("roster", str(path))
        assert p.returncode == 2 and "employees[1].trips[0].exit" in p.stderr and "Traceback" not in p.stderr

    def test_an_invalid_employer_names_its_field(self) -> None:
        data = compliant_roster()
        del data["employer"]["size"]
        with pytest.raises(CaseError) as err:
            check_roster(data)
        assert err.value.field == "employer.size"


def hire_cli(name: str, *args: str) -> tuple[int, dict[str, Any]]:
    p = cli("hire", str(HIRE / name), *args, "--format", "json")
    assert p.stderr == "", p.stderr
    return p.returncode, json.loads(p.stdout)


class TestHireExamples:
    def test_a_category_3_specialist_needs_a_permit_a_stay_basis_and_fits_the_ratio(self) -> None:
        code, r = hire_cli("chinese-engineer.json", "--start", "2026-05-04", "--end", "2026-12-31",
                           "--employer", "almaty-tech", "--category", "3")
        assert code == 1 and r["verdict"] == "needs_action"
        permit = r["permit"]
        assert (permit["needed"], permit["category"], permit["needed_by"]) == ("work_permit", "3", "2026-05-04")
        # China: 30 visa-free days from the assumed entry on 4 May end on 2 June
        assert (r["stay"]["covered_until"], r["stay"]["covers_whole_job"]) == ("2026-06-02", False)
        assert r["assumptions"]
        # categories 3-4: 420 of 449 before (93.5%), 420 of 450 after (93.3%): above 90%
        assert (r["ratio"]["before"]["share"], r["ratio"]["after"]["share"], r["ratio"]["after"]["ok"]) == \
            ("93.5%", "93.3%", True)
        assert r["quota"]["category_quota"] == 5893
        exposure = {v["rule"]: v["sanction"] for v in r["exposure"]["violations"]}
        assert exposure["labour.work-without-permit"]["fine_kzt"] == 25 * MRP_2026
        assert exposure["labour.employer-without-permit"]["fine_mrp"] is None  # large business: 519 tier U

    def test_an_eaeu_hire_needs_no_permit_and_is_ready(self) -> None:
        code, r = hire_cli("eaeu-welder.json", "--start", "2026-04-01", "--end", "2026-09-30",
                           "--employer", "karaganda-steel", "--category", "4")
        assert code == 0 and r["verdict"] == "ready"
        assert r["permit"]["needed"] == "none" and r["permit"]["covered"]
        assert r["stay"]["covers_whole_job"] and r["stay"]["basis"] == "eaeu_contract"
        assert r["exposure"]["violations"] == []

    def test_a_household_hiring_a_labour_immigrant(self) -> None:
        code, r = hire_cli("household-nanny.json", "--start", "2026-04-06", "--end", "2026-09-30",
                           "--employer", "family-abenov")
        assert code == 1 and r["permit"]["needed"] == "labour_immigrant_permit" and r["ratio"] is None
        # April to September: 6 months of tax in advance at 4 MRP a month (2026 Tax Code, brief C8)
        permit = r["permit"]
        assert (permit["tax_months"], permit["tax_mrp_per_month"], permit["tax_kzt"]) == (6, 4, 6 * 4 * MRP_2026)
        household = next(v for v in r["exposure"]["violations"] if v["rule"] == "labour.employer-without-permit")
        assert household["sanction"]["fine_kzt"] == 30 * MRP_2026

    def test_text_output(self) -> None:
        p = cli("hire", str(HIRE / "household-nanny.json"), "--start", "2026-04-06", "--employer", "family-abenov")
        assert p.returncode == 1 and "obtain a labour-immigrant permit" in p.stdout and "NEEDS ACTION" in p.stdout


def employer_case(staff: dict[str, Any], as_of: str | None = None,
                  docs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    c: dict[str, Any] = {"person": {"citizenship": "UZ"}, "documents": docs or [], "stays": [],
                         "employers": [{"id": "e1", "type": "legal_entity", "size": "small", "staff": staff}]}
    if as_of:
        c["as_of"] = as_of
    return c


class TestHireBoundaries:
    def test_a_hire_that_takes_the_ratio_below_90_percent_is_blocked(self, engine: str) -> None:
        # 90 of 100 now (90%); after the hire 90 of 101 = 89.1%, below 90%
        r = check_hire(employer_case({"3": {"local": 90, "foreign": 10}}), start=date(2026, 5, 4), employer="e1",
                       category="3", engine=engine)
        assert r.verdict == "blocked" and r.ratio is not None and r.ratio.before.ok and not r.ratio.after.ok

    def test_a_hire_that_lands_on_exactly_90_percent_is_not_blocked(self, engine: str) -> None:
        # 90 of 99 now; after the hire 90 of 100 = 90.0%
        r = check_hire(employer_case({"3": {"local": 90, "foreign": 9}}), start=date(2026, 5, 4), employer="e1",
                       category="3", engine=engine)
        assert r.verdict == "needs_action" and r.ratio is not None and r.ratio.after.share == "90.0%"

    def test_a_permit_held_for_the_whole_job_makes_it_ready(self, engine: str) -> None:
        docs = [{"type": "work_permit", "category": "3", "employer": "e1", "valid_from": "2026-05-01",
                 "valid_until": "2027-04-30"},
                {"type": "temporary_residence_permit", "valid_from": "2026-05-01", "valid_until": "2027-04-30"}]
        c = employer_case({"3": {"local": 90, "foreign": 10}}, docs=docs)
        c["trips"] = [{"entry": "2026-05-02", "exit": None, "purpose": "work"}]
        r = check_hire(c, start=date(2026, 5, 4), end=date(2027, 4, 30), employer="e1", category="3", engine=engine)
        assert r.verdict == "ready" and r.permit.covered and r.stay.covers_whole_job and r.assumptions == []
        # the permit ends a day before the job: its extension is needed on 1 May 2027, and with the hire
        # counted (90 of 101 = 89.1%) the ratio would bar it
        short = check_hire(c, start=date(2026, 5, 4), end=date(2027, 5, 1), employer="e1", category="3", engine=engine)
        assert short.verdict == "blocked" and short.permit.needed_by == date(2027, 5, 1)

    def test_a_past_as_of_in_the_case_does_not_matter_for_planning(self) -> None:
        r = check_hire(employer_case({"3": {"local": 90, "foreign": 9}}, as_of="2020-01-01"), start=date(2026, 5, 4),
                       employer="e1", category="3")
        assert r.exposure.as_of == date(2026, 5, 4) and r.permit.needed_by == date(2026, 5, 4)

    def test_a_household_hire_in_2025_prices_the_advance_tax(self) -> None:
        c = {"person": {"citizenship": "TJ"}, "documents": [], "employers": [{"id": "fam", "type": "individual"}]}
        r = check_hire(c, start=date(2025, 3, 3), end=date(2025, 8, 31), employer="fam")
        # March to August: 6 months x 4 MRP x 3,932 KZT
        assert (r.permit.tax_months, r.permit.tax_mrp_per_month, r.permit.tax_kzt) == (6, 4, 6 * 4 * MRP_2025)

    def test_bad_input_names_the_option(self, tmp_path: Path) -> None:
        with pytest.raises(CaseError) as err:
            check_hire(employer_case({}), start=date(2026, 5, 4), employer="nobody", category="3")
        assert err.value.field == "employer"
        with pytest.raises(CaseError) as err:
            check_hire(employer_case({}), start=date(2026, 5, 4), employer="e1")
        assert err.value.field == "category"
        with pytest.raises(CaseError) as err:
            check_hire(employer_case({}), start=date(2026, 5, 4), end=date(2026, 5, 3), employer="e1", category="3")
        assert err.value.field == "end"
        path = tmp_path / "c.json"
        path.write_text(json.dumps(employer_case({})))
        p = cli("hire", str(path), "--start", "2026-05-04", "--employer", "nobody", "--category", "3")
        assert p.returncode == 2 and p.stderr.startswith("kzcompliance: invalid input: employer:")

    def test_the_case_is_not_changed(self) -> None:
        c = employer_case({"3": {"local": 90, "foreign": 9}})
        before = copy.deepcopy(c)
        check_hire(c, start=date(2026, 5, 4), employer="e1", category="3")
        assert c == before


def test_both_engines_give_the_same_roster_and_hire_answers() -> None:
    from .helpers import ENGINES

    if "durable" not in ENGINES:
        pytest.skip("durable-rules does not import here")

    def scrub(d: Any) -> Any:
        if isinstance(d, dict):
            return {k: scrub(v) for k, v in d.items() if k != "engine"}
        if isinstance(d, list):
            return [scrub(v) for v in d]
        return d

    rosters = [check_roster(load(ROSTER), engine=e).model_dump(mode="json") for e in ENGINES]
    assert scrub(rosters[0]) == scrub(rosters[1])
    hires = [check_hire(load(HIRE / "household-nanny.json"), start=date(2026, 4, 6), end=date(2026, 9, 30),
                        employer="family-abenov", engine=e).model_dump(mode="json") for e in ENGINES]
    assert scrub(hires[0]) == scrub(hires[1])
