"""The plan as terminal text in en, ru or kk: now, the planned entry, the earliest entry, the itinerary, and the
timeline drawn as one bar per week (the highest window count of the week against the cap)."""

from __future__ import annotations

from datetime import date
from typing import Optional

from ..render import table
from .messages import plural_days, say
from .models import Day, PlanReport, Reason

BAR = 30  # characters for the whole cap


def _reason(reason: Reason, lang: str, detail: Optional[str], cap: Optional[int], window: Optional[int]) -> str:
    return say(f"reason.{reason}", lang, detail=detail or "", cap=cap, window=window, term="")


def _day(d: Optional[date]) -> str:
    return d.isoformat() if d is not None else "-"


def weeks(timeline: list[Day]) -> list[tuple[date, Optional[int], Optional[int]]]:
    """(first day, highest count, cap) for each run of 7 days; count and cap None where no cap applies."""
    out = []
    for i in range(0, len(timeline), 7):
        week = timeline[i:i + 7]
        counts = [d.days_in_window for d in week if d.days_in_window is not None]
        caps = [d.cap_days for d in week if d.cap_days is not None]
        out.append((week[0].date, max(counts) if counts else None, max(caps) if caps else None))
    return out


def bar(count: int, cap: int) -> str:
    """`count` of `cap` as a bar of BAR characters; days over the cap drawn in a different mark."""
    full = min(BAR, round(BAR * count / cap))
    over = "!" * min(10, round(BAR * (count - cap) / cap)) if count > cap else ""
    return "█" * full + "░" * (BAR - full) + over


def render_plan(report: PlanReport, lang: str = "en") -> str:
    """The plan as readable text in `lang`."""
    out = [say("title", lang, as_of=report.as_of, regime=report.regime)]
    h = report.history
    if h.compliant is None and h.unchecked:
        out.append(say("history.undetermined", lang, needs=", ".join(dict.fromkeys(u.needs for u in h.unchecked))))
    if h.violations:
        out.append(say("history.violations", lang, count=h.violations))
    elif h.compliant:
        out.append(say("history.compliant", lang))
    n = report.now
    out += ["", say("now.heading", lang)]
    if n.in_country is None:
        out.append("  " + say("now.unknown", lang))
    elif not n.in_country:
        out.append("  " + say("now.abroad", lang))
    elif not n.determined:
        out.append("  " + say("now.in_country_undetermined", lang))
    elif n.leave_by is None:
        out.append("  " + say("now.in_country_unlimited", lang, detail=n.detail or n.basis or ""))
    else:
        out.append("  " + say("now.in_country", lang, leave_by=n.leave_by))
    if n.in_country is not None and n.cap_days is not None and n.days_used is not None and n.days_left is not None:
        line = say("now.window", lang, used=n.days_used, cap=n.cap_days, window=plural_days(n.window_days or 0, lang),
                   as_of=report.as_of, left=n.days_left)
        if n.frees_on:
            line += "; " + say("now.frees_on", lang, date=n.frees_on)
        out.append("  " + line)
    elif n.in_country is not None:
        out.append("  " + say("now.no_cap", lang, as_of=report.as_of))
    if report.leaves_on is not None and (report.entry or report.earliest or report.itinerary):
        out.append("  " + say("assumption.leaves", lang, date=report.leaves_on))
    e = report.entry
    if e is not None:
        out += ["", say("entry.heading", lang, date=e.date)]
        if e.reason == "undetermined":
            out.append("  " + say("reason.undetermined", lang))
        elif e.days == 0:
            out.append("  " + say("entry.none", lang, reason=_reason(e.reason, lang, e.detail, e.cap_days,
                                                                      e.window_days)))
            out.append("  " + (say("entry.possible_from", lang, date=e.possible_from) if e.possible_from
                               else say("entry.never", lang)))
        elif e.days is None:
            out.append("  " + say("entry.unlimited", lang, detail=e.detail or e.reason))
        else:
            out.append("  " + say("entry.days", lang, days=plural_days(e.days, lang), leave_by=e.leave_by,
                                  reason=_reason(e.reason, lang, e.detail, e.cap_days, e.window_days)))
    r = report.earliest
    if r is not None:
        out += ["", say("earliest.heading", lang, days=plural_days(r.days, lang), start=r.start)]
        if r.date is None and r.reason == "undetermined":
            out.append("  " + say("reason.undetermined", lang))
        elif r.date is None:
            why = (say("reason.longer_than_term", lang, term=plural_days(r.longest or 0, lang))
                   if r.reason == "longer_than_term"
                   else _reason(r.reason or "undetermined", lang, None, None, None))
            out.append("  " + say("earliest.never", lang, days=plural_days(r.days, lang), reason=why))
        elif r.leave_by is None:
            out.append("  " + say("earliest.found_unlimited", lang, date=r.date))
        else:
            out.append("  " + say("earliest.found", lang, date=r.date, leave_by=r.leave_by))
    if report.itinerary:
        out += ["", say("itinerary.heading", lang)]
        rows = [say("itinerary.columns", lang).split("|")]
        for t in report.itinerary:
            if t.lawful is None:
                answer = say("itinerary.undetermined", lang)
            elif t.exit is None:
                answer = say("itinerary.open", lang, leave_by=_day(t.last_lawful_day))
            elif t.lawful:
                answer = say("itinerary.lawful", lang)
            else:
                since = t.last_lawful_day.toordinal() + 1 if t.last_lawful_day else t.entry.toordinal()
                answer = say("itinerary.overstay", lang, days=plural_days(t.overstay_days or 0, lang),
                             since=date.fromordinal(since))
            s = t.sanction
            what = "-" if s is None else s.code + (f" {s.fine_mrp} MRP" if s.fine_mrp else "") + (
                "" if s.verified else " [?]")
            rows.append([t.entry.isoformat(), _day(t.exit), answer, _day(t.last_lawful_day), what])
        out += table(rows)
    caps = [c for _d, _n, c in weeks(report.timeline) if c is not None]
    if caps:
        out += ["", say("timeline.heading", lang, cap=max(caps))]
        for first, count, cap in weeks(report.timeline):
            out.append(f"  {first.isoformat()}  " + (f"{bar(count, cap)} {count}/{cap}" if count is not None and cap
                                                      else "-"))
    elif report.timeline:
        out += ["", say("timeline.no_cap", lang)]
    return "\n".join(out) + "\n"
