"""The maintainer's view of the law's coverage (`kzcompliance law`): until when each table is known, and every
unverified figure with its source. What a check says when a date falls outside the tables is in `law_edges`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from .seeds import ReferenceData

def _period(row: Any) -> str:
    return f"{row.start.isoformat()} to {row.until.isoformat() if row.until else '...'}"


def law_coverage(ref: ReferenceData, rules: list[Any]) -> dict[str, Any]:
    """Every table's first day and known end, and every unverified figure (seeds rows and rules) with its source."""
    rows = {"mrp": ref.mrp_rows, "calendar_overrides": ref.overrides, "quotas": ref.quota_rows}
    tables: list[dict[str, Any]] = [
        {"table": name, "from": min(r.start for r in rows[name]).isoformat(), "known_until": c.known_until.isoformat(),
         "source": c.source} for name, c in ref.coverage.items()]
    ends = {"regimes": [t.until for g in ref.groups.values() for t in g.terms]
            + [m.until for m in ref.members],
            "sanctions": [r.until for r in ref.sanction_rows],
            "parameters": [r.until for rows in ref.parameters.values() for r in rows]}
    for name, untils in ends.items():
        tables.append({"table": name, "from": ref.law_start.isoformat(), "known_until": None,
                       "source": f"open-ended rows stay in force until a row ends them "
                                 f"({sum(1 for u in untils if u is None)} open, {sum(1 for u in untils if u)} ended)"})
    unverified: list[dict[str, Any]] = []

    def add(table: str, name: str, value: Any, row: Any) -> None:
        if not row.verified:
            unverified.append({"table": table, "name": name, "value": value, "period": _period(row),
                               "source": row.source, "url": row.url})

    for mrp, nxt in zip(ref.mrp_rows, [*ref.mrp_rows[1:], None], strict=True):  # an MRP row runs until the next one
        if not mrp.verified:
            until = nxt.start - timedelta(days=1) if nxt else ref.known_until("mrp")
            unverified.append({"table": "mrp", "name": "MRP", "value": mrp.mrp, "period":
                               f"{mrp.start.isoformat()} to {until.isoformat()}", "source": mrp.source})
    for day in ref.overrides:
        add("calendar_overrides", day.start.isoformat(), day.kind, day)
    for quota in ref.quota_rows:
        add("quotas", "quota", f"IRS {quota.irs_pct}%, labour immigrants {quota.labour_immigrant_pct}%", quota)
    for key, g in ref.groups.items():
        for t in g.terms:
            add("regimes", f"{key} terms", {"per_entry_days": t.per_entry_days, "cap_days": t.cap_days,
                                            "window_days": t.window_days}, t)
    for m in ref.members:
        add("regime members", m.country, m.group, m)
    for s in ref.sanction_rows:
        add("sanctions", s.code, {k: v.fine_mrp for k, v in s.tiers.items()}, s)
    for pname, prows in ref.parameters.items():
        for p in prows:
            add("parameters", pname, p.value, p)
    for permit in ref.permit_rows:
        add("permits", permit.employer_type, permit.permit, permit)
    for key, d in ref.documents.items():
        if not d.verified:
            unverified.append({"table": "documents", "name": key, "value": d.work, "period": "", "source": d.source})
    for rule in rules:
        if not rule.verified:
            value = rule.obligation or rule.finding or ", ".join(dict.fromkeys(g.code for g in rule.grades))
            unverified.append({"table": "rules", "name": rule.id, "value": value, "period": _period(rule.effective),
                               "source": "; ".join(rule.legal_basis)})
    return {"law_start": ref.law_start.isoformat(), "tables": tables, "unverified": unverified}


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items() if v is not None) or "not known"
    return str(value)


def render_coverage(cov: dict[str, Any]) -> str:
    """The coverage as one screen of text: the tables' ends first, then the unverified figures, those of
    the same value, period and source on one line (e.g. the members of one regime group)."""
    out = [f"Law held from {cov['law_start']}. Tables known until:"]
    for t in cov["tables"]:
        out.append(f"  {t['table']:<20} {t['known_until'] or 'open-ended':<12} {t['source']}")
    grouped: dict[tuple[str, str, str, str], list[str]] = {}
    for u in cov["unverified"]:
        grouped.setdefault((u["table"], _value(u["value"]), u["period"], u["source"]), []).append(u["name"])
    out += ["", f"Unverified figures: {len(cov['unverified'])}"]
    for (table, value, period, source), names in grouped.items():
        when = f" ({period})" if period else ""
        out.append(f"  {table}: {', '.join(names)} = {value}{when}: {source}")
    return "\n".join(out) + "\n"
