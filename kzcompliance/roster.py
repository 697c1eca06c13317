"""The employer's roster check: every foreign employee's report, and the employer's own findings.

Input, one JSON object (README, "Roster and hire pre-check"):

    {"as_of": "2026-03-02",                      optional: the date for cases that give none
     "employer": {"id": "emp-1", "type": "legal_entity", "size": "medium", "branch": false,
                  "staff": {"1": {"local": 4, "foreign": 1}, ...}},
     "employees": [CASE, CASE, ...]}             each a spec case

Each employee case gets the roster's employer in its `employers` unless it lists that id itself; the
copy leaves `staff` out, so the local-staff ratio is measured once, for the roster, not per employee.
The employer's findings are the ratio rules (rules/labour.yaml, fact kind `staff`) run by the same
engine on the roster's `staff`; its fines exposure adds up the violations whose subject is this
employer, as employer or as the employees' host.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any, Mapping, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .case import Employer
from .pipeline import build_report, evaluate, write_up
from .limits import date_argument, parse_date
from .engines import default_engine_name
from .errors import CaseError
from .i18n import check_lang
from .facts import staff_facts
from .ratios import staff_ratios
from .report import Finding, Report
from .rulebook import default_rulebook
from .seeds import reference


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RatioRow(_Model):
    """One local-staff condition of IRS permits, measured on the roster's `staff`."""

    measure: str = Field(description="local_share (Kazakh citizens' share) or ict (intra-corporate transferees)")
    group: str = Field(description="1-2 or 3-4 for local_share; the category for ict")
    local: int
    foreign: int
    ict: int
    share: str = Field(description="Kazakh citizens' share, rounded down to 0.1%")
    pct: int = Field(description="The minimum local share, or the maximum ICT share of local staff, in percent")
    limit: int = Field(description="local_share: fewest Kazakh staff allowed; ict: most transferees allowed")
    ok: bool
    exempt: bool


class MissingPermit(_Model):
    """An employee's job with this employer that needs a permit no document covers on as_of."""

    employee: int
    name: Optional[str]
    ref: str = Field(description="The job in the employee's case, e.g. employment[0]")
    permit: Optional[str] = Field(description="The document to obtain (null: the employer type is not known)")
    category: Optional[str]
    since: Optional[date] = Field(description="First day worked without it; null for a job not yet started")


class Exposure(_Model):
    """Known fines in tenge at the MRP of as_of, and how many fines have no known figure."""

    employer_kzt: int = Field(description="Fines on this employer, as employer (KoAP 519) or as host (518)")
    employer_unknown: int
    employees_kzt: int = Field(description="Fines on the employees themselves (KoAP 517)")
    employees_unknown: int


class EmployeeResult(_Model):
    index: int
    name: Optional[str]
    citizenship: str
    report: Report


class RosterReport(_Model):
    as_of: date
    employer: str
    compliant: Optional[bool] = Field(description="false: an employee report has a violation; null: none has, but "
                                      "one is undetermined; true: every employee report is compliant")
    undetermined: int = Field(default=0, description="How many employee reports are undetermined")
    permits_blocked: bool = Field(description="A condition of issuing IRS permits is not met (findings)")
    employees: list[EmployeeResult]
    findings: list[Finding] = Field(description="The employer's own findings: local-staff ratios")
    ratios: list[RatioRow]
    permits_missing: list[MissingPermit]
    exposure: Exposure

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)


def _employee_case(raw: Any, i: int, employer: Employer, as_of: Optional[date]) -> dict[str, Any]:
    """The employee's case with the roster's date and employer filled in where it gives none."""
    if not isinstance(raw, Mapping):
        raise CaseError(f"employees[{i}]", f"a case is a JSON object, not {type(raw).__name__}")
    data = copy.deepcopy(dict(raw))
    if data.get("as_of") is None and as_of is not None:
        data["as_of"] = as_of.isoformat()
    employers = data.get("employers")
    if employers is None or (isinstance(employers, list)
                             and not any(isinstance(e, Mapping) and e.get("id") == employer.id for e in employers)):
        entry = employer.model_dump(mode="json", exclude={"staff"}, exclude_none=True)
        data["employers"] = [*(employers or []), entry]
    return data


