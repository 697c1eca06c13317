"""Registration beyond the scenario files (tests/scenarios/registration-*.case.yaml, which pin 3 vs 4
working days across weekends and holidays, the exemptions, the 2026-07-01 switch, the unverified
post-2026 host notice and every 518-1 tier): the fine priced on every MRP year of the seeds (brief s.6)."""

from __future__ import annotations

import pytest
from .helpers import case, run


def stay_case(citizenship: str, as_of: str, arrival: str, registered: str | None, *, host: dict,
              exit: str | None = None) -> dict:
    return case(citizenship, as_of,
                trips=[{"entry": arrival, "exit": exit, "purpose": "private"}],
                stays=[{"host": host["id"], "from": arrival, "to": exit, "registered_on": registered}],
                hosts=[host])


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
