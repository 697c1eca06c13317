"""Host obligations at their boundaries: the notice deadline and its fine by the host's kind and size,
the 2026 online framework (confirmation, 5 working days after a move), ensuring departure (518 p.1),
housing a foreigner already staying unlawfully (518 p.2), and the repeat within a year (518 p.3).

Tajik citizens are used where possible: visa-free for 30 days, with no registration exemption.
Calendar: February and late July 2026 have no public holidays in Kazakhstan.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from .helpers import case, codes, due, rules_fired, run

from kzcompliance.case import PriorOffence
from kzcompliance.render import render_text
from kzcompliance.repeat import is_repeat

MRP_2026 = 4325


def hosted(as_of: str, entry: str, stays: list[dict[str, Any]], hosts: list[dict[str, Any]], *,
           prior: list[dict[str, Any]] | None = None, citizenship: str = "TJ") -> dict[str, Any]:
    c = case(citizenship, as_of, trips=[{"entry": entry, "exit": None, "purpose": "private"}], stays=stays, hosts=hosts)
    if prior is not None:
        c["prior_offences"] = prior
    return c


def host_violations(report: Any) -> list[tuple[str, str | None, str]]:
    return sorted((v.rule, v.subject_id, v.sanction.code) for v in report.violations if v.subject == "host")


class TestNoticeBySize:
    """Arrival Monday 2 February 2026: three working days later is Thursday 5 February."""

    def notice(self, registered: str, host: dict[str, Any]) -> dict[str, Any]:
        stays = [{"host": host["id"], "from": "2026-02-02", "registered_on": registered}]
        return hosted("2026-02-10", "2026-02-02", stays, [host])

    def test_third_working_day_is_in_time(self, engine: str) -> None:
        assert run(self.notice("2026-02-05", {"id": "h", "type": "individual"}), engine).compliant

    @pytest.mark.parametrize(("host", "warning", "fine_mrp"), [
        ({"id": "h", "type": "individual"}, True, 0),
        ({"id": "h", "type": "hotel", "size": "small"}, False, 10),
        ({"id": "h", "type": "hotel", "size": "nonprofit"}, False, 10),
        ({"id": "h", "type": "legal_entity", "size": "official"}, False, 10),
        ({"id": "h", "type": "legal_entity", "size": "medium"}, False, 15),
        ({"id": "h", "type": "hotel", "size": "large"}, False, 20),
    ])
    def test_fourth_working_day_is_late_and_fined_by_size(self, engine: str, host: dict[str, Any], warning: bool,
                                                          fine_mrp: int) -> None:
        r = run(self.notice("2026-02-06", host), engine)
        assert host_violations(r) == [("registration.host-notice-late", "h", "518-1")]
        s = r.violations[0].sanction
        assert (s.warning, s.fine_mrp, s.fine_kzt) == (warning, fine_mrp, fine_mrp * MRP_2026)
        assert r.violations[0].since == date(2026, 2, 6)


class TestOnlineFramework:
    """Entry Monday 13 July 2026; the move on Monday 20 July must be re-registered within 5 working days
    (21, 22, 23, 24, 27 July): by 27 July. The host confirms by the same deadline (read so, U)."""

    def moved(self, as_of: str, registered: str | None, confirmed: str | None = None) -> dict[str, Any]:
        second: dict[str, Any] = {"host": "h2", "from": "2026-07-20", "registered_on": registered}
        if confirmed:
            second["host_confirmed_on"] = confirmed
        return hosted(as_of, "2026-07-13",
                      [{"host": "h1", "from": "2026-07-13", "to": "2026-07-19", "registered_on": "2026-07-14"}, second],
                      [{"id": "h1", "type": "individual"}, {"id": "h2", "type": "legal_entity", "size": "small"}])

    def test_fifth_working_day_after_a_move_is_in_time(self, engine: str) -> None:
        assert run(self.moved("2026-07-31", "2026-07-27", "2026-07-27"), engine).compliant

    def test_sixth_working_day_is_late_for_the_foreigner(self, engine: str) -> None:
        r = run(self.moved("2026-07-31", "2026-07-28"), engine)
        assert rules_fired(r) == ["registration.online-late"] and codes(r) == ["517-1"]

    def test_the_hosts_confirmation_one_day_late(self, engine: str) -> None:
        r = run(self.moved("2026-07-31", "2026-07-27", "2026-07-28"), engine)
        assert host_violations(r) == [("host.confirm-registration-late", "h2", "518-1")]
        v = r.violations[0]
        assert v.since == date(2026, 7, 28) and not v.verified and v.sanction.fine_kzt == 10 * MRP_2026

    def test_the_host_is_told_to_confirm_by_the_deadline(self, engine: str) -> None:
        r = run(self.moved("2026-07-22", None), engine)
        confirm = [(o.subject, o.subject_id, o.due.isoformat()) for o in r.obligations
                   if o.kind == "confirm_registration"]
        assert confirm == [("host", "h2", "2026-07-27")]
        assert due(r, "register_by") == ["2026-07-27"]

    @staticmethod
    def first_address(confirmed: str) -> dict[str, Any]:
        # a Russian citizen (90 visa-free days): the 30th day after entry on 13 July is 12 August
        stays = [{"host": "h1", "from": "2026-07-13", "registered_on": "2026-08-12", "host_confirmed_on": confirmed}]
        return hosted("2026-08-20", "2026-07-13", stays, [{"id": "h1", "type": "individual"}], citizenship="RU")

    def test_the_first_address_is_confirmed_in_time_on_the_thirtieth_day(self, engine: str) -> None:
        assert run(self.first_address("2026-08-12"), engine).compliant

    def test_the_first_address_confirmed_on_the_thirty_first_day_is_late(self, engine: str) -> None:
        r = run(self.first_address("2026-08-13"), engine)
        assert host_violations(r) == [("host.confirm-registration-late", "h1", "518-1")]
        assert r.violations[0].sanction.warning  # an individual host


class TestDeparture:
    """Entry 2 February 2026: 30 visa-free days end on 3 March."""

    def guest(self, as_of: str, host: dict[str, Any]) -> dict[str, Any]:
        return hosted(as_of, "2026-02-02", [{"host": host["id"], "from": "2026-02-02", "registered_on": "2026-02-03"}],
                      [host])

    def test_last_lawful_day_needs_nothing_of_the_host(self, engine: str) -> None:
        assert run(self.guest("2026-03-03", {"id": "h", "type": "individual"}), engine).compliant

    def test_the_next_day_the_host_did_not_ensure_departure(self, engine: str) -> None:
        r = run(self.guest("2026-03-04", {"id": "h", "type": "legal_entity", "size": "medium"}), engine)
        assert host_violations(r) == [("host.ensure-departure", "h", "518-1")]
        v = next(v for v in r.violations if v.subject == "host")
        assert v.since == date(2026, 3, 4) and v.sanction.fine_kzt == 15 * MRP_2026


class TestHousingUnlawful:
    def moved_in(self, first_to: str, second_from: str) -> dict[str, Any]:
        return hosted("2026-03-10", "2026-02-02", [
            {"host": "h1", "from": "2026-02-02", "to": first_to, "registered_on": "2026-02-03"},
            {"host": "h2", "from": second_from, "registered_on": second_from}],
            [{"id": "h1", "type": "individual"}, {"id": "h2", "type": "legal_entity", "size": "small"}])

    def test_taking_in_a_guest_already_past_the_term_is_518_2(self, engine: str) -> None:
        r = run(self.moved_in("2026-03-05", "2026-03-06"), engine)
        assert host_violations(r) == [("host.ensure-departure", "h1", "518-1"),
                                      ("host.housing-unlawful", "h2", "518-2")]
        housing = next(v for v in r.violations if v.rule == "host.housing-unlawful")
        assert housing.facts["guest_overstay_days"] == 5  # 6 to 10 March
        assert housing.sanction.fine_mrp is None and not housing.sanction.verified and not housing.verified
        assert "[unverified]" in render_text(r) and "fine unknown" in render_text(r)

    def test_taking_in_a_guest_on_the_last_lawful_day_is_518_1_for_the_new_host(self, engine: str) -> None:
        r = run(self.moved_in("2026-03-02", "2026-03-03"), engine)
        assert host_violations(r) == [("host.ensure-departure", "h2", "518-1")]


class TestRepeatWithinAYear:
    """A 518 sanction decided on 1 March 2025; the guest's term ends so that the host's new offence
    (not ensuring departure) begins 364, 365 or 366 days later."""

    PRIOR = [{"code": "518-1", "decided_on": "2025-03-01", "subject_id": "h"}]

    def overstay(self, entry: str, as_of: str, prior: list[dict[str, Any]] | None = None) -> Any:
        return hosted(as_of, entry, [{"host": "h", "from": entry, "registered_on": entry}],
                      [{"id": "h", "type": "individual"}], prior=self.PRIOR if prior is None else prior)

    def test_364_days_later_is_a_repeat(self, engine: str) -> None:
        # entry 29 January: 30 days end on 27 February; the overstay begins 28 February 2026
        r = run(self.overstay("2026-01-29", "2026-03-01"), engine)
        assert host_violations(r) == [("host.ensure-departure", "h", "518-3")]
        s = next(v for v in r.violations if v.subject == "host").sanction
        assert (s.fine_mrp, s.fine_kzt, s.verified) == (30, 30 * MRP_2026, False)

    def test_the_anniversary_day_is_still_within_the_year(self, engine: str) -> None:
        r = run(self.overstay("2026-01-30", "2026-03-02"), engine)  # overstay begins 1 March 2026
        assert host_violations(r) == [("host.ensure-departure", "h", "518-3")]

    def test_366_days_later_is_not(self, engine: str) -> None:
        r = run(self.overstay("2026-01-31", "2026-03-03"), engine)  # overstay begins 2 March 2026
        assert host_violations(r) == [("host.ensure-departure", "h", "518-1")]

    def test_only_the_same_hosts_518_sanctions_count(self, engine: str) -> None:
        other = [{"code": "518-1", "decided_on": "2025-03-01", "subject_id": "h9"},
                 {"code": "517-3.2", "decided_on": "2025-03-01"}]
        r = run(self.overstay("2026-01-29", "2026-03-01", other), engine)
        assert host_violations(r) == [("host.ensure-departure", "h", "518-1")]
        assert not [u for u in r.unchecked if u.check.startswith("repeat")]

    def test_a_prior_sanction_naming_nobody_is_reported_unchecked(self, engine: str) -> None:
        r = run(self.overstay("2026-01-29", "2026-03-01", [{"code": "518-1", "decided_on": "2025-03-01"}]), engine)
        assert host_violations(r) == [("host.ensure-departure", "h", "518-1")]
        unchecked = [(u.check, u.needs) for u in r.unchecked]
        assert ("repeat offence (KoAP 518 p.3)", "prior_offences[].subject_id") in unchecked

    def test_a_late_notice_364_days_later_is_a_repeat_for_a_large_business(self, engine: str) -> None:
        # arrival Tuesday 24 February 2026: the deadline is Friday 27 February, late from 28 February
        c = hosted("2026-03-03", "2026-02-24", [{"host": "h", "from": "2026-02-24", "registered_on": "2026-03-02"}],
                   [{"id": "h", "type": "hotel", "size": "large"}], prior=self.PRIOR)
        r = run(c, engine)
        assert host_violations(r) == [("registration.host-notice-late", "h", "518-3")]
        s = r.violations[0].sanction
        assert s.fine_mrp is None and s.tier == "large" and not s.verified  # up to 100 MRP reported, by size U


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
