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


def test_the_walks_window_counts_match_counting_day_by_day_in_any_order() -> None:
    # in_window keeps its answers per walk; asked again, or after other days, it must still count as a fresh walk.
    import random

    from kzcompliance.dates import DayIndex, merge
    from kzcompliance.stay_limits import _TripWalk

    rng = random.Random(7)
    for _ in range(200):
        first, window = rng.randrange(200, 400), rng.choice([30, 90, 180])
        prior_ivs = merge((a, min(a + rng.randrange(0, 30), first - 1)) for a in
                          (rng.randrange(0, first) for _ in range(rng.randrange(0, 5))))
        cover_ivs = merge((a, a + rng.randrange(0, 20)) for a in
                          (rng.randrange(first, first + 200) for _ in range(rng.randrange(0, 4))))
        prior_from = rng.randrange(0, len(prior_ivs) + 1)
        counted = {d for a, b in prior_ivs[prior_from:] for d in range(a, b + 1)}
        covered = {d for a, b in cover_ivs for d in range(a, b + 1)}
        walk = _TripWalk(first, DayIndex(cover_ivs), first + 89, 90, window, DayIndex(prior_ivs), prior_from)
        for day in rng.choices(range(first, first + 250), k=40):
            expected = sum(1 for d in range(day - window + 1, day + 1)
                           if d in counted or (d >= first and d not in covered))
            assert walk.in_window(day) == expected


def test_dates_after_answers_as_bisect_right() -> None:
    # dates.after is bisect_right written out for the compiled build: the same index for any list, value and range.
    import random
    from bisect import bisect_right

    from kzcompliance.dates import after

    rng = random.Random(11)
    for _ in range(2000):
        values = sorted(rng.choices(range(50), k=rng.randrange(0, 12)))
        x, lo = rng.randrange(-2, 52), rng.randrange(0, len(values) + 1)
        hi = rng.randrange(lo, len(values) + 1)
        assert after(values, x) == bisect_right(values, x)
        assert after(values, x, lo) == bisect_right(values, x, lo)
        assert after(values, x, lo, hi) == bisect_right(values, x, lo, hi)
