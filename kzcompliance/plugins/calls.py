"""Calls of the hooks that combine every plugin's answer (kzc_stay_bases), made by walking their implementations
as pluggy's call loop does. Its own module so that the compiled build compiles it: pluggy's call (HookCaller,
_hookexec, _multicall) is interpreted and costs about 3 µs, where a check asks kzc_stay_bases once per trip."""

from __future__ import annotations

from typing import Any, Callable, Optional

import pluggy

from .manager import PluginManager

Implementation = tuple[Callable[..., Any], tuple[str, ...]]  # a hook implementation's function, its argument names


class Walk:
    """One hook's implementations, in the order pluggy calls them, as one generation of our manager had them.

    Called by keyword as the hook is, it answers what pluggy's call answers: the list of the implementations'
    answers that are not None, an implementation's exception propagated. It hands the call to pluggy when the
    manager has changed since (`PluginManager.generation`) or the call lacks an argument pluggy would warn or
    fail about. Read-only, so shared by every thread.
    """

    def __init__(self, pm: PluginManager, caller: pluggy.HookCaller, implementations: list[Implementation],
                 needed: tuple[str, ...]) -> None:
        self._pm = pm
        self._caller = caller
        self._generation = pm.generation
        self._implementations = implementations
        self._needed = needed  # the spec's and the implementations' argument names

    def __call__(self, **kwargs: Any) -> Any:
        return self.ask(kwargs)

    def ask(self, kwargs: dict[str, Any]) -> Any:
        """The call by keyword, its keywords given as a dict (not changed): a compiled caller asks it natively, where a
        call by keyword goes through the generic protocol, which parses the keywords into a dict again."""
        if not self.takes(kwargs):
            return self._caller(**kwargs)
        return self.ask_taken(kwargs)

    def takes(self, kwargs: dict[str, Any]) -> bool:
        """Whether a call with these keywords is walked: every argument the spec and the implementations name is
        among them (else pluggy's call answers, with its warning or error)."""
        for name in self._needed:
            if name not in kwargs:
                return False
        return True

    def ask_taken(self, kwargs: dict[str, Any]) -> Any:
        """`ask` for keywords that `takes` accepted (the same names each time: a caller asking per trip checks once)."""
        if self._pm.generation != self._generation:
            return self._caller(**kwargs)
        answers: list[Any] = []
        for function, names in self._implementations:
            answer = function(*[kwargs[name] for name in names])
            if answer is not None:
                answers.append(answer)
        return answers


def hook_call(pm: pluggy.PluginManager, hook: str) -> Callable[..., Any]:
    """What to call for `hook`: its Walk where the walk answers exactly as pluggy's call does, else pluggy's call.

    The answer is kept per hook on our PluginManager (`walks`) for its current generation, which counts
    registrations, removals, hook specifications and call monitoring, so a check finds it by a look-up. pluggy's
    own call is kept for a plain pluggy manager (no generation), first-result and historic hooks, a hook with an
    implementation that wraps (wrapper, hookwrapper) or takes keyword arguments with defaults, a specification
    with defaults, and while hook calls are monitored or traced (add_hookcall_monitoring, enable_tracing).
    """
    caller: pluggy.HookCaller = getattr(pm.hook, hook)
    if not isinstance(pm, PluginManager):
        return caller
    found = pm.walks.get(hook)
    if found is None or found[0] != pm.generation or found[1] is not caller:
        found = pm.walks[hook] = (pm.generation, caller, _walk(pm, caller) or caller)
    answer: Callable[..., Any] = found[2]
    return answer


def _walk(pm: PluginManager, caller: pluggy.HookCaller) -> Optional[Walk]:
    """The Walk of `caller`'s implementations, or None where it could answer otherwise than pluggy's call."""
    spec = caller.spec
    if pm.monitored or caller.is_historic() or \
            (spec is not None and (spec.opts.get("firstresult") or spec.kwargdefaults)):
        return None
    implementations: list[Implementation] = []
    needed: list[str] = list(spec.argnames) if spec is not None else []
    for impl in reversed(caller.get_hookimpls()):  # pluggy's _multicall walks them in reverse
        if impl.wrapper or impl.hookwrapper or impl.kwargnames:
            return None
        implementations.append((impl.function, tuple(impl.argnames)))
        needed.extend(name for name in impl.argnames if name not in needed)
    return Walk(pm, caller, implementations, tuple(needed))
