"""Registration and host notification: the deadlines of each stay and how late they were met.

Two duties, each with its own deadline, met by the one `registered_on` date (the host's notification
or the person's registration, spec):
- the host's notice (host_notice framework): the receiving party notifies the OVD within N working
  days of the arrival at its address, for every guest, EAEU and Uzbek citizens included (brief C3),
  from 2018-01-09, when KoAP 518 p.1's late-notification limb took effect (C6, C7; earlier U);
  N = 3, and 3 after an address change from 2022-12;
- the foreigner's own registration (C7): within 5 working days of arrival until 2020-01-10, and for
  stays beyond an exemption period: EAEU citizens 30 days from entry (Treaty art. 97), Uzbek citizens
  30 days from the protocol (C14), everyone else 30 days from 2020-01-11 (stays up to 30 days need
  none; a longer stay is read as due by the 30th day, U).
From 2026-07-01 citizens of 90-day-regime states (EAEU, CIS, visa-free) register online no later than
the 30th calendar day after crossing the border, 5 working days after an address change, and the host
confirms in an app (its deadline read as the registration's, U; `host_confirmed_on` left out: taken
as part of the registration). Others (visa holders) stay under host_notice (brief s.3, U).
Working days come from the KZ calendar; the arrival day itself is not counted.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Optional, Sequence

from .case import Stay
from .context import Context
from .dates import after, end_day
from .plugins.hookspecs import RegimeDecision
from .stay_limits import TripTerm

ONLINE_REGIMES = ("eaeu", "cis", "visa_free")


# The records below are plain classes, built once by stay_registrations and only read after: compiled
# (mypyc), a plain class's __init__ is native, where a dataclass keeps the interpreted one it generates
# (a frozen one costs three times as much again, setting each field through object.__setattr__).
class Duty:
    """One registration duty of a stay: its deadline and how late it was met."""

    def __init__(self, needed: bool, deadline: int, allowed_working_days: Optional[int], late_days: int) -> None:
        self.needed = needed
        self.deadline = deadline                          # ordinal day
        self.allowed_working_days = allowed_working_days
        self.late_days = late_days  # calendar days past the deadline (until registration or as_of)


class StayFields:
    """A stay's fields, each read once from the case model for the registration and the stay fact. Read from the
    model's __dict__ (where pydantic keeps a model's field values): from compiled code, an attribute read of a model
    is a generic getattr through pydantic's __getattr__ hook, where a read of the dict is native."""

    def __init__(self, stay: Stay) -> None:
        values: dict[str, Any] = stay.__dict__
        self.host: Optional[str] = values["host"]
        self.arrival: date = values["from_"]
        self.day: int = self.arrival.toordinal()
        self.year: int = self.arrival.year  # the calendar is asked by year and ordinal
        self.to: Optional[date] = values["to"]
        self.to_day = end_day(self.to)  # FAR_FUTURE_DAY while open
        self.registered_on: Optional[date] = values["registered_on"]
        self.confirmed_on: Optional[date] = values["host_confirmed_on"]


class StayRegistration:
    """One stay's registration: which framework governs it, its duties, and how they were met by as_of."""

    def __init__(self, index: int, fields: StayFields, regime: RegimeDecision, framework: str, address_change: bool,
                 duty: Optional[Duty], own: Optional[Duty], exempt_days: Optional[int], registered: bool,
                 working_days_taken: int, ongoing: bool, host_confirm_late_days: int) -> None:
        self.index = index
        self.fields = fields                # the stay's own fields
        self.regime = regime                # the regime on the day of entry (of arrival, trips unknown)
        self.framework = framework          # host_notice or online
        self.address_change = address_change
        self.duty = duty  # host_notice: the host's notice (None before it was law); online: the foreigner's
        self.own = own                      # host_notice: the foreigner's own registration (None where none applied)
        self.exempt_days = exempt_days      # the foreigner's exemption from their own registration, days from entry
        self.registered = registered        # registered on or before as_of
        self.working_days_taken = working_days_taken  # working days from arrival to registration (or to as_of)
        self.ongoing = ongoing
        # online: days the host's confirmation came after the deadline
        self.host_confirm_late_days = host_confirm_late_days


def _trip_on(day: int, entries: list[int], terms: Sequence[TripTerm]) -> Optional[TripTerm]:
    """The trip under way on `day` (entry to exit, both included), if any, by bisection over the trips'
    entry days (trips do not overlap, so at most one holds a day)."""
    k = after(entries, day) - 1
    if k < 0:
        return None
    term = terms[k]
    left = term.exit_day
    return term if left is None or day <= left else None


