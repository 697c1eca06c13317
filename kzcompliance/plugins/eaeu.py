"""The EAEU regime plugin: membership by accession date, the contract-term stay of EAEU workers,
the 30-day registration exemption and the work-permit exemption (EAEU Treaty art. 97)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from ..case import Case, Trip
from ..resources import bundled_dir
from ..seeds import ReferenceData
from ._groups import decide_from_seeds, seed_changes
from .hookspecs import RegimeDecision, StayBasis, hookimpl

TREATY = "EAEU Treaty of 2014-05-29 art. 97"
CONTRACT_SOURCE = f"{TREATY} (contract term)"


@hookimpl(trylast=True)
def kzc_regime(country: str, on: date, ref: ReferenceData) -> RegimeDecision | None:
    return decide_from_seeds(country, on, ref, "eaeu")


@hookimpl
def kzc_stay_bases(case: Case, trip: Trip, regime: RegimeDecision, ref: ReferenceData) -> list[StayBasis]:
    """An EAEU worker stays for the employment contract's term; a contract ending after 90 days from
    entry leaves 15 days to sign a new one."""
    if regime.regime != "eaeu" or not case.employment:
        return []
    grace = ref.parameter("eaeu.contract_grace_days", trip.entry)
    after = ref.parameter("eaeu.contract_grace_after_days", trip.entry)
    bases = []
    for job in case.employment:
        until = job.end
        if until is not None and grace and after and (until - trip.entry).days >= after.value:
            until = until + timedelta(days=grace.value)
        bases.append(contract_basis(job.start, until))
    return bases


def contract_basis(start: date, until: date | None) -> StayBasis:
    """The stay basis of a contract from `start` to `until`: built once per process and shared (StayBasis is
    frozen), since a frozen dataclass costs about 2 µs to build and a check asks for one per job on every trip of
    an EAEU worker. Bounded: at most CONTRACTS_KEPT, emptied when full; safe under the GIL (two threads building
    the same basis at once keep equal ones)."""
    key = (start, until)
    found = _contracts.get(key)
    if found is None:
        if len(_contracts) >= CONTRACTS_KEPT:
            _contracts.clear()
        found = _contracts[key] = StayBasis(kind="eaeu_contract", start=start, until=until, source=CONTRACT_SOURCE)
    return found


CONTRACTS_KEPT = 1 << 14
_contracts: dict[tuple[date, date | None], StayBasis] = {}


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
