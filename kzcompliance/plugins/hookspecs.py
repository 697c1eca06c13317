"""Hook specifications for regime plugins (entry-point group ``kzcompliance.regimes``).

A plugin decides the regime of a citizenship on a date, contributes facts (stay bases,
registration exemptions, work-permit exemptions) and rule files, and may override a built-in rule
by shipping a rule with the same id. Third-party plugins run before the built-ins, so their answer
wins where a hook takes the first result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import pluggy

if TYPE_CHECKING:
    from ..case import Case, Trip
    from ..seeds import ReferenceData

PROJECT = "kzcompliance"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@dataclass(frozen=True)
class StayTerms:
    """Visa-free terms of one regime on a date; `cap_from` is when the cap's counting starts."""

    per_entry_days: Optional[int]
    cap_days: Optional[int]
    window_days: Optional[int]
    cap_from: Optional[date]
    source: str
    verified: bool
    valid_from: date


@dataclass(frozen=True)
class RegimeDecision:
    """The regime label for the report, the group it came from, its stay terms and provenance."""

    regime: str
    group: str
    terms: Optional[StayTerms]
    plugin: str
    source: str
    verified: bool


@dataclass(frozen=True)
class StayBasis:
    """Days a plugin makes lawful (both ends included; `until=None` open-ended), e.g. an EAEU contract."""

    kind: str
    start: date
    until: Optional[date]
    source: str


class RegimeSpec:
    @hookspec(firstresult=True)
    def kzc_regime(self, country: str, on: date, ref: "ReferenceData") -> Optional[RegimeDecision]:
        """The regime of citizenship `country` (alpha-2 or 'stateless') on `on`; None if not yours."""

    @hookspec
    def kzc_stay_bases(self, case: "Case", trip: "Trip", regime: RegimeDecision,  # type: ignore[empty-body]
                       ref: "ReferenceData") -> list[StayBasis]:
        """Extra lawful-stay bases for `trip` beyond documents and the visa-free term."""

    @hookspec(firstresult=True)
    def kzc_registration_exempt_days(self, country: str, regime: RegimeDecision, on: date,
                                     ref: "ReferenceData") -> Optional[tuple[int, str]]:
        """Days from entry without registration, with the source; None if not yours."""

    @hookspec(firstresult=True)
    def kzc_permit_required(self, country: str, regime: RegimeDecision, on: date) -> Optional[tuple[bool, str]]:
        """Whether work needs a permit, with the reason; None if not yours."""

    @hookspec
    def kzc_law_changes(self, country: str, ref: "ReferenceData") -> list[date]:  # type: ignore[empty-body]
        """The days on which your answers to kzc_regime, kzc_registration_exempt_days and kzc_permit_required
        for `country` may change. Implementing it promises they are the same on all days between two of
        them, so a register is asked about once per period instead of once per date; without it your
        hooks are asked for every new date."""

    @hookspec
    def kzc_rule_files(self) -> list[Path]:  # type: ignore[empty-body]
        """Rule files (YAML) this plugin adds; a rule whose id matches a built-in one replaces it."""
