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

from .context import Context
from .dates import end_day, iso
from .labour import REASONS, job_permits
from .case import Employer, Host
from .ratios import Parameter, staff_ratios
from .registration import Duty, stay_registrations
from .repeat import Offences, add_months
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


def _host_tier(ctx: Context, hosts: Optional[dict[str, Host]], host: Optional[Host]) -> Optional[str]:
    """The fine tier of a stay's host (`host`, found in the case's `hosts` by id), or None, noting why."""
    if hosts is None:
        ctx.skip("host sanction tier", "hosts")
        return None
    if host is None:
        ctx.skip("host sanction tier", "stays.host")
        return None
    return "individual" if host.type == "individual" else host.size


def _counts_past(duty: Optional[Duty], until: date) -> bool:
    """Whether a duty's deadline was counted in working days beyond the last day the calendar is known."""
    return duty is not None and duty.allowed_working_days is not None and duty.deadline > until


def _repeat(ctx: Context, offences: Offences, host_id: Optional[str], conduct: Optional[date],
            window: int) -> Optional[bool]:
    """Whether a host's 518 offence starting on `conduct` repeats one decided within the window (518 p.3)."""
    if conduct is None:
        return None
    found = offences.is_repeat(host_id, conduct, window)
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
    duties (registration.py) and the guest's unlawful days there (from the trip terms).

    Each fact is built once, unknown fields left out as it goes; the order of its fields is fixed, since a
    traced report lists them as built."""
    facts: list[dict[str, Any]] = []
    case = ctx.case
    if case.stays is None:
        ctx.skip("registration", "stays")
    overstays = [iv for t in terms if t.checkable for iv in t.unlawful]
    window = ctx.parameter("koap.repeat_window_months", ctx.as_of) or 0
    calendar_until = ctx.ref.known_until("calendar_overrides")
    law_start, today = ctx.ref.law_start, ctx.as_of.toordinal()
    hosts = None if case.hosts is None else {h.id: h for h in case.hosts}
    offences = Offences(case.prior_offences, 518)
    for r in stay_registrations(ctx):
        s, d, own = r.stay, r.duty, r.own
        ref = f"stays[{r.index}]"
        if s.from_ < law_start:
            ctx.skip("registration before the law's start", f"{ref}.from")
        if _counts_past(d, calendar_until) or _counts_past(own, calendar_until):
            ctx.assume(ref, "calendar_carried_forward", until=calendar_until.isoformat())
        host = hosts.get(s.host) if hosts is not None and s.host is not None else None
        lo = s.from_.toordinal()
        hi = min(end_day(s.to), today)
        guest_days, guest_since = 0, None
        for a, b in overstays:
            x, y = max(a, lo), min(b, hi)
            if x <= y:
                guest_days += y - x + 1
                guest_since = x if guest_since is None else min(guest_since, x)
        entry = r.trip.entry if r.trip else s.from_
        late_since = d.deadline + timedelta(days=1) if d and d.late_days else None
        due = max(d.deadline, ctx.as_of) if d and d.needed and not r.registered and r.ongoing else None
        confirm_late_since = d.deadline + timedelta(days=1) if d and r.host_confirm_late_days else None
        f: dict[str, Any] = {"kind": "stay", "ref": ref, "on_day": lo}
        if s.host is not None:
            f["subject_id"] = s.host
        tier = _host_tier(ctx, hosts, host)
        if tier is not None:
            f["tier"] = tier
        f["regime"] = ctx.regime(entry).regime
        f["from"] = s.from_.isoformat()
        if s.to is not None:
            f["to"] = s.to.isoformat()
        f["ongoing"] = r.ongoing
        if host is not None:
            f["host_type"] = host.type
        f["registration_framework"] = r.framework
        f["address_change"] = r.address_change
        if d is not None:
            f["needs_registration"] = d.needed
            f["register_by"] = d.deadline.isoformat()
        f["registered"] = r.registered
        if r.registered and s.registered_on is not None:
            f["registered_on"] = s.registered_on.isoformat()
        if d is not None:
            f["late_days"] = d.late_days
        f["working_days_taken"] = r.working_days_taken
        if d is not None and d.allowed_working_days is not None:
            f["allowed_working_days"] = d.allowed_working_days
        if r.exempt_days is not None:
            f["exempt_days"] = r.exempt_days
        if own is not None:
            f["own_needs_registration"] = own.needed
            f["own_register_by"] = own.deadline.isoformat()
            if own.allowed_working_days is not None:
                f["own_allowed_working_days"] = own.allowed_working_days
            f["own_late_days"] = own.late_days
            if own.late_days:
                f["own_late_since"] = (own.deadline + timedelta(days=1)).isoformat()
        f["guest_overstay_days"] = guest_days
        if guest_since is not None:
            f["guest_overstay_since"] = date.fromordinal(guest_since).isoformat()
        if late_since is not None:
            f["late_since"] = late_since.isoformat()
        if due is not None:
            f["register_due"] = due.isoformat()
        if guest_days:
            f["arrived_unlawful"] = guest_since == lo
        if s.host_confirmed_on is not None:
            f["host_confirmed_on"] = s.host_confirmed_on.isoformat()
        f["host_confirm_late_days"] = r.host_confirm_late_days
        if confirm_late_since is not None:
            f["host_confirm_late_since"] = confirm_late_since.isoformat()
        repeats = (("late_repeat", late_since if r.framework == "host_notice" else None),
                   ("host_confirm_repeat", confirm_late_since),
                   ("guest_overstay_repeat", date.fromordinal(guest_since) if guest_since else None))
        for name, conduct in repeats:
            found = _repeat(ctx, offences, s.host, conduct, window)
            if found is not None:
                f[name] = found
        facts.append(f)

    return facts


def job_facts(ctx: Context) -> list[dict[str, Any]]:
    """One `job` fact per job (rules/labour.yaml): the days its permits cover and why others are not (labour.py).

    Each fact is built once, unknown fields left out as it goes; the order of its fields is fixed, since a
    traced report lists them as built."""
    facts: list[dict[str, Any]] = []
    case = ctx.case
    if case.employment is None:
        ctx.skip("work permit", "employment")
    ban_months = ctx.parameter("labour.permit_ban_months_after_519", ctx.as_of)
    bans = Offences(case.prior_offences, 519) if ban_months and case.employment else None
    law_start = ctx.ref.law_start
    for j in job_permits(ctx):
        job = j.job
        ref = f"employment[{j.index}]"
        if job.start < law_start:
            ctx.skip("work permit before the law's start", f"{ref}.start")
        # a new permit is needed from the first day without one (a planned job: its start), else on as_of
        needed_on = j.first_day_without_permit or j.obtain_by or ctx.as_of
        banned = bans.ban_since(job.employer, needed_on, ban_months) if bans is not None and ban_months else None
        tier = None
        if case.employers is None:
            ctx.skip("employer sanction tier", "employers")
        elif j.employer is not None:
            tier = "individual" if j.employer.type == "individual" else j.employer.size
        f: dict[str, Any] = {"kind": "job", "ref": ref, "on_day": job.start.toordinal(), "subject_id": job.employer}
        if tier is not None:
            f["tier"] = tier
        f["regime"] = j.regime
        if j.employer is not None:
            f["employer_type"] = j.employer.type
        f["start"] = job.start.isoformat()
        if job.end is not None:
            f["end"] = job.end.isoformat()
        if job.category is not None:
            f["category"] = job.category
        f["planned"] = j.planned
        f["ongoing"] = j.ongoing
        f["permit_required"] = j.permit_required
        f["days_worked"] = j.days_worked
        f["days_without_permit"] = j.days_without_permit
        for name, day in (("first_day_without_permit", j.first_day_without_permit), ("permit_until", j.permit_until),
                          ("renew_by", j.renew_by), ("obtain_by", j.obtain_by)):
            if day is not None:
                f[name] = day.isoformat()
        if j.permit_needed is not None:
            f["permit_needed"] = j.permit_needed
        f["permit_held"] = j.permit_held
        for name, text in (("region", job.region), ("permit_category", j.permit_category),
                           ("permit_region", j.permit_region)):
            if text is not None:
                f[name] = text
        for reason, gap in j.gaps.items():
            f[f"{reason}_days"] = gap.days
        for reason, gap in j.gaps.items():
            f[f"{reason}_since"] = gap.since.isoformat()
        if j.tax_paid_until is not None:
            f["tax_paid_until"] = j.tax_paid_until.isoformat()
        if j.pay_tax_by is not None:
            f["pay_tax_by"] = j.pay_tax_by.isoformat()
            mrp = ctx.parameter("labour.immigrant_tax_mrp_per_month", job.start)
            if mrp is not None:
                f["tax_mrp_per_month"] = mrp
        if j.secondment_days_used is not None:
            f["secondment_days_used"] = j.secondment_days_used
        if j.secondment_days_left is not None:
            f["secondment_days_left"] = j.secondment_days_left
        if j.end_secondment_by is not None:
            f["end_secondment_by"] = j.end_secondment_by.isoformat()
        if banned is not None and ban_months:
            f["permit_ban_since"] = banned.isoformat()
            f["permit_ban_until"] = add_months(banned, ban_months).isoformat()
        facts.append(f)
    return facts
