"""The rule condition language: durable-rules' JSON condition format, validated against a fact schema.

Grammar (one key per mapping):
    cond  := {"$and": [cond, ...]} | {"$or": [cond, ...]}
           | {field: const}                          equality
           | {"$lt"|"$lte"|"$gt"|"$gte"|"$neq": {field: rhs}}
           | {"$in": {field: [const, ...]}}          sugar for $or of equalities
           | {"$ex": {field: 1}} | {"$nex": {field: 1}}
    rhs   := const | {"$m": field} | {"$add"|"$sub"|"$mul": {"$l": rhs, "$r": rhs}}
A condition on a field the fact lacks is false ($neq included), as in durable-rules.

`validate` checks field names and constant types and returns the normalised condition ($in expanded),
which both engines consume: `to_python` emits a Python expression built only from validated field
names and `repr` literals; the durable adapter passes the normalised JSON to the C engine.
"""

from __future__ import annotations

import re
from typing import Any

COMPARE = ("$lt", "$lte", "$gt", "$gte", "$neq")
ARITH = {"$add": "+", "$sub": "-", "$mul": "*"}
PY_OP = {"$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">=", "$neq": "!="}
FIELD_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_TYPES = {"int": (int,), "bool": (bool,), "str": (str,), "date": (str,)}


class ConditionError(ValueError):
    """A condition that does not fit the grammar or the fact schema; the message says where."""


def _const_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "str"
    raise ConditionError(f"constant {value!r} must be an integer, a boolean or a string")


def _field(name: Any, fields: dict[str, str], where: str) -> str:
    if not isinstance(name, str) or not FIELD_RE.match(name):
        raise ConditionError(f"{where}: {name!r} is not a field name")
    if name not in fields:
        raise ConditionError(f"{where}: unknown field {name!r} (known: {', '.join(sorted(fields))})")
    return fields[name]


def _single(node: Any, where: str) -> tuple[str, Any]:
    if not isinstance(node, dict) or len(node) != 1:
        raise ConditionError(f"{where}: expected a mapping with exactly one key, got {node!r}")
    return next(iter(node.items()))


def _rhs(node: Any, fields: dict[str, str], where: str) -> tuple[Any, str]:
    """Validate a right-hand side; return it normalised with its type."""
    if isinstance(node, dict):
        key, val = _single(node, where)
        if key == "$m":
            return {"$m": val}, _field(val, fields, where)
        if key in ARITH:
            if not isinstance(val, dict) or set(val) != {"$l", "$r"}:
                raise ConditionError(f"{where}: {key} needs {{$l: ..., $r: ...}}")
            left, lt = _rhs(val["$l"], fields, where)
            right, rt = _rhs(val["$r"], fields, where)
            if lt != "int" or rt != "int":
                raise ConditionError(f"{where}: {key} works on integers only")
            return {key: {"$l": left, "$r": right}}, "int"
        raise ConditionError(f"{where}: unknown operator {key!r} on the right-hand side")
    return node, _const_type(node)


def validate(cond: Any, fields: dict[str, str], where: str = "when") -> dict[str, Any]:
    """The normalised condition, or ConditionError naming the place and the problem."""
    key, val = _single(cond, where)
    if key in ("$and", "$or"):
        if not isinstance(val, list) or not val:
            raise ConditionError(f"{where}: {key} needs a non-empty list")
        return {key: [validate(c, fields, f"{where}.{key}[{i}]") for i, c in enumerate(val)]}
    if key in COMPARE:
        name, rhs = _single(val, f"{where}.{key}")
        ftype = _field(name, fields, f"{where}.{key}")
        norm, rtype = _rhs(rhs, fields, f"{where}.{key}.{name}")
        if key != "$neq" and ftype != "int":
            raise ConditionError(f"{where}.{key}: {name!r} is a {ftype}; only integers can be ordered")
        if rtype != ftype and not (ftype == "date" and rtype == "str"):
            raise ConditionError(f"{where}.{key}: {name!r} is a {ftype}, compared with a {rtype}")
        return {key: {name: norm}}
    if key == "$in":
        name, options = _single(val, f"{where}.$in")
        ftype = _field(name, fields, f"{where}.$in")
        if not isinstance(options, list) or not options:
            raise ConditionError(f"{where}.$in.{name}: needs a non-empty list of constants")
        for o in options:
            if _const_type(o) != ftype:
                raise ConditionError(f"{where}.$in.{name}: {o!r} is not a {ftype}")
        if len(options) == 1:
            return {name: options[0]}
        return {"$or": [{name: o} for o in options]}
    if key in ("$ex", "$nex"):
        name, one = _single(val, f"{where}.{key}")
        _field(name, fields, f"{where}.{key}")
        if one != 1:
            raise ConditionError(f"{where}.{key}.{name}: the value must be 1")
        return {key: {name: 1}}
    if key.startswith("$"):
        raise ConditionError(f"{where}: unknown operator {key!r}")
    ftype = _field(key, fields, where)
    if isinstance(val, (dict, list)) or _const_type(val) != ftype and not (ftype == "date" and isinstance(val, str)):
        raise ConditionError(f"{where}.{key}: {val!r} is not a {ftype}")
    return {key: val}


def fields_used(cond: dict[str, Any]) -> set[str]:
    """Every fact field a normalised condition reads."""
    key, val = next(iter(cond.items()))
    if key in ("$and", "$or"):
        return set().union(*(fields_used(c) for c in val))
    if key in COMPARE:
        name, rhs = next(iter(val.items()))
        return {name} | _rhs_fields(rhs)
    if key in ("$ex", "$nex"):
        return {next(iter(val))}
    return {key}


def _rhs_fields(node: Any) -> set[str]:
    if isinstance(node, dict):
        key, val = next(iter(node.items()))
        if key == "$m":
            return {val}
        return _rhs_fields(val["$l"]) | _rhs_fields(val["$r"])
    return set()


def _py_rhs(node: Any) -> tuple[str, set[str]]:
    if isinstance(node, dict):
        key, val = next(iter(node.items()))
        if key == "$m":
            return f"d[{val!r}]", {val}
        left, lf = _py_rhs(val["$l"])
        right, rf = _py_rhs(val["$r"])
        return f"({left} {ARITH[key]} {right})", lf | rf
    return repr(node), set()


def to_python(cond: dict[str, Any]) -> str:
    """A Python expression over the fact dict `d` for a normalised condition (validated input only)."""
    key, val = next(iter(cond.items()))
    if key in ("$and", "$or"):
        joiner = " and " if key == "$and" else " or "
        return "(" + joiner.join(to_python(c) for c in val) + ")"
    if key in COMPARE:
        name, rhs = next(iter(val.items()))
        expr, refs = _py_rhs(rhs)
        present = " and ".join(f"{f!r} in d" for f in sorted({name} | refs))
        return f"({present} and d[{name!r}] {PY_OP[key]} {expr})"
    if key == "$ex":
        return f"({next(iter(val))!r} in d)"
    if key == "$nex":
        return f"({next(iter(val))!r} not in d)"
    return f"(d.get({key!r}, _MISSING) == {val!r})"
