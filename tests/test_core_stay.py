"""Stay limits the scenario files (tests/scenarios/stay-*.case.yaml) do not already pin: documents and
other bases of stay, regimes by date, left-out data. Expected dates are worked out by hand from the
brief (s.2), counting the entry day as day 1."""

from __future__ import annotations

import pytest
from helpers import case, codes, due, rules_fired, run



def trip(entry: str, exit: str | None = None) -> dict[str, str | None]:
    return {"entry": entry, "exit": exit, "purpose": "private"}


def test_india_was_visa_required_before_2022_07_08(engine: str) -> None:
    r = run(case("IN", "2022-07-07", trips=[trip("2022-07-01")]), engine)
    assert r.regime == "visa_required" and rules_fired(r) == ["stay.no-basis"]
    assert run(case("IN", "2022-07-10", trips=[trip("2022-07-08")]), engine).compliant


def test_reentry_on_the_exit_day_overlaps(engine: str) -> None:
    # Both the exit and the entry day are days of stay, so a trip entering on the previous exit day overlaps.
    trips = [trip("2026-01-01", "2026-02-14"), trip("2026-02-14", "2026-02-20")]
    with pytest.raises(ValueError, match="trips"):
        run(case("RU", "2026-04-14", trips=trips), engine)


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
        assert r.compliant is None and ("stay", "documents") in [(u.check, u.needs) for u in r.unchecked]


