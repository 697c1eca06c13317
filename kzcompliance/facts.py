"""Derived facts: the flat records the rules are evaluated on, one per trip, stay and job, and one per
local-staff ratio an employer's `staff` measures.

`FACT_FIELDS` is the schema rule files are checked against: each fact kind with its fields and
their types (int, bool, str, or date, an ISO string usable in messages, `since` and `due`).
A field whose value is not known is left out of the fact; a condition on a missing field is false.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Optional

from dateutil.relativedelta import relativedelta

from .context import Context
from .dates import end_day, iso, iso_date
from .labour import REASONS, job_permits
from .case import Employer
from .ratios import Parameter, staff_ratios
from .registration import stay_registrations
from .repeat import ban_since, is_repeat
from .stay_limits import TripTerm, leave_by, trip_terms

COMMON = {"kind": "str", "ref": "str", "on_day": "int", "subject_id": "str", "tier": "str", "regime": "str"}

FACT_FIELDS: dict[str, dict[str, str]] = {
    "trip": {**COMMON,
             "entry": "date", "exit": "date", "ongoing": "bool", "purpose": "str",
             "days_on_entry": "int", "last_lawful_day": "date", "overstay_days": "int", "overstay_since": "date",
             "limit_basis": "str", "basis_detail": "str", "allowed": "int", "days_in_window": "int",
             "window_days": "int", "leave_by": "date", "past_term": "bool", "term_ended": "date"},
    "stay": {**COMMON,
             "from": "date", "to": "date", "ongoing": "bool", "host_type": "str",
             "registration_framework": "str", "address_change": "bool", "needs_registration": "bool",
             "register_by": "date", "registered": "bool", "registered_on": "date", "late_days": "int",
             "working_days_taken": "int", "allowed_working_days": "int", "exempt_days": "int",
             "guest_overstay_days": "int", "guest_overstay_since": "date", "late_since": "date",
             "register_due": "date", "arrived_unlawful": "bool", "host_confirmed_on": "date",
             "host_confirm_late_days": "int", "host_confirm_late_since": "date", "late_repeat": "bool",
             "guest_overstay_repeat": "bool", "host_confirm_repeat": "bool",
             "own_needs_registration": "bool", "own_register_by": "date", "own_allowed_working_days": "int",
             "own_late_days": "int", "own_late_since": "date"},
    "job": {**COMMON,
            "employer_type": "str", "start": "date", "end": "date", "category": "str", "planned": "bool",
            "ongoing": "bool", "permit_required": "bool", "days_worked": "int", "days_without_permit": "int",
            "first_day_without_permit": "date", "permit_until": "date", "renew_by": "date", "obtain_by": "date",
            "permit_needed": "str", "permit_held": "bool", "region": "str", "permit_category": "str",
            "permit_region": "str",
            **{f"{r}_days": "int" for r in REASONS}, **{f"{r}_since": "date" for r in REASONS},
            "tax_paid_until": "date", "pay_tax_by": "date", "secondment_days_used": "int",
            "secondment_days_left": "int", "end_secondment_by": "date",
            "permit_ban_since": "date", "permit_ban_until": "date", "tax_mrp_per_month": "int"},
    "staff": {**COMMON,
              "measured_on": "date", "measure": "str", "group": "str", "local": "int", "foreign": "int", "total": "int",
              "ict": "int", "pct": "int", "limit": "int", "share": "str", "exempt": "bool"},
}

@dataclass(frozen=True)
class Derived:
    facts: list[dict[str, Any]]
    terms: list[TripTerm]


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _host_tier(ctx: Context, host_id: Optional[str]) -> Optional[str]:
    if ctx.case.hosts is None:
        ctx.skip("host sanction tier", "hosts")
        return None
    host = ctx.case.host(host_id)
    if host is None:
        ctx.skip("host sanction tier", "stays.host")
        return None
    return "individual" if host.type == "individual" else host.size


def _repeat(ctx: Context, host_id: Optional[str], conduct: Optional[date], window: int) -> Optional[bool]:
    """Whether a host's 518 offence starting on `conduct` repeats one decided within the window (518 p.3)."""
    if conduct is None:
        return None
    found = is_repeat(ctx.case.prior_offences, 518, host_id, conduct, window)
    if found is None:
        ctx.skip("repeat offence (KoAP 518 p.3)",
                 "prior_offences" if ctx.case.prior_offences is None else "prior_offences[].subject_id")
    return found


def staff_facts(employer: Employer, ref: str, on: date, parameter: Parameter) -> list[dict[str, Any]]:
    """One fact per local-staff ratio the employer's `staff` measures on `on` (none without `staff`)."""
    if employer.staff is None:
        return []
    tier = "individual" if employer.type == "individual" else employer.size
    return [_clean({
        "kind": "staff", "ref": ref, "on_day": on.toordinal(), "subject_id": employer.id, "tier": tier,
        "measured_on": on.isoformat(), "measure": r.measure, "group": r.group, "local": r.local,
        "foreign": r.foreign, "total": r.total, "ict": r.ict, "pct": r.pct, "limit": r.limit,
        "share": r.share_text, "exempt": r.exempt})
        for r in staff_ratios(employer.staff, employer.branch, on, parameter)]


