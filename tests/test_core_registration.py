"""Registration and host notification at their boundaries: 3 vs 4 working days across a weekend and a
public holiday, the 2026-07-01 switch, the EAEU and Uzbek exemptions and address changes (brief s.3)."""

from __future__ import annotations

import pytest
from helpers import case, codes, due, rules_fired, run


def stay_case(citizenship: str, as_of: str, arrival: str, registered: str | None, *, host: dict | None = None,
              exit: str | None = None, stays: list[dict] | None = None) -> dict:
    host = host or {"id": "h1", "type": "individual"}
    return case(citizenship, as_of,
                trips=[{"entry": arrival, "exit": exit, "purpose": "private"}],
                stays=stays or [{"host": host["id"], "from": arrival, "to": exit, "registered_on": registered}],
                hosts=[host])


class TestHostNoticeWorkingDays:
    # Friday 2026-02-06: Mon 9 (1), Tue 10 (2), Wed 11 (3), Thu 12 (4).
    def test_third_working_day_after_a_weekend_is_in_time(self, engine: str) -> None:
        assert run(stay_case("TJ", "2026-02-20", "2026-02-06", "2026-02-11"), engine).compliant

    def test_fourth_working_day_is_late(self, engine: str) -> None:
        r = run(stay_case("TJ", "2026-02-20", "2026-02-06", "2026-02-12"), engine)
        assert rules_fired(r) == ["registration.host-notice-late"]
        v = r.violations[0]
        assert v.subject == "host" and v.subject_id == "h1" and v.since.isoformat() == "2026-02-12"
        assert v.facts["working_days_taken"] == 4 and v.facts["allowed_working_days"] == 3
        assert v.sanction.code == "518-1" and v.sanction.warning  # an individual host: warning

    # Friday 2026-03-20; Mar 23-25 are Nauryz days off: Thu 26 (1), Fri 27 (2), Mon 30 (3), Tue 31 (4).
    def test_public_holidays_do_not_count(self, engine: str) -> None:
        assert run(stay_case("TJ", "2026-04-10", "2026-03-20", "2026-03-30"), engine).compliant
        r = run(stay_case("TJ", "2026-04-10", "2026-03-20", "2026-03-31"), engine)
        assert r.violations[0].facts["register_by"] == "2026-03-30"

    def test_override_table_day_off_2026_08_31(self, engine: str) -> None:
        # Thu 2026-08-27: Fri 28 (1), Mon 31 is a moved day off, Tue Sep 1 (2), Wed 2 (3), Thu 3 (4).
        assert run(stay_case("TJ", "2026-06-20", "2026-06-01", "2026-06-03"), engine).compliant
        r = run(stay_case("AF", "2026-09-10", "2026-08-27", "2026-09-03",
                          stays=[{"host": "h1", "from": "2026-08-27", "to": None, "registered_on": "2026-09-03"}]), engine)
        late = [v for v in r.violations if v.rule.startswith("registration.")]
        assert late and late[0].facts["register_by"] == "2026-09-02"

    def test_never_registered_is_late_from_the_day_after_the_deadline(self, engine: str) -> None:
        r = run(stay_case("TJ", "2026-02-13", "2026-02-06", None), engine)
        v = r.violations[0]
        assert v.since.isoformat() == "2026-02-12" and v.facts["late_days"] == 2

    def test_register_by_obligation_while_not_yet_due(self, engine: str) -> None:
        r = run(stay_case("TJ", "2026-02-09", "2026-02-06", None), engine)
        assert r.compliant and due(r, "register_by") == ["2026-02-11"]


class TestExemptions:
    def test_eaeu_30_days_from_entry(self, engine: str) -> None:
        # RU entry 2026-02-01: the exemption covers Feb 1 - Mar 2 (30 days).
        assert run(stay_case("RU", "2026-03-20", "2026-02-01", "2026-03-02"), engine).compliant
        r = run(stay_case("RU", "2026-03-20", "2026-02-01", "2026-03-03"), engine)
        assert rules_fired(r) == ["registration.host-notice-late"] and r.violations[0].facts["exempt_days"] == 30

    def test_eaeu_visit_shorter_than_30_days_needs_no_registration(self, engine: str) -> None:
        assert run(stay_case("BY", "2026-03-20", "2026-02-01", None, exit="2026-02-25"), engine).compliant

    def test_uzbek_exemption_from_the_protocol(self, engine: str) -> None:
        assert run(stay_case("UZ", "2026-03-20", "2026-02-01", None, exit="2026-02-25"), engine).compliant

    def test_uzbek_visit_before_the_protocol_had_3_working_days(self, engine: str) -> None:
        # Fri 2024-03-01: Mon 4 (1), Tue 5 (2), Wed 6 (3).
        r = run(stay_case("UZ", "2024-03-20", "2024-03-01", None, exit="2024-03-15"), engine)
        assert rules_fired(r) == ["registration.host-notice-late"]
        assert r.violations[0].facts["register_by"] == "2024-03-06"

    def test_address_change_has_its_own_3_days(self, engine: str) -> None:
        stays = [{"host": "h1", "from": "2026-02-02", "to": "2026-02-12", "registered_on": "2026-02-03"},
                 {"host": "h1", "from": "2026-02-13", "to": None, "registered_on": "2026-02-19"}]
        # Fri 13: Mon 16 (1), Tue 17 (2), Wed 18 (3), Thu 19 (4): late
        r = run(stay_case("TJ", "2026-02-25", "2026-02-02", None, stays=stays), engine)
        assert [(v.rule, v.facts["ref"]) for v in r.violations] == [("registration.host-notice-late", "stays[1]")]


