"""plugins.hook_call: the walk over a hook's implementations answers as pluggy's call does, with third-party
plugins of every kind, and hands the call to pluggy wherever the two could differ."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any, Generator

import pluggy
import pytest

from kzcompliance import check, plugins
from kzcompliance.case import Case, Trip
from kzcompliance.pipeline import to_case
from kzcompliance.plugins import StayBasis, hook_call, hookimpl, new_plugin_manager
from kzcompliance.plugins.calls import Walk
from kzcompliance.plugins.hookspecs import PROJECT, RegimeDecision, RegimeSpec
from kzcompliance.seeds import reference

from .test_engines import random_case

CALLED: list[str] = []  # the plugins asked, in order


def _basis(kind: str, trip: Trip) -> StayBasis:
    return StayBasis(kind=kind, start=trip.entry, until=trip.entry + timedelta(days=3), source="test")


class _First:
    @hookimpl(tryfirst=True)
    def kzc_stay_bases(self, trip: Trip, case: Case) -> list[StayBasis]:  # fewer arguments, in another order
        CALLED.append("first")
        return [_basis("first", trip)] if case.person.citizenship in ("KG", "UZ") else []


class _Last:
    @hookimpl(trylast=True)
    def kzc_stay_bases(self, regime: RegimeDecision) -> list[StayBasis] | None:
        CALLED.append("last")
        return None  # not an answer: left out of the list


class _Plain:
    @hookimpl
    def kzc_stay_bases(self, case: Case, trip: Trip, regime: RegimeDecision, ref: object) -> list[StayBasis]:
        CALLED.append("plain")
        return [_basis("plain", trip)] if trip.entry.day % 2 else []


class _Failing:
    @hookimpl
    def kzc_stay_bases(self, trip: Trip) -> list[StayBasis]:
        CALLED.append("failing")
        if trip.entry.day == 13:
            raise LookupError(f"no bases on {trip.entry}")
        return []


class _Wrapper:
    @hookimpl(wrapper=True)
    def kzc_stay_bases(self, trip: Trip) -> Generator[None, list[Any], list[Any]]:
        CALLED.append("wrapper")
        answers = yield
        return [*answers, [_basis("wrapped", trip)]]


class _OldWrapper:
    @hookimpl(hookwrapper=True)
    def kzc_stay_bases(self, trip: Trip) -> Generator[None, Any, None]:
        CALLED.append("old wrapper")
        yield


class _Defaulting:
    @hookimpl
    def kzc_stay_bases(self, trip: Trip, ref: object = None) -> list[StayBasis]:  # a keyword with a default
        CALLED.append("defaulting")
        return []


def _questions(n: int) -> list[dict[str, Any]]:
    """The hook's arguments for every trip of `n` random cases (many countries, dates and jobs)."""
    rng, ref, pm = random.Random(14), reference(), new_plugin_manager(load_entry_points=False)
    out = []
    for _ in range(n):
        case = to_case(random_case(rng))
        for trip in case.trips:
            regime = pm.hook.kzc_regime(country=case.person.citizenship, on=trip.entry, ref=ref)
            out.append({"case": case, "trip": trip, "regime": regime, "ref": ref})
    return out


def _asked(call: Any, question: dict[str, Any]) -> tuple[Any, list[str]]:
    """What `call` answers (or raises) for `question`, and the plugins it asked."""
    CALLED.clear()
    try:
        answer = call(**question)
    except LookupError as e:
        answer = (type(e), str(e))
    return answer, list(CALLED)


def test_the_walk_answers_as_pluggy_with_several_third_party_plugins() -> None:
    pm = new_plugin_manager(load_entry_points=False)
    for plugin in (_Last(), _First(), _Plain(), _Failing()):
        pm.register(plugin)
    walk = hook_call(pm, "kzc_stay_bases")
    assert isinstance(walk, Walk) and hook_call(pm, "kzc_stay_bases") is walk  # kept for the generation
    questions = _questions(300)
    orders, kinds = set(), set()
    for question in questions:
        expected = _asked(pm.hook.kzc_stay_bases, question)
        assert _asked(walk, question) == expected, question["trip"]
        asked = dict(question)
        assert _asked(lambda given=asked, **_: walk.ask(given), question) == expected  # keywords as a dict ...
        assert asked == question  # ... which it leaves as it was
        orders.add(tuple(expected[1]))
        kinds.update(b.kind for bases in expected[0] if isinstance(bases, list) for b in bases)
    # tryfirst first, then the latest registered, trylast last; or up to the failing one, which raised
    assert orders == {("first", "failing", "plain", "last"), ("first", "failing")}
    assert kinds == {"first", "plain", "eaeu_contract"}  # the built-in's answers among the third parties'


@pytest.mark.parametrize("plugin", [_Wrapper(), _OldWrapper(), _Defaulting()],
                         ids=["wrapper", "hookwrapper", "keyword default"])
