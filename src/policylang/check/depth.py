"""How deep evaluating a rule nests, counted through the definitions and decisions it reads.

Each definition is shallow, but `d1 = d0 + 1`, `d2 = d1 + 1`, … chains them: evaluating
`d400` nests 800 levels, past what the engines' recursion can hold. The parser bounds one
expression (`MAX_EXPRESSION_DEPTH`); this step bounds a whole chain (`MAX_RULE_DEPTH`), so
such rules are refused here, with the place the chain crosses the limit, instead of failing
while a household is decided.
"""

from __future__ import annotations

import attrs

from .. import ir
from ..core.diagnostics import Diagnostic
from ..core.limits import MAX_RULE_DEPTH
from .graph import decision_graph, decision_parts


def check_depth(programs, definitions, definition_uses) -> list[Diagnostic]:
    """PL004 at the first definition or program whose evaluation nests deeper than
    `MAX_RULE_DEPTH` while everything it reads stays within it. Runs on rules without
    cycles (`check_cycles` first)."""
    graph = decision_graph(programs, definition_uses)
    depth: dict[tuple, int] = {}
    for node in _dependencies_first(graph):
        if node[0] == "definition":
            parts = [definitions[node[1:]].body] if node[1:] in definitions else []
        else:
            parts = decision_parts(programs[node[1]], node[2])
        depth[node] = max((_nesting(part, depth) for part in parts), default=0)
        if depth[node] > MAX_RULE_DEPTH:
            span = definitions[node[1:]].span if node[0] == "definition" else programs[node[1]].span
            return [Diagnostic(
                "PL004", f"evaluating this nests {depth[node]} levels deep through the "
                f"definitions it reads (at most {MAX_RULE_DEPTH})", span,
                hint="compute the chain in fewer steps: one definition can sum or combine "
                "several values at once")]
    return []


def _nesting(expr, depth: dict[tuple, int]) -> int:
    """Levels of `expr`, where reading a definition or a decision costs that one's depth.

    >>> one = ir.Const(1, None, None)
    >>> _nesting(ir.Binary("+", one, one, None, None), {})
    2
    """
    if isinstance(expr, ir.DefinitionRef):
        return 1 + depth.get(("definition", expr.entity, expr.name), 0)
    if isinstance(expr, ir.DecisionRef):
        return 1 + depth.get(("decision", expr.program, expr.entity), 0)
    below = [_nesting(child, depth) for child in _children(expr)]
    return 1 + max(below, default=0)


def _children(expr) -> list:
    """The expressions directly under `expr` (one level of `ir.walk`)."""
    found = []
    for field in attrs.fields(type(expr)):
        value = getattr(expr, field.name)
        items = value if isinstance(value, (tuple, list)) else [value]
        found += [item for item in items if isinstance(item, ir.Expr.__args__)]
    return found


def _dependencies_first(graph: dict[tuple, set]) -> list[tuple]:
    """Every node after the nodes it uses (the graph has no cycle), without recursion: a
    rule set may chain thousands of definitions."""
    order, placed = [], set()
    for start in sorted(graph):
        if start in placed:
            continue
        stack, open_ = [(start, iter(sorted(graph[start])))], {start}
        while stack:
            node, edges = stack[-1]
            target = next((t for t in edges if t in graph and t not in placed), None)
            if target is None:
                stack.pop()
                open_.discard(node)
                placed.add(node)
                order.append(node)
            elif target not in open_:
                open_.add(target)
                stack.append((target, iter(sorted(graph[target]))))
    return order
