"""The roster and hire answers as readable text: tables an employer's HR desk can act on, in en, ru or kk."""

from __future__ import annotations

from datetime import date
from typing import Optional

from .hire import HireReport
from .i18n import N_, long_date, number, t, tenge as money, tn
from .i18n.legal import regime_name
from .render import heads, open_checks, render_text, table, tenge, unverified
from .roster import RosterReport

VERDICTS = {"ready": N_("READY"), "needs_action": N_("NEEDS ACTION"), "blocked": N_("BLOCKED"),
            "undetermined": N_("UNDETERMINED")}
STATUSES = {"compliant": N_("compliant"), "violations": N_("violations"), "undetermined": N_("undetermined")}
PERMITS = {"work_permit": N_("an IRS work permit"), "labour_immigrant_permit": N_("a labour-immigrant permit")}
BASES = {"visa_free_entry": N_("the visa-free term of the entry"), "visa_free_cap": N_("the visa-free cap"),
         "document": N_("the document held"), "eaeu_contract": N_("the employment contract (EAEU)"),
         "none": N_("no basis"), "unlimited": N_("an unlimited basis")}


def render_roster(report: RosterReport, lang: str = "en") -> str:
    """The roster: one line per employee, then the employer's ratios, findings, missing permits and exposure."""
    ok = sum(1 for e in report.employees if e.report.compliant)
    n = len(report.employees)
    head = t(lang, "Roster of {employer} as of {date}: {employees}, {compliant} compliant", employer=report.employer,
             date=long_date(report.as_of, lang), employees=tn(lang, "{n} employee", "{n} employees", n),
             compliant=number(ok, lang))
    if report.undetermined:
        head += ", " + t(lang, "{n} undetermined", n=number(report.undetermined, lang))
    out = [head + ("; " + t(lang, "new permits blocked") if report.permits_blocked else ""), "", t(lang, "EMPLOYEES")]
    rows = [["#", *heads(lang, N_("name"), N_("citizenship"), N_("regime"), N_("status"), N_("KoAP"), N_("fines"))]]
    for e in report.employees:
        r = e.report
        flags = "" if all(v.verified and v.sanction.verified for v in r.violations) else " " + unverified(lang)
        rows.append([str(e.index), e.name or "-", e.citizenship, regime_name(r.regime, lang),
                     t(lang, STATUSES[r.verdict]) + (flags if r.compliant is False else ""),
                     ", ".join(dict.fromkeys(v.sanction.code for v in r.violations)) or "-",
                     tenge(r.fines_total_kzt, r.fines_unknown, lang)])
    out += table(rows)
    for e in report.employees:
        out += [f"    - #{e.index} {v.rule}: {v.message}" for v in e.report.violations]
    out += ["", t(lang, "EMPLOYER {employer}", employer=report.employer)]
    if report.ratios:
        rows = [heads(lang, N_("measure"), N_("group"), N_("local"), N_("foreign"), N_("ict"), N_("share"),
                      N_("threshold"), N_("status"))]
        for q in report.ratios:
            threshold = (t(lang, ">= {pct}% ({limit})", pct=q.pct, limit=q.limit) if q.measure == "local_share"
                         else t(lang, "ict <= {pct}% of local ({limit})", pct=q.pct, limit=q.limit))
            status = (t(lang, "exempt") if q.exempt else t(lang, "ok") if q.ok
                      else t(lang, "BELOW: permits blocked") + " " + unverified(lang))
            rows.append([q.measure, q.group, str(q.local), str(q.foreign), str(q.ict), q.share, threshold, status])
        out += table(rows)
    else:
        out.append("  " + t(lang, "local-staff ratio: not measured (no staff given, or before {date})",
                            date=long_date(date(2023, 7, 1), lang)))
    out += [f"    - {f.rule}: {f.message}" for f in report.findings]
    if report.permits_missing:
        out += ["", "  " + t(lang, "PERMITS MISSING on the check date")]
        rows = [["#", *heads(lang, N_("name"), N_("job"), N_("permit"), N_("category"), N_("since"))]]
        for m in report.permits_missing:
            rows.append([str(m.employee), m.name or "-", m.ref, m.permit or "?", m.category or "-",
                         m.since.isoformat() if m.since else t(lang, "not started")])
        out += table(rows)
    x = report.exposure
    out += ["", "  " + t(lang, "Fines exposure: employer {employer}; employees {employees}",
                         employer=tenge(x.employer_kzt, x.employer_unknown, lang),
                         employees=tenge(x.employees_kzt, x.employees_unknown, lang))]
    return "\n".join(out) + "\n"


def _date(d: Optional[date], lang: str) -> str:
    return long_date(d, lang) if d is not None else "-"


