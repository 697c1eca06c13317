"""The trace of a check: for each outcome and each derived fact, the rule, its condition, the facts and the
figures of law used, and why the rules that did not fire did not.

Built from what the check computed (`Evaluation`): the facts, the rules that fired, and the figures the
fact modules consulted (`Context.consulted`), each re-read for the date its fact arose so that two
stays under different periods each show their own row. Conditions are evaluated part by part with the
Python engine's compiler (`engines.python.predicate`), on validated rule data only.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any, Optional

from .conditions import ARITH, PY_OP, fields_used, validate
from .engines.python import predicate
from .evaluation import Evaluation
from .facts import FACT_FIELDS
from .i18n import t
from .i18n.legal import legal_basis
from .report import CheckOutcome, FactTrace, LawFigure, Outcome, OutcomeKind, RegimeTrace, RuleCheck, Trace
from .rulebook import CompiledRule, Rule, Rulebook
from .sanctions import conduct_on, deciding, liable_tier

if TYPE_CHECKING:
    from .context import Context

# The parameter names (from seeds/parameters.yaml) that belong with each fact kind.
FIGURE_AREAS = {"trip": ("stay.", "eaeu."), "stay": ("registration.", "koap."), "job": ("labour.", "koap."),
                "staff": ("labour.",)}


def _literal(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _operand(node: Any) -> str:
    if isinstance(node, dict):
        key, val = next(iter(node.items()))
        if key == "$m":
            return str(val)
        return f"({_operand(val['$l'])} {ARITH[key]} {_operand(val['$r'])})"
    return _literal(node)


def condition_text(cond: dict[str, Any], lang: str = "en") -> str:
    """A condition (as written or normalised) as one readable line in `lang`, e.g. `overstay_days > 0 and ...`."""
    key, val = next(iter(cond.items()))
    if key in ("$and", "$or"):
        parts = [condition_text(c, lang) for c in val]
        conj, disj = " " + t(lang, "and") + " ", " " + t(lang, "or") + " "
        joiner = conj if key == "$and" else disj
        return joiner.join(f"({p})" if disj in p and key == "$and" else p for p in parts)
    if key in PY_OP:
        name, rhs = next(iter(val.items()))
        return f"{name} {PY_OP[key]} {_operand(rhs)}"
    if key == "$in":
        name, options = next(iter(val.items()))
        return t(lang, "{field} in [{options}]", field=name, options=", ".join(_literal(o) for o in options))
    if key == "$ex":
        return t(lang, "{field} is known", field=next(iter(val)))
    if key == "$nex":
        return t(lang, "{field} is not known", field=next(iter(val)))
    return f"{key} = {_literal(val)}"


def _figure(name: str, row: Any, value: Any) -> LawFigure:
    return LawFigure(name=name, value=value, valid_from=row.start, valid_until=row.until, source=row.source,
                     url=getattr(row, "url", None), verified=row.verified)


def _fact_figures(ctx: "Context", fact: dict[str, Any], on: date) -> list[LawFigure]:
    """The stay terms (trips) and the consulted seeds parameters of the fact's area, in force on `on`."""
    out = []
    if fact["kind"] == "trip":
        regime = ctx.regime(on)
        t = regime.terms
        if t is not None:
            out.append(LawFigure(name=f"stay.terms.{regime.group}", value={
                "per_entry_days": t.per_entry_days, "cap_days": t.cap_days, "window_days": t.window_days,
                "cap_from": t.cap_from.isoformat() if t.cap_from else None},
                valid_from=t.valid_from, source=t.source, verified=t.verified))
    areas = FIGURE_AREAS.get(fact["kind"], ())
    for name in sorted(ctx.consulted):
        row = ctx.ref.parameter(name, on) if name.startswith(areas) else None
        if row is not None:
            out.append(_figure(name, row, row.value))
    return out


def _sanction_figures(ctx: "Context", cr: CompiledRule, fact: dict[str, Any], on: date) -> list[LawFigure]:
    """The catalogue row of the sanction (for the subject's tier) and the MRP that prices it."""
    assert cr.code is not None
    row = ctx.ref.sanction(cr.code, conduct_on(cr, fact))
    tier = liable_tier(cr.rule.subject, fact)
    fine = row.fine_for(tier)
    value = {"tier": tier or "unknown", "fine_mrp": fine.fine_mrp if fine else None,
             "warning": bool(fine and fine.warning), "expulsion": row.expulsion,
             "expulsion_possible": row.expulsion_possible,
             "invitation_ban_years": fine.invitation_ban_years if fine else 0, "arrest_days_max": row.arrest_days_max}
    mrp = ctx.ref.mrp(ctx.as_of)
    return [_figure(f"sanction {cr.code}", row, value), _figure("mrp", mrp, mrp.mrp)]


