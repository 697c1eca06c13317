"""The EAEU worker's stay bases (EAEU Treaty art. 97): the employment contracts' terms, which the eaeu plugin's
kzc_stay_bases answers. Its own module so that the compiled build compiles it: the hook is asked for every trip
of a case, where the plugin, a hook implementation for pluggy, stays Python and only hands the call on."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

from .hookspecs import RegimeDecision, StayBasis

if TYPE_CHECKING:
    from ..case import Case, Trip
    from ..seeds import ReferenceData

TREATY: Final = "EAEU Treaty of 2014-05-29 art. 97"
CONTRACT_SOURCE: Final = f"{TREATY} (contract term)"


def contract_bases(case: Case, trip: Trip, regime: RegimeDecision, ref: ReferenceData) -> list[StayBasis]:
    """An EAEU worker stays for the employment contract's term; a contract ending after 90 days from
    entry leaves 15 days to sign a new one (seeds parameters eaeu.contract_grace_days and _after_days)."""
    if regime.regime != "eaeu":
        return []
    jobs = case.employment
    if not jobs:
        return []
    entry: date = trip.entry
    tables = ref.parameter_on  # ReferenceData.parameter, asked of its tables directly (Context.parameter says why)
    grace_on, after_on = tables.get("eaeu.contract_grace_days"), tables.get("eaeu.contract_grace_after_days")
    grace = grace_on.at(entry) if grace_on is not None else None
    after = after_on.at(entry) if after_on is not None else None
    bases: list[StayBasis] = []
    for job in jobs:
        values = job.__dict__  # its fields, read from the dict (registration.StayFields says why)
        until: date | None = values["end"]
        if until is not None and grace is not None and after is not None and (until - entry).days >= after.value:
            until = until + timedelta(days=grace.value)
        bases.append(contract_basis(values["start"], until))
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


CONTRACTS_KEPT: Final = 1 << 14
_contracts: dict[tuple[date, date | None], StayBasis] = {}
