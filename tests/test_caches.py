"""The process-level shortcuts behind the speed-ups answer exactly as the slow way does."""

from __future__ import annotations

import json
import random
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from babel.numbers import format_decimal
from pydantic import BaseModel

from kzcompliance import dates, sanctions
from kzcompliance.i18n import messages
from kzcompliance.calendar import calendar
from kzcompliance import Report, check
from kzcompliance.report import Sanction
from kzcompliance.pipeline import evaluate, to_case
from kzcompliance.plugins import decided, hookimpl, new_plugin_manager
from kzcompliance.plugins.hookspecs import RegimeDecision
from kzcompliance.context import Context
from kzcompliance.facts import FACT_FIELDS
from kzcompliance.dates import date_of_iso, iso, iso_date
from kzcompliance.seeds import ByDate, ParameterRow, reference
from kzcompliance.settings import DEFAULT_SETTINGS
from kzcompliance.i18n import LANGS, number, tn
from kzcompliance.i18n.catalog import translations
from kzcompliance.i18n.legal import LEGAL_BASIS, legal_basis
from kzcompliance.i18n.messages import UNITS, counted, fill
from kzcompliance.law_edges import mrp_carried
from kzcompliance.rulebook import default_rulebook


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


def test_iso_texts_kept_are_those_isoformat_gives_and_stay_bounded() -> None:
    rng = random.Random(7)
    days = [date(1, 1, 1), date(9999, 12, 31)] + [date(1900, 1, 1) + timedelta(days=rng.randrange(0, 80_000))
                                                  for _ in range(3 * dates.ISO_KEPT)]
    for day in days + days[:500]:  # the last 500 asked again: from the caches
        assert iso_date(day) == day.isoformat()
        assert iso(day.toordinal()) == day.isoformat()
        assert date_of_iso(day.isoformat()) == day
    assert len(dates._ISO_OF_DAY) == dates.ISO_SPAN and any(dates._ISO_OF_DAY)
    assert 0 < len(dates._date_of_iso) <= dates.ISO_KEPT
    with pytest.raises(ValueError):
        date_of_iso("2025-02-30")


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


def test_the_hook_tables_of_a_country_are_kept_across_checks_until_the_plugins_change() -> None:
    """plugins.answer_tables.hook_tables: successive checks of a country share one dict of tables (our manager),
    a plain pluggy manager gets a new one each time, and a registered plugin is answered in the next check."""
    import pluggy

    from kzcompliance.plugins.answer_tables import hook_tables
    from kzcompliance.plugins.hookspecs import PROJECT

    pm, ref, on = new_plugin_manager(load_entry_points=False), reference(), date(2026, 3, 1)

    def check_regime() -> str:
        ctx = Context(case=to_case({"person": {"citizenship": "UZ"}, "as_of": "2026-03-01"}), as_of=on, ref=ref,
                      calendar=calendar(), pm=pm, settings=DEFAULT_SETTINGS)
        return str(ctx.regime(on).regime)

    assert check_regime() == "cis" and hook_tables(pm, "UZ", ref) is hook_tables(pm, "UZ", ref)
    assert "kzc_regime" in hook_tables(pm, "UZ", ref) and hook_tables(pm, "KG", ref) is not hook_tables(pm, "UZ", ref)
    kept = hook_tables(pm, "UZ", ref)
    pm.register(_Bilateral(), name="bilateral")
    assert hook_tables(pm, "UZ", ref) is not kept and check_regime() == "bilateral"
    pm.unregister(name="bilateral")
    assert check_regime() == "cis"
    plain = pluggy.PluginManager(PROJECT)
    assert hook_tables(plain, "UZ", ref) is not hook_tables(plain, "UZ", ref)


