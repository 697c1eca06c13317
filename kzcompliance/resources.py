"""Where the bundled rules/ and seeds/ live: inside the installed wheel, or beside the package in a checkout."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import yaml

# libyaml's parser where PyYAML was built with it: the same safe loading, about 8x faster, which
# is most of the CLI's start-up spent reading seeds and rules.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PKG = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """The directory `name` ('rules' or 'seeds'): the wheel copy, else the checkout's top level."""
    for candidate in (_PKG / "_data" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kzcompliance data directory {name!r} not found next to {_PKG}")


def load_yaml(stream: IO[str]) -> Any:
    """A YAML document of the seeds or rules, loaded safely (no arbitrary objects)."""
    return yaml.load(stream, Loader=_SafeLoader)  # noqa: S506 - a safe loader
