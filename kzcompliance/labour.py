"""Work permits: which days of each job a permit covers.

A job needs a permit unless the person's regime exempts it (EAEU, via the plugin) or a document
frees its holder (permanent residence). Permits cover days by kind: an IRS work permit only for the
employer it names, a labour-immigrant permit only for a household (individual) employer, a
qualification certificate for any employer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from .case import Employer, Employment
from .context import Context
from .dates import FAR_FUTURE_DAY, Interval, covering, merge, subtract


@dataclass(frozen=True)
class JobPermit:
    index: int
    job: Employment
    employer: Optional[Employer]
    regime: str
    permit_required: bool
    planned: bool                      # starts after as_of
    ongoing: bool
    days_worked: int
    days_without_permit: int
    first_day_without_permit: Optional[date]
    permit_until: Optional[date]       # end of the permit covering as_of (or the planned start)
    renew_by: Optional[date]           # the permit ends while the job goes on
    obtain_by: Optional[date]          # a planned job with no permit for its start


def _permit_days(job: Employment, employer: Optional[Employer], ctx: Context) -> tuple[list[Interval], list[Interval]]:
    """(days covered by a permit for this job, days its holder needs none), merged."""
    permits, exempt = [], []
    for doc in ctx.case.documents or []:
        work = ctx.ref.documents[doc.type].work
        span = (doc.valid_from.toordinal(), doc.valid_until.toordinal() if doc.valid_until else FAR_FUTURE_DAY)
        if work == "exempt":
            exempt.append(span)
        elif work == "any" or (work == "same_employer" and doc.employer == job.employer) or (
                work == "household" and (employer is None or employer.type == "individual")):
            permits.append(span)
    return merge(permits), merge(exempt)


def job_permits(ctx: Context) -> list[JobPermit]:
    """Every job in the case, measured against the permits held."""
    out = []
    as_of = ctx.as_of.toordinal()
    for i, job in enumerate(ctx.case.employment or []):
        employer = ctx.case.employer(job.employer)
        regime = ctx.regime(job.start)
        required, _reason = ctx.pm.hook.kzc_permit_required(country=ctx.country, regime=regime, on=job.start)
        planned = job.start > ctx.as_of
        start = job.start.toordinal()
        end = min(job.end.toordinal() if job.end else FAR_FUTURE_DAY, as_of)
        permits, exempt = _permit_days(job, employer, ctx)
        if required and ctx.case.documents is None:
            ctx.skip("work permit", "documents")
            required_known = False
        else:
            required_known = True
        worked = [(start, end)] if not planned else []
        missing = subtract(subtract(worked, exempt), permits) if required and required_known else []
        probe = max(start, as_of)
        held = covering(permits, probe)
        exempt_now = covering(exempt, probe) is not None
        permit_until = date.fromordinal(held[1]) if held and held[1] < FAR_FUTURE_DAY else None
        job_end = job.end.toordinal() if job.end else FAR_FUTURE_DAY
        needs_permit = required and required_known and not exempt_now
        renew_by = permit_until if needs_permit and permit_until and permit_until.toordinal() < job_end else None
        obtain_by = job.start if needs_permit and planned and held is None else None
        out.append(JobPermit(
            index=i, job=job, employer=employer, regime=regime.regime, permit_required=bool(required),
            planned=planned, ongoing=not planned and job_end > as_of,
            days_worked=max(0, end - start + 1) if not planned else 0,
            days_without_permit=sum(b - a + 1 for a, b in missing),
            first_day_without_permit=date.fromordinal(missing[0][0]) if missing else None,
            permit_until=permit_until, renew_by=renew_by, obtain_by=obtain_by))
    return out
