"""The decision memo (engines/memo.py) answers exactly as the engine it wraps, on any facts and any rules."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzcompliance.conditions import COMPARE, validate
from kzcompliance.engines import build_engine
from kzcompliance.engines.memo import MAX_CLASSES, SAFE_INT, MemoEngine
from kzcompliance.facts import FACT_FIELDS
from kzcompliance.pipeline import evaluate
from kzcompliance.resources import bundled_dir
from kzcompliance.rulebook import Rulebook, default_rulebook, rule_files

from .helpers import ENGINES
from .test_engines import random_case

BOOK = default_rulebook()
# One memo per engine for the whole module, so that facts drawn by later examples meet classes decided earlier.
MEMOS = {name: MemoEngine(BOOK.engine(name), BOOK.compiled) for name in ENGINES}


def _constants(cond: dict[str, Any], out: dict[str, set[Any]]) -> None:
    """Every constant a normalised condition compares each field with."""
    key, val = next(iter(cond.items()))
    if key in ("$and", "$or"):
        for c in val:
            _constants(c, out)
    elif key in COMPARE:
        name, rhs = next(iter(val.items()))
        if not isinstance(rhs, dict):
            out.setdefault(name, set()).add(rhs)
    elif key in ("$ex", "$nex"):
        out.setdefault(next(iter(val)), set())
    else:
        out.setdefault(key, set()).add(val)


def _read_fields(rules: Any) -> dict[str, dict[str, set[Any]]]:
    """Per fact kind, each field the rules read with the constants they name for it."""
    by_kind: dict[str, dict[str, set[Any]]] = {}
    for r in rules:
        _constants(r.condition, by_kind.setdefault(r.condition["$and"][0]["kind"], {}))
    return by_kind


def _values(ftype: str, constants: set[Any]) -> st.SearchStrategy[Any]:
    """Values of a field around each constant: c-1, c, c+1, other values of its type, values far beyond
    them (2**51, 2**60, 2**70), and values of another type (True beside 1, 1 beside "1")."""
    named = sorted(constants, key=repr)
    if ftype == "int":
        near = sorted({c + d for c in named for d in (-1, 0, 1)} | {0, 1})
        return st.one_of(st.sampled_from(near), st.sampled_from(near), st.sampled_from(near), st.integers(-3, 40),
                         st.booleans(),
                         st.sampled_from([2 ** 51, 2 ** 60, 2 ** 70, -2 ** 70]))
    if ftype == "bool":
        return st.one_of(st.booleans(), st.booleans(), st.booleans(), st.sampled_from([0, 1, 2]))
    others = st.one_of(st.sampled_from(["other", "", "2026-01-01", "ё", "1"]), st.text("ab", max_size=2),
                       st.sampled_from([0, 1]))
    return st.one_of(st.sampled_from(named), st.sampled_from(named), others) if named else others


@st.composite
def _facts(draw: st.DrawFn, by_kind: dict[str, dict[str, set[Any]]]) -> list[dict[str, Any]]:
    """Facts of the rules' kinds, each field they read missing or drawn around the constants they name, and
    beside each some variants of it with one field redrawn or dropped (facts that differ in one field only)."""
    out = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(sorted(by_kind)))
        fields = {name: st.one_of(st.just(None), _values(FACT_FIELDS[kind][name], consts))
                  for name, consts in sorted(by_kind[kind].items()) if name != "kind"}
        drawn = draw(st.fixed_dictionaries(fields))
        base = {"kind": kind, "ref": "x", **{k: v for k, v in drawn.items() if v is not None}}
        out.append(base)
        for _ in range(draw(st.integers(0, 5)) if fields else 0):
            name = draw(st.sampled_from(sorted(fields)))
            value = draw(fields[name])
            variant = {k: v for k, v in base.items() if k != name}
            out.append(variant if value is None else {**variant, name: value})
    return draw(st.permutations(out))


BUNDLED = _read_fields(BOOK.compiled)


@pytest.mark.parametrize("name", ENGINES)
@settings(max_examples=300)
@given(facts=_facts(BUNDLED))
def test_the_memo_answers_as_the_engine_on_the_bundled_rules(name: str, facts: list[dict[str, Any]]) -> None:
    raw, memo = BOOK.engine(name), MEMOS[name]
    assert memo.evaluate_many(facts) == raw.evaluate_many(facts)
    assert [memo.evaluate(f) for f in facts] == [raw.evaluate(f) for f in facts]


@dataclass(frozen=True)
class _Rule:
    name: str
    condition: dict[str, Any]


TRIP = FACT_FIELDS["trip"]
INTS, STRS, BOOLS, DATES = ("overstay_days", "allowed", "days_in_window"), ("limit_basis", "purpose"), \
    ("ongoing", "past_term"), ("leave_by", "term_ended")
CONSTANT = {"int": st.sampled_from([0, 1, 2, 5, 10]), "str": st.sampled_from(["a", "b", ""]),
            "bool": st.booleans(), "date": st.sampled_from(["2026-01-01", "a"])}


def _atom(field: str) -> st.SearchStrategy[dict[str, Any]]:
    ftype = TRIP[field]
    const = CONSTANT[ftype]
    same = [f for f in TRIP if TRIP[f] == ftype and f in INTS + STRS + BOOLS + DATES]
    ref = st.builds(lambda f: {"$m": f}, st.sampled_from(same))
    options = [const.map(lambda c: {field: c}),
               (const | ref).map(lambda rhs: {"$neq": {field: rhs}}),
               st.sampled_from(["$ex", "$nex"]).map(lambda op: {op: {field: 1}})]
    if ftype != "date":  # $in takes constants of the field's own type, and a date's are strings
        options.append(st.lists(const, min_size=2, max_size=3).map(lambda cs: {"$in": {field: cs}}))
    if ftype == "int":
        arith = st.builds(lambda op, f, c: {op: {"$l": {"$m": f}, "$r": c}},
                          st.sampled_from(["$add", "$sub", "$mul"]), st.sampled_from(INTS), const)
        options.append(st.builds(lambda op, rhs: {op: {field: rhs}}, st.sampled_from(["$lt", "$lte", "$gt", "$gte"]),
                                 const | const | ref | arith))
    return st.one_of(*options)


CONDITION = st.recursive(st.sampled_from(INTS + INTS + STRS + BOOLS + DATES).flatmap(_atom),
                         lambda inner: st.builds(lambda op, cs: {op: cs}, st.sampled_from(["$and", "$or"]),
                                                 st.lists(inner, min_size=1, max_size=3)), max_leaves=6)
RULES = st.lists(CONDITION, min_size=1, max_size=5).map(
    lambda conds: [_Rule(f"r{i}#0", {"$and": [{"kind": "trip"}, validate(c, TRIP)]}) for i, c in enumerate(conds)])


@pytest.mark.parametrize("name", ENGINES)
@settings(max_examples=100)
@given(data=st.data())
def test_the_memo_answers_as_the_engine_on_random_rules(name: str, data: st.DataObject) -> None:
    """Random rules over the whole grammar ($neq, order, $in, $ex/$nex, fields against fields, arithmetic),
    nested $and/$or, and facts drawn around their constants: each fact answered as the engine answers it."""
    rules = data.draw(RULES, label="rules")
    raw = build_engine(name, rules)
    memo = MemoEngine(raw, rules)
    facts = data.draw(st.lists(_facts(_read_fields(rules)), min_size=1, max_size=3), label="calls")
    for call in facts + facts:  # the second time round every class is known
        assert memo.evaluate_many(call) == raw.evaluate_many(call)


@pytest.mark.parametrize("name", ENGINES)
def test_the_memo_answers_as_the_engine_on_derived_facts_and_decides_few_classes(name: str) -> None:
    raw = BOOK.engine(name)
    memo = MemoEngine(raw, BOOK.compiled)
    rng = random.Random(31)
    seen = 0
    for _ in range(300):
        facts = evaluate(random_case(rng), engine="python").derived.facts
        assert memo.evaluate_many(facts) == raw.evaluate_many(facts)
        seen += len(facts)
    assert memo.classes < seen / 4  # the memo is asked far less often than the facts come


COMPARED = st.one_of(st.integers(-3, 3), st.integers(-3, 3), st.booleans(), st.none(),
                    st.sampled_from([2 ** 51 - 1, 2 ** 51, -2 ** 51, 2 ** 51 + 1, 2 ** 60, 2 ** 70]))


@pytest.mark.parametrize("name", ENGINES)
@settings(max_examples=200)
@given(data=st.data())
def test_the_memo_answers_as_the_engine_on_fields_compared_with_each_other(name: str, data: st.DataObject) -> None:
    """Staff facts whose fields compared with each other (local and ict with limit) are ints around each other,
    at and beyond 2**51, bools or missing: the memo keys the order of two ints, and answers as the engine."""
    facts = []
    for _ in range(data.draw(st.integers(1, 8), label="facts")):
        drawn = {f: data.draw(COMPARED, label=f) for f in ("local", "ict", "limit")}
        facts.append({"kind": "staff", "ref": "x", "on_day": 739000, "exempt": False,
                      "measure": data.draw(st.sampled_from(["ict", "local_share"]), label="measure"),
                      **{k: v for k, v in drawn.items() if v is not None}})
    raw, memo = BOOK.engine(name), MEMOS[name]
    for call in (facts, facts):  # the second time round every class is known
        assert memo.evaluate_many(call) == raw.evaluate_many(call)


def test_the_memo_is_bounded_and_keeps_answering_when_emptied() -> None:
    raw = BOOK.engine("python")
    memo = MemoEngine(raw, BOOK.compiled)
    facts = [{"kind": "staff", "on_day": 739000, "measure": "ict", "ict": SAFE_INT + i, "local": 3 * i, "limit": 50}
             for i in range(MAX_CLASSES + 10)]  # ict, compared with limit, beyond 2**51: each value a class
    assert memo.evaluate_many(facts) == raw.evaluate_many(facts)
    assert 0 < memo.classes <= MAX_CLASSES


@pytest.mark.parametrize("name", ENGINES)
def test_facts_the_memo_cannot_key_go_to_the_engine(name: str) -> None:
    raw = BOOK.engine(name)
    memo = MemoEngine(raw, BOOK.compiled)
    odd = [{"kind": "nothing", "on_day": 1}, {"kind": "trip", "on_day": 739000, "limit_basis": ["unhashable"]}]
    assert memo.evaluate_many(odd) == raw.evaluate_many(odd) and memo.classes == 0


def test_fire_asks_the_memo_and_engine_is_the_engine_itself() -> None:
    """`Rulebook.engine` stays the engine (the engines-agree tests and the bench's posting floor use it);
    `fire` asks the memo, unless the rulebook is built with memoise=False."""
    book = Rulebook(rule_files(), builtin_dir=bundled_dir("rules"))
    assert not isinstance(book.engine("python"), MemoEngine)
    assert isinstance(book.memo("python"), MemoEngine) and book.memo("python").engine is book.engine("python")
    raw = Rulebook(rule_files(), builtin_dir=bundled_dir("rules"), memoise=False)
    assert raw.memo("python") is raw.engine("python")
    facts = evaluate(random_case(random.Random(3)), engine="python").derived.facts
    assert [(f, [r.name for r in rs]) for f, rs in book.fire(facts, "python")] == \
        [(f, [r.name for r in rs]) for f, rs in raw.fire(facts, "python")]
