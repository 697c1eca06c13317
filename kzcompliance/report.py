"""The report a check returns (../shared/spec/case-format.md, "Report"), as pydantic models."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

Subject = Literal["foreigner", "host", "employer"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sanction(_Model):
    """What a violation carries under KoAP for the liable subject's tier."""

    code: str = Field(description="KoAP ARTICLE-PART or ARTICLE-PART.ITEM, e.g. 517-3.2")
    article: int
    part: int
    item: Optional[int] = None
    title: str = Field(description="The offence as the catalogue names it, in the report's language")
    tier: str = Field(description="individual, official, small, nonprofit, medium, large, or unknown")
    warning: bool
    fine_mrp: Optional[int] = Field(description="Fine in MRP for the tier; 0 where there is none; null where the figure is not known")
    fine_kzt: Optional[int] = Field(description="fine_mrp x mrp; null where the fine is not known")
    mrp: int = Field(description="MRP in tenge in force on as_of")
    mrp_from: date = Field(description="The date that MRP took effect")
    expulsion: bool
    expulsion_possible: bool = Field(description="The court may add expulsion (e.g. 517-4)")
    entry_ban_years: int
    entry_ban_years_if_expelled: int = 0
    verified: bool = Field(description="False where the brief marks the figure or the MRP unverified")
    source: str


class Violation(_Model):
    rule: str
    subject: Subject
    subject_id: Optional[str] = None
    since: date
    message: str
    facts: dict[str, Any]
    legal_basis: list[str]
    sanction: Sanction
    verified: bool = Field(description="False where the rule itself rests on an unverified reading of the law")


class Obligation(_Model):
    kind: str = Field(description="leave_by, register_by, renew_permit_by, obtain_permit, or a rule's own")
    subject: Subject
    subject_id: Optional[str] = None
    due: date
    rule: str
    message: str


class Unchecked(_Model):
    check: str
    needs: str


class Report(_Model):
    as_of: date
    law_version: str = Field(description="The date whose law in force was applied (as_of)")
    regime: str
    compliant: bool
    unchecked: list[Unchecked]
    violations: list[Violation]
    obligations: list[Obligation]
    fines_total_kzt: int = Field(description="Sum of the known fines in tenge")
    fines_unknown: int = Field(description="How many violations carry a fine whose figure is not known")
    engine: str = Field(description="The rule engine that evaluated the rules: durable or python")

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)
