"""Lawful and unlawful sides of the rules not pinned elsewhere, message completeness in every language,
and the public API's calling conventions."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from .helpers import case, due, rules_fired, run
from .test_engines import random_case

from kzcompliance import Case, Report, check
from kzcompliance.rulebook import default_rulebook

ROOT = Path(__file__).resolve().parents[1]
VISA = {"type": "visa", "visa_type": "C3", "valid_from": "2026-01-01", "valid_until": "2026-01-31"}


def test_visa_last_valid_day_is_lawful_and_the_next_is_not(engine: str) -> None:
    c = case("BR", "2026-01-31", trips=[{"entry": "2026-01-05"}], documents=[VISA])
    r = run(c, engine)
    assert r.compliant and due(r, "leave_by") == ["2026-01-31"]
    assert rules_fired(run({**c, "as_of": "2026-02-01"}, engine)) == ["stay.document-term"]


def test_visa_holder_with_a_visa_has_a_basis(engine: str) -> None:
    c = case("BR", "2026-01-10", trips=[{"entry": "2026-01-05"}], documents=[VISA])
    assert run(c, engine).compliant
    assert rules_fired(run({**c, "documents": []}, engine)) == ["stay.no-basis"]


def test_host_must_ensure_departure_from_the_first_overstay_day(engine: str) -> None:
    parts = {"trips": [{"entry": "2026-02-01"}], "hosts": [{"id": "h", "type": "legal_entity", "size": "large"}],
             "stays": [{"host": "h", "from": "2026-02-01", "registered_on": "2026-02-02"}]}
    assert run(case("TJ", "2026-03-02", **parts), engine).compliant  # day 30
    r = run(case("TJ", "2026-03-03", **parts), engine)
    host = [v for v in r.violations if v.rule == "host.ensure-departure"]
    assert len(host) == 1 and host[0].subject_id == "h" and host[0].sanction.fine_mrp == 20
    assert host[0].since.isoformat() == "2026-03-03"


def test_a_host_is_not_liable_for_days_the_guest_spent_elsewhere(engine: str) -> None:
    parts = {"trips": [{"entry": "2026-02-01"}], "hosts": [{"id": "h", "type": "individual"}],
             "stays": [{"host": "h", "from": "2026-02-01", "to": "2026-02-20", "registered_on": "2026-02-02"}]}
    r = run(case("TJ", "2026-03-05", **parts), engine)
    assert rules_fired(r) == ["stay.visa-free-term"]


def test_every_message_is_filled_in_every_language() -> None:
    rng = random.Random(5)
    seen: set[str] = set()
    for _ in range(150):
        data = random_case(rng)
        for lang in ("en", "ru", "kk"):
            r = check(data, lang=lang, engine="python")
            for item in [*r.violations, *r.obligations]:
                assert "?" not in item.message, (item.rule, lang, item.message)
                seen.add(item.rule)
    assert len(seen) >= 8


def test_check_takes_a_case_or_a_dict_and_as_of_wins() -> None:
    data = case("UZ", "2026-03-06", trips=[{"entry": "2026-02-01"}])
    model = Case.model_validate(data)
    assert check(model) == check(data)
    earlier = check(model, as_of=model.as_of.replace(day=2))
    assert isinstance(earlier, Report) and earlier.compliant and earlier.as_of.isoformat() == "2026-03-02"


def test_case_round_trips_through_json() -> None:
    data = {"as_of": "2026-03-02", "person": {"citizenship": "UZ"}, "trips": [{"entry": "2026-02-01", "exit": None}],
            "stays": [{"host": None, "from": "2026-02-01", "to": None, "registered_on": None}]}
    model = Case.model_validate(data)
    assert Case.model_validate_json(model.model_dump_json(by_alias=True)) == model
    assert "from" in model.to_json_dict()["stays"][0]


def test_reports_round_trip_through_json() -> None:
    r = check(case("UZ", "2026-03-06", trips=[{"entry": "2026-02-01"}]))
    assert Report.model_validate_json(r.to_json()) == r


def test_rules_in_force_carry_effective_periods() -> None:
    book = default_rulebook()
    from datetime import date
    ids = {r.id for r in book.in_force(date(2026, 6, 30))}
    assert "registration.host-notice-late" in ids and "registration.online-late" not in ids


def test_api_example_script_runs() -> None:
    p = subprocess.run([sys.executable, "examples/check_api.py"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "517-5" in p.stdout and "invalid: person.citizenship" in p.stdout


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_sanction_titles_follow_the_language(lang: str) -> None:
    r = check(case("UZ", "2026-03-06", trips=[{"entry": "2026-02-01"}]), lang=lang)
    titles = {"en": "Not leaving", "ru": "Невыезд", "kk": "шықпау"}
    assert titles[lang] in r.violations[0].sanction.title
