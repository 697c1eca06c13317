"""The regime plugin manager: built-ins and third parties found through entry points."""

from __future__ import annotations

import threading

import pluggy

from .answer_tables import Answers, answers, decided
from .calls import hook_call
from .hookspecs import PROJECT, RegimeDecision, RegimeSpec, StayBasis, StayTerms, hookimpl
from .manager import PluginManager

ENTRY_POINT_GROUP = "kzcompliance.regimes"

__all__ = ["ENTRY_POINT_GROUP", "Answers", "PluginManager", "RegimeDecision", "StayBasis", "StayTerms", "answers",
           "decided", "hook_call", "hookimpl", "plugin_manager", "new_plugin_manager"]


def new_plugin_manager(load_entry_points: bool = True) -> pluggy.PluginManager:
    """A manager with the built-in plugins, then every plugin registered under the entry-point group.

    The built-ins (also declared in that group, so loading it skips them) are registered first, with
    the general plugin's visa-required fallback asked last; their first-result hooks are all
    `trylast`, so a third-party plugin's answer wins over theirs.
    """
    from . import cis, eaeu, general

    pm = PluginManager(PROJECT)
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
