"""A decision memo over any engine: each class of facts the rule conditions cannot tell apart is decided once.

Every rule reads one fact, and only through the atoms of its condition (conditions.py), so the rules
fired on a fact are a function of what those atoms can see of each field it reads: whether a field
only tested by $ex/$nex is there; which of its constants a field compared only with constants equals
(or none of them); where an int field ordered against int constants falls among them (which interval,
or on which constant). Fields compared with other fields or inside $add/$sub/$mul keep their value,
and so do bool fields (true, false or missing: as coarse as their abstraction, and cheaper to key).
A value not of the type its constants have keeps its value too (with its type, so True and 1 differ:
durable-rules compares a bool with an int as a number, an int with a string as its digits). Constants
beyond +-2**51 keep the field's value (its order is found between c-0.5 and c+0.5 as doubles); any int
value keeps its order against the others, exactly in Python, as int64 in durable-rules (which clamps
larger ones, beyond every such constant). Facts with the same kind and the same of these
abstractions fire the same rules, so the wrapped engine is asked once per class:
the facts of one call it has not seen go to its `evaluate_many` together, and its answers are kept
(at most MAX_CLASSES, emptied when full). The engine still decides every answer; the memo only knows
that facts no condition can tell apart get the same one.

The key of a fact is computed by a function generated per fact kind, as the Python engine generates
its evaluator: from validated rule data only (field names checked against the fact schema, constants
emitted with `repr`). Thread-safe under the GIL: the kept answers are one dict, read and written by
single operations (two threads meeting a new class both ask the engine and keep equal answers).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any, Callable, Sequence

from ..conditions import ARITH, COMPARE
from . import Engine, EngineRule

MAX_CLASSES = 4096  # kept answers; a register meets a few hundred classes (docs/performance.md)
SAFE_INT = 2 ** 51  # int constants within it and their half-way points are exact doubles
_TYPES = {bool: "bool", int: "int", str: "str"}


class _Missing:
    """The value of a field the fact lacks (its class is the field's key: no fact value has it)."""


_MISSING = _Missing()
_OTHER = _Missing()  # a value of the constants' type equal to none of them


class _Field:
    """How the conditions of one fact kind use one field: the constants it meets, and how."""

    def __init__(self) -> None:
        self.constants: set[tuple[type, Any]] = set()  # with their types: True and 1 are equal in a set
        self.ordered = False
        self.raw = False

    def note(self, op: str, rhs: Any) -> None:
        if isinstance(rhs, dict):  # $m or arithmetic: only the value itself decides
            self.raw = True
            return
        self.constants.add((type(rhs), rhs))
        self.ordered = self.ordered or op not in ("eq", "$neq")

    def mode(self) -> str:
        """"present", "equal" (to which str constant), "interval" (among sorted int constants) or "raw"."""
        types = {t for t, _ in self.constants}
        if self.raw or len(types) > 1:
            return "raw"
        if not types:
            return "present"
        if self.ordered or types == {int}:
            if types != {int} or any(abs(c) >= SAFE_INT for _, c in self.constants):
                return "raw"
            return "interval"
        return "raw" if types == {bool} else "equal"  # a bool's value tells no more than its abstraction

    def values(self) -> list[Any]:
        """The constants, sorted (one type)."""
        return sorted(c for _, c in self.constants)


def _note_uses(cond: dict[str, Any], fields: dict[str, _Field]) -> None:
    """Record every atom of a normalised condition (conditions.py grammar) in `fields`, by field."""
    key, val = next(iter(cond.items()))
    if key in ("$and", "$or"):
        for c in val:
            _note_uses(c, fields)
    elif key in COMPARE:
        name, rhs = next(iter(val.items()))
        fields.setdefault(name, _Field()).note(key, rhs)
        for other in _rhs_fields(rhs):
            fields.setdefault(other, _Field()).raw = True
    elif key in ("$ex", "$nex"):
        fields.setdefault(next(iter(val)), _Field())
    else:
        fields.setdefault(key, _Field()).note("eq", val)


def _rhs_fields(node: Any) -> list[str]:
    if not isinstance(node, dict):
        return []
    key, val = next(iter(node.items()))
    if key == "$m":
        return [val]
    assert key in ARITH
    return _rhs_fields(val["$l"]) + _rhs_fields(val["$r"])


def key_source(kind: str, fields: dict[str, _Field], tables: list[Any]) -> str:
    """The source of one kind's key function; the tables it reads are appended to `tables` (T0, T1, ...)."""
    parts = [repr(kind)]
    for name in sorted(fields):
        use, get = fields[name], f"g({name!r}, M)"
        mode = use.mode()
        if mode == "present":
            parts.append(f"{get}.__class__")
        elif mode == "raw":  # the value and its type, as two elements of the key
            parts.append(f"(v := {get}).__class__, v")
        elif mode == "equal":
            table = f"T{len(tables)}"
            tables.append({c: i for i, c in enumerate(use.values())})
            cls = _TYPES[next(iter(use.constants))[0]]
            parts.append(f"({table}.get(v, O) if (v := {get}).__class__ is {cls} else (v.__class__, v))")
        else:  # interval: the position among c-0.5 and c+0.5 of each constant: below, on, between, above
            table = f"T{len(tables)}"
            tables.append([b for c in use.values() for b in (c - 0.5, c + 0.5)])
            parts.append(f"(B({table}, v) if (v := {get}).__class__ is int else (v.__class__, v))")
    return f"def key(d):\n    g = d.get\n    return ({', '.join(parts)},)\n"


def key_functions(rules: Sequence[EngineRule]) -> dict[str, Callable[[dict[str, Any]], tuple[Any, ...]]]:
    """Per fact kind, the function giving a fact of that kind its class key (kind first)."""
    by_kind: dict[str, dict[str, _Field]] = {}
    for r in rules:
        guard, *rest = r.condition["$and"]
        fields = by_kind.setdefault(guard["kind"], {})
        for cond in rest:
            _note_uses(cond, fields)
    out = {}
    for kind, fields in by_kind.items():
        fields.pop("kind", None)  # the key's first element: facts are told apart by kind before anything else
        tables: list[Any] = []
        source = key_source(kind, fields, tables)
        namespace: dict[str, Any] = {"M": _MISSING, "O": _OTHER, "B": bisect_right, "bool": bool, "int": int,
                                     "str": str, "__builtins__": {}}
        namespace.update({f"T{i}": t for i, t in enumerate(tables)})
        exec(compile(source, f"<kzcompliance {kind} classes>", "exec"), namespace)  # noqa: S102 - validated data only
        out[kind] = namespace["key"]
    return out


class MemoEngine:
    """`engine` asked once per class of facts (see the module's docstring); answers as `engine` does."""

    def __init__(self, engine: Engine, rules: Sequence[EngineRule]) -> None:
        self.name = engine.name
        self.engine = engine
        self._keys = key_functions(rules)
        self._answers: dict[tuple[Any, ...], tuple[str, ...]] = {}

    @property
    def classes(self) -> int:
        """Classes of facts decided and kept now."""
        return len(self._answers)

    def evaluate(self, fact: dict[str, Any]) -> list[str]:
        return self.evaluate_many([fact])[0]

    def evaluate_many(self, facts: Sequence[dict[str, Any]]) -> list[list[str]]:
        keys, answers = self._keys, self._answers
        out: list[list[str]] = []
        missed: list[tuple[int, tuple[Any, ...] | None]] = []
        for i, fact in enumerate(facts):
            key: tuple[Any, ...] | None = None
            try:
                fn = keys.get(fact["kind"])
                if fn is not None:
                    key = fn(fact)
                    found = answers.get(key)
                    if found is not None:
                        out.append(list(found))
                        continue
            except (KeyError, TypeError):  # no kind, or an unhashable value: the engine answers (or says why not)
                key = None
            out.append([])
            missed.append((i, key))
        if missed:
            decided = self.engine.evaluate_many([facts[i] for i, _ in missed])
            for (i, key), names in zip(missed, decided, strict=True):
                out[i] = names
                if key is not None:
                    if len(answers) >= MAX_CLASSES:
                        answers.clear()
                    answers[key] = tuple(names)
        return out
