"""The shape of the package: no import cycle, no private reach-in, no unexplained giant.

These rules keep "one door per job" true as the code grows: a cycle means two modules
are really one (or one reaches back up into its caller); importing another module's
``_private`` name couples to what its author meant to change freely; a module past ~400
lines is usually two jobs. The graph is read from the source with ``ast`` (imports inside
functions count too: a cycle hidden in a function is still a cycle of the design), so the
test needs nothing installed and runs everywhere.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "saidwhat"
MAX_LINES = 400
# A module may run longer when its docstring says why, in a line holding this phrase.
LENGTH_REASON = "longer than 400 lines"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(p): p
        for p in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in p.relative_to(PACKAGE).parts
    }


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for n in ast.walk(node))
    return skipped


def _imports(name: str, path: Path, known: set[str]) -> list[tuple[str, str | None]]:
    """(module imported, name imported from it or None) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    package_parts = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package_parts[: len(package_parts) - (node.level - 1)]
                base = ".".join(parent + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                # `from saidwhat.store import writer` imports the module store.writer
                found.append((full, None) if full in known else (base, alias.name))
    return found


def _graph() -> tuple[dict[str, set[str]], list[str]]:
    modules = _modules()
    known = set(modules)
    edges: dict[str, set[str]] = {m: set() for m in modules}
    private: list[str] = []
    for name, path in modules.items():
        for target, imported in _imports(name, path, known):
            if target in known and target != name:
                edges[name].add(target)
            if (
                imported
                and imported.startswith("_")
                and not imported.startswith("__")
                and target in known
                and target != name
            ):
                private.append(f"{name} imports {target}.{imported}")
    return edges, private


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
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
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles() -> None:
    edges, _ = _graph()
    assert _cycles(edges) == []


def test_no_private_names_imported_from_other_modules() -> None:
    _, private = _graph()
    assert private == []


def test_no_module_imports_upward_into_its_callers_package() -> None:
    """Pure layers stay pure: reading, linking and the data model never import the store,
    the query layer, the web app or the CLI; the engine never imports them either."""
    edges, _ = _graph()
    pure = ("saidwhat.schema", "saidwhat.reading", "saidwhat.linking", "saidwhat.attribution")
    outer = ("saidwhat.store", "saidwhat.query", "saidwhat.web", "saidwhat.cli", "saidwhat.ingest")
    bad = [
        f"{m} -> {t}"
        for m, targets in edges.items()
        if m.startswith(pure)
        for t in targets
        if t.startswith(outer)
    ]
    assert bad == []


def test_long_modules_say_why() -> None:
    too_long = []
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") <= MAX_LINES:
            continue
        doc = ast.get_docstring(ast.parse(text)) or ""
        if LENGTH_REASON not in doc.lower():
            too_long.append(f"{name}: {text.count(chr(10))} lines")
    assert too_long == []


def test_the_graph_sees_a_planted_cycle_and_reach_in(tmp_path: Path) -> None:
    """The checks themselves can fail: a two-module cycle and a private import are found."""
    edges = {"a": {"b"}, "b": {"a"}, "c": set()}
    assert _cycles(edges) == [["a", "b"]]
    mod = tmp_path / "m.py"
    mod.write_text("from saidwhat.x import _hidden\nfrom . import y\n", encoding="utf-8")
    found = _imports("saidwhat.m", mod, {"saidwhat.x", "saidwhat.y"})
    assert ("saidwhat.x", "_hidden") in found and ("saidwhat.y", None) in found


@pytest.mark.parametrize("face", ["saidwhat.attribution", "saidwhat.query", "saidwhat.store"])
def test_package_faces_exist(face: str) -> None:
    assert face in _modules()
