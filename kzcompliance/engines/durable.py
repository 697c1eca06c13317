"""durable-rules as the engine of record, driven through its C extension only.

The pattern measured in docs/durable-rules-study.md (s.2.3-2.4): a ruleset handle with no Python
actions; each fact asserted with the fixed id "c" into a pooled, reused session; fired rules drained
with start_action_for_state / complete_and_start_action; the fact then retracted. Only the fields some
condition reads are sent: the rest cannot change a match, and encoding them was half the cost of a
fact; they are encoded by pydantic-core's serialiser, about five times faster than the json module's
(facts hold only str, int and bool). Every rule is guarded by a positive `kind` condition, so the
session's state fact never matches. Results are de-duplicated ($or fires once per true branch) and put in
declaration order.

Handles are costly (a ruleset and its sessions hold 1.2-1.6 MiB; `delete_ruleset` alone leaves the
sessions' part behind, docs/durable-rules.md), so they are shared: engines over the same
rules use one handle, whichever Rulebook built them, and a handle no engine uses any more is kept
for the next reload of the same rules, up to IDLE_RULESETS of them; older idle ones are deleted.
The engine allows 1024 live sessions per handle: callers beyond MAX_SESSIONS wait for a free one.
Thread-safe: each C call holds the GIL and each caller leases its own session.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections import OrderedDict, deque
from typing import Any, Sequence

import durable_rules_engine as dre
from pydantic_core import to_json

from ..conditions import fields_used
from . import EngineRule

MAX_SESSIONS = 1000  # the engine allows 1024 live sessions per ruleset
IDLE_RULESETS = 4    # handles kept for reuse after their last engine is gone
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode  # the ruleset, once


class _Ruleset:
    """One ruleset handle and its session pool, shared by every engine over the same definition."""

    def __init__(self, handle: int) -> None:
        self.handle = handle
        self.users = 0
        self._free: list[str] = []
        self._next = 0
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(MAX_SESSIONS)
        self.started: set[str] = set()  # sessions that have started an action: delete_state is safe on them

    def take_sid(self) -> str:
        """A session no other caller holds: waits while MAX_SESSIONS are leased."""
        self._slots.acquire()
        with self._lock:
            if self._free:
                return self._free.pop()
            self._next += 1
            return f"s{self._next}"

    def give_back(self, sid: str) -> None:
        with self._lock:
            self._free.append(sid)
        self._slots.release()

    @property
    def sessions(self) -> int:
        """Sessions created on this handle so far (each is kept and reused)."""
        return self._next


_rulesets: "OrderedDict[str, _Ruleset]" = OrderedDict()  # by definition JSON; idle ones at the end, oldest first
_rulesets_lock = threading.Lock()
# Definitions whose engine was garbage-collected, not yet counted down. A finalizer runs wherever the
# collector does, perhaps in a thread holding _rulesets_lock: it only appends here (atomic), and the
# next _acquire or live_rulesets counts down under the lock.
_released: "deque[str]" = deque()
_created = 0


def _acquire(definition: str) -> _Ruleset:
    global _created
    with _rulesets_lock:
        _settle()
        found = _rulesets.get(definition)
        if found is None:
            _created += 1
            found = _rulesets[definition] = _Ruleset(dre.create_ruleset(f"kzcompliance{_created}", definition))
        found.users += 1
        _rulesets.move_to_end(definition, last=False)  # in use: away from the eviction end
        return found


def _settle() -> None:
    """Count down released engines (under _rulesets_lock): handles left without users become idle,
    and idle handles beyond IDLE_RULESETS are deleted, the oldest first."""
    while _released:
        key = _released.popleft()
        found = _rulesets.get(key)
        if found is not None:
            found.users -= 1
            if found.users == 0:
                _rulesets.move_to_end(key)
    idle = [key for key, rs in _rulesets.items() if rs.users == 0]
    for key in idle[:max(0, len(idle) - IDLE_RULESETS)]:
        _delete(_rulesets.pop(key))


def live_rulesets() -> tuple[int, int]:
    """(handles alive, of which idle): what the engine holds in the C library now."""
    with _rulesets_lock:
        _settle()
        return len(_rulesets), sum(1 for rs in _rulesets.values() if rs.users == 0)


def _delete(rs: _Ruleset) -> None:
    """Free a handle no engine uses. delete_ruleset alone leaves ~0.7 MiB per session behind; deleting
    each session's state first frees it, but only for sessions that started an action (on the others
    delete_state frees uninitialised memory and may abort the process), so only those are deleted."""
    for sid in sorted(rs.started):
        dre.delete_state(rs.handle, sid)
    dre.delete_ruleset(rs.handle)


class DurableEngine:
    name = "durable"

    def __init__(self, rules: Sequence[EngineRule]) -> None:
        self._order = {r.name: i for i, r in enumerate(rules)}
        self._reads = frozenset(name for r in rules for name in fields_used(r.condition))
        definition = _encode({r.name: {"all": [{"m": r.condition}]} for r in rules})
        self._ruleset = _acquire(definition)
        self._handle = self._ruleset.handle
        weakref.finalize(self, _released.append, definition).atexit = False  # the process's end frees it all

    def evaluate(self, fact: dict[str, Any]) -> list[str]:
        handle, pool = self._handle, self._ruleset
        sid = pool.take_sid()
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
                pool.started.add(sid)
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
            pool.give_back(sid)
