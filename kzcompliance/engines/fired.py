"""Each fact paired with the rules an engine fires on it, found by name: `Rulebook.fire`'s loop, in its own
module so that the compiled build compiles it (rulebook.py, with its pydantic models, stays Python)."""

from __future__ import annotations

from typing import Any, TypeVar

from . import Engine
from .memo import MemoEngine

R = TypeVar("R")


def fired(engine: Engine, facts: list[dict[str, Any]], rules: dict[str, R]) -> list[tuple[dict[str, Any], list[R]]]:
    """Each of `facts` with the rules of `rules` (by name) that `engine` fires on it, in the engine's order."""
    # a memo's kept tuples as they are (each fact's rules are a list of their own anyway); tuples, walked natively
    answers = engine.decided(facts) if isinstance(engine, MemoEngine) else \
        [tuple(names) for names in engine.evaluate_many(facts)]
    if len(answers) != len(facts):
        raise ValueError(f"engine {engine.name}: {len(answers)} answers for {len(facts)} facts")
    out: list[tuple[dict[str, Any], list[R]]] = []
    i = 0
    for names in answers:
        out.append((facts[i], [rules[n] for n in names] if names else []))
        i += 1
    return out
