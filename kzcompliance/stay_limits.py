"""The stay-limit logic: for each trip, its last lawful day and overstay.

A day of a trip is lawful when a stay document (visa, residence permit, ...) or a plugin's basis
(the EAEU worker's contract) covers it, or when it is within the visa-free term of the entry and,
where the regime has a rolling cap (90/180, 42/180), the visa-free days in the window ending that
day stay within the cap. The cap counts only trips that began on or after the cap's start
(2023-01-27 for most regimes) and never days a document covers. The last lawful day ends the first
unbroken run of lawful days from the entry. A trip that began before the law's start (the tables' first
day) is counted, and its regime taken, from that start.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Optional, Sequence

from .case import Trip
from .context import Context
from .dates import FAR_FUTURE_DAY, DayIndex, Interval, after, end_day, merge, subtract
from .plugins.calls import Walk, hook_call
from .plugins.hookspecs import RegimeDecision


class TripTerm:
    """A trip measured against its lawful term, as of the check date. A plain class, built once by trip_terms
    and only read after: compiled, its __init__ is native, where a dataclass's generated one is interpreted."""

    def __init__(self, index: int, trip: Trip, entry: date, exit: Optional[date], purpose: Optional[str],
                 entry_day: int, exit_day: Optional[int], regime: RegimeDecision, start: int, end: int, ongoing: bool,
                 unlawful: tuple[Interval, ...], last_lawful: Optional[int], leave_by: Optional[int], limit_basis: str,
                 basis_detail: str, allowed: Optional[int], days_in_window: Optional[int], window: Optional[int],
                 checkable: bool) -> None:
        self.index = index
        self.trip = trip
        self.entry = entry                  # the trip's entry and exit, read once from the case for every
        self.exit = exit                    # later reader (the trip and stay facts) ...
        self.purpose = purpose
        self.entry_day = entry_day          # ... and as ordinals (a date's toordinal, compiled, is a method call)
        self.exit_day = exit_day
        self.regime = regime
        self.start = start                  # the day it is judged from (its entry, or the law's start), ordinal
        self.end = end                      # last counted day on or before as_of, ordinal
        self.ongoing = ongoing              # still in the country on as_of
        self.unlawful = unlawful            # counted days no basis covered
        self.last_lawful = last_lawful  # the day before the first unlawful day, else the projected end; None: no end
        self.leave_by = leave_by  # ongoing trips: the last lawful day ahead (as_of if unlawful now); None: no end
        self.limit_basis = limit_basis      # visa_free_entry, visa_free_cap, document, eaeu_contract, none, unlimited
        self.basis_detail = basis_detail    # the document type or basis kind that set the limit
        self.allowed = allowed              # the term that bit: per-entry days or cap days
        self.days_in_window = days_in_window
        self.window = window                # the rolling cap's window, days (None: no cap counted)
        self.checkable = checkable          # False when a left-out list could extend the stay

    @property
    def days_on_entry(self) -> int:
        return self.end - self.start + 1

    @property
    def overstay_days(self) -> int:
        return sum(b - a + 1 for a, b in self.unlawful)

    @property
    def overstay_since(self) -> Optional[int]:
        return self.unlawful[0][0] if self.unlawful else None


Piece = tuple[int, int, str, str]  # a lawful-basis run: first and last ordinal day, its kind, its detail


class _Coverage:
    """The lawful-basis days of a case's trips: its stay documents' (the same for every trip, worked out once)
    and the plugins' bases for each trip (kzc_stay_bases, asked per trip)."""

    def __init__(self, ctx: Context) -> None:
        self.case, self.ref = ctx.case, ctx.ref
        self.stay_bases: Callable[..., Any] = hook_call(ctx.pm, "kzc_stay_bases")  # the walk, not pluggy's call loop
        # the hook's keywords, one dict for every trip (its trip and regime set per call)
        self.asked: dict[str, Any] = {"case": self.case, "trip": None, "regime": None, "ref": self.ref}
        walk = self.stay_bases
        self.walk = walk if isinstance(walk, Walk) and walk.takes(self.asked) else None  # asked natively
        self.documents: list[Piece] = []  # the labelled lawful-basis days the documents give
        for doc in self.case.documents or []:
            if self.ref.documents[doc.type].stay_basis:
                self.documents.append((doc.valid_from.toordinal(), end_day(doc.valid_until), "document", doc.type))
        self.document_days = DayIndex(merge([(a, b) for a, b, _, _ in self.documents]))

    def of(self, trip: Trip, regime: RegimeDecision) -> tuple[DayIndex, list[Piece]]:
        """Merged lawful-basis days for a trip and the labelled pieces: without a plugin's basis for the trip,
        the documents' own, shared by every trip (read only)."""
        # the hook answers a list (one item per plugin, each a list of bases, mostly empty): typed so, compiled, the
        # outer loop is a native list walk, and an empty answer costs a truth test, not an iterator
        asked = self.asked
        asked["trip"], asked["regime"] = trip, regime
        walk = self.walk
        answered: list[Any] = walk.ask_taken(asked) if walk is not None else self.stay_bases(**asked)
        added = [(b.start.toordinal(), end_day(b.until), b.kind, b.kind) for bases in answered if bases for b in bases]
        if not added:
            return self.document_days, self.documents
        days = DayIndex(merge([*self.document_days.intervals, *((a, b) for a, b, _, _ in added)]))
        return days, self.documents + added


