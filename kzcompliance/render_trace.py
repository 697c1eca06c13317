"""The trace as readable text (`kzcompliance explain`): each outcome with its rule, condition, facts and figures
of law, then every derived fact with the rules evaluated on it and why those that did not fire did not."""

from __future__ import annotations

import os
from typing import Any

from .report import LawFigure, Outcome, Trace
from .trace import condition_text, failed_values


def _value(value: Any) -> str:
    """A figure's value: a mapping as `key value` pairs, its true flags by name, unset and false ones left out."""
    if isinstance(value, dict):
        return ", ".join(k if v is True else f"{k} {v}" for k, v in value.items() if v is not None and v is not False)
    return str(value)


def _figure(f: LawFigure) -> str:
    period = f"from {f.valid_from}" + (f" to {f.valid_until}" if f.valid_until else "") if f.valid_from else ""
    flag = "" if f.verified else " [unverified]"
    return f"{f.name}: {_value(f.value)} ({period}; {f.source}){flag}"


def _path(path: str) -> str:
    """A rule file path relative to the working directory when it lies below it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _outcome(o: Outcome) -> list[str]:
    head = {"violation": f"VIOLATION {o.result} since {o.on}", "obligation": f"OBLIGATION {o.result} due {o.on}",
            "finding": f"FINDING {o.result} since {o.on}"}[o.outcome]
    lines = [f"{head}: {o.rule} on {o.ref}",
             f"  rule       {_path(o.rule_file)}",
             f"  condition  {condition_text(o.condition)}"]
    if o.grade is not None:
        lines.append(f"  grade      {condition_text(o.grade)}")
    facts = ", ".join(f"{k} = {'not known' if v is None else v}" for k, v in o.facts_used.items())
    lines.append(f"  facts      {facts}")
    for i, f in enumerate(o.figures):
        lines.append(f"  {'law' if i == 0 else '':<10} {_figure(f)}")
    lines.append(f"  basis      {'; '.join(o.legal_basis)}")
    return lines


def render_trace(trace: Trace) -> str:
    """The trace of a check as text: outcomes first, then the rules evaluated fact by fact."""
    r = trace.regime
    out = [f"EXPLANATION (engine {trace.engine}; regime {r.regime} on {r.on}, group {r.group}, plugin {r.plugin}: "
           f"{r.source}{'' if r.verified else ' [unverified]'})"]
    for o in trace.outcomes:
        out += [""] + _outcome(o)
    out += ["", "RULES EVALUATED"]
    if not trace.facts:
        out.append("  none: the case has no trip, stay, job or staff count to check as of its date")
    for fact in trace.facts:
        out.append(f"  {fact.ref} ({fact.kind} from {fact.on})")
        out += [f"      {_figure(f)}" for f in fact.figures]
        for c in fact.rules:
            line = f"    {c.outcome:<13} {c.rule}"
            if c.outcome == "not in force":
                line += f" (in force {c.in_force_from} to {c.in_force_until or '...'})"
            elif c.outcome == "not fired":
                failed = " and ".join(condition_text(p) for p in c.failed)
                line += f": {failed} is false ({failed_values(c.failed, fact.values)})"
            out.append(line)
    return "\n".join(out) + "\n"
