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
from typing import Optional

from .case import Document, Employer, Employment
from .context import Context
from .dates import FAR_FUTURE_DAY, Interval, covering, end_day, merge, subtract

REASONS = ("tax", "region", "category", "expired", "employer", "purpose", "none")
WORK_PURPOSES_MISUSED = ("business", "study")


# Plain classes, like registration.py's records, built once by job_permits and only read after: compiled,
# a plain class's __init__ is native, where a dataclass keeps its generated, interpreted one.
class Gap:
    """Days of a job worked without cover for one reason, and the first of them."""

    def __init__(self, days: int, since: date) -> None:
        self.days = days
        self.since = since


class JobPermit:
    """One job measured against the documents held: the days covered, why others are not, and what is due."""

    def __init__(self, index: int, job: Employment, employer: Optional[Employer], regime: str,
                 permit_required: bool, permit_needed: Optional[str], permit_held: bool, planned: bool,
                 ongoing: bool, days_worked: int, days_without_permit: int,
                 first_day_without_permit: Optional[date], gaps: dict[str, Gap], permit_until: Optional[date],
                 permit_category: Optional[str], permit_region: Optional[str], renew_by: Optional[date],
                 obtain_by: Optional[date], tax_paid_until: Optional[date], pay_tax_by: Optional[date],
                 secondment_days_used: Optional[int], secondment_days_left: Optional[int],
                 end_secondment_by: Optional[date]) -> None:
        self.index = index
        self.job = job
        self.employer = employer
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


class _Job:
    """What the day classification of one job needs, gathered once."""

    def __init__(self, index: int, job: Employment, employer: Optional[Employer],
                 docs: list[tuple[int, Document, str]], allowance: Optional[int]) -> None:
        self.index = index
        self.job = job
        self.employer = employer
        self.docs = docs              # (index, document, work kind) of documents that allow work
        self.allowance = allowance
        self.used: dict[int, int] = {}                # secondment days outside the region, by year
        self.gaps: dict[str, list[Interval]] = {}


def _household(employer: Optional[Employer]) -> bool:
    """A household permit serves an individual employer (an unknown employer is given the benefit)."""
    return employer is None or employer.type == "individual"


def _effective_until(doc: Document) -> int:
    """The last day a document covers: its term, cut at the advance tax of a labour-immigrant permit."""
    until = end_day(doc.valid_until)
    if doc.type == "labour_immigrant_permit" and doc.tax_paid_until is not None:
        until = min(until, doc.tax_paid_until.toordinal())
    return until


def _serves(doc: Document, work: str, j: _Job) -> bool:
    """Whether the document, while valid, may cover this job at all (employer and category)."""
    if work == "any":
        return True
    if work == "household":
        return _household(j.employer)
    if work == "same_employer":
        return doc.employer == j.job.employer and (j.job.category is None or doc.category == j.job.category)
    return False


def _region_on(j: _Job, day: int) -> tuple[Optional[str], bool]:
    """The region worked on `day` and whether it is a secondment."""
    for s in j.job.secondments or []:
        if s.from_.toordinal() <= day <= end_day(s.to):
            return s.region, True
    return j.job.region, False


def _breakpoints(j: _Job, ctx: Context, lo: int, hi: int) -> list[int]:
    """The days in (lo, hi] on which the cover of a day may change: segments between them are uniform."""
    points = set()
    for _k, doc, _w in j.docs:
        points.add(doc.valid_from.toordinal())
        points.add(_effective_until(doc) + 1)
        if doc.valid_until:
            points.add(doc.valid_until.toordinal() + 1)
    for s in j.job.secondments or []:
        points.add(s.from_.toordinal())
        if s.to:
            points.add(s.to.toordinal() + 1)
    if j.job.secondments:
        for year in range(date.fromordinal(lo).year + 1, date.fromordinal(hi).year + 1):
            points.add(date(year, 1, 1).toordinal())
    for t in ctx.case.trips or []:
        points.add(t.entry.toordinal())
        if t.exit:
            points.add(t.exit.toordinal() + 1)
    for doc in ctx.case.documents or []:
        if doc.type == "visa":
            points.add(doc.valid_from.toordinal())
            if doc.valid_until:
                points.add(doc.valid_until.toordinal() + 1)
    return sorted(p for p in points if lo < p <= hi)


def _purpose_misused(day: int, ctx: Context) -> bool:
    """In the country that day on a business or study trip, or under a business or study visa."""
    for t in ctx.case.trips or []:
        if t.entry.toordinal() <= day <= end_day(t.exit):
            if t.purpose in WORK_PURPOSES_MISUSED:
                return True
    for doc in ctx.case.documents or []:
        if doc.type == "visa" and doc.purpose in WORK_PURPOSES_MISUSED and \
                doc.valid_from.toordinal() <= day <= _effective_until(doc):
            return True
    return False


def _add_gap(j: _Job, reason: str, a: int, b: int) -> None:
    if a <= b:
        j.gaps.setdefault(reason, []).append((a, b))


