"""Date helpers shared by the derived-fact modules: ISO parsing, periods and day intervals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final, Generic, Iterable, Mapping, Protocol, Sequence, TypeVar

FAR_FUTURE = date(9999, 12, 31)
FAR_FUTURE_DAY = FAR_FUTURE.toordinal()


def parse_iso(value: object) -> date:
    """A ``YYYY-MM-DD`` string or a date; anything else is a ValueError saying what is expected."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a real calendar date") from None
    raise ValueError(f"expected an ISO date YYYY-MM-DD, got {value!r}")


@dataclass(frozen=True)
class Period:
    """An effective period, both ends included; ``until=None`` means still in force."""

    start: date
    until: date | None = None

    def contains(self, day: date) -> bool:
        return in_period(day, self.start, self.until)


def in_period(day: date, start: date, until: date | None) -> bool:
    """Whether `day` falls from `start` to `until`, both included (`until=None`: still in force)."""
    return start <= day and (until is None or day <= until)


class Dated(Protocol):
    """A row of a table by date: in force from `start` to `until` (None: still in force)."""

    @property
    def start(self) -> date: ...

    @property
    def until(self) -> date | None: ...

    def in_force(self, on: date) -> bool: ...


R = TypeVar("R", bound=Dated)


class ByDate(Generic[R]):
    """The first of some rows in force on a date, found by bisection rather than by scanning the rows.

    The days the answer may change (a row's `from`, the day after its `until`) cut time into periods;
    each period's answer is found once, at load, by scanning the rows on its first day, so a lookup
    answers exactly as the scan would, overlapping rows included. Read-only once built. Here, in a
    compiled module, a look-up is native code (seeds.py, with its pydantic rows, stays Python).
    """

    def __init__(self, rows: Sequence[R]) -> None:
        ends = {r.until + timedelta(days=1) for r in rows if r.until is not None and r.until < date.max}
        days = sorted({r.start for r in rows} | ends)
        self._days = [day.toordinal() for day in days]  # ints: compiled, the bisection is native (`after`)
        self._rows: list[R | None] = [None]  # before the first `from`, no row is in force
        self._rows += [next((r for r in rows if r.in_force(day)), None) for day in days]

    def at(self, on: date) -> R | None:
        """The first row in force on `on`, or None."""
        return self._rows[after(self._days, on.toordinal())]


class ValueByDate:
    """The `value` of the row a ByDate finds on a date, each row's read once at load: compiled, a look-up is
    native, where reading the field of a row (a pydantic model) is a generic getattr."""

    def __init__(self, table: ByDate[Any]) -> None:  # rows with an int `value` (seeds.ParameterRow)
        self._days = table._days
        self._values: list[int | None] = [None if row is None else row.value for row in table._rows]

    def at_day(self, day: int) -> int | None:
        """The value in force on the ordinal `day` (the callers hold ordinals), or None where no row is."""
        return self._values[after(self._days, day)]


class ByKey(Generic[R]):
    """Groups of rows by key (the sanctions catalogue's codes), each group answering by date (`ByDate`). Here, in
    a compiled module, a look-up by key and date is one native call for a compiled caller (the write-up, a row
    per violation) and is written once (seeds.py, with its pydantic rows, stays Python)."""

    def __init__(self, groups: Mapping[str, Sequence[R]]) -> None:
        self._tables: dict[str, ByDate[R]] = {key: ByDate(rows) for key, rows in groups.items()}

    def at(self, key: str, on: date) -> R | None:
        """The first row of `key` in force on `on`, or None (also for a key it does not have)."""
        table = self._tables.get(key)
        return table.at(on) if table is not None else None


