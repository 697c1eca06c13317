"""The plan as terminal text in en, ru or kk: now, the planned entry, the earliest entry, the itinerary, and the
timeline drawn as one bar per week (the highest window count of the week against the cap)."""

from __future__ import annotations

from datetime import date
from typing import Optional

from ..i18n import N_, t, tn
from ..i18n.legal import regime_name
from ..render import heads, table
from .models import Day, PlanReport, Reason

BAR = 30  # characters for the whole cap


REASONS = {"visa_free_entry": N_("the visa-free term per entry"),
           "visa_free_cap": N_("the rolling cap of {cap} in {window}"),
           "cap_used_up": N_("the rolling cap of {cap} in {window} is used up"),
           "visa_required": N_("no visa-free stay for this citizenship: a visa is needed"),
           "document": N_("the document {detail}"), "eaeu_contract": N_("the EAEU employment contract"),
           "unlimited": N_("no limit"), "undetermined": N_("not known: data missing")}


def _days(n: int, lang: str) -> str:
    return tn(lang, "{n} day", "{n} days", n)


def _reason(reason: Reason, lang: str, detail: Optional[str], cap: Optional[int], window: Optional[int]) -> str:
    return t(lang, REASONS[reason], detail=detail or "", cap=_days(cap or 0, lang), window=_days(window or 0, lang))


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
    out = [t(lang, "Plan as of {as_of}, regime {regime}", as_of=report.as_of,
             regime=regime_name(report.regime, lang))]
    h = report.history
    if h.compliant is None and h.unchecked:
        needs = ", ".join(dict.fromkeys(u.needs for u in h.unchecked))
        out.append(t(lang, "History: not fully checked, data missing: {needs}", needs=needs))
    if h.violations:
        out.append(tn(lang, "History: {n} violation found (see `kzcompliance check`)",
                      "History: {n} violations found (see `kzcompliance check`)", h.violations))
    elif h.compliant:
        out.append(t(lang, "History: no violation found"))
    n = report.now
    out += ["", t(lang, "NOW")]
    if n.in_country is None:
        out.append("  " + t(lang, "Whereabouts not known: the case leaves out trips"))
    elif not n.in_country:
        out.append("  " + t(lang, "Not in the country"))
    elif not n.determined:
        out.append("  " + t(lang, "In the country; last lawful day not known (data missing)"))
    elif n.leave_by is None:
        out.append("  " + t(lang, "In the country; no end to the lawful stay ({detail})",
                            detail=n.detail or n.basis or ""))
    else:
        out.append("  " + t(lang, "In the country; last lawful day {leave_by}", leave_by=n.leave_by))
    if n.in_country is not None and n.cap_days is not None and n.days_used is not None and n.days_left is not None:
        line = t(lang, "Visa-free days in the {window} ending {as_of}: {used} used of {cap}, {left} left",
                 used=n.days_used, cap=n.cap_days, window=_days(n.window_days or 0, lang), as_of=report.as_of,
                 left=n.days_left)
        if n.frees_on:
            line += "; " + t(lang, "the next day frees up on {date}", date=n.frees_on)
        out.append("  " + line)
    elif n.in_country is not None:
        out.append("  " + t(lang, "No rolling cap applies on {as_of}", as_of=report.as_of))
    if report.leaves_on is not None and (report.entry or report.earliest or report.itinerary):
        out.append("  " + t(lang, "assumed: the stay under way ends on {date} (the planned entries come after it)",
                            date=report.leaves_on))
    e = report.entry
    if e is not None:
        out += ["", t(lang, "ENTRY ON {date}", date=e.date)]
        if e.reason == "undetermined":
            out.append("  " + t(lang, REASONS["undetermined"]))
        elif e.days == 0:
            out.append("  " + t(lang, "0 days: {reason}", reason=_reason(e.reason, lang, e.detail, e.cap_days,
                                                                      e.window_days)))
            out.append("  " + (t(lang, "an entry gives at least one lawful day from {date}", date=e.possible_from)
                               if e.possible_from
                               else t(lang, "no later entry gives a lawful day without a visa or permit")))
        elif e.days is None:
            out.append("  " + t(lang, "no visa-free limit to plan: {detail}", detail=e.detail or e.reason))
        else:
            out.append("  " + t(lang, "{days} lawful, last lawful day {leave_by} (limit: {reason})",
                                days=_days(e.days, lang), leave_by=e.leave_by,
                                reason=_reason(e.reason, lang, e.detail, e.cap_days, e.window_days)))
    r = report.earliest
    if r is not None:
        out += ["", t(lang, "EARLIEST ENTRY FOR {days} FROM {start}", days=_days(r.days, lang), start=r.start)]
        if r.date is None and r.reason == "undetermined":
            out.append("  " + t(lang, REASONS["undetermined"]))
        elif r.date is None:
            why = (t(lang, "longer than the visa-free term of {term} per entry", term=_days(r.longest or 0, lang))
                   if r.reason == "longer_than_term"
                   else _reason(r.reason or "undetermined", lang, None, None, None))
            out.append("  " + t(lang, "no entry gives {days} in a row: {reason}", days=_days(r.days, lang), reason=why))
        elif r.leave_by is None:
            out.append("  " + t(lang, "enter on {date}; no end to the lawful stay", date=r.date))
        else:
            out.append("  " + t(lang, "enter on {date}; lawful until {leave_by}", date=r.date, leave_by=r.leave_by))
    if report.itinerary:
        out += ["", t(lang, "ITINERARY")]
        rows = [heads(lang, N_("entry"), N_("exit"), N_("answer"), N_("last lawful day"), N_("sanction"))]
        for trip in report.itinerary:
            if trip.lawful is None:
                answer = t(lang, "not known (data missing)")
            elif trip.exit is None:
                answer = t(lang, "open-ended: lawful until {leave_by}", leave_by=_day(trip.last_lawful_day))
            elif trip.lawful:
                answer = t(lang, "lawful")
            else:
                since = trip.last_lawful_day.toordinal() + 1 if trip.last_lawful_day else trip.entry.toordinal()
                answer = t(lang, "OVERSTAY {days} from {since}", days=_days(trip.overstay_days or 0, lang),
                             since=date.fromordinal(since))
            s = trip.sanction
            what = "-" if s is None else s.code + (" " + t(lang, "{mrp} MRP", mrp=s.fine_mrp) if s.fine_mrp else "") + (
                "" if s.verified else " [?]")
            rows.append([trip.entry.isoformat(), _day(trip.exit), answer, _day(trip.last_lawful_day), what])
        out += table(rows)
    caps = [c for _d, _n, c in weeks(report.timeline) if c is not None]
    if caps:
        out += ["", t(lang, "TIMELINE: visa-free days in the window ending each day (highest of each week, cap {cap})",
                       cap=max(caps))]
        for first, count, cap in weeks(report.timeline):
            out.append(f"  {first.isoformat()}  " + (f"{bar(count, cap)} {count}/{cap}" if count is not None and cap
                                                      else "-"))
    elif report.timeline:
        out += ["", t(lang, "TIMELINE: no rolling cap applies")]
    return "\n".join(out) + "\n"