class _TripWalk:
    """The lawful-day walk of one trip: its cover, visa-free term and rolling cap, and whether the
    visa-free term is still alive (it ends for this entry once exceeded). A window count is two bisections in each
    DayIndex: counted again when asked again, which costs less than keeping the counts by day (a dict boxes the day)."""

    def __init__(self, first: int, cover: DayIndex, vf_end: Optional[int], cap: Optional[int],
                 window: Optional[int], prior: DayIndex, prior_from: int) -> None:
        self.first = first
        self.cover = cover
        self.vf_end = vf_end
        self.cap = cap
        self.window = window
        self.prior = prior            # visa-free days of earlier trips ...
        self.prior_from = prior_from  # ... counted from this interval on (those entered on or after cap_from)
        self.vf_alive = True

    def in_window(self, day: int) -> int:
        """Visa-free days in the window ending on `day`: earlier trips' and this entry's own (uncovered) days."""
        assert self.window is not None
        lo = day - self.window + 1
        own_lo = lo if lo > self.first else self.first
        own = day - own_lo + 1 - self.cover.count(own_lo, day) if own_lo <= day else 0
        return self.prior.count(lo, day, self.prior_from) + own

    def visa_free_until(self, day: int, bound: int) -> int:
        """The end of the unbroken run of visa-free lawful days from the uncovered `day` (day - 1: none).

        On uncovered days the window count never falls (each day adds itself and drops at most the
        day leaving the window), so the run's end is found by bisection, not day by day.
        """
        vf_end = self.vf_end
        if vf_end is None or day > vf_end:
            return day - 1
        next_cover = self.cover.next_start(day)
        hi = bound if bound < vf_end else vf_end
        if next_cover is not None and next_cover - 1 < hi:
            hi = next_cover - 1
        cap = self.cap
        if cap is None or self.in_window(hi) <= cap:
            return hi
        lo = day - 1  # invariant: days up to lo are within the cap, hi is over it
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self.in_window(mid) <= cap:
                lo = mid
            else:
                hi = mid
        return lo

    def lawful_until(self, day: int, bound: int) -> int:
        """The last day of the unbroken lawful run from `day` (day - 1: none), at most `bound`:
        documents and bases jump ahead, the visa-free term runs while it is still alive."""
        cover = self.cover
        while day <= bound:
            c = cover.covering(day)
            if c is not None:
                day = c[1] + 1
            elif self.vf_alive and (run_end := self.visa_free_until(day, bound)) >= day:
                day = run_end + 1
            else:
                break
        return min(day - 1, bound)

    def unlawful(self, last: int) -> list[Interval]:
        """The counted days up to `last` no basis covers. Once the visa-free term or cap is exceeded it
        is over for this entry, and the days up to the next basis are unlawful."""
        out: list[Interval] = []
        day = self.first
        while (run_end := self.lawful_until(day, last)) < last:
            self.vf_alive = False
            later = self.cover.next_start(run_end + 1)
            stop = min(last, later - 1) if later is not None else last
            out.append((run_end + 1, stop))
            day = stop + 1
        return out


