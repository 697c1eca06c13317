"""The limits the library enforces on untrusted input, and the parsing of case JSON within them.

Every case, JSON Lines line and argument passes here (or through the case model, which applies the
same limits), so bad input of any kind is a CaseError naming the field, never another exception:
- dates: DATE_MIN to DATE_MAX in a case or argument; `as_of` from the law tables' first day
  (seeds/mrp.csv) to DATE_MAX. A border crossing may lie long before the law tables start (a resident who
  entered in 1990 is judged from 2015-01-01 on), so dates reach back to 1900; after 2100 is a typing error;
- lists: at most MAX_ITEMS items each (trips, documents, stays, ...), strings at most MAX_TEXT characters,
  staff counts at most MAX_COUNT;
- JSON: at most MAX_DEPTH levels of nesting, no duplicate keys, numbers of at most MAX_DIGITS digits,
  UTF-8 with or without a byte-order mark; a JSON Lines line at most MAX_LINE_BYTES bytes.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, Optional

from pydantic_core import from_json

from .errors import CaseError, problem

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)
MAX_ITEMS = 10_000
MAX_TEXT = 1_000
MAX_DEPTH = 32
MAX_COUNT = 10_000_000  # staff counts: more people than any employer has
MAX_DIGITS = 4_300  # CPython's int/str conversion limit (sys.get_int_max_str_digits)
MAX_LINE_BYTES = 8 * 1024 * 1024
BOM = "\ufeff"


def parse_date(value: object) -> date:
    """A ``YYYY-MM-DD`` string or a date within DATE_MIN..DATE_MAX; else a ValueError saying what is expected."""
    if isinstance(value, date):
        day = value
    elif isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError(problem("not_a_real_date", value=value)) from None
    else:
        raise ValueError(problem("not_a_date", value=_short(value)))
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValueError(problem("date_out_of_range", value=day, lo=DATE_MIN, hi=DATE_MAX))
    return day


def date_argument(value: object, name: str) -> Optional[date]:
    """An API or CLI date argument: None, a date or an ISO string, within the limits; CaseError names `name`."""
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as e:
        raise CaseError(name, str(e)) from None


def _short(value: object) -> object:
    """A value as an error message may quote it: long texts cut (a huge input must not make a huge message)."""
    text = value if isinstance(value, str) else None
    if text is not None and len(text) > 40:
        return text[:40] + "..."
    if text is None and not isinstance(value, (int, float, bool, type(None))):
        return type(value).__name__
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise CaseError(key, problem("duplicate_key", key=key))
            seen.add(key)
    return out


# Built once: json.loads(text, object_pairs_hook=...) builds a decoder and its scanner on every call (a
# seventh of a case line's parse). Shared by threads as json.loads shares its own default decoder.
_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys)


def _parse(text: str) -> Any:
    """json.loads(text, object_pairs_hook=_unique_keys), on the decoder built once: its value or its error.

    The value comes from pydantic-core's parser (jiter, pydantic's own) where that accepts the text and the
    text has no more colons than the value has keys: each key is followed by a colon, so no key came twice.
    That parses a batch line in about half the time. Any other text (invalid, a colon inside a string, a
    duplicate) is the standard decoder's, messages and all; tests/test_hostile_input.py checks they agree.
    """
    if text.startswith(BOM):  # as json.loads says of a second byte-order mark
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    try:
        value = from_json(text)
    except (ValueError, TypeError):  # invalid JSON, beyond jiter's limits (nesting, escaped surrogates), or a text
        return _DECODER.decode(text)   # with a lone surrogate (no UTF-8; TypeError): the decoder's answer
    return value if text.count(":") == _keys(value) else _DECODER.decode(text)


def _keys(value: Any) -> int:
    """How many keys the objects of parsed JSON have in all (a scalar: 0), without recursion."""
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            count += len(item)
            for child in item.values():
                if isinstance(child, (dict, list)):
                    stack.append(child)
        elif isinstance(item, list):
            for child in item:
                if isinstance(child, (dict, list)):
                    stack.append(child)
    return count


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def _text_depth(text: str) -> int:
    """How deep the brackets of a JSON text nest, strings skipped (asked only once parsing has failed)."""
    deepest = level = 0
    for m in _BRACKET.finditer(_STRING.sub("", text)):
        level += 1 if m.group() in "[{" else -1
        if level > deepest:
            deepest = level
            if deepest > MAX_DEPTH:
                break
    return deepest


def _depth(value: Any) -> int:
    """Nesting depth of parsed JSON (a scalar: 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is not None:
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                break
            stack.extend((child, level + 1) for child in children)
    return deepest


def loads(text: str | bytes) -> Any:
    """Parse case JSON: UTF-8, a byte-order mark allowed, no duplicate keys, numbers within MAX_DIGITS;
    CaseError (field '' or the duplicate key) says what is wrong. Nesting beyond the parser's own limit
    (Python's recursion limit) is reported as too deep; to_case() applies MAX_DEPTH to what parses."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise CaseError("", problem("not_utf8")) from None
    if text.startswith(BOM):
        text = text[1:]
    try:
        value = _parse(text)
    except json.JSONDecodeError as e:
        # Where the parser stops in a deep text depends on the caller's stack: the depth decides.
        if _text_depth(text) > MAX_DEPTH:
            raise CaseError("", problem("too_deep", limit=MAX_DEPTH)) from None
        raise CaseError("", problem("invalid_json", line=e.lineno, column=e.colno, msg=e.msg)) from None
    except RecursionError:
        raise CaseError("", problem("too_deep", limit=MAX_DEPTH)) from None
    except CaseError:  # a duplicate key (a ValueError too): it names its key already
        raise
    except ValueError as e:  # int/str conversion limit
        if "digits" in str(e):
            raise CaseError("", problem("number_too_long", limit=MAX_DIGITS)) from None
        raise CaseError("", str(e)) from None
    if not isinstance(value, dict) and too_deep(value):  # Python 3.13's parser takes deep texts whole
        raise CaseError("", problem("too_deep", limit=MAX_DEPTH))
    return value


def too_deep(value: Any) -> bool:
    """Whether parsed JSON nests deeper than MAX_DEPTH (asked once a case has failed validation: a valid
    case nests only as deep as the case format)."""
    return _depth(value) > MAX_DEPTH
