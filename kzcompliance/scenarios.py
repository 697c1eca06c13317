"""Scenario files: a case and the part of its report a rule author expects, as YAML or JSON, run as tests.

A file named `*.case.yaml`, `*.case.yml` or `*.case.json` holds one scenario, or a list of them under
`scenarios` (with optional file-wide `description` and `rules`). A scenario has:

    name         its test name (a single scenario defaults to the file name)
    description  free text, shown when it fails
    rules        extra rule files, relative to the scenario file (a rule under development)
    settings     Settings fields, e.g. {count_exit_day: false}
    as_of        overrides the case's as_of (the same case checked on two days)
    lang         en (default), ru or kk: the language of messages
    case         the case, as in the spec
    expect       a fragment of the report JSON (`kzcompliance check --format json`) whose lists are whole
    includes     a fragment whose lists name only some of the report's items

A fragment matches the report when every key it gives has the same value in the report (keys it leaves
out are not checked) and every list it gives has each of its items match a different item of the
report's list, in any order. Under `expect` the lists must also be as long as the report's
(`violations: []`: none at all); under `includes` the report may hold more (the rule under test fired,
whatever else did). Dates are ISO strings or bare YAML dates. A scenario passes only if it matches on
every rule engine available.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from pathlib import Path
from typing import Any, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .pipeline import check
from .engines import ENGINES, durable_available
from .errors import KzComplianceError, format_loc
from .i18n import Lang
from .rulebook import rulebook_with
from .settings import Settings

SUFFIXES = (".case.yaml", ".case.yml", ".case.json")


class ScenarioError(KzComplianceError):
    """A scenario file that does not load: names the file, the scenario and the field."""


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    description: Optional[str] = None
    rules: list[str] = Field(default_factory=list)
    settings: dict[str, Any] = Field(default_factory=dict)
    as_of: Optional[date] = None
    lang: Lang = "en"
    case: dict[str, Any]
    expect: dict[str, Any] = Field(default_factory=dict)
    includes: dict[str, Any] = Field(default_factory=dict)


class _Yaml12Loader(yaml.SafeLoader):
    """YAML with only true/false as booleans, so Norway's code NO (or yes/on/off) stays a string."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                    list("tTfF"))


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if path.name.endswith(".json") else yaml.load(text, Loader=_Yaml12Loader)  # noqa: S506
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as e:
        raise ScenarioError(f"{path}: cannot read: {e}") from None


def load_scenarios(path: Path) -> list[Scenario]:
    """The scenarios of one file, validated; ScenarioError names the file, the scenario and the field."""
    data = _read(path)
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a mapping (one scenario, or `scenarios:` and a list)")
    if "scenarios" in data:
        extra = set(data) - {"scenarios", "description", "rules"}
        if extra or not isinstance(data["scenarios"], list):
            raise ScenarioError(f"{path}: a file of scenarios has `scenarios` (a list), `description` and `rules`"
                                + (f", not {', '.join(sorted(extra))}" if extra else ""))
        shared = data.get("rules") or []
        raw = [{**s, "rules": [*shared, *s.get("rules", [])]} if isinstance(s, dict) else s for s in data["scenarios"]]
    else:
        raw = [{"name": path.name, **data}]
    out: list[Scenario] = []
    for i, item in enumerate(raw):
        label = item.get("name") if isinstance(item, dict) else None
        try:
            scenario = Scenario.model_validate(item)
        except ValidationError as e:
            first = e.errors(include_url=False)[0]
            raise ScenarioError(f"{path}: scenario {label or f'#{i}'}: {format_loc(first['loc'])}: "
                                f"{first['msg']}") from None
        unknown = set(scenario.settings) - {f.name for f in dataclasses.fields(Settings)}
        if unknown:
            raise ScenarioError(f"{path}: scenario {scenario.name}: settings: unknown {', '.join(sorted(unknown))}")
        if not scenario.expect and not scenario.includes:
            raise ScenarioError(f"{path}: scenario {scenario.name}: give `expect` or `includes` (or both)")
        if any(s.name == scenario.name for s in out):
            raise ScenarioError(f"{path}: scenario {scenario.name}: the name is used twice")
        out.append(scenario)
    return out


