"""Registration beyond the scenario files (tests/scenarios/registration-*.case.yaml, which pin 3 vs 4
working days across weekends and holidays, the exemptions and the 2026-07-01 switch): the unverified
post-2026 host notice, every 518-1 tier and every MRP year (brief s.3, s.5, s.6)."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import case, rules_fired, run

from kzcompliance.seeds import reference


def stay_case(citizenship: str, as_of: str, arrival: str, registered: str | None, *, host: dict | None = None,
              exit: str | None = None, stays: list[dict] | None = None) -> dict:
    host = host or {"id": "h1", "type": "individual"}
    return case(citizenship, as_of,
                trips=[{"entry": arrival, "exit": exit, "purpose": "private"}],
                stays=stays or [{"host": host["id"], "from": arrival, "to": exit, "registered_on": registered}],
                hosts=[host])


class TestSwitch20260701:


    def test_visa_holders_stay_with_the_host_notice_unverified(self, engine: str) -> None:
        visa = {"type": "visa", "visa_type": "B2", "valid_from": "2026-07-01", "valid_until": "2026-12-31"}
        c = stay_case("AF", "2026-07-20", "2026-07-01", "2026-07-10")
        c["documents"] = [visa]
        r = run(c, engine)
        assert rules_fired(r) == ["registration.host-notice-late-other"]
        assert r.violations[0].verified is False


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
    # A visa-required visitor with no visa in January 2015 (517 p.1, 15 MRP, P); the fine is priced on as_of.
    # (A host's late notice, used here before, was no offence until 2018-01-09: brief C6.)
    c = case("AF", as_of, trips=[{"entry": "2015-01-09", "exit": "2015-01-25", "purpose": "private"}])
    (v,) = [v for v in run(c, engine).violations if v.rule == "stay.no-basis"]
    assert (v.sanction.mrp, v.sanction.fine_kzt, v.sanction.verified) == (mrp, 15 * mrp, False)
    assert reference().mrp(date.fromisoformat(as_of)).verified == (as_of[:4] != "2017")  # brief C15
