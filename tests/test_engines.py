"""The two engines agree; rule files are validated and never evaluated as code."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from .helpers import ENGINES, raw_rulebook

from kzcompliance import check
from kzcompliance.pipeline import build_report, evaluate
from kzcompliance.conditions import ConditionError, to_python, validate
from kzcompliance.errors import RuleFileError
from kzcompliance.facts import FACT_FIELDS
from kzcompliance.resources import bundled_dir
from kzcompliance.rulebook import Rulebook, default_rulebook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
needs_durable = pytest.mark.skipif("durable" not in ENGINES, reason="durable-rules does not import here")


def without_engine(report: Any) -> dict[str, Any]:
    d = report.model_dump(mode="json")
    d.pop("engine")
    return d


def random_case(rng: random.Random) -> dict[str, Any]:
    """A valid case with a random mix of trips, documents, stays, hosts and jobs across the law's dates."""
    country = rng.choice(["UZ", "TJ", "KG", "RU", "AM", "IN", "CN", "TR", "US", "DE", "BR", "AF", "stateless"])
    day = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 4300))
    trips, stays, hosts, jobs, docs = [], [], [], [], []
    for i in range(rng.randint(0, 4)):
        entry = day + timedelta(days=rng.randint(0, 60))
        length = rng.choice([1, 14, 15, 29, 30, 31, 35, 42, 89, 90, 91, 120, 200])
        exit_ = entry + timedelta(days=length - 1)
        trips.append({"entry": entry.isoformat(), "exit": exit_.isoformat(), "purpose": "private"})
        if rng.random() < 0.7:
            hid = f"h{i}"
            hosts.append(rng.choice([{"id": hid, "type": "individual"},
                                     {"id": hid, "type": rng.choice(["hotel", "legal_entity"]),
                                      "size": rng.choice(["small", "medium", "large", "nonprofit", "official"])}]))
            reg = entry + timedelta(days=rng.randint(0, 40)) if rng.random() < 0.8 else None
            stays.append({"host": hid, "from": entry.isoformat(), "to": exit_.isoformat(),
                          "registered_on": reg.isoformat() if reg else None})
        if rng.random() < 0.3:
            start = entry + timedelta(days=rng.randint(-10, 20))
            doc_type = rng.choice(["visa", "temporary_residence_permit", "labour_immigrant_permit"])
            docs.append({"type": doc_type, "valid_from": start.isoformat(),
                         "valid_until": (start + timedelta(days=rng.randint(5, 200))).isoformat()})
        if rng.random() < 0.3:
            start = entry + timedelta(days=rng.randint(0, 10))
            jobs.append({"employer": "e1", "start": start.isoformat(),
                         "end": (start + timedelta(days=rng.randint(0, 150))).isoformat(), "category": "4"})
            if rng.random() < 0.5:
                docs.append({"type": "work_permit", "category": "4", "employer": "e1", "valid_from": start.isoformat(),
                             "valid_until": (start + timedelta(days=rng.randint(0, 120))).isoformat()})
        day = exit_ + timedelta(days=rng.randint(1, 120))
    if rng.random() < 0.2 and trips:
        trips[-1]["exit"] = None
        if stays and stays[-1]["from"] == trips[-1]["entry"]:
            stays[-1]["to"] = None
    out: dict[str, Any] = {"as_of": (day + timedelta(days=rng.randint(-60, 30))).isoformat(),
                           "person": {"citizenship": country}, "trips": trips, "stays": stays, "hosts": hosts,
                           "documents": docs, "employment": jobs,
                           "employers": [{"id": "e1", "type": "legal_entity", "size": "medium"}]}
    if out["as_of"] < "2015-01-01":
        out["as_of"] = "2015-01-01"
    for optional in ("documents", "employment", "stays", "hosts"):
        if rng.random() < 0.1:
            del out[optional]
    if "hosts" not in out and "stays" in out:
        pass  # stays may name hosts the case does not list: the tier is then unknown
    return out


@needs_durable
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_engines_agree_on_examples(path: Path) -> None:
    data = json.loads(path.read_text())
    book = raw_rulebook()
    assert without_engine(check(data, engine="durable", rulebook=book)) == \
        without_engine(check(data, engine="python", rulebook=book))


