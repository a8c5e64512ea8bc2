"""The house rules of the package layout (DESIGN section 7): folders by concern, no import
circles, no deferred import that dodges one, small modules."""

from __future__ import annotations

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

import evomesa

PACKAGE = Path(evomesa.__file__).parent
#: the ground floor: the public face and what everything else stands on
GROUND_FLOOR = {"__init__", "__main__", "errors", "seeding", "rng", "budget", "executors"}
FOLDERS = {
    "agents", "bench", "budget", "cli", "evolve", "executors", "experiments", "files",
    "genomes", "handsets", "measure", "metrics", "plots", "studies", "worlds",
}  # fmt: skip
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, bool]]:
    """(imported evomesa module, whether the import runs at import time) for each import,
    including any under ``if TYPE_CHECKING`` (a circle through type hints is still a circle)."""
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
                    for _ in range(node.level - 1):
                        package = package.rpartition(".")[0]
                    base = f"{package}.{base}" if base else package
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for target in targets:
                while target and target not in MODULES:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    found.append((target, top))
            return
        inner = top and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(ast.parse(path.read_text()), True)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_the_top_level_holds_only_the_ground_floor_and_folders_by_concern():
    files = {p.stem for p in PACKAGE.glob("*.py")}
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert files - GROUND_FLOOR == set()
    assert folders == FOLDERS


def test_no_import_circles_counting_every_import_that_runs():
    # deferred imports (inside functions) count too: one that closes a circle only dodges it
    graph = {name: {target for target, _ in edges} for name, edges in GRAPH.items()}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        pytest.fail(f"import circle: {' -> '.join(error.args[1])}")


def test_no_module_imports_the_public_face():
    # the root package imports everything; a module inside that imports it back either
    # closes a circle or defers the import to dodge one
    importers = sorted(name for name, edges in GRAPH.items() if ("evomesa", True) in edges
                       or ("evomesa", False) in edges)  # fmt: skip
    assert importers == []


def test_every_module_imports_alone_in_a_fresh_interpreter_in_dependency_order():
    graph = {name: {target for target, _ in edges} for name, edges in GRAPH.items()}
    order = [m for m in TopologicalSorter(graph).static_order() if not m.endswith("__main__")]
    script = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    done = subprocess.run(
        [sys.executable, "-c", script, *order], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_no_module_is_longer_than_about_400_lines():
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}
