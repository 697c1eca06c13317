"""Planning: the JSON contract, the answers for each kind of basis (visa-free, cap used up, visa needed,
residence permit, EAEU contract, data missing), the CLI, the texts in three languages and hire's entry plan."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from kzcompliance import CaseError, PlanReport, check, check_hire, plan
from kzcompliance.cli import main
from kzcompliance.i18n import t, tn
from kzcompliance.planning.render import render_plan

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "plan" / "uzbek-return.json"


def _case(citizenship: str, trips: list[dict[str, Any]], as_of: str = "2026-03-10", **more: Any) -> dict[str, Any]:
    return {"as_of": as_of, "person": {"citizenship": citizenship}, "trips": trips, "documents": [], "stays": [],
            "hosts": [], "employment": [], "employers": [], "prior_offences": [], **more}


def test_the_json_fields_are_the_contract() -> None:
    report = plan(json.loads(EXAMPLE.read_text()), enter=date(2026, 3, 15), days=30, trips=["2026-04-10:2026-05-09"])
    data = json.loads(report.to_json())
    assert {"as_of", "regime", "now", "entry", "earliest", "itinerary", "timeline"} <= set(data)
    assert {"in_country", "leave_by", "days_used", "days_left", "window_days", "cap_days"} <= set(data["now"])
    assert {"date", "leave_by", "days", "reason"} <= set(data["entry"])
    assert {"days", "date", "leave_by"} <= set(data["earliest"])
    assert {"entry", "exit", "lawful", "last_lawful_day", "overstay_days", "sanction"} <= set(data["itinerary"][0])
    assert {"date", "days_in_window"} <= set(data["timeline"][0])


def test_a_used_up_cap_gives_no_day_and_says_from_when() -> None:
    report = plan(json.loads(EXAMPLE.read_text()), enter=date(2026, 3, 15))
    assert report.now.in_country is False
    assert (report.now.days_used, report.now.days_left, report.now.cap_days) == (90, 0, 90)
    entry = report.entry
    assert entry is not None and entry.days == 0 and entry.reason == "cap_used_up"
    # the first counted day, 2025-10-01, leaves the 180-day window on 2026-03-30
    assert entry.possible_from == date(2026, 3, 30) == report.now.frees_on
    # from then on each day of the October trip leaves the window as a day of the new stay enters it
    assert plan(json.loads(EXAMPLE.read_text()), enter=date(2026, 3, 30)).entry.days == 30  # type: ignore[union-attr]
    assert plan(json.loads(EXAMPLE.read_text()), enter=date(2026, 3, 29)).entry.days == 0  # type: ignore[union-attr]


def test_a_visa_required_citizen_needs_a_visa_and_gets_its_term() -> None:
    visa = {"type": "visa", "valid_from": "2026-05-01", "valid_until": "2026-05-20", "visa_type": "C3"}
    case = _case("stateless", [], documents=[visa])
    entry = plan(case, enter=date(2026, 4, 1)).entry
    assert entry is not None and (entry.days, entry.reason, entry.possible_from) == (0, "visa_required",
                                                                                     date(2026, 5, 1))
    on_visa = plan(case, enter=date(2026, 5, 5), days=20)
    assert on_visa.entry is not None and (on_visa.entry.days, on_visa.entry.reason) == (16, "document")
    assert on_visa.earliest is not None and on_visa.earliest.date is None  # 20 days need more than the visa
    assert plan(case, enter=date(2026, 4, 1), days=20).earliest.date == date(2026, 5, 1)  # type: ignore[union-attr]
    assert plan(case, enter=date(2026, 4, 1), days=21).earliest.reason == "visa_required"  # type: ignore[union-attr]
    assert plan(case, days=10).earliest.date == date(2026, 5, 1)  # type: ignore[union-attr]


def test_a_residence_permit_leaves_no_visa_free_limit_to_plan() -> None:
    permit = {"type": "permanent_residence_permit", "valid_from": "2020-01-01"}
    case = _case("UZ", [{"entry": "2026-01-01", "exit": None}], documents=[permit])
    report = plan(case, enter=date(2026, 6, 1), days=400)
    assert report.now.in_country and report.now.leave_by is None
    assert report.entry is not None and (report.entry.days, report.entry.reason) == (None, "unlimited")
    assert report.entry.detail == "permanent_residence_permit"
    assert report.earliest is not None and report.earliest.date == date(2026, 6, 1)


def test_an_eaeu_workers_contract_sets_the_stay() -> None:
    job = {"employer": "e", "start": "2026-04-01", "end": "2026-12-31"}
    employer = {"id": "e", "type": "legal_entity", "size": "large"}
    case = _case("KG", [], employment=[job], employers=[employer])
    entry = plan(case, enter=date(2026, 4, 1)).entry
    assert entry is not None and entry.reason == "eaeu_contract"
    assert entry.leave_by is not None and entry.leave_by >= date(2026, 12, 31)


def test_the_stay_under_way_ends_on_as_of_for_planned_trips() -> None:
    case = _case("UZ", [{"entry": "2026-03-01", "exit": None}])
    report = plan(case, enter=date(2026, 3, 11))
    assert report.now.in_country and report.now.leave_by == date(2026, 3, 30) and report.leaves_on == date(2026, 3, 10)
    assert report.now.days_used == 10 and report.entry is not None and report.entry.days == 30
    with pytest.raises(CaseError) as err:
        plan(case, enter=date(2026, 3, 10))
    assert err.value.field == "enter"


def test_an_overstaying_trip_in_the_itinerary_carries_checks_sanction() -> None:
    case = json.loads(EXAMPLE.read_text())
    report = plan(case, trips=[("2026-04-10", "2026-05-20")])
    (trip,) = report.itinerary
    assert trip.lawful is False and trip.last_lawful_day == date(2026, 5, 9) and trip.overstay_days == 11
    together = {**case, "as_of": "2026-05-20", "trips": [*case["trips"], {"entry": "2026-04-10", "exit": "2026-05-20"}]}
    (violation,) = [v for v in check(together).violations if v.facts["ref"] == "trips[3]"]
    assert trip.sanction == violation.sanction


def test_an_open_ended_planned_trip_is_lawful_only_without_an_end() -> None:
    report = plan(_case("UZ", []), trips=["2026-04-01"])
    (trip,) = report.itinerary
    assert trip.exit is None and trip.lawful is False and trip.overstay_days is None
    assert trip.last_lawful_day == date(2026, 4, 30)


def test_missing_data_makes_the_plan_undetermined() -> None:
    case = _case("UZ", [{"entry": "2026-01-01", "exit": "2026-01-20"}])
    del case["documents"]
    report = plan(case, enter=date(2026, 4, 1), days=5)
    # a finished trip with no overstay stays lawful whatever documents add; the days counted may not be
    assert report.history.compliant is True and report.now.determined is False
    assert report.entry is not None and report.entry.reason == "undetermined" and report.entry.days is None
    assert report.earliest is not None and report.earliest.date is None and report.earliest.reason == "undetermined"
    no_trips = _case("UZ", [])
    del no_trips["trips"]
    unknown = plan(no_trips, enter=date(2026, 4, 1))
    assert unknown.now.in_country is None and unknown.entry is not None and unknown.entry.reason == "undetermined"
    assert unknown.timeline == [] and "leaves out trips" in render_plan(unknown)
    assert unknown.now.days_used is None and unknown.now.days_left is None


@pytest.mark.parametrize("trips, field", [(["2026-04-01:2026-03-01"], "trips[0]"),
                                          (["2025-12-01:2025-12-05"], "trips[0].entry"),
                                          (["2026-04-01:2026-04-05", "2026-04-03"], "trips[1].entry"),
                                          (["soon"], "trips[0]")])
def test_bad_planned_trips_name_the_field(trips: list[str], field: str) -> None:
    with pytest.raises(CaseError) as err:
        plan(json.loads(EXAMPLE.read_text()), trips=trips)
    assert err.value.field == field


def test_the_cli_answers_in_json_and_exits_by_the_itinerary(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["plan", str(EXAMPLE), "--enter", "2026-03-15", "--days", "30", "--format", "json"]
    assert main([*args, "--trip", "2026-04-10:2026-05-09"]) == 0
    out = PlanReport.model_validate_json(capsys.readouterr().out)
    assert out.earliest is not None and out.earliest.date == date(2026, 3, 30)
    assert main([*args, "--trip", "2026-04-10:2026-05-20"]) == 1
    capsys.readouterr()
    assert main(["plan", str(EXAMPLE), "--trip", "2026-01-01:2026-01-05"]) == 2
    assert "trips[0].entry" in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_text_is_in_the_language_asked_and_draws_the_timeline(lang: str) -> None:
    report = plan(json.loads(EXAMPLE.read_text()), enter=date(2026, 3, 15), days=30, trips=["2026-04-10:2026-05-20"],
                  lang=lang)
    text = render_plan(report, lang)
    for heading in ("NOW", "ITINERARY"):
        assert t(lang, heading) in text.split("\n")
    assert text.count("█") > 100 and "90/90" in text
    if lang != "en":
        assert "NOW" not in text.split("\n") and not re.search(r"\b(?:days?|lawful|MRP)\b", text), text


# That every text of the plan exists in en, ru and kk with the same fields is tests/test_i18n.py's check of the
# catalogues (the plan's texts are t()/tn() calls like every other).
@pytest.mark.parametrize("n, ru, en", [(1, "1 день", "1 day"), (2, "2 дня", "2 days"), (5, "5 дней", "5 days"),
                                       (11, "11 дней", "11 days"), (21, "21 день", "21 days"),
                                       (22, "22 дня", "22 days"), (112, "112 дней", "112 days")])
def test_days_take_the_plural_form_of_the_language(n: int, ru: str, en: str) -> None:
    days = [tn(lang, "{n} day", "{n} days", n) for lang in ("ru", "en", "kk")]
    assert days == [ru, en, f"{n} күн"]


def test_hire_plans_the_entry_of_a_person_abroad() -> None:
    case = json.loads((ROOT / "examples" / "hire" / "chinese-engineer.json").read_text())
    short = check_hire(case, start=date(2026, 5, 4), end=date(2026, 5, 20), employer="almaty-tech", category="3")
    assert short.stay.abroad and short.stay.entry_days == 30 and short.stay.entry_leave_by == date(2026, 6, 2)
    assert short.stay.earliest_entry == date(2026, 5, 4)
    long = check_hire(case, start=date(2026, 5, 4), end=date(2026, 12, 31), employer="almaty-tech", category="3")
    assert long.stay.abroad and long.stay.earliest_entry is None  # no visa-free entry lasts eight months
    visa = {"type": "visa", "valid_from": "2026-05-01", "valid_until": "2027-01-31", "visa_type": "C3"}
    covered = check_hire({**case, "documents": [visa]}, start=date(2026, 5, 4), end=date(2026, 12, 31),
                         employer="almaty-tech", category="3")
    assert covered.stay.entry_reason == "document" and covered.stay.earliest_entry == date(2026, 5, 4)
    here = json.loads((ROOT / "examples" / "hire" / "eaeu-welder.json").read_text())
    assert not check_hire(here, start=date(2026, 4, 1), end=date(2026, 9, 30), employer="karaganda-steel",
                          category="4").stay.abroad


def test_a_plan_needs_an_entry_after_an_open_trip_to_come(capsys: pytest.CaptureFixture[str]) -> None:
    case = _case("UZ", [{"entry": "2026-04-01", "exit": None}])
    assert plan(case).now.in_country is False
    with pytest.raises(CaseError) as err:
        plan(case, days=5)
    assert err.value.field == "trips"
    assert plan(case, as_of=date(2026, 4, 1) + timedelta(days=3)).now.in_country
