"""The layout rules that keep one obvious place for each thing, checked on the source itself.

- no import cycles between the product's modules (imports inside ``if TYPE_CHECKING:`` never run, so they
  do not count; imports inside functions do);
- ``HIRELAB_*`` environment variables are read only in core/config.py;
- core never imports the UI toolkits (gradio, streamlit);
- the product (core, workbench, training, pages) never imports the tests, the benchmarks or their shared
  fixtures, and the tests take what they share with the benchmarks from ``fixtures``, not from ``bench``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.paths import REPO

PACKAGES = ("core", "cli", "workbench", "training", "pages")


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            parts = path.relative_to(REPO).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING":
            type_only.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) and id(n) not in type_only]


def import_graph() -> dict[str, set[str]]:
    modules = _modules()

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level or not node.module:
                    continue
                targets = [resolve(f"{node.module}.{alias.name}") for alias in node.names]
            else:
                targets = [resolve(alias.name) for alias in node.names]
            graph[module].update(t for t in targets if t and t != module)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_environment_is_read_only_in_core_config():
    reads = re.compile(r"""(?:environ(?:\.get)?\s*[\[(]|getenv\s*\()\s*f?["']HIRELAB_""")
    offenders = []
    for path in [*_modules().values(), REPO / "app.py"]:
        if path == REPO / "core" / "config.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if reads.search(line):
                offenders.append(f"{path.relative_to(REPO)}:{n}")
    assert offenders == []


def test_core_never_imports_the_ui_toolkits():
    importers = []
    for name, path in _modules().items():
        if not name.startswith("core"):
            continue
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            if any(n.split(".")[0] in ("gradio", "streamlit") for n in names):
                importers.append(name)
    assert importers == []


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if not node.level and node.module:
                roots.add(node.module.split(".")[0])
        else:
            roots.update(alias.name.split(".")[0] for alias in node.names)
    return roots


def test_the_product_never_imports_tests_benchmarks_or_fixtures():
    importers = sorted(name for name, path in _modules().items()
                       if _imported_roots(path) & {"tests", "bench", "fixtures"})
    assert importers == []


def test_tests_import_nothing_from_the_benchmarks():
    importers = sorted(str(path.relative_to(REPO)) for path in (REPO / "tests").rglob("*.py")
                       if "bench" in _imported_roots(path))
    assert importers == []
