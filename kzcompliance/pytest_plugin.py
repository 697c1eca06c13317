"""The pytest plugin (entry point `pytest11`): every `*.case.yaml`, `*.case.yml` or `*.case.json` file under the
test paths is collected, one test per scenario (format: `kzcompliance.scenarios`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

from .errors import KzComplianceError
from .scenarios import SUFFIXES, Scenario, ScenarioError, load_scenarios, verify


class ScenarioMismatch(Exception):
    """The report differs from the scenario's `expect` or `includes`: one line per difference."""


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> Optional[pytest.Collector]:
    if file_path.name.endswith(SUFFIXES):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        try:
            scenarios = load_scenarios(self.path)
        except ScenarioError as e:
            raise self.CollectError(str(e)) from None
        for s in scenarios:
            yield ScenarioItem.from_parent(self, name=s.name, scenario=s)


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario

    def runtest(self) -> None:
        problems = verify(self.scenario, self.path.parent)
        if problems:
            raise ScenarioMismatch("\n".join(problems))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        head = f"scenario {self.name!r} in {self.path.name}" + (
            f": {self.scenario.description}" if self.scenario.description else "")
        if isinstance(excinfo.value, ScenarioMismatch):
            return f"{head}\nthe report differs from `expect` or `includes`:\n{excinfo.value}"
        if isinstance(excinfo.value, KzComplianceError):
            return f"{head}\ninvalid: {excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, Optional[int], str]:
        return self.path, None, f"scenario: {self.name}"
