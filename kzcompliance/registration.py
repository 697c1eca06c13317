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

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

from .case import Stay, Trip
from .context import Context
from .plugins.hookspecs import RegimeDecision

ONLINE_REGIMES = ("eaeu", "cis", "visa_free")


# The records below are plain dataclasses, not frozen ones: a frozen dataclass sets each field through
# object.__setattr__, which made building them (a few per stay, every check) cost three times as much,
# compiled or not. Each is built once by stay_registrations and only read after.
@dataclass
class Duty:
    """One registration duty of a stay: its deadline and how late it was met."""

    needed: bool
    deadline: date
    allowed_working_days: Optional[int]
    late_days: int               # calendar days past the deadline (until registration or as_of)


@dataclass
class StayRegistration:
    """One stay's registration: which framework governs it, its duties, and how they were met by as_of."""

    index: int
    stay: Stay
    trip: Optional[Trip]
    framework: str               # host_notice or online
    address_change: bool
    duty: Optional[Duty]         # host_notice: the host's notice (None before it was law); online: the foreigner's
    own: Optional[Duty]          # host_notice: the foreigner's own registration (None where none applied)
    exempt_days: Optional[int]   # the foreigner's exemption from their own registration, days from entry
    registered: bool             # registered on or before as_of
    working_days_taken: int      # working days from arrival to registration (or to as_of)
    ongoing: bool
    host_confirm_late_days: int  # online: calendar days the host's confirmation came after the deadline


def _trip_of(stay: Stay, ctx: Context) -> Optional[Trip]:
    for trip in ctx.case.trips or []:
        if trip.entry <= stay.from_ and (trip.exit is None or stay.from_ <= trip.exit):
            return trip
    return None


def _is_address_change(i: int, stay: Stay, trip: Optional[Trip], ctx: Context) -> bool:
    """An earlier stay in the same trip (or, trips unknown, one ending the day before) makes this a move."""
    for j, other in enumerate(ctx.case.stays or []):
        if j == i or other.from_ >= stay.from_:
            continue
        if trip is not None:
            if trip.entry <= other.from_:
                return True
        elif other.to is not None and other.to >= stay.from_ - timedelta(days=1):
            return True
    return False


def _late(needed: bool, deadline: date, reached: date) -> int:
    return max(0, (reached - deadline).days) if needed else 0


def _exemption(ctx: Context, entry: date, regime: RegimeDecision) -> Optional[int]:
    """Days from entry the foreigner needs no registration of their own: the regime's (EAEU, Uzbekistan),
    else the general one for stays up to 30 days (from 2020-01-11)."""
    found = ctx.decided("kzc_registration_exempt_days", entry, regime=regime, ref=ctx.ref)
    return found[0] if found is not None else ctx.parameter("registration.foreigner_exempt_stay_days", entry)


def stay_registrations(ctx: Context) -> list[StayRegistration]:
    """Every stay that began on or before as_of, with its registration deadlines and delays."""
    out = []
    as_of, calendar = ctx.as_of, ctx.calendar
    for i, stay in enumerate(ctx.case.stays or []):
        arrival = stay.from_
        if arrival > as_of:
            continue
        trip = _trip_of(stay, ctx)
        entry = trip.entry if trip else arrival
        regime = ctx.regime(entry)
        moved = _is_address_change(i, stay, trip, ctx)
        ends = stay.to if stay.to is not None and stay.to <= as_of else None
        if trip is not None and trip.exit is not None and trip.exit <= as_of:
            ends = min(ends, trip.exit) if ends else trip.exit
        registered = stay.registered_on is not None and stay.registered_on <= as_of
        reached = stay.registered_on if registered and stay.registered_on else as_of
        online_days = ctx.parameter("registration.online_days_after_entry", arrival)
        own: Optional[Duty] = None
        exempt = None
        duty: Optional[Duty] = None
        if online_days is not None and regime.regime in ONLINE_REGIMES:
            framework = "online"
            allowed = ctx.parameter("registration.address_change_working_days", arrival) if moved else None
            if moved:
                deadline = calendar.add_working_days(arrival, allowed or 0)
            else:
                deadline = entry + timedelta(days=online_days)
            needs = not (ends is not None and ends <= deadline)
            duty = Duty(needs, deadline, allowed, _late(needs, deadline, reached))
        else:
            framework = "host_notice"
            allowed = ctx.parameter("registration.address_change_working_days", arrival) if moved else None
            if allowed is None:
                allowed = ctx.parameter("registration.host_notice_working_days", arrival)
            if allowed is not None:
                deadline = calendar.add_working_days(arrival, allowed)
                duty = Duty(True, deadline, allowed, _late(True, deadline, reached))
            exempt = _exemption(ctx, entry, regime)
            if exempt is not None:
                if trip is None:
                    ctx.skip("registration exemption", "trips")
                exempt_until = entry + timedelta(days=exempt - 1)
                needs = not (ends is not None and ends <= exempt_until)
                # a stay begun after the exemption ran out (a move after day 30) is registered as any arrival:
                # by the host's deadline for it, never before the stay began
                due = exempt_until if arrival <= exempt_until else duty.deadline if duty else arrival
                own = Duty(needs, due, None, _late(needs, due, reached))
            else:
                own_days = ctx.parameter("registration.foreigner_working_days", arrival)
                if own_days is not None:
                    deadline = calendar.add_working_days(arrival, own_days)
                    own = Duty(True, deadline, own_days, _late(True, deadline, reached))
        confirm_late = 0
        if framework == "online" and duty is not None and duty.needed and stay.host_confirmed_on is not None:
            confirm_late = max(0, (min(stay.host_confirmed_on, as_of) - duty.deadline).days)
        out.append(StayRegistration(
            index=i, stay=stay, trip=trip, framework=framework, address_change=moved, duty=duty, own=own,
            exempt_days=exempt, registered=registered,
            working_days_taken=calendar.working_days_between(arrival, reached),
            ongoing=stay.to is None or stay.to > as_of, host_confirm_late_days=confirm_late))
    return out
