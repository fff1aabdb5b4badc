"""Pass 2b, windows — `sum of salary over the last 12 months` (also `average`, `min`, `max`)
over a fact declared `history`, typed, and built into the expression both engines compute
(the `ExprChecker` of expressions.py mixes it in). Which months are read is said in
semantics/months.py.

A sum over the last 12 months of an amount per month is an amount per year (3 months: per
quarter, 1: per month; any other count: a total without a period); an average, a minimum
or a maximum keeps the fact's type (an average of whole numbers is a decimal).
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from .. import ir
from ..core.diagnostics import did_you_mean
from ..core.typesystem import ANY, DECIMAL, INT, NUMBER, Type
from ..semantics.months import MAX_WINDOW_MONTHS, WINDOW_FUNCTIONS
from ..syntax import nodes

PERIOD_OF_MONTHS = {1: "month", 3: "quarter", 12: "year"}


class WindowChecker:
    """The windows of an expression; `check`, `error` and `env` are `ExprChecker`'s."""

    def _window(self, node: nodes.Window, expected):
        if node.function not in WINDOW_FUNCTIONS:
            return self.error("PL010", f"`{node.function} of … over the last …` is not a window",
                              node.span, hint=did_you_mean(node.function, WINDOW_FUNCTIONS)
                              or f"windows: {', '.join(WINDOW_FUNCTIONS)}")
        if node.unit != "months" or not 1 <= node.months <= MAX_WINDOW_MONTHS:
            return self.error("PL020", f"a window covers 1 to {MAX_WINDOW_MONTHS} months, not "
                              f"{node.months} {node.unit}", node.span,
                              hint="write e.g. `over the last 12 months`")
        fact = self.check(node.fact)
        if fact.type == ANY:
            return fact
        if not (isinstance(fact, ir.FactRef) and self._has_history(fact)):
            name = ".".join(node.fact.path)
            return self.error("PL020", f"a window reads a fact with a monthly history; `{name}` "
                              "is not one", node.fact.span,
                              hint=f"declare the fact with `history`, e.g. `fact {name} : "
                              "money per month history`")
        return ir.MonthWindow(node.function, fact, node.months,
                              _body(node.function, fact, node.months),
                              window_type(node.function, fact.type, node.months), node.span)

    def _has_history(self, fact: ir.FactRef) -> bool:
        return self.env.schema.entities[fact.entity].facts[fact.name].history


def window_type(function: str, fact: Type, months: int) -> Type:
    """What a window gives.

    >>> str(window_type("sum", Type("money", per="month"), 12))
    'money per year'
    >>> str(window_type("average", Type("int"), 6))
    'decimal'
    """
    if function == "sum" and fact.is_quantity and fact.per:
        return Type(fact.kind, per=PERIOD_OF_MONTHS.get(months))
    if function == "average" and fact.kind in ("int", "number"):
        return DECIMAL
    return INT if fact == NUMBER else fact


def _body(function: str, fact: ir.FactRef, months: int) -> ir.Expr:
    """The values 1 … `months` months back, combined as a balanced tree (its depth grows
    with the logarithm of the months, so a ten-year window nests seven levels)."""
    reads = [attrs.evolve(fact, months_back=back) for back in range(1, months + 1)]
    combine = "+" if function in ("sum", "average") else function
    combined = _balanced(reads, combine, fact)
    if function != "average":
        return combined
    count = ir.Const(Decimal(months), NUMBER, fact.span)
    return ir.Binary("/", combined, count, DECIMAL if fact.type.is_numeric else fact.type,
                     fact.span)


def _balanced(reads: list, combine: str, fact: ir.FactRef) -> ir.Expr:
    if len(reads) == 1:
        return reads[0]
    middle = len(reads) // 2
    left, right = _balanced(reads[:middle], combine, fact), _balanced(reads[middle:], combine, fact)
    if combine == "+":
        return ir.Binary("+", left, right, fact.type, fact.span)
    return ir.Call(combine, (left, right), fact.type, fact.span)