def derive(ctx: Context) -> Derived:
    """All facts of the case as of ctx.as_of, and the trip terms they came from: one builder per fact kind."""
    terms = trip_terms(ctx)
    facts = trip_facts(ctx, terms) + stay_facts(ctx, terms) + job_facts(ctx)
    for i, e in enumerate(ctx.case.employers or []):
        facts.extend(staff_facts(e, f"employers[{i}].staff", ctx.as_of, ctx.parameter))
    return Derived(facts=facts, terms=terms)


def trip_facts(ctx: Context, terms: list[TripTerm]) -> list[dict[str, Any]]:
    """One `trip` fact per trip begun by as_of (rules/stay.yaml, rules/eaeu.yaml), from its term (stay_limits.py).
    Built without its unknown fields (as `_clean` leaves a fact), in the schema's order."""
    facts: list[dict[str, Any]] = []
    if ctx.case.trips is None:
        ctx.skip("stay", "trips")
    law_start = ctx.ref.law_start
    for t in terms:
        trip, ref = t.trip, f"trips[{t.index}]"
        if trip.entry < law_start:
            ctx.assume(ref, "before_law_start", entry=trip.entry.isoformat(), start=law_start.isoformat())
        fact: dict[str, Any] = {"kind": "trip", "ref": ref, "on_day": t.start, "tier": "individual",
                                "regime": t.regime.regime, "entry": trip.entry.isoformat(), "ongoing": t.ongoing}
        if trip.exit is not None:
            fact["exit"] = trip.exit.isoformat()
        if trip.purpose is not None:
            fact["purpose"] = trip.purpose
        fact["days_on_entry"] = t.days_on_entry
        if t.checkable:
            if t.last_lawful is not None:
                fact["last_lawful_day"] = iso(t.last_lawful)
            fact["limit_basis"], fact["basis_detail"] = t.limit_basis, t.basis_detail
            if t.allowed is not None:
                fact["allowed"] = t.allowed
            if t.days_in_window is not None:
                fact["days_in_window"] = t.days_in_window
                if t.regime.terms and t.regime.terms.window_days is not None:
                    fact["window_days"] = t.regime.terms.window_days
            fact["overstay_days"] = t.overstay_days
            if t.unlawful:
                fact["overstay_since"] = iso(t.unlawful[0][0])
            due = leave_by(t)
            if due is not None:
                fact["leave_by"] = due.isoformat()
                # unlawful now: leave now
                fact["past_term"] = past = t.ongoing and bool(t.unlawful) and t.unlawful[-1][1] == t.end
                if past and t.unlawful[-1][0] > t.start:
                    fact["term_ended"] = iso(t.unlawful[-1][0] - 1)
        facts.append(fact)

    return facts


