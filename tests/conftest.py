"""Shared fixtures for the test suite."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from .helpers import ENGINES

# Property tests: "ci" is bounded for CI (the default), "dev" searches harder on a developer's machine.
# Choose with HYPOTHESIS_PROFILE=dev.
settings.register_profile("ci", max_examples=60, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=1000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each available rule engine in turn."""
    return str(request.param)
