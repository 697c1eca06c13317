"""Which of the package's modules this install runs compiled: the mypyc build (README, "Compiled build")."""

from __future__ import annotations

import importlib.util
import pkgutil
from importlib.machinery import EXTENSION_SUFFIXES


def compiled_modules() -> list[str]:
    """Names of the kzcompliance modules an import would load from a compiled extension (none when pure)."""
    import kzcompliance

    out = []
    for info in pkgutil.iter_modules(kzcompliance.__path__):
        spec = importlib.util.find_spec(f"kzcompliance.{info.name}")
        if spec is not None and spec.origin and spec.origin.endswith(tuple(EXTENSION_SUFFIXES)):
            out.append(info.name)
    return sorted(out)
