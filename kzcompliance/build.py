"""Which of the package's modules this install runs compiled: the mypyc build (README, "Compiled build")."""

from __future__ import annotations

import importlib.util
import pkgutil
from importlib.machinery import EXTENSION_SUFFIXES


def package_modules() -> list[str]:
    """The names of the package's modules and subpackages' modules, relative to it (e.g. "i18n.messages");
    a subpackage whose optional dependencies are missing (server, without the [server] extra) is left out."""
    import kzcompliance

    return sorted(info.name.removeprefix("kzcompliance.") for info in
                  pkgutil.walk_packages(kzcompliance.__path__, "kzcompliance.", onerror=lambda _name: None))


def compiled_modules() -> list[str]:
    """Names of the kzcompliance modules (subpackages' included, e.g. "i18n.messages") an import would load from a
    compiled extension (none when pure)."""
    out = []
    for name in package_modules():
        try:
            spec = importlib.util.find_spec(f"kzcompliance.{name}")
        except ImportError:  # its subpackage needs an extra that is not installed
            continue
        if spec is not None and spec.origin and spec.origin.endswith(tuple(EXTENSION_SUFFIXES)):
            out.append(name)
    return out
