"""The project's own import graph: no cycles, and no hidden function-local imports.

A cycle that "works" only because one side imports inside a function breaks as soon as
someone moves that import to the top (or a new entry point imports the other side first),
so the graph of module-level imports must be acyclic, and every function-local import of
a project module must say why on its line or the line above (issue 14 item 6).
"""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("evrak", "docgen", "verifiers", "worker")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


@functools.cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


@functools.cache
def _source(path: Path) -> tuple[list[str], ast.Module]:
    """Lines and AST of a module, parsed once for all the checks here."""
    text = path.read_text(encoding="utf-8")
    return text.splitlines(), ast.parse(text)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported (not in functions, not TYPE_CHECKING)."""
    out: list[ast.Import | ast.ImportFrom] = []
    todo: list[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            out.append(node)
        elif isinstance(node, ast.If):
            if not _is_type_checking(node):
                todo += node.body + node.orelse
        elif isinstance(node, ast.Try):
            todo += node.body + node.orelse + node.finalbody
            for h in node.handlers:
                todo += h.body
        elif isinstance(node, ast.With):
            todo += node.body
        elif isinstance(node, ast.ClassDef):
            todo += node.body
    return out


def _targets(node: ast.Import | ast.ImportFrom, here: str, modules: dict[str, Path]) -> set[str]:
    """The project modules an import statement loads (a package's __init__ included)."""
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = node.module or ""
        if node.level:
            pkg = here.split(".")
            if not modules[here].name == "__init__.py":
                pkg = pkg[:-1]
            pkg = pkg[: len(pkg) - (node.level - 1)]
            base = ".".join([*pkg, base] if base else pkg)
        # `from pkg import x` runs pkg's __init__ too, also from inside pkg: an __init__ that
        # imports its own submodules then closes a cycle with each of them
        names = [base, *(f"{base}.{a.name}" for a in node.names)]
    out = set()
    for name in names:
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            prefix = ".".join(parts[:i])
            if prefix in modules and prefix != here:
                out.add(prefix)
    return out


def _all_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import that can run, function-local ones included (TYPE_CHECKING blocks are not)."""
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and _is_type_checking(node)
            for n in ast.walk(node)}
    return [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom) and id(n) not in skip]


def import_graph(*, local: bool = True) -> dict[str, set[str]]:
    """Module -> project modules it imports; local=True counts function-local imports too.

    A function-local import that closes a cycle only hides it, so the cycle check counts them.
    """
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = _source(path)[1]
        graph[name] = set()
        for node in (_all_imports(tree) if local else _top_level_imports(tree)):
            graph[name] |= _targets(node, name, modules)
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    comp.append(m)
                    if m == node:
                        break
                if len(comp) > 1:
                    cycles.append(sorted(comp))
    return cycles


def test_graph_sees_a_real_cycle() -> None:
    """The checker itself: a made-up a -> b -> c -> a is found, a chain is not."""
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycles() -> None:
    cycles = find_cycles(import_graph())
    assert cycles == [], f"import cycles: {cycles}"


def local_imports_without_reason() -> list[str]:
    """Function-local imports of project modules with no comment on their line or above their block."""
    bad = []
    for path in _modules().values():
        lines, tree = _source(path)
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if not isinstance(node, ast.Import | ast.ImportFrom):
                    continue
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                if not any(m.split(".")[0] in PACKAGES for m in mods) and not getattr(node, "level", 0):
                    continue
                line = lines[node.lineno - 1]
                i = node.lineno - 2  # the reason may head a block of imports
                while i >= 0 and lines[i].strip().startswith(("from ", "import ")):
                    i -= 1
                above = lines[i].strip() if i >= 0 else ""
                if "#" not in line and not above.startswith("#"):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {line.strip()}")
    return sorted(set(bad))


def test_function_local_imports_say_why() -> None:
    bad = local_imports_without_reason()
    assert bad == [], "function-local imports of project modules without a reason:\n" + "\n".join(bad)


def _import_alone(name: str) -> str | None:
    res = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True, cwd=ROOT,
                         timeout=300)
    if res.returncode:
        return f"{name}: {(res.stderr.strip().splitlines() or ['?'])[-1]}"
    return None


@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("package", PACKAGES)
def test_every_module_imports_alone(package: str) -> None:
    """Each module imports first in a fresh interpreter (an order-dependent cycle fails here)."""
    names = [n for n in _modules() if n.split(".")[0] == package]
    with ThreadPoolExecutor(max_workers=4) as pool:
        bad = [r for r in pool.map(_import_alone, names) if r]
    assert bad == [], "\n".join(bad)