def _moves(stays: list[StayFields], trips: list[Optional[TripTerm]]) -> list[bool]:
    """Per stay (in `trips`), whether it is an address change: an earlier stay in the same trip (or, trips
    unknown, one ending the day before). Stays do not overlap, so only the stay just before can be either."""
    moved = [False] * len(stays)
    days = [f.day for f in stays]
    order = list(range(len(days)))  # by arrival, ties in given order: as given, unless some stay is out of order
    for k in range(1, len(days)):
        if days[k] < days[k - 1]:
            order = [k for _, k in sorted([(day, k) for k, day in enumerate(days)])]
            break
    for k in range(1, len(order)):
        before, i = order[k - 1], order[k]
        trip = trips[i]
        if trip is not None:
            moved[i] = trip.entry_day <= days[before]
        else:
            left = stays[before].to
            moved[i] = left is not None and left.toordinal() >= days[i] - 1
    return moved


def _late(needed: bool, deadline: int, reached: int) -> int:
    return max(0, reached - deadline) if needed else 0


def _exemption(ctx: Context, entry: date, first: int, regime: RegimeDecision) -> Optional[int]:
    """Days from entry the foreigner needs no registration of their own: the regime's (EAEU, Uzbekistan),
    else the general one for stays up to 30 days (from 2020-01-11)."""
    found = ctx.decided("kzc_registration_exempt_days", entry, regime=regime, ref=ctx.ref)
    return found[0] if found is not None else ctx.parameter_day("registration.foreigner_exempt_stay_days", first)


def stay_registrations(ctx: Context, terms: Sequence[TripTerm]) -> list[StayRegistration]:
    """Every stay that began on or before as_of, with its registration deadlines and delays; `terms` are the
    case's trips begun by as_of (trip_terms, sorted by entry), the only ones such a stay can fall in."""
    out: list[StayRegistration] = []
    stays = ctx.case.stays or []
    if not stays:
        return out
    as_of, calendar = ctx.as_of, ctx.calendar
    today, this_year = as_of.toordinal(), as_of.year
    entries = [t.entry_day for t in terms]
    read = [StayFields(s) for s in stays]
    trips = [_trip_on(f.day, entries, terms) for f in read]
    moves = _moves(read, trips)
    for i, fields in enumerate(read):
        day = fields.day
        if day > today:
            continue
        arrival, year = fields.arrival, fields.year
        term, moved = trips[i], moves[i]
        entry, first = (term.entry, term.entry_day) if term is not None else (arrival, day)
        regime = ctx.regime(entry)
        to, registered_on, confirmed_on = fields.to, fields.registered_on, fields.confirmed_on
        to_day = fields.to_day
        ends = to_day if to is not None and to_day <= today else None
        left = term.exit_day if term is not None else None
        if left is not None and left <= today:
            ends = min(ends, left) if ends is not None else left
        registered_day = registered_on.toordinal() if registered_on is not None else None
        registered = registered_day is not None and registered_day <= today
        if registered and registered_on is not None and registered_day is not None:
            reached_year, reached_day = registered_on.year, registered_day
        else:
            reached_year, reached_day = this_year, today
        online_days = ctx.parameter_day("registration.online_days_after_entry", day)
        own: Optional[Duty] = None
        exempt = None
        duty: Optional[Duty] = None
        if online_days is not None and regime.regime in ONLINE_REGIMES:
            framework = "online"
            allowed = ctx.parameter_day("registration.address_change_working_days", day) if moved else None
            if moved:
                deadline = calendar.working_day_after(year, day, allowed or 0)
            else:
                deadline = first + online_days
            needs = not (ends is not None and ends <= deadline)
            duty = Duty(needs, deadline, allowed, _late(needs, deadline, reached_day))
        else:
            framework = "host_notice"
            allowed = ctx.parameter_day("registration.address_change_working_days", day) if moved else None
            if allowed is None:
                allowed = ctx.parameter_day("registration.host_notice_working_days", day)
            if allowed is not None:
                deadline = calendar.working_day_after(year, day, allowed)
                duty = Duty(True, deadline, allowed, _late(True, deadline, reached_day))
            exempt = _exemption(ctx, entry, first, regime)
            if exempt is not None:
                if term is None:
                    ctx.skip("registration exemption", "trips")
                exempt_until = first + exempt - 1
                needs = not (ends is not None and ends <= exempt_until)
                # a stay begun after the exemption ran out (a move after day 30) is registered as any arrival:
                # by the host's deadline for it, never before the stay began
                due = exempt_until if day <= exempt_until else duty.deadline if duty else day
                own = Duty(needs, due, None, _late(needs, due, reached_day))
            else:
                own_days = ctx.parameter_day("registration.foreigner_working_days", day)
                if own_days is not None:
                    deadline = calendar.working_day_after(year, day, own_days)
                    own = Duty(True, deadline, own_days, _late(True, deadline, reached_day))
        confirm_late = 0
        if framework == "online" and duty is not None and duty.needed and confirmed_on is not None:
            confirm_late = max(0, min(confirmed_on.toordinal(), today) - duty.deadline)
        taken = calendar.working_days_from(year, day, reached_year, reached_day)
        out.append(StayRegistration(i, fields, regime, framework, moved, duty, own, exempt, registered, taken,
                                    to is None or to_day > today, confirm_late))
    return out
