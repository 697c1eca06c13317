"""Stay limits at their boundaries: per-entry terms, the rolling cap, the 2023-01-27 switch, documents,
the EAEU contract term, the overstay grades and the day-count setting. Expected dates are worked out
by hand from the brief (s.2), counting the entry day as day 1."""

from __future__ import annotations

import pytest
from helpers import case, codes, due, rules_fired, run

from kzcompliance import Settings


def trip(entry: str, exit: str | None = None) -> dict[str, str | None]:
    return {"entry": entry, "exit": exit, "purpose": "private"}


class TestVisaFreeTerm:
    def test_day_30_is_lawful_for_a_cis_visitor(self, engine: str) -> None:
        r = run(case("UZ", "2026-03-02", trips=[trip("2026-02-01")]), engine)  # Feb 1 + 29 days = Mar 2
        assert r.compliant
        assert due(r, "leave_by") == ["2026-03-02"]

    def test_day_31_is_an_overstay_of_one_day(self, engine: str) -> None:
        r = run(case("UZ", "2026-03-03", trips=[trip("2026-02-01")]), engine)
        assert rules_fired(r) == ["stay.visa-free-term"]
        v = r.violations[0]
        assert (v.since.isoformat(), v.facts["overstay_days"], v.facts["allowed"]) == ("2026-03-03", 1, 30)
        assert v.sanction.code == "517-3.1" and v.sanction.warning and v.sanction.fine_mrp == 0
        assert due(r, "leave_by") == ["2026-03-03"]  # already past: leave now

    def test_eaeu_day_90_lawful_and_91_not(self, engine: str) -> None:
        # RU entry 2026-01-01: day 90 is 2026-03-31
        assert run(case("RU", "2026-03-31", trips=[trip("2026-01-01")]), engine).compliant
        r = run(case("RU", "2026-04-01", trips=[trip("2026-01-01")]), engine)
        assert codes(r) == ["517-3.1"]
        assert r.regime == "eaeu"

    def test_india_has_14_days_per_entry(self, engine: str) -> None:
        assert run(case("IN", "2026-01-14", trips=[trip("2026-01-01")]), engine).compliant
        r = run(case("IN", "2026-01-15", trips=[trip("2026-01-01")]), engine)
        assert rules_fired(r) == ["stay.visa-free-term"] and r.violations[0].facts["allowed"] == 14

    def test_india_was_visa_required_before_2022_07_08(self, engine: str) -> None:
        r = run(case("IN", "2022-07-07", trips=[trip("2022-07-01")]), engine)
        assert r.regime == "visa_required" and rules_fired(r) == ["stay.no-basis"]
        assert run(case("IN", "2022-07-10", trips=[trip("2022-07-08")]), engine).compliant

    def test_past_trip_that_overstayed_is_still_a_violation(self, engine: str) -> None:
        r = run(case("TJ", "2026-06-01", trips=[trip("2026-01-01", "2026-02-04")]), engine)  # 35 days, 5 over
        assert codes(r) == ["517-3.2"] and r.violations[0].since.isoformat() == "2026-01-31"
        assert due(r, "leave_by") == []  # no longer in the country


class TestOverstayGrades:
    @pytest.mark.parametrize(("over", "code", "fine"), [
        (3, "517-3.1", 0), (4, "517-3.2", 10), (5, "517-3.2", 10), (6, "517-3.3", 15), (10, "517-3.3", 15),
        (11, "517-4", 25),
    ])
    def test_grade_by_days(self, engine: str, over: int, code: str, fine: int) -> None:
        from datetime import date, timedelta
        as_of = date(2026, 3, 2) + timedelta(days=over)  # UZ entry Feb 1: last lawful day Mar 2
        r = run(case("UZ", as_of.isoformat(), trips=[trip("2026-02-01")]), engine)
        v = r.violations[0]
        assert (v.facts["overstay_days"], v.sanction.code, v.sanction.fine_mrp) == (over, code, fine)
        assert v.sanction.fine_kzt == fine * 4325

    def test_over_10_days_may_bring_expulsion(self, engine: str) -> None:
        r = run(case("UZ", "2026-03-20", trips=[trip("2026-02-01")]), engine)
        s = r.violations[0].sanction
        assert s.code == "517-4" and s.expulsion_possible and s.entry_ban_years_if_expelled == 5
        assert not s.verified  # the brief tags 517 p.4 P


