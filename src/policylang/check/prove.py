"""A small prover for simple conditions: comparisons of one value with a literal, enum
membership, and yes/no values, joined by *and*. It answers "can these all hold together?"
where it can, so the checker proves two exceptions overlap (or never meet) instead of guessing.

Values are compared by what they read (the same fact or definition of the same subject);
different values are taken as independent, which is what "proved where the conditions are
simple" means here.
"""

from __future__ import annotations

from decimal import Decimal

from .. import ir

NUMERIC_OPS = ("<", "<=", ">", ">=", "==", "!=")
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def atoms(conditions) -> list[tuple] | None:
    """The conditions as (variable, relation, value) atoms, or None if one is not simple."""
    found: list[tuple] = []
    for condition in conditions:
        if not _collect(condition.test, found):
            return None
    return found


def satisfiable(found: list[tuple]) -> bool:
    """Whether every atom can hold at once (each variable on its own)."""
    by_variable: dict[tuple, list[tuple]] = {}
    for variable, relation, value in found:
        by_variable.setdefault(variable, []).append((relation, value))
    return all(_consistent(constraints) for constraints in by_variable.values())


def _collect(expr, found: list) -> bool:
    if isinstance(expr, ir.Binary) and expr.op == "and":
        return _collect(expr.left, found) and _collect(expr.right, found)
    variable = _variable(expr)
    if variable is not None:
        found.append((variable, "==", True))
        return True
    if isinstance(expr, ir.Unary) and expr.op == "not" and _variable(expr.operand) is not None:
        found.append((_variable(expr.operand), "==", False))
        return True
    if isinstance(expr, ir.Binary) and expr.op in NUMERIC_OPS + ("in",):
        return _comparison(expr, found)
    return False


def _comparison(expr: ir.Binary, found: list) -> bool:
    left, right = _variable(expr.left), _variable(expr.right)
    if expr.op == "in":
        values = _constants(expr.right)
        if left is None or values is None:
            return False
        found.append((left, "in", frozenset(values)))
        return True
    if left is not None and isinstance(expr.right, ir.Const):
        found.append((left, expr.op, expr.right.value))
        return True
    if right is not None and isinstance(expr.left, ir.Const):
        found.append((right, FLIP[expr.op], expr.left.value))
        return True
    return False


def _variable(expr) -> tuple | None:
    if isinstance(expr, (ir.FactRef, ir.DefinitionRef)):
        return (type(expr).__name__, expr.entity, expr.name, expr.up)
    if isinstance(expr, ir.DecisionRef):
        return ("decision", expr.program, expr.entity, expr.up, expr.what)
    return None


def _constants(expr) -> list | None:
    if isinstance(expr, ir.SetOf) and all(isinstance(i, ir.Const) for i in expr.items):
        return [i.value for i in expr.items]
    return None


def _consistent(constraints: list[tuple]) -> bool:
    allowed: set | None = None
    excluded: set = set()
    low, low_open, high, high_open = None, False, None, False
    for relation, value in constraints:
        if relation == "in" or relation == "==":
            values = set(value) if relation == "in" else {value}
            allowed = values if allowed is None else allowed & values
        elif relation == "!=":
            excluded.add(value)
        elif relation in (">", ">="):
            if low is None or value > low or (value == low and relation == ">"):
                low, low_open = value, relation == ">"
        else:
            if high is None or value < high or (value == high and relation == "<"):
                high, high_open = value, relation == "<"
    if allowed is not None:
        return any(_within(v, low, low_open, high, high_open) and v not in excluded for v in allowed)
    if low is not None and high is not None:
        if low > high or (low == high and (low_open or high_open or low in excluded)):
            return False
    return True


def _within(value, low, low_open, high, high_open) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return low is None and high is None
    if low is not None and (value < low or (low_open and value == low)):
        return False
    if high is not None and (value > high or (high_open and value == high)):
        return False
    return True
