"""Hook specifications for regime plugins (entry-point group ``kzcompliance.regimes``).

A plugin decides the regime of a citizenship on a date, contributes facts (stay bases,
registration exemptions, work-permit exemptions) and rule files, and may override a built-in rule
by shipping a rule with the same id.

The contract a plugin may rely on, and must keep:
- **First answer wins** for the hooks marked `firstresult` (kzc_regime, kzc_registration_exempt_days,
  kzc_permit_required): pluggy asks the plugins in turn and stops at the first answer that is not None.
  Third-party plugins are asked before the built-ins (whose implementations are all `trylast`), so a
  third-party answer wins; answer None for what is not yours.
- **Answers are cached for the life of the process** (`plugins.decided`), keyed by the arguments and
  the registered implementations: a first-result implementation must depend on its arguments only
  (no clock, no case, no global state that changes), or a register of millions of cases would mix answers.
- **All answers are combined** for kzc_stay_bases (every plugin's bases are added to the documents'
  days; the union counts as lawful) and kzc_rule_files (every file is loaded; a rule id that matches a
  built-in rule replaces it). kzc_stay_bases is asked per trip and is not cached.
- Arguments are keywords; `ref` is the process-wide reference data (read-only). Dates are
  `datetime.date`; countries are ISO 3166-1 alpha-2 codes in capitals, or 'stateless'.
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
        """The regime of citizenship `country` (alpha-2 or 'stateless') on `on`; None if not yours.

        First answer wins; cached per (country, on): decide from the arguments and `ref` alone.
        """

    @hookspec
    def kzc_stay_bases(self, case: "Case", trip: "Trip", regime: RegimeDecision,  # type: ignore[empty-body]
                       ref: "ReferenceData") -> list[StayBasis]:
        """Extra lawful-stay bases for `trip` beyond documents and the visa-free term (e.g. an EAEU contract).

        Every plugin's bases are combined; `regime` is the decision for the trip's entry day. Not cached.
        """

    @hookspec(firstresult=True)
    def kzc_registration_exempt_days(self, country: str, regime: RegimeDecision, on: date,
                                     ref: "ReferenceData") -> Optional[tuple[int, str]]:
        """Days from entry the foreigner needs no registration of their own, with the source; None if not yours.

        First answer wins; cached per (country, regime, on). It frees the foreigner only, never the host's notice.
        """

    @hookspec(firstresult=True)
    def kzc_permit_required(self, country: str, regime: RegimeDecision, on: date) -> Optional[tuple[bool, str]]:
        """Whether work on `on` needs a permit, with the reason; None if not yours.

        First answer wins; cached per (country, regime, on).
        """

    @hookspec
    def kzc_law_changes(self, country: str, ref: "ReferenceData") -> list[date]:  # type: ignore[empty-body]
        """The days on which your answers to kzc_regime, kzc_registration_exempt_days and kzc_permit_required
        for `country` may change. Implementing it promises they are the same on all days between two of
        them, so a register is asked about once per period instead of once per date; without it your
        hooks are asked for every new date."""

    @hookspec
    def kzc_rule_files(self) -> list[Path]:  # type: ignore[empty-body]
        """Rule files (YAML) this plugin adds; a rule whose id matches a built-in one replaces it.

        Every plugin's files are combined; asked when a rulebook is built (once per process by default).
        """