class TestRollingCap:
    # RU: Jan 1 - Feb 14 2026 is 45 days; a second entry on Mar 1 has 45 days left: Mar 1 + 44 = Apr 14.
    TRIPS = [trip("2026-01-01", "2026-02-14"), trip("2026-03-01")]

    def test_90th_day_in_180_is_lawful(self, engine: str) -> None:
        r = run(case("RU", "2026-04-14", trips=self.TRIPS), engine)
        assert r.compliant and due(r, "leave_by") == ["2026-04-14"]

    def test_91st_day_in_180_breaks_the_cap(self, engine: str) -> None:
        r = run(case("RU", "2026-04-15", trips=self.TRIPS), engine)
        assert rules_fired(r) == ["stay.visa-free-cap"]
        v = r.violations[0]
        assert v.facts["allowed"] == 90 and v.facts["window_days"] == 180 and v.facts["days_in_window"] == 91
        assert v.since.isoformat() == "2026-04-15" and v.sanction.code == "517-3.1"

    def test_days_before_the_window_drop_out(self, engine: str) -> None:
        # Jan 1 - Mar 31 2025 (90 days), then Oct 1 2025: the window of Oct 1 reaches back to Apr 5, so 90 days remain.
        r = run(case("RU", "2025-12-29", trips=[trip("2025-01-01", "2025-03-31"), trip("2025-10-01")]), engine)
        assert r.compliant and due(r, "leave_by") == ["2025-12-29"]  # Oct 1 + 89

    def test_cis_third_30_day_entry_is_the_90th_day(self, engine: str) -> None:
        trips = [trip("2026-01-01", "2026-01-30"), trip("2026-02-10", "2026-03-11"), trip("2026-04-01")]
        assert run(case("UZ", "2026-04-30", trips=trips), engine).compliant
        r = run(case("UZ", "2026-05-01", trips=trips), engine)
        assert len(r.violations) == 1 and r.violations[0].facts["overstay_days"] == 1

    def test_india_42_in_180_used_up_on_entry(self, engine: str) -> None:
        trips = [trip("2026-01-01", "2026-01-14"), trip("2026-02-01", "2026-02-14"),
                 trip("2026-03-01", "2026-03-14"), trip("2026-04-01")]
        r = run(case("IN", "2026-04-01", trips=trips), engine)
        assert rules_fired(r) == ["stay.visa-free-cap"] and r.violations[0].since.isoformat() == "2026-04-01"
        assert r.violations[0].facts["allowed"] == 42

    def test_exit_and_entry_days_count_once_each(self, engine: str) -> None:
        # Entry on the day of the previous exit: the shared day is one day, not two.
        trips = [trip("2026-01-01", "2026-02-14"), trip("2026-02-14", "2026-02-14"), trip("2026-03-01")]
        with pytest.raises(ValueError, match="trips"):
            run(case("RU", "2026-04-14", trips=trips), engine)  # overlapping trips are an input error


class TestSwitch20230127:
    def test_before_the_switch_each_entry_starts_afresh(self, engine: str) -> None:
        # 90 days Jan 1 - Mar 31 2022, re-entry Apr 5 2022: a fresh 90 days to Jul 3, no cap.
        trips = [trip("2022-01-01", "2022-03-31"), trip("2022-04-05")]
        assert run(case("RU", "2022-07-03", trips=trips), engine).compliant
        r = run(case("RU", "2022-07-04", trips=trips), engine)
        assert rules_fired(r) == ["stay.visa-free-term"]

    def test_stays_begun_before_the_switch_do_not_count_towards_the_cap(self, engine: str) -> None:
        trips = [trip("2022-11-01", "2023-01-29"), trip("2023-02-01")]  # first began before 2023-01-27
        r = run(case("RU", "2023-05-01", trips=trips), engine)  # Feb 1 + 89
        assert r.compliant and due(r, "leave_by") == ["2023-05-01"]

    def test_stays_begun_after_the_switch_count(self, engine: str) -> None:
        # Feb 1 - Mar 31 2023 is 59 days; from Apr 10, 31 days remain: last lawful day May 10.
        trips = [trip("2023-02-01", "2023-03-31"), trip("2023-04-10")]
        assert run(case("RU", "2023-05-10", trips=trips), engine).compliant
        assert rules_fired(run(case("RU", "2023-05-11", trips=trips), engine)) == ["stay.visa-free-cap"]


