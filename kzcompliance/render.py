"""The report as readable text: a header, then tables of violations, findings, obligations and unchecked data."""

from __future__ import annotations

from .i18n import N_, long_date, t, tenge as money, tn
from .i18n.catalog import CHECK, translations
from .i18n.legal import regime_name
from .report import Report, Sanction


def tenge(amount: int, unknown: int = 0, lang: str = "en") -> str:
    """An amount in tenge as `lang` writes it (`43 250 ₸`), and how many fines are not known."""
    return money(amount, lang) + (" (+" + tn(lang, "{n} unknown", "{n} unknown", unknown) + ")" if unknown else "")


def table(rows: list[list[str]]) -> list[str]:
    """Rows as left-aligned columns, indented two spaces; the first row is the heading."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def heads(lang: str, *names: str) -> list[str]:
    """Column headings in `lang`."""
    return [t(lang, n) for n in names]


def unverified(lang: str) -> str:
    return "[" + t(lang, "unverified") + "]"


def sanction_text(s: Sanction, lang: str) -> str:
    """The sanction of a violation: warning, fine in MRP and tenge, expulsion and ban, in `lang`."""
    parts = []
    if s.warning:
        parts.append(t(lang, "warning"))
    if s.fine_mrp is None:
        parts.append(t(lang, "fine unknown"))
    elif s.fine_kzt:
        parts.append(t(lang, "{mrp} MRP = {kzt}", mrp=s.fine_mrp, kzt=money(s.fine_kzt, lang)))
    if s.expulsion:
        parts.append(t(lang, "expulsion, entry ban {years}", years=_years(s.entry_ban_years, lang)))
    elif s.expulsion_possible:
        parts.append(t(lang, "expulsion possible (entry ban {years})",
                       years=_years(s.entry_ban_years_if_expelled, lang)))
    if s.arrest_days_max:
        parts.append(t(lang, "administrative arrest possible, up to {days}", days=tn(lang, "{n} day", "{n} days",
                                                                                    s.arrest_days_max)))
    if s.invitation_ban_years:
        parts.append(t(lang, "no inviting foreigners {years}", years=_years(s.invitation_ban_years, lang)))
    return ", ".join(parts)


def _years(n: int | None, lang: str) -> str:
    return t(lang, "for an unknown term") if n is None else tn(lang, "for {n} year", "for {n} years", n)


def render_text(report: Report, lang: str = "en") -> str:
    """A terminal-friendly rendering of `report` in `lang` (its messages are in the language it was checked in)."""
    head = dict(date=long_date(report.as_of, lang), regime=regime_name(report.regime, lang))
    if report.compliant is None:
        out = [t(lang, "Undetermined: as of {date}, regime {regime}; not checked: {checks}",
                 checks=open_checks(report, lang), **head)]
    else:
        verdict = t(lang, "Compliant") if report.compliant else t(lang, "Not compliant")
        out = [t(lang, "{verdict}: as of {date}, regime {regime}", verdict=verdict, **head)]
    if report.violations:
        out += ["", t(lang, "VIOLATIONS")]
        rows = [heads(lang, N_("since"), N_("subject"), N_("rule"), N_("KoAP"), N_("sanction"))]
        for v in report.violations:
            text = sanction_text(v.sanction, lang)
            if not (v.sanction.verified and v.verified):
                text += " " + unverified(lang)
            rows.append([v.since.isoformat(), subject(v.subject, v.subject_id, lang), v.rule, v.sanction.code, text])
        out += table(rows)
        out += [f"    - {v.rule}: {v.message}" for v in report.violations]
        notes = dict.fromkeys(v.sanction.note for v in report.violations if v.sanction.note)
        out += [f"    ! {note}" for note in notes]
        out.append("  " + t(lang, "Total known fines") + ": "
                   + tenge(report.fines_total_kzt, report.fines_unknown, lang))
    if report.findings:
        out += ["", t(lang, "FINDINGS (no offence; consequence shown)")]
        rows = [heads(lang, N_("since"), N_("subject"), N_("rule"), N_("finding"))]
        for f in report.findings:
            rows.append([f.since.isoformat(), subject(f.subject, f.subject_id, lang), f.rule,
                         f.kind + ("" if f.verified else " " + unverified(lang))])
        out += table(rows)
        out += [f"    - {f.rule}: {f.message}" for f in report.findings]
    if report.obligations:
        out += ["", t(lang, "OBLIGATIONS")]
        rows = [heads(lang, N_("due"), N_("subject"), N_("kind"), N_("what"))]
        for o in report.obligations:
            rows.append([o.due.isoformat(), subject(o.subject, o.subject_id, lang), o.kind, o.message])
        out += table(rows)
    if report.assumptions:
        out += ["", t(lang, "ASSUMED (the law tables do not cover these dates)")]
        out += [f"  {a.ref}: {a.message}" for a in report.assumptions]
    if report.unchecked:
        out += ["", t(lang, "NOT CHECKED (data missing)")]
        out += ["  " + t(lang, "{check}: needs {needs}", check=check_name(u.check, lang), needs=u.needs)
                for u in report.unchecked]
    return "\n".join(out) + "\n"


def open_checks(report: Report, lang: str) -> str:
    """The checks that could have found a violation but did not run, each with the field that would settle it."""
    return ", ".join(t(lang, "{check} (needs {needs})", check=check_name(u.check, lang), needs=u.needs)
                     for u in report.unchecked if u.can_find_violation)


def check_name(check: str, lang: str) -> str:
    """The name of a check that did not run (`Context.skip`), in `lang`."""
    return translations(lang).pgettext(CHECK, check)


SUBJECTS = {"foreigner": N_("foreigner"), "host": N_("host"), "employer": N_("employer")}


def subject(kind: str, subject_id: str | None, lang: str) -> str:
    """Who is liable, in `lang`, with the case's id of the host or employer."""
    name = t(lang, SUBJECTS[kind]) if kind in SUBJECTS else kind
    return name + (f" {subject_id}" if subject_id else "")