def _permit_line(report: HireReport, lang: str) -> str:
    p = report.permit
    if p.needed == "none":
        return t(lang, "permit: none needed")
    name = t(lang, PERMITS[p.needed]) if p.needed in PERMITS else p.needed
    if p.covered:
        return t(lang, "permit: {permit} - held, covers the planned days checked", permit=name)
    what = name or t(lang, "a work permit (employer type not known)")
    line = t(lang, "permit: obtain {permit}", permit=what)
    if p.category:
        line += " " + t(lang, "of category {category}", category=p.category)
    line += " " + t(lang, "by {date}", date=_date(p.needed_by, lang))
    if p.alternatives:
        line += " " + t(lang, "(or: {alternatives})", alternatives=", ".join(p.alternatives))
    return line


def render_hire(report: HireReport, lang: str = "en") -> str:
    """The hire answer: verdict, then permit, stay, ratio and quota, then the full exposure report."""
    p, s, r = report.permit, report.stay, report.ratio
    span = (t(lang, "{start} to {end}", start=long_date(report.start, lang), end=long_date(report.end, lang))
            if report.end else t(lang, "from {start} (open-ended)", start=long_date(report.start, lang)))
    verdict = t(lang, VERDICTS[report.verdict])
    head = t(lang, "Hire at {employer} {span}", employer=report.employer, span=span)
    if report.category:
        head += ", " + t(lang, "category {category}", category=report.category)
    out = [f"{head}: {verdict}", "", "  " + _permit_line(report, lang)]
    if p.tax_months is not None:
        rate = (t(lang, "{mrp} MRP a month", mrp=p.tax_mrp_per_month) if p.tax_mrp_per_month is not None
                else t(lang, "monthly rate not known") + " " + unverified(lang))
        total = f" = {money(p.tax_kzt, lang)}" if p.tax_kzt is not None else ""
        out.append("           " + t(lang, "income tax in advance for {months}, {rate}",
                                     months=tn(lang, "{n} month", "{n} months", p.tax_months), rate=rate) + total)
    basis = t(lang, BASES[s.basis]) if s.basis in BASES else (s.basis or "-")
    if s.covered_from_start is None:
        out.append("  " + t(lang, "stay: not known (no trip at the start, or trips or documents left out)"))
    elif s.covers_whole_job:
        line = t(lang, "stay: covered for the whole job ({basis})", basis=basis)
        if s.covered_until:
            line = t(lang, "stay: covered for the whole job ({basis}, until {date})", basis=basis,
                     date=long_date(s.covered_until, lang))
        out.append("  " + line)
    else:
        out.append("  " + t(lang, "stay: {basis} covers until {until}; another lawful basis of stay (a visa, or a "
                                  "permit that is one) is needed from {date}", basis=basis,
                            until=_date(s.covered_until, lang), date=_date(s.first_day_uncovered, lang)))
    if s.abroad:
        if s.entry_days:
            how = t(lang, "{days}, until {date}", days=tn(lang, "{n} day", "{n} days", s.entry_days),
                    date=_date(s.entry_leave_by, lang))
        else:
            how = (t(lang, "no end") if s.entry_reason == "unlimited" else
                   t(lang, "no lawful day") if s.entry_days == 0 else t(lang, "not known"))
        earliest = (_date(s.earliest_entry, lang) if s.earliest_entry
                    else t(lang, "none without another basis of stay"))
        out.append("  " + t(lang, "entry: abroad on {start}; entering that day gives {how}; earliest entry covering "
                                  "the whole job: {earliest}", start=_date(report.start, lang), how=how,
                            earliest=earliest))
    if r is not None:
        state = (t(lang, "exempt") if r.exempt else t(lang, "ok") if r.after.ok
                 else t(lang, "BELOW the minimum: no permit can be issued") + " " + unverified(lang))
        out.append("  " + t(lang, "local staff, categories {group} (minimum {pct}%): {before} now, {after} after the "
                                  "hire - {state}", group=r.group, pct=r.pct, before=r.before.share,
                            after=r.after.share, state=state))
    if report.quota is not None:
        q = report.quota
        line = t(lang, "quota {year}: IRS {irs}% of the labour force, labour immigrants {li}%", year=q.year,
                 irs=number(q.irs_pct, lang), li=number(q.labour_immigrant_pct, lang))
        if q.category_quota:
            line += "; " + t(lang, "category {category}: {permits} countrywide", category=report.category,
                             permits=tn(lang, "{n} permit", "{n} permits", q.category_quota))
        out.append("  " + line + ("" if q.verified else " " + unverified(lang)))
    out += ["  " + t(lang, "assumed: {assumption}", assumption=a) for a in report.assumptions]
    if report.verdict == "undetermined":
        out.append("  " + t(lang, "undetermined: not checked: {checks}", checks=open_checks(report.exposure, lang)))
    out += ["", t(lang, "IF THE HIRE GOES AHEAD AS DESCRIBED (checked as of {date}):",
                  date=long_date(report.exposure.as_of, lang)),
            render_text(report.exposure, lang).rstrip("\n")]
    return "\n".join(out) + "\n"
