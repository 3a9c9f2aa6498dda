"""The window's modules import one way: no cycles, and only app.py knows the
main window (every import counts: in functions and under TYPE_CHECKING too)."""
from __future__ import annotations

import ast
from pathlib import Path

import workbench.gui

GUI = Path(workbench.gui.__file__).parent


def module_name(path: Path) -> str:
    parts = ["workbench", "gui", *path.relative_to(GUI).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def gui_imports() -> dict[str, set[str]]:
    """{module: the workbench.gui modules it imports}."""
    modules = {module_name(p): p for p in GUI.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                found.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                             for alias in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def test_the_gui_modules_import_each_other_without_cycles():
    graph = gui_imports()
    cycles = []
    for start in graph:  # a path from a module's imports back to it is a cycle
        seen, todo = set(), list(graph[start])
        while todo:
            module = todo.pop()
            if module == start:
                cycles.append(start)
                break
            if module not in seen:
                seen.add(module)
                todo.extend(graph[module])
    assert cycles == []


def test_only_the_app_imports_the_main_window():
    importers = sorted(m for m, imported in gui_imports().items() if "workbench.gui.main_window" in imported)
    assert importers == ["workbench.gui.app"]
