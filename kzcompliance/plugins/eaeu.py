"""The EAEU regime plugin: membership by accession date, the contract-term stay of EAEU workers,
the 30-day registration exemption and the work-permit exemption (EAEU Treaty art. 97)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..case import Case, Trip
from ..resources import bundled_dir
from ..seeds import ReferenceData
from ._groups import decide_from_seeds, seed_changes
from .contracts import TREATY, contract_bases
from .hookspecs import RegimeDecision, StayBasis, hookimpl


@hookimpl(trylast=True)
def kzc_regime(country: str, on: date, ref: ReferenceData) -> RegimeDecision | None:
    return decide_from_seeds(country, on, ref, "eaeu")


@hookimpl
def kzc_stay_bases(case: Case, trip: Trip, regime: RegimeDecision, ref: ReferenceData) -> list[StayBasis]:
    """An EAEU worker stays for the employment contract's term; a contract ending after 90 days from
    entry leaves 15 days to sign a new one (plugins.contracts, compiled)."""
    return contract_bases(case, trip, regime, ref)


@hookimpl(trylast=True)
def kzc_registration_exempt_days(country: str, regime: RegimeDecision, on: date,
                                 ref: ReferenceData) -> tuple[int, str] | None:
    if regime.regime != "eaeu":
        return None
    row = ref.parameter("registration.eaeu_exempt_days", on)
    return (row.value, row.source) if row else None


@hookimpl(trylast=True)
def kzc_permit_required(country: str, regime: RegimeDecision, on: date) -> tuple[bool, str] | None:
    if regime.regime != "eaeu":
        return None
    return False, f"{TREATY}: EAEU citizens need no work permit"


@hookimpl
def kzc_law_changes(country: str, ref: ReferenceData) -> list[date]:
    return seed_changes(country, ref, ("registration.eaeu_exempt_days",))


@hookimpl
def kzc_rule_files() -> list[Path]:
    path = bundled_dir("rules") / "eaeu.yaml"
    return [path] if path.exists() else []