def test_decided_follows_every_change_of_the_plugin_set_on_any_manager() -> None:
    """Kept answers are keyed by the manager's generation (ours) or by pluggy's implementations (a plain
    pluggy manager): either way blocking, registering and unregistering a plugin is seen at once."""
    import pluggy

    from kzcompliance.plugins import cis, eaeu, general
    from kzcompliance.plugins.hookspecs import PROJECT, RegimeSpec

    plain = pluggy.PluginManager(PROJECT)
    plain.add_hookspecs(RegimeSpec)
    for name, module in (("eaeu", eaeu), ("cis", cis), ("general", general)):
        plain.register(module, name=name)
    ref, on = reference(), date(2026, 3, 1)
    for pm in (new_plugin_manager(load_entry_points=False), plain):
        def regime(pm: pluggy.PluginManager = pm) -> str:
            asked = decided(pm, "kzc_regime", country="UZ", on=on, ref=ref)
            assert asked == pm.hook.kzc_regime(country="UZ", on=on, ref=ref)
            return str(asked.regime)

        assert regime() == "cis"
        pm.register(_Bilateral(), name="bilateral")
        assert regime() == "bilateral"
        pm.set_blocked("bilateral")
        assert regime() == "cis"
        pm.unblock("bilateral")
        pm.register(_Bilateral(), name="bilateral")
        assert regime() == "bilateral"
        pm.unregister(name="bilateral")
        assert regime() == "cis"


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


def _scan(rows: object, on: date) -> object:
    """The first row in force on `on`, scanning: what the tables by date must answer."""
    return next((r for r in rows if r.in_force(on)), None)  # type: ignore[attr-defined]


def _edges(rows: object) -> set[date]:
    """Each row's first and last day and the days either side, where a table by date could go wrong."""
    days = set()
    for r in rows:  # type: ignore[attr-defined]
        for edge in (r.start, r.until):
            for k in (-1, 0, 1) if edge is not None else ():
                try:
                    days.add(edge + timedelta(days=k))
                except OverflowError:  # past date.max
                    pass
    return days


def test_seed_lookups_by_date_equal_scanning_the_rows() -> None:
    ref, rng = reference(), random.Random(13)
    spread = {date(2012, 1, 1) + timedelta(days=rng.randrange(0, 6000)) for _ in range(150)}
    for name, rows in ref.parameters.items():
        for on in _edges(rows) | spread:
            assert ref.parameter(name, on) == _scan(rows, on), (name, on)
    for kind in ("individual", "legal_entity", "household"):
        rows = [p for p in ref.permit_rows if p.employer_type == kind]
        for on in _edges(rows) | spread:
            assert ref.permit_for(kind, on) == _scan(rows, on), (kind, on)
    for on in _edges(ref.quota_rows) | spread:
        expected = _scan(ref.quota_rows, on)
        if expected is None and on > ref.known_until("quotas"):
            expected = max(ref.quota_rows, key=lambda r: r.start)
        assert ref.quota(on) == expected, on
    for code in ref.sanction_codes() | {"999-9"}:
        rows = [s for s in ref.sanction_rows if s.code == code]
        for on in _edges(rows) | spread:
            assert ref.sanction_in_force(code, on) == (_scan(rows, on) is not None), (code, on)
            if _scan(rows, on) is not None:
                assert ref.sanction(code, on) == _scan(rows, on), (code, on)
    for country in {m.country for m in ref.members} | {"PK"}:
        for on in _edges(ref.memberships(country)) | spread:
            assert ref.membership(country, on) == _scan(ref.memberships(country), on), (country, on)
    for group, g in ref.groups.items():
        for on in _edges(g.terms) | spread:
            assert ref.terms(group, on) == _scan(g.terms, on), (group, on)


def test_a_table_by_date_answers_overlapping_rows_as_the_scan_does() -> None:
    rows = [ParameterRow.model_validate({"from": start, "until": until, "value": value, "verified": True,
                                         "source": "test"})
            for start, until, value in (("2024-03-01", "2024-06-30", 1), ("2024-01-01", None, 2),
                                        ("2024-05-01", "2024-05-01", 3), ("2023-01-01", "2023-12-31", 4),
                                        ("2025-01-01", str(date.max), 5))]
    table = ByDate(rows)
    for on in _edges(rows) | {date.min, date.max, date(2030, 1, 1)}:
        assert table.at(on) == _scan(rows, on), on


