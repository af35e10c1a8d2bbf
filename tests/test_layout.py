"""The shape of the code: modules by job and of a size one can read, imports without cycles.

These read the source as text (``ast``), so they hold on any machine and fail the day a
module grows past its job or two modules start importing each other.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("geo", "dashboard")
MAX_LINES = 600
MAX_APP_LINES = 250


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(name: str, path: Path) -> set[str]:
    """Modules of ours that ``name`` imports when it is imported (not inside functions,
    not under ``TYPE_CHECKING``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and _is_type_checking(node):
                continue
            if isinstance(node, ast.If | ast.Try):
                visit(node.body)
                visit(node.orelse)
                for handler in getattr(node, "handlers", ()):
                    visit(handler.body)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, *([base] if base else [])])
                found.add(base)
                found.update(f"{base}.{a.name}" for a in node.names)

    visit(tree.body)
    return {m for m in found if m in MODULES and m != name}


def test_no_import_cycle() -> None:
    graph = {name: _module_level_imports(name, path) for name, path in MODULES.items()}
    assert {"geo.buildfolder", "geo.territory"} <= graph["geo.build"]  # the reader reads
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as err:
        pytest.fail(f"import cycle: {' -> '.join(err.args[1])}")


def test_importing_the_package_imports_none_of_its_modules() -> None:
    assert _module_level_imports("geo", MODULES["geo"]) == set()


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_readable(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    limit = MAX_APP_LINES if name == "dashboard.app" else MAX_LINES
    assert lines <= limit, f"{MODULES[name].relative_to(ROOT)} has {lines} lines (> {limit})"


def _top_level_imports(source: str) -> set[str]:
    """The top-level packages a module's absolute imports name, anywhere in it."""
    tree = ast.parse(source)
    return {
        a.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for a in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and not node.level
    }


def test_the_pipeline_library_never_imports_streamlit() -> None:
    for name, path in MODULES.items():
        if name.startswith("geo"):
            names = _top_level_imports(path.read_text(encoding="utf-8"))
            assert not names & {"streamlit", "streamlit_folium", "dashboard"}, name


@pytest.mark.parametrize(
    "path", sorted((ROOT / "tests" / "e2e").glob("*.py")), ids=lambda p: p.name
)
def test_the_browser_tests_need_nothing_from_tools(path: Path) -> None:
    """What the bench and the browser tests share lives beside the tests."""
    text = path.read_text(encoding="utf-8")
    imported = _top_level_imports(text)
    tools = {p.stem for p in (ROOT / "tools").glob("*.py")}
    assert not imported & (tools | {"tools"}), path.name
    assert '"tools"' not in text, f"{path.name} puts tools/ on the path"
