"""Our pluggy manager: it counts the changes to how its hooks are called, so what is kept about them (the
first-result answers of answer_tables, the walks of calls) is keyed by a number, not re-read from pluggy."""

from __future__ import annotations

from typing import Any, Callable

import pluggy


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, counting in `generation` each change to its plugin set (register, unregister; pluggy's
    set_blocked and entry-point loading go through them), to its hook specifications and to its call monitoring
    (add_hookcall_monitoring, which enable_tracing goes through, and their undoing). `monitored` is how many
    monitors wrap pluggy's call loop, as pluggy's undo functions restore them; `walks` holds calls.hook_call's
    answers by hook."""

    generation = 0
    monitored = 0

    def __init__(self, project_name: str) -> None:
        super().__init__(project_name)
        self.walks: dict[str, tuple[int, Any, Callable[..., Any]]] = {}  # by hook: generation, caller, call

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

    def add_hookspecs(self, module_or_class: Any) -> None:
        try:  # a specification given to a hook already implemented may make it historic or first-result
            super().add_hookspecs(module_or_class)
        finally:
            self.generation += 1

    def add_hookcall_monitoring(self, before: Any, after: Any) -> Callable[[], None]:
        outer = self.monitored
        undo = super().add_hookcall_monitoring(before, after)
        self.monitored, self.generation = outer + 1, self.generation + 1

        def undone() -> None:
            undo()  # pluggy puts back the call loop as it was when this monitor came, so as many monitors as then
            self.monitored, self.generation = outer, self.generation + 1

        return undone