class TestDocumentsAndBases:
    def test_visa_term_then_overstay(self, engine: str) -> None:
        visa = {"type": "visa", "visa_type": "C3", "valid_from": "2026-01-01", "valid_until": "2026-01-31"}
        r = run(case("BR", "2026-02-02", trips=[trip("2026-01-05")], documents=[visa]), engine)
        assert rules_fired(r) == ["stay.document-term"]
        assert r.violations[0].facts["overstay_days"] == 2 and r.violations[0].facts["basis_detail"] == "visa"

    def test_no_visa_no_basis(self, engine: str) -> None:
        r = run(case("BR", "2026-01-10", trips=[trip("2026-01-05")]), engine)
        assert r.regime == "visa_required" and codes(r) == ["517-1"]
        assert r.violations[0].since.isoformat() == "2026-01-05"

    def test_temporary_residence_extends_a_visa_free_stay(self, engine: str) -> None:
        trp = {"type": "temporary_residence_permit", "valid_from": "2026-01-20", "valid_until": "2026-12-31"}
        r = run(case("UZ", "2026-06-01", trips=[trip("2026-01-01")], documents=[trp]), engine)
        assert r.compliant and due(r, "leave_by") == ["2026-12-31"]

    def test_a_gap_between_visa_free_term_and_permit_is_an_overstay(self, engine: str) -> None:
        trp = {"type": "temporary_residence_permit", "valid_from": "2026-02-05", "valid_until": "2026-12-31"}
        r = run(case("UZ", "2026-03-01", trips=[trip("2026-01-01")], documents=[trp]), engine)
        assert rules_fired(r) == ["stay.visa-free-term"]
        v = r.violations[0]
        assert v.facts["overstay_days"] == 5 and v.since.isoformat() == "2026-01-31"  # Jan 31 - Feb 4 uncovered
        assert v.sanction.code == "517-3.2"
        assert due(r, "leave_by") == ["2026-12-31"]  # the permit covers the stay now

    def test_permanent_resident_never_overstays(self, engine: str) -> None:
        prp = {"type": "permanent_residence_permit", "valid_from": "2019-05-01", "valid_until": None}
        r = run(case("CN", "2026-11-01", trips=[trip("2019-05-10")], documents=[prp]), engine)
        assert r.compliant and due(r, "leave_by") == []

    def test_eaeu_worker_stays_for_the_contract_plus_15_days(self, engine: str) -> None:
        job = {"employer": "e1", "start": "2026-01-05", "end": "2026-05-31", "category": "4"}
        parts = {"trips": [trip("2026-01-01")], "employment": [job],
                 "employers": [{"id": "e1", "type": "legal_entity", "size": "large"}]}
        assert run(case("KG", "2026-06-15", **parts), engine).compliant  # May 31 + 15
        r = run(case("KG", "2026-06-16", **parts), engine)
        assert rules_fired(r) == ["stay.eaeu-contract-term"] and codes(r) == ["517-3.1"]

    def test_documents_left_out_makes_an_overstay_unchecked(self, engine: str) -> None:
        c = case("UZ", "2026-03-10", trips=[trip("2026-02-01")])
        del c["documents"]
        r = run(c, engine)
        assert r.compliant and ("stay", "documents") in [(u.check, u.needs) for u in r.unchecked]


class TestDayCount:
    def test_exit_day_counts_by_default(self, engine: str) -> None:
        c = case("UZ", "2026-04-01", trips=[trip("2026-02-01", "2026-03-03")])  # 31 days with the exit day
        assert codes(run(c, engine)) == ["517-3.1"]

    def test_setting_excludes_the_exit_day(self, engine: str) -> None:
        c = case("UZ", "2026-04-01", trips=[trip("2026-02-01", "2026-03-03")])
        assert run(c, engine, settings=Settings(count_exit_day=False)).compliant
