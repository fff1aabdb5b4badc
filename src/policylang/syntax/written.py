"""How the formatter writes values and expressions: decimals, quoted texts, labels, types,
periods, citations, and expressions with only the parentheses their operators need.
"""

from __future__ import annotations

import json
from decimal import Decimal

from . import nodes
from ..facts.load import _Float


# ---------------------------------------------------------------- small pieces
def decimal_text(value: Decimal) -> str:
    """As written: Decimal keeps trailing zeros; "f" never gives an exponent (0.0000001)."""
    return format(value, "f")


def quoted(value: str) -> str:
    """JSON escaping is the grammar's: the STRING token is decoded with `json.loads`."""
    return json.dumps(value, ensure_ascii=False)


def label_text(zh: str | None, en: str | None = None) -> str:
    """` "中文" / "English"`, or nothing; a parsed `nodes.Label` carries its English."""
    if zh is None:
        return ""
    en = getattr(zh, "en", None) if en is None else en
    return f" {quoted(zh)}" + (f" / {quoted(en)}" if en is not None else "")


def type_text(type_: nodes.TypeExpr) -> str:
    if type_.is_set:
        return f"set of {type_.name}"
    return type_.name + (f" per {type_.per}" if type_.per else "")


def scale_text(scale: nodes.ScaleValue) -> str:
    """`bands {80: 50, 90: 100, 100: 300}`."""
    steps = ", ".join(f"{decimal_text(low)}: {decimal_text(value)}" for low, value in scale.steps)
    return f"{scale.kind} {{{steps}}}"


def period_text(period: nodes.Period | None) -> str:
    if period is None:
        return ""
    start = f" from {period.start.isoformat()}" if period.start else ""
    return start + (f" until {period.end.isoformat()}" if period.end else "")


def claim_text(invariant) -> str:
    """An invariant's claim as written: `amount of dibao >= 0`, `dibao monotone decreasing
    in monthly_income`, `no cliff in dibao for monthly_income above 0.01`."""
    if invariant.kind == "amount_bound":
        return f"amount of {invariant.program} {invariant.bound_op} {decimal_text(invariant.bound)}"
    if invariant.kind == "monotone":
        return f"{invariant.program} monotone {invariant.direction} in {invariant.fact}"
    above = f" above {decimal_text(invariant.bound)}" if invariant.bound else ""
    return f"no cliff in {invariant.program} for {invariant.fact}{above}"


def citation_text(citation: nodes.Citation) -> str:
    return f"cite {citation.source}{label_text(citation.quote)}"


def by_position(*groups) -> list:
    """The items of a block in the order written: the AST keeps each kind in its own tuple."""
    items = (x for group in groups for x in group)
    return sorted(items, key=lambda x: (x.span.line, x.span.column))


# ---------------------------------------------------------------- expressions
# Binding strength of each operator, and the strength each operand must have to go without
# parentheses: the grammar's levels, from `where` / `if` (0) to atoms (8).
_COMPARISON = (4, 5, 5)  # comparisons do not chain: both sides are sums
BINARY = {"or": (1, 1, 2), "and": (2, 2, 3), "+": (5, 5, 6), "-": (5, 5, 6),
           "*": (6, 6, 7), "/": (6, 6, 7),
           **{op: _COMPARISON for op in ("<", "<=", ">", ">=", "==", "!=", "in", "within")}}
_ATOM = 8


def _strength(expr: nodes.Expr) -> int:
    if isinstance(expr, (nodes.IfThenElse, nodes.Filter)):
        return 0
    if isinstance(expr, nodes.Binary):
        return BINARY[expr.op][0]
    if isinstance(expr, nodes.Unary):
        return 3 if expr.op == "not" else 7
    if isinstance(expr, nodes.Presence):
        return 4
    return _ATOM


def expression(expr: nodes.Expr, need: int = 0) -> str:
    """The expression with the fewest parentheses that parse back to the same tree."""
    text = _bare(expr)
    return f"({text})" if _strength(expr) < need else text


def _bare(expr: nodes.Expr) -> str:
    match expr:
        case nodes.IfThenElse(condition, then, otherwise):
            return f"if {expression(condition)} then {expression(then)} else {expression(otherwise)}"
        case nodes.Filter(collection, condition):
            return f"{expression(collection, 1)} where {expression(condition, 1)}"
        case nodes.Binary(op, left, right):
            _, left_need, right_need = BINARY[op]
            return f"{expression(left, left_need)} {op} {expression(right, right_need)}"
        case nodes.Unary("not", operand):
            return f"not {expression(operand, 3)}"
        case nodes.Unary(_, operand):
            inner = expression(operand, 7)
            return "-" + (" " if inner.startswith("-") else "") + inner
        case nodes.Presence(operand, absent):
            return f"{expression(operand, 5)} is {'absent' if absent else 'known'}"
    return _atom(expr)


def _atom(expr: nodes.Expr) -> str:
    match expr:
        case nodes.Number(value, unit):
            return decimal_text(value) + (f" {unit}" if unit else "")
        case nodes.Text(value):
            return quoted(value)
        case nodes.DateLiteral(value):
            return value.isoformat()
        case nodes.Boolean(value):
            return "true" if value else "false"
        case nodes.SetLiteral(items):
            return "{" + ", ".join(expression(x) for x in items) + "}"
        case nodes.Call(function, args):
            return f"{function}(" + ", ".join(expression(x) for x in args) + ")"
        case nodes.Ref(path):
            return ".".join(path)
        case nodes.DecisionRef(program, entity, _, what):
            word = "amount of" if what == "amount" else "eligible for"
            return (f"{entity} " if entity else "") + f"{word} {program}"
        case nodes.Window(function, fact, months, _, unit):
            return f"{function} of {'.'.join(fact.path)} over the last {months} {unit}"
    raise TypeError(f"not an expression: {expr!r}")


def json_text(value: object) -> str:
    """Compact JSON as `json.dumps(..., separators=(", ", ": "))` writes it, except that a
    number with a fraction (kept as `_Float`, a str) is written back as a number."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _Float):
        return decimal_text(Decimal(value))
    if isinstance(value, (int, str)):
        return str(value) if isinstance(value, int) else quoted(value)
    if isinstance(value, list):
        return "[" + ", ".join(json_text(x) for x in value) + "]"
    return "{" + ", ".join(f"{quoted(k)}: {json_text(v)}" for k, v in value.items()) + "}"