def _parse(roster: Mapping[str, Any]) -> tuple[Optional[date], Employer, list[Any]]:
    if not isinstance(roster, Mapping):
        raise CaseError("", f"a roster is a JSON object, not {type(roster).__name__}")
    unknown = set(roster) - {"as_of", "employer", "employees"}
    if unknown:
        raise CaseError(sorted(unknown)[0], "unknown field (a roster has as_of, employer and employees)")
    try:
        as_of = parse_date(roster["as_of"]) if roster.get("as_of") is not None else None
    except ValueError as e:
        raise CaseError("as_of", str(e)) from None
    try:
        employer = Employer.model_validate(roster.get("employer"))
    except ValidationError as e:
        err = CaseError.from_validation(e)
        raise CaseError(f"employer.{err.field}" if err.field else "employer", err.problem) from None
    employees = roster.get("employees")
    if not isinstance(employees, list):
        raise CaseError("employees", "a list of employee cases is required")
    return as_of, employer, employees


def check_roster(roster: Mapping[str, Any], *, as_of: Union[date, str, None] = None, lang: str = "en",
                 engine: Optional[str] = None) -> RosterReport:
    """Check one employer's roster (the JSON object above) as of `as_of` (default: the roster's, else today).

    Raises CaseError naming the field (e.g. ``employees[1].trips[0].exit``) when the input is invalid.
    """
    check_lang(lang)
    as_of = date_argument(as_of, "as_of")
    given_as_of, employer, employees = _parse(roster)
    when = as_of or given_as_of or date.today()
    name = engine or default_engine_name()
    results, missing = [], []
    employer_fines: list[Optional[int]] = []
    employee_fines: list[Optional[int]] = []
    for i, raw in enumerate(employees):
        data = _employee_case(raw, i, employer, when)
        try:
            ev = evaluate(data, as_of=as_of, engine=name)
        except CaseError as e:
            raise CaseError(f"employees[{i}]" + (f".{e.field}" if e.field else ""), e.problem) from None
        report = build_report(ev, lang)
        person = ev.ctx.case.person
        results.append(EmployeeResult(index=i, name=person.name, citizenship=person.citizenship, report=report))
        for v in report.violations:
            if v.subject == "foreigner":
                employee_fines.append(v.sanction.fine_kzt)
            elif v.subject_id == employer.id:
                employer_fines.append(v.sanction.fine_kzt)
        for fact, _rules in ev.fired:
            if fact["kind"] == "job" and fact.get("subject_id") == employer.id and not fact.get("permit_held") \
                    and fact.get("permit_needed") != "none" and (fact.get("ongoing") or fact.get("planned")):
                since = fact.get("first_day_without_permit")
                missing.append(MissingPermit(employee=i, name=person.name, ref=fact["ref"],
                                             permit=fact.get("permit_needed"), category=fact.get("category"),
                                             since=date.fromisoformat(since) if since else None))
    ref = reference()
    book = default_rulebook()

    def parameter(key: str, on: date) -> Optional[int]:
        row = ref.parameter(key, on)
        return row.value if row else None

    facts = staff_facts(employer, "employer.staff", when, parameter)
    findings = write_up(book.fire(facts, name), ref, when, lang).findings
    ratios = [RatioRow(measure=r.measure, group=r.group, local=r.local, foreign=r.foreign, ict=r.ict,
                       share=r.share_text, pct=r.pct, limit=r.limit, ok=r.ok, exempt=r.exempt)
              for r in staff_ratios(employer.staff or {}, employer.branch, when, parameter)]
    return RosterReport(
        as_of=when, employer=employer.id,
        compliant=False if any(r.report.compliant is False for r in results)
        else None if any(r.report.compliant is None for r in results) else True,
        undetermined=sum(1 for r in results if r.report.compliant is None),
        permits_blocked=any(f.kind == "permit_blocked" for f in findings), employees=results, findings=findings,
        ratios=ratios, permits_missing=missing,
        exposure=Exposure(employer_kzt=sum(f for f in employer_fines if f is not None),
                          employer_unknown=sum(1 for f in employer_fines if f is None),
                          employees_kzt=sum(f for f in employee_fines if f is not None),
                          employees_unknown=sum(1 for f in employee_fines if f is None)))
