"""Bad input: every error names the field and the problem; the CLI exits 2 with one line, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kzcompliance import Case, CaseError, check
from kzcompliance.errors import KzComplianceError

ROOT = Path(__file__).resolve().parents[1]
GOOD = {"as_of": "2026-03-06", "person": {"citizenship": "UZ"},
        "trips": [{"entry": "2026-02-01", "exit": None, "purpose": "private"}], "documents": []}


def broken(**changes: object) -> dict:
    c = json.loads(json.dumps(GOOD))
    c.update(changes)
    return c


BAD = [
    (broken(colour="red"), "colour", "Extra inputs are not permitted"),
    (broken(trips=[{"entry": "2026-02-30"}]), "trips[0].entry", "not a real calendar date"),
    (broken(trips=[{"entry": "01.02.2026"}]), "trips[0].entry", "YYYY-MM-DD"),
    (broken(trips=[{"entry": "2026-02-10", "exit": "2026-02-01"}]), "trips[0].exit", "before entry"),
    (broken(trips=[{"entry": "2026-01-01", "exit": "2026-01-10"}, {"entry": "2026-01-10"}]), "trips[1]",
     "overlaps trips[0]"),
    (broken(person={"citizenship": "KZ"}), "person.citizenship", "Kazakh citizen"),
    (broken(person={"citizenship": "XX"}), "person.citizenship", "not an ISO 3166-1"),
    (broken(person={"citizenship": "UZ", "nickname": "x"}), "person.nickname", "Extra inputs"),
    (broken(trips=[{"entry": "2026-02-01", "purpose": "holiday"}]), "trips[0].purpose", "Input should be"),
    (broken(documents=[{"type": "visa", "valid_from": "2026-01-01"}]), "documents[0].valid_until", "required"),
    (broken(documents=[{"type": "work_permit", "valid_from": "2026-01-01", "valid_until": "2026-12-31",
                        "employer": "e"}]), "documents[0].category", "IRS category"),
    (broken(hosts=[{"id": "h", "type": "hotel"}]), "hosts[0].size", "required for a hotel"),
    (broken(stays=[{"host": "h2", "from": "2026-02-01"}], hosts=[{"id": "h", "type": "individual"}]),
     "stays[0].host", "not among hosts"),
    (broken(stays=[{"host": "h", "from": "2025-02-01"}]), "stays[0].from", "not within any of the trips"),
    (broken(employment=[{"employer": "e9", "start": "2026-02-02"}], employers=[]), "employment[0].employer",
     "not among employers"),
    (broken(as_of="2014-12-31"), "as_of", "before 2015-01-01"),
    (broken(trips="2026-02-01"), "trips", "valid list"),
]


@pytest.mark.parametrize(("data", "field", "problem"), BAD, ids=[b[1] + ":" + b[2][:20] for b in BAD])
def test_error_names_the_field(data: dict, field: str, problem: str) -> None:
    with pytest.raises(CaseError) as err:
        check(data)
    assert err.value.field == field
    assert problem in err.value.problem


def test_citizenship_codes_are_normalised() -> None:
    assert Case.model_validate(broken(person={"citizenship": "uzb"})).person.citizenship == "UZ"
    assert Case.model_validate(broken(person={"citizenship": "Stateless"})).person.citizenship == "stateless"


def test_stateless_person_is_visa_required() -> None:
    assert check(broken(person={"citizenship": "stateless"})).regime == "visa_required"


def test_a_case_must_be_an_object() -> None:
    with pytest.raises(CaseError, match="JSON object"):
        check(["not", "a", "case"])  # type: ignore[arg-type]


def test_a_case_is_a_dict_any_other_mapping_or_a_case_model() -> None:
    from types import MappingProxyType

    expected = check(GOOD)
    assert check(MappingProxyType(GOOD)) == check(Case.model_validate(GOOD)) == expected


def test_the_engine_variable_is_read_at_each_check(monkeypatch: pytest.MonkeyPatch) -> None:
    from kzcompliance.engines import durable_available

    monkeypatch.setenv("KZCOMPLIANCE_ENGINE", "python")
    assert check(GOOD).engine == "python"
    monkeypatch.delenv("KZCOMPLIANCE_ENGINE")
    assert check(GOOD).engine == ("durable" if durable_available() else "python")
    monkeypatch.setenv("KZCOMPLIANCE_ENGINE", "fortran")
    with pytest.raises(KzComplianceError, match="KZCOMPLIANCE_ENGINE"):
        check(GOOD)


def test_bad_language_is_an_error() -> None:
    with pytest.raises(CaseError) as err:
        check(GOOD, lang="de")
    assert err.value.field == "lang"


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kzcompliance", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, timeout=60)


@pytest.mark.parametrize(("stdin", "needle"), [
    ('{"person": {"citizenship": "KZ"}}', "person.citizenship"),
    ('{"person": {"citizenship": "UZ"}, "trips": [{"entry": "2026-13-01"}]}', "trips[0].entry"),
    ('{"person": ', "invalid JSON at line 1"),
    ("[1, 2]", "JSON object"),
])
def test_cli_invalid_input_exits_2_with_one_line(stdin: str, needle: str) -> None:
    p = cli("check", "-", stdin=stdin)
    assert p.returncode == 2
    assert needle in p.stderr and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and p.stdout == ""


def test_cli_missing_file_exits_2() -> None:
    p = cli("check", "no-such-case.json")
    assert p.returncode == 2 and "no-such-case.json" in p.stderr and "Traceback" not in p.stderr


def test_cli_bad_as_of_exits_2() -> None:
    p = cli("check", "examples/uzbek-overstay.json", "--as-of", "2026-02-31")
    assert p.returncode == 2 and "not a real calendar date" in p.stderr


def test_every_case_field_explains_itself_in_the_json_schema() -> None:
    """`kzcompliance schema case` describes every model and field (attribute docstrings or Field descriptions)."""
    from kzcompliance.case import Case

    schema = Case.model_json_schema(by_alias=True)
    models = [("Case", schema), *schema["$defs"].items()]
    bare = [name for name, d in models if "properties" in d and not d.get("description")]
    bare += [f"{name}.{f}" for name, d in models for f, v in d.get("properties", {}).items()
             if not v.get("description")]
    assert bare == []
