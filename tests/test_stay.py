"""Stay limits beyond the scenario files (tests/scenarios/stay-*.case.yaml and eaeu-*.case.yaml pin the
visa-free terms, the rolling cap, documents and other bases of stay, regimes by date and left-out data):
trips that overlap are an input error, not a stay."""

from __future__ import annotations

import pytest
from .helpers import case, run


def trip(entry: str, exit: str | None = None) -> dict[str, str | None]:
    return {"entry": entry, "exit": exit, "purpose": "private"}


def test_reentry_on_the_exit_day_overlaps(engine: str) -> None:
    # Both the exit and the entry day are days of stay, so a trip entering on the previous exit day overlaps.
    trips = [trip("2026-01-01", "2026-02-14"), trip("2026-02-14", "2026-02-20")]
    with pytest.raises(ValueError, match="trips"):
        run(case("RU", "2026-04-14", trips=trips), engine)