class TestSwitch20260701:
    def test_arrival_on_30_june_is_a_host_notice(self, engine: str) -> None:
        # Tue 2026-06-30: Wed Jul 1 (1), Thu 2 (2), Fri 3 (3); Mon Jul 6 is Capital Day.
        assert run(stay_case("TJ", "2026-07-20", "2026-06-30", "2026-07-03"), engine).compliant
        r = run(stay_case("TJ", "2026-07-20", "2026-06-30", "2026-07-07"), engine)
        assert rules_fired(r) == ["registration.host-notice-late"] and codes(r) == ["518-1"]

    def test_arrival_on_1_july_registers_online_by_day_30(self, engine: str) -> None:
        assert run(stay_case("TJ", "2026-07-25", "2026-07-01", "2026-07-31", exit="2026-07-25"), engine).compliant
        r = run(stay_case("TJ", "2026-08-05", "2026-07-01", "2026-08-01",
                          exit="2026-08-05"), engine)
        online = [v for v in r.violations if v.rule == "registration.online-late"]
        assert len(online) == 1 and online[0].subject == "foreigner" and online[0].sanction.code == "517-1"
        assert online[0].facts["register_by"] == "2026-07-31"

    def test_visa_holders_stay_with_the_host_notice_unverified(self, engine: str) -> None:
        visa = {"type": "visa", "visa_type": "B2", "valid_from": "2026-07-01", "valid_until": "2026-12-31"}
        c = stay_case("AF", "2026-07-20", "2026-07-01", "2026-07-10")
        c["documents"] = [visa]
        r = run(c, engine)
        assert rules_fired(r) == ["registration.host-notice-late-other"]
        assert r.violations[0].verified is False

    def test_online_registration_obligation(self, engine: str) -> None:
        r = run(stay_case("KG", "2026-07-10", "2026-07-01", None), engine)
        assert r.compliant and due(r, "register_by") == ["2026-07-31"]
        assert [o.subject for o in r.obligations if o.kind == "register_by"] == ["foreigner"]


class TestSanctionTiers:
    @pytest.mark.parametrize(("size", "fine"), [("small", 10), ("nonprofit", 10), ("official", 10), ("medium", 15),
                                                ("large", 20)])
    def test_518_1_by_size(self, engine: str, size: str, fine: int) -> None:
        host = {"id": "hotel", "type": "hotel", "size": size}
        r = run(stay_case("TJ", "2026-02-20", "2026-02-06", "2026-02-12", host=host), engine)
        s = r.violations[0].sanction
        assert (s.tier, s.fine_mrp, s.fine_kzt, s.warning) == (size, fine, fine * 4325, False)

    def test_unknown_host_size_leaves_the_tier_unknown(self, engine: str) -> None:
        c = stay_case("TJ", "2026-02-20", "2026-02-06", "2026-02-12")
        del c["hosts"]
        r = run(c, engine)
        s = r.violations[0].sanction
        assert s.tier == "unknown" and s.fine_mrp is None and r.fines_unknown == 1
        assert ("host sanction tier", "hosts") in [(u.check, u.needs) for u in r.unchecked]


# The MRP table of the brief (s.6), restated here so the seeds are checked against it.
MRP = [("2015-01-31", 1982), ("2016-01-01", 2121), ("2017-01-01", 2269), ("2018-01-01", 2405),
       ("2019-01-01", 2525), ("2020-01-01", 2651), ("2020-04-01", 2778), ("2021-01-01", 2917),
       ("2022-01-01", 3063), ("2022-12-31", 3063), ("2023-01-01", 3450), ("2024-01-01", 3692),
       ("2025-01-01", 3932), ("2026-01-01", 4325), ("2020-03-31", 2651)]


@pytest.mark.parametrize(("as_of", "mrp"), MRP)
def test_fine_in_tenge_uses_the_mrp_in_force_on_as_of(engine: str, as_of: str, mrp: int) -> None:
    # A large hotel notifies one working day late in January 2015; the fine (20 MRP) is priced on as_of.
    host = {"id": "hotel", "type": "hotel", "size": "large"}
    c = stay_case("TJ", as_of, "2015-01-09", "2015-01-20", host=host, exit="2015-01-25")
    c["trips"][0]["exit"] = "2015-01-25"
    v = [v for v in run(c, engine).violations if v.rule == "registration.host-notice-late"][0]
    assert (v.sanction.mrp, v.sanction.fine_kzt) == (mrp, 20 * mrp)
    assert v.sanction.verified == (as_of[:4] not in ("2016", "2017", "2018"))