def jsonable(value: Any) -> Any:
    """YAML values as plain JSON values (dates as ISO strings): a scenario's case or expected report."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def _assign(expected: list[Any], actual: list[Any], whole: bool) -> dict[int, int]:
    """A matching of expected items to distinct actual items they fit (Kuhn's augmenting paths)."""
    fits = [[j for j, a in enumerate(actual) if not mismatches(e, a, whole=whole)] for e in expected]
    owner: dict[int, int] = {}

    def place(i: int, seen: set[int]) -> bool:
        for j in fits[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or place(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(expected)):
        place(i, set())
    return {i: j for j, i in owner.items()}


def _shape(items: list[Any]) -> Any:
    """The keys (nested) the expected items name, to show report items by; None: show whole values."""
    maps = [i for i in items if isinstance(i, dict)]
    if not maps:
        return None
    keys = dict.fromkeys(k for m in maps for k in m)
    return {k: _shape([m[k] for m in maps if k in m]) for k in keys}


def _project(item: Any, shape: Any) -> Any:
    if isinstance(item, dict) and isinstance(shape, dict):
        return {k: _project(v, shape[k]) for k, v in item.items() if k in shape}
    return item


def _brief(item: Any, shape: Any = None) -> str:
    """A report item shown by the keys the expectation used (all of it without a shape)."""
    return json.dumps(_project(item, shape), ensure_ascii=False, default=str)


def mismatches(expected: Any, actual: Any, where: str = "", *, whole: bool = True) -> list[str]:
    """How `actual` (report JSON) differs from the `expected` fragment; empty when it matches.

    `whole`: lists must be as long as the report's (`expect`), else they name some of its items (`includes`).
    """
    expected = jsonable(expected)
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where or 'report'}: expected a mapping, got {_brief(actual)}"]
        out = []
        for key, want in expected.items():
            if key not in actual:
                out.append(f"{where}.{key}: not in the report" if where else f"{key}: not in the report")
            else:
                out += mismatches(want, actual[key], f"{where}.{key}" if where else key, whole=whole)
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{where}: expected a list, got {_brief(actual)}"]
        shape = _shape(expected)
        got = "; ".join(_brief(a, shape) for a in actual) or "none"
        if len(expected) > len(actual) or whole and len(expected) != len(actual):
            return [f"{where}: expected {len(expected)} item(s), the report has {len(actual)}: {got}"]
        matched = _assign(expected, actual, whole)
        return [f"{where}: no item matches {_brief(e)}; the report has: {got}"
                for i, e in enumerate(expected) if i not in matched]
    if expected != actual:
        return [f"{where}: expected {json.dumps(expected, ensure_ascii=False)}, got "
                f"{json.dumps(actual, ensure_ascii=False, default=str)}"]
    return []


def verify(scenario: Scenario, base: Path) -> list[str]:
    """Run a scenario on every available engine; the differences from `expect` and `includes`, by engine."""
    book = rulebook_with([base / r for r in scenario.rules])
    settings = Settings(**scenario.settings)
    found: dict[tuple[str, ...], list[str]] = {}
    for engine in ENGINES:
        if engine == "durable" and not durable_available():
            continue
        report = check(scenario.case, as_of=scenario.as_of, lang=scenario.lang, engine=engine, settings=settings,
                       rulebook=book)
        data = json.loads(report.to_json())
        diffs = tuple(mismatches(scenario.expect, data) + mismatches(scenario.includes, data, whole=False))
        if diffs:
            found.setdefault(diffs, []).append(engine)
    return [f"[{', '.join(engines)}] {d}" for diffs, engines in found.items() for d in diffs]
