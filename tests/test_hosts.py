"""Hosts beyond the scenario files (tests/scenarios/host-*.case.yaml and registration-host-notice-*.case.yaml
pin the notice, departure, housing, confirmation and repeat rules at their boundaries): the year of KoAP
518 p.3 as calendar arithmetic (repeat.is_repeat), and the text of a 518 p.2 violation whose fine is unknown."""

from __future__ import annotations

from datetime import date

import pytest
from .helpers import case, run

from kzcompliance.case import PriorOffence
from kzcompliance.render import render_text
from kzcompliance.repeat import is_repeat


def test_housing_a_guest_already_unlawful_shows_unverified_and_fine_unknown_in_text(engine: str) -> None:
    # Tajik guest, entry 2026-02-02 (last lawful day 3 March), taken in by h2 on 6 March: 518 p.2, fines U
    stays = [{"host": "h1", "from": "2026-02-02", "to": "2026-03-05", "registered_on": "2026-02-03"},
             {"host": "h2", "from": "2026-03-06", "registered_on": "2026-03-06"}]
    hosts = [{"id": "h1", "type": "individual"}, {"id": "h2", "type": "legal_entity", "size": "small"}]
    c = case("TJ", "2026-03-10", trips=[{"entry": "2026-02-02", "exit": None, "purpose": "private"}], stays=stays,
             hosts=hosts)
    text = render_text(run(c, engine))
    assert "518-2" in text and "[unverified]" in text and "fine unknown" in text


@pytest.mark.parametrize(("conduct", "expected"), [
    (date(2025, 2, 28), True),    # decided on 29 Feb 2024: the year ends on 28 Feb 2025
    (date(2025, 3, 1), False),
    (date(2024, 2, 29), False),   # the day of the decision itself is not after it
])
def test_the_year_is_calendar_arithmetic_from_a_leap_day(conduct: date, expected: bool) -> None:
    prior = [PriorOffence(code="518-1", decided_on=date(2024, 2, 29), subject_id="h")]
    assert is_repeat(prior, 518, "h", conduct, 12) is expected


def test_prior_offences_not_known_is_neither_repeat_nor_first() -> None:
    assert is_repeat(None, 518, "h", date(2026, 1, 1), 12) is None
