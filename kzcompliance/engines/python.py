"""The compiled pure-Python evaluator: all rules become one generated function, grouped by fact kind.

The source is generated only from validated rule data (field names checked against the fact schema,
constants emitted with `repr`); no text from a rule file reaches `compile` unvalidated.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Sequence

from ..conditions import to_python
from . import EngineRule

_MISSING = object()


@lru_cache(maxsize=4096)
def _predicate(source: str) -> Callable[[dict[str, Any]], bool]:
    code = compile(source, "<kzcompliance condition>", "eval")
    namespace: dict[str, Any] = {"_MISSING": _MISSING, "__builtins__": {}}
    return lambda d: bool(eval(code, namespace, {"d": d}))  # noqa: S307 - validated data only


def predicate(cond: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    """One normalised (validated) condition as a test of a fact, compiled as the engine compiles rules
    (the trace uses it to say which parts of a rule's condition failed)."""
    return _predicate(to_python(cond))


def generate_source(rules: Sequence[EngineRule]) -> str:
    """The evaluator's Python source (kept inspectable for tests and the trace)."""
    by_kind: dict[str, list[tuple[int, EngineRule]]] = {}
    for i, r in enumerate(rules):
        kind = r.condition["$and"][0]["kind"]
        by_kind.setdefault(kind, []).append((i, r))
    lines = ["def evaluate(d):", "    r = []", "    k = d.get('kind')"]
    for n, (kind, items) in enumerate(by_kind.items()):
        lines.append(f"    {'if' if n == 0 else 'elif'} k == {kind!r}:")
        for i, r in items:
            rest = {"$and": r.condition["$and"][1:]}
            lines.append(f"        if {to_python(rest)}: r.append(NAMES[{i}])")
    lines.append("    return r")
    return "\n".join(lines) + "\n"


class PythonEngine:
    name = "python"

    def __init__(self, rules: Sequence[EngineRule]) -> None:
        self.source = generate_source(rules)
        namespace: dict[str, Any] = {"NAMES": tuple(r.name for r in rules), "_MISSING": _MISSING,
                                     "__builtins__": {}}
        exec(compile(self.source, "<kzcompliance rules>", "exec"), namespace)  # noqa: S102 - validated data only
        self._fn: Callable[[dict[str, Any]], list[str]] = namespace["evaluate"]

    def evaluate(self, fact: dict[str, Any]) -> list[str]:
        return self._fn(fact)

    def evaluate_many(self, facts: Sequence[dict[str, Any]]) -> list[list[str]]:
        fn = self._fn
        return [fn(fact) for fact in facts]
