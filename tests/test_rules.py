"""Message completeness in every language and the public API's calling conventions (the lawful and
unlawful sides of each rule are pinned by tests/scenarios/, see test_scenario_coverage.py)."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from .helpers import case
from .test_engines import random_case

from kzcompliance import Case, Report, check
from kzcompliance.rulebook import default_rulebook

ROOT = Path(__file__).resolve().parents[1]


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
