"""Rule messages filled in from a fact, with counted units in the language's plural form (`{overstay_days:days}`).

A rule message names a fact field in braces; `{field:days}` writes the number with its noun in the
CLDR plural form of the language ("1 day", "4 дня", "5 дней", "5 күн"). A field the fact lacks is `?`.
"""

from __future__ import annotations

import string
from functools import lru_cache
from typing import Any, Callable, Optional

from .catalog import tn


def _days(n: int, lang: str) -> str:
    return tn(lang, "{n} day", "{n} days", n)


UNITS: dict[str, Callable[[int, str], str]] = {"days": _days}


def counted(unit: str, n: int, lang: str) -> str:
    """`n` with the noun of `unit` in `lang`'s plural form, remembered: the same few hundred counts recur over a
    register, and the plural rule and number formatting are deterministic. Dicts read natively here, not an
    `lru_cache` call: per unit and language, by count (no key tuple to make and hash per count; bounded: each
    emptied when full; safe under the GIL: two threads finding one count write one text)."""
    by_lang = _COUNTED.get(unit)
    if by_lang is None:
        by_lang = _COUNTED[unit] = {}
    texts = by_lang.get(lang)
    if texts is None:
        texts = by_lang[lang] = {}
    found = texts.get(n)
    if found is None:
        if len(texts) >= COUNTED_MAX:
            texts.clear()
        found = texts[n] = UNITS[unit](n, lang)
    return found


COUNTED_MAX = 8192  # per unit and language
_COUNTED: dict[str, dict[str, dict[int, str]]] = {}


_CONVERSIONS: dict[str, Callable[[Any], str]] = {"r": repr, "s": str, "a": ascii}


class Template:
    """A message parsed once: its leading text, then per field the fact field it names, the unit of a unit spec
    (None for none), the spec, the conversion ('' for none) and the text that follows it. Read-only (a plain class,
    native when compiled: a frozen dataclass's attributes are not)."""

    def __init__(self, head: str, fields: tuple[tuple[str, Optional[str], str, str, str], ...]) -> None:
        self.head = head
        self.fields = fields

    def fill(self, fact: dict[str, Any], lang: str) -> str:
        """The message with the fact's values, counted fields in `lang`'s plural form: what `format_map` writes, its
        fields as `format` writes each."""
        out = [self.head]
        for name, unit, spec, conversion, after in self.fields:
            value = fact.get(name, "?")
            if conversion:
                out.append(format(_CONVERSIONS[conversion](value), spec))
            elif unit is not None and isinstance(value, int):  # a count: its noun in the plural form
                out.append(counted(unit, int(value), lang))
            elif not spec:  # what format(value, "") gives for the fact's values (str, int, bool, float, None)
                out.append(str(value))
            else:
                out.append(format(value, spec))
            out.append(after)
        return "".join(out)


@lru_cache(maxsize=4096)
def template(text: str) -> Template:
    """The message `text` parsed (remembered: a rulebook has a few hundred messages; bounded, thread-safe)."""
    texts = [""]  # the text before each field, and after the last
    named: list[tuple[str, Optional[str], str, str]] = []
    for literal, name, spec, conversion in string.Formatter().parse(text):
        texts[-1] += literal
        if name is not None:
            named.append((name, spec if spec in UNITS else None, spec or "", conversion or ""))
            texts.append("")
    return Template(texts[0], tuple((*field, after) for field, after in zip(named, texts[1:], strict=True)))


def fill(text: str, fact: dict[str, Any], lang: str) -> str:
    """The message `text` with the fact's values (`Template.fill`), the template parsed once, not per message."""
    return template(text).fill(fact, lang)
