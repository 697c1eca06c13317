"""The law's own names in each language: the acts cited (seeds/legal_acts.yaml), legal-basis lines, regime names."""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

from ..resources import bundled_dir, load_yaml
from .catalog import N_, t, translations

LEGAL_BASIS = "legal basis"  # the gettext context of the rules' legal-basis lines

REGIMES = {"eaeu": N_("EAEU citizen"), "cis": N_("CIS visa-free"), "visa_free": N_("visa-free"),
           "visa_required": N_("visa required")}


class Act(BaseModel):
    """One act cited by the rules: its short and full official names per language, and where they were read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    short: dict[str, str]
    name: dict[str, str]
    url: Optional[str] = None
    source: str = Field(min_length=1)
    verified: bool


class ActsFile(BaseModel):
    """seeds/legal_acts.yaml: the acts the rules cite, named in each language."""

    model_config = ConfigDict(extra="forbid")

    acts: list[Act]


@lru_cache(maxsize=1)
def acts() -> tuple[Act, ...]:
    """The catalogue of acts, longest English short name first (so a longer citation wins a match)."""
    with open(bundled_dir("seeds") / "legal_acts.yaml", encoding="utf-8") as f:
        found = ActsFile.model_validate(load_yaml(f)).acts
    return tuple(sorted(found, key=lambda a: -len(a.short["en"])))


def acts_cited(basis: str) -> list[Act]:
    """The acts an English legal-basis line names."""
    out: list[Act] = []
    rest = basis
    for act in acts():
        if act.short["en"] in rest:
            out.append(act)
            rest = rest.replace(act.short["en"], "\0")
    return out


@lru_cache(maxsize=4096)
def legal_basis(basis: str, lang: str) -> str:
    """A rule's legal-basis line in `lang` (a rule from a plugin or an extra file without a translation: as written).
    Remembered (bounded, thread-safe): every violation's report cites its rule's lines anew."""
    return translations(lang).pgettext(LEGAL_BASIS, basis)


def has_translation(basis: str, lang: str) -> bool:
    """Whether the catalogue of `lang` translates the legal-basis line (English needs none)."""
    return lang == "en" or legal_basis(basis, lang) != basis


def regime_name(regime: str, lang: str) -> str:
    """The report's regime label as a name in `lang` (an unknown plugin's label as it is)."""
    return t(lang, REGIMES[regime]) if regime in REGIMES else regime