def test_context_parameter_is_the_reference_datas_row_on_every_switch_day() -> None:
    """Context.parameter reads the parameter tables directly: on each row's first and last day and the days
    around them, and on random days, it is ReferenceData.parameter's value (None where no row is in force)."""
    ref, rng = reference(), random.Random(5)
    ctx = Context(case=to_case({"person": {"citizenship": "UZ"}, "as_of": "2026-01-01"}), as_of=date(2026, 1, 1),
                  ref=ref, calendar=calendar(), pm=new_plugin_manager(load_entry_points=False),
                  settings=DEFAULT_SETTINGS)
    consulted = set()
    for name, rows in sorted(ref.parameters.items()):
        days = [d + timedelta(days=k) for r in rows for d in (r.start, r.until or r.start) for k in (-1, 0, 1)]
        days += [date(2012, 1, 1) + timedelta(days=rng.randrange(0, 6000)) for _ in range(40)]
        for on in days:
            row = ref.parameter(name, on)
            assert ctx.parameter(name, on) == (row.value if row is not None else None), (name, on)
            if row is not None:
                consulted.add(name)
    assert ctx.parameter("no.such_parameter", date(2026, 1, 1)) is None
    assert ctx.consulted == consulted  # noted for the trace where a row was in force
    assert ctx._parameters is ref.parameter_values  # the value tables are built once, with the reference data


def test_answers_tables_equal_asking_pluggy_in_any_order() -> None:
    """A fresh table asked the switch days, the days before them and random days in random order gives
    the plugins' own answer each time, and asks them once per period of the law at most."""
    pm, ref, rng = new_plugin_manager(load_entry_points=False), reference(), random.Random(17)
    asked: list[str] = []
    pm.add_hookcall_monitoring(lambda hook, impls, kwargs: asked.append(hook), lambda *a: None)
    for country in sorted({m.country for m in ref.members}) + ["CN", "TR", "PK", "stateless"]:
        changes = sorted({d for days in pm.hook.kzc_law_changes(country=country, ref=ref) for d in days})
        days = [d + timedelta(days=k) for d in changes for k in (-1, 0)]
        days += [date(2012, 1, 1) + timedelta(days=rng.randrange(0, 6000)) for _ in range(60)]
        rng.shuffle(days)
        asked.clear()
        ctx = Context(case=to_case({"person": {"citizenship": country}, "as_of": "2026-01-01"}), as_of=date(2026, 1, 1),
                      ref=ref, calendar=calendar(), pm=pm, settings=DEFAULT_SETTINGS)
        for on in days:
            regime = ctx.regime(on)
            assert regime == pm.hook.kzc_regime(country=country, on=on, ref=ref), (country, on)
            assert ctx.decided("kzc_registration_exempt_days", on, regime=regime, ref=ref) == \
                pm.hook.kzc_registration_exempt_days(country=country, regime=regime, on=on, ref=ref), (country, on)
            assert ctx.decided("kzc_permit_required", on, regime=regime) == \
                pm.hook.kzc_permit_required(country=country, regime=regime, on=on), (country, on)
            assert decided(pm, "kzc_regime", country=country, on=on, ref=ref) is regime
        for hook in ("kzc_regime", "kzc_registration_exempt_days", "kzc_permit_required"):
            assert asked.count(hook) - len(days) <= len(changes) + 1, (country, hook)  # less the asserts' own
def test_numbers_and_counted_days_equal_babel_and_the_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """The remembered number and count texts are Babel's and the catalogue's own, for every language, also once the
    bounded store of counts has been emptied many times."""
    monkeypatch.setattr(messages, "COUNTED_MAX", 64)
    rng = random.Random(7)
    ns = list(range(-3, 130)) + [rng.randrange(0, 10**9) for _ in range(200)] + [-43250, 10**15]
    for lang in LANGS:
        for n in ns + ns:  # the second pass is answered from the cache
            assert number(n, lang) == format_decimal(n, locale=lang), (n, lang)
            assert counted("days", n, lang) == tn(lang, "{n} day", "{n} days", n), (n, lang)
        assert 0 < len(messages._COUNTED["days"][lang]) <= messages.COUNTED_MAX
        assert number(Decimal("0.23"), lang) == format_decimal(Decimal("0.23"), locale=lang)


