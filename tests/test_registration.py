"""Registration beyond the scenario files (tests/scenarios/registration-*.case.yaml, which pin 3 vs 4
working days across weekends and holidays, the exemptions, the 2026-07-01 switch, the unverified
post-2026 host notice and every 518-1 tier): the fine priced on every MRP year of the seeds (brief s.6)."""

from __future__ import annotations

from datetime import date

import pytest

from kzcompliance.seeds import reference

from .helpers import case, run

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
