"""Error sentences in a language: the English sentence is matched against the catalogue's error templates.

Errors are raised with English sentences (the field path and values in them are data); a template such as
`{value} is not one of {options}` in the `error` context of the .po files turns one back into its translation,
each filled-in value itself translated when it is a known fragment (e.g. pydantic's "input is too short").
A sentence no template matches is shown as raised; the tests check that every sentence they provoke matches.
A template with a plural form (`{limit} level` / `{limit} levels`) counts its first field, a whole number: the
translation takes the language's plural form for it (CLDR, the .po file's Plural-Forms, as `tn` does).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Union

from ..errors import CaseError
from .catalog import read_catalog, t, translations

ERROR = "error"  # the gettext context of error sentences and fragments
_FIELD = re.compile(r"\{(\w+)\}")
_CONVERSION = re.compile(r"\{(\w+)![rsa]\}")


def template_id(template: str) -> str:
    """The catalogue's message id of an English template such as errors.PROBLEMS': `{value!r}` is `{value}`
    there (the quotes the conversion adds are part of the value the sentence is matched to)."""
    return _CONVERSION.sub(r"{\1}", template)


MsgId = Union[str, tuple[str, str]]  # a template's message id: its text, or its singular and plural forms


def _count(msgid: tuple[str, str]) -> str:
    """The field a plural template counts: its first."""
    return _FIELD.findall(msgid[1])[0]


def _pattern(form: str, count: Optional[str]) -> re.Pattern[str]:
    """An error template's text as a regex, its fields as named groups (the `count` field a whole number)."""
    parts = _FIELD.split(form)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else rf"(?P<{p}>\d+)" if p == count else f"(?P<{p}>.+?)"
                              for i, p in enumerate(parts)), re.DOTALL)


@lru_cache(maxsize=None)
def _templates() -> tuple[tuple[re.Pattern[str], MsgId], ...]:
    """Each form of each error template as a regex with its message id, the most literal text first."""
    out: list[tuple[int, re.Pattern[str], MsgId]] = []
    for m in read_catalog("ru"):
        if m.context != ERROR or not m.id:
            continue
        msgid: MsgId = m.id if isinstance(m.id, str) else (m.id[0], m.id[1])
        forms = (msgid,) if isinstance(msgid, str) else msgid
        count = None if isinstance(msgid, str) else _count(msgid)
        out.extend((-len(_FIELD.sub("", form)), _pattern(form, count), msgid) for form in forms)
    return tuple((rx, msgid) for _length, rx, msgid in sorted(out, key=lambda o: o[0]))


def match(sentence: str) -> Optional[tuple[MsgId, dict[str, str]]]:
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
    catalogue = translations(lang)
    if isinstance(msgid, str):
        text = catalogue.pgettext(ERROR, msgid)
    else:
        text = catalogue.npgettext(ERROR, msgid[0], msgid[1], int(values[_count(msgid)]))
    return text.format(**{k: problem_text(v, lang) if match(v) else v for k, v in values.items()})


def headed_text(head: str, problem: str, lang: str) -> str:
    """`head: problem` (the problem alone when `head` is empty), the problem in `lang`: how an error names the
    field, file or part of a request it is about."""
    text = problem_text(problem, lang)
    return f"{head}: {text}" if head else text


def error_text(e: BaseException, lang: str) -> str:
    """The CLI's line for an invalid input: `invalid input: <field>: <sentence>`, the sentence in `lang`."""
    text = case_error_text(e, lang) if isinstance(e, CaseError) else problem_text(str(e), lang)
    return t(lang, "invalid input") + ": " + text


def case_error_text(e: CaseError, lang: str) -> str:
    """A CaseError's message (`field: sentence`) in `lang`: the localized form of `str(e)`."""
    return headed_text(e.field, e.problem, lang)
