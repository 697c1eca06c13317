"""The scenario-file plugin: collection, matching (`expect` whole lists, `includes` some items), failure
messages that name the difference, and load errors that name the file and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kzcompliance.scenarios import ScenarioError, load_scenarios, mismatches

pytest_plugins = ["pytester"]

UZ_DAY_34 = """
    case:
      as_of: 2026-03-06
      person: {citizenship: UZ}
      trips: [{entry: 2026-02-01, exit: null}]
      documents: []
      employment: []
"""


def test_the_plugin_is_active_so_the_scenario_files_here_run(pytestconfig: pytest.Config) -> None:
    # Installed by the package's `pytest11` entry point; without it tests/scenarios would be skipped silently.
    assert pytestconfig.pluginmanager.has_plugin("kzcompliance")


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_scenario_file_is_collected_and_run(pytester: pytest.Pytester) -> None:
    write(pytester.path / "ok.case.yaml", UZ_DAY_34 + """
    expect:
      violations: [{rule: stay.visa-free-term, since: 2026-03-03, sanction: {code: 517-3.2}}]
    """)
    write(pytester.path / "wrong.case.yaml", UZ_DAY_34 + """
    expect:
      violations: [{rule: stay.visa-free-term, sanction: {code: 517-3.1}}]
    """)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*the report differs from `expect` or `includes`*",
        '*violations: no item matches {"rule": "stay.visa-free-term", "sanction": {"code": "517-3.1"}}; '
        'the report has: {"rule": "stay.visa-free-term", "sanction": {"code": "517-3.2"}}*'])


def test_a_list_of_scenarios_runs_one_test_each(pytester: pytest.Pytester) -> None:
    write(pytester.path / "days.case.json", """
    {"scenarios": [
      {"name": "day 30", "as_of": "2026-03-02",
       "case": {"person": {"citizenship": "UZ"}, "trips": [{"entry": "2026-02-01"}], "documents": [],
                "employment": [], "stays": []},
       "expect": {"compliant": true}},
      {"name": "day 31", "as_of": "2026-03-03",
       "case": {"person": {"citizenship": "UZ"}, "trips": [{"entry": "2026-02-01"}], "documents": []},
       "expect": {"compliant": false}}]}
    """)
    result = pytester.runpytest("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*days.case.json::day 30 PASSED*", "*days.case.json::day 31 PASSED*"])


def test_an_invalid_case_fails_with_the_field_named(pytester: pytest.Pytester) -> None:
    write(pytester.path / "kz.case.yaml", """
    case: {person: {citizenship: KZ}}
    expect: {compliant: true}
    """)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*invalid: person.citizenship: 'KZ' is Kazakhstan*"])


def test_a_malformed_file_is_a_collection_error(pytester: pytest.Pytester) -> None:
    write(pytester.path / "typo.case.yaml", UZ_DAY_34 + """
    expected: {compliant: false}
    """)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*typo.case.yaml: scenario typo.case.yaml: expected: Extra inputs are not permitted*"])


def test_load_errors_name_the_file_and_scenario(tmp_path: Path) -> None:
    cases = [("scenarios: {a: 1}", "`scenarios` (a list)"),
             ("scenarios: [{name: a, case: {}}]", "scenario a: give `expect` or `includes`"),
             ("scenarios: [{name: a, case: {}, expect: {}, settings: {count_days: 1}}]",
              "settings: unknown count_days"),
             ("scenarios: [{name: a, case: {}, expect: {x: 1}}, {name: a, case: {}, expect: {x: 1}}]", "used twice"),
             ("[1, 2]", "expected a mapping")]
    for text, needle in cases:
        path = write(tmp_path / "bad.case.yaml", text)
        with pytest.raises(ScenarioError, match=str(path).replace("\\", "\\\\")) as err:
            load_scenarios(path)
        assert needle in str(err.value)


def test_yaml_country_codes_stay_strings(tmp_path: Path) -> None:
    path = write(tmp_path / "no.case.yaml", "case: {person: {citizenship: NO}, as_of: 2026-01-01}\nexpect: {x: yes}\n")
    (scenario,) = load_scenarios(path)
    assert scenario.case["person"]["citizenship"] == "NO" and scenario.expect == {"x": "yes"}


REPORT = {"compliant": False,
          "violations": [{"rule": "a", "since": "2026-01-02", "facts": {"ref": "trips[0]"}},
                         {"rule": "a", "since": "2026-01-05", "facts": {"ref": "trips[1]"}}],
          "obligations": []}


def test_expect_lists_are_whole_and_in_any_order() -> None:
    assert mismatches({"violations": [{"since": "2026-01-05"}, {"rule": "a"}]}, REPORT) == []
    assert mismatches({"violations": [{"rule": "a"}]}, REPORT) == [
        'violations: expected 1 item(s), the report has 2: {"rule": "a"}; {"rule": "a"}']
    assert mismatches({"obligations": []}, REPORT) == []
    assert mismatches({"violations": [{"rule": "a"}, {"rule": "a"}, {"rule": "a"}]}, REPORT, whole=False)


def test_includes_lists_name_some_items() -> None:
    assert mismatches({"violations": [{"rule": "a", "facts": {"ref": "trips[1]"}}]}, REPORT, whole=False) == []
    assert mismatches({"violations": [{"rule": "b"}]}, REPORT, whole=False) == [
        'violations: no item matches {"rule": "b"}; the report has: {"rule": "a"}; {"rule": "a"}']


def test_scalars_keys_and_dates() -> None:
    from datetime import date

    assert mismatches({"violations": [{"since": date(2026, 1, 2)}, {}]}, REPORT) == []
    assert mismatches({"compliant": True, "regime": "cis"}, REPORT) == [
        "compliant: expected true, got false", "regime: not in the report"]
    assert mismatches({"violations": [{"facts": {"ref": "trips[9]"}}, {}]}, REPORT)[0].startswith(
        'violations: no item matches {"facts": {"ref": "trips[9]"}}')


def test_a_scenario_can_bring_its_own_rule_file(pytester: pytest.Pytester) -> None:
    write(pytester.path / "extra.yaml", """
    area: demo
    rules:
      - id: demo.long-visit
        subject: foreigner
        fact: trip
        when: {$gt: {days_on_entry: 20}}
        obligation: review
        due: entry
        legal_basis: ["a test rule"]
        effective: {from: 2015-01-01}
        verified: false
        message: {en: "long visit", ru: "долгий визит", kk: "ұзақ сапар"}
    """)
    write(pytester.path / "demo.case.yaml", "rules: [extra.yaml]\n" + textwrap.dedent(UZ_DAY_34) + """
expect:
  obligations: [{kind: leave_by}, {kind: review, due: 2026-02-01, rule: demo.long-visit}]
""")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
