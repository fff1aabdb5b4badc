"""Pass 2b — resolve and type one expression: `nodes.Expr` → `ir.Expr`.

Names resolve from the subject outwards (a member's own facts, then its
household's), then parameters, then the evaluation date, then enum members
where the other side of a comparison says which enum is meant. Every problem
becomes a diagnostic and the expression gets type `any`, so checking goes on
and the user sees every error at once.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from ..syntax import nodes
from .. import ir
from ..core.diagnostics import Diagnostic, did_you_mean
from ..ir.schema import Schema
from ..core.source import Span
from ..core.typesystem import (
    ANY, BOOL, DATE, DECIMAL, INT, MONTHS_IN, NUMBER, PLACE, Type, comparable, numeric_result,
    unify, unit_type,
)
from .calls import CallChecker
from .windows import WindowChecker
from .declared import foreign_currency

ARITHMETIC = ("+", "-", "*", "/")
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


class Environment(Protocol):
    """What an expression may refer to; the declaration checker provides it."""

    schema: Schema
    diagnostics: list[Diagnostic]

    def parameter_type(self, name: str) -> Type | None: ...
    def definition_type(self, entity: str, name: str) -> Type | None: ...
    def decides_for(self, program: str) -> tuple[str, ...] | None: ...
    def visible_names(self, entity: str) -> list[str]: ...
    def is_visible(self, entity: str, name: str) -> bool: ...
    def program_names(self) -> list[str]: ...
    def parameter_scale(self, name: str) -> str | None: ...
    def amount_type(self, program: str) -> Type | None: ...


class ExprChecker(CallChecker, WindowChecker):
    """Checks expressions written in the scope of one entity, recording what they use."""

    def __init__(self, env: Environment, entity: str, uses: set | None = None):
        self.env = env
        self.entity = entity
        self.chain = env.schema.chain(entity)
        self.uses: set = uses if uses is not None else set()

    def error(self, code: str, message: str, span: Span, hint: str | None = None) -> ir.Const:
        self.env.diagnostics.append(Diagnostic(code, message, span, hint=hint))
        return ir.Const(None, ANY, span)

    def check(self, node: nodes.Expr, expected: Type | None = None) -> ir.Expr:
        method = getattr(self, "_" + type(node).__name__.lower())
        return method(node, expected)

    def check_bool(self, node: nodes.Expr, what: str) -> ir.Expr:
        checked = self.check(node)
        if checked.type not in (BOOL, ANY):
            return self.error("PL022", f"{what} must be yes or no, but this is {checked.type}",
                              node.span, hint="compare it with something, e.g. `x > 0`")
        return checked

    def in_scope_of(self, entity: str) -> "ExprChecker":
        return ExprChecker(self.env, entity, self.uses)

    # ------------------------------------------------------------ literals
    def _number(self, node: nodes.Number, expected):
        if node.unit is None:
            return ir.Const(node.value, NUMBER, node.span)
        problem = foreign_currency(self.env, node.unit)
        if problem is not None:
            return self.error("PL021", problem, node.span)
        return ir.Const(node.value, unit_type(node.unit), node.span)

    def _text(self, node, expected):
        if expected == PLACE:
            return self._place(node.value, node.span)
        return ir.Const(node.value, Type("text"), node.span)

    def _place(self, name: str, span: Span) -> ir.Expr:
        """A jurisdiction written where a place is expected: `hukou == "kunming"`."""
        if name not in self.env.schema.places:
            return self.error("PL014", f"unknown jurisdiction `{name}`", span,
                              hint=did_you_mean(name, self.env.schema.places))
        return ir.Const(name, PLACE, span)

    def _dateliteral(self, node, expected):
        return ir.Const(node.value, DATE, node.span)

    def _boolean(self, node, expected):
        return ir.Const(node.value, BOOL, node.span)

    def _setliteral(self, node: nodes.SetLiteral, expected):
        element_expected = expected.element if expected and expected.kind == "set" else expected
        items = tuple(self.check(item, element_expected) for item in node.items)
        element = items[0].type if items else (element_expected or ANY)
        for item in items[1:]:
            joined = unify(element, item.type)
            if joined is None:
                return self.error("PL020", f"a set mixes {element} and {item.type}", item.span)
            element = joined
        return ir.SetOf(items, Type("set", element=element), node.span)

    # ------------------------------------------------------------ names
    def _ref(self, node: nodes.Ref, expected):
        if expected == PLACE and ".".join(node.path) in self.env.schema.places:
            return ir.Const(".".join(node.path), PLACE, node.span)
        if len(node.path) == 2 and node.path[0] in self.chain:
            up = self.chain.index(node.path[0])
            found = self._lookup_in_entity(node.path[1], up, node.span)
            if found is not None:
                return found
            return self._unknown_name(node.path[1], node.span, self.chain[up:up + 1])
        if len(node.path) == 2 and node.path[0] in self.env.schema.enums:
            return self._enum_member(node.path[0], node.path[1], node.span)
        if len(node.path) > 1:
            return self.error("PL010", f"unknown name `{'.'.join(node.path)}`", node.span,
                              hint=f"a path starts with one of: {', '.join(self.chain)}")
        return self._resolve(node.path[0], node.span, expected)

    def _resolve(self, name: str, span: Span, expected: Type | None) -> ir.Expr:
        if expected is not None and expected.kind == "enum":
            if name in self.env.schema.enums.get(expected.name, ()):
                return ir.Const(name, expected, span)
        for up in range(len(self.chain)):
            found = self._lookup_in_entity(name, up, span)
            if found is not None:
                return found
        parameter = self.env.parameter_type(name)
        if parameter is not None:
            if self.env.parameter_scale(name):
                return self.error("PL020", f"`{name}` is a scale: give the value to look up",
                                  span, hint=f"write `{name}(…)`, e.g. `{name}(age)`")
            self.uses.add(("parameter", name))
            return ir.ParameterRef(name, parameter, span)
        if name == "evaluation_date":
            return ir.EvaluationDate(DATE, span)
        return self._unknown_name(name, span, self.chain)

    def _lookup_in_entity(self, name: str, up: int, span: Span) -> ir.Expr | None:
        entity = self.chain[up]
        schema = self.env.schema.entities[entity]
        if name in schema.facts:
            return ir.FactRef(entity, name, up, schema.facts[name].type, span)
        if name in schema.relations:
            target = schema.relations[name]
            if target not in self.env.schema.entities:
                return ir.Const(None, ANY, span)  # the unknown entity was reported already
            return ir.RelationRef(target, name, up, Type("collection", name=target), span)
        definition = self.env.definition_type(entity, name)
        if definition is not None:
            self.uses.add(("definition", entity, name))
            return ir.DefinitionRef(entity, name, up, definition, span)
        return None

    def _unknown_name(self, name: str, span: Span, entities) -> ir.Const:
        owners = [e for e, members in self.env.schema.enums.items() if name in members]
        if owners:
            return self.error("PL020", f"`{name}` is a value of `{owners[0]}`, which is not "
                              f"what this compares with", span,
                              hint=f"compare it with a fact of type `{owners[0]}`")
        candidates = [n for e in entities for n in self.env.visible_names(e)]
        for members in self.env.schema.enums.values():
            candidates.extend(members)
        hint = did_you_mean(name, candidates) or (
            "declare it as a fact, a definition or a parameter")
        return self.error("PL010", f"unknown name `{name}`", span, hint=hint)

    def _enum_member(self, enum: str, member: str, span: Span) -> ir.Expr:
        members = self.env.schema.enums[enum]
        if member not in members:
            return self.error("PL010", f"`{member}` is not a value of `{enum}`", span,
                              hint=did_you_mean(member, members) or f"values: {', '.join(members)}")
        return ir.Const(member, Type("enum", name=enum), span)

    def _decisionref(self, node: nodes.DecisionRef, expected):
        decides = self.env.decides_for(node.program)
        if decides is None:
            return self.error("PL016", f"unknown program `{node.program}`", node.span,
                              hint=did_you_mean(node.program, self.env.program_names()))
        levels = [node.entity] if node.entity else self.chain
        for entity in levels:
            if entity not in self.chain:
                return self.error("PL012", f"`{entity}` is not reachable from a {self.entity}",
                                  node.span, hint=f"use one of: {', '.join(self.chain)}")
            if entity in decides:
                self.uses.add(("decision", node.program, entity))
                type_ = BOOL if node.what == "eligible" else self._amount_type(node)
                return ir.DecisionRef(node.program, entity, self.chain.index(entity), type_,
                                      node.span, node.what)
        return self.error("PL016", f"`{node.program}` decides for {', '.join(decides)}, "
                          f"not for {' or '.join(levels)}", node.span)

    def _amount_type(self, node: nodes.DecisionRef) -> Type:
        """`amount of P` is P's amount type (money per month …); PL020 when P pays nothing."""
        type_ = self.env.amount_type(node.program)
        if type_ is None:
            self.error("PL020", f"`{node.program}` grants a status and pays no amount",
                       node.span, hint=f"use `eligible for {node.program}`")
            return ANY
        return type_

    # ------------------------------------------------------------ operators
    def _unary(self, node: nodes.Unary, expected):
        if node.op == "not":
            return ir.Unary("not", self.check_bool(node.operand, "the operand of `not`"), BOOL, node.span)
        operand = self.check(node.operand)
        if not (operand.type.is_numeric or operand.type.is_quantity or operand.type == ANY):
            return self.error("PL020", f"cannot negate {operand.type}", node.span)
        return ir.Unary("-", operand, operand.type, node.span)

    def _binary(self, node: nodes.Binary, expected):
        if node.op in ("and", "or"):
            left = self.check_bool(node.left, f"each side of `{node.op}`")
            right = self.check_bool(node.right, f"each side of `{node.op}`")
            return ir.Binary(node.op, left, right, BOOL, node.span)
        left, right = self._operands(node)
        if ANY in (left.type, right.type):
            result = BOOL if node.op in COMPARISONS + ("in", "within") else ANY
            return ir.Binary(node.op, left, right, result, node.span)
        if node.op == "in":
            return self._membership(node, left, right)
        if node.op == "within":
            if left.type != PLACE or right.type != PLACE:
                return self.error("PL020", f"`within` compares two places, not {left.type} and "
                                  f"{right.type}", node.span,
                                  hint='e.g. `hukou within "kunming"` (kunming or a place under it)')
            return ir.Binary("within", left, right, BOOL, node.span)
        if node.op in COMPARISONS:
            return self._comparison(node, left, right)
        return self._arithmetic(node, left, right)

    def _operands(self, node: nodes.Binary) -> tuple[ir.Expr, ir.Expr]:
        """Check the side that names something first, so an enum member on the other
        side (`care_dependency == severe`) knows which enum it belongs to."""
        if isinstance(node.left, nodes.Ref) and not self._is_bound(node.left):
            right = self.check(node.right)
            expected = right.type.element if right.type.kind == "set" else right.type
            return self.check(node.left, expected), right
        left = self.check(node.left)
        return left, self.check(node.right, left.type)

    def _is_bound(self, ref: nodes.Ref) -> bool:
        name = ref.path[0]
        return (name in self.chain or name in self.env.schema.enums or name == "evaluation_date"
                or self.env.parameter_type(name) is not None
                or any(self.env.is_visible(e, name) for e in self.chain))

    def _membership(self, node, left, right):
        if right.type.kind != "set":
            return self.error("PL020", f"`in` needs a set on its right, not {right.type}",
                              node.right.span, hint="write the values in braces: `x in {1, 2}`")
        if not comparable(left.type, right.type.element):
            return self.error("PL020", f"cannot look for {left.type} in a set of "
                              f"{right.type.element}", node.span)
        return ir.Binary("in", left, right, BOOL, node.span)

    def _comparison(self, node, left, right):
        if not comparable(left.type, right.type):
            return self._mismatch(node, left, right, "compare")
        return ir.Binary(node.op, left, right, BOOL, node.span)

    def _mismatch(self, node, left, right, verb: str) -> ir.Const:
        lt, rt = left.type, right.type
        if lt.is_quantity and rt.is_quantity and lt.kind == rt.kind and lt.per != rt.per:
            target = rt.per or lt.per
            return self.error(
                "PL021", f"cannot {verb} {lt} with {rt}", node.span,
                hint=f"convert one side first, e.g. `per_{target}(…)`" if lt.per and rt.per
                else "a stock of money and money per period differ: multiply the per-period "
                "side by a duration, e.g. `24 months * …`")
        return self.error("PL020", f"cannot {verb} {lt} with {rt}", node.span)

    def _arithmetic(self, node, left, right):
        lt, rt, op = left.type, right.type, node.op
        if lt.is_numeric and rt.is_numeric:
            result = numeric_result(lt, rt, op)
            if result == INT and (_fractional(left) or _fractional(right)):
                result = DECIMAL
            return ir.Binary(op, left, right, result, node.span)
        if op in ("+", "-"):
            if lt == DATE and rt.is_duration:
                return ir.DateShift(left, right, rt.kind, 1 if op == "+" else -1, DATE, node.span)
            joined = unify(lt, rt)
            if joined is not None and (joined.is_quantity or joined.is_duration):
                return ir.Binary(op, left, right, joined, node.span)
            return self._mismatch(node, left, right, "add" if op == "+" else "subtract")
        if op == "*":
            return self._product(node, left, right)
        if lt.is_quantity and rt.is_numeric:
            return ir.Binary("/", left, right, lt, node.span)
        if lt.is_quantity and lt == rt:
            return ir.Binary("/", left, right, DECIMAL, node.span)
        return self._mismatch(node, left, right, "divide")

    def _product(self, node, left, right):
        for a, b in ((left, right), (right, left)):
            if (a.type.is_quantity or a.type.is_duration) and b.type.is_numeric:
                return ir.Binary("*", left, right, a.type, node.span)
            if a.type.kind in ("months", "years") and b.type.is_quantity and b.type.per:
                months = Decimal(12) if a.type.kind == "years" else Decimal(1)
                count = ir.Scale(a, Fraction(months) / Fraction(MONTHS_IN[b.type.per]), DECIMAL, a.span)
                product_type = Type(b.type.kind)
                return ir.Binary("*", count, b, product_type, node.span)
        return self._mismatch(node, left, right, "multiply")

    def _presence(self, node: nodes.Presence, expected):
        return ir.Presence(self.check(node.operand), node.absent, BOOL, node.span)

    def _ifthenelse(self, node: nodes.IfThenElse, expected):
        condition = self.check_bool(node.condition, "the condition of `if`")
        then, otherwise = self.check(node.then, expected), self.check(node.otherwise, expected)
        joined = unify(then.type, otherwise.type)
        if joined is None:
            return self.error("PL020", f"`then` gives {then.type} but `else` gives "
                              f"{otherwise.type}", node.span)
        return ir.IfThenElse(condition, then, otherwise, joined, node.span)

    # ------------------------------------------------------------ collections
    def _filter(self, node: nodes.Filter, expected):
        collection = self.check(node.collection)
        if collection.type == ANY:
            return collection
        if collection.type.kind != "collection":
            return self.error("PL020", f"`where` filters a list of people or events, not "
                              f"{collection.type}", node.collection.span)
        inner = self.in_scope_of(collection.type.name)
        condition = inner.check_bool(node.condition, "the condition after `where`")
        return ir.Filter(collection, condition, collection.type, node.span)


def _fractional(expr: ir.Expr) -> bool:
    """A number literal with digits after the point (`1.5`): int arithmetic with it is decimal."""
    return isinstance(expr, ir.Const) and expr.type == NUMBER and expr.value != int(expr.value)
