"""The first-result plugin hooks' answers, kept per process: by period of the law where the plugins say when
their answers change, else by date. Its own module so that the compiled build compiles it: a check asks it
several times, and a native call costs a fraction of an interpreted one."""

from __future__ import annotations

from datetime import date
from typing import Any, Final

import pluggy

from ..dates import after


def decided(pm: pluggy.PluginManager, hook: str, *, country: str, on: date, **others: Any) -> Any:
    """The answer of a first-result hook that decides from its arguments alone, cached per process.

    Such hooks (kzc_regime, kzc_registration_exempt_days, kzc_permit_required) answer for a country,
    a date and `others` (a regime, the reference data); see `answers` for how they are kept.
    """
    return answers(pm, hook, country, others.get("ref")).get(on, others)


def answers(pm: pluggy.PluginManager, hook: str, country: str, ref: Any = None) -> Answers:
    """The kept answers of first-result `hook` for `country` under the hook's current implementations.

    Tables are keyed by those implementations, so registering or removing a plugin starts afresh: by the
    manager's `generation` where it counts its changes (plugins.PluginManager, what plugin_manager() gives),
    which costs no call into pluggy, else by the implementations pluggy lists. A caller that asks many dates
    (a check) looks its table up once. `ref` is the reference data the plugins' kzc_law_changes read
    (default: the bundled seeds). At most MAX_TABLES, emptied when full.
    """
    caller = getattr(pm.hook, hook)
    generation = getattr(pm, "generation", None)
    key: tuple[Any, ...] = (caller, country, ref, generation) if generation is not None else \
        (caller, country, ref, tuple(caller.get_hookimpls()), tuple(pm.hook.kzc_law_changes.get_hookimpls()))
    try:
        found = _tables.get(key)
    except TypeError:  # an unhashable `ref`: a table for this call alone
        return Answers(caller, country, _law_changes(pm, caller, country, ref))
    if found is None:
        found = Answers(caller, country, _law_changes(pm, caller, country, ref))
        _remember(_tables, key, found, MAX_TABLES)
    return found


def hook_tables(pm: pluggy.PluginManager, country: str, ref: Any) -> dict[str, Answers]:
    """Where to keep the tables of `answers` for `country`, by hook, as a check fills it: for our PluginManager one
    dict per country, kept per process for the manager's generation and `ref`, so a check finds every hook's table
    by one look-up (where `answers` gets the hook's caller, builds and hashes its key, for each hook); for another
    manager, a new dict, so each check asks `answers` again. At most MAX_TABLES countries, emptied when full; safe
    under the GIL (two threads filling the same hook's entry at once store the same table)."""
    generation = getattr(pm, "generation", None)
    if generation is None:
        return {}
    found = _by_country.get(country)
    if found is None or found[0] is not pm or found[1] != generation or found[2] is not ref:
        if len(_by_country) >= MAX_TABLES:
            _by_country.clear()
        found = _by_country[country] = (pm, generation, ref, {})
    return found[3]


class Answers:
    """One first-result hook's answers for one country: by period of the law, else by date.

    Where every plugin implementing the hook also says when its answers for the country change
    (kzc_law_changes), those days cut time into periods: a date's period is found by bisection and
    holds the answer the plugins gave for its first date asked, so a register spread over years asks
    pluggy a few times per country and any date is answered without a per-date cache. Otherwise each
    new date is asked, and kept in the process-wide `_asked` (at most MAX_ANSWERS, emptied when full),
    as are answers for other arguments than a period's first asker gave. Thread-safe under the GIL:
    a period is filled by one assignment, and two threads asking the same new question at once both
    ask the plugins and get equal answers. Unhashable arguments are not kept.
    """

    def __init__(self, caller: Any, country: str, changes: list[date] | None) -> None:
        self._caller, self._country = caller, country
        # the change days as ordinals (None: answers by date): compiled, a period is found by a native bisection
        self._changes = [day.toordinal() for day in changes] if changes is not None else None
        # per period: (the other arguments, the answer), once asked
        self._periods: list[tuple[dict[str, Any], Any] | None] = [None] * (len(changes or ()) + 1)

    def get(self, on: date, others: dict[str, Any]) -> Any:
        """The hook's answer for the country on `on`; `others` are its other arguments (by keyword)."""
        changes = self._changes
        if changes is not None:
            period = after(changes, on.toordinal())
            kept = self._periods[period]
            if kept is not None and kept[0] == others:  # identical values compare without calling __eq__
                return kept[1]
            if kept is None:
                answer = self._caller(country=self._country, on=on, **others)
                self._periods[period] = (others, answer)
                return answer
            key: tuple[Any, ...] = (self, period, *others.items())
        else:
            key = (self, on, *others.items())
        try:
            return _asked[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable argument
            return self._caller(country=self._country, on=on, **others)
        return _remember(_asked, key, self._caller(country=self._country, on=on, **others), MAX_ANSWERS)


def _remember(cache: dict[tuple[Any, ...], Any], key: tuple[Any, ...], answer: Any, bound: int) -> Any:
    if len(cache) >= bound:
        cache.clear()
    cache[key] = answer
    return answer


def _law_changes(pm: pluggy.PluginManager, caller: Any, country: str, ref: Any) -> list[date] | None:
    """The sorted days the answers of `caller`'s implementations for `country` may change, or None when one
    of their plugins does not say (kzc_law_changes). `ref` defaults to the bundled reference data."""
    from ..seeds import reference

    changers = pm.hook.kzc_law_changes
    if not {i.plugin for i in caller.get_hookimpls()} <= {i.plugin for i in changers.get_hookimpls()}:
        return None
    return sorted({day for days in changers(country=country, ref=ref or reference()) for day in days})


MAX_ANSWERS: Final = 1 << 16
MAX_TABLES: Final = 1 << 12
_tables: dict[tuple[Any, ...], Answers] = {}
_asked: dict[tuple[Any, ...], Any] = {}
_by_country: dict[str, tuple[pluggy.PluginManager, int, Any, dict[str, Answers]]] = {}
