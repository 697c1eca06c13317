"""The package's layers, as docs/architecture.md draws them: every module is in the table, no import goes
up the layers, and no modules import each other in a circle (run-time and type-checking imports alike)."""

from __future__ import annotations

import ast
import re
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kzcompliance"
DOC = ROOT / "docs" / "architecture.md"

# The layers are a property of the sources: the run against the compiled wheel removes them from its copy.
pytestmark = pytest.mark.skipif(not (PACKAGE / "__init__.py").is_file(), reason="no source tree beside the tests")


def layer_table() -> list[tuple[int, list[str]]]:
    """(layer number, module patterns) from the doc's "Layers" table."""
    text = DOC.read_text(encoding="utf-8").split("## Layers", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in text.splitlines():
        m = re.match(r"\|\s*(\d+)\s[^|]*\|([^|]*)\|", line)
        if m:
            rows.append((int(m.group(1)), re.findall(r"`([^`]+)`", m.group(2))))
    return rows


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name relative to it ('kzcompliance' for the package itself)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts) or "kzcompliance"] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that `name` imports, resolved to the most specific known module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    if name == "kzcompliance":
        package = ""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
                mod = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "kzcompliance":
                mod = node.module.partition(".")[2]
            else:
                continue
            targets = [f"{mod}.{a.name}" if mod else a.name for a in node.names] + [mod]
        elif isinstance(node, ast.Import):
            targets = [a.name.partition(".")[2] for a in node.names if a.name.split(".")[0] == "kzcompliance"]
        for t in targets:
            if t in known:
                out.add(t)
                break
        else:
            for t in targets:
                while t and t not in known:
                    t = t.rpartition(".")[0]
                out.add(t or "kzcompliance")
                break
    out.discard(name)
    return out


def layer_of(name: str, table: list[tuple[int, list[str]]]) -> list[int]:
    """The layers naming `name`: by its own name if any row does (a subpackage's module placed apart), else by
    a subpackage pattern (`planning.*`)."""
    exact = [n for n, pats in table for p in pats if p == name]
    return exact or [n for n, pats in table for p in pats
                     if p.endswith(".*") and (fnmatchcase(name, p) or name == p.removesuffix(".*"))]


def test_the_doc_names_every_module_once_and_no_module_that_is_gone() -> None:
    table = layer_table()
    assert len(table) >= 5, "docs/architecture.md lost its Layers table"
    mods = modules()
    for name in mods:
        found = layer_of(name, table)
        assert len(found) == 1, f"{name}: in {len(found)} layers of docs/architecture.md"
    for _n, pats in table:
        for p in pats:
            if not p.endswith(".*"):
                assert p in mods, f"docs/architecture.md names {p}, which is not a module"


def test_no_import_goes_up_the_layers() -> None:
    table = layer_table()
    mods = modules()
    for name, path in mods.items():
        if name in ("kzcompliance",):
            continue  # the package's surface re-exports from every layer below the entry points
        mine = layer_of(name, table)[0]
        for dep in imports(name, path, set(mods)):
            theirs = layer_of(dep, table)[0]
            if dep == "kzcompliance" and name.split(".")[0] in ("build", "server", "cli"):
                continue  # entry points may read the package's surface
            assert theirs <= mine, f"{name} (layer {mine}) imports {dep} (layer {theirs})"


def test_no_import_circle() -> None:
    mods = modules()
    graph = {n: imports(n, p, set(mods)) for n, p in mods.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for d in sorted(graph[n]):
            if state.get(d) == 1 and not (n.startswith(d + ".") or d == "kzcompliance"):
                raise AssertionError("import circle: " + " -> ".join(stack[stack.index(d):] + [d]))
            if d not in state:
                visit(d)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)


@pytest.mark.parametrize("source, circle", [
    ({"a": "from . import b\n", "b": "from .a import x\n"}, True),
    ({"a": "from . import b\n", "b": "x = 1\n"}, False),
])
def test_the_circle_finder_finds_a_circle(tmp_path: Path, source: dict[str, str], circle: bool) -> None:
    """The parser resolves relative imports, so a planted circle is found and a one-way import is not."""
    for n, text in source.items():
        (tmp_path / f"{n}.py").write_text(text)
    known = set(source)
    graph = {n: imports(n, tmp_path / f"{n}.py", known) for n in source}
    assert ("a" in graph["b"] and "b" in graph["a"]) is circle
