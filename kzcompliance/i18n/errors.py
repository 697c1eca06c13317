"""Error sentences in a language: the English sentence is matched against the catalogue's error templates.

Errors are raised with English sentences (the field path and values in them are data); a template such as
`{value} is not one of {options}` in the `error` context of the .po files turns one back into its translation,
each filled-in value itself translated when it is a known fragment (e.g. pydantic's "input is too short").
A sentence no template matches is shown as raised; the tests check that every sentence they provoke matches.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from ..errors import CaseError
from .catalog import read_catalog, t, translations

ERROR = "error"  # the gettext context of error sentences and fragments
_FIELD = re.compile(r"\{(\w+)\}")
_CONVERSION = re.compile(r"\{(\w+)![rsa]\}")


def template_id(template: str) -> str:
    """The catalogue's message id of an English template such as errors.PROBLEMS': `{value!r}` is `{value}`
    there (the quotes the conversion adds are part of the value the sentence is matched to)."""
    return _CONVERSION.sub(r"{\1}", template)


@lru_cache(maxsize=None)
def _templates() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each error template as a regex (its fields as named groups), the most literal text first."""
    out: list[tuple[re.Pattern[str], str]] = []
    for m in sorted(read_catalog("ru"), key=lambda m: -len(_FIELD.sub("", m.id if isinstance(m.id, str) else ""))):
        if m.context == ERROR and m.id and isinstance(m.id, str):
            parts = _FIELD.split(m.id)
            rx = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
            out.append((re.compile(rx, re.DOTALL), m.id))
    return tuple(out)


def match(sentence: str) -> Optional[tuple[str, dict[str, str]]]:
    """The template an English error sentence was made from, and its values (None when none matches)."""
    for rx, msgid in _templates():
        m = rx.fullmatch(sentence)
        if m:
            return msgid, m.groupdict()
    return None


def problem_text(sentence: str, lang: str) -> str:
    """An English error sentence in `lang` (as it is when no template matches)."""
    found = match(sentence) if lang != "en" else None
    if found is None:
        return sentence
    msgid, values = found
    return translations(lang).pgettext(ERROR, msgid).format(
        **{k: problem_text(v, lang) if match(v) else v for k, v in values.items()})


def error_text(e: BaseException, lang: str) -> str:
    """The CLI's line for an invalid input: `invalid input: <field>: <sentence>`, the sentence in `lang`."""
    if isinstance(e, CaseError):
        text = f"{e.field}: {problem_text(e.problem, lang)}" if e.field else problem_text(e.problem, lang)
    else:
        text = problem_text(str(e), lang)
    return t(lang, "invalid input") + ": " + text


def case_error_text(e: CaseError, lang: str) -> str:
    """A CaseError's message (`field: sentence`) in `lang`: the localized form of `str(e)`."""
    problem = problem_text(e.problem, lang)
    return f"{e.field}: {problem}" if e.field else problem