def trip_terms(ctx: Context) -> list[TripTerm]:
    """Every trip that began on or before as_of, with its term; sorted by entry.

    Linear in the trips: earlier trips' visa-free days are kept in one DayIndex (trips do not overlap,
    so they arrive in order), and every window count is two bisections. The documents' merged days,
    the same for every trip, are worked out once.
    """
    as_of, case = ctx.as_of, ctx.case
    out: list[TripTerm] = []
    listed = case.trips
    if not listed:
        return out
    # the left-out lists a trip's term may rest on: the documents always, the employment under the EAEU regime
    no_documents, no_employment = case.documents is None, case.employment is None
    today, law_start, count_exit = as_of.toordinal(), ctx.law_start, ctx.settings.count_exit_day
    law_start_day = law_start.toordinal()
    coverage = _Coverage(ctx)
    prior = DayIndex()          # visa-free counted days of the trips walked so far, in order
    prior_entries: list[int] = []  # entry of each trip walked so far ...
    prior_first: list[int] = []    # ... and the index of its first interval in `prior`
    # each trip's fields read once, from its __dict__ (registration.StayFields says why)
    trips: list[dict[str, Any]] = [t.__dict__ for t in listed]
    entries: list[date] = [t["entry"] for t in trips]
    # the regime last read and its terms' fields (trips mostly share one: compiled, a dataclass's field is a generic
    # getattr)
    seen: Optional[RegimeDecision] = None
    eaeu = False
    cap_from_day: Optional[int] = None
    per_entry: Optional[int] = None
    cap_days: Optional[int] = None
    window_days: Optional[int] = None
    for entry, index in sorted([(e, i) for i, e in enumerate(entries) if e <= as_of]):
        trip = listed[index]
        # judged from its entry, or from the law's start if it entered before; counted up to as_of, or to its
        # exit (the exit day itself under the day-count setting)
        entry_day = entry.toordinal()
        judged, first = (entry, entry_day) if entry_day > law_start_day else (law_start, law_start_day)
        regime = ctx.regime(judged)
        read = trips[index]
        left: Optional[date] = read["exit"]
        left_day = left.toordinal() if left is not None else None
        if left_day is None or left_day > today:
            last, ongoing = today, True
        else:
            last, ongoing = left_day, False
            if not count_exit and last > first:
                last -= 1
        if regime is not seen:
            seen, terms = regime, regime.terms
            eaeu = regime.regime == "eaeu"
            cap_from = terms.cap_from if terms else None
            cap_from_day = cap_from.toordinal() if cap_from else None
            per_entry = terms.per_entry_days if terms else None
            cap_days = terms.cap_days if terms else None
            window_days = terms.window_days if terms else None
        cover, pieces = coverage.of(trip, regime)
        missing = ["documents"] if no_documents else []
        if no_employment and eaeu:
            missing.append("employment")
        vf_end = first + per_entry - 1 if per_entry else None
        cap = cap_days if cap_from_day is not None and entry_day >= cap_from_day else None
        window = window_days if cap else None
        if cap_from_day is not None:
            k = after(prior_entries, cap_from_day - 1)  # the first trip entered on or after cap_from
            prior_from = prior_first[k] if k < len(prior_first) else len(prior)
        else:
            prior_from = len(prior)  # no earlier trip counts
        walk = _TripWalk(first, cover, vf_end, cap, window, prior, prior_from)
        unlawful = walk.unlawful(last)
        unlawful_now = bool(unlawful) and unlawful[-1][1] == last
        # Project an ongoing stay past as_of (presence assumed) to its last lawful day.
        projected: Optional[int] = None
        unlimited = False
        if ongoing and not unlawful_now:
            projected = walk.lawful_until(last + 1, FAR_FUTURE_DAY)
            unlimited = projected >= FAR_FUTURE_DAY
            if unlimited:
                projected = None
        if unlawful:
            lawful_to: Optional[int] = unlawful[0][0] - 1
        elif unlimited:
            lawful_to = None
        else:
            lawful_to = projected if ongoing else None
        leave = None
        if ongoing:
            leave = last if unlawful_now else projected

        basis, detail, allowed = "unlimited", "", None
        if lawful_to is not None:
            if lawful_to < first and cap is not None and vf_end is not None:
                basis, detail, allowed = "visa_free_cap", f"{cap} days in any {window} used up on entry", cap
            elif lawful_to < first:
                basis, detail = "none", "no visa-free term and no stay document"
            elif pieces and (ending := next((p for p in pieces if p[0] <= lawful_to == p[1]), None)) is not None:
                basis, detail = ending[2], ending[3]
            elif lawful_to == vf_end:
                basis, detail = "visa_free_entry", "visa-free term per entry"
                allowed = per_entry
            else:
                basis, detail, allowed = "visa_free_cap", f"{cap} days in any {window}", cap
        elif pieces and unlimited:
            detail = next(p[3] for p in pieces if p[1] >= FAR_FUTURE_DAY)

        checkable = not missing or (not unlawful and not ongoing)
        if not checkable:
            for needs in missing:
                ctx.skip("stay", needs)
        days_in_window = walk.in_window(unlawful[0][0] if unlawful else last) if cap else None
        out.append(TripTerm(index, trip, entry, left, read["purpose"], entry_day, left_day, regime, first, last,
                            ongoing, tuple(unlawful), lawful_to, leave, basis, detail, allowed, days_in_window, window,
                            checkable))
        prior_entries.append(first)
        prior_first.append(len(prior))
        for a, b in subtract([(first, last)], cover.intervals):
            prior.append(a, b)
    return out


