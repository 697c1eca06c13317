"""The report a check returns (docs/case-format.md, "Report"), as pydantic models."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

Subject = Literal["foreigner", "host", "employer"]
OutcomeKind = Literal["violation", "obligation", "finding"]
CheckOutcome = Literal["violation", "obligation", "finding", "not fired", "not in force"]


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
    fine_mrp: Optional[int] = Field(
        description="Fine in MRP for the tier; 0 where there is none; null where the figure is not known")
    fine_kzt: Optional[int] = Field(description="fine_mrp x mrp; null where the fine is not known")
    mrp: int = Field(description="MRP in tenge in force on as_of")
    mrp_from: date = Field(description="The date that MRP took effect")
    expulsion: bool
    expulsion_possible: bool = Field(description="The court may add expulsion (e.g. 517-4)")
    entry_ban_years: int
    entry_ban_years_if_expelled: int = 0
    verified: bool = Field(description="False where the brief marks the figure or the MRP unverified, or the MRP "
                                       "is carried past the last year the tables know")
    source: str
    note: Optional[str] = Field(default=None, description="Which figure was carried forward past its table's end "
                                "(e.g. the 2026 MRP used for 2027), in the report's language")
    invitation_ban_years: int = Field(default=0, description="Years the subject may not invite foreigners "
                                                             "(518 p.3 for a business); 0: none")
    arrest_days_max: Optional[int] = Field(default=None, description="Administrative arrest up to this many days "
                                                                     "is also possible; null: none named")


class _RuleOutcome(_Model):
    """What a fired rule established about one subject, from the date it began."""

    rule: str
    subject: Subject
    subject_id: Optional[str] = None
    since: date
    message: str
    facts: dict[str, Any]
    legal_basis: list[str]
    verified: bool = Field(description="False where the rule itself rests on an unverified reading of the law")


class Violation(_RuleOutcome):
    """An offence, with the KoAP sanction for the liable subject's tier."""

    sanction: Sanction


class Obligation(_Model):
    kind: str = Field(description="leave_by, register_by, renew_permit_by, obtain_permit, or a rule's own")
    subject: Subject
    subject_id: Optional[str] = None
    due: date
    rule: str
    message: str


class Finding(_RuleOutcome):
    """Something that is no offence in itself but has a legal consequence, e.g. a local-staff ratio below
    the minimum, which blocks new and extended IRS permits (kind `permit_blocked`)."""

    kind: str = Field(description="permit_blocked, or a rule's own")


class Unchecked(_Model):
    check: str
    needs: str
    can_find_violation: bool = Field(default=True, description="False for checks that only aggravate a violation "
                                     "already found or set its fine tier; a skipped true one leaves the verdict "
                                     "undetermined")


class Assumption(_Model):
    """A case item judged on an assumption because the law tables do not cover its dates; the violations
    on it are marked unverified."""

    ref: str = Field(description="The case item, e.g. trips[0]")
    kind: str = Field(description="before_law_start, calendar_carried_forward, or a check's own")
    message: str


class LawFigure(_Model):
    """A figure of law a check relied on (a stay term, a deadline, a fine, the MRP), with its period and source."""

    name: str
    value: Any
    valid_from: Optional[date] = None
    valid_until: Optional[date] = None
    source: str
    url: Optional[str] = Field(default=None, description="Where the act cited can be read (docs/sources.md)")
    verified: bool


class RuleCheck(_Model):
    """One rule evaluated on one fact: what came of it and, when nothing did, which parts of its condition failed."""

    rule: str
    outcome: CheckOutcome
    condition: dict[str, Any] = Field(description="The rule's `when`, as written in its file")
    failed: list[dict[str, Any]] = Field(default_factory=list,
                                         description="The parts of `condition` (the items of a top-level $and) "
                                                     "that are false on the fact")
    in_force_from: date
    in_force_until: Optional[date] = None


class FactTrace(_Model):
    """A derived fact, the figures of law it was derived with, and every rule for its kind."""

    ref: str
    kind: str
    on: date = Field(description="The date the duty arose; rules are matched by the law in force on it")
    values: dict[str, Any]
    figures: list[LawFigure]
    rules: list[RuleCheck]


class Outcome(_Model):
    """Why one violation, obligation or finding is in the report: the rule, its condition, the facts and law used."""

    rule: str
    rule_file: str
    ref: str
    outcome: OutcomeKind
    result: str = Field(description="The sanction code, the obligation's kind or the finding's kind")
    on: date = Field(description="A violation's or finding's `since`, an obligation's `due`")
    condition: dict[str, Any]
    grade: Optional[dict[str, Any]] = Field(default=None, description="The sanction grade's condition, if graded")
    facts_used: dict[str, Any] = Field(description="The fact fields the rule read (null: not known)")
    figures: list[LawFigure]
    legal_basis: list[str]


class RegimeTrace(_Model):
    regime: str
    group: str
    plugin: str
    on: date
    source: str
    verified: bool


class Trace(_Model):
    """How a check reached its report (`check(..., trace=True)`, `kzcompliance explain`)."""

    engine: str
    regime: RegimeTrace
    outcomes: list[Outcome]
    facts: list[FactTrace]


class Report(_Model):
    as_of: date
    law_version: str = Field(description="The date whose law in force was applied (as_of)")
    regime: str
    compliant: Optional[bool] = Field(description="true: no violation and every check that could find one ran; "
                                      "false: a violation was found; null: undetermined (no violation found, but "
                                      "a check that could find one was skipped)")
    unchecked: list[Unchecked]
    violations: list[Violation]
    obligations: list[Obligation]
    findings: list[Finding] = Field(default_factory=list, description="Findings that are not offences, e.g. a "
                                    "local-staff ratio that blocks new permits")
    fines_total_kzt: int = Field(description="Sum of the known fines in tenge")
    fines_unknown: int = Field(description="How many violations carry a fine whose figure is not known")
    engine: str = Field(description="The rule engine that evaluated the rules: durable or python")
    assumptions: list[Assumption] = Field(default_factory=list, description="Case items judged on an assumption "
                                          "where the law tables do not cover their dates")
    trace: Optional[Trace] = Field(default=None, description="How the report was reached; only when asked for")

    @property
    def verdict(self) -> str:
        """compliant, violations or undetermined."""
        return "undetermined" if self.compliant is None else "compliant" if self.compliant else "violations"

    @property
    def exit_code(self) -> int:
        """The CLI's exit code for this report: 0 compliant, 1 violations, 3 undetermined."""
        return {"compliant": 0, "violations": 1, "undetermined": 3}[self.verdict]

    def to_json(self, indent: int | None = 2) -> str:
        """The report's JSON; `trace` is left out unless the check was traced. `model_dump_json`'s own, from its
        serializer directly: the batch writes a line per case, and the call's argument handling was a twentieth."""
        return self.__pydantic_serializer__.to_json(self, indent=indent,
                                                    exclude={"trace"} if self.trace is None else None).decode()
