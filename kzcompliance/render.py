"""The report as readable text: a header, then tables of violations, findings, obligations and unchecked data."""

from __future__ import annotations

from .report import Report

_HEAD = {
    "en": ("Compliant", "VIOLATIONS", "Not compliant", "OBLIGATIONS", "NOT CHECKED (data missing)", "Total known fines",
           "unknown", "unverified", "needs", "regime", "as of"),
    "ru": ("Нарушений нет", "НАРУШЕНИЯ", "Есть нарушения", "ОБЯЗАННОСТИ", "НЕ ПРОВЕРЕНО (нет данных)", "Итого известных штрафов",
           "неизвестен", "не проверено", "нужно", "режим", "на дату"),
    "kk": ("Бұзушылық жоқ", "БҰЗУШЫЛЫҚТАР", "Бұзушылықтар бар", "МІНДЕТТЕР", "ТЕКСЕРІЛМЕДІ (дерек жоқ)", "Белгілі айыппұлдар жиыны",
           "белгісіз", "расталмаған", "қажет", "режим", "күні"),
}

_UNDETERMINED = {"en": ("Undetermined", "not checked"), "ru": ("Не определено", "не проверено"),
                 "kk": ("Анықталмады", "тексерілмеді")}
_ASSUMED = {"en": "ASSUMED (the law tables do not cover these dates)",
            "ru": "ДОПУЩЕНИЯ (таблицы права не охватывают эти даты)",
            "kk": "БОЛЖАМДАР (құқық кестелері бұл күндерді қамтымайды)"}

_FINDINGS = {"en": "FINDINGS (no offence; consequence shown)", "ru": "ВЫВОДЫ (не правонарушение; указано последствие)",
             "kk": "ҚОРЫТЫНДЫЛАР (құқық бұзушылық емес; салдары көрсетілген)"}


def tenge(amount: int, unknown: int = 0, word: str = "unknown") -> str:
    """An amount in tenge with space-grouped thousands (`64 875 KZT`), and how many fines are not known."""
    text = f"{amount:,} KZT".replace(",", " ")
    return text + (f" (+{unknown} {word})" if unknown else "")


def table(rows: list[list[str]]) -> list[str]:
    """Rows as left-aligned columns, indented two spaces; the first row is the heading."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]


def render_text(report: Report, lang: str = "en") -> str:
    """A terminal-friendly rendering of `report` with headings in `lang`."""
    (ok, vio, bad, obl, unc, total, unknown, unverified, needs, regime, as_of) = _HEAD.get(lang, _HEAD["en"])
    head = f"{as_of} {report.as_of}, {regime} {report.regime}"
    if report.compliant is None:
        word, missing = _UNDETERMINED.get(lang, _UNDETERMINED["en"])
        open_checks = ", ".join(f"{u.check} ({needs} {u.needs})" for u in report.unchecked if u.can_find_violation)
        out = [f"{word}: {head}; {missing}: {open_checks}"]
    else:
        out = [f"{ok if report.compliant else bad}: {head}"]
    if report.violations:
        out += ["", vio]
        rows = [["since", "subject", "rule", "KoAP", "sanction"]]
        for v in report.violations:
            s = v.sanction
            parts = []
            if s.warning:
                parts.append("warning")
            if s.fine_mrp is None:
                parts.append(f"fine {unknown}")
            elif s.fine_kzt:
                parts.append(f"{s.fine_mrp} MRP = {tenge(s.fine_kzt)}")
            if s.expulsion:
                parts.append(f"expulsion, ban {s.entry_ban_years}y")
            elif s.expulsion_possible:
                parts.append(f"expulsion possible (ban {s.entry_ban_years_if_expelled}y)")
            if s.arrest_days_max:
                parts.append(f"arrest up to {s.arrest_days_max}d possible")
            if s.invitation_ban_years:
                parts.append(f"no inviting foreigners {s.invitation_ban_years}y")
            if not (s.verified and v.verified):
                parts.append(f"[{unverified}]")
            who = v.subject + (f" {v.subject_id}" if v.subject_id else "")
            rows.append([v.since.isoformat(), who, v.rule, s.code, ", ".join(parts)])
        out += table(rows)
        out += [f"    - {v.rule}: {v.message}" for v in report.violations]
        out += [f"    ! {note}" for note in dict.fromkeys(v.sanction.note for v in report.violations if v.sanction.note)]
        out.append(f"  {total}: {tenge(report.fines_total_kzt, report.fines_unknown, unknown)}")
    if report.findings:
        out += ["", _FINDINGS.get(lang, _FINDINGS["en"])]
        rows = [["since", "subject", "rule", "finding"]]
        for f in report.findings:
            rows.append([f.since.isoformat(), f.subject + (f" {f.subject_id}" if f.subject_id else ""), f.rule,
                         f.kind + ("" if f.verified else f" [{unverified}]")])
        out += table(rows)
        out += [f"    - {f.rule}: {f.message}" for f in report.findings]
    if report.obligations:
        out += ["", obl]
        rows = [["due", "subject", "kind", "what"]]
        for o in report.obligations:
            rows.append([o.due.isoformat(), o.subject + (f" {o.subject_id}" if o.subject_id else ""), o.kind, o.message])
        out += table(rows)
    if report.assumptions:
        out += ["", _ASSUMED.get(lang, _ASSUMED["en"])]
        out += [f"  {a.ref}: {a.message}" for a in report.assumptions]
    if report.unchecked:
        out += ["", unc]
        out += [f"  {u.check}: {needs} {u.needs}" for u in report.unchecked]
    return "\n".join(out) + "\n"
