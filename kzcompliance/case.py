"""The case: one foreign national, their trips, documents, stays, hosts, jobs and employers.

This is the public contract of docs/case-format.md as strict pydantic models: unknown
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
    # attribute docstrings become the fields' descriptions in the JSON Schema (`kzcompliance schema case`)
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True,
                              str_strip_whitespace=True, str_max_length=MAX_TEXT, use_attribute_docstrings=True)


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
        raise ValueError(f"{value!r} is Kazakhstan: a Kazakh citizen is not a foreigner, and this library checks "
                         "foreign nationals only")
    return str(country.alpha_2)


def _not_before(end: Optional[date], end_name: str, start: date, start_name: str) -> None:
    """An optional end date may not fall before its start; the error names the end field."""
    if end is not None and end < start:
        raise ValueError(f"{end_name}: {end} is before {start_name} {start}")


class Person(_Model):
    """The foreign national: citizenship (which decides the entry regime) and an optional name."""

    citizenship: str = Field(description="ISO 3166-1 alpha-2/alpha-3 code, any case, or 'stateless'")
    name: Optional[str] = None
    """Free text, for the reader; not used by the checks."""

    @field_validator("citizenship")
    @classmethod
    def _code(cls, v: str) -> str:
        return normalise_citizenship(v)


class Trip(_Model):
    """One border crossing into Kazakhstan and, unless still in the country, the day of leaving."""

    entry: IsoDate
    """The day of crossing into Kazakhstan (counted as a day of stay)."""
    exit: Optional[IsoDate] = None
    """The day of leaving; null while the person is still in the country (ongoing up to as_of)."""
    purpose: Optional[Purpose] = None
    """The declared purpose: private, tourism, business, work, study, family, medical, transit, official or other."""

    @model_validator(mode="after")
    def _exit_after_entry(self) -> "Trip":
        _not_before(self.exit, "exit", self.entry, "entry")
        return self


class Document(_Model):
    """A document the person holds: a visa, a residence permit, a work permit (IRS) or another; what each does in law
    is in seeds/documents.yaml.
    """

    type: DocumentType
    """visa, temporary_residence_permit, permanent_residence_permit, work_permit (an IRS permit),
    labour_immigrant_permit, qualification_certificate or refugee_certificate.
    """
    valid_from: IsoDate
    """The first day the document is valid."""
    valid_until: Optional[IsoDate] = None
    """The last day it is valid; null only for a permanent document."""
    visa_type: Optional[str] = None
    """A visa's category as printed on it (e.g. C3, B1)."""
    purpose: Optional[Purpose] = None
    """A visa's purpose (the same values as a trip's)."""
    category: Optional[PermitCategory] = None
    """An IRS work permit's category: 1-4, seasonal or ict (intra-corporate transfer)."""
    employer: Optional[str] = None
    """An IRS work permit's employer: the id of an employers[] item."""
    region: Optional[str] = None
    """An IRS work permit's region (work elsewhere is a secondment, within its yearly allowance)."""
    tax_paid_until: Optional[IsoDate] = None
    """A labour-immigrant permit: the last day the advance income tax has been paid for."""
    number: Optional[str] = None
    """The document's number, for the reader; not used by the checks."""

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
    """Where the person lives with which host, from the day of arrival, and when the stay was registered."""

    host: Optional[str] = None
    """The receiving party: the id of a hosts[] item (null: not known)."""
    from_: IsoDate = Field(alias="from")
    """The day of arrival at the address (the registration deadlines count from it)."""
    to: Optional[IsoDate] = None
    """The last day at the address; null while the stay goes on."""
    registered_on: Optional[IsoDate] = None
    """The day the host's notification or the person's registration was made; null: not registered."""
    address: Optional[str] = None
    """The address, for the reader; not used by the checks."""
    host_confirmed_on: Optional[IsoDate] = Field(
        default=None, description="From 2026-07-01: the date the host confirmed the foreigner's online registration "
                                  "in the app (null: not known, taken as part of the registration)")

    @model_validator(mode="after")
    def _order(self) -> "Stay":
        _not_before(self.to, "to", self.from_, "from")
        _not_before(self.registered_on, "registered_on", self.from_, "from")
        return self


class Host(_Model):
    """A receiving party named by `stays[].host`: its kind and, for a business, its size (the fine tier)."""

    id: str = Field(min_length=1)
    """The id `stays[].host` names."""
    type: Literal["individual", "legal_entity", "hotel"]
    """individual, legal_entity or hotel."""
    size: Optional[Size] = None
    """For a legal entity or hotel: small, medium, large or nonprofit (official where an official is fined); selects
    the fine tier.
    """

    @model_validator(mode="after")
    def _size(self) -> "Host":
        if self.type == "individual" and self.size not in (None,):
            raise ValueError("size: an individual host has no size (sizes are for legal entities and hotels)")
        if self.type != "individual" and self.size is None:
            raise ValueError(f"size: required for a {self.type} host (small, medium, large, nonprofit or official): "
                             "it selects the fine")
        return self


class Secondment(_Model):
    """A posting of the worker to another region, both ends included (`to` null: still going on)."""

    region: str = Field(min_length=1)
    """The region the worker is posted to."""
    from_: IsoDate = Field(alias="from")
    """The first day of the posting."""
    to: Optional[IsoDate] = None
    """The last day of the posting; null while it goes on."""

    @model_validator(mode="after")
    def _order(self) -> "Secondment":
        _not_before(self.to, "to", self.from_, "from")
        return self


