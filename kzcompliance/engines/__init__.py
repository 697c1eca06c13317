"""Rule engines: durable-rules (the engine of record) and a compiled pure-Python evaluator.

Both take the same compiled rules and answer, for one fact, the names of the rules that fire, in
declaration order. `Rulebook.fire` asks either through a decision memo (`memo.MemoEngine`): facts the
rule conditions cannot tell apart fire the same rules, so the engine decides each such class of facts
once per process and every answer given is one it gave. durable-rules 2.0.28 does not import on
Python 3.13+, where the Python engine is the default; `KZCOMPLIANCE_ENGINE=python|durable` or
`check(..., engine=...)` chooses explicitly.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any, Protocol, Sequence

from ..errors import KzComplianceError

ENGINES = ("durable", "python")


class EngineRule(Protocol):
    """What an engine needs of a compiled rule (`rulebook.CompiledRule`): a unique name and a validated condition."""

    @property
    def name(self) -> str: ...

    @property
    def condition(self) -> dict[str, Any]: ...


class Engine(Protocol):
    name: str

    def evaluate(self, fact: dict[str, Any]) -> list[str]:
        """Names of the compiled rules that fire on `fact`, in declaration order."""
        ...

    def evaluate_many(self, facts: Sequence[dict[str, Any]]) -> list[list[str]]:
        """evaluate() of each fact (a case's facts at once: the durable engine posts them together)."""
        ...


@cache
def durable_available() -> bool:
    """Whether the durable-rules C extension imports on this interpreter; tried once per process, since a check
    given no engine asks (default_engine_name) and, where it does not import (Python 3.13+), each failed import
    searches sys.path again (30 µs on a bare interpreter, 0.2 ms in a virtualenv with editable installs)."""
    try:
        import durable_rules_engine  # noqa: F401
    except ImportError:
        return False
    return True


def default_engine_name() -> str:
    """KZCOMPLIANCE_ENGINE if set, else durable where it imports, else python. The variable is read at each call,
    so setting it in a running process (a test's monkeypatch.setenv) takes effect at the next check."""
    chosen = os.environ.get("KZCOMPLIANCE_ENGINE", "").strip().lower()
    if chosen:
        if chosen not in ENGINES:
            raise KzComplianceError(f"KZCOMPLIANCE_ENGINE: {chosen!r} is not one of {', '.join(ENGINES)}")
        return chosen
    return "durable" if durable_available() else "python"


def build_engine(name: str, rules: Sequence[EngineRule]) -> Engine:
    """The named engine over `rules`; each engine module is imported only when asked for."""
    if name == "durable":
        from .durable import DurableEngine

        return DurableEngine(rules)
    if name == "python":
        from .python import PythonEngine

        return PythonEngine(rules)
    raise KzComplianceError(f"engine: {name!r} is not one of {', '.join(ENGINES)}")
