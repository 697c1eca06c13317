"""The gettext catalogues: `locale/<lang>.po` read and compiled to .mo with Babel when a language is first used.

Compiling at load time (not at build) means an editable install, a wheel and a source checkout all read the
same .po files with no build step to remember. English is the message ids themselves. Adding a message: write
`t(lang, "English text {name}", name=...)` in the code and one entry per .po file (README, "Languages").
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from importlib import resources
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from babel.messages.catalog import Catalog


CHECK = "check"  # the gettext context of the names of checks that did not run (`Context.skip`)
PAGE = "page"  # the gettext context of the service page's texts (server/page_texts.py)


def N_(msgid: str) -> str:
    """Marks a message id for extraction where it is translated later (e.g. in a table of names)."""
    return msgid


def P_(msgid: str) -> str:
    """Marks a text of the service page (context PAGE) for extraction; the server translates it with pgettext."""
    return msgid


def po_text(lang: str) -> str:
    """The .po file of `lang` as text (a package resource)."""
    return resources.files(__package__).joinpath("locale", f"{lang}.po").read_text(encoding="utf-8")


def read_catalog(lang: str) -> Catalog:
    """The .po file of `lang` parsed by Babel."""
    return read_po(io.StringIO(po_text(lang)), locale=lang)


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of `lang` (English: the message ids)."""
    if lang == "en":
        return gettext.NullTranslations()
    buf = io.BytesIO()
    write_mo(buf, read_catalog(lang))
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def t(lang: str, msgid: str, **values: Any) -> str:
    """`msgid` in `lang`, its `{name}` fields filled from `values`."""
    text = translations(lang).gettext(msgid)
    return text.format(**values) if values else text


def tn(lang: str, singular: str, plural: str, n: int, **values: Any) -> str:
    """The CLDR plural form of `lang` for `n` ("1 день", "2 дня", "5 дней"); `{n}` is `n` formatted."""
    from .formats import number

    return translations(lang).ngettext(singular, plural, n).format(n=number(n, lang), **values)
