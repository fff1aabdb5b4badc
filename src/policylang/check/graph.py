"""Pass 2d — whole-rule-set checks: dependency cycles and parameter coverage.

Dependencies are tracked per (program, entity) decision, not per program, so
`dibao`'s single-person member decisions may use the household's `dibao_edge`
status, which itself uses the household `dibao` decision.
"""

from __future__ import annotations

import datetime as dt

from .. import ir
from ..core.diagnostics import Diagnostic
from ..ir.schema import Schema


def decision_graph(programs, definition_uses) -> dict[tuple, set]:
    """Edges from each definition and decision to what it uses."""
    graph: dict[tuple, set] = {}
    for key, uses in definition_uses.items():
        graph[("definition", *key)] = {u for u in uses if u[0] != "parameter"}
    for program in programs.values():
        for entity in program.subject_entities():
            graph[("decision", program.name, entity)] = _uses_for(program, entity)
    return graph


def _uses_for(program: ir.Program, entity: str) -> set:
    """The uses of the parts of `program` that decide for `entity`."""
    found = set()
    for part in decision_parts(program, entity):
        found |= _refs(part)
    if entity == program.subject:
        found |= {("decision", other, entity) for other in program.yields_to}
    return found


def decision_parts(program: ir.Program, entity: str) -> list:
    """The expressions of `program` that decide for `entity`: its conditions, amount,
    payee, triggers, reports and notes for the subject; an exception's for its scope."""
    parts = []
    if entity == program.subject:
        parts += [c.test for c in program.conditions]
        parts += [program.amount.value] if program.amount else []
        parts += [program.paid_to[1]] if program.paid_to else []
        parts += [t.test for t in program.triggers] + [r.value for r in program.reports]
        parts += [n.when for n in program.notes if n.when is not None]
    for exception in program.exceptions:
        if exception.scope == entity:
            parts += [c.test for c in exception.conditions]
            parts += [exception.amount.value] if exception.amount else []
    return parts


def _refs(expr) -> set:
    found = set()
    for node in ir.walk(expr):
        if isinstance(node, ir.DefinitionRef):
            found.add(("definition", node.entity, node.name))
        elif isinstance(node, ir.DecisionRef):
            found.add(("decision", node.program, node.entity))
    return found


def check_cycles(programs, definition_uses, definitions) -> list[Diagnostic]:
    """Report each dependency cycle once, at the first program on it."""
    graph = decision_graph(programs, definition_uses)
    state: dict[tuple, int] = {}
    diagnostics, reported = [], set()

    def visit(start):
        stack = [(start, iter(sorted(graph.get(start, ()))))]
        path = [start]
        state[start] = 1
        while stack:
            node, edges = stack[-1]
            advanced = False
            for target in edges:
                if state.get(target) == 1:
                    cycle = path[path.index(target):] + [target]
                    _report_cycle(cycle, programs, definitions, diagnostics, reported)
                elif target not in state:
                    state[target] = 1
                    path.append(target)
                    stack.append((target, iter(sorted(graph.get(target, ())))))
                    advanced = True
                    break
            if not advanced:
                state[node] = 2
                stack.pop()
                path.pop()

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return diagnostics


def _describe(node: tuple) -> str:
    if node[0] == "decision":
        return f"{node[1]} ({node[2]})"
    return f"definition {node[2]} of {node[1]}"


def _report_cycle(cycle, programs, definitions, diagnostics, reported) -> None:
    key = frozenset(cycle)
    if key in reported:
        return
    reported.add(key)
    first = next((n for n in cycle if n[0] == "decision"), None)
    span = programs[first[1]].span if first else definitions[cycle[0][1:]].span
    diagnostics.append(Diagnostic(
        "PL040", "these rules depend on each other in a circle: "
        + " → ".join(_describe(n) for n in cycle), span,
        hint="a program may use another's decision only if that one does not use it back"
        if first else "a definition may not use itself, directly or through other definitions"))


def check_coverage(programs, parameters, schema: Schema, needed) -> list[Diagnostic]:
    """Every parameter a program needs has a value on every date, in every place it applies;
    one that only an exception reads, on every date and in every place the exception
    applies too. `needed`: the parameters of (program, None) and of (program, exception)."""
    diagnostics = []
    for program in programs.values():
        clauses = [(None, program.applies)] + [(e.name, e.applies) for e in program.exceptions]
        base = needed.get((program.name, None), set())
        for exception, applies in clauses:
            names = needed.get((program.name, exception), set())
            names = names if exception is None else names - base
            places, window = _scope(program.applies, applies, schema)
            clause = f"program `{program.name}`" if exception is None else \
                f"exception `{program.name}.{exception}`"
            for name in sorted(names):
                diagnostics += _gaps(parameters[name], clause, places, window, schema)
    return diagnostics


def clause_parameters(checker) -> dict[tuple[str, str | None], set[str]]:
    """Parameters each program needs outside its exceptions, (program, None), and each
    exception needs, (program, exception): each is needed only in its own period."""
    def read(uses):
        return {use[1] for use in checker.reachable(uses) if use[0] == "parameter"}
    found = {(name, None): read(uses) for name, uses in checker.base_uses.items()}
    found.update({key: read(uses) for key, uses in checker.exception_uses.items()})
    return found


def _scope(program: ir.Applicability, clause: ir.Applicability | None, schema: Schema):
    """The places (None: a rule set without any) and the period a clause applies in: the
    program's, narrowed by an exception's own `applies`."""
    roots = tuple(p for p, parent in schema.places.items() if parent is None) or (None,)
    places = (clause.places if clause and clause.places else program.places) or roots
    start = max(program.start or dt.date.min, (clause and clause.start) or dt.date.min)
    end = min(program.end or dt.date.max, (clause and clause.end) or dt.date.max)
    return places, (start, end)


def _gaps(parameter, clause: str, places, window, schema: Schema) -> list[Diagnostic]:
    found = []
    if window[0] > window[1]:
        return found
    for place in places:
        chain = schema.jurisdiction_chain(place) if place is not None else []
        values = [v for v in parameter.values if v.place in chain or v.place is None]
        gap = _first_gap(values, window)
        if gap is None:
            continue
        when = f"on {gap}" if gap != dt.date.min else "before " + str(min(
            (v.start for v in values if v.start), default="any date"))
        where = f"for `{place}` " if place is not None else ""
        found.append(Diagnostic(
            "PL030", f"parameter `{parameter.name}` has no value {where}{when}, "
            f"where {clause} applies", parameter.span,
            hint=f"add a value for `{place}` or one of its parents "
            f"({', '.join(chain[1:]) or 'none'}) in force on that date" if place is not None
            else "add a value in force on that date"))
    return found


def _first_gap(values, window) -> dt.date | None:
    """The first date in `window` on which no value is in force, if any."""
    day = window[0]
    for start, end in sorted((v.start or dt.date.min, v.end or dt.date.max) for v in values):
        if start > day:
            return day
        if end >= day:
            if end >= window[1]:
                return None
            day = end + dt.timedelta(days=1)
    return day if day <= window[1] else None
