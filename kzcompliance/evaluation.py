"""What one check computed before it was written up: the stage between the rules and the report.

Its own module so that the pipeline, which makes it, and the trace, which reads it, need not import each other.
"""

from __future__ import annotations

from typing import Any

from .context import Context
from .facts import Derived
from .rulebook import CompiledRule


class Evaluation:
    """The context, the derived facts, the rules that fired on each fact, and the engine that ran them; only read
    once made. A plain class: compiled, its __init__ is native, where a frozen dataclass's sets each field through
    object.__setattr__ in interpreted code (about 9k instructions a check)."""

    def __init__(self, ctx: Context, derived: Derived, fired: list[tuple[dict[str, Any], list[CompiledRule]]],
                 engine: str) -> None:
        self.ctx = ctx
        self.derived = derived
        self.fired = fired
        self.engine = engine