def test_legal_basis_lines_equal_the_catalogue() -> None:
    """Each line as the catalogue has it, and each rule's lines as its write-up keeps them, a fresh list each time."""
    for lang in LANGS:
        for rule in default_rulebook().rules:
            for basis in rule.legal_basis + ["a line no catalogue has"]:
                assert legal_basis(basis, lang) == translations(lang).pgettext(LEGAL_BASIS, basis)
        for cr in default_rulebook().compiled:
            kept = cr.writing.bases(lang)
            assert kept == [translations(lang).pgettext(LEGAL_BASIS, b) for b in cr.rule.legal_basis]
            assert cr.writing.bases(lang) is not kept


def _deciding_grade_by_grade(fired: list[Any], fact: dict[str, Any]) -> dict[str, Any]:
    """Per rule id, the first fired grade whose code the catalogue has in force on the day the conduct began, asked
    of the catalogue grade by grade (obligations and findings: the first)."""
    ref = reference()
    out: dict[str, Any] = {}
    for cr in fired:
        if cr.rule.id in out or (cr.code is not None and
                                 not ref.sanction_in_force(cr.code, sanctions.conduct_on(cr, fact))):
            continue
        out[cr.rule.id] = cr
    return out


def test_decided_outcomes_equal_asking_the_catalogue_grade_by_grade() -> None:
    """Over the facts of many generated cases, their fired rules in either order and their conduct moved to days
    across the catalogue's rows: each rule's deciding grade, its day and its catalogue row are the slow way's."""
    from .test_engines import random_case

    rng = random.Random(23)
    ref = reference()
    checked = 0
    for _ in range(400):
        for fact, fired in evaluate(random_case(rng), engine="python").fired:
            if not fired:
                continue
            moved = dict(fact)
            for cr in fired:
                if cr.rule.since:
                    moved[cr.rule.since] = (date(2015, 1, 1) + timedelta(days=rng.randrange(4700))).isoformat()
            for f, crs in ((fact, fired), (fact, fired[::-1]), (moved, fired)):
                want = _deciding_grade_by_grade(crs, f)
                got = sanctions.decided(crs, ref.sanction_on, f)
                assert [w.id for _cr, w, _day, _row in got] == list(want)
                for cr, w, day, row in got:
                    assert cr is want[w.id] and w is cr.writing
                    assert day == date.fromisoformat(f[cr.rule.due if cr.rule.obligation else cr.rule.since])
                    assert row == (ref.sanction(cr.code, sanctions.conduct_on(cr, f)) if cr.code else None)
                assert sanctions.deciding(crs, ref, f) == want
                checked += 1
    assert checked > 1000


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
        shared, fine = sanctions.sanction_for(ref.sanction(row.code, conduct), tier, mrp_carried(ref, as_of, lang),
                                              lang)
        afresh = sanctions._sanction(ref.sanction(row.code, conduct), tier, *mrp_carried(ref, as_of, lang), lang)
        assert shared == afresh and fine == afresh.fine_kzt, (row.code, tier, conduct, as_of, lang)
        assert len(sanctions._PRICED) <= 64


def _format_map_fill(text: str, fact: dict[str, Any], lang: str) -> str:
    """A rule message filled the slow way: `str.format_map` over the fact, counted fields as their count texts."""
    class Count:
        def __init__(self, value: Any) -> None:
            self.value = value

        def __format__(self, spec: str) -> str:
            if spec in UNITS and isinstance(self.value, int):
                return tn(lang, "{n} day", "{n} days", int(self.value))
            return format(self.value, spec)

    class Fill(dict[str, Any]):
        def __missing__(self, key: str) -> str:
            return "?"

    return text.format_map(Fill({k: Count(v) for k, v in fact.items()}))


