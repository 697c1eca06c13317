"""Hosts beyond the scenario files (tests/scenarios/host-*.case.yaml and registration-host-notice-*.case.yaml
pin the notice, departure, housing, confirmation and repeat rules at their boundaries): the year of KoAP
518 p.3 as calendar arithmetic (repeat.Offences), and the text of a 518 p.2 violation whose fine is unknown."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from .helpers import case, run

from kzcompliance.case import PriorOffence
from kzcompliance.render import render_text
from kzcompliance.repeat import Offences, add_months


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
    assert Offences(prior, 518).is_repeat("h", conduct.toordinal(), 12) is expected


def test_prior_offences_not_known_is_neither_repeat_nor_first() -> None:
    assert Offences(None, 518).is_repeat("h", date(2026, 1, 1).toordinal(), 12) is None


def test_add_months_clamps_to_the_end_of_a_shorter_month_and_keeps_the_day_otherwise() -> None:
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2025, 12, 31), 2) == date(2026, 2, 28)
    assert add_months(date(2025, 3, 1), 12) == date(2026, 3, 1)
    assert add_months(date(2025, 3, 1), 0) == date(2025, 3, 1)


def test_add_months_moves_every_day_as_relativedelta_does() -> None:
    """Every day of 2023-2029 (a leap year, century rules aside) and of 1999-2001 (2000: a leap century), moved
    by -30..30 months: the integer arithmetic gives relativedelta's day."""
    for first, years in ((date(2023, 1, 1), 7), (date(1999, 1, 1), 3)):
        for n in range(0, 366 * years, 1):
            day = date.fromordinal(first.toordinal() + n)
            for months in range(-30, 31):
                assert add_months(day, months) == day + relativedelta(months=months), (day, months)
    assert add_months(date(2100, 1, 31), 1) == date(2100, 2, 28) == date(2100, 1, 31) + relativedelta(months=1)


def _scan_repeat(prior: list[PriorOffence] | None, article: int, subject: str | None, conduct: date,
                 window: int) -> bool | None:
    """The plain scan Offences replaces: every offence looked at, a relativedelta per one."""
    if prior is None:
        return None
    unknown = False
    for p in prior:
        if not p.code.startswith(f"{article}-"):
            continue
        if p.subject_id is None:
            unknown = True
        elif p.subject_id == subject and p.decided_on < conduct <= p.decided_on + relativedelta(months=window):
            return True
    return None if unknown else False


def _scan_ban(prior: list[PriorOffence] | None, article: int, subject: str | None, on: date,
              months: int) -> date | None:
    found = [p.decided_on for p in prior or [] if p.code.startswith(f"{article}-") and p.subject_id == subject
             and p.decided_on <= on <= p.decided_on + relativedelta(months=months)]
    return max(found, default=None)


def test_offences_indexed_once_answer_as_a_scan_of_every_offence() -> None:
    rng = random.Random(5)
    subjects = ["h1", "h2", "e1", None]
    for _ in range(400):
        prior = None if rng.random() < 0.1 else [
            PriorOffence(code=rng.choice(["518-1", "518-2", "519-1", "517-3.2"]),
                         decided_on=date(2023, 1, 1) + timedelta(days=rng.randrange(0, 1200)),
                         subject_id=rng.choice(subjects)) for _ in range(rng.randrange(0, 5))]
        for article in (518, 519):
            index = Offences(prior, article)
            for _ in range(20):
                subject = rng.choice(subjects)
                on = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 1700))
                months = rng.choice([0, 6, 12])
                # asked twice: the second answer comes from the kept windows
                for _ in range(2):
                    assert index.is_repeat(subject, on.toordinal(), months) is _scan_repeat(prior, article, subject, on,
                                                                                            months)
                assert index.ban_since(subject, on, months) == _scan_ban(prior, article, subject, on, months)
