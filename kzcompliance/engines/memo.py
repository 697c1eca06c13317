"""A decision memo over any engine: each class of facts the rule conditions cannot tell apart is decided once.

Every rule reads one fact, and only through the atoms of its condition (conditions.py), so the rules
fired on a fact are a function of what those atoms can see of each field it reads: whether a field
only tested by $ex/$nex is there; which of its constants a field compared only with constants equals
(or none of them); where an int field ordered against int constants falls among them (which interval,
or on which constant). Two fields compared with each other give, beside what each gives alone, their order
when both are ints within +-2**51 (exact as ints and as doubles alike), else both values; fields inside
$add/$sub/$mul keep their value, and so do bool fields (true, false or missing: as coarse as their
abstraction, and cheaper to key).
A value not of the type its constants have keeps its value too (with its type, so True and 1 differ:
durable-rules compares a bool with an int as a number, an int with a string as its digits). Constants
beyond +-2**51 keep the field's value (its order is found between c-0.5 and c+0.5 as doubles); any int
value keeps its order against the others, exactly in Python, as int64 in durable-rules (which clamps
larger ones, beyond every such constant). Facts with the same kind and the same of these
abstractions fire the same rules, so the wrapped engine is asked once per class:
the facts of one call it has not seen go to its `evaluate_many` together, and its answers are kept
(at most MAX_CLASSES, emptied when full). The engine still decides every answer; the memo only knows
that facts no condition can tell apart get the same one.

The key of a fact is computed by its kind's `KeyPlan`, built from validated rule data only: per field the
rules read, how they read it, and the pairs of fields they compare with each other; what each can tell is a
digit of one int, so that a key is that int (the answers are kept per kind), with the extras beside it only
where the digits cannot tell: cheap to hash and compare. The module is compiled in the compiled build, so a
key is native code (a key function generated and exec'd, as before, stayed interpreted in either build).
Thread-safe under the GIL: the kept answers are a dict per kind, read and written by single operations (two
threads meeting a new class both ask the engine and keep equal answers; emptying the dicts when full races
only with other emptying and keeping).
"""

from __future__ import annotations

import sys
from typing import Any, Final, Sequence

from ..conditions import ARITH, COMPARE
from ..dates import after
from . import Engine, EngineRule

MAX_CLASSES: Final = 4096  # kept answers; a register meets a few hundred classes (docs/performance.md)
SAFE_INT: Final = 2 ** 51  # int constants within it and their half-way points are exact doubles
# what a field gives the key: its class; its class and value; which constant it equals; its interval
PRESENT: Final = 0
RAW: Final = 1
EQUAL: Final = 2
INTERVAL: Final = 3
MODES: Final = {"present": PRESENT, "raw": RAW, "equal": EQUAL, "interval": INTERVAL}


class _Missing:
    """The value of a field the fact lacks (its class is the field's key: no fact value has it)."""


_MISSING: Final = _Missing()
_CLASSES: Final = 4  # a fact's classes of value, as a PRESENT field's digits: missing, str, int, bool
_ORDERS: Final = 4  # a pair's digits: the second above the first, equal, the first above; then "in the extras"


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


def _note_uses(cond: dict[str, Any], fields: dict[str, _Field], pairs: set[tuple[str, str]]) -> None:
    """Record every atom of a normalised condition (conditions.py grammar) in `fields`, by field, and each two
    fields compared with each other in `pairs` (by name, sorted)."""
    key, val = next(iter(cond.items()))
    if key in ("$and", "$or"):
        for c in val:
            _note_uses(c, fields, pairs)
    elif key in COMPARE:
        name, rhs = next(iter(val.items()))
        use = fields.setdefault(name, _Field())
        if isinstance(rhs, dict) and "$m" in rhs:  # a field against a field: only their order (or values) decide
            other = rhs["$m"]
            fields.setdefault(other, _Field())
            pairs.add((min(name, other), max(name, other)))
            return
        use.note(key, rhs)
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


class _Part:
    """What one field the conditions read gives a fact's key: a digit among `radix` (the last one: "its class
    and value are among the key's extras"). Its name is interned, so that a fact's own key, a literal of the
    compiled code, is found by identity; for EQUAL the constants' type and each constant's index, for INTERVAL
    the bounds c and c+1 of each int constant c, sorted."""

    def __init__(self, name: str, use: _Field) -> None:
        mode = use.mode()
        values = use.values() if mode in ("equal", "interval") else []
        self.name = sys.intern(name)
        self.mode: int = MODES[mode]
        self.type: type = next(iter(use.constants))[0] if mode == "equal" else object
        self.equal: dict[Any, int] = {c: i for i, c in enumerate(values)} if mode == "equal" else {}
        # an int v is at or past c-0.5 when v >= c and past c+0.5 when v >= c+1: its place among the half-way
        # points, found among ints (and duplicates where two constants are adjacent count alike)
        self.bounds: list[int] = sorted(b for c in values for b in (c, c + 1)) if mode == "interval" else []
        # its digits: PRESENT the value's class (_CLASSES); RAW false, true, missing; EQUAL which constant, none
        # of them, missing; INTERVAL which interval, missing; then each "in the extras"
        digits = {PRESENT: _CLASSES, RAW: 3, EQUAL: len(values) + 2, INTERVAL: len(self.bounds) + 2}
        self.radix: int = digits[self.mode] + 1


