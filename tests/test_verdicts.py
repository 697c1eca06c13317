"""Honest verdicts through every entry point (check, explain, batch, roster, hire, check_many), the law's edges
(before the tables start, after they end), the law-coverage view and the input errors of issue 9."""

from __future__ import annotations

import copy
import io
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from .helpers import case

from kzcompliance import CaseError, check, check_hire, check_many, check_roster
from kzcompliance.batch import run_batch
from kzcompliance.cli import main
from kzcompliance.errors import SeedError
from kzcompliance.seeds import ReferenceData, reference

ROOT = Path(__file__).resolve().parents[1]
UZ_VISITOR = case("UZ", "2026-02-20", trips=[{"entry": "2026-02-01", "exit": None, "purpose": "private"}])
NO_DOCUMENTS = {k: v for k, v in UZ_VISITOR.items() if k != "documents"}
OVERSTAY = {**UZ_VISITOR, "as_of": "2026-03-06"}


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class TestVerdict:
    def test_a_left_out_documents_list_is_undetermined_not_compliant(self, engine: str) -> None:
        r = check(NO_DOCUMENTS, engine=engine)
        assert r.compliant is None and r.violations == [] and r.verdict == "undetermined"
        assert [(u.check, u.needs, u.can_find_violation) for u in r.unchecked] == [("stay", "documents", True)]
        assert check(UZ_VISITOR, engine=engine).compliant is True

    def test_a_violation_is_false_whatever_was_skipped(self, engine: str) -> None:
        r = check({k: v for k, v in OVERSTAY.items() if k != "stays"}, engine=engine)
        assert r.compliant is False and any(u.can_find_violation for u in r.unchecked)

    def test_a_missing_fine_tier_or_repeat_record_does_not_make_it_undetermined(self, engine: str) -> None:
        late = {**OVERSTAY, "stays": [{"host": "h1", "from": "2026-02-01", "registered_on": None}]}
        r = check(late, engine=engine)  # hosts and prior_offences left out: they only set the tier or aggravate
        skipped = {u.check: u.can_find_violation for u in r.unchecked}
        assert skipped == {"host sanction tier": False, "repeat offence (KoAP 518 p.3)": False}
        assert r.compliant is False
        registered = {**UZ_VISITOR, "stays": [{"host": "h1", "from": "2026-02-01", "registered_on": "2026-02-02"}]}
        assert check(registered, engine=engine).compliant is True  # hosts left out: only the tier was not known

    def test_check_many_yields_the_same_verdicts(self) -> None:
        assert [r.compliant for r in check_many([UZ_VISITOR, NO_DOCUMENTS, OVERSTAY])] == [True, None, False]


