"""durable-rules as the engine of record, driven through its C extension only.

The pattern measured in docs/durable-rules-study.md (s.2.3-2.4): a ruleset handle with no Python
actions; facts asserted into a pooled, reused session; fired rules drained with
start_action_for_state / complete_and_start_action; the facts then retracted. A case's facts go in
together, up to FACTS_PER_CALL at a time, each with its index as id, in one session: one
assert_facts, one drain and one retract_facts per case instead of one of each per fact (each action
names the fact it fired on, by the id leading the message). Rules read one message each, so facts
sharing a session fire exactly the rules they fire alone. Only the fields some condition of the
fact's kind reads are sent (every rule is guarded by its kind, so no other field can change a
match; encoding them was half the cost of a fact); they are encoded by pydantic-core's serialiser,
about five times faster than the json module's (facts hold only str, int and bool). The `kind`
guard also keeps the session's state fact from matching. Results are de-duplicated ($or fires once
per true branch) and put in declaration order.

Handles are costly (a ruleset and its sessions hold 1.2-1.6 MiB; `delete_ruleset` alone leaves the
sessions' part behind, docs/durable-rules.md), so they are shared: engines over the same
rules use one handle, whichever Rulebook built them, and a handle no engine uses any more is kept
for the next reload of the same rules, up to IDLE_RULESETS of them; older idle ones are deleted.
The engine allows 1024 live sessions per handle: callers beyond MAX_SESSIONS wait for a free one.
Thread-safe: each C call holds the GIL and each caller leases its own session.
A check asks it through the decision memo (engines/memo.py): it decides each class of facts the
conditions cannot tell apart once per process, and is posted only the facts of classes not yet seen.
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
# Facts asserted into a session at once: a session's pools grow to the most it held and never shrink
# (a message takes about 9 KB), so a case with thousands of trips is sent a few facts at a time.
FACTS_PER_CALL = 8
_IDS = tuple(str(i) for i in range(FACTS_PER_CALL))
_AFTER_NAME = '":{"m":{"id":"'  # an action's text: {"<rule name>":{"m":{"id":"<index>",...}}}
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
        reads: dict[str, set[str]] = {}
        for r in rules:
            reads.setdefault(r.condition["$and"][0]["kind"], {"kind"}).update(fields_used(r.condition))
        self._reads = {kind: tuple(sorted(names)) for kind, names in reads.items()}
        definition = _encode({r.name: {"all": [{"m": r.condition}]} for r in rules})
        self._ruleset = _acquire(definition)
        self._handle = self._ruleset.handle
        weakref.finalize(self, _released.append, definition).atexit = False  # the process's end frees it all

    def evaluate(self, fact: dict[str, Any]) -> list[str]:
        return self.evaluate_many([fact])[0]

    def evaluate_many(self, facts: Sequence[dict[str, Any]]) -> list[list[str]]:
        out: list[list[str]] = []
        for i in range(0, len(facts), FACTS_PER_CALL):
            out.extend(self._fire(facts[i:i + FACTS_PER_CALL]))
        return out

    def _fire(self, facts: Sequence[dict[str, Any]]) -> list[list[str]]:
        """The rules fired on each of at most FACTS_PER_CALL facts, asserted together into one session."""
        handle, pool, reads = self._handle, self._ruleset, self._reads
        sid = pool.take_sid()
        try:
            messages = []
            for i, fact in enumerate(facts):
                message = {"id": _IDS[i], "sid": sid}
                for name in reads.get(fact["kind"], ("kind",)):
                    if name in fact:
                        message[name] = fact[name]
                messages.append(message)
            code, state = dre.assert_facts(handle, to_json(messages).decode())
            if code not in (0, 1):  # 1: some fact matched no rule (the others may have)
                raise RuntimeError(f"durable engine: assert_facts returned {code}")
            fired: list[set[str]] = [set() for _ in facts]
            try:
                result = dre.start_action_for_state(handle, state)
                text = result[1] if result else None
                if text is not None:
                    pool.started.add(sid)
                while text is not None:
                    end = text.index('"', 2)
                    at = end + len(_AFTER_NAME)
                    if not text.startswith(_AFTER_NAME, end):
                        raise RuntimeError(f"durable engine: unexpected action {text[:80]!r}")
                    fired[int(text[at:text.index('"', at)])].add(text[2:end])
                    text = dre.complete_and_start_action(handle, state)
            except BaseException:
                dre.abandon_action(handle, state)  # else the session stays leased for 30 s
                raise
            order = self._order.__getitem__
            return [sorted(names, key=order) for names in fired]
        finally:
            dre.retract_facts(handle, "[" + ",".join('{"sid":"%s","id":"%s"}' % (sid, _IDS[i])
                                                     for i in range(len(facts))) + "]")
            pool.give_back(sid)
