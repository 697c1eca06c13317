"""The regime plugin manager: built-ins and third parties found through entry points."""

from __future__ import annotations

import threading
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
    a regime and a date, so a register of millions of cases asks pluggy once per distinct question.
    The key holds the hook's current implementations, so registering or removing a plugin starts
    afresh. The cache is a dict, hashed once per question, emptied when it reaches MAX_ANSWERS; two
    threads asking the same new question at once both ask the plugins and get equal answers.
    Unhashable arguments are not cached.
    """
    caller = getattr(pm.hook, hook)
    key = (caller, tuple(caller.get_hookimpls()), tuple(kwargs.items()))
    try:
        return _answers[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable argument
        return caller(**kwargs)
    answer = caller(**kwargs)
    if len(_answers) >= MAX_ANSWERS:
        _answers.clear()
    _answers[key] = answer
    return answer


MAX_ANSWERS = 1 << 16
_answers: dict[tuple[Any, ...], Any] = {}
