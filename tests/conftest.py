"""Shared fixtures for the test suite."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kzcompliance.engines import durable_available

sys.path.insert(0, str(Path(__file__).parent))

ENGINES = ["python"] + (["durable"] if durable_available() else [])


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each available rule engine in turn."""
    return str(request.param)
