"""The rules in force as readable text (`kzcompliance rules`): their legal bases and the acts cited, in a language."""

from __future__ import annotations

from datetime import date

from .i18n import long_date, t, tn
from .i18n.legal import Act, acts_cited, legal_basis
from .render import SUBJECTS
from .rulebook import Rule


def render_rules(rules: list[Rule], on: date, lang: str = "en") -> str:
    """Each rule with its subject, outcome, period and legal bases; then the full official names of the acts cited."""
    out = [t(lang, "Rules in force on {date}: {rules}", date=long_date(on, lang),
             rules=tn(lang, "{n} rule", "{n} rules", len(rules)))]
    cited: dict[str, Act] = {}  # by the act's full name: two citations of one act are listed once
    for r in rules:
        what = r.obligation or r.finding or ", ".join(dict.fromkeys(g.code for g in r.grades))
        start = r.effective.start.isoformat()
        period = (t(lang, "{start} to {end}", start=start, end=r.effective.until.isoformat()) if r.effective.until
                  else t(lang, "from {start}", start=start))
        flag = "" if r.verified else "  [" + t(lang, "unverified") + "]"
        out += ["", f"{r.id}  ({t(lang, SUBJECTS[r.subject])}; {what}; {period}){flag}"]
        for basis in r.legal_basis:
            out.append(f"    {legal_basis(basis, lang)}")
            cited.update((a.name["en"], a) for a in acts_cited(basis))
    if cited:
        out += ["", t(lang, "ACTS CITED")]
        for act in sorted(cited.values(), key=lambda a: a.short[lang]):
            flag = "" if act.verified else "  [" + t(lang, "name not confirmed") + "]"
            out.append(f"  {act.short[lang]}: {act.name[lang]}{flag}")
    return "\n".join(out) + "\n"
