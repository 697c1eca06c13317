"""Rule messages filled in from a fact, with counted units in the language's plural form (`{overstay_days:days}`).

A rule message names a fact field in braces; `{field:days}` writes the number with its noun in the
CLDR plural form of the language ("1 day", "4 дня", "5 дней", "5 күн"). A field the fact lacks is `?`.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Optional

from .catalog import tn


def _days(n: int, lang: str) -> str:
    return tn(lang, "{n} day", "{n} days", n)


UNITS: dict[str, Callable[[int, str], str]] = {"days": _days}


@lru_cache(maxsize=8192)
def counted(unit: str, n: int, lang: str) -> str:
    """`n` with the noun of `unit` in `lang`'s plural form, remembered: the same few hundred counts recur over a
    register, and the plural rule and number formatting are deterministic (bounded, thread-safe)."""
    return UNITS[unit](n, lang)


@dataclass(frozen=True)
class Template:
    """A message parsed once: `text` with its fields numbered in order (`{0}`, `{1:>3}`), and per field the fact
    field it names, its unit (a unit spec, written by `counted`, leaves the field's own spec empty) and spec."""

    text: str
    fields: tuple[tuple[str, Optional[str], str], ...]


@lru_cache(maxsize=4096)
def template(text: str) -> Template:
    """The message `text` parsed (remembered: a rulebook has a few hundred messages; bounded, thread-safe)."""
    out: list[str] = []
    fields: list[tuple[str, Optional[str], str]] = []
    for literal, name, spec, conversion in string.Formatter().parse(text):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is None:
            continue
        spec = spec or ""
        unit = spec if spec in UNITS else None
        out.append("{" + str(len(fields)) + (f"!{conversion}" if conversion else "")
                   + (f":{spec}" if spec and unit is None else "") + "}")
        fields.append((name, unit, spec))
    return Template("".join(out), tuple(fields))


def fill(text: str, fact: dict[str, Any], lang: str) -> str:
    """The message `text` with the fact's values, counted fields in `lang`'s plural form."""
    tpl = template(text)
    values: list[Any] = []
    for name, unit, spec in tpl.fields:
        value = fact.get(name, "?")
        if unit is not None:  # a count: its noun in the plural form; anything else as the spec would write it
            value = counted(unit, int(value), lang) if isinstance(value, int) else format(value, spec)
        values.append(value)
    return tpl.text.format(*values)