def _kind(cr: CompiledRule) -> OutcomeKind:
    if cr.code is not None:
        return "violation"
    return "obligation" if cr.rule.obligation is not None else "finding"


def _failed(rule: Rule, fact: dict[str, Any]) -> list[dict[str, Any]]:
    """The parts of the rule's `when` (items of a top-level $and, else the whole) that are false on `fact`."""
    fields = FACT_FIELDS[rule.fact]
    parts = rule.when["$and"] if set(rule.when) == {"$and"} else [rule.when]
    return [p for p in parts if not predicate(validate(p, fields))(fact)]


def _outcome(ctx: "Context", book: Rulebook, cr: CompiledRule, fact: dict[str, Any], on: date,
             lang: str) -> Outcome:
    rule = cr.rule
    kind = _kind(cr)
    grade = rule.grades[int(cr.name.rsplit("#", 1)[1])].when if kind == "violation" else None
    field = rule.due if kind == "obligation" else rule.since
    assert field is not None
    used = fields_used(validate(rule.when, FACT_FIELDS[rule.fact]))
    if grade is not None:
        used |= fields_used(validate(grade, FACT_FIELDS[rule.fact]))
    names = sorted(used) + [f for f in (field, *rule.facts) if f not in used]
    figures = _fact_figures(ctx, fact, on)
    if kind == "violation":
        figures += _sanction_figures(ctx, cr, fact, on)
    result = cr.code if kind == "violation" else (rule.obligation if kind == "obligation" else rule.finding)
    return Outcome(rule=rule.id, rule_file=book.paths[rule.id], ref=fact["ref"], outcome=kind, result=str(result),
                   on=date.fromisoformat(fact[field]), condition=rule.when, grade=grade,
                   facts_used={n: fact.get(n) for n in dict.fromkeys(names)}, figures=figures,
                   legal_basis=[legal_basis(b, lang) for b in rule.legal_basis])



def build_trace(ev: Evaluation, book: Rulebook, lang: str = "en") -> Trace:
    """The trace of an evaluation made with `book`, its legal bases in `lang`."""
    ctx = ev.ctx
    decision = ctx.regime(ctx.as_of)
    outcomes: list[Outcome] = []
    facts: list[FactTrace] = []
    for fact, fired in ev.fired:
        on = date.fromordinal(fact["on_day"])
        decided = deciding(fired, ctx.ref, fact)
        outcomes += [_outcome(ctx, book, cr, fact, on, lang) for cr in decided.values()]
        checks = []
        for rule in book.rules:
            if rule.fact != fact["kind"]:
                continue
            outcome: CheckOutcome
            failed: list[dict[str, Any]] = []
            if rule.id in decided:
                outcome = _kind(decided[rule.id])
            elif not rule.period.contains(on):
                outcome = "not in force"
            else:
                outcome, failed = "not fired", _failed(rule, fact)
            checks.append(RuleCheck(rule=rule.id, outcome=outcome, condition=rule.when, failed=failed,
                                    in_force_from=rule.effective.start, in_force_until=rule.effective.until))
        facts.append(FactTrace(ref=fact["ref"], kind=fact["kind"], on=on, values=fact,
                               figures=_fact_figures(ctx, fact, on), rules=checks))
    return Trace(engine=ev.engine,
                 regime=RegimeTrace(regime=decision.regime, group=decision.group, plugin=decision.plugin,
                                    on=ctx.as_of, source=decision.source, verified=decision.verified),
                 outcomes=outcomes, facts=facts)


def failed_values(failed: list[dict[str, Any]], values: dict[str, Any], lang: str = "en") -> Optional[str]:
    """The fact values behind the failed parts, e.g. `limit_basis = "visa_free_entry"` (None if none read)."""
    fields = FACT_FIELDS[values["kind"]]
    names = sorted(set().union(*(fields_used(validate(p, fields)) for p in failed)))
    shown = [f"{n} = {_literal(values[n])}" if n in values else t(lang, "{field} not known", field=n) for n in names]
    return ", ".join(shown) or None
