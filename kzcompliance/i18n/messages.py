"""Rule messages filled in from a fact, with counted units in the language's plural form (`{overstay_days:days}`).

A rule message names a fact field in braces; `{field:days}` writes the number with its noun in the
CLDR plural form of the language ("1 day", "4 дня", "5 дней", "5 күн"). A field the fact lacks is `?`.
"""

from __future__ import annotations

import string
from functools import lru_cache
from typing import Any, Callable

from .catalog import tn


def _days(n: int, lang: str) -> str:
    return tn(lang, "{n} day", "{n} days", n)


UNITS: dict[str, Callable[[int, str], str]] = {"days": _days}


class _Count:
    """A number that formats with a unit spec (`days`) as the counted noun, otherwise as the number."""

    __slots__ = ("value", "lang")

    def __init__(self, value: Any, lang: str) -> None:
        self.value = value
        self.lang = lang

    def __format__(self, spec: str) -> str:
        if spec in UNITS and isinstance(self.value, int):
            return counted(spec, int(self.value), self.lang)
        return format(self.value, spec)


@lru_cache(maxsize=8192)
def counted(unit: str, n: int, lang: str) -> str:
    """`n` with the noun of `unit` in `lang`'s plural form, remembered: the same few hundred counts recur over a
    register, and the plural rule and number formatting are deterministic (bounded, thread-safe)."""
    return UNITS[unit](n, lang)


class _Fill(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


@lru_cache(maxsize=None)
def counted_fields(text: str) -> tuple[str, ...]:
    """The fields a message writes with a unit spec."""
    return tuple(name for _lit, name, spec, _conv in string.Formatter().parse(text) if name and spec in UNITS)


def fill(text: str, fact: dict[str, Any], lang: str) -> str:
    """The message `text` with the fact's values, counted fields in `lang`'s plural form."""
    values = _Fill(fact)
    for name in counted_fields(text):
        if name in values:
            values[name] = _Count(values[name], lang)
    return text.format_map(values)