class KeyPlan:
    """How the conditions of one fact kind tell its facts apart: per field they read (by name, sorted), the digit
    of the key it gives, then per pair of fields they compare with each other (sorted), their order. The key is
    the digits as one int (mixed radix), with, only where a digit says so, the extras beside it: the class and
    value of a field the digits cannot tell (a field's class keeps a missing field, `_MISSING`'s, and a value
    of another type apart), the values of a pair not both safe ints."""

    def __init__(self, kind: str, fields: dict[str, _Field], pairs: set[tuple[str, str]]) -> None:
        self.kind = kind
        self.parts: list[_Part] = [_Part(name, fields[name]) for name in sorted(fields)]
        self.pairs: list[tuple[str, str]] = [(sys.intern(a), sys.intern(b)) for a, b in sorted(pairs)]

    def key(self, d: dict[str, Any]) -> Any:
        """The class key of fact `d` (of this plan's kind; facts of other kinds are kept apart by kind): facts with
        equal keys fire the same rules. The digits' int alone where no extras are needed (an int hashes and
        compares at once), else the int and the extras."""
        code = 0
        extras: list[Any] | None = None
        for p in self.parts:
            v = d.get(p.name, _MISSING)
            mode, top = p.mode, p.radix - 1
            cls = type(v)
            if cls is _Missing:
                digit = 0 if mode == PRESENT else top - 1
            elif mode == PRESENT:  # its class (_CLASSES)
                digit = 1 if cls is str else 2 if cls is int else 3 if cls is bool else top
                if digit == top:
                    extras = _extra(extras, cls)
            elif mode == RAW:
                digit = (1 if v else 0) if cls is bool else top  # not int(v): a call of the type
                if digit == top:
                    extras = _extra(extras, (cls, v))
            elif mode == EQUAL:
                digit = p.equal.get(v, top - 2) if cls is p.type else top
                if digit == top:
                    extras = _extra(extras, (cls, v))
            elif cls is int:
                digit = after(p.bounds, v)  # how many bounds are at most v
            else:
                digit = top
                extras = _extra(extras, (cls, v))
            code = code * p.radix + digit
        for left, right in self.pairs:
            a, b = d.get(left, _MISSING), d.get(right, _MISSING)
            if type(a) is int and type(b) is int and -SAFE_INT < a < SAFE_INT and -SAFE_INT < b < SAFE_INT:
                digit = (a > b) - (a < b) + 1  # as both engines order them
            else:
                digit = _ORDERS - 1
                extras = _extra(extras, (type(a), a, type(b), b))
            code = code * _ORDERS + digit
        return code if extras is None else (code, tuple(extras))


def _extra(extras: list[Any] | None, value: Any) -> list[Any]:
    """`extras` with `value` at its end (made at the first: most facts need none)."""
    if extras is None:
        return [value]
    extras.append(value)
    return extras


def key_plans(rules: Sequence[EngineRule]) -> dict[str, KeyPlan]:
    """Per fact kind, the plan giving a fact of that kind its class key (kind first)."""
    by_kind: dict[str, dict[str, _Field]] = {}
    paired: dict[str, set[tuple[str, str]]] = {}
    for r in rules:
        parts = r.condition["$and"]
        kind = sys.intern(parts[0]["kind"])
        fields = by_kind.setdefault(kind, {})
        pairs = paired.setdefault(kind, set())
        for cond in parts[1:]:
            _note_uses(cond, fields, pairs)
    for fields in by_kind.values():
        fields.pop("kind", None)  # the key's first element: facts are told apart by kind before anything else
    return {kind: KeyPlan(kind, fields, paired[kind]) for kind, fields in by_kind.items()}


class MemoEngine:
    """`engine` asked once per class of facts (see the module's docstring); answers as `engine` does. The answers
    are kept per kind, by key (at most MAX_CLASSES in all)."""

    def __init__(self, engine: Engine, rules: Sequence[EngineRule]) -> None:
        self.name = engine.name
        self.engine = engine
        self._kinds: dict[str, tuple[KeyPlan, dict[Any, tuple[str, ...]]]] = {
            kind: (plan, {}) for kind, plan in key_plans(rules).items()}

    @property
    def classes(self) -> int:
        """Classes of facts decided and kept now."""
        return sum(len(answers) for _, answers in self._kinds.values())

    def evaluate(self, fact: dict[str, Any]) -> list[str]:
        return self.evaluate_many([fact])[0]

    def evaluate_many(self, facts: Sequence[dict[str, Any]]) -> list[list[str]]:
        return [list(names) for names in self.decided(facts if isinstance(facts, list) else list(facts))]

    def decided(self, facts: list[dict[str, Any]]) -> list[tuple[str, ...]]:
        """evaluate_many(facts), each answer the kept tuple itself (not a list of its own)."""
        kinds = self._kinds
        out: list[tuple[str, ...]] = []
        missed: list[tuple[int, Any, dict[Any, tuple[str, ...]] | None]] = []
        i = 0
        for fact in facts:
            key: Any = None
            kept: dict[Any, tuple[str, ...]] | None = None
            try:
                found = kinds.get(fact["kind"])
                if found is not None:
                    plan, kept = found
                    key = plan.key(fact)
                    names = kept.get(key)
                    if names is not None:
                        out.append(names)
                        i += 1
                        continue
            except (KeyError, TypeError):  # no kind, or an unhashable value: the engine answers (or says why not)
                kept = None
            out.append(())
            missed.append((i, key, kept))
            i += 1
        if missed:
            decided = self.engine.evaluate_many([facts[j] for j, _, _ in missed])
            for (j, key, kept), given in zip(missed, decided, strict=True):
                out[j] = answer = tuple(given)
                if kept is not None:
                    if self.classes >= MAX_CLASSES:
                        for _, answers in kinds.values():
                            answers.clear()
                    kept[key] = answer
        return out
