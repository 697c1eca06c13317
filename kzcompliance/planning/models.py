"""The plan's answer as pydantic models; the field names of `now`, `entry`, `earliest`, `itinerary` and
`timeline` are the public JSON contract (language-neutral: reasons are codes, texts come from render)."""

from __future__ import annotations

from datetime import date as Date
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from ..report import Sanction, Unchecked

# What sets a planned stay's limit: the stay-limit bases of `check` (visa_free_entry, visa_free_cap,
# document, eaeu_contract, unlimited), or why there is no lawful day (cap_used_up, visa_required),
# or undetermined (a list the answer needs was left out of the case).
Reason = Literal["visa_free_entry", "visa_free_cap", "document", "eaeu_contract", "unlimited", "cap_used_up",
                 "visa_required", "longer_than_term", "undetermined"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class History(_Model):
    """What `check` says of the case as it stands: compliant is null (undetermined) when a check did not run."""

    compliant: Optional[bool]
    violations: int
    unchecked: list[Unchecked]


class Now(_Model):
    in_country: Optional[bool] = Field(description="A trip is under way on as_of (null: the case leaves out trips)")
    leave_by: Optional[Date] = Field(description="The last lawful day of the stay under way (null: not in the "
                                     "country, no end, or not known)")
    days_used: Optional[int] = Field(description="Visa-free days in the rolling window ending as_of (null: no cap)")
    days_left: Optional[int] = Field(description="cap_days - days_used, at least 0")
    window_days: Optional[int]
    cap_days: Optional[int]
    frees_on: Optional[Date] = Field(default=None, description="The next day on which a counted day leaves the "
                                     "window (null: none counted)")
    determined: bool = Field(default=True, description="False when the case leaves out data the stay limit needs")
    basis: Optional[str] = Field(default=None, description="In the country: what sets the stay's limit, as `check` "
                                 "names it (visa_free_entry, visa_free_cap, document, eaeu_contract, unlimited, none)")
    detail: Optional[str] = Field(default=None, description="The document type or basis kind behind `basis`")


class Entry(_Model):
    date: Date
    leave_by: Optional[Date] = Field(description="The last lawful day of a stay entering on `date` (null: no end, "
                                     "no lawful day, or not known)")
    days: Optional[int] = Field(description="Lawful days in a row from `date`, both ends counted (null: no limit, "
                                "or not known)")
    reason: Reason
    detail: Optional[str] = Field(default=None, description="The document type or basis that sets the limit")
    cap_days: Optional[int] = None
    window_days: Optional[int] = None
    possible_from: Optional[Date] = Field(default=None, description="With 0 days: the first later entry date "
                                          "that gives at least one lawful day (null: none without a document)")


class Earliest(_Model):
    days: int = Field(description="The lawful days in a row asked for")
    date: Optional[Date] = Field(description="The earliest entry giving them (null: none does)")
    leave_by: Optional[Date] = Field(description="The last lawful day entering on `date` (null: no end, or no date)")
    start: Date = Field(description="The search began on this day")
    reason: Optional[Reason] = Field(default=None, description="Why no entry gives them (date null)")
    longest: Optional[int] = Field(default=None, description="With no date: the most lawful days in a row the "
                                   "last entry searched gives")


class PlannedTrip(_Model):
    entry: Date
    exit: Optional[Date]
    lawful: Optional[bool] = Field(description="No overstay on the trip as planned (an open-ended trip: only when "
                                   "its stay has no end); null: not known")
    last_lawful_day: Optional[Date] = Field(description="The last lawful day of a stay entering on `entry` "
                                            "(null: no end, or not known)")
    overstay_days: Optional[int] = Field(description="Days past the lawful term, as planned (null: open-ended or "
                                         "not known)")
    sanction: Optional[Sanction] = Field(description="The sanction the trip's overstay would carry, as `check` "
                                         "reports it")
    reason: Reason


class Day(_Model):
    date: Date
    days_in_window: Optional[int] = Field(description="Visa-free days counted in the window ending on `date` "
                                          "(null: no cap applies)")
    cap_days: Optional[int] = None


class PlanReport(_Model):
    as_of: Date
    regime: str
    history: History
    now: Now
    entry: Optional[Entry] = None
    earliest: Optional[Earliest] = None
    itinerary: list[PlannedTrip] = Field(default_factory=list)
    timeline: list[Day]
    leaves_on: Optional[Date] = Field(default=None, description="When in the country: the day the stay under way "
                                      "is taken to end for the planned entries and the timeline")

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)
