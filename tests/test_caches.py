"""The process-level shortcuts behind the speed-ups answer exactly as the slow way does."""

from __future__ import annotations

import random
from datetime import date, timedelta

from kzcompliance.calendar import calendar
from kzcompliance.plugins import decided, hookimpl, new_plugin_manager
from kzcompliance.plugins.hookspecs import RegimeDecision
from kzcompliance.seeds import reference


def test_working_days_between_equals_counting_day_by_day() -> None:
    cal = calendar()
    rng = random.Random(3)
    for _ in range(300):
        start = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 4400))
        end = start + timedelta(days=rng.choice([rng.randrange(-3, 12), rng.randrange(0, 1200)]))
        by_day = sum(cal.is_working_day(start + timedelta(days=k)) for k in range(1, (end - start).days + 1))
        assert cal.working_days_between(start, end) == by_day, (start, end)


def test_add_working_days_equals_stepping_day_by_day() -> None:
    cal = calendar()
    rng = random.Random(5)
    starts = [date(2025, 12, 24), date(2026, 12, 28), date(2019, 12, 31)]  # steps across New Year
    starts += [date(2015, 1, 1) + timedelta(days=rng.randrange(0, 4400)) for _ in range(300)]
    for start in starts:
        n = rng.choice([0, 1, 3, 5, rng.randrange(0, 400)])
        day, left = start, n
        while left > 0:
            day += timedelta(days=1)
            left -= cal.is_working_day(day)
        assert cal.add_working_days(start, n) == day, (start, n)


class _Bilateral:
    """A third-party plugin deciding Uzbekistan's regime itself."""

    @hookimpl
    def kzc_regime(self, country: str, on: date, ref: object) -> RegimeDecision | None:
        if country != "UZ":
            return None
        return RegimeDecision(regime="bilateral", group="bilateral", terms=None, plugin="test", source="test",
                              verified=True)


def test_decided_answers_afresh_once_a_plugin_is_registered() -> None:
    pm, ref, on = new_plugin_manager(load_entry_points=False), reference(), date(2026, 3, 1)
    before = decided(pm, "kzc_regime", country="UZ", on=on, ref=ref)
    assert before == pm.hook.kzc_regime(country="UZ", on=on, ref=ref) and before.regime == "cis"
    assert decided(pm, "kzc_regime", country="UZ", on=on, ref=ref) is before  # cached
    plugin = _Bilateral()
    pm.register(plugin)
    assert decided(pm, "kzc_regime", country="UZ", on=on, ref=ref).regime == "bilateral"
    pm.unregister(plugin)
    assert decided(pm, "kzc_regime", country="UZ", on=on, ref=ref) == before
