"""The general regime plugin: visa-free states outside the CIS and EAEU, and visa-required for everyone else."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..resources import bundled_dir
from ..seeds import ReferenceData
from ._groups import decide_from_seeds, seed_changes
from .hookspecs import RegimeDecision, hookimpl

VISA_REQUIRED_SOURCE = "Rules of entry (Decree No. 148): a visa is required unless a regime says otherwise (brief s.1)"


@hookimpl(trylast=True)
def kzc_regime(country: str, on: date, ref: ReferenceData) -> RegimeDecision | None:
    decision = decide_from_seeds(country, on, ref, "general")
    if decision is not None:
        return decision
    return RegimeDecision(regime="visa_required", group="visa_required", terms=None, plugin="general",
                          source=VISA_REQUIRED_SOURCE, verified=True)


@hookimpl(trylast=True)
def kzc_permit_required(country: str, regime: RegimeDecision, on: date) -> tuple[bool, str] | None:
    return True, "Law on population migration No. 477-IV: foreigners work with a permit (brief s.4)"


@hookimpl
def kzc_law_changes(country: str, ref: ReferenceData) -> list[date]:
    return seed_changes(country, ref)


@hookimpl
def kzc_rule_files() -> list[Path]:
    return sorted(p for p in bundled_dir("rules").glob("*.yaml") if p.stem not in ("eaeu", "cis"))
