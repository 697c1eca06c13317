"""Kazakhstan working days: the `holidays` package's KZ calendar plus the seeds override table.

A working day is Monday-Friday, minus public holidays and their moved days, minus Government
day-off transfers, plus weekend days a transfer makes working. `holidays` covers transfers up to
2025; `seeds/calendar_overrides.csv` adds what it lacks or has wrong. A year the table lists whole
(it has `holiday` rows, e.g. 2026 from the official calendar) is the table's alone: its weekdays
are worked unless listed off, whatever version of `holidays` is installed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date, timedelta
from functools import lru_cache

import holidays

from .dates import after
from .seeds import ReferenceData, reference

RUNNING_YEARS = 8  # years of day-by-day running totals kept (a year: a list of 367 small ints, about 6 KB)


class WorkingCalendar:
    """Answers `is_working_day` and adds working days; thread-safe (per-year caches under a lock)."""

    def __init__(self, ref: ReferenceData | None = None) -> None:
        ref = ref or reference()
        self._off = {o.start for o in ref.overrides if o.kind != "working_day"}
        self._on = {o.start for o in ref.overrides if o.kind == "working_day"}
        self._listed = {o.start.year for o in ref.overrides if o.kind == "holiday"}
        self.known_until = ref.known_until("calendar_overrides")  # the last day the override table is known for
        self._kz = holidays.country_holidays("KZ")
        self._lock = threading.Lock()
        self._years: set[int] = set()
        # Running totals of the RUNNING_YEARS years used last, and each year's total: what a check keeps does
        # not grow with how far apart or how far ahead its dates lie. Lists, not arrays: compiled, reading a
        # list[int] is native, where an array's items are boxed through the generic protocol.
        self._totals: OrderedDict[int, tuple[int, list[int]]] = OrderedDict()
        # the years last moved to the end of _totals, with their totals: asked again, they need no lock nor look-up
        # (a stay's arrival and registration often fall in two years, asked in turn). Each slot one tuple, replaced
        # whole, so a reader never pairs a year with another year's totals; a year's totals never change.
        self._newest: tuple[int, tuple[int, list[int]]] = (0, (0, []))
        self._previous: tuple[int, tuple[int, list[int]]] = (0, (0, []))
        self._year_totals: dict[int, int] = {}

    def _ensure(self, year: int) -> None:
        if year not in self._years:
            with self._lock:
                if year not in self._years:
                    # populating a year mutates the holidays object: do it once, under the lock
                    self._kz.get(date(year, 1, 1))
                    self._years.add(year)

    def is_working_day(self, day: date) -> bool:
        return _is_working(self, day)

    def _compute(self, day: date) -> bool:
        if day in self._off:
            return False
        if day in self._on:
            return True
        if day.year in self._listed:
            return day.weekday() < 5
        self._ensure(day.year)
        return bool(self._kz.is_working_day(day))

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (start itself not counted); `start` when n <= 0."""
        return date.fromordinal(self.working_day_after(start.year, start.toordinal(), n))

    def working_day_after(self, year: int, i: int, n: int) -> int:
        """The ordinal of the n-th working day after the ordinal day `i` of `year` (`i` itself not counted); `i`
        when n <= 0. By year and ordinal, which the caller holds: compiled, a date's field or toordinal is a
        generic call.

        Found by bisection in the per-year running totals, a year at a time.
        """
        if n <= 0:
            return i
        while True:
            base, totals = self._running(year)
            target = totals[i - base] + n
            found = after(totals, target - 1, i - base + 1)  # the first day whose total reaches the target
            if found < len(totals):
                return base + found
            n = target - totals[-1]
            year, i = year + 1, base + len(totals) - 1  # carry on after 31 December

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many working days after `start` it took to reach `end`."""
        return self.working_days_from(start.year, start.toordinal(), end.year, end.toordinal())

    def working_days_from(self, start_year: int, start_day: int, end_year: int, end_day: int) -> int:
        """`working_days_between` by the years and ordinals of its days, which the caller holds.

        Counted from per-year running totals, so a stay left unregistered for years costs no more
        than one registered the next day.
        """
        if end_day <= start_day:
            return 0
        first_base, first = self._running(start_year)
        if start_year == end_year:
            return first[end_day - first_base] - first[start_day - first_base]
        last_base, last = self._running(end_year)
        through_end = last[end_day - last_base]
        whole = sum(self._year_total(year) for year in range(start_year + 1, end_year))
        return first[-1] - first[start_day - first_base] + whole + through_end

    def _year_total(self, year: int) -> int:
        """Working days in `year` (kept for every year asked: one int each)."""
        found = self._year_totals.get(year)
        if found is None:
            found = self._running(year)[1][-1]
        return found

    def _running(self, year: int) -> tuple[int, list[int]]:
        """(base, totals) of `year`: totals[day.toordinal() - base] counts its working days through `day`
        (totals[0] = 0, the day before 1 January)."""
        newest = self._newest
        if newest[0] == year:  # among the two most recently used: nothing to move
            return newest[1]
        previous = self._previous
        if previous[0] == year:
            return previous[1]
        with self._lock:
            found = self._totals.get(year)
            if found is not None:
                self._totals.move_to_end(year)
                self._previous, self._newest = self._newest, (year, found)
                return found
        # Built from is_working_day alone, so two threads building the same year store equal values.
        counts, count, day = [0], 0, date(year, 1, 1)
        while day.year == year:
            count += self.is_working_day(day)
            counts.append(count)
            day += timedelta(days=1)
        found = (date(year, 1, 1).toordinal() - 1, counts)
        with self._lock:
            self._totals[year] = found
            self._totals.move_to_end(year)
            self._previous, self._newest = self._newest, (year, found)
            while len(self._totals) > RUNNING_YEARS:
                self._totals.popitem(last=False)
            self._year_totals[year] = count
        return found

    def cached_years(self) -> tuple[int, int]:
        """(years with running totals kept, years with their total kept): how much the caches hold."""
        return len(self._totals), len(self._year_totals)


@lru_cache(maxsize=200_000)
def _is_working(cal: WorkingCalendar, day: date) -> bool:
    return cal._compute(day)


_default: WorkingCalendar | None = None
_default_lock = threading.Lock()


def calendar() -> WorkingCalendar:
    """The process-wide calendar over the bundled seeds."""
    global _default
    cal = _default  # read once: compiled (mypyc) code checks a re-read global against its narrowed type
    if cal is None:
        with _default_lock:
            cal = _default
            if cal is None:
                cal = _default = WorkingCalendar()
    return cal