class TestCli:
    @pytest.mark.parametrize("command", ["check", "explain"])
    def test_exit_codes(self, capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str) -> None:
        for data, want in ((UZ_VISITOR, 0), (OVERSTAY, 1), (NO_DOCUMENTS, 3)):
            code, _out, _err = run_cli(capsys, command, write(tmp_path, "c.json", data))
            assert code == want, data

    @pytest.mark.parametrize(("lang", "word", "check"), [("en", "Undetermined", "stay"),
                                                         ("ru", "Не определено", "пребывание"),
                                                         ("kk", "Анықталмады", "болу")])
    def test_the_first_line_says_undetermined_and_names_the_field(self, capsys: pytest.CaptureFixture[str],
                                                                   tmp_path: Path, lang: str, word: str,
                                                                   check: str) -> None:
        code, out, _err = run_cli(capsys, "check", write(tmp_path, "c.json", NO_DOCUMENTS), "--lang", lang)
        first = out.splitlines()[0]
        assert code == 3 and first.startswith(word + ":") and check in first and "documents" in first

    def test_the_report_schema_allows_a_null_verdict(self, capsys: pytest.CaptureFixture[str]) -> None:
        _code, out, _err = run_cli(capsys, "schema", "report")
        prop = json.loads(out)["properties"]["compliant"]
        assert {"type": "null"} in prop["anyOf"] and {"type": "boolean"} in prop["anyOf"]

    def test_batch_counts_the_undetermined_apart(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        lines = tmp_path / "in.jsonl"
        lines.write_text("\n".join(json.dumps(c) for c in (UZ_VISITOR, NO_DOCUMENTS, NO_DOCUMENTS)) + "\n")
        code, _out, err = run_cli(capsys, "batch", str(lines), str(tmp_path / "out.jsonl"), "-j", "1")
        assert code == 3 and "compliant: 1, with violations: 0, undetermined: 2, errors: 0" in err
        lines.write_text("\n".join(json.dumps(c) for c in (NO_DOCUMENTS, OVERSTAY)) + "\n")
        assert run_cli(capsys, "batch", str(lines), str(tmp_path / "out.jsonl"), "-j", "1")[0] == 1

    def test_batch_summary_undetermined_in_process(self) -> None:
        source = io.BytesIO(("\n".join(json.dumps(c) for c in (NO_DOCUMENTS, OVERSTAY, UZ_VISITOR)) + "\n").encode())
        summary = run_batch(source, io.StringIO(), jobs=1)
        assert (summary.compliant, summary.with_violations, summary.undetermined) == (1, 1, 1)
        assert summary.exit_code == 1


class TestRosterAndHire:
    def roster(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((ROOT / "examples" / "roster" / "construction-roster.json").read_text())
        first = copy.deepcopy(data["employees"][0])
        first["person"]["name"] = "stays not given"
        del first["stays"]
        data["employees"] = [data["employees"][0], first]
        del data["employer"]["staff"]  # no ratio finding: the exit code is the employees' verdicts'
        return data

    def test_the_roster_shows_each_employees_verdict(self, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     engine: str) -> None:
        report = check_roster(self.roster(), engine=engine)
        assert [e.report.compliant for e in report.employees] == [True, None]
        assert report.compliant is None and report.undetermined == 1
        code, out, _err = run_cli(capsys, "roster", write(tmp_path, "r.json", self.roster()))
        assert code == 3 and "1 compliant, 1 undetermined" in out.splitlines()[0]
        rows = [line.split() for line in out.splitlines() if "Site engineer" in line or "stays not given" in line]
        assert [("compliant" in r, "undetermined" in r) for r in rows] == [(True, False), (False, True)]

    def test_a_hire_whose_stays_are_not_given_is_undetermined(self, capsys: pytest.CaptureFixture[str],
                                                              tmp_path: Path) -> None:
        data = json.loads((ROOT / "examples" / "hire" / "eaeu-welder.json").read_text())
        employer = data["employers"][0]["id"]
        assert check_hire(data, start=date(2026, 4, 1), employer=employer, category="4").verdict == "ready"
        del data["stays"]
        r = check_hire(data, start=date(2026, 4, 1), employer=employer, category="4")
        assert r.verdict == "undetermined" and r.exposure.compliant is None
        code, out, _err = run_cli(capsys, "hire", write(tmp_path, "h.json", data), "--start", "2026-04-01",
                                  "--employer", employer, "--category", "4")
        assert code == 3 and "UNDETERMINED" in out.splitlines()[0] and "needs stays" in out


class TestLawEdges:
    CASE_1990 = case("UZ", "2026-03-02", trips=[{"entry": "1990-05-01", "exit": None, "purpose": "private"}],
                     documents=[])

    def test_a_1990_entry_still_present_is_an_overstay_judged_from_2015(self, engine: str) -> None:
        r = check(self.CASE_1990, engine=engine)
        assert r.compliant is False and [v.rule for v in r.violations] == ["stay.visa-free-term"]
        v = r.violations[0]
        assert not v.verified and v.since > reference().law_start
        assert [(a.ref, a.kind) for a in r.assumptions] == [("trips[0]", "before_law_start")]

    @pytest.mark.parametrize("lang", ["en", "ru", "kk"])
    def test_the_assumption_is_said_in_every_language(self, lang: str) -> None:
        r = check(self.CASE_1990, lang=lang)
        assert "1990-05-01" in r.assumptions[0].message and "2015-01-01" in r.assumptions[0].message

    def test_a_stay_or_job_before_the_law_leaves_the_verdict_undetermined(self) -> None:
        c = case("UZ", "2015-02-01", trips=[{"entry": "2014-11-10", "exit": None, "purpose": "private"}],
                 stays=[{"host": "h", "from": "2014-12-01", "to": "2014-12-20", "registered_on": None}])
        r = check(c)
        assert r.compliant is None and ("registration before the law's start", "stays[0].from") in \
            [(u.check, u.needs) for u in r.unchecked]

    @pytest.mark.parametrize(("lang", "words"), [("en", "the 2026 MRP"), ("ru", "МРП 2026"), ("kk", "2026 жылғы АЕК")])
    def test_a_fine_in_2027_carries_the_2026_mrp_unverified(self, lang: str, words: str) -> None:
        r = check({**OVERSTAY, "as_of": "2027-03-06",
                   "trips": [{"entry": "2027-02-01", "exit": None, "purpose": "private"}]}, lang=lang)
        s = r.violations[0].sanction
        assert not s.verified and s.mrp == reference().mrp(date(2026, 6, 1)).mrp
        assert s.note is not None and words in s.note and "2027" in s.note
        assert check(OVERSTAY).violations[0].sanction.note is None

    def test_working_days_past_the_calendar_are_an_assumption(self) -> None:
        visa = {"type": "visa", "visa_type": "C3", "purpose": "tourism", "valid_from": "2027-01-01",
                "valid_until": "2027-03-01"}
        c = case("AF", "2027-01-20", trips=[{"entry": "2027-01-04", "exit": None, "purpose": "tourism"}],
                 documents=[visa],
                 stays=[{"host": "h", "from": "2027-01-04", "registered_on": None}],
                 hosts=[{"id": "h", "type": "individual"}], prior_offences=[])
        r = check(c)
        assert ("stays[0]", "calendar_carried_forward") in [(a.ref, a.kind) for a in r.assumptions]
        late = [v for v in r.violations if v.facts["ref"] == "stays[0]"]
        assert late and all(not v.verified for v in late)

    def test_quotas_past_their_year_are_carried_and_marked(self) -> None:
        data = json.loads((ROOT / "examples" / "hire" / "chinese-engineer.json").read_text())
        r = check_hire({**data, "as_of": None}, start=date(2027, 3, 1), employer=data["employers"][0]["id"],
                       category="2")
        assert r.quota is not None and not r.quota.verified and "carried forward to 2027" in r.quota.source

    def test_a_table_row_past_its_known_until_fails_to_load(self, tmp_path: Path) -> None:
        seeds = tmp_path / "seeds"
        shutil.copytree(reference().dir, seeds)
        with open(seeds / "mrp.csv", "a", encoding="utf-8") as fh:
            fh.write('2027-01-01,4500,true,"a budget law for 2027",\n')
        with pytest.raises(SeedError, match="mrp: a row starts on 2027-01-01, after known_until 2026-12-31"):
            ReferenceData(seeds)


class TestLawView:
    def test_text_shows_each_tables_end_and_the_unverified_figures(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _err = run_cli(capsys, "law")
        assert code == 0
        assert any(line.split()[:2] == ["mrp", reference().known_until("mrp").isoformat()] for line in out.splitlines())
        assert "mrp: MRP = 2269 (2017-01-01 to 2017-12-31)" in out  # still P after the second reading (C15)

    def test_json_lists_every_unverified_seed_row(self, capsys: pytest.CaptureFixture[str]) -> None:
        _code, out, _err = run_cli(capsys, "law", "--format", "json")
        cov = json.loads(out)
        ref = reference()
        assert {t["table"]: t["known_until"] for t in cov["tables"]}["quotas"] == ref.known_until("quotas").isoformat()
        listed = {(u["table"], u["name"]) for u in cov["unverified"]}
        assert {("sanctions", s.code) for s in ref.sanction_rows if not s.verified} <= listed
        assert all(("mrp", "MRP") in listed for m in ref.mrp_rows if not m.verified)


class TestInputErrors:
    def test_a_registration_before_the_arrival_names_the_field(self, capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path) -> None:
        bad = {**UZ_VISITOR, "stays": [{"host": "h", "from": "2026-02-01", "registered_on": "2026-01-30"}]}
        with pytest.raises(CaseError) as err:
            check(bad)
        assert err.value.field == "stays[0].registered_on"
        code, _out, msg = run_cli(capsys, "check", write(tmp_path, "c.json", bad))
        assert code == 2 and "stays[0].registered_on" in msg

    def test_an_unknown_offence_code_names_the_field(self) -> None:
        with pytest.raises(CaseError) as err:
            check({**UZ_VISITOR, "prior_offences": [{"code": "518-1", "decided_on": "2025-09-01"},
                                                    {"code": "999-9", "decided_on": "2025-09-01"}]})
        assert err.value.field == "prior_offences[1].code"
        assert check({**UZ_VISITOR, "prior_offences": [{"code": "517-3", "decided_on": "2025-09-01"}]}).compliant

    def test_a_job_before_any_trip_counts_only_the_days_in_kazakhstan(self, engine: str) -> None:
        c = case("UZ", "2026-03-10", trips=[{"entry": "2026-03-01", "exit": None, "purpose": "work"}],
                 employment=[{"employer": "e1", "start": "2026-01-01", "category": "3"}],
                 employers=[{"id": "e1", "type": "legal_entity", "size": "small"}])
        r = check(c, engine=engine)
        work = [v for v in r.violations if v.rule == "labour.work-without-permit"]
        assert [(v.since.isoformat(), v.facts["days_worked"]) for v in work] == [("2026-03-01", 10)]


class TestPastTheTerm:
    @pytest.mark.parametrize(("lang", "now"), [("en", "Leave Kazakhstan now"), ("ru", "немедленно"),
                                               ("kk", "дереу")])
    def test_leave_by_says_the_term_has_ended(self, engine: str, lang: str, now: str) -> None:
        r = check(OVERSTAY, engine=engine, lang=lang)
        leave = [o for o in r.obligations if o.kind == "leave_by"]
        assert [o.due.isoformat() for o in leave] == ["2026-03-06"]
        assert now in leave[0].message and "2026-03-02" in leave[0].message
        ahead = [o for o in check(UZ_VISITOR, engine=engine, lang=lang).obligations if o.kind == "leave_by"]
        assert now not in ahead[0].message and "2026-03-02" in ahead[0].message

    def test_register_by_says_the_term_has_ended(self, engine: str) -> None:
        c = {**OVERSTAY, "person": {"citizenship": "US"}, "hosts": [{"id": "h", "type": "individual"}],
             "as_of": "2026-02-10", "stays": [{"host": "h", "from": "2026-02-01", "registered_on": None}]}
        r = check(c, engine=engine)
        register = [o for o in r.obligations if o.kind == "register_by"]
        assert len(register) == 1 and register[0].due.isoformat() == "2026-02-10"
        assert register[0].message.startswith("Notify the migration police now") and "2026-02-04" in \
            register[0].message
