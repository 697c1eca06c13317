"""Registration and host notification: the deadline of each stay and how late it was met.

Two frameworks, chosen by the date of arrival at the address (`stays[].from`):
- host_notice: the receiving party notifies the OVD within N working days of arrival (3 from about
  2019; 3 after an address change from 2022-12); EAEU and Uzbek citizens are exempt for 30 days
  from entry, so a stay that ends within that period needs no registration;
- online (from 2026-07-01, for 90-day-regime states: EAEU, CIS, visa-free): the foreigner registers
  online no later than the 30th calendar day after crossing the border; 5 working days after an
  address change. Others (visa holders) stay under host_notice (brief s.3, U). The host confirms the
  registration in an app; the Order gives the confirmation no deadline of its own, so it is read as due
  by the registration's deadline (U). `host_confirmed_on` left out: taken as part of the registration.
Working days come from the KZ calendar; the arrival day itself is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

from .case import Stay, Trip
from .context import Context
from .plugins import decided

ONLINE_REGIMES = ("eaeu", "cis", "visa_free")


@dataclass(frozen=True)
class StayRegistration:
    index: int
    stay: Stay
    trip: Optional[Trip]
    framework: str               # host_notice or online
    address_change: bool
    needs_registration: bool
    deadline: date
    allowed_working_days: Optional[int]
    exempt_days: Optional[int]
    registered: bool             # registered on or before as_of
    late_days: int               # calendar days past the deadline (until registration or as_of)
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


def stay_registrations(ctx: Context) -> list[StayRegistration]:
    """Every stay that began on or before as_of, with its registration deadline and delay."""
    out = []
    for i, stay in enumerate(ctx.case.stays or []):
        if stay.from_ > ctx.as_of:
            continue
        trip = _trip_of(stay, ctx)
        entry = trip.entry if trip else stay.from_
        regime = ctx.regime(entry)
        moved = _is_address_change(i, stay, trip, ctx)
        ends = stay.to if stay.to is not None and stay.to <= ctx.as_of else None
        if trip is not None and trip.exit is not None and trip.exit <= ctx.as_of:
            ends = min(ends, trip.exit) if ends else trip.exit
        online_days = ctx.parameter("registration.online_days_after_entry", stay.from_)
        exempt = None
        allowed = None
        if online_days is not None and regime.regime in ONLINE_REGIMES:
            framework = "online"
            if moved:
                allowed = ctx.parameter("registration.address_change_working_days", stay.from_)
                deadline = ctx.calendar.add_working_days(stay.from_, allowed or 0)
            else:
                deadline = entry + timedelta(days=online_days)
            needs = not (ends is not None and ends <= deadline)
        else:
            framework = "host_notice"
            allowed = ctx.parameter("registration.address_change_working_days", stay.from_) if moved else None
            if allowed is None:
                allowed = ctx.parameter("registration.host_notice_working_days", stay.from_) or 0
            deadline = ctx.calendar.add_working_days(stay.from_, allowed)
            needs = True
            found = decided(ctx.pm, "kzc_registration_exempt_days", country=ctx.country, regime=regime, on=entry,
                            ref=ctx.ref)
            if found is not None:
                exempt = found[0]
                if trip is None:
                    ctx.skip("registration exemption", "trips")
                exempt_until = entry + timedelta(days=exempt - 1)
                deadline = max(deadline, exempt_until)
                needs = not (ends is not None and ends <= exempt_until)
        registered = stay.registered_on is not None and stay.registered_on <= ctx.as_of
        reached = stay.registered_on if registered and stay.registered_on else ctx.as_of
        late = max(0, (reached - deadline).days) if needs else 0
        confirm_late = 0
        if framework == "online" and needs and stay.host_confirmed_on is not None:
            confirm_late = max(0, (min(stay.host_confirmed_on, ctx.as_of) - deadline).days)
        out.append(StayRegistration(
            index=i, stay=stay, trip=trip, framework=framework, address_change=moved, needs_registration=needs,
            deadline=deadline, allowed_working_days=allowed, exempt_days=exempt, registered=registered,
            late_days=late, working_days_taken=ctx.calendar.working_days_between(stay.from_, reached),
            ongoing=stay.to is None or stay.to > ctx.as_of, host_confirm_late_days=confirm_late))
    return out