@needs_durable
def test_engines_agree_on_generated_cases() -> None:
    rng = random.Random(20261121)
    fired = 0
    book = raw_rulebook()
    for _ in range(600):
        data = random_case(rng)
        a, b = check(data, engine="durable", rulebook=book), check(data, engine="python", rulebook=book)
        assert without_engine(a) == without_engine(b), data
        fired += len(a.violations) + len(a.obligations)
    assert fired > 300  # the generator exercises the rules, not only compliant cases


@needs_durable
def test_engines_agree_fact_by_fact() -> None:
    book = default_rulebook()
    rng = random.Random(7)
    for _ in range(200):
        ev = evaluate(random_case(rng), engine="python")
        for fact, _rules in ev.fired:
            assert book.engine("durable").evaluate(fact) == book.engine("python").evaluate(fact)


@needs_durable
def test_facts_posted_together_fire_as_each_alone() -> None:
    """evaluate_many posts a case's facts into one session at once: each fact must fire exactly the rules it
    fires alone, however many facts share the session (past FACTS_PER_CALL), in any mix of kinds, the same
    fact twice, and facts no rule matches among facts that fire."""
    from kzcompliance.engines.durable import FACTS_PER_CALL

    book = default_rulebook()
    durable, python = book.engine("durable"), book.engine("python")
    rng = random.Random(11)
    facts = [fact for _ in range(300) for fact, _rules in evaluate(random_case(rng), engine="python").fired]
    alone = [python.evaluate(fact) for fact in facts]
    assert sum(map(bool, alone)) > 100 and not all(alone)
    for _ in range(300):
        picks = rng.sample(range(len(facts)), rng.randint(1, 3 * FACTS_PER_CALL))
        picks += rng.choices(picks, k=rng.randint(0, 2))  # the same fact twice in one call
        group = [facts[i] for i in picks]
        assert durable.evaluate_many(group) == [alone[i] for i in picks] == python.evaluate_many(group)
        unmatched = {"kind": "nothing", "on_day": 1}
        assert durable.evaluate_many([unmatched, *group[:2]]) == [[], *(alone[i] for i in picks[:2])]
    assert durable.evaluate_many([]) == python.evaluate_many([]) == []


def test_every_rule_file_loads_and_every_rule_cites_its_basis() -> None:
    book = default_rulebook()
    files = {Path(p).name for p in book.paths.values()}
    assert {"stay.yaml", "registration.yaml", "labour.yaml", "host.yaml", "eaeu.yaml"} <= files
    for rule in book.rules:
        assert rule.legal_basis and all(rule.message[lang] for lang in ("en", "ru", "kk"))


def write_rules(tmp_path: Path, rule: dict[str, Any]) -> Path:
    base = {"id": "test.rule", "subject": "foreigner", "fact": "trip", "when": {"$gt": {"overstay_days": 0}},
            "sanction": "517-1", "since": "overstay_since", "legal_basis": ["test"],
            "effective": {"from": "2015-01-01"}, "verified": True,
            "message": {"en": "x", "ru": "x", "kk": "x"}}
    base.update(rule)
    path = tmp_path / "bad.yaml"
    path.write_text(json.dumps({"area": "test", "rules": [base]}))
    return path


@pytest.mark.parametrize(("change", "problem"), [
    ({"when": {"$gt": {"overstay_dayz": 0}}}, "unknown field 'overstay_dayz'"),
    ({"when": {"$gt": {"limit_basis": 3}}}, "only integers can be ordered"),
    ({"when": {"overstay_days": "many"}}, "is not a int"),
    ({"when": {"$gt": {"overstay_days": 0}, "regime": "cis"}}, "exactly one key"),
    ({"when": {"$regex": {"regime": ".*"}}}, "unknown operator"),
    ({"when": {"__import__('os').system('true')": 1}}, "is not a field name"),
    ({"when": {"$gt": {"overstay_days": {"$m": "__class__"}}}}, "is not a field name"),
    ({"sanction": "999-9"}, "unknown code '999-9'"),
    ({"since": "regime"}, "is a str, not a date"),
    ({"message": {"en": "{nope}", "ru": "x", "kk": "x"}}, "unknown trip field 'nope'"),
    ({"message": {"en": "x"}}, "needs exactly en, ru, kk"),
    ({"effective": {"from": "2020-01-01", "until": "2019-01-01"}}, "until: is before from"),
    ({"obligation": "leave_by"}, "either a sanction"),
    ({"subject": "police"}, "subject"),
])
def test_bad_rule_file_names_file_and_rule(tmp_path: Path, change: dict[str, Any], problem: str) -> None:
    path = write_rules(tmp_path, change)
    with pytest.raises(RuleFileError) as err:
        Rulebook([path])
    assert err.value.path == str(path) and err.value.rule_id == "test.rule"
    assert problem in str(err.value)


