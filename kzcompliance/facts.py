"""Derived facts: the flat records the rules are evaluated on, one per trip, stay and job, and one per
local-staff ratio an employer's `staff` measures.

`FACT_FIELDS` is the schema rule files are checked against: each fact kind with its fields and
their types (int, bool, str, or date, an ISO string usable in messages, `since` and `due`).
A field whose value is not known is left out of the fact; a condition on a missing field is false.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final, Optional

from .context import Context
from .dates import iso, iso_date
from .labour import REASONS, job_permits
from .case import Employer
from .ratios import Parameter, staff_ratios
from .registration import Duty, stay_registrations
from .repeat import Offences, add_months
from .stay_limits import TripTerm, trip_terms

# the job fact's fields of each reason a day lacks a permit (labour.REASONS)
GAP_DAYS: Final = {r: f"{r}_days" for r in REASONS}
GAP_SINCE: Final = {r: f"{r}_since" for r in REASONS}

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

class Derived:
    """What derive made of a case: its facts, in the order the rules see them, and the trip terms behind them."""

    def __init__(self, facts: list[dict[str, Any]], terms: list[TripTerm]) -> None:
        self.facts = facts
        self.terms = terms


def _host_tier(ctx: Context, hosts: Optional[dict[str, dict[str, Any]]],
               host: Optional[dict[str, Any]]) -> Optional[str]:
    """The fine tier of a stay's host (`host`, the fields of a case.Host found in the case's `hosts` by id), or
    None, noting why."""
    if hosts is None:
        ctx.skip("host sanction tier", "hosts")
        return None
    if host is None:
        ctx.skip("host sanction tier", "stays.host")
        return None
    kind: str = host["type"]
    return "individual" if kind == "individual" else host["size"]


def _counts_past(duty: Optional[Duty], until: int) -> bool:
    """Whether a duty's deadline was counted in working days beyond the last day the calendar is known."""
    return duty is not None and duty.allowed_working_days is not None and duty.deadline > until


def _repeat(ctx: Context, offences: Offences, host_id: Optional[str], conduct: Optional[int],
            window: int) -> Optional[bool]:
    """Whether a host's 518 offence starting on the ordinal day `conduct` repeats one decided within the
    window (518 p.3)."""
    if conduct is None:
        return None
    found = offences.is_repeat(host_id, conduct, window)
    if found is None:
        ctx.skip("repeat offence (KoAP 518 p.3)",
                 "prior_offences" if ctx.case.prior_offences is None else "prior_offences[].subject_id")
    return found


def staff_facts(employer: Employer, ref: str, on: date, parameter: Parameter) -> list[dict[str, Any]]:
    """One fact per local-staff ratio the employer's `staff` measures on `on` (none without `staff`)."""
    staff = employer.staff
    if staff is None:
        return []
    tier = "individual" if employer.type == "individual" else employer.size
    subject, day, measured = employer.id, on.toordinal(), iso_date(on)
    facts: list[dict[str, Any]] = []
    for r in staff_ratios(staff, employer.branch, on, parameter):
        fact: dict[str, Any] = {
            "kind": "staff", "ref": ref, "on_day": day, "subject_id": subject, "tier": tier, "measured_on": measured,
            "measure": r.measure, "group": r.group, "local": r.local, "foreign": r.foreign, "total": r.total,
            "ict": r.ict, "pct": r.pct, "limit": r.limit, "share": r.share_text, "exempt": r.exempt}
        if tier is None:  # an unknown field is left out
            del fact["tier"]
        facts.append(fact)
    return facts


def derive(ctx: Context) -> Derived:
    """All facts of the case as of ctx.as_of, and the trip terms they came from: one builder per fact kind."""
    terms = trip_terms(ctx)
    facts = trip_facts(ctx, terms)
    facts += stay_facts(ctx, terms)
    facts += job_facts(ctx)
    for i, e in enumerate(ctx.case.employers or []):
        facts += staff_facts(e, f"employers[{i}].staff", ctx.as_of, ctx.parameter)
    return Derived(facts, terms)


