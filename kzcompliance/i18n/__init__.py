"""Languages: the one list of languages (`LANGS`), the one language check, and every text for people in en, ru, kk.

Frame texts (headings, verdicts, units, error sentences) are gettext messages: the English text in the code is
the message id, `locale/<lang>.po` holds its translation (compiled with Babel when first used, see `catalog`).
Numbers, plural forms and dates in running text follow CLDR through Babel (`formats`). Legal bases and the
names of acts are data (`seeds/legal_acts.yaml`, `legal`). Rule messages stay in the rule files.
"""

from __future__ import annotations

from typing import Literal

from ..errors import CaseError

Lang = Literal["en", "ru", "kk"]
LANGS: tuple[Lang, ...] = ("en", "ru", "kk")


def check_lang(lang: str) -> Lang:
    """`lang` if it is one of LANGS, else CaseError naming the `lang` option."""
    if lang not in LANGS:
        raise CaseError("lang", f"{lang!r} is not one of {', '.join(LANGS)}")
    return lang  # type: ignore[return-value]


from .catalog import N_, t, tn  # noqa: E402  (the catalogue needs LANGS)
from .formats import long_date, number, tenge  # noqa: E402

__all__ = ["LANGS", "Lang", "N_", "check_lang", "long_date", "number", "t", "tenge", "tn"]
