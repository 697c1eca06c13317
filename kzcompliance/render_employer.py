"""The roster and hire answers as readable text: tables an employer's HR desk can act on (English)."""

from __future__ import annotations

from typing import Optional

from .hire import HireReport
from .render import render_text, table, tenge
from .roster import RosterReport


def render_roster(report: RosterReport) -> str:
    """The roster: one line per employee, then the employer's ratios, findings, missing permits and exposure."""
    ok = sum(1 for e in report.employees if e.report.compliant)
    out = [f"Roster of {report.employer} as of {report.as_of}: {len(report.employees)} employees, {ok} compliant"
           + (f", {report.undetermined} undetermined" if report.undetermined else "")
           + ("; new permits blocked" if report.permits_blocked else ""), "", "EMPLOYEES"]
    rows = [["#", "name", "citizenship", "regime", "status", "KoAP", "fines"]]
    for e in report.employees:
        r = e.report
        flags = "" if all(v.verified and v.sanction.verified for v in r.violations) else " [unverified]"
        rows.append([str(e.index), e.name or "-", e.citizenship, r.regime,
                     r.verdict + (flags if r.compliant is False else ""),
                     ", ".join(dict.fromkeys(v.sanction.code for v in r.violations)) or "-",
                     tenge(r.fines_total_kzt, r.fines_unknown)])
    out += table(rows)
    for e in report.employees:
        out += [f"    - #{e.index} {v.rule}: {v.message}" for v in e.report.violations]
    out += ["", f"EMPLOYER {report.employer}"]
    if report.ratios:
        rows = [["measure", "group", "local", "foreign", "ict", "share", "threshold", "status"]]
        for q in report.ratios:
            threshold = (f">= {q.pct}% ({q.limit})" if q.measure == "local_share"
                         else f"ict <= {q.pct}% of local ({q.limit})")
            status = "exempt" if q.exempt else "ok" if q.ok else "BELOW: permits blocked [unverified]"
            rows.append([q.measure, q.group, str(q.local), str(q.foreign), str(q.ict), q.share, threshold, status])
        out += table(rows)
    else:
        out.append("  local-staff ratio: not measured (no staff given, or before 2023-07-01)")
    out += [f"    - {f.rule}: {f.message}" for f in report.findings]
    if report.permits_missing:
        out += ["", "  PERMITS MISSING on the check date"]
        rows = [["#", "name", "job", "permit", "category", "since"]]
        for m in report.permits_missing:
            rows.append([str(m.employee), m.name or "-", m.ref, m.permit or "?", m.category or "-",
                         m.since.isoformat() if m.since else "not started"])
        out += table(rows)
    x = report.exposure
    out += ["", f"  Fines exposure: employer {tenge(x.employer_kzt, x.employer_unknown)}; "
                f"employees {tenge(x.employees_kzt, x.employees_unknown)}"]
    return "\n".join(out) + "\n"


def _date(d: Optional[object]) -> str:
    return str(d) if d is not None else "-"


def render_hire(report: HireReport, lang: str = "en") -> str:
    """The hire answer: verdict, then permit, stay, ratio and quota, then the full exposure report."""
    p, s, r = report.permit, report.stay, report.ratio
    span = f"{report.start} to {report.end}" if report.end else f"from {report.start} (open-ended)"
    out = [f"Hire at {report.employer} {span}"
           + (f", category {report.category}" if report.category else "") + f": {report.verdict.upper()}", ""]
    if p.needed == "none":
        out.append("  permit: none needed")
    elif p.covered:
        out.append(f"  permit: {p.needed} - held, covers the planned days checked")
    else:
        what = p.needed or "a work permit (employer type not known)"
        out.append(f"  permit: obtain a {what}" + (f" of category {p.category}" if p.category else "")
                   + f" by {_date(p.needed_by)}" + (f" (or: {', '.join(p.alternatives)})" if p.alternatives else ""))
    if p.tax_months is not None:
        rate = (f"{p.tax_mrp_per_month} MRP a month" if p.tax_mrp_per_month is not None
                else "monthly rate not known [unverified]")
        total = f" = {tenge(p.tax_kzt)}" if p.tax_kzt is not None else ""
        out.append(f"           income tax in advance for {p.tax_months} months, {rate}{total}")
    if s.covered_from_start is None:
        out.append("  stay: not known (no trip at the start, or trips or documents left out)")
    elif s.covers_whole_job:
        until = f", until {s.covered_until}" if s.covered_until else ""
        out.append(f"  stay: covered for the whole job ({s.basis}{until})")
    else:
        out.append(f"  stay: {s.basis} covers until {_date(s.covered_until)}; another lawful basis of stay (a visa, "
                   f"or a permit that is one) is needed from {_date(s.first_day_uncovered)}")
    if s.abroad:
        how = (f"{s.entry_days} days, until {_date(s.entry_leave_by)}" if s.entry_days
               else "no end" if s.entry_reason == "unlimited" else "no lawful day" if s.entry_days == 0
               else "not known")
        out.append(f"  entry: abroad on {report.start}; entering that day gives {how} ({s.entry_reason}); "
                   "earliest entry covering the whole job: " + (str(s.earliest_entry) if s.earliest_entry else
                                                                "none without another basis of stay"))
    if r is not None:
        state = ("exempt" if r.exempt else "ok" if r.after.ok
                 else "BELOW the minimum: no permit can be issued [unverified]")
        out.append(f"  local staff, categories {r.group} (minimum {r.pct}%): {r.before.share} now, {r.after.share} "
                   f"after the hire - {state}")
    if report.quota is not None:
        q = report.quota
        per_cat = f"; category {report.category}: {q.category_quota} permits countrywide" if q.category_quota else ""
        out.append(f"  quota {q.year}: IRS {q.irs_pct}% of the labour force, labour immigrants "
                   f"{q.labour_immigrant_pct}%{per_cat}" + ("" if q.verified else " [unverified]"))
    out += [f"  assumed: {a}" for a in report.assumptions]
    undetermined = [f"{u.check} (needs {u.needs})" for u in report.exposure.unchecked if u.can_find_violation]
    if report.verdict == "undetermined":
        out.append(f"  undetermined: not checked: {', '.join(undetermined)}")
    out += ["", f"IF THE HIRE GOES AHEAD AS DESCRIBED (checked as of {report.exposure.as_of}):",
            render_text(report.exposure, lang).rstrip("\n")]
    return "\n".join(out) + "\n"