def test_an_implementation_the_walk_cannot_take_leaves_the_call_to_pluggy(plugin: object) -> None:
    pm = new_plugin_manager(load_entry_points=False)
    pm.register(_Plain())
    pm.register(plugin)
    assert hook_call(pm, "kzc_stay_bases") is pm.hook.kzc_stay_bases
    for question in _questions(20):
        answer, asked = _asked(hook_call(pm, "kzc_stay_bases"), question)
        assert (answer, asked) == _asked(pm.hook.kzc_stay_bases, question)
        assert asked[0] in ("wrapper", "old wrapper") or "defaulting" in asked
        if isinstance(plugin, _Wrapper):
            assert answer[-1][0].kind == "wrapped"  # the wrapper ran on the answers
    pm.unregister(plugin)
    assert isinstance(hook_call(pm, "kzc_stay_bases"), Walk)


def test_registering_and_unregistering_change_the_answers_at_once() -> None:
    pm = new_plugin_manager(load_entry_points=False)
    questions = [q for q in _questions(60) if q["trip"].entry.day % 2]
    before = hook_call(pm, "kzc_stay_bases")
    assert all(not any(before(**q)) or q["regime"].regime == "eaeu" for q in questions)
    plugin = _Plain()
    pm.register(plugin)
    after = hook_call(pm, "kzc_stay_bases")
    assert isinstance(after, Walk) and after is not before
    for question in questions:
        expected = pm.hook.kzc_stay_bases(**question)
        assert [b.kind for b in expected[0]] == ["plain"]
        assert after(**question) == expected
        assert before(**question) == expected  # a walk kept from before the change hands the call to pluggy
    pm.unregister(plugin)
    for question in questions:
        assert hook_call(pm, "kzc_stay_bases")(**question) == pm.hook.kzc_stay_bases(**question)
        assert all(b.kind != "plain" for bases in after(**question) for b in bases)


def test_monitoring_and_tracing_are_honoured() -> None:
    pm = new_plugin_manager(load_entry_points=False)
    question = _questions(5)[0]
    walk = hook_call(pm, "kzc_stay_bases")
    seen: dict[str, list[str]] = {"a": [], "b": []}

    def monitor(key: str) -> Any:
        return lambda name, impls, kwargs: seen[key].append(name)

    undo_a = pm.add_hookcall_monitoring(monitor("a"), lambda *a: None)
    undo_b = pm.add_hookcall_monitoring(monitor("b"), lambda *a: None)
    assert hook_call(pm, "kzc_stay_bases") is pm.hook.kzc_stay_bases
    walk(**question)
    hook_call(pm, "kzc_stay_bases")(**question)
    assert seen == {"a": ["kzc_stay_bases"] * 2, "b": ["kzc_stay_bases"] * 2}
    undo_a()  # pluggy's undo puts back the call loop as it was before a: no monitor at all
    assert isinstance(hook_call(pm, "kzc_stay_bases"), Walk)
    undo_b()  # ... and b's puts back the call loop as it was before b: monitored by a again
    hook_call(pm, "kzc_stay_bases")(**question)
    assert seen["a"] == ["kzc_stay_bases"] * 3 and seen["b"] == ["kzc_stay_bases"] * 2
    undo_a()
    assert isinstance(hook_call(pm, "kzc_stay_bases"), Walk)
    traced: list[tuple[Any, ...]] = []
    pm.trace.root.setwriter(traced.append)
    undo = pm.enable_tracing()
    hook_call(pm, "kzc_stay_bases")(**question)
    undo()
    hook_call(pm, "kzc_stay_bases")(**question)
    assert len([t for t in traced if "kzc_stay_bases" in str(t) and "finish" not in str(t)]) == 1


def test_a_check_asks_the_plugins_once_per_trip_under_a_monitor() -> None:
    pm = plugins.plugin_manager()
    asked: list[str] = []
    undo = pm.add_hookcall_monitoring(lambda name, impls, kwargs: asked.append(name), lambda *a: None)
    try:
        case = {"as_of": "2026-03-31", "person": {"citizenship": "KG"}, "documents": [], "stays": [],
                "trips": [{"entry": "2025-10-01", "exit": "2025-12-01"}, {"entry": "2026-02-01"}],
                "employment": [{"employer": "e1", "start": "2025-10-01", "category": "4"}],
                "employers": [{"id": "e1", "type": "legal_entity", "size": "medium"}]}
        report = check(case)
    finally:
        undo()
    assert asked.count("kzc_stay_bases") == 2
    assert check(case) == report


