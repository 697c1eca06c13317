"""compiled_modules() tells the compiled build from a pure install by what actually loads."""

from __future__ import annotations

import importlib
from importlib.machinery import EXTENSION_SUFFIXES

from kzcompliance.build import compiled_modules, package_modules
from kzcompliance.engines import durable_available


def test_compiled_modules_names_exactly_the_modules_loaded_from_extensions() -> None:
    names = package_modules()
    assert "i18n.messages" in names and "server.app" in names  # subpackages' modules are looked at too
    # __main__ runs the CLI; dask_batch needs its extra; durable-rules does not import on Python 3.13+
    skipped = {"__main__", "dask_batch"} | (set() if durable_available() else {"engines.durable"})
    loaded = {name: importlib.import_module(f"kzcompliance.{name}").__file__ or "" for name in names
              if name not in skipped}
    compiled = compiled_modules()
    assert set(compiled) <= set(names)
    for name, path in loaded.items():
        assert (name in compiled) == path.endswith(tuple(EXTENSION_SUFFIXES)), (name, path)
    assert "seeds" not in compiled  # its pydantic models stay Python in every build
