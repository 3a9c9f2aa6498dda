"""The layers hold and the modules form no import cycle.

The layer contracts live in pyproject.toml (``[tool.importlinter]``) and are checked here with
import-linter, the same check as running ``lint-imports`` in the project folder. The cycle check
walks grimp's graph of every import in the package, those inside functions and ``TYPE_CHECKING``
blocks included: a cycle that only closes at run time is still a cycle for whoever reads the code.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = REPO / "pyproject.toml"

CONTRACT_IDS = {"core-is-qt-free", "terminal-in-cli", "gui-cli-independent", "testing-not-shipped"}
# Every module is in one of these, so every module is under some contract.
LAYERS = {"core", "cli", "gui", "testing"}


def _env() -> dict[str, str]:
    """The subprocess analyses this checkout's ``workbench``, not an installed copy."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def test_the_layer_contracts_are_configured():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        tomllib = pytest.importorskip("tomli")
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    assert {c["id"] for c in config["contracts"]} >= CONTRACT_IDS
    # Without the external packages in the graph the PySide6 contract checks nothing.
    assert config["include_external_packages"] is True


def test_every_module_is_in_a_layer():
    import pkgutil

    import workbench

    outside = sorted(info.name for info in pkgutil.iter_modules(workbench.__path__)
                     if info.name not in LAYERS)
    assert not outside, (f"workbench.{{{', '.join(outside)}}} belong to no layer "
                         f"({', '.join(sorted(LAYERS))}): move them into one")


def test_the_layer_contracts_hold():
    pytest.importorskip("importlinter")
    run = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                               "lint_imports_command()",
         "--no-cache", "--no-logo", str(PYPROJECT)],
        cwd=REPO, env=_env(), capture_output=True, text=True, timeout=300,
    )
    report = f"{run.stdout}\n{run.stderr}"
    assert run.returncode == 0, "import contracts broken:\n" + report
    kept = re.search(r"Contracts: (\d+) kept, 0 broken", run.stdout)
    assert kept and int(kept.group(1)) >= len(CONTRACT_IDS), report


# --- cycles ----------------------------------------------------------------------------------


def strongly_connected_components(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the components of more than one module, or of a module
    importing itself, each sorted, in a stable order."""
    graph = {node: sorted(set(targets)) for node, targets in edges.items()}
    for targets in list(graph.values()):
        for target in targets:
            graph.setdefault(target, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    for root in sorted(graph):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(graph[root]))]
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph[target])))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in graph[node]:
                        components.append(sorted(component))
    return sorted(components, key=lambda c: (-len(c), c))


def _shortest_cycle(edges: Mapping[str, Iterable[str]], members: list[str]) -> list[str]:
    """One shortest cycle through the component's first module (breadth-first within the
    component), as a path that starts and ends there."""
    inside = set(members)
    start = members[0]
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        next_frontier = []
        for node in frontier:
            for target in sorted(edges.get(node, ())):
                if target == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), start]
                if target in inside and target not in came_from:
                    came_from[target] = node
                    next_frontier.append(target)
        frontier = next_frontier
    raise AssertionError(f"no cycle through {start}")


def describe_cycles(graph) -> str:
    """Every import cycle in a grimp graph: its modules, one short cycle through them, and every
    import between them with its line, so whoever breaks the cycle sees where to cut."""
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    lines = []
    for members in strongly_connected_components(edges):
        lines.append(f"cycle of {len(members)} modules: " + ", ".join(members))
        lines.append("  for example: " + " -> ".join(_shortest_cycle(edges, members)))
        inside = set(members)
        for importer in members:
            for imported in sorted(set(edges[importer]) & inside):
                details = graph.get_import_details(importer=importer, imported=imported)
                where = ", ".join(f"l.{d['line_number']}" for d in details) or "?"
                lines.append(f"    {importer} -> {imported} ({where})")
    return "\n".join(lines)


def test_the_cycle_finder_finds_cycles():
    edges = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": ["e"], "e": ["d"], "f": ["f"],
             "g": ["a"]}
    assert strongly_connected_components(edges) == [["a", "b", "c"], ["d", "e"], ["f"]]
    assert _shortest_cycle(edges, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    assert _shortest_cycle(edges, ["f"]) == ["f", "f"]
    assert strongly_connected_components({"a": ["b"], "b": []}) == []


def test_no_import_cycles():
    grimp = pytest.importorskip("grimp")
    import workbench

    assert Path(workbench.__file__).resolve().is_relative_to(REPO), workbench.__file__
    graph = grimp.build_graph("workbench", cache_dir=None)
    cycles = describe_cycles(graph)
    assert not cycles, "import cycles in workbench:\n" + cycles


USE_CASES_AND_STORE = ["importing.py", "translating.py", "pairing.py", "batch_pairs.py", "interchange.py", "scoring.py",
                       "outputs.py", "doctor.py", "edits/history.py", "store/*.py"]


def test_use_cases_and_the_store_document_every_public_name():
    """A maintainer reads the use cases and the store first: every public
    function, class and method there says what it does."""
    import ast

    core = REPO / "workbench" / "core"
    missing = []
    for pattern in USE_CASES_AND_STORE:
        for path in sorted(core.glob(pattern)):
            def visit(node, prefix=""):
                for child in ast.iter_child_nodes(node):
                    if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                            and not child.name.startswith("_"):
                        if not ast.get_docstring(child):
                            missing.append(f"{path.relative_to(REPO)}:{child.lineno} {prefix}{child.name}")
                        if isinstance(child, ast.ClassDef):
                            visit(child, f"{child.name}.")
            visit(ast.parse(path.read_text(encoding="utf-8")))
    assert not missing, "public names without a docstring:\n" + "\n".join(missing)