def test_a_plain_pluggy_manager_and_other_hooks_keep_pluggys_call() -> None:
    from kzcompliance.plugins import cis, eaeu, general

    plain = pluggy.PluginManager(PROJECT)
    plain.add_hookspecs(RegimeSpec)
    for name, module in (("eaeu", eaeu), ("cis", cis), ("general", general)):
        plain.register(module, name=name)
    assert hook_call(plain, "kzc_stay_bases") is plain.hook.kzc_stay_bases
    pm = new_plugin_manager(load_entry_points=False)
    assert hook_call(pm, "kzc_regime") is pm.hook.kzc_regime  # first-result: a single answer, not a list
    assert isinstance(hook_call(pm, "kzc_law_changes"), Walk)
    assert hook_call(pm, "kzc_law_changes")(country="KG", ref=reference()) == \
        pm.hook.kzc_law_changes(country="KG", ref=reference())


def test_a_call_lacking_an_argument_fails_as_pluggys_does() -> None:
    pm = new_plugin_manager(load_entry_points=False)
    question = {k: v for k, v in _questions(5)[0].items() if k != "ref"}
    for call in (pm.hook.kzc_stay_bases, hook_call(pm, "kzc_stay_bases")):
        with pytest.warns(UserWarning, match="'ref'"), pytest.raises(pluggy.HookCallError, match="'ref'"):
            call(**question)


def test_historic_hooks_keep_pluggys_call() -> None:
    marker = pluggy.HookspecMarker(PROJECT)

    class Spec:
        @marker(historic=True)
        def kzc_seen(self, day: date) -> None:
            """A historic hook (test only)."""

    pm = new_plugin_manager(load_entry_points=False)
    pm.add_hookspecs(Spec)
    assert hook_call(pm, "kzc_seen") is pm.hook.kzc_seen


def test_the_eaeu_contract_bases_are_kept_and_equal_to_new_ones() -> None:
    """plugins.contracts.contract_basis shares one StayBasis per contract term, equal to one built afresh."""
    from kzcompliance.plugins import contracts as eaeu

    assert eaeu.CONTRACT_SOURCE == "EAEU Treaty of 2014-05-29 art. 97 (contract term)"
    first = date(2022, 12, 1)
    for k in range(0, 1200, 7):
        start = first + timedelta(days=k)
        for until in (None, start, start + timedelta(days=k % 400)):
            kept = eaeu.contract_basis(start, until)
            assert kept == StayBasis(kind="eaeu_contract", start=start, until=until, source=eaeu.CONTRACT_SOURCE)
            assert eaeu.contract_basis(start, until) is kept


def test_a_walk_asked_with_keywords_it_takes_answers_as_ask() -> None:
    """Walk.takes checks a call's keywords once; ask_taken then answers as ask does, for every case tried."""
    pm = new_plugin_manager(load_entry_points=False)
    walk = hook_call(pm, "kzc_stay_bases")
    assert isinstance(walk, Walk)
    ref = reference()
    assert not walk.takes({"case": None, "trip": None, "ref": ref})  # no regime: pluggy's call answers
    rng = random.Random(14)
    for _ in range(60):
        case = to_case(random_case(rng))
        for trip in case.trips or []:
            regime = plugins.decided(pm, "kzc_regime", country=case.person.citizenship, on=trip.entry, ref=ref)
            asked = {"case": case, "trip": trip, "regime": regime, "ref": ref}
            assert walk.takes(asked) and walk.ask_taken(asked) == walk.ask(asked) == pm.hook.kzc_stay_bases(**asked)


def test_the_eaeu_contract_bases_read_the_treaty_on_many_cases() -> None:
    """The eaeu plugin's bases (plugins.contracts, compiled) are each job's term, 15 days longer for a contract that
    ends 90 days or more after the entry, under the EAEU regime only; as the plugin answered before it was moved."""
    from kzcompliance.plugins import eaeu

    ref, pm = reference(), new_plugin_manager(load_entry_points=False)
    rng = random.Random(97)
    kyrgyz = plugins.decided(pm, "kzc_regime", country="KG", on=date(2024, 1, 1), ref=ref)
    assert kyrgyz.regime == "eaeu"
    asked = 0
    for _ in range(200):
        case = to_case(random_case(rng))
        for trip in case.trips or []:
            for regime in (kyrgyz, plugins.decided(pm, "kzc_regime", country=case.person.citizenship, on=trip.entry,
                                                   ref=ref)):
                asked += bool(case.employment)
                expected = []
                if regime.regime == "eaeu" and case.employment:
                    grace = ref.parameter("eaeu.contract_grace_days", trip.entry)
                    after = ref.parameter("eaeu.contract_grace_after_days", trip.entry)
                    for job in case.employment:
                        until = job.end
                        if until is not None and grace and after and (until - trip.entry).days >= after.value:
                            until = until + timedelta(days=grace.value)
                        expected.append(StayBasis(kind="eaeu_contract", start=job.start, until=until,
                                                  source="EAEU Treaty of 2014-05-29 art. 97 (contract term)"))
                assert eaeu.kzc_stay_bases(case=case, trip=trip, regime=regime, ref=ref) == expected
    assert asked > 50  # many with jobs