Interval = tuple[int, int]  # inclusive ordinal day range


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, non-overlapping, non-adjacent union of inclusive day intervals."""
    out: list[Interval] = []
    for a, b in sorted(intervals):
        if a > b:
            continue  # empty
        if out and a <= out[-1][1] + 1:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def subtract(base: Sequence[Interval], cut: Sequence[Interval]) -> list[Interval]:
    """Days of merged `base` not in merged `cut`."""
    out: list[Interval] = []
    for a, b in base:
        start = a
        for c, d in cut:
            if d < start or c > b:
                continue
            if c > start:
                out.append((start, c - 1))
            start = max(start, d + 1)
            if start > b:
                break
        if start <= b:
            out.append((start, b))
    return out


def after(values: list[int], x: int, lo: int = 0, hi: int = -1) -> int:
    """The index of the first of sorted `values[lo:hi]` above `x` (bisect.bisect_right; hi=-1: the end).
    Written out so that, compiled, a look-up in a short list of days is native code, not a call into
    the bisect module with boxed arguments (bisect_left(values, x) is after(values, x - 1) for days)."""
    if hi < 0:
        hi = len(values)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < values[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def covering(intervals: list[Interval], day: int) -> Interval | None:
    """The merged interval containing `day`, if any (by bisection: `intervals` sorted and disjoint). Written out
    as `after` is: compiled, it compares ints, where bisect compares tuples of boxed ones."""
    lo, hi = 0, len(intervals)
    while lo < hi:
        mid = (lo + hi) // 2
        if day < intervals[mid][0]:
            hi = mid
        else:
            lo = mid + 1
    return intervals[lo - 1] if lo > 0 and intervals[lo - 1][1] >= day else None


class DayIndex:
    """Sorted, disjoint day intervals with running day counts: the interval holding a day, the next one
    starting, and the days held in a range, each in O(log n), so long histories cost no more per day."""

    def __init__(self, merged: Iterable[Interval] = ()) -> None:
        self.intervals: list[Interval] = []
        self._starts: list[int] = []
        self._before: list[int] = [0]  # _before[k]: days held by intervals[:k]
        for a, b in merged:
            self.append(a, b)

    def append(self, a: int, b: int) -> None:
        """Add [a, b], which lies after every interval held."""
        self.intervals.append((a, b))
        self._starts.append(a)
        self._before.append(self._before[-1] + b - a + 1)

    def __len__(self) -> int:
        return len(self.intervals)

    def count(self, a: int, b: int, first: int = 0) -> int:
        """Days held in [a, b] by intervals[first:]: the days on or before b less those before a, found
        by two bisections, the second within the first's range."""
        starts = self._starts
        if a > b or first >= len(starts):
            return 0
        k = after(starts, b, first)
        if k == first:
            return 0
        before = self._before
        x, y = self.intervals[k - 1]
        held = before[k - 1] + (y if y < b else b) - x + 1  # days on or before b, in intervals[:k]
        j = after(starts, a - 1, first, k)
        if j == first:
            return held - before[first]
        x, y = self.intervals[j - 1]
        return held - (before[j - 1] + (y if y < a - 1 else a - 1) - x + 1)

    def covering(self, day: int) -> Interval | None:
        """The interval containing `day`, if any."""
        k = after(self._starts, day) - 1
        return self.intervals[k] if k >= 0 and self.intervals[k][1] >= day else None

    def next_start(self, day: int) -> int | None:
        """The first day after `day` on which an interval starts, if any."""
        k = after(self._starts, day)
        return self._starts[k] if k < len(self._starts) else None


def end_day(day: date | None) -> int:
    """The ordinal of an inclusive end date; FAR_FUTURE_DAY when it is open (None)."""
    return day.toordinal() if day is not None else FAR_FUTURE_DAY


# ISO text of the days a fact names, remembered: date.isoformat formats through printf, about a microsecond
# a date, and a fact names several. The days of ISO_SPAN (1970-2099) are kept in a list by day, a native
# index in the compiled build (a dict keyed by day boxes the int and hashes it); others are formatted each time.
# Bounded by its span (a slot per day, filled once); safe under the GIL (a filled slot never changes). The dates
# of such texts are kept for the write-up (date.fromisoformat costs a few times a look-up): a cache that reaches
# ISO_KEPT texts is emptied.
ISO_FIRST: Final = date(1970, 1, 1).toordinal()
ISO_SPAN: Final = date(2100, 1, 1).toordinal() - ISO_FIRST
ISO_KEPT: Final = 16_384
_ISO_OF_DAY: Final[list[str | None]] = [None] * ISO_SPAN
_date_of_iso: dict[str, date] = {}


def iso(day: int) -> str:
    """An ordinal day as ISO text."""
    i = day - ISO_FIRST
    if i < 0 or i >= ISO_SPAN:
        return date.fromordinal(day).isoformat()
    found = _ISO_OF_DAY[i]
    if found is None:
        found = _ISO_OF_DAY[i] = date.fromordinal(day).isoformat()
    return found


def iso_date(day: date) -> str:
    """A date as ISO text (day.isoformat())."""
    return iso(day.toordinal())


def date_of_iso(text: str) -> date:
    """ISO text as a date (date.fromisoformat(text)): the write-up reads a date of every fact it reports."""
    found = _date_of_iso.get(text)
    if found is None:
        if len(_date_of_iso) >= ISO_KEPT:
            _date_of_iso.clear()
        found = _date_of_iso[text] = date.fromisoformat(text)
    return found