def trip_facts(ctx: Context, terms: list[TripTerm]) -> list[dict[str, Any]]:
    """One `trip` fact per trip begun by as_of (rules/stay.yaml, rules/eaeu.yaml), from its term (stay_limits.py).
    Built without its unknown fields, in the schema's order."""
    facts: list[dict[str, Any]] = []
    if ctx.case.trips is None:
        ctx.skip("stay", "trips")
    law_start = ctx.law_start
    for t in terms:
        ref = f"trips[{t.index}]"
        entry, purpose = t.entry, t.purpose
        if entry < law_start:
            ctx.assume(ref, "before_law_start", entry=iso_date(entry), start=iso_date(law_start))
        fact: dict[str, Any] = {"kind": "trip", "ref": ref, "on_day": t.start, "tier": "individual",
                                "regime": t.regime.regime, "entry": iso(t.entry_day), "ongoing": t.ongoing}
        left_day = t.exit_day
        if left_day is not None:
            fact["exit"] = iso(left_day)
        if purpose is not None:
            fact["purpose"] = purpose
        fact["days_on_entry"] = t.end - t.start + 1
        if t.checkable:
            unlawful = t.unlawful
            if t.last_lawful is not None:
                fact["last_lawful_day"] = iso(t.last_lawful)
            fact["limit_basis"], fact["basis_detail"] = t.limit_basis, t.basis_detail
            if t.allowed is not None:
                fact["allowed"] = t.allowed
            if t.days_in_window is not None:
                fact["days_in_window"] = t.days_in_window
                if t.window is not None:
                    fact["window_days"] = t.window
            fact["overstay_days"] = t.overstay_days
            if unlawful:
                fact["overstay_since"] = iso(unlawful[0][0])
            if t.leave_by is not None:
                fact["leave_by"] = iso(t.leave_by)
                # unlawful now: leave now
                fact["past_term"] = past = t.ongoing and bool(unlawful) and unlawful[-1][1] == t.end
                if past and unlawful[-1][0] > t.start:
                    fact["term_ended"] = iso(unlawful[-1][0] - 1)
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
    calendar_until = ctx.calendar.known_until  # read once per process, where ReferenceData's method is interpreted
    known_until = calendar_until.toordinal()
    law_start, today = ctx.law_start, ctx.as_of.toordinal()
    # each host's fields, by id, read once from its __dict__ (registration.StayFields says why)
    hosts = None if case.hosts is None else {h["id"]: h for h in [h.__dict__ for h in case.hosts]}
    offences = Offences(case.prior_offences, 518)
    for r in stay_registrations(ctx, terms):
        d, own = r.duty, r.own
        ref = f"stays[{r.index}]"
        s = r.fields
        arrival, to, host_id = s.arrival, s.to, s.host
        if arrival < law_start:
            ctx.skip("registration before the law's start", f"{ref}.from")
        if _counts_past(d, known_until) or _counts_past(own, known_until):
            ctx.assume(ref, "calendar_carried_forward", until=iso_date(calendar_until))
        host = hosts.get(host_id) if hosts is not None and host_id is not None else None
        lo = s.day
        hi = min(s.to_day, today)
        guest_days, guest_since = 0, None
        for a, b in overstays:
            x, y = max(a, lo), min(b, hi)
            if x <= y:
                guest_days += y - x + 1
                guest_since = x if guest_since is None else min(guest_since, x)
        late_since = d.deadline + 1 if d is not None and d.late_days else None
        due = max(d.deadline, today) if d is not None and d.needed and not r.registered and r.ongoing else None
        confirm_late_since = d.deadline + 1 if d is not None and r.host_confirm_late_days else None
        f: dict[str, Any] = {"kind": "stay", "ref": ref, "on_day": lo}
        if host_id is not None:
            f["subject_id"] = host_id
        tier = _host_tier(ctx, hosts, host)
        if tier is not None:
            f["tier"] = tier
        f["regime"] = r.regime.regime
        f["from"] = iso(lo)
        if to is not None:
            f["to"] = iso(s.to_day)
        f["ongoing"] = r.ongoing
        if host is not None:
            f["host_type"] = host["type"]
        f["registration_framework"] = r.framework
        f["address_change"] = r.address_change
        if d is not None:
            f["needs_registration"] = d.needed
            f["register_by"] = iso(d.deadline)
        f["registered"] = r.registered
        if r.registered:
            registered_on = s.registered_on
            if registered_on is not None:
                f["registered_on"] = iso_date(registered_on)
        if d is not None:
            f["late_days"] = d.late_days
        f["working_days_taken"] = r.working_days_taken
        if d is not None and d.allowed_working_days is not None:
            f["allowed_working_days"] = d.allowed_working_days
        if r.exempt_days is not None:
            f["exempt_days"] = r.exempt_days
        if own is not None:
            f["own_needs_registration"] = own.needed
            f["own_register_by"] = iso(own.deadline)
            if own.allowed_working_days is not None:
                f["own_allowed_working_days"] = own.allowed_working_days
            f["own_late_days"] = own.late_days
            if own.late_days:
                f["own_late_since"] = iso(own.deadline + 1)
        f["guest_overstay_days"] = guest_days
        if guest_since is not None:
            f["guest_overstay_since"] = iso(guest_since)
        if late_since is not None:
            f["late_since"] = iso(late_since)
        if due is not None:
            f["register_due"] = iso(due)
        if guest_days:
            f["arrived_unlawful"] = guest_since == lo
        confirmed_on = s.confirmed_on
        if confirmed_on is not None:
            f["host_confirmed_on"] = iso_date(confirmed_on)
        f["host_confirm_late_days"] = r.host_confirm_late_days
        if confirm_late_since is not None:
            f["host_confirm_late_since"] = iso(confirm_late_since)
        repeats = (("late_repeat", late_since if r.framework == "host_notice" else None),
                   ("host_confirm_repeat", confirm_late_since),
                   ("guest_overstay_repeat", guest_since))
        for name, conduct in repeats:
            found = _repeat(ctx, offences, host_id, conduct, window)
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
    law_start = ctx.law_start
    employers_known = case.employers is not None
    for j in job_permits(ctx):
        start, end, employer_id = j.start, j.end, j.employer_id
        ref = f"employment[{j.index}]"
        if start < law_start:
            ctx.skip("work permit before the law's start", f"{ref}.start")
        # a new permit is needed from the first day without one (a planned job: its start), else on as_of
        needed_on = j.first_day_without_permit or j.obtain_by or ctx.as_of
        banned = bans.ban_since(employer_id, needed_on, ban_months) if bans is not None and ban_months else None
        employer_type = j.employer_type
        tier = None
        if not employers_known:
            ctx.skip("employer sanction tier", "employers")
        elif employer_type is not None:
            tier = "individual" if employer_type == "individual" else j.employer_size
        start_day = start.toordinal()
        f: dict[str, Any] = {"kind": "job", "ref": ref, "on_day": start_day, "subject_id": employer_id}
        if tier is not None:
            f["tier"] = tier
        f["regime"] = j.regime
        if employer_type is not None:
            f["employer_type"] = employer_type
        f["start"] = iso(start_day)
        if end is not None:
            f["end"] = iso_date(end)
        category = j.category
        if category is not None:
            f["category"] = category
        f["planned"] = j.planned
        f["ongoing"] = j.ongoing
        f["permit_required"] = j.permit_required
        f["days_worked"] = j.days_worked
        f["days_without_permit"] = j.days_without_permit
        for name, day in (("first_day_without_permit", j.first_day_without_permit), ("permit_until", j.permit_until),
                          ("renew_by", j.renew_by), ("obtain_by", j.obtain_by)):
            if day is not None:
                f[name] = iso_date(day)
        if j.permit_needed is not None:
            f["permit_needed"] = j.permit_needed
        f["permit_held"] = j.permit_held
        for name, text in (("region", j.region), ("permit_category", j.permit_category),
                           ("permit_region", j.permit_region)):
            if text is not None:
                f[name] = text
        gaps = j.gaps
        for reason, gap in gaps.items():
            f[GAP_DAYS[reason]] = gap.days
        for reason, gap in gaps.items():
            f[GAP_SINCE[reason]] = iso_date(gap.since)
        if j.tax_paid_until is not None:
            f["tax_paid_until"] = iso_date(j.tax_paid_until)
        if j.pay_tax_by is not None:
            f["pay_tax_by"] = iso_date(j.pay_tax_by)
            mrp = ctx.parameter_day("labour.immigrant_tax_mrp_per_month", start_day)
            if mrp is not None:
                f["tax_mrp_per_month"] = mrp
        if j.secondment_days_used is not None:
            f["secondment_days_used"] = j.secondment_days_used
        if j.secondment_days_left is not None:
            f["secondment_days_left"] = j.secondment_days_left
        if j.end_secondment_by is not None:
            f["end_secondment_by"] = iso_date(j.end_secondment_by)
        if banned is not None and ban_months:
            f["permit_ban_since"] = iso_date(banned)
            f["permit_ban_until"] = iso_date(add_months(banned, ban_months))
        facts.append(f)
    return facts
