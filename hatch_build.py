"""The wheel's build hook: the mypyc-compiled build where this machine can make it, else pure Python.

Wraps hatch-mypyc's hook (its configuration, the list of modules among it, is pyproject.toml's
[tool.hatch.build.targets.wheel.hooks.custom]) so that a plain `pip install` gets the compiled build
and is never refused for it: an editable install, another interpreter than CPython, no C compiler,
KZCOMPLIANCE_PURE=1 or a failed compile give the pure wheel. README, "Compiled build".
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import sysconfig
from types import FrameType
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

OPT_OUT = "KZCOMPLIANCE_PURE"


def c_compiler() -> str | None:
    """The C compiler a build would call (CC, else the one this interpreter was built with), if found."""
    words = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    return shutil.which(words[0]) if words else None


def pure_reason() -> str | None:
    """Why a regular wheel built here stays pure Python, or None where it is compiled."""
    if os.environ.get(OPT_OUT, "").lower() in ("1", "true"):
        return f"{OPT_OUT} is set"
    if sys.implementation.name != "cpython":
        return "mypyc compiles for CPython only"
    if c_compiler() is None:
        return "no C compiler found ($CC, the interpreter's CC, or cc on PATH)"
    return None


def asked_for_editable() -> bool:
    """Whether hatchling is answering PEP 660's get_requires_for_build_editable: it asks a hook for its
    dependencies without naming the build, and an editable build compiles nothing, so needs none."""
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        if frame.f_code.co_name == "get_requires_for_build_editable":
            return True
        frame = frame.f_back
    return False


class CompiledWhereBuildable(BuildHookInterface):
    """hatch-mypyc's hook, run only for a regular wheel that can be compiled; a failure falls back to pure."""

    mypyc: Any = None  # hatch-mypyc's hook while its in-place extensions exist

    def dependencies(self) -> list[str]:
        """hatch-mypyc and the pinned mypy, with the runtime dependencies mypyc types the code against."""
        if pure_reason() is not None or asked_for_editable():
            return []
        return [*self.config["compile-dependencies"], *self.metadata.core.dependencies]

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile in place into build_data's artifacts, or leave the wheel pure and say why on stderr."""
        if version != "standard":
            return
        reason = pure_reason()
        if reason is not None:
            print(f"kzcompliance: building the pure-Python wheel: {reason}", file=sys.stderr)
            return
        try:
            from hatch_mypyc.plugin import MypycBuildHook

            self.mypyc = MypycBuildHook(self.root, self.config, self.build_config, self.metadata,
                                        self.directory, self.target_name, self.app)
            self.mypyc.initialize(version, build_data)
        except Exception as exc:  # noqa: BLE001 - whatever stops the compiler, the pure wheel still works
            self.remove_extensions(version)
            tail = "\n".join(str(exc).splitlines()[-20:])
            print(f"kzcompliance: WARNING: compiling with mypyc failed, building the pure-Python wheel "
                  f"instead (set {OPT_OUT}=1 to skip compiling):\n{tail}", file=sys.stderr)

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """The wheel holds the extensions now: remove them from beside the sources they would shadow."""
        self.remove_extensions(version)

    def remove_extensions(self, version: str) -> None:
        """Delete the .so files hatch-mypyc compiled in place, if it ran."""
        if self.mypyc is not None:
            self.mypyc.clean([version])
            self.mypyc = None