def _classify(j: _Job, a: int, b: int, ctx: Context) -> None:
    """Record the uncovered days of the uniform segment [a, b] under their reason."""
    region, seconded = _region_on(j, a)
    reasons: set[str] = set()
    needs_allowance = False
    for _k, doc, work in j.docs:
        if not doc.valid_from.toordinal() <= a <= end_day(doc.valid_until):
            continue
        if work == "any":
            return
        if work == "household":
            if not _household(j.employer):
                reasons.add("employer")
            elif a > _effective_until(doc):
                reasons.add("tax")
            else:
                return
        elif work == "same_employer":
            if doc.employer != j.job.employer:
                reasons.add("employer")
            elif j.job.category is not None and doc.category != j.job.category:
                reasons.add("category")
            elif doc.region and region and doc.region != region:
                if seconded and j.allowance is not None:
                    needs_allowance = True
                else:
                    reasons.add("region")
            else:
                return
    if needs_allowance:
        assert j.allowance is not None
        year = date.fromordinal(a).year
        used = j.used.get(year, 0)
        ok = min(b - a + 1, max(0, j.allowance - used))
        j.used[year] = used + ok
        _add_gap(j, "region", a + ok, b)
        return
    if not reasons:
        expired = any(_serves(doc, work, j) and doc.valid_until is not None and doc.valid_until.toordinal() < a
                      for _k, doc, work in j.docs)
        reasons.add("expired" if expired else "purpose" if _purpose_misused(a, ctx) else "none")
    _add_gap(j, next(r for r in REASONS if r in reasons), a, b)


def _irs_on(j: _Job, day: int) -> Optional[Document]:
    """The IRS permit for this employer valid on `day`: one of the job's category first, then the one
    lasting longest, then the latest issued; never the order the case lists them in."""
    found = [d for _k, d, _w in j.docs if d.type == "work_permit" and d.employer == j.job.employer
             and d.valid_from.toordinal() <= day <= _effective_until(d)]
    found.sort(key=lambda d: (d.category != j.job.category, -_effective_until(d), -d.valid_from.toordinal(),
                              d.category or "", d.region or "", d.number or ""))
    return found[0] if found else None


def _cover(j: _Job) -> list[tuple[int, int, Document]]:
    """The spans each document covers for this job, region aside (it varies by day)."""
    return [(doc.valid_from.toordinal(), _effective_until(doc), doc) for _k, doc, work in j.docs
            if _serves(doc, work, j)]


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
    secondment = next(s for s in j.job.secondments or [] if s.from_ <= as_of and (s.to is None or as_of <= s.to))
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
    work_docs = [(k, d, ctx.ref.documents[d.type].work) for k, d in enumerate(documents or [])]
    exempt = merge([(d.valid_from.toordinal(), end_day(d.valid_until)) for _k, d, w in work_docs if w == "exempt"])
    docs: list[tuple[int, Document, str]] = [(k, d, w) for k, d, w in work_docs
                                              if w in ("same_employer", "household", "any")]
    # The days the person was in Kazakhstan (every day when the trips are left out): only those are worked.
    present = merge([(t.entry.toordinal(), end_day(t.exit)) for t in case.trips]) \
        if case.trips is not None else [(0, FAR_FUTURE_DAY)]
    employers = {e.id: e for e in case.employers or []}  # ids are unique
    for i, job in enumerate(jobs):
        first_day, last_day = job.start, job.end
        employer = employers.get(job.employer)
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
        j = _Job(i, job, employer, docs, ctx.parameter("labour.secondment_max_days_per_year", first_day))
        if required:
            _note_unknowns(j, ctx)
        if required and required_known and not planned:
            for lo, hi in subtract(worked, exempt):
                cuts = [lo, *_breakpoints(j, ctx, lo, hi), hi + 1]
                for a, nxt in zip(cuts, cuts[1:], strict=False):
                    _classify(j, a, nxt - 1, ctx)
        gaps: dict[str, Gap] = {}
        for r, ivs in j.gaps.items():
            gaps[r] = Gap(sum([b - a + 1 for a, b in ivs]), date.fromordinal(min([a for a, _b in ivs])))
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
        permit_row = ctx.ref.permit_for(employer.type, first_day) if employer is not None and needs_permit else None
        permit_needed = "none" if required_known and not needs_permit else permit_row.permit if permit_row else None
        used, left, last = _ongoing_secondment(j, ctx.as_of, current.region if current else None) \
            if not planned and job_end > as_of else (None, None, None)
        out.append(JobPermit(
            index=i, job=job, employer=employer, regime=regime.regime, permit_required=bool(required),
            permit_needed=permit_needed, permit_held=held is not None,
            planned=planned, ongoing=not planned and job_end > as_of,
            days_worked=sum([b - a + 1 for a, b in worked]) if not planned else 0,
            days_without_permit=sum([g.days for g in gaps.values()]),
            first_day_without_permit=min([g.since for g in gaps.values()], default=None), gaps=gaps,
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
    for k, doc, _w in j.docs:
        if doc.type == "work_permit" and doc.employer == j.job.employer:
            if doc.region and not j.job.region:
                ctx.skip("work permit region", f"employment[{j.index}].region")
            if j.job.category is None:
                ctx.skip("work permit category", f"employment[{j.index}].category")
        if doc.type == "labour_immigrant_permit" and doc.tax_paid_until is None:
            ctx.skip("labour-immigrant advance income tax", f"documents[{k}].tax_paid_until")
