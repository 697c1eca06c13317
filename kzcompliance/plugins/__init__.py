"""The regime plugin manager: built-ins and third parties found through entry points."""

from __future__ import annotations

import threading
from bisect import bisect_right
from datetime import date
from typing import Any

import pluggy

from .hookspecs import PROJECT, RegimeDecision, RegimeSpec, StayBasis, StayTerms, hookimpl

ENTRY_POINT_GROUP = "kzcompliance.regimes"

__all__ = ["ENTRY_POINT_GROUP", "RegimeDecision", "StayBasis", "StayTerms", "decided", "hookimpl",
           "plugin_manager", "new_plugin_manager"]


def new_plugin_manager(load_entry_points: bool = True) -> pluggy.PluginManager:
    """A manager with the built-in plugins, then every plugin registered under the entry-point group.

    The built-ins (also declared in that group, so loading it skips them) are registered first, with
    the general plugin's visa-required fallback asked last; their first-result hooks are all
    `trylast`, so a third-party plugin's answer wins over theirs.
    """
    from . import cis, eaeu, general

    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(RegimeSpec)
    # pluggy calls `trylast` impls in registration order: the general fallback must come last.
    for name, module in (("eaeu", eaeu), ("cis", cis), ("general", general)):
        pm.register(module, name=name)
    if load_entry_points:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    return pm


_pm: pluggy.PluginManager | None = None
_lock = threading.Lock()


def plugin_manager() -> pluggy.PluginManager:
    """The process-wide plugin manager."""
    global _pm
    if _pm is None:
        with _lock:
            if _pm is None:
                _pm = new_plugin_manager()
    return _pm


def decided(pm: pluggy.PluginManager, hook: str, **kwargs: Any) -> Any:
    """The answer of a first-result hook that decides from its arguments alone, cached per process.

    Such hooks (kzc_regime, kzc_registration_exempt_days, kzc_permit_required) answer for a country,
    a regime and a date. A question seen before is answered from a dict. A new one goes to pluggy
    only once per period of the law: where every plugin implementing the hook also says when its
    answers for the country change (kzc_law_changes), the date's period between two changes is found
    by bisection and the period's answer reused, so a register spread over years asks pluggy a few
    times per country; otherwise each new date is asked. The keys hold the hook's current
    implementations, so registering or removing a plugin starts afresh. The caches are dicts, emptied
    when they reach MAX_ANSWERS; two threads asking the same new question at once both ask the plugins
    and get equal answers. Unhashable arguments are not cached.
    """
    caller = getattr(pm.hook, hook)
    impls = tuple(caller.get_hookimpls())
    key = (caller, impls, tuple(kwargs.items()))
    try:
        return _answers[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable argument
        return caller(**kwargs)
    on, country = kwargs.get("on"), kwargs.get("country")
    changes = None
    if isinstance(on, date) and isinstance(country, str):
        changes = _law_changes(pm, impls, country, kwargs.get("ref"))
    if changes is None or not isinstance(on, date):
        answer = caller(**kwargs)
    else:
        period = (caller, impls, tuple({**kwargs, "on": bisect_right(changes, on)}.items()))
        answer = _by_period.get(period, _ASK)
        if answer is _ASK:
            answer = _remember(_by_period, period, caller(**kwargs))
    return _remember(_answers, key, answer)


def _remember(cache: dict[tuple[Any, ...], Any], key: tuple[Any, ...], answer: Any) -> Any:
    if len(cache) >= MAX_ANSWERS:
        cache.clear()
    cache[key] = answer
    return answer


def _law_changes(pm: pluggy.PluginManager, impls: tuple[Any, ...], country: str, ref: Any) -> list[date] | None:
    """The sorted days the answers of `impls` for `country` may change, or None when one of their
    plugins does not say (kzc_law_changes). `ref` defaults to the bundled reference data."""
    changers = pm.hook.kzc_law_changes
    key = (impls, tuple(changers.get_hookimpls()), country, ref)
    try:
        return _changes[key]
    except KeyError:
        pass
    from ..seeds import reference

    found = None
    if {i.plugin for i in impls} <= {i.plugin for i in key[1]}:
        found = sorted({day for days in changers(country=country, ref=ref or reference()) for day in days})
    return _remember(_changes, key, found)


MAX_ANSWERS = 1 << 16
_answers: dict[tuple[Any, ...], Any] = {}
_by_period: dict[tuple[Any, ...], Any] = {}
_ASK = object()
_changes: dict[tuple[Any, ...], list[date] | None] = {}
