"""What one check computed before it was written up: the stage between the rules and the report.

Its own module so that the pipeline, which makes it, and the trace, which reads it, need not import each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .context import Context
from .facts import Derived
from .rulebook import CompiledRule


@dataclass(frozen=True)
class Evaluation:
    """The context, the derived facts, the rules that fired on each fact, and the engine that ran them."""

    ctx: Context
    derived: Derived
    fired: list[tuple[dict[str, Any], list[CompiledRule]]]
    engine: str
