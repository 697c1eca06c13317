"""The regime plugin manager: built-ins and third parties found through entry points."""

from __future__ import annotations

import threading
from typing import Any

import pluggy

from .answer_tables import Answers, answers, decided
from .hookspecs import PROJECT, RegimeDecision, RegimeSpec, StayBasis, StayTerms, hookimpl

ENTRY_POINT_GROUP = "kzcompliance.regimes"

__all__ = ["ENTRY_POINT_GROUP", "Answers", "PluginManager", "RegimeDecision", "StayBasis", "StayTerms", "answers",
           "decided", "hookimpl", "plugin_manager", "new_plugin_manager"]


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, counting the changes to its plugin set in `generation`: the kept answers
    (answer_tables) are keyed by it, so a check need not ask pluggy for the hooks' implementations."""

    generation = 0

    def register(self, plugin: Any, name: str | None = None) -> str | None:
        try:
            return super().register(plugin, name)
        finally:  # even if it failed part way: answers are kept per set of implementations
            self.generation += 1

    def unregister(self, plugin: Any | None = None, name: str | None = None) -> Any | None:
        try:
            return super().unregister(plugin, name)
        finally:
            self.generation += 1


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
