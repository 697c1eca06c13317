"""Using kzcompliance from Python: check an employer's prospective hire, then each bundled example.

Run: python examples/check_api.py
"""

from __future__ import annotations

import json
from pathlib import Path

from kzcompliance import Case, CaseError, check

# "Can we hire this Uzbek citizen on 1 March, and what do we risk?"
hire = Case.model_validate({
    "as_of": "2026-03-01",
    "person": {"citizenship": "UZ"},
    "trips": [{"entry": "2026-02-10", "exit": None, "purpose": "work"}],
    "documents": [],
    "employment": [{"employer": "acme", "start": "2026-03-01", "end": None, "category": "3"}],
    "employers": [{"id": "acme", "type": "legal_entity", "size": "medium"}],
})
report = check(hire)
print("compliant:", report.compliant)
for v in report.violations:
    fine = "unknown" if v.sanction.fine_kzt is None else f"{v.sanction.fine_kzt} KZT"
    print(f"  {v.subject:9} {v.sanction.code:8} fine {fine:>12}  {v.message}")
for o in report.obligations:
    print(f"  due {o.due}: {o.kind} ({o.subject})")

# Bad input is a CaseError naming the field.
try:
    check({"person": {"citizenship": "KZ"}})
except CaseError as err:
    print("invalid:", err.field, "-", err.problem)

# Every bundled example, in Russian, as JSON-ready dicts.
for path in sorted(Path(__file__).parent.glob("*.json")):
    r = check(json.loads(path.read_text(encoding="utf-8")), lang="ru")
    print(path.name, "->", [v.sanction.code for v in r.violations] or "нарушений нет")
