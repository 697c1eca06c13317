"""The case: one foreign national, their trips, documents, stays, hosts, jobs and employers.

This is the public contract of ../shared/spec/case-format.md as strict pydantic models: unknown
fields, impossible dates, overlapping trips, exit before entry, a Kazakh citizen or an unknown
country code are errors naming the field. A list left out (None) means "not known"; an empty
list means "none".
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, Literal, Optional

import pycountry
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .limits import MAX_COUNT, MAX_ITEMS, MAX_TEXT, parse_date

IsoDate = Annotated[date, BeforeValidator(parse_date)]  # within limits.DATE_MIN..DATE_MAX
Purpose = Literal["private", "tourism", "business", "work", "study", "family", "medical", "transit",
                  "official", "other"]
DocumentType = Literal["visa", "temporary_residence_permit", "permanent_residence_permit", "work_permit",
                       "labour_immigrant_permit", "qualification_certificate", "refugee_certificate"]
PermitCategory = Literal["1", "2", "3", "4", "seasonal", "ict"]
Size = Literal["small", "medium", "large", "nonprofit", "official"]
STATELESS = "stateless"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True,
                              str_strip_whitespace=True, str_max_length=MAX_TEXT)


@lru_cache(maxsize=1024)
def normalise_citizenship(value: str) -> str:
    """ISO alpha-2 or alpha-3 in any case -> upper alpha-2; 'stateless' stays; KZ and unknown codes fail."""
    text = value.strip()
    if text.lower() == STATELESS:
        return STATELESS
    country = None
    if len(text) == 2:
        country = pycountry.countries.get(alpha_2=text.upper())
    elif len(text) == 3:
        country = pycountry.countries.get(alpha_3=text.upper())
    if country is None:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 or alpha-3 country code (or 'stateless')")
    if country.alpha_2 == "KZ":
        raise ValueError(f"{value!r} is Kazakhstan: a Kazakh citizen is not a foreigner, and this library checks foreign nationals only")
    return str(country.alpha_2)


def _not_before(end: Optional[date], end_name: str, start: date, start_name: str) -> None:
    """An optional end date may not fall before its start; the error names the end field."""
    if end is not None and end < start:
        raise ValueError(f"{end_name}: {end} is before {start_name} {start}")


class Person(_Model):
    citizenship: str = Field(description="ISO 3166-1 alpha-2/alpha-3 code, any case, or 'stateless'")
    name: Optional[str] = None

    @field_validator("citizenship")
    @classmethod
    def _code(cls, v: str) -> str:
        return normalise_citizenship(v)


class Trip(_Model):
    entry: IsoDate
    exit: Optional[IsoDate] = None
    purpose: Optional[Purpose] = None

    @model_validator(mode="after")
    def _exit_after_entry(self) -> "Trip":
        _not_before(self.exit, "exit", self.entry, "entry")
        return self


class Document(_Model):
    type: DocumentType
    valid_from: IsoDate
    valid_until: Optional[IsoDate] = None
    visa_type: Optional[str] = None
    purpose: Optional[Purpose] = None
    category: Optional[PermitCategory] = None
    employer: Optional[str] = None
    region: Optional[str] = None
    tax_paid_until: Optional[IsoDate] = None
    number: Optional[str] = None

    @model_validator(mode="after")
    def _consistent(self) -> "Document":
        if self.valid_until is None and self.type not in ("permanent_residence_permit",):
            raise ValueError(f"valid_until: required for a {self.type} (only permanent documents may omit it)")
        _not_before(self.valid_until, "valid_until", self.valid_from, "valid_from")
        if self.type == "work_permit":
            if self.category is None:
                raise ValueError("category: a work_permit needs its IRS category ('1'-'4', 'seasonal' or 'ict')")
            if not self.employer:
                raise ValueError("employer: a work_permit is issued to one employer; give its id")
        elif self.category is not None:
            raise ValueError(f"category: only a work_permit has an IRS category, not a {self.type}")
        return self


class Stay(_Model):
    host: Optional[str] = None
    from_: IsoDate = Field(alias="from")
    to: Optional[IsoDate] = None
    registered_on: Optional[IsoDate] = None
    address: Optional[str] = None
    host_confirmed_on: Optional[IsoDate] = Field(
        default=None, description="From 2026-07-01: the date the host confirmed the foreigner's online registration "
                                  "in the app (null: not known, taken as part of the registration)")

    @model_validator(mode="after")
    def _order(self) -> "Stay":
        _not_before(self.to, "to", self.from_, "from")
        _not_before(self.registered_on, "registered_on", self.from_, "from (the arrival)")
        return self


class Host(_Model):
    id: str = Field(min_length=1)
    type: Literal["individual", "legal_entity", "hotel"]
    size: Optional[Size] = None

    @model_validator(mode="after")
    def _size(self) -> "Host":
        if self.type == "individual" and self.size not in (None,):
            raise ValueError("size: an individual host has no size (sizes are for legal entities and hotels)")
        if self.type != "individual" and self.size is None:
            raise ValueError(f"size: required for a {self.type} host (small, medium, large, nonprofit or official): it selects the fine")
        return self


class Secondment(_Model):
    """A posting of the worker to another region, both ends included (`to` null: still going on)."""

    region: str = Field(min_length=1)
    from_: IsoDate = Field(alias="from")
    to: Optional[IsoDate] = None

    @model_validator(mode="after")
    def _order(self) -> "Secondment":
        _not_before(self.to, "to", self.from_, "from")
        return self


class Employment(_Model):
    employer: str = Field(min_length=1)
    start: IsoDate
    end: Optional[IsoDate] = None
    category: Optional[PermitCategory] = None
    region: Optional[str] = None
    secondments: Optional[list[Secondment]] = Field(
        default=None, max_length=MAX_ITEMS, description="Postings to other regions; an IRS permit allows 90 days a year outside its region")

    @model_validator(mode="after")
    def _order(self) -> "Employment":
        _not_before(self.end, "end", self.start, "start")
        for i, s in enumerate(self.secondments or []):
            if s.from_ < self.start or (self.end is not None and (s.to is None or s.to > self.end)):
                raise ValueError(f"secondments[{i}]: {s.from_} to {s.to or 'open'} is outside the job "
                                 f"({self.start} to {self.end or 'open'})")
        if self.secondments:
            _overlap_error("secondments", [(i, s.from_, s.to) for i, s in enumerate(self.secondments)])
        return self


class StaffCount(_Model):
    local: int = Field(ge=0, le=MAX_COUNT, description="Kazakh citizens")
    foreign: int = Field(ge=0, le=MAX_COUNT)
    ict: Optional[int] = Field(default=None, ge=0, le=MAX_COUNT, description="Of `foreign`, how many are intra-corporate transferees")

    @model_validator(mode="after")
    def _ict_within_foreign(self) -> "StaffCount":
        if self.ict is not None and self.ict > self.foreign:
            raise ValueError(f"ict: {self.ict} intra-corporate transferees but only {self.foreign} foreign staff")
        return self


class Employer(_Model):
    id: str = Field(min_length=1)
    type: Literal["individual", "legal_entity"]
    size: Optional[Size] = None
    staff: Optional[dict[PermitCategory, StaffCount]] = None
    branch: Optional[bool] = Field(
        default=None, description="A branch or representative office of a foreign legal entity (small ones are "
                                  "exempt from the local-staff ratio)")

    @model_validator(mode="after")
    def _size(self) -> "Employer":
        if self.type == "individual" and self.size is not None:
            raise ValueError("size: an individual (household) employer has no size")
        if self.type == "legal_entity" and self.size is None:
            raise ValueError("size: required for a legal_entity employer (small, medium, large, nonprofit or official): it selects the fine")
        return self


class PriorOffence(_Model):
    code: str = Field(pattern=r"^\d{3}-\d+(\.\d+)?$")
    decided_on: IsoDate
    subject_id: Optional[str] = None


def _overlap_error(name: str, items: list[tuple[int, date, Optional[date]]]) -> None:
    """The first two items (index, from, to; to None: open) whose periods overlap, as a ValueError."""
    items.sort(key=lambda t: t[1])
    for (i, a_from, a_to), (j, b_from, _b_to) in zip(items, items[1:]):
        if a_to is None or b_from <= a_to:
            raise ValueError(f"{name}[{j}]: overlaps {name}[{i}] ({a_from} to {a_to or 'open'})")


class Case(_Model):
    """One foreign national's situation, checked as of `as_of` (default: today)."""

    as_of: Optional[IsoDate] = None
    person: Person
    trips: Optional[list[Trip]] = Field(default=None, max_length=MAX_ITEMS)
    documents: Optional[list[Document]] = Field(default=None, max_length=MAX_ITEMS)
    stays: Optional[list[Stay]] = Field(default=None, max_length=MAX_ITEMS)
    hosts: Optional[list[Host]] = Field(default=None, max_length=MAX_ITEMS)
    employment: Optional[list[Employment]] = Field(default=None, max_length=MAX_ITEMS)
    employers: Optional[list[Employer]] = Field(default=None, max_length=MAX_ITEMS)
    prior_offences: Optional[list[PriorOffence]] = Field(default=None, max_length=MAX_ITEMS)

    @model_validator(mode="after")
    def _cross_field(self) -> "Case":
        if self.trips:
            _overlap_error("trips", [(i, t.entry, t.exit) for i, t in enumerate(self.trips)])
        if self.stays:
            _overlap_error("stays", [(i, s.from_, s.to) for i, s in enumerate(self.stays)])
        for name, ids_listed in (("hosts", [h.id for h in self.hosts or []]),
                                 ("employers", [e.id for e in self.employers or []])):
            seen: dict[str, int] = {}
            for i, item_id in enumerate(ids_listed):
                if item_id in seen:
                    raise ValueError(f"{name}[{i}].id: duplicate id {item_id!r} (also {name}[{seen[item_id]}])")
                seen[item_id] = i
        if self.hosts is not None:
            ids = {h.id for h in self.hosts}
            for i, s in enumerate(self.stays or []):
                if s.host is not None and s.host not in ids:
                    raise ValueError(f"stays[{i}].host: {s.host!r} is not among hosts[].id")
        if self.employers is not None:
            ids = {e.id for e in self.employers}
            for i, j in enumerate(self.employment or []):
                if j.employer not in ids:
                    raise ValueError(f"employment[{i}].employer: {j.employer!r} is not among employers[].id")
        if self.trips is not None:
            by_entry = sorted(self.trips, key=lambda t: t.entry)  # trips do not overlap: bisect for the one
            entries = [t.entry for t in by_entry]
            for i, s in enumerate(self.stays or []):
                k = bisect_right(entries, s.from_) - 1
                left = by_entry[k].exit if k >= 0 else None
                if k < 0 or (left is not None and s.from_ > left):
                    raise ValueError(f"stays[{i}].from: {s.from_} is not within any of the trips")
        return self

    def host(self, host_id: str | None) -> Host | None:
        return next((h for h in self.hosts or [] if h.id == host_id), None)

    def employer(self, employer_id: str) -> Employer | None:
        return next((e for e in self.employers or [] if e.id == employer_id), None)

    def to_json_dict(self) -> dict[str, Any]:
        """The case as the spec's JSON object (aliases, ISO dates, left-out lists stay out)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=False, exclude_unset=True)
