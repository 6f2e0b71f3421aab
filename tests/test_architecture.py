"""The layout rules that keep one obvious place for each thing, checked on the source itself.

- no import cycles between the product's modules (imports inside ``if TYPE_CHECKING:`` never run, so they
  do not count; imports inside functions do);
- ``HIRELAB_*`` environment variables are read only in core/config.py;
- core never imports the UI toolkits (gradio, streamlit);
- the product (core, cli, workbench, training, pages) never imports the tests, the benchmarks or their shared
  fixtures;
- core imports neither training, bench nor cli (the front ends and training stand on core, never the other
  way), the engines (core/engines) import neither core.documents nor core.facts: they read the typed task
  a service gives them, and core.documents and core.facts import nothing from the engines (what both need, such
  as core/text.py, sits beside them). These two count every import, also inside functions, under ``if TYPE_CHECKING:`` and
  through ``importlib.import_module``/``__import__`` with a written name;
- the tests and the benchmarks share what they both need through ``fixtures``: no test module imports
  another test module or the benchmarks, and no benchmark imports the tests.
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


def imported_names(tree: ast.AST, package: str = "") -> set[str]:
    """Every module name a file's code imports, wherever the import stands: ``from a.b import c`` gives ``a.b``
    and ``a.b.c``; a relative import is resolved against ``package``; ``importlib.import_module("x")`` and
    ``__import__("x")`` with a written name count too."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[:len(package.split(".")) - node.level + 1] if package else []
                base = ".".join([*parent, *([base] if base else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if called in ("import_module", "__import__"):
                names.add(node.args[0].value)
    names.discard("")
    return names


def _names_imported_under(folder: str) -> dict[str, set[str]]:
    """File (relative to the repository) -> every module name it imports, for each .py file under ``folder``."""
    out = {}
    for path in sorted((REPO / folder).rglob("*.py")):
        package = ".".join(path.relative_to(REPO).parent.parts)
        out[str(path.relative_to(REPO))] = imported_names(ast.parse(path.read_text(encoding="utf-8")), package)
    return out


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_the_import_finder_sees_imports_inside_functions_and_by_name():
    code = """
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from cli.app import app
def f():
    from training.metrics import series
    import importlib
    importlib.import_module("bench.results_io")
    return __import__("tests.paths")
from . import sibling
from core import facts
"""
    found = imported_names(ast.parse(code), package="core.engines")
    assert {"cli.app", "training.metrics.series", "bench.results_io", "tests.paths", "core.engines.sibling",
            "core.facts"} <= found
    assert _within("core.facts.skills", ("core.facts",)) and not _within("core.factsheet", ("core.facts",))


def test_core_imports_neither_training_bench_nor_cli():
    offenders = sorted(f"{file}: {name}" for file, names in _names_imported_under("core").items() for name in names
                       if _within(name, ("training", "bench", "cli")))
    assert offenders == []


def test_engines_import_neither_documents_nor_facts():
    offenders = sorted(f"{file}: {name}" for file, names in _names_imported_under("core/engines").items()
                       for name in names if _within(name, ("core.documents", "core.facts")))
    assert offenders == []


def test_documents_and_facts_import_nothing_from_the_engines():
    offenders = sorted(f"{file}: {name}" for folder in ("core/documents", "core/facts")
                       for file, names in _names_imported_under(folder).items()
                       for name in names if _within(name, ("core.engines",)))
    assert offenders == []


def _test_modules() -> set[str]:
    return {path.stem for path in (REPO / "tests").rglob("test_*.py")}


def _imports_a_test_module(name: str, test_modules: set[str]) -> bool:
    parts = name.split(".")
    return parts[0] in test_modules or (parts[0] == "tests" and len(parts) > 1 and parts[1] in test_modules)


def test_tests_import_neither_the_benchmarks_nor_other_test_modules():
    test_modules = _test_modules()
    offenders = sorted(f"{file}: {name}" for file, names in _names_imported_under("tests").items() for name in names
                       if _within(name, ("bench",)) or _imports_a_test_module(name, test_modules))
    assert offenders == []


def test_the_benchmarks_import_nothing_from_the_tests():
    test_files = {path.stem for path in (REPO / "tests").rglob("*.py")}  # also by bare name, via sys.path
    offenders = sorted(f"{file}: {name}" for file, names in _names_imported_under("bench").items() for name in names
                       if _within(name, ("tests",)) or name.split(".")[0] in test_files)
    assert offenders == []