def stay_facts(ctx: Context, terms: list[TripTerm]) -> list[dict[str, Any]]:
    """One `stay` fact per stay begun by as_of (rules/registration.yaml, rules/host.yaml): its registration
    duties (registration.py) and the guest's unlawful days there (from the trip terms)."""
    facts: list[dict[str, Any]] = []
    if ctx.case.stays is None:
        ctx.skip("registration", "stays")
    overstays = [(t, iv) for t in terms if t.checkable for iv in t.unlawful]
    window = ctx.parameter("koap.repeat_window_months", ctx.as_of) or 0
    calendar_until = ctx.ref.known_until("calendar_overrides")
    for r in stay_registrations(ctx):
        s = r.stay
        if s.from_ < ctx.ref.law_start:
            ctx.skip("registration before the law's start", f"stays[{r.index}].from")
        if any(d.allowed_working_days is not None and d.deadline > calendar_until for d in (r.duty, r.own) if d):
            ctx.assume(f"stays[{r.index}]", "calendar_carried_forward", until=calendar_until.isoformat())
        host = ctx.case.host(s.host)
        lo = s.from_.toordinal()
        hi = min(end_day(s.to), ctx.as_of.toordinal())
        guest_days, guest_since = 0, None
        for _t, (a, b) in overstays:
            x, y = max(a, lo), min(b, hi)
            if x <= y:
                guest_days += y - x + 1
                guest_since = x if guest_since is None else min(guest_since, x)
        entry = r.trip.entry if r.trip else s.from_
        d, own = r.duty, r.own
        late_since = d.deadline + timedelta(days=1) if d and d.late_days else None
        due = max(d.deadline, ctx.as_of) if d and d.needed and not r.registered and r.ongoing else None
        confirm_late_since = d.deadline + timedelta(days=1) if d and r.host_confirm_late_days else None
        facts.append(_clean({
            "kind": "stay", "ref": f"stays[{r.index}]", "on_day": s.from_.toordinal(), "subject_id": s.host,
            "tier": _host_tier(ctx, s.host), "regime": ctx.regime(entry).regime,
            "from": s.from_.isoformat(), "to": iso_date(s.to), "ongoing": r.ongoing,
            "host_type": host.type if host else None, "registration_framework": r.framework,
            "address_change": r.address_change, "needs_registration": d.needed if d else None,
            "register_by": d.deadline.isoformat() if d else None, "registered": r.registered,
            "registered_on": iso_date(s.registered_on) if r.registered else None,
            "late_days": d.late_days if d else None, "working_days_taken": r.working_days_taken,
            "allowed_working_days": d.allowed_working_days if d else None, "exempt_days": r.exempt_days,
            "own_needs_registration": own.needed if own else None,
            "own_register_by": own.deadline.isoformat() if own else None,
            "own_allowed_working_days": own.allowed_working_days if own else None,
            "own_late_days": own.late_days if own else None,
            "own_late_since": iso_date(own.deadline + timedelta(days=1)) if own and own.late_days else None,
            "guest_overstay_days": guest_days, "guest_overstay_since": iso(guest_since),
            "late_since": iso_date(late_since),
            "register_due": iso_date(due),
            "arrived_unlawful": guest_since == lo if guest_days else None,
            "host_confirmed_on": iso_date(s.host_confirmed_on),
            "host_confirm_late_days": r.host_confirm_late_days,
            "host_confirm_late_since": iso_date(confirm_late_since),
            "late_repeat": _repeat(ctx, s.host, late_since if r.framework == "host_notice" else None, window),
            "host_confirm_repeat": _repeat(ctx, s.host, confirm_late_since, window),
            "guest_overstay_repeat": _repeat(ctx, s.host, date.fromordinal(guest_since) if guest_since else None,
                                             window)}))

    return facts


def job_facts(ctx: Context) -> list[dict[str, Any]]:
    """One `job` fact per job (rules/labour.yaml): the days its permits cover and why others are not (labour.py)."""
    facts: list[dict[str, Any]] = []
    if ctx.case.employment is None:
        ctx.skip("work permit", "employment")
    ban_months = ctx.parameter("labour.permit_ban_months_after_519", ctx.as_of)
    for j in job_permits(ctx):
        if j.job.start < ctx.ref.law_start:
            ctx.skip("work permit before the law's start", f"employment[{j.index}].start")
        # a new permit is needed from the first day without one (a planned job: its start), else on as_of
        needed_on = j.first_day_without_permit or j.obtain_by or ctx.as_of
        banned = ban_since(ctx.case.prior_offences, 519, j.job.employer, needed_on, ban_months) if ban_months else None
        tier = None
        if ctx.case.employers is None:
            ctx.skip("employer sanction tier", "employers")
        elif j.employer is not None:
            tier = "individual" if j.employer.type == "individual" else j.employer.size
        facts.append(_clean({
            "kind": "job", "ref": f"employment[{j.index}]", "on_day": j.job.start.toordinal(),
            "subject_id": j.job.employer, "tier": tier, "regime": j.regime,
            "employer_type": j.employer.type if j.employer else None, "start": j.job.start.isoformat(),
            "end": iso_date(j.job.end), "category": j.job.category,
            "planned": j.planned, "ongoing": j.ongoing, "permit_required": j.permit_required,
            "days_worked": j.days_worked, "days_without_permit": j.days_without_permit,
            "first_day_without_permit": iso_date(j.first_day_without_permit),
            "permit_until": iso_date(j.permit_until),
            "renew_by": iso_date(j.renew_by),
            "obtain_by": iso_date(j.obtain_by),
            "permit_needed": j.permit_needed, "permit_held": j.permit_held,
            "region": j.job.region, "permit_category": j.permit_category, "permit_region": j.permit_region,
            **{f"{r}_days": g.days for r, g in j.gaps.items()},
            **{f"{r}_since": g.since.isoformat() for r, g in j.gaps.items()},
            "tax_paid_until": iso_date(j.tax_paid_until), "pay_tax_by": iso_date(j.pay_tax_by),
            "tax_mrp_per_month": ctx.parameter("labour.immigrant_tax_mrp_per_month", j.job.start)
            if j.pay_tax_by else None,
            "secondment_days_used": j.secondment_days_used, "secondment_days_left": j.secondment_days_left,
            "end_secondment_by": iso_date(j.end_secondment_by),
            "permit_ban_since": iso_date(banned),
            "permit_ban_until": iso_date(banned + relativedelta(months=ban_months))
            if banned and ban_months else None}))
    return facts
