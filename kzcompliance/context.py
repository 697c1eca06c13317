"""The per-check context the derived-fact modules share: the case, the date, the law and the plugins."""

from __future__ import annotations

from datetime import date
from typing import Any

import pluggy

from .calendar import WorkingCalendar
from .case import Case
from .plugins import Answers, answers
from .plugins.answer_tables import hook_tables
from .plugins.hookspecs import RegimeDecision
from .seeds import ReferenceData
from .settings import Settings

# The skippable checks that can only aggravate a violation already found (repeat offences) or pick its
# fine tier: skipping them never leaves a verdict undetermined. Every other check could find a violation.
AGGRAVATING_CHECKS = frozenset({"host sanction tier", "employer sanction tier", "repeat offence (KoAP 518 p.3)"})


class Context:
    """What one check shares between the fact builders, and what they record for the report (its unchecked,
    assumed and consulted). A plain class: compiled, its __init__ is native, where a dataclass's is not."""

    def __init__(self, case: Case, as_of: date, ref: ReferenceData, calendar: WorkingCalendar,
                 pm: pluggy.PluginManager, settings: Settings) -> None:
        self.case = case
        self.as_of = as_of
        self.ref = ref
        self.calendar = calendar
        self.pm = pm
        self.settings = settings
        self.law_start = ref.law_start  # the first day of the law the tables hold
        self._parameters = ref.parameter_values
        self.unchecked: list[tuple[str, str]] = []
        self.assumed: list[tuple[str, str, dict[str, str]]] = []  # (ref, kind, text fields)
        self.consulted: set[str] = set()  # seeds parameters read, by name, for the trace
        self.country: str = case.person.citizenship  # read once: a read of the case model is a generic getattr
        self._answers = hook_tables(pm, self.country, ref)  # the plugins' kept answers, by hook
        self._regimes: dict[date, RegimeDecision] = {}
        self._regime_asked: dict[str, Any] = {"ref": ref}  # kzc_regime's other arguments, the same on every date

    def regime(self, on: date) -> RegimeDecision:
        """The regime of the person's citizenship on `on`, as the plugins decide it (kzc_regime, as `decided`
        asks it, its arguments kept for the check, since every trip, stay and job asks)."""
        found = self._regimes.get(on)
        if found is None:
            found = self._regimes[on] = self._table("kzc_regime").get(on, self._regime_asked)
        return found

    def decided(self, hook: str, on: date, **others: Any) -> Any:
        """The plugins' answer to first-result `hook` for the person's citizenship on `on` (plugins.decided),
        from the hook's table, looked up once per check."""
        return self._table(hook).get(on, others)

    def _table(self, hook: str) -> Answers:
        table = self._answers.get(hook)
        if table is None:
            table = self._answers[hook] = answers(self.pm, hook, self.country, self.ref)
        return table

    def parameter(self, name: str, on: date) -> int | None:
        """A seeds parameter in force on `on`, its name noted for the trace; None if it did not exist then
        (ReferenceData.parameter, asked of its table directly: a native call where the module is compiled)."""
        return self.parameter_day(name, on.toordinal())

    def parameter_day(self, name: str, day: int) -> int | None:
        """`parameter` on the ordinal `day`, for a caller that holds the ordinal (a date's toordinal, compiled, is a
        method call)."""
        table = self._parameters.get(name)
        value = table.at_day(day) if table is not None else None
        if value is not None:
            self.consulted.add(name)
        return value

    def skip(self, check: str, needs: str) -> None:
        """Record a check the case lacks data for (shown in the report's `unchecked`; unless it is one of
        AGGRAVATING_CHECKS, it leaves a verdict without a violation undetermined)."""
        if (check, needs) not in self.unchecked:
            self.unchecked.append((check, needs))

    def assume(self, ref: str, kind: str, **fields: str) -> None:
        """Record that what rests on `ref` was judged on an assumption (a date the law tables do not cover):
        the report names it under `assumptions` and marks the violations of `ref` unverified."""
        if (ref, kind, fields) not in self.assumed:
            self.assumed.append((ref, kind, fields))

