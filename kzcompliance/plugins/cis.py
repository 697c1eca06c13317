"""The CIS regime plugin: visa-free CIS states outside the EAEU, and Uzbekistan's 30-day registration exemption."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ..resources import bundled_dir
from ..seeds import ReferenceData
from ._groups import decide_from_seeds, seed_changes
from .hookspecs import RegimeDecision, hookimpl


@hookimpl(trylast=True)
def kzc_regime(country: str, on: date, ref: ReferenceData) -> RegimeDecision | None:
    return decide_from_seeds(country, on, ref, "cis")


@hookimpl(trylast=True)
def kzc_registration_exempt_days(country: str, regime: RegimeDecision, on: date,
                                 ref: ReferenceData) -> tuple[int, str] | None:
    if country != "UZ":
        return None
    row = ref.parameter("registration.uz_exempt_days", on)
    return (row.value, row.source) if row else None


@hookimpl
def kzc_law_changes(country: str, ref: ReferenceData) -> list[date]:
    return seed_changes(country, ref, ("registration.uz_exempt_days",))


@hookimpl
def kzc_rule_files() -> list[Path]:
    path = bundled_dir("rules") / "cis.yaml"
    return [path] if path.exists() else []
