"""The process-level shortcuts behind the speed-ups answer exactly as the slow way does."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from babel.numbers import format_decimal

from kzcompliance import sanctions
from kzcompliance.calendar import calendar
from kzcompliance.i18n import LANGS, number, tn
from kzcompliance.i18n.catalog import translations
from kzcompliance.i18n.legal import LEGAL_BASIS, legal_basis
from kzcompliance.i18n.messages import counted
from kzcompliance.law_edges import mrp_carried
from kzcompliance.plugins import decided, hookimpl, new_plugin_manager
from kzcompliance.plugins.hookspecs import RegimeDecision
from kzcompliance.rulebook import default_rulebook
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


def test_decided_by_period_equals_asking_the_plugins_on_every_day() -> None:
    """Answers reused within a period of the law (kzc_law_changes) are the plugins' own for that day,
    on both sides of every change in the seeds."""
    pm, ref = new_plugin_manager(load_entry_points=False), reference()
    countries = sorted({m.country for m in ref.members}) + ["PK", "stateless"]
    days = set()
    for country in countries:
        for change in pm.hook.kzc_law_changes(country=country, ref=ref):
            days.update(d + timedelta(days=k) for d in change for k in (-1, 0, 1))
    rng = random.Random(11)
    days.update(date(2015, 1, 1) + timedelta(days=rng.randrange(0, 4500)) for _ in range(40))
    for country in countries:
        for on in sorted(days):
            regime = decided(pm, "kzc_regime", country=country, on=on, ref=ref)
            assert regime == pm.hook.kzc_regime(country=country, on=on, ref=ref), (country, on)
            assert decided(pm, "kzc_registration_exempt_days", country=country, regime=regime, on=on, ref=ref) == \
                pm.hook.kzc_registration_exempt_days(country=country, regime=regime, on=on, ref=ref), (country, on)
            assert decided(pm, "kzc_permit_required", country=country, regime=regime, on=on) == \
                pm.hook.kzc_permit_required(country=country, regime=regime, on=on), (country, on)


class _Switching:
    """A third-party plugin whose answer for Uzbekistan changes on 2026-03-10, not saying so."""

    @hookimpl
    def kzc_regime(self, country: str, on: date, ref: object) -> RegimeDecision | None:
        if country != "UZ":
            return None
        label = "before" if on < date(2026, 3, 10) else "after"
        return RegimeDecision(regime=label, group=label, terms=None, plugin="test", source="test", verified=True)


class _Declaring(_Switching):
    """The same plugin, saying when its answer changes."""

    @hookimpl
    def kzc_law_changes(self, country: str, ref: object) -> list[date]:
        return [date(2026, 3, 10)] if country == "UZ" else []


def test_decided_honours_each_change_whether_or_not_the_plugin_declares_it() -> None:
    ref = reference()
    for plugin in (_Declaring(), _Switching()):
        pm = new_plugin_manager(load_entry_points=False)
        pm.register(plugin)
        labels = [decided(pm, "kzc_regime", country="UZ", on=date(2026, 3, 1) + timedelta(days=k), ref=ref).regime
                  for k in range(20)]
        assert labels == ["before"] * 9 + ["after"] * 11, type(plugin).__name__


def test_numbers_and_counted_days_equal_babel_and_the_catalogue() -> None:
    """The remembered number and count texts are Babel's and the catalogue's own, for every language."""
    rng = random.Random(7)
    ns = list(range(-3, 130)) + [rng.randrange(0, 10**9) for _ in range(200)] + [-43250, 10**15]
    for lang in LANGS:
        for n in ns + ns:  # the second pass is answered from the cache
            assert number(n, lang) == format_decimal(n, locale=lang), (n, lang)
            assert counted("days", n, lang) == tn(lang, "{n} day", "{n} days", n), (n, lang)
        assert number(Decimal("0.23"), lang) == format_decimal(Decimal("0.23"), locale=lang)


def test_legal_basis_lines_equal_the_catalogue() -> None:
    for lang in LANGS:
        for rule in default_rulebook().rules:
            for basis in rule.legal_basis + ["a line no catalogue has"]:
                assert legal_basis(basis, lang) == translations(lang).pgettext(LEGAL_BASIS, basis)


def test_shared_sanctions_equal_pricing_each_one_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every code, tier and language on dates across the catalogue's rows and past the MRP table's end: the
    shared Sanction is the one priced afresh, also once the bounded store has been emptied many times."""
    from kzcompliance.i18n import LANGS
    monkeypatch.setattr(sanctions, "_PRICED_MAX", 64)
    ref = reference()
    rng = random.Random(13)
    end = ref.known_until("mrp")
    tiers = [None, "unknown", "individual", "official", "small", "nonprofit", "medium", "large"]
    for _ in range(3000):
        row = rng.choice(ref.sanction_rows)
        last = row.until or end + timedelta(days=800)
        conduct = row.start + timedelta(days=rng.randrange(0, (last - row.start).days + 1))
        as_of = conduct + timedelta(days=rng.choice([0, rng.randrange(0, 2000)]))
        tier, lang = rng.choice(tiers), rng.choice(LANGS)
        shared = sanctions.sanction_for(ref, row.code, tier, conduct, as_of, lang)
        afresh = sanctions._sanction(ref.sanction(row.code, conduct), tier, *mrp_carried(ref, as_of, lang), lang)
        assert shared == afresh, (row.code, tier, conduct, as_of, lang)
        assert len(sanctions._PRICED) <= 64
