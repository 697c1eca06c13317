"""`check(..., trace=True)` and `kzcompliance explain`: outcomes with their rule, condition, facts and figures
of law (with effective dates and sources), and for every fact the rules evaluated and why they did not fire."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from .helpers import case

from kzcompliance import check
from kzcompliance.cli import main
from kzcompliance.trace import condition_text

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kzcompliance", *args], capture_output=True, text=True,
                          cwd=ROOT, input=stdin, check=False)


def uz(as_of: str) -> dict[str, Any]:
    return case("UZ", as_of, trips=[{"entry": "2026-02-01", "exit": None, "purpose": "private"}])


def test_trace_is_left_out_unless_asked_for() -> None:
    assert check(uz("2026-03-02")).trace is None
    assert "trace" not in json.loads(check(uz("2026-03-02")).to_json())
    assert json.loads(check(uz("2026-03-02"), trace=True).to_json())["trace"]["engine"]


def test_a_violation_shows_rule_condition_grade_facts_and_law() -> None:
    t = check(uz("2026-03-06"), trace=True).trace
    assert t is not None
    (o,) = [o for o in t.outcomes if o.outcome == "violation"]
    assert (o.rule, o.ref, o.result, o.on) == ("stay.visa-free-term", "trips[0]", "517-3.2", date(2026, 3, 3))
    assert Path(o.rule_file).name == "stay.yaml"
    assert o.condition == {"$and": [{"limit_basis": "visa_free_entry"}, {"$gt": {"overstay_days": 0}}]}
    assert o.grade == {"$lte": {"overstay_days": 5}}
    assert o.facts_used["overstay_days"] == 4 and o.facts_used["overstay_since"] == "2026-03-03"
    figures = {f.name: f for f in o.figures}
    terms = figures["stay.terms.cis"]
    assert terms.value["per_entry_days"] == 30 and terms.value["cap_days"] == 90 and terms.value["window_days"] == 180
    assert terms.valid_from == date(2023, 1, 27) and "1146" in terms.source
    graded = figures["sanction 517-3.2"]
    assert graded.value["fine_mrp"] == 10 and graded.valid_from == date(2023, 1, 1)
    assert (figures["mrp"].value, figures["mrp"].valid_from) == (4325, date(2026, 1, 1))


def test_a_compliant_case_says_which_rules_ran_and_why_none_fired() -> None:
    report = check(uz("2026-03-02"), trace=True)
    assert report.compliant and report.trace is not None
    (trip,) = report.trace.facts
    outcomes = {rc.rule: rc for rc in trip.rules}
    term = outcomes["stay.visa-free-term"]
    assert term.outcome == "not fired" and term.failed == [{"$gt": {"overstay_days": 0}}]
    assert outcomes["stay.visa-free-cap"].failed == [{"limit_basis": "visa_free_cap"}, {"$gt": {"overstay_days": 0}}]
    assert outcomes["stay.leave-by"].outcome == "obligation"


def test_each_fact_shows_the_figure_in_force_on_its_own_date() -> None:
    # Arrivals in 2017 (the foreigner's own 5 working days; no host notice offence yet) and 2020 (the
    # host's 3 working days) in one case (brief C7).
    trips = [{"entry": "2017-06-01", "exit": "2017-06-20"}, {"entry": "2020-06-01", "exit": "2020-06-20"}]
    stays = [{"host": "h1", "from": "2017-06-01", "to": "2017-06-20", "registered_on": "2017-06-02"},
             {"host": "h1", "from": "2020-06-01", "to": "2020-06-20", "registered_on": "2020-06-02"}]
    t = check(case("TJ", "2020-07-01", trips=trips, stays=stays, hosts=[{"id": "h1", "type": "individual"}]),
              trace=True).trace
    assert t is not None
    figures = {(f.ref, f2.name): f2 for f in t.facts for f2 in f.figures}
    own = figures[("stays[0]", "registration.foreigner_working_days")]
    assert (own.value, own.valid_from, own.valid_until) == (5, date(2015, 1, 1), date(2020, 1, 10))
    assert ("stays[0]", "registration.host_notice_working_days") not in figures
    notice = figures[("stays[1]", "registration.host_notice_working_days")]
    assert (notice.value, notice.valid_from) == (3, date(2019, 1, 1))


def test_rules_not_in_force_on_the_facts_date_are_named() -> None:
    stays = [{"host": "h1", "from": "2026-02-01", "to": None, "registered_on": "2026-02-02"}]
    t = check(case("UZ", "2026-02-10", trips=[{"entry": "2026-02-01"}], stays=stays,
                   hosts=[{"id": "h1", "type": "individual"}]), trace=True).trace
    assert t is not None
    stay = next(f for f in t.facts if f.kind == "stay")
    online = next(rc for rc in stay.rules if rc.rule == "registration.online-late")
    assert online.outcome == "not in force" and online.in_force_from == date(2026, 7, 1)


def test_condition_text() -> None:
    assert condition_text({"$and": [{"limit_basis": "none"}, {"$gt": {"overstay_days": 0}}]}) == \
        'limit_basis = "none" and overstay_days > 0'
    either = {"$or": [{"a": True}, {"$nex": {"b": 1}}]}
    assert condition_text({"$and": [{"$in": {"tier": ["small", "large"]}}, either]}) \
        == 'tier in ["small", "large"] and (a = true or b is not known)'
    assert condition_text({"$lt": {"local": {"$mul": {"$l": {"$m": "total"}, "$r": 9}}}}) == "local < (total * 9)"


def test_explain_cli_text_and_exit_codes() -> None:
    out = run_cli("explain", "examples/uzbek-overstay.json")
    assert out.returncode == 1
    assert "VIOLATION 517-3.2 since 2026-03-03: stay.visa-free-term on trips[0]" in out.stdout
    assert 'condition  limit_basis = "visa_free_entry" and overstay_days > 0' in out.stdout
    assert "grade      overstay_days <= 5" in out.stdout
    assert "RULES EVALUATED" in out.stdout
    compliant = run_cli("explain", "-", stdin=json.dumps(uz("2026-03-02")))
    assert compliant.returncode == 0
    assert "not fired     stay.visa-free-term: overstay_days > 0 is false (overstay_days = 0)" in compliant.stdout
    bad = run_cli("explain", "-", stdin='{"person": {"citizenship": "KZ"}}')
    assert bad.returncode == 2 and bad.stdout == "" and len(bad.stderr.strip().splitlines()) == 1


def test_explain_in_process_reads_the_file_and_closes_it(capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # Regression: read_json left the case file open (a ResourceWarning, an error under -W error).
    monkeypatch.chdir(ROOT)
    assert main(["explain", "examples/eaeu-worker.json"]) == 0
    assert "RULES EVALUATED" in capsys.readouterr().out


def test_explain_cli_json_carries_the_trace_and_check_does_not() -> None:
    explained = json.loads(run_cli("explain", "examples/uzbek-overstay.json", "--format", "json").stdout)
    checked = json.loads(run_cli("check", "examples/uzbek-overstay.json", "--format", "json").stdout)
    assert {o["rule"] for o in explained["trace"]["outcomes"]} == {v["rule"] for v in checked["violations"]} | {
        o["rule"] for o in checked["obligations"]}
    assert "trace" not in checked
    explained.pop("trace")
    assert explained == checked


def test_cli_takes_extra_rule_files(tmp_path: Path) -> None:
    rule = tmp_path / "extra.yaml"
    rule.write_text("""area: demo
rules:
  - id: demo.any-trip
    subject: foreigner
    fact: trip
    when: {$gt: {days_on_entry: 0}}
    obligation: review
    due: entry
    legal_basis: ["a test rule"]
    effective: {from: 2015-01-01}
    verified: false
    message: {en: "review", ru: "проверить", kk: "тексеру"}
""", encoding="utf-8")
    out = run_cli("check", "examples/uzbek-overstay.json", "--format", "json", "--rules", str(rule))
    assert [o["rule"] for o in json.loads(out.stdout)["obligations"] if o["kind"] == "review"] == ["demo.any-trip"]
    missing = run_cli("check", "examples/uzbek-overstay.json", "--rules", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "nope.yaml" in missing.stderr
