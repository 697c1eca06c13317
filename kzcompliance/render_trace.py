"""The trace as readable text (`kzcompliance explain`): each outcome with its rule, condition, facts and figures
of law, then every derived fact with the rules evaluated on it and why those that did not fire did not."""

from __future__ import annotations

import os
from typing import Any

from .i18n import N_, t
from .i18n.legal import legal_basis
from .report import LawFigure, Outcome, Trace
from .trace import condition_text, failed_values

HEADS = {"violation": N_("VIOLATION {result} since {on}"), "obligation": N_("OBLIGATION {result} due {on}"),
         "finding": N_("FINDING {result} since {on}")}
CHECKS = {"violation": N_("violation"), "obligation": N_("obligation"), "finding": N_("finding"),
          "not in force": N_("not in force"), "not fired": N_("not fired")}
LABELS = (N_("rule"), N_("condition"), N_("grade"), N_("facts"), N_("law"), N_("basis"))


def _value(value: Any) -> str:
    """A figure's value: a mapping as `key value` pairs, its true flags by name, unset and false ones left out."""
    if isinstance(value, dict):
        return ", ".join(k if v is True else f"{k} {v}" for k, v in value.items() if v is not None and v is not False)
    return str(value)


def _flag(value: Any) -> Any:
    """A fact value as the conditions write it: `true`/`false` for flags, other values as they are."""
    return ("true" if value else "false") if isinstance(value, bool) else value


def _figure(f: LawFigure, lang: str) -> str:
    period = ""
    if f.valid_from:
        period = (t(lang, "from {start} to {end}", start=f.valid_from, end=f.valid_until) if f.valid_until
                  else t(lang, "from {start}", start=f.valid_from))
    flag = "" if f.verified else " [" + t(lang, "unverified") + "]"
    return f"{f.name}: {_value(f.value)} ({period}; {f.source}){flag}"


def _path(path: str) -> str:
    """A rule file path relative to the working directory when it lies below it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _outcome(o: Outcome, lang: str) -> list[str]:
    label = {k: t(lang, k) for k in LABELS}
    width = max(len(v) for v in label.values()) + 1

    def row(key: str, text: str) -> str:
        return f"  {label[key] if key else '':<{width}} {text}"

    head = t(lang, HEADS[o.outcome], result=o.result, on=o.on)
    lines = [t(lang, "{head}: {rule} on {ref}", head=head, rule=o.rule, ref=o.ref),
             row("rule", _path(o.rule_file)), row("condition", condition_text(o.condition, lang))]
    if o.grade is not None:
        lines.append(row("grade", condition_text(o.grade, lang)))
    unknown = t(lang, "not known")
    facts = ", ".join(f"{k} = {unknown if v is None else _flag(v)}" for k, v in o.facts_used.items())
    lines.append(row("facts", facts))
    for i, f in enumerate(o.figures):
        lines.append(row("law" if i == 0 else "", _figure(f, lang)))
    lines.append(row("basis", "; ".join(legal_basis(b, lang) for b in o.legal_basis)))
    return lines


def render_trace(trace: Trace, lang: str = "en") -> str:
    """The trace of a check as text in `lang`: outcomes first, then the rules evaluated fact by fact."""
    r = trace.regime
    out = [t(lang, "EXPLANATION (engine {engine}; regime {regime} on {on}, group {group}, plugin {plugin}: {source})",
             engine=trace.engine, regime=r.regime, on=r.on, group=r.group, plugin=r.plugin, source=r.source)
           + ("" if r.verified else " [" + t(lang, "unverified") + "]")]
    for o in trace.outcomes:
        out += [""] + _outcome(o, lang)
    out += ["", t(lang, "RULES EVALUATED")]
    if not trace.facts:
        out.append("  " + t(lang, "none: the case has no trip, stay, job or staff count to check as of its date"))
    names = {k: t(lang, v) for k, v in CHECKS.items()}
    width = max(len(v) for v in names.values()) + 1
    for fact in trace.facts:
        out.append("  " + t(lang, "{ref} ({kind} from {on})", ref=fact.ref, kind=fact.kind, on=fact.on))
        out += [f"      {_figure(f, lang)}" for f in fact.figures]
        for c in fact.rules:
            line = f"    {names[c.outcome]:<{width}} {c.rule}"
            if c.outcome == "not in force":
                line += " (" + t(lang, "in force {start} to {end}", start=c.in_force_from,
                                 end=c.in_force_until or "...") + ")"
            elif c.outcome == "not fired":
                failed = (" " + t(lang, "and") + " ").join(condition_text(p, lang) for p in c.failed)
                line += ": " + t(lang, "{condition} is false ({values})", condition=failed,
                                 values=failed_values(c.failed, fact.values, lang))
            out.append(line)
    return "\n".join(out) + "\n"
