"""Work permits: which days of each job a valid permit covers, and why the other days are not covered.

A job needs a permit unless the person's regime exempts it (EAEU, via the plugin) or a document frees
its holder (permanent residence). Which permit is the one to apply for comes from seeds/permits.yaml
by the employer's type: an IRS work permit for a legal entity, a labour-immigrant permit for a
household. A document covers a day of the job when it is valid that day and
- an IRS work permit names this employer, is of the job's category, and the day is worked in the
  permit's region or on a secondment within the yearly allowance (90 days a calendar year);
- a labour-immigrant permit serves an individual (household) employer and its income tax was paid in
  advance up to that day (`tax_paid_until`);
- a qualification certificate serves any employer.
A day worked without cover gets the most specific reason that applies, in the order of `REASONS`:
tax (a household permit whose advance tax ran out), region, category, expired (a permit for this job
has ended), employer (a permit for another employer, or a household permit used for a legal entity),
purpose (no permit, in the country on a business or study trip or visa), none.
Only the days the person was in Kazakhstan (on a trip) are days worked; every day when trips are left out.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Optional

from .case import Document, Employer
from .context import Context
from .dates import FAR_FUTURE_DAY, Interval, covering, end_day, merge, subtract

REASONS = ("tax", "region", "category", "expired", "employer", "purpose", "none")
WORK_PURPOSES_MISUSED = ("business", "study")


# Plain classes, like registration.py's records, built once by job_permits and only read after: compiled,
# a plain class's __init__ is native, where a dataclass keeps its generated, interpreted one. Reading a
# pydantic model's field from compiled code is a generic attribute look-up, so each document, trip and job
# is read into one of these once per check, and the day classification reads only them.
class Gap:
    """Days of a job worked without cover for one reason, and the first of them."""

    def __init__(self, days: int, since: date) -> None:
        self.days = days
        self.since = since


class JobPermit:
    """One job measured against the documents held: the days covered, why others are not, and what is due."""

    def __init__(self, index: int, start: date, end: Optional[date], employer_id: str, category: Optional[str],
                 region: Optional[str], employer_type: Optional[str], employer_size: Optional[str], regime: str,
                 permit_required: bool, permit_needed: Optional[str], permit_held: bool, planned: bool,
                 ongoing: bool, days_worked: int, days_without_permit: int,
                 first_day_without_permit: Optional[date], gaps: dict[str, Gap], permit_until: Optional[date],
                 permit_category: Optional[str], permit_region: Optional[str], renew_by: Optional[date],
                 obtain_by: Optional[date], tax_paid_until: Optional[date], pay_tax_by: Optional[date],
                 secondment_days_used: Optional[int], secondment_days_left: Optional[int],
                 end_secondment_by: Optional[date]) -> None:
        self.index = index
        self.start = start                      # the job's own fields (case.Employment), read once
        self.end = end
        self.employer_id = employer_id
        self.category = category
        self.region = region
        self.employer_type = employer_type      # the employer's (case.Employer), None when it is not listed
        self.employer_size = employer_size
        self.regime = regime
        self.permit_required = permit_required
        self.permit_needed = permit_needed      # the document to apply for, "none", or None when not known
        self.permit_held = permit_held          # a document covers the job on as_of (or on the planned start)
        self.planned = planned                  # starts after as_of
        self.ongoing = ongoing
        self.days_worked = days_worked
        self.days_without_permit = days_without_permit
        self.first_day_without_permit = first_day_without_permit
        self.gaps = gaps                        # by reason (REASONS)
        self.permit_until = permit_until        # end of the cover held on as_of (or on the planned start)
        self.permit_category = permit_category  # category of the IRS permit held then
        self.permit_region = permit_region      # region of the IRS permit held then
        self.renew_by = renew_by                # the permit ends while the job goes on
        self.obtain_by = obtain_by              # a planned job with no permit for its start
        self.tax_paid_until = tax_paid_until    # the household permit's advance tax, when it ends the cover
        self.pay_tax_by = pay_tax_by            # the advance tax runs out while the job goes on
        self.secondment_days_used = secondment_days_used  # on an ongoing secondment: days used this year
        self.secondment_days_left = secondment_days_left
        self.end_secondment_by = end_secondment_by  # the last day the allowance covers the ongoing secondment


class _Doc:
    """A document of the case and what it allows (seeds/documents.yaml's `work`), read once."""

    def __init__(self, index: int, doc: Document, work: str) -> None:
        values: dict[str, Any] = doc.__dict__  # its fields, read from the dict (registration.StayFields says why)
        self.index = index
        self.work = work
        self.type: str = values["type"]
        self.start: int = values["valid_from"].toordinal()
        self.valid_until: Optional[date] = values["valid_until"]
        self.end = end_day(self.valid_until)    # the last day of its term
        self.tax_paid_until: Optional[date] = values["tax_paid_until"]
        self.until = self.end                   # the last day it covers: the term, cut at the advance tax
        if self.type == "labour_immigrant_permit" and self.tax_paid_until is not None:
            self.until = min(self.end, self.tax_paid_until.toordinal())
        self.employer: Optional[str] = values["employer"]
        self.category: Optional[str] = values["category"]
        self.region: Optional[str] = values["region"]
        self.number: Optional[str] = values["number"]
        self.purpose: Optional[str] = values["purpose"]


class _Secondment:
    """A posting of a job to another region, its days as ordinals."""

    def __init__(self, region: str, start: int, end: int, to: Optional[date]) -> None:
        self.region = region
        self.start = start
        self.end = end
        self.to = to


class _Job:
    """What the day classification of one job needs, gathered once."""

    def __init__(self, index: int, values: dict[str, Any], employer: Optional[Employer], docs: list[_Doc],
                 allowance: Optional[int]) -> None:
        self.index = index  # `values`: the fields of the job (a case.Employment's __dict__)
        self.start: date = values["start"]
        self.end: Optional[date] = values["end"]
        self.employer_id: str = values["employer"]
        self.category: Optional[str] = values["category"]
        self.region: Optional[str] = values["region"]
        self.employer_type: Optional[str] = employer.type if employer is not None else None
        self.employer_size: Optional[str] = employer.size if employer is not None else None
        # a household permit serves an individual employer (an unknown employer is given the benefit)
        self.household = self.employer_type is None or self.employer_type == "individual"
        self.secondments = [_Secondment(s.region, s.from_.toordinal(), end_day(s.to), s.to)
                            for s in values["secondments"] or []]
        self.docs = docs
        self.allowance = allowance
        self.used: dict[int, int] = {}                # secondment days outside the region, by year
        self.gaps: dict[str, list[Interval]] = {}


def _serves(d: _Doc, j: _Job) -> bool:
    """Whether the document, while valid, may cover this job at all (employer and category)."""
    work = d.work
    if work == "any":
        return True
    if work == "household":
        return j.household
    if work == "same_employer":
        return d.employer == j.employer_id and (j.category is None or d.category == j.category)
    return False


def _region_on(j: _Job, day: int) -> tuple[Optional[str], bool]:
    """The region worked on `day` and whether it is a secondment."""
    for s in j.secondments:
        if s.start <= day <= s.end:
            return s.region, True
    return j.region, False


def _breakpoints(j: _Job, points: list[int], lo: int, hi: int) -> list[int]:
    """The days in (lo, hi] on which the cover of a day may change (`points`, sorted, the job's and the
    case's; with secondments, each new year too, when the allowance starts again): segments between them
    are uniform."""
    cuts = [p for p in points if lo < p <= hi]
    if j.secondments:
        lo_year, hi_year = date.fromordinal(lo).year, date.fromordinal(hi).year
        if lo_year < hi_year:
            years = {date(year, 1, 1).toordinal() for year in range(lo_year + 1, hi_year + 1)}
            cuts = sorted(years.union(cuts))
    return cuts


def _add_gap(j: _Job, reason: str, a: int, b: int) -> None:
    if a <= b:
        j.gaps.setdefault(reason, []).append((a, b))


def _classify(j: _Job, a: int, b: int, misused: list[Interval]) -> None:
    """Record the uncovered days of the uniform segment [a, b] under their reason."""
    region, seconded = _region_on(j, a)
    reasons: set[str] = set()
    needs_allowance = False
    for d in j.docs:
        if not d.start <= a <= d.end:
            continue
        work = d.work
        if work == "any":
            return
        if work == "household":
            if not j.household:
                reasons.add("employer")
            elif a > d.until:
                reasons.add("tax")
            else:
                return
        elif work == "same_employer":
            if d.employer != j.employer_id:
                reasons.add("employer")
            elif j.category is not None and d.category != j.category:
                reasons.add("category")
            elif d.region and region and d.region != region:
                if seconded and j.allowance is not None:
                    needs_allowance = True
                else:
                    reasons.add("region")
            else:
                return
    allowance = j.allowance
    if needs_allowance and allowance is not None:
        year = date.fromordinal(a).year
        used = j.used.get(year, 0)
        ok = min(b - a + 1, max(0, allowance - used))
        j.used[year] = used + ok
        _add_gap(j, "region", a + ok, b)
        return
    if not reasons:
        expired = any(_serves(d, j) and d.valid_until is not None and d.end < a for d in j.docs)
        reasons.add("expired" if expired else "purpose" if any(x <= a <= y for x, y in misused) else "none")
    _add_gap(j, next(r for r in REASONS if r in reasons), a, b)


def _irs_key(d: _Doc, category: Optional[str]) -> tuple[bool, int, int, str, str, str]:
    return d.category != category, -d.until, -d.start, d.category or "", d.region or "", d.number or ""


def _irs_on(j: _Job, day: int) -> Optional[_Doc]:
    """The IRS permit for this employer valid on `day`: one of the job's category first, then the one
    lasting longest, then the latest issued; never the order the case lists them in."""
    found = [d for d in j.docs if d.type == "work_permit" and d.employer == j.employer_id
             and d.start <= day <= d.until]
    category = j.category
    found.sort(key=lambda d: _irs_key(d, category))
    return found[0] if found else None


def _cover(j: _Job) -> list[tuple[int, int, _Doc]]:
    """The spans each document covers for this job, region aside (it varies by day)."""
    return [(d.start, d.until, d) for d in j.docs if _serves(d, j)]


def _ongoing_secondment(j: _Job, as_of: date,
                        permit_region: Optional[str]) -> tuple[Optional[int], Optional[int], Optional[date]]:
    """(days used this year, days left, last day the allowance covers) on a secondment ongoing on as_of."""
    if j.allowance is None or permit_region is None:
        return None, None, None
    day = as_of.toordinal()
    region, seconded = _region_on(j, day)
    if not seconded or region is None or region == permit_region:
        return None, None, None
    used = j.used.get(as_of.year, 0)
    if covering(merge(j.gaps.get("region", [])), day) is not None:
        return used, 0, None
    left = max(0, j.allowance - used)
    last = as_of + timedelta(days=left)
    secondment = next(s for s in j.secondments if s.start <= day <= s.end)
    runs_past = secondment.to is None or secondment.to > last
    return used, left, last if runs_past and last.year == as_of.year and last >= as_of else None


def job_permits(ctx: Context) -> list[JobPermit]:
    """Every job in the case, measured against the documents held."""
    out: list[JobPermit] = []
    case = ctx.case
    jobs = case.employment
    if not jobs:
        return out
    as_of = ctx.as_of.toordinal()
    documents = case.documents
    trips = case.trips
    kinds = ctx.ref.documents
    every = [_Doc(k, d, kinds[d.type].work) for k, d in enumerate(documents or [])]
    exempt = merge([(d.start, d.end) for d in every if d.work == "exempt"])
    docs = [d for d in every if d.work in ("same_employer", "household", "any")]
    # The days on which the cover of any job's day may change, whatever the job: the edges of the documents
    # allowing work, the trips' and the visas'; and the days in the country on a business or study trip or
    # visa (`purpose`). Only the days the person was in Kazakhstan (every day when the trips are left out)
    # are worked.
    case_points: set[int] = set()
    misused: list[Interval] = []
    for d in docs:
        case_points.add(d.start)
        case_points.add(d.until + 1)
        if d.valid_until is not None:
            case_points.add(d.end + 1)
    stays: list[Interval] = []
    for t in [t.__dict__ for t in trips or []]:  # each trip's fields, read from its dict (as _Doc's)
        exit_on: Optional[date] = t["exit"]
        entered: date = t["entry"]
        entry, left_on = entered.toordinal(), end_day(exit_on)
        stays.append((entry, left_on))
        case_points.add(entry)
        if exit_on is not None:
            case_points.add(left_on + 1)
        if t["purpose"] in WORK_PURPOSES_MISUSED:
            misused.append((entry, left_on))
    for d in every:
        if d.type == "visa":
            case_points.add(d.start)
            if d.valid_until is not None:
                case_points.add(d.end + 1)
            if d.purpose in WORK_PURPOSES_MISUSED:
                misused.append((d.start, d.end))
    case_sorted = sorted(case_points)
    present = merge(stays) if trips is not None else [(0, FAR_FUTURE_DAY)]
    employers = {e.id: e for e in case.employers or []}  # ids are unique
    for i, job in enumerate([job.__dict__ for job in jobs]):  # each job's fields, read from its dict (as _Doc's)
        first_day: date = job["start"]
        last_day: Optional[date] = job["end"]
        regime = ctx.regime(first_day)
        required, _reason = ctx.decided("kzc_permit_required", first_day, regime=regime)
        planned = first_day > ctx.as_of
        start = first_day.toordinal()
        job_end = end_day(last_day)
        end = min(job_end, as_of)
        worked = subtract([(start, end)], subtract([(start, end)], present)) if start <= end else []
        required_known = not (required and documents is None)
        if not required_known:
            ctx.skip("work permit", "documents")
        j = _Job(i, job, employers.get(job["employer"]), docs,
                 ctx.parameter_day("labour.secondment_max_days_per_year", start))
        if required:
            _note_unknowns(j, ctx)
        if required and required_known and not planned:
            sorted_points = case_sorted
            if j.secondments:
                points = set(case_points)
                for s in j.secondments:
                    points.add(s.start)
                    if s.to is not None:
                        points.add(s.end + 1)
                sorted_points = sorted(points)
            for lo, hi in subtract(worked, exempt):
                cuts = [lo, *_breakpoints(j, sorted_points, lo, hi), hi + 1]
                for n in range(len(cuts) - 1):
                    _classify(j, cuts[n], cuts[n + 1] - 1, misused)
        gaps: dict[str, Gap] = {}
        days_without = 0
        first_without: Optional[date] = None
        for r, ivs in j.gaps.items():
            gap = gaps[r] = Gap(sum([b - a + 1 for a, b in ivs]), date.fromordinal(min([a for a, _b in ivs])))
            days_without += gap.days
            if first_without is None or gap.since < first_without:
                first_without = gap.since
        probe = max(start, as_of)
        spans = _cover(j)
        held = covering(merge([(a, b) for a, b, _d in spans]), probe)
        enders = [d for _a, b, d in spans if held and b == held[1]]
        current = _irs_on(j, probe)
        permit_until = date.fromordinal(held[1]) if held and held[1] < FAR_FUTURE_DAY else None
        exempt_now = covering(exempt, probe) is not None
        needs_permit = bool(required) and required_known and not exempt_now
        ends_early = needs_permit and permit_until is not None and permit_until.toordinal() < job_end
        # Paying the tax extends cover when any document ending the cover ends at its paid-up month.
        tax_cut = any(d.type == "labour_immigrant_permit" and d.tax_paid_until is not None
                      and permit_until == d.tax_paid_until
                      and (d.valid_until is None or d.tax_paid_until < d.valid_until) for d in enders)
        employer_type = j.employer_type
        permit_row = ctx.ref.permit_for(employer_type, first_day) \
            if employer_type is not None and needs_permit else None
        permit_needed = "none" if required_known and not needs_permit else permit_row.permit if permit_row else None
        used, left, last = _ongoing_secondment(j, ctx.as_of, current.region if current else None) \
            if not planned and job_end > as_of else (None, None, None)
        out.append(JobPermit(
            index=i, start=first_day, end=last_day, employer_id=j.employer_id, category=j.category,
            region=j.region, employer_type=employer_type, employer_size=j.employer_size,
            regime=regime.regime, permit_required=bool(required),
            permit_needed=permit_needed, permit_held=held is not None,
            planned=planned, ongoing=not planned and job_end > as_of,
            days_worked=sum([b - a + 1 for a, b in worked]) if not planned else 0,
            days_without_permit=days_without, first_day_without_permit=first_without, gaps=gaps,
            permit_until=permit_until, permit_category=current.category if current else None,
            permit_region=current.region if current else None,
            renew_by=permit_until if ends_early and not tax_cut else None,
            obtain_by=first_day if needs_permit and planned and held is None else None,
            tax_paid_until=permit_until if tax_cut else None,
            pay_tax_by=permit_until if ends_early and tax_cut else None,
            secondment_days_used=used, secondment_days_left=left, end_secondment_by=last))
    return out


def _note_unknowns(j: _Job, ctx: Context) -> None:
    """Name the data a permit condition could not be checked for (the report's `unchecked`)."""
    for d in j.docs:
        if d.type == "work_permit" and d.employer == j.employer_id:
            if d.region and not j.region:
                ctx.skip("work permit region", f"employment[{j.index}].region")
            if j.category is None:
                ctx.skip("work permit category", f"employment[{j.index}].category")
        if d.type == "labour_immigrant_permit" and d.tax_paid_until is None:
            ctx.skip("labour-immigrant advance income tax", f"documents[{d.index}].tax_paid_until")
