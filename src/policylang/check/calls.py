"""Pass 2b, function calls — `min`/`max`, `count`/`sum`/`any`/`all` over a list, `years_since`,
the period conversions, `previous(…)`, and a scale parameter read for a value — each typed,
or a diagnostic naming what was expected (the `ExprChecker` of expressions.py mixes it in).
"""

from __future__ import annotations

from fractions import Fraction

from .. import ir
from ..core.diagnostics import did_you_mean
from ..core.typesystem import ANY, BOOL, DATE, DECIMAL, INT, MONTHS_IN, NUMBER, Type, unify
from ..syntax import nodes
from .functions import COLLECTION_FUNCTIONS, DATE_FUNCTIONS, NOT_FUNCTIONS, PERIOD_CONVERSIONS


class CallChecker:
    """The calls of an expression; `check`, `error`, `uses` and `env` are `ExprChecker`'s."""

    def _call(self, node: nodes.Call, expected):
        name, args = node.function, node.args
        if name in ("min", "max") and len(args) == 2:
            first = self.check(args[0])
            if first.type.kind == "collection":
                return self._aggregate(node, first)
            second = self.check(args[1], first.type)
            joined = unify(first.type, second.type)
            if joined is None:
                return self.error("PL020", f"`{name}` of {first.type} and {second.type}", node.span)
            return ir.Call(name, (first, second), joined, node.span)
        if name in COLLECTION_FUNCTIONS:
            if len(args) != COLLECTION_FUNCTIONS[name]:
                return self._arity(node, COLLECTION_FUNCTIONS[name])
            collection = self.check(args[0])
            if collection.type == ANY:
                return ir.Const(None, ANY, node.span)
            if collection.type.kind != "collection":
                return self.error("PL020", f"`{name}` needs a list of people or events first, "
                                  f"not {collection.type}", args[0].span)
            return self._aggregate(node, collection)
        if name in DATE_FUNCTIONS:  # years_since, month_of, year_of: a date in, a number out
            if len(args) != 1:
                return self._arity(node, 1)
            date = self.check(args[0])
            if date.type not in (DATE, ANY):
                return self.error("PL020", f"`{name}` needs a date, not {date.type}", node.span)
            return ir.Call(name, (date,), INT, node.span)
        if name in PERIOD_CONVERSIONS:
            return self._convert(node, PERIOD_CONVERSIONS[name])
        if name == "previous":
            if len(args) != 1:
                return self._arity(node, 1)
            self.uses.add(("previous",))
            value = self.check(args[0], expected)
            return ir.Previous(value, value.type, node.span)
        if name in ("min", "max"):
            return self._arity(node, 2)
        if self.env.parameter_scale(name):
            return self._scale_lookup(node)
        known = list(COLLECTION_FUNCTIONS) + ["min", "max", *DATE_FUNCTIONS, "previous",
                                              *PERIOD_CONVERSIONS]
        hint = (NOT_FUNCTIONS.get(name.lower()) or did_you_mean(name, known)
                or f"functions: {', '.join(known)}")
        return self.error("PL010", f"unknown function `{name}`", node.span, hint=hint)

    def _scale_lookup(self, node: nodes.Call) -> ir.Expr:
        """`name(value)` of a scale parameter: a band's value has the parameter's type; the
        sum of bracket rates has the type of the value they apply to."""
        if len(node.args) != 1:
            return self._arity(node, 1)
        argument = self.check(node.args[0])
        if not (argument.type.is_numeric or argument.type.is_quantity or argument.type == ANY):
            return self.error("PL020", f"a scale looks up a number or an amount, not "
                              f"{argument.type}", node.args[0].span)
        self.uses.add(("parameter", node.function))
        kind = self.env.parameter_scale(node.function)
        type_ = self.env.parameter_type(node.function) if kind == "bands" else argument.type
        if kind == "brackets" and type_.kind in ("int", "number"):
            type_ = DECIMAL  # rates times a whole number are not whole
        return ir.ScaleLookup(node.function, argument, kind, type_, node.span)

    def _arity(self, node: nodes.Call, count: int) -> ir.Const:
        return self.error("PL023", f"`{node.function}` takes {count} argument"
                          f"{'s' if count > 1 else ''}, not {len(node.args)}", node.span)

    def _aggregate(self, node: nodes.Call, collection: ir.Expr) -> ir.Expr:
        name = node.function
        if name == "count":
            return ir.Aggregate(name, collection, None, INT, node.span)
        inner = self.in_scope_of(collection.type.name)
        if name in ("any", "all"):
            body = inner.check_bool(node.args[1], f"the test of `{name}`")
            return ir.Aggregate(name, collection, body, BOOL, node.span)
        body = inner.check(node.args[1])
        if not (body.type.is_numeric or body.type.is_quantity or body.type in (DATE, ANY)):
            return self.error("PL020", f"`{name}` adds up numbers or money, not {body.type}",
                              node.args[1].span)
        result = INT if body.type == NUMBER else body.type
        return ir.Aggregate(name, collection, body, result, node.span)

    def _convert(self, node: nodes.Call, target: str) -> ir.Expr:
        if len(node.args) != 1:
            return self._arity(node, 1)
        value = self.check(node.args[0])
        if value.type == ANY:
            return value
        if not (value.type.is_quantity and value.type.per):
            return self.error("PL020", f"`{node.function}` converts money or kWh per period, "
                              f"not {value.type}", node.span)
        factor = Fraction(MONTHS_IN[target]) / Fraction(MONTHS_IN[value.type.per])
        return ir.Scale(value, factor, Type(value.type.kind, per=target), node.span)
