"""The check pipeline (`check`, `evaluate`, `build_report`): case -> derived facts -> rules (engine) ->
violations, obligations and findings -> report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping, Optional, Union

from pydantic import TypeAdapter, ValidationError

from .calendar import calendar
from .case import Case
from .context import AGGRAVATING_CHECKS, Context
from .law_edges import assumption_text
from .engines import default_engine_name
from .evaluation import Evaluation
from .errors import CaseError, problem
from .facts import derive
from .i18n import check_lang
from .i18n.legal import legal_basis
from .i18n.messages import fill
from .limits import DATE_MAX, MAX_DEPTH, date_argument, too_deep
from .plugins import plugin_manager
from .report import Finding, Obligation, Report, Violation
from .rulebook import CompiledRule, Rulebook, default_rulebook
from .sanctions import deciding, liable_tier, sanction_for
from .seeds import ReferenceData, reference
from .settings import DEFAULT_SETTINGS, Settings
from .trace import build_trace


def to_case(case: Union[Case, Mapping[str, Any]]) -> Case:
    """A Case from a Case or a JSON-like mapping; CaseError names the field at fault."""
    if isinstance(case, Case):
        return case
    if not isinstance(case, Mapping):
        raise CaseError("", problem("not_an_object", kind=type(case).__name__))
    try:
        return Case.model_validate(case)
    except ValidationError as e:
        if too_deep(case):
            raise CaseError("", problem("too_deep", limit=MAX_DEPTH)) from None
        raise CaseError.from_validation(e) from None


def evaluate(case: Union[Case, Mapping[str, Any]], *, as_of: Union[date, str, None] = None,
             engine: Optional[str] = None,
             settings: Optional[Settings] = None, rulebook: Optional[Rulebook] = None) -> Evaluation:
    """Derive the facts of a case and run the rules on them."""
    given = date_argument(as_of, "as_of")  # an ISO string is accepted as well as a date
    model = to_case(case)
    when = given or model.as_of or date.today()
    ref = reference()
    start = ref.law_start
    if when < start:
        raise CaseError("as_of", f"{when} is before {start}, where this library's law starts")
    if when > DATE_MAX:
        raise CaseError("as_of", problem("date_out_of_range", value=when, lo=start, hi=DATE_MAX))
    for i, offence in enumerate(model.prior_offences or []):
        if offence.code not in ref.offence_codes:
            raise CaseError(f"prior_offences[{i}].code", problem("unknown_offence", code=offence.code))
    book = rulebook or default_rulebook()
    name = engine or default_engine_name()
    ctx = Context(case=model, as_of=when, ref=ref, calendar=calendar(), pm=plugin_manager(),
                  settings=settings or DEFAULT_SETTINGS)
    derived = derive(ctx)
    return Evaluation(ctx=ctx, derived=derived, fired=book.fire(derived.facts, name), engine=name)


def _message(rule: CompiledRule, fact: dict[str, Any], lang: str) -> str:
    return fill(rule.rule.message[lang], fact, lang)


@dataclass(frozen=True)
class WriteUp:
    """What the rules that fired say, each list in report order."""

    violations: list[Violation]
    obligations: list[Obligation]
    findings: list[Finding]


Outcomes = tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]
_WRITE_UP = TypeAdapter(tuple[list[Violation], list[Obligation], list[Finding]])


def outcomes(fired: list[tuple[dict[str, Any], list[CompiledRule]]], ref: ReferenceData, as_of: date,
             lang: str) -> Outcomes:
    """The fields of the violations (with sanctions at the MRP of `as_of`), obligations and findings of the
    fired rules, each list in report order. Left unvalidated but for the shared Sanction models: the report
    validates them in one call."""
    violations: list[dict[str, Any]] = []
    obligations: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    for fact, rules in fired:
        if not rules:  # most facts of a compliant case fire nothing
            continue
        for cr in deciding(rules, ref, fact).values():  # one outcome per rule and fact
            rule = cr.rule
            subject_id = None if rule.subject == "foreigner" else fact.get("subject_id")
            message = _message(cr, fact, lang)
            if rule.obligation is not None:
                obligations.append({"kind": rule.obligation, "subject": rule.subject, "subject_id": subject_id,
                                    "due": date.fromisoformat(fact[str(rule.due)]), "rule": rule.id,
                                    "message": message})
                continue
            out: dict[str, Any] = {"rule": rule.id, "subject": rule.subject, "subject_id": subject_id,
                                   "since": date.fromisoformat(fact[str(rule.since)]), "message": message,
                                   "facts": {"ref": fact["ref"], **{f: fact[f] for f in rule.facts if f in fact}},
                                   "legal_basis": [legal_basis(b, lang) for b in rule.legal_basis],
                                   "verified": rule.verified}
            if rule.finding is not None:
                out["kind"] = rule.finding
                findings.append(out)
                continue
            assert cr.code is not None
            out["sanction"] = sanction_for(ref, cr.code, liable_tier(rule.subject, fact), out["since"], as_of, lang)
            violations.append(out)
    violations.sort(key=lambda v: (v["since"], v["rule"], v["subject_id"] or ""))
    obligations.sort(key=lambda o: (o["due"], o["kind"], o["subject_id"] or ""))
    findings.sort(key=lambda f: (f["since"], f["rule"], f["subject_id"] or "", f["facts"]["ref"]))
    return violations, obligations, findings


def write_up(fired: list[tuple[dict[str, Any], list[CompiledRule]]], ref: ReferenceData, as_of: date,
             lang: str) -> WriteUp:
    """Violations (with sanctions at the MRP of `as_of`), obligations and findings from fired rules."""
    return WriteUp(*_WRITE_UP.validate_python(outcomes(fired, ref, as_of, lang)))


def build_report(ev: Evaluation, lang: str = "en") -> Report:
    """The report of an evaluation, messages in `lang`: its fields gathered, then validated in one call.

    A violation about a case item judged on an assumption (before the law's start, past a table's end) is
    unverified whatever its rule's own reading."""
    check_lang(lang)
    ctx = ev.ctx
    violations, obligations, findings = outcomes(ev.fired, ctx.ref, ctx.as_of, lang)
    assumed = {ref for ref, _kind, _fields in ctx.assumed}
    for v in violations:
        if v["facts"]["ref"] in assumed:
            v["verified"] = False
    fines = [v["sanction"].fine_kzt for v in violations]
    unchecked = [{"check": c, "needs": n, "can_find_violation": c not in AGGRAVATING_CHECKS} for c, n in ctx.unchecked]
    return Report.model_validate({
        "as_of": ctx.as_of, "law_version": ctx.as_of.isoformat(), "regime": ctx.regime(ctx.as_of).regime,
        "compliant": verdict(bool(violations), any(u["can_find_violation"] for u in unchecked)),
        "unchecked": unchecked, "violations": violations, "obligations": obligations, "findings": findings,
        "fines_total_kzt": sum(f for f in fines if f is not None),
        "fines_unknown": sum(1 for f in fines if f is None), "engine": ev.engine,
        "assumptions": [{"ref": ref, "kind": kind, "message": assumption_text(kind, lang, fields)}
                        for ref, kind, fields in ctx.assumed]})


def verdict(violations: bool, skipped: bool) -> Optional[bool]:
    """The report's `compliant`: False on any violation; else None (undetermined) when a check that could
    find one was skipped; else True."""
    if violations:
        return False
    return None if skipped else True


def check(case: Union[Case, Mapping[str, Any]], *, as_of: Union[date, str, None] = None, lang: str = "en",
          engine: Optional[str] = None, settings: Optional[Settings] = None, trace: bool = False,
          rulebook: Optional[Rulebook] = None) -> Report:
    """Check a case (a Case or its JSON dict) as of `as_of` (a date or ISO text; default: the case's, else today).

    `trace=True` adds the report's `trace`: per outcome and per derived fact, the rules, conditions,
    facts and figures of law used. `rulebook` replaces the default rules (e.g. `rulebook_with(files)`).
    Raises CaseError (a ValueError) naming the field when the case is invalid.
    """
    check_lang(lang)
    book = rulebook or default_rulebook()
    ev = evaluate(case, as_of=as_of, engine=engine, settings=settings, rulebook=book)
    report = build_report(ev, lang)
    return report.model_copy(update={"trace": build_trace(ev, book, lang)}) if trace else report
