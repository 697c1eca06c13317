"""Numbers, money and dates as each language writes them (CLDR data through Babel)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal

_CURRENCY = {"en": "KZT", "ru": "₸", "kk": "₸"}


def number(n: int | Decimal, lang: str) -> str:
    """`43,250` and `0.23` in English, `43 250` (no-break space) and `0,23` in Russian and Kazakh."""
    return _integer(n, lang) if type(n) is int else format_decimal(n, locale=lang)


@lru_cache(maxsize=8192)
def _integer(n: int, lang: str) -> str:
    """An int as `number` writes it, remembered: Babel's formatting is deterministic and costs ~20 µs, and a
    register's reports write the same few hundred day counts and fines over and over (bounded, thread-safe)."""
    return format_decimal(n, locale=lang)


def tenge(amount: int, lang: str) -> str:
    """An amount of tenge: `43,250 KZT`, `43 250 ₸`."""
    return f"{number(amount, lang)} {_CURRENCY[lang]}"


def long_date(d: date, lang: str) -> str:
    """A date in running text: `March 2, 2026`, `2 марта 2026 г.`, `2026 ж. 2 наурыз` (tables, JSON: ISO)."""
    return format_date(d, "long", locale=lang)