def _result(how: Any, *args: Any) -> str:
    """What a fill gives, or the kind of error it raises (a count the fact lacks is no number)."""
    try:
        return str(how(*args))
    except ValueError as e:
        return f"ValueError {e}"


def test_parsed_messages_fill_as_format_map_does() -> None:
    """Every rule message in every language, over the facts of many generated cases and with fields missing:
    the message parsed once and filled by position is the one `format_map` writes."""
    from .test_engines import random_case

    rng = random.Random(17)
    book = default_rulebook()
    texts = [(rule.fact, lang, text) for rule in book.rules for lang, text in rule.message.items()]
    texts += [("trip", lang, "{{literal}} {overstay_days:days}, {overstay_days}, {nope}: {allowed:>5}")
              for lang in LANGS]
    values = {"int": lambda: rng.choice([0, 1, 2, 4, 5, 21, rng.randrange(0, 10**6)]),
              "bool": lambda: rng.random() < .5,
              "str": lambda: rng.choice(["", "h1", "a{b}c", "Алматы"]),
              "date": lambda: (date(2015, 1, 1) + timedelta(days=rng.randrange(4000))).isoformat()}
    facts: dict[str, list[dict[str, Any]]] = {kind: [{name: values[t]() for name, t in fields.items()}
                                                     for _ in range(20)] for kind, fields in FACT_FIELDS.items()}
    for _ in range(300):
        for fact in evaluate(random_case(rng), engine="python").derived.facts:
            facts[fact["kind"]].append(fact)
    for kind, lang, text in texts:
        for fact in rng.sample(facts[kind], min(40, len(facts[kind]))):
            partial = {k: v for k, v in fact.items() if rng.random() < 0.8}
            for f in (fact, partial):
                assert _result(fill, text, f, lang) == _result(_format_map_fill, text, f, lang), (text, f)
    assert fill("{a!r} {b!s:>4} {c!a}", {"a": "x", "b": 7, "c": "é"}, "en") == "'x'    7 '\\xe9'"


def _parts(report: Report) -> list[BaseModel]:
    return [report, *report.unchecked, *report.violations, *(v.sanction for v in report.violations),
            *report.obligations, *report.findings, *report.assumptions]


@pytest.mark.parametrize("lang", LANGS)
def test_reports_built_typed_equal_reports_validated(lang: str) -> None:
    """A report and its parts, built from typed values without validating, are what validating them gives: equal,
    the same JSON (`to_json` is `model_dump_json`'s), every value of its field's exact type (strict validation),
    fields in order, none but the trace left unset."""
    from .test_engines import random_case

    rng = random.Random(19)
    assumed = 0
    for i in range(250):
        case = random_case(rng)
        if i % 10 == 0:  # past the tables' ends: carried forward, assumed
            case = json.loads(re.sub(r'"20(\d\d)-', lambda m: f'"20{int(m[1]) + 13}-', json.dumps(case)))
        report = check(case, engine="python", lang=lang, trace=i % 10 == 5)
        validated = Report.model_validate(report.model_dump(exclude_unset=True), strict=True)
        assert report == validated
        for indent in (None, 2):  # to_json is model_dump_json's, the trace left out when there is none
            want = validated.model_dump_json(indent=indent, exclude=None if report.trace else {"trace"})
            assert report.to_json(indent=indent) == want
        for part in _parts(report):
            assert list(part.__dict__) == list(type(part).model_fields), type(part)
            unset = {"trace"} if isinstance(part, Report) and part.trace is None else set()
            assert part.model_fields_set == set(type(part).model_fields) - unset, type(part)
        owned = [part.model_fields_set for part in _parts(report) if not isinstance(part, Sanction)]
        assert all(type(s) is set for s in owned) and len({id(s) for s in owned}) == len(owned)  # each its own
        assumed += len(report.assumptions)
    assert assumed  # the cases moved past the calendar's end name their assumptions
