"""The hire pre-check: can this employer hire this person from this date, and what must happen first.

`check_hire` adds the planned job to the case and checks it as of the job's last planned day (its
start when open-ended), whatever the case's own `as_of`: the report is the exposure if the hire goes
ahead exactly as the case describes it (documents held or planned, trips, stays). From that check it
answers:
- permit: which document the job needs (seeds/permits.yaml by employer type; none for EAEU citizens
  and holders of a document that frees them), whether one already covers the job, and by when one is
  needed (the first day worked without it); for a labour-immigrant permit the months of income tax
  to pay in advance;
- stay: whether a lawful basis of stay covers the planned job from start to end; a case with no trip
  at the start is given an entry on the start day, shown in `assumptions`, and `plan` says how long an
  entry on the start day may last and the earliest entry from which the whole job is lawful stay;
- ratio: the local-staff share of the job's category group before and after the hire, the case's
  `staff` being the staff before it;
- quota: the year's quota figures, for information.
The verdict is `blocked` when the job needs an IRS permit and the ratio after the hire is below the
minimum (no permit can be issued), `ready` when the check finds no violation and every check that could
find one ran, `undetermined` when no violation is found but such a check could not run, else `needs_action`.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal, Mapping, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .case import Case, Employment
from .pipeline import build_report, evaluate, to_case
from .dates import FAR_FUTURE_DAY
from .errors import CaseError, problem
from .i18n import check_lang, long_date, t
from .limits import date_argument
from .ratios import StaffRatio, staff_ratios, with_hire
from .report import Report
from .seeds import ReferenceData, reference
from .stay_limits import TripTerm

Verdict = Literal["ready", "needs_action", "blocked", "undetermined"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PermitAnswer(_Model):
    needed: Optional[str] = Field(description="work_permit, labour_immigrant_permit, none, or null when not known")
    category: Optional[str]
    covered: bool = Field(description="A document held covers every planned day checked")
    needed_by: Optional[date] = Field(description="The first planned day no document covers")
    alternatives: list[str] = Field(description="Other documents that allow the work")
    tax_months: Optional[int] = Field(default=None, description="Labour-immigrant permit: months of income tax to "
                                      "pay in advance for the planned job (at most the permit's 12 months)")
    tax_mrp_per_month: Optional[int] = None
    tax_kzt: Optional[int] = Field(default=None, description="tax_months x tax_mrp_per_month x MRP; null when the "
                                   "monthly rate is not known (2026 on)")
    source: Optional[str] = None


class StayAnswer(_Model):
    covered_from_start: Optional[bool] = Field(description="A lawful basis of stay covers the start day")
    covered_until: Optional[date] = Field(description="The last lawful day of the stay (null: no end)")
    covers_whole_job: Optional[bool] = Field(description="Covered from start to end (an open-ended job: with no end)")
    first_day_uncovered: Optional[date]
    basis: Optional[str] = Field(description="What sets the limit: visa_free_entry, visa_free_cap, document, "
                                 "eaeu_contract, none, unlimited")
    detail: Optional[str]
    abroad: bool = Field(default=False, description="No trip covers the start: the person must enter first "
                         "(the plan's answers below)")
    entry_days: Optional[int] = Field(default=None, description="Abroad: lawful days in a row entering on the "
                                      "start day, under the job's documents or the visa-free term (null: no end "
                                      "or not known)")
    entry_leave_by: Optional[date] = Field(default=None,
                                           description="Abroad: the last lawful day entering on the start")
    entry_reason: Optional[str] = Field(default=None, description="Abroad: what sets that limit (the plan's reason)")
    earliest_entry: Optional[date] = Field(default=None, description="Abroad: the earliest entry on or after the "
                                           "start from which the whole job (one day if open-ended) is lawful stay")
    earliest_entry_leave_by: Optional[date] = None


class RatioSide(_Model):
    local: int
    foreign: int
    share: str
    ok: bool


class RatioAnswer(_Model):
    group: str
    pct: int = Field(description="The minimum share of Kazakh citizens, in percent")
    before: RatioSide
    after: RatioSide
    exempt: bool


class QuotaAnswer(_Model):
    year: int
    irs_pct: Decimal
    labour_immigrant_pct: Decimal
    category_quota: Optional[int] = Field(description="IRS permits in the job's category countrywide, where the "
                                          "order splits them")
    verified: bool
    source: str


class HireReport(_Model):
    employer: str
    start: date
    end: Optional[date]
    category: Optional[str]
    verdict: Verdict
    permit: PermitAnswer
    stay: StayAnswer
    ratio: Optional[RatioAnswer]
    quota: Optional[QuotaAnswer]
    assumptions: list[str]
    exposure: Report = Field(description="The check of the case with the hire, as of its end (start if open-ended)")

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)


def _planned_case(model: Case, job: Employment, horizon: date, lang: str) -> tuple[dict[str, Any], int, list[str]]:
    """The case with the planned job added (index returned), checked as of `horizon`; assumptions in `lang`."""
    data = model.to_json_dict()
    data["as_of"] = horizon.isoformat()
    jobs = list(data.get("employment") or [])
    index = next((k for k, j in enumerate(model.employment or [])
                  if j.employer == job.employer and j.start == job.start), None)
    if index is None:
        jobs.append(job.model_dump(mode="json", by_alias=True, exclude_none=True))
        index = len(jobs) - 1
    data["employment"] = jobs
    assumptions = []
    trips = model.trips
    if trips is None or not any(t.entry <= job.start and (t.exit is None or job.start <= t.exit) or t.entry > job.start
                                for t in trips):
        data["trips"] = [*(data.get("trips") or []), {"entry": job.start.isoformat(), "exit": None, "purpose": "work"}]
        assumptions.append(t(lang, "no trip covers {date}: an entry on that day is assumed (purpose work)",
                               date=long_date(job.start, lang)))
    return data, index, assumptions


def _stay(terms: list[TripTerm], start: date, end: Optional[date]) -> StayAnswer:
    term = next((t for t in terms if t.trip.entry <= start and (t.trip.exit is None or start <= t.trip.exit)), None)
    if term is None or not term.checkable:
        return StayAnswer(covered_from_start=None, covered_until=None, covers_whole_job=None, first_day_uncovered=None,
                          basis=None, detail=None)
    s = start.toordinal()
    unlawful = [max(a, s) for a, b in term.unlawful if b >= s]
    last = term.last_lawful
    until = date.fromordinal(last) if last is not None and last < FAR_FUTURE_DAY else None
    first = date.fromordinal(unlawful[0]) if unlawful else (until + timedelta(days=1) if until else None)
    leaves = term.trip.exit is not None and (end is None or term.trip.exit < end)
    covers = not unlawful and not leaves and (until is None or (end is not None and until >= end))
    return StayAnswer(covered_from_start=first is None or first > start, covered_until=until, covers_whole_job=covers,
                      first_day_uncovered=first if not covers else None, basis=term.limit_basis,
                      detail=term.basis_detail or None)


def _ratio(model: Case, employer_id: str, category: Optional[str], on: date,
           ref: ReferenceData) -> Optional[RatioAnswer]:
    employer = model.employer(employer_id)
    if employer is None or employer.staff is None or category is None:
        return None

    def parameter(key: str, day: date) -> Optional[int]:
        row = ref.parameter(key, day)
        return row.value if row else None

    def side(ratios: list[StaffRatio]) -> Optional[StaffRatio]:
        return next((r for r in ratios if r.measure == "local_share" and category in r.group.split("-")), None)

    before = side(staff_ratios(employer.staff, employer.branch, on, parameter))
    after = side(staff_ratios(with_hire(employer.staff, category), employer.branch, on, parameter))
    if after is None:
        return None
    b = before or StaffRatio("local_share", after.group, 0, 0, 0, after.pct, 0, after.exempt)
    return RatioAnswer(group=after.group, pct=after.pct, exempt=after.exempt,
                       before=RatioSide(local=b.local, foreign=b.foreign, share=b.share_text, ok=b.ok),
                       after=RatioSide(local=after.local, foreign=after.foreign, share=after.share_text, ok=after.ok))


def _months(start: date, end: Optional[date]) -> int:
    """Calendar months from start to end, a started month counting whole (open-ended: one permit term)."""
    if end is None:
        return 12
    months = (end.year - start.year) * 12 + end.month - start.month + (1 if end.day >= start.day else 0)
    return max(1, months)


def _permit(fact: dict[str, Any], ref: ReferenceData, employer_type: Optional[str], start: date, end: Optional[date],
            as_of: date) -> PermitAnswer:
    needed = fact.get("permit_needed")
    row = ref.permit_for(employer_type, start) if employer_type else None
    first = fact.get("first_day_without_permit")
    covered = needed == "none" or not first
    answer: dict[str, Any] = {"needed": needed, "category": fact.get("category") if needed == "work_permit" else None,
                              "covered": covered, "needed_by": date.fromisoformat(first) if first else None,
                              "alternatives": list(row.alternatives) if row and needed not in (None, "none") else [],
                              "source": row.source if row and needed not in (None, "none") else None}
    if needed == "labour_immigrant_permit":
        cap = ref.parameter("labour.immigrant_permit_max_months", start)
        rate = ref.parameter("labour.immigrant_tax_mrp_per_month", start)
        months = min(_months(start, end), cap.value if cap else 12)
        answer.update(tax_months=months, tax_mrp_per_month=rate.value if rate else None,
                      tax_kzt=months * rate.value * ref.mrp(as_of).mrp if rate else None)
    return PermitAnswer(**answer)


def _entry_plan(model: Case, data: dict[str, Any], start: date, end: Optional[date], engine: Optional[str],
                stay: StayAnswer) -> StayAnswer:
    """The stay answer with, for a person abroad, the plan of entering for the job: on the start day, and the
    earliest entry on or after it that covers the whole job."""
    from .planning import plan

    planned = {**data, "trips": model.to_json_dict().get("trips") or []}  # as the check above: none left out
    days = (end - start).days + 1 if end else 1
    answer = plan(planned, as_of=start, enter=start, days=days, engine=engine)
    entry, earliest = answer.entry, answer.earliest
    assert entry is not None and earliest is not None
    return stay.model_copy(update={"abroad": True, "entry_days": entry.days, "entry_leave_by": entry.leave_by,
                                   "entry_reason": entry.reason, "earliest_entry": earliest.date,
                                   "earliest_entry_leave_by": earliest.leave_by})


def check_hire(case: Union[Case, Mapping[str, Any]], *, start: Union[date, str], employer: str,
               category: Optional[str] = None, end: Union[date, str, None] = None, region: Optional[str] = None,
               lang: str = "en",
               engine: Optional[str] = None) -> HireReport:
    """Pre-check hiring the case's person at `employer` from `start` (to `end`, open-ended if None).

    `start` and `end` are dates or ISO text. Raises CaseError naming the field or option at fault: the
    employer must be among the case's `employers` (its type and size set the permit and the fine; its
    `staff` the ratio).
    """
    check_lang(lang)
    first, last = date_argument(start, "start"), date_argument(end, "end")
    if first is None:
        raise CaseError("start", problem("not_a_date", value=None))
    start, end = first, last
    model = to_case(case)
    found = model.employer(employer)
    if found is None:
        raise CaseError("employer", f"{employer!r} is not among employers[].id: add the employer (type, size, staff) "
                                    "to the case")
    if found.type == "legal_entity" and category is None:
        raise CaseError("category", "required for a legal_entity employer: the IRS permit and the ratio are by "
                                    "category")
    if found.type == "individual" and category is not None:
        raise CaseError("category", problem("category_for_household"))
    if end is not None and end < start:
        raise CaseError("end", f"{end} is before start {start}")
    try:
        job = Employment.model_validate({"employer": employer, "start": start, "end": end, "category": category,
                                         "region": region})
    except ValidationError as e:
        raise CaseError.from_validation(e) from None
    horizon = end or start
    data, index, assumptions = _planned_case(model, job, horizon, lang)
    ev = evaluate(data, engine=engine)
    report = build_report(ev, lang)
    ref = reference()
    fact = next(f for f in ev.derived.facts if f["kind"] == "job" and f["ref"] == f"employment[{index}]")
    permit = _permit(fact, ref, found.type, start, end, horizon)
    ratio = _ratio(model, employer, category, start, ref)
    quota_row = ref.quota(start)
    quota = QuotaAnswer(year=start.year, irs_pct=quota_row.irs_pct, labour_immigrant_pct=quota_row.labour_immigrant_pct,
                        category_quota=(quota_row.irs_by_category or {}).get(category or ""),
                        verified=quota_row.verified and start <= ref.known_until("quotas"),
                        source=quota_row.source if start <= ref.known_until("quotas") else
                        f"{quota_row.source}; the {quota_row.start.year} quota carried forward to {start.year}: the "
                        f"quota table is known until {ref.known_until('quotas')}") if quota_row else None
    banned = any(f.rule == "labour.permit-ban-after-519" and f.subject_id == employer for f in report.findings)
    blocked = permit.needed == "work_permit" and not permit.covered and (
        banned or (ratio is not None and not ratio.after.ok))
    verdict: Verdict = ("blocked" if blocked else "ready" if report.compliant
                        else "undetermined" if report.compliant is None else "needs_action")
    stay = _stay(ev.derived.terms, start, end)
    if assumptions:  # abroad on the start day
        stay = _entry_plan(model, data, start, end, engine, stay)
    return HireReport(employer=employer, start=start, end=end, category=category, verdict=verdict, permit=permit,
                      stay=stay, ratio=ratio, quota=quota, assumptions=assumptions, exposure=report)
