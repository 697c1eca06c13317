"""compiled_modules() tells the compiled build from a pure install by what actually loads."""

from __future__ import annotations

import importlib
import pkgutil
from importlib.machinery import EXTENSION_SUFFIXES

import kzcompliance
from kzcompliance.build import compiled_modules


def test_compiled_modules_names_exactly_the_modules_loaded_from_extensions() -> None:
    names = [info.name for info in pkgutil.iter_modules(kzcompliance.__path__)]
    loaded = {name: importlib.import_module(f"kzcompliance.{name}").__file__ or "" for name in names
              if name not in ("__main__", "dask_batch")}  # __main__ runs the CLI; dask_batch needs the extra
    compiled = compiled_modules()
    assert set(compiled) <= set(names)
    for name, path in loaded.items():
        assert (name in compiled) == path.endswith(tuple(EXTENSION_SUFFIXES)), (name, path)
    assert "seeds" not in compiled  # its pydantic models stay Python in every build
