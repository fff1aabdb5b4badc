"""The package's shape, checked: no import cycle (imports anywhere in a module count), no
module over 400 lines but the declared data tables, a docstring on every module, and the
two boundaries the engines keep — the batch engine hands households to the interpreter in
one place only, and decision records never import what renders them."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "policylang"
LIMIT = 400
DATA_TABLES = {
    "policylang.tools.codes",  # the diagnostics catalogue: one entry per code, with examples
}


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(SOURCE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """The policylang modules `name` imports, at module level or inside functions."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("policylang")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("policylang"):
                continue
            for alias in node.names:  # `from . import ir` imports the module `ir`
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in MODULES else target)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def find_cycle() -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for name in sorted(GRAPH):
        if name not in state and (cycle := visit(name)):
            return cycle
    return None


def test_the_walk_sees_the_imports():
    assert "policylang.interpret.decisions" in GRAPH["policylang.explain.decisions_json"]
    assert "policylang.ir" in GRAPH["policylang.interpret.evaluate"]


def test_no_import_cycle():
    cycle = find_cycle()
    assert cycle is None, " -> ".join(cycle)


def test_no_module_over_the_limit_but_data_tables():
    long = {name: n for name, path in MODULES.items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT}
    assert set(long) <= DATA_TABLES, {k: v for k, v in long.items() if k not in DATA_TABLES}


def test_every_module_says_why_it_exists():
    missing = [name for name, path in MODULES.items()
               if path.stat().st_size and not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))]
    assert not missing, missing


def test_the_batch_engine_reaches_the_interpreter_in_one_place():
    reaching = {name for name in GRAPH if name.startswith("policylang.batch")
                and any(m.startswith("policylang.interpret") for m in GRAPH[name])}
    assert reaching == {"policylang.batch.screen"}


def test_decision_records_do_not_import_their_renderers():
    for name in GRAPH:
        if name.startswith("policylang.interpret"):
            assert not any(m.startswith("policylang.explain") for m in GRAPH[name]), name
