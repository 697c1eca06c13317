"""durable-rules as the engine of record, driven through its C extension only.

The pattern measured in ../shared/notes/durable-rules.md (s.2.3-2.4): one ruleset handle per
process with no Python actions; each fact asserted with the fixed id "c" into a pooled, reused
session; fired rules drained with start_action_for_state / complete_and_start_action; the fact then
retracted. Only the fields some condition reads are sent: the rest cannot change a match, and
encoding them was half the cost of a fact; they are encoded by pydantic-core's serialiser, about
five times faster than the json module's (facts hold only str, int and bool). Every rule is guarded by a positive `kind` condition, so
the session's state fact never matches. Results are de-duplicated ($or fires once per true branch)
and put in declaration order.
Thread-safe: each C call holds the GIL and each caller leases its own session.
"""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Any

import durable_rules_engine as dre
from pydantic_core import to_json

from ..conditions import fields_used

if TYPE_CHECKING:
    from ..rulebook import CompiledRule

MAX_SESSIONS = 1000  # the engine allows 1024 live sessions per ruleset
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode  # the ruleset, once
_handles = 0
_handles_lock = threading.Lock()


class DurableEngine:
    name = "durable"

    def __init__(self, rules: list["CompiledRule"]) -> None:
        global _handles
        self._order = {r.name: i for i, r in enumerate(rules)}
        self._reads = frozenset(name for r in rules for name in fields_used(r.condition))
        definition = {r.name: {"all": [{"m": r.condition}]} for r in rules}
        with _handles_lock:
            _handles += 1
            ruleset_name = f"kzcompliance{_handles}"
        self._handle = dre.create_ruleset(ruleset_name, _encode(definition))
        self._free: list[str] = []
        self._next = 0
        self._lock = threading.Lock()

    def _take_sid(self) -> str:
        with self._lock:
            if self._free:
                return self._free.pop()
            if self._next >= MAX_SESSIONS:
                raise RuntimeError("durable engine: more than 1000 concurrent evaluations")
            self._next += 1
            return f"s{self._next}"

    def evaluate(self, fact: dict[str, Any]) -> list[str]:
        handle, sid = self._handle, self._take_sid()
        try:
            reads = self._reads
            message = {k: v for k, v in fact.items() if k in reads}
            message["sid"] = sid
            message["id"] = "c"
            code, state = dre.assert_fact(handle, to_json(message).decode())
            if code == 1:  # matched no rule
                return []
            if code != 0:
                raise RuntimeError(f"durable engine: assert_fact returned {code}")
            fired: set[str] = set()
            try:
                result = dre.start_action_for_state(handle, state)
                text = result[1] if result else None
                while text is not None:  # '{"<rule name>":{"m":{...}}}'
                    fired.add(text[2:text.index('"', 2)])
                    text = dre.complete_and_start_action(handle, state)
            except BaseException:
                dre.abandon_action(handle, state)  # else the session stays leased for 30 s
                raise
            return sorted(fired, key=self._order.__getitem__)
        finally:
            dre.retract_fact(handle, '{"sid":"%s","id":"c"}' % sid)
            with self._lock:
                self._free.append(sid)