class Employment(_Model):
    """A job in Kazakhstan: the employer, its days, the IRS category of the position and the region."""

    employer: str = Field(min_length=1)
    """The employer: the id of an employers[] item."""
    start: IsoDate
    """The first day of work."""
    end: Optional[IsoDate] = None
    """The last day of work; null while the job goes on."""
    category: Optional[PermitCategory] = None
    """The IRS category of the position: 1-4, seasonal or ict."""
    region: Optional[str] = None
    """The region where the work is done (checked against an IRS permit's region)."""
    secondments: Optional[list[Secondment]] = Field(
        default=None, max_length=MAX_ITEMS,
        description="Postings to other regions; an IRS permit allows 90 days a year outside its region")

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
    """Head count of one IRS category at an employer, this person included."""

    local: int = Field(ge=0, le=MAX_COUNT, description="Kazakh citizens")
    foreign: int = Field(ge=0, le=MAX_COUNT)
    """Foreign staff, this person included."""
    ict: Optional[int] = Field(default=None, ge=0, le=MAX_COUNT,
                               description="Of `foreign`, how many are intra-corporate transferees")

    @model_validator(mode="after")
    def _ict_within_foreign(self) -> "StaffCount":
        if self.ict is not None and self.ict > self.foreign:
            raise ValueError(f"ict: {self.ict} intra-corporate transferees but only {self.foreign} foreign staff")
        return self


class Employer(_Model):
    """An employer named by `employment[].employer`: its kind, size (the fine tier) and staff by category."""

    id: str = Field(min_length=1)
    """The id `employment[].employer` and `documents[].employer` name."""
    type: Literal["individual", "legal_entity"]
    """individual (a household, which needs labour-immigrant permits) or legal_entity (IRS permits)."""
    size: Optional[Size] = None
    """small, medium, large or nonprofit: selects the fine tier of KoAP 519."""
    staff: Optional[dict[PermitCategory, StaffCount]] = None
    """Head count by IRS category (1-4, seasonal, ict), this person included, Kazakh citizens as `local`: the local-
    staff ratio.
    """
    branch: Optional[bool] = Field(
        default=None, description="A branch or representative office of a foreign legal entity (small ones are "
                                  "exempt from the local-staff ratio)")

    @model_validator(mode="after")
    def _size(self) -> "Employer":
        if self.type == "individual" and self.size is not None:
            raise ValueError("size: an individual (household) employer has no size")
        if self.type == "legal_entity" and self.size is None:
            raise ValueError("size: required for a legal_entity employer (small, medium, large, nonprofit or "
                             "official): it selects the fine")
        return self


class PriorOffence(_Model):
    """A sanction already imposed under KoAP, for repeat-offence aggravation and permit bans."""

    code: str = Field(pattern=r"^\d{3}-\d+(\.\d+)?$")
    """The KoAP code of the sanction: ARTICLE-PART or ARTICLE-PART.ITEM (e.g. 518-1, 517-3.2)."""
    decided_on: IsoDate
    """The day the sanction was imposed (the repeat window and permit bans count from it)."""
    subject_id: Optional[str] = None
    """Whom it was imposed on: a host's or employer's id; null: the foreigner."""


def _overlap_error(name: str, items: list[tuple[int, date, Optional[date]]]) -> None:
    """The first two items (index, from, to; to None: open) whose periods overlap, as a ValueError."""
    items.sort(key=lambda t: t[1])
    for (i, a_from, a_to), (j, b_from, _b_to) in zip(items, items[1:], strict=False):
        if a_to is None or b_from <= a_to:
            raise ValueError(f"{name}[{j}]: overlaps {name}[{i}] ({a_from} to {a_to or 'open'})")


class Case(_Model):
    """One foreign national's situation, checked as of `as_of` (default: today)."""

    as_of: Optional[IsoDate] = None
    """The check date (default: today). Conduct after it is ignored; an ongoing trip runs up to it."""
    person: Person
    """The foreign national."""
    trips: Optional[list[Trip]] = Field(default=None, max_length=MAX_ITEMS)
    """Border crossings, in any order, not overlapping. Left out: not known (the stay checks are skipped)."""
    documents: Optional[list[Document]] = Field(default=None, max_length=MAX_ITEMS)
    """Documents held. Left out: not known; [] means none."""
    stays: Optional[list[Stay]] = Field(default=None, max_length=MAX_ITEMS)
    """Where the person stayed, with which host. Left out: not known (registration is not checked)."""
    hosts: Optional[list[Host]] = Field(default=None, max_length=MAX_ITEMS)
    """The receiving parties the stays name."""
    employment: Optional[list[Employment]] = Field(default=None, max_length=MAX_ITEMS)
    """Jobs in Kazakhstan. Left out: not known (work permits are not checked); [] means none."""
    employers: Optional[list[Employer]] = Field(default=None, max_length=MAX_ITEMS)
    """The employers the jobs and permits name."""
    prior_offences: Optional[list[PriorOffence]] = Field(default=None, max_length=MAX_ITEMS)
    """Sanctions already imposed, for repeat offences (within a year) and the 12-month bar on IRS permits after KoAP
    519.
    """

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

    def employer(self, employer_id: str) -> Employer | None:
        return next((e for e in self.employers or [] if e.id == employer_id), None)

    def to_json_dict(self) -> dict[str, Any]:
        """The case as the spec's JSON object (aliases, ISO dates, left-out lists stay out)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=False, exclude_unset=True)