@dataclass(frozen=True)
class WindowCounts:
    """The visa-free days a rolling cap counts in the window ending on each day from `first` (None: no cap
    applies that day), with that day's cap and window, and the counted days themselves."""

    first: int
    counted: list[Optional[int]]
    caps: list[Optional[int]]
    windows: list[Optional[int]]
    days: dict[int, list[int]]  # counted days, sorted, by the day's position's cap key
    keys: list[Optional[int]]

    def oldest(self, day: int) -> Optional[int]:
        """The earliest day counted in the window ending `day` (it leaves the window `window` days later)."""
        i = day - self.first
        key, window = self.keys[i], self.windows[i]
        if key is None or window is None:
            return None
        days = self.days[key]
        j = bisect_left(days, day - window + 1)
        return days[j] if j < len(days) and days[j] <= day else None


def _regimes(ctx: Context, lo: int, hi: int) -> "_Regimes":
    """The regime on each day of [lo, hi], looked up every `REGIME_PROBE_DAYS` days and by bisection between
    lookups that differ (a regime's terms hold for longer than a month between changes)."""
    def on(day: int) -> RegimeDecision:
        return ctx.regime(date.fromordinal(day))

    starts, found = [lo], [on(lo)]
    samples = [*range(lo + REGIME_PROBE_DAYS, hi, REGIME_PROBE_DAYS), hi]
    last = lo
    for day in samples:
        here = on(day)
        if here != found[-1]:
            a, b = last, day  # on(a) is found[-1], on(b) is not
            while b - a > 1:
                mid = (a + b) // 2
                if on(mid) == found[-1]:
                    a = mid
                else:
                    b = mid
            starts.append(b)
            found.append(on(b))
        last = day
    return _Regimes(starts, found)


@dataclass(frozen=True)
class _Regimes:
    starts: list[int]
    found: list[RegimeDecision]

    def __call__(self, day: int) -> RegimeDecision:
        return self.found[bisect_right(self.starts, day) - 1]


REGIME_PROBE_DAYS = 30


def window_counts(ctx: Context, terms: Sequence[TripTerm], first: int, last: int) -> WindowCounts:
    """For each day from `first` to `last`, the visa-free days in the window ending on it, counted as
    `trip_terms` counts them for the trip under way that day (else for an entry on it): uncovered days of
    trips that began since the cap's start. Counted by prefix sums over runs of days under the same terms."""
    coverage = _Coverage(ctx)
    free = [(t.start, subtract([(t.start, t.end)], coverage.of(t.trip, t.regime)[0].intervals)) for t in terms]
    regime_on = _regimes(ctx, first, last)
    cuts = sorted({first, last + 1, *regime_on.starts, *(d for t in terms for d in (t.start, t.end + 1))})
    out = WindowCounts(first=first, counted=[], caps=[], windows=[], days={}, keys=[])
    prefix: dict[tuple[int, int], tuple[int, list[int]]] = {}
    for a, stop in zip(cuts, cuts[1:], strict=False):
        if stop <= first or a > last:
            continue
        a, b = max(a, first), min(stop - 1, last)
        here = next((t for t in terms if t.start <= a <= t.end), None)
        stay = here.regime.terms if here is not None else regime_on(a).terms
        entry = here.start if here is not None else a
        n = b - a + 1
        if not (stay and stay.cap_days and stay.window_days and stay.cap_from and entry >= stay.cap_from.toordinal()):
            out.counted.extend([None] * n)
            out.caps.extend([None] * n)
            out.windows.extend([None] * n)
            out.keys.extend([None] * n)
            continue
        key = (stay.cap_from.toordinal(), stay.window_days)
        if key not in prefix:
            base, sums, days = _prefix(free, key[0], first - stay.window_days, last)
            prefix[key] = (base, sums)
            out.days[len(out.days)] = days
        base, sums = prefix[key]
        w = stay.window_days
        out.counted.extend([sums[d - base + 1] - sums[d - w + 1 - base] for d in range(a, b + 1)])
        out.caps.extend([stay.cap_days] * n)
        out.windows.extend([w] * n)
        out.keys.extend([list(prefix).index(key)] * n)
    return out


def _prefix(free: list[tuple[int, list[Interval]]], cap_from: int, base: int,
            last: int) -> tuple[int, list[int], list[int]]:
    """Counted days of trips entering on or after `cap_from`, from `base` to `last`: (base, sums, days) where
    sums[i] counts the days before base + i, and days lists the counted days in order."""
    flags = [0] * (last - base + 1)  # a list, not a bytearray: the compiled build (mypyc) iterates lists
    for start, ivs in free:
        if start >= cap_from:
            for a, b in ivs:
                a, b = max(a, base), min(b, last)
                if a <= b:
                    flags[a - base:b - base + 1] = [1] * (b - a + 1)
    return base, [0, *accumulate(flags)], [base + i for i, f in enumerate(flags) if f]

