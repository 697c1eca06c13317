"""The rule files and the scenario files stay mirrored: every rule of rules/*.yaml is expected to fire in
some scenario under tests/scenarios/, and the file that pins it firing also holds a near miss (a scenario
whose whole list of that outcome leaves the rule out); every rule a scenario names exists."""

from __future__ import annotations

from pathlib import Path
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from kzcompliance.scenarios import SUFFIXES, Scenario, load_scenarios

ROOT = Path(__file__).resolve().parents[1]
OUTCOMES = {"sanction": "violations", "obligation": "obligations", "finding": "findings"}


def rule_outcomes() -> dict[str, str]:
    """Each rule id of rules/*.yaml and the report list its outcome lands in."""
    out: dict[str, str] = {}
    for path in sorted((ROOT / "rules").glob("*.yaml")):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            out[rule["id"]] = next(OUTCOMES[k] for k in OUTCOMES if rule.get(k) is not None)
    return out


def scenario_files() -> dict[str, list[Scenario]]:
    paths = sorted(p for p in (ROOT / "tests" / "scenarios").iterdir() if p.name.endswith(SUFFIXES))
    return {p.name: load_scenarios(p) for p in paths}


def named(scenario: Scenario) -> Iterator[tuple[str, str]]:
    """(outcome list, rule id) of every item the scenario expects, in `expect` or `includes`."""
    for fragment in (scenario.expect, scenario.includes):
        for outcome in OUTCOMES.values():
            for item in fragment.get(outcome) or []:
                if isinstance(item, dict) and "rule" in item:
                    yield outcome, item["rule"]


def leaves_out(scenario: Scenario, outcome: str, rule: str) -> bool:
    """The scenario's `expect` gives the whole list of `outcome`, and none of its items can be `rule`."""
    items: Any = scenario.expect.get(outcome)
    return isinstance(items, list) and all(isinstance(i, dict) and "rule" in i and i["rule"] != rule for i in items)


FILES = scenario_files()
RULES = rule_outcomes()


def test_every_rule_a_scenario_names_exists_in_that_list() -> None:
    wrong = sorted({(f, o, r) for f, ss in FILES.items() for s in ss for o, r in named(s) if RULES.get(r) != o})
    assert wrong == [], "scenarios name rules that are not in rules/*.yaml (or not of that outcome)"


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_rule_fires_in_a_scenario_and_misses_in_its_file(rule: str) -> None:
    outcome = RULES[rule]
    firing = [f for f, ss in FILES.items() if any((outcome, rule) in set(named(s)) for s in ss)]
    assert firing, f"{rule}: no scenario in tests/scenarios expects it among its {outcome}"
    assert any(leaves_out(s, outcome, rule) for f in firing for s in FILES[f]), \
        f"{rule}: {', '.join(firing)} pin it firing but hold no near miss (`expect: {{{outcome}: [...]}}` without it)"