def test_duplicate_rule_id_among_builtin_files_is_an_error(tmp_path: Path) -> None:
    a = write_rules(tmp_path, {})
    b = tmp_path / "again.yaml"
    b.write_text(a.read_text())
    with pytest.raises(RuleFileError, match="duplicate rule id"):
        Rulebook([a, b])


def test_a_plugin_rule_with_a_builtin_id_replaces_it(tmp_path: Path) -> None:
    builtin = sorted(bundled_dir("rules").glob("*.yaml"))
    extra = tmp_path / "override.yaml"
    extra.write_text(json.dumps({"area": "stay", "rules": [{
        "id": "stay.visa-free-term", "subject": "foreigner", "fact": "trip",
        "when": {"$and": [{"limit_basis": "visa_free_entry"}, {"$gt": {"overstay_days": 5}}]},
        "sanction": "517-3.2", "since": "overstay_since", "legal_basis": ["a bilateral treaty"],
        "effective": {"from": "2023-01-01"}, "verified": False,
        "message": {"en": "treaty: {overstay_days}", "ru": "x", "kk": "x"}}]}))
    book = Rulebook(builtin + [extra], builtin_dir=bundled_dir("rules"))
    assert book.overridden == {"stay.visa-free-term": str(extra)}
    case = {"as_of": "2026-03-06", "person": {"citizenship": "UZ"}, "trips": [{"entry": "2026-02-01"}],
            "documents": [], "employment": [], "stays": []}
    assert build_report(evaluate(case, engine="python", rulebook=book)).compliant  # 4 days: the treaty allows 5
    later = build_report(evaluate({**case, "as_of": "2026-03-09"}, engine="python", rulebook=book))
    assert [v.message for v in later.violations] == ["treaty: 7"]


def test_generated_code_holds_only_validated_names_and_literals() -> None:
    cond = validate({"$and": [{"regime": "x'); import os; ('"}, {"$gt": {"overstay_days": 3}}]}, FACT_FIELDS["trip"])
    code = to_python(cond)
    compile(code, "<test>", "eval")  # a string constant stays a literal, whatever it holds
    assert "import os" in code and code.count("'") % 2 == 0
    with pytest.raises(ConditionError):
        validate({"$gt": {"overstay_days": 1.5}}, FACT_FIELDS["trip"])


def test_or_fires_once_per_rule(engine: str, tmp_path: Path) -> None:
    path = write_rules(tmp_path, {"when": {"$or": [{"$gt": {"overstay_days": 0}}, {"$gt": {"overstay_days": 1}}]}})
    book = Rulebook([path])
    fact = {"kind": "trip", "on_day": date(2026, 1, 1).toordinal(), "overstay_days": 5, "ref": "trips[0]"}
    assert book.engine(engine).evaluate(fact) == ["test.rule#0"]


def test_non_ascii_values_match_in_both_engines(engine: str, tmp_path: Path) -> None:
    path = write_rules(tmp_path, {"fact": "stay", "subject": "host", "since": "late_since",
                                  "when": {"subject_id": "хост-1"}})
    book = Rulebook([path])
    fact = {"kind": "stay", "on_day": date(2026, 1, 1).toordinal(), "subject_id": "хост-1", "ref": "stays[0]"}
    assert book.engine(engine).evaluate(fact) == ["test.rule#0"]
    assert book.engine(engine).evaluate({**fact, "subject_id": "host-1"}) == []
