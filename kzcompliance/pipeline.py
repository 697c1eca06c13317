"""The check pipeline (`check`, `evaluate`, `build_report`): case -> derived facts -> rules (engine) ->
violations, obligations and findings -> report."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from operator import itemgetter
from typing import Any, Collection, Final, Optional, TypeVar, Union

from pydantic import ValidationError

from .calendar import calendar
from .case import Case
from .context import AGGRAVATING_CHECKS, Context
from .dates import iso_date
from .law_edges import assumption_text, mrp_carried
from .engines import default_engine_name
from .evaluation import Evaluation
from .errors import CaseError, problem
from .facts import derive
from .i18n import check_lang
from .limits import DATE_MAX, MAX_DEPTH, date_argument, too_deep
from .plugins import plugin_manager
from .report import Assumption, Finding, Obligation, Report, Unchecked, Violation
from .rulebook import CompiledRule, Rulebook, default_rulebook
from .sanctions import decided, liable_tier, sanction_for
from .seeds import MrpRow, ReferenceData, reference
from .settings import DEFAULT_SETTINGS, Settings
from .trace import build_trace
from .typed import typed


def to_case(case: Union[Case, Mapping[str, Any]]) -> Case:
    """A Case from a Case or a JSON-like mapping; CaseError names the field at fault."""
    if not isinstance(case, dict):  # what a check is mostly given: a plain type check, where Case's and Mapping's
        if isinstance(case, Case):  # go through an ABC's (pydantic's model class is an ABCMeta)
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


T = TypeVar("T")


class WriteUp:
    """What the rules that fired say, each list in report order, and the sum of the violations' known fines and how
    many are not known. Read-only (a plain class, native when compiled: a frozen dataclass's are not)."""

    def __init__(self, violations: list[Violation], obligations: list[Obligation], findings: list[Finding],
                 fines_kzt: int, fines_unknown: int) -> None:
        self.violations = violations
        self.obligations = obligations
        self.findings = findings
        self.fines_kzt = fines_kzt
        self.fines_unknown = fines_unknown


def write_up(fired: list[tuple[dict[str, Any], list[CompiledRule]]], ref: ReferenceData, as_of: date,
             lang: str, assumed: Collection[str] = ()) -> WriteUp:
    """Violations (with sanctions at the MRP of `as_of`, their fines summed), obligations and findings from fired
    rules; a violation about a case item in `assumed` (judged on an assumption) is unverified whatever its rule's
    own reading.
    Each part is built typed (`typed`): its values are the fact's, the rule's and the catalogue's, all typed."""
    violations: list[tuple[tuple[date, str, str], Violation]] = []
    obligations: list[tuple[tuple[date, str, str], Obligation]] = []
    findings: list[tuple[tuple[date, str, str, str], Finding]] = []
    at: Optional[tuple[MrpRow, Optional[str]]] = None  # the MRP of as_of: one per report, found at its first fine
    fines = unknown = 0
    catalogue = ref.sanction_on
    for fact, rules in fired:
        if not rules:  # most facts of a compliant case fire nothing
            continue
        for _cr, w, day, row in decided(rules, catalogue, fact):  # one outcome per rule and fact
            subject_id: Optional[str] = None if w.foreigner else fact.get("subject_id")
            sid = subject_id or ""
            message = w.messages[lang].fill(fact, lang)
            if w.obligation is not None:
                obligations.append(((day, w.obligation, sid), typed(Obligation, {
                    "kind": w.obligation, "subject": w.subject, "subject_id": subject_id, "due": day, "rule": w.id,
                    "message": message})))
                continue
            item = fact["ref"]
            facts: dict[str, Any] = {"ref": item}
            for f in w.facts:
                value = fact.get(f, _ABSENT)
                if value is not _ABSENT:
                    facts[f] = value
            verified = w.verified
            if w.finding is not None:
                last, value = "kind", w.finding
            else:  # a violation: its sanction, last (each dict is built whole: one that grows is built twice)
                assert row is not None
                if item in assumed:
                    verified = False
                if at is None:
                    at = mrp_carried(ref, as_of, lang)
                sanction, fine = sanction_for(row, liable_tier(w.subject, fact), at, lang)
                if fine is None:
                    unknown += 1
                else:
                    fines += fine
                last, value = "sanction", sanction
            out: dict[str, Any] = {"rule": w.id, "subject": w.subject, "subject_id": subject_id, "since": day,
                                   "message": message, "facts": facts, "legal_basis": w.bases(lang),
                                   "verified": verified, last: value}
            if w.finding is not None:
                findings.append(((day, w.id, sid, item), typed(Finding, out)))
            else:
                violations.append(((day, w.id, sid), typed(Violation, out)))
    return WriteUp(_in_order(violations), _in_order(obligations), _in_order(findings), fines, unknown)


_ABSENT: Final = object()  # a fact field the fact does not have
_KEY: Final = itemgetter(0)


def _in_order(keyed: list[tuple[Any, T]]) -> list[T]:
    """The parts of (key, part) pairs in the order of their keys; equal keys as they came (a stable sort, by key
    only: report order as before)."""
    if len(keyed) > 1:
        keyed.sort(key=_KEY)
    return [part for _key, part in keyed]


def build_report(ev: Evaluation, lang: str = "en") -> Report:
    """The report of an evaluation, messages in `lang`, built typed from the write-up and the check's context.

    A violation about a case item judged on an assumption (before the law's start, past a table's end) is
    unverified whatever its rule's own reading."""
    return _report(ev, check_lang(lang))


def _report(ev: Evaluation, lang: str) -> Report:
    """build_report for a `lang` already checked (check() checks it before evaluating)."""
    ctx = ev.ctx
    up = write_up(ev.fired, ctx.ref, ctx.as_of, lang, {ref for ref, _kind, _fields in ctx.assumed})
    unchecked = [typed(Unchecked, {"check": c, "needs": n, "can_find_violation": c not in AGGRAVATING_CHECKS})
                 for c, n in ctx.unchecked]
    return typed(Report, {
        "as_of": ctx.as_of, "law_version": iso_date(ctx.as_of), "regime": ctx.regime(ctx.as_of).regime,
        "compliant": verdict(bool(up.violations), any(c not in AGGRAVATING_CHECKS for c, _n in ctx.unchecked)),
        "unchecked": unchecked, "violations": up.violations, "obligations": up.obligations, "findings": up.findings,
        "fines_total_kzt": up.fines_kzt, "fines_unknown": up.fines_unknown, "engine": ev.engine,
        "assumptions": [typed(Assumption, {"ref": ref, "kind": kind, "message": assumption_text(kind, lang, fields)})
                        for ref, kind, fields in ctx.assumed]}, trace=None)


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
    report = _report(ev, lang)
    return report.model_copy(update={"trace": build_trace(ev, book, lang)}) if trace else report
