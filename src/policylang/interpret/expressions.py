"""Evaluate checked expressions on a household's records, with three-valued logic.

Unknown facts propagate: a comparison or sum that needs one is unknown, a known
false decides an *and*, a known true decides an *or*. Definitions are
memoised per record; parameter lookups walk the jurisdiction chain per date
and are recorded for the explanation.
"""

from __future__ import annotations

from ..core.dates import OutsideCalendar, full_years, shift
import datetime as dt
import functools
from decimal import Decimal, DivisionByZero, InvalidOperation

import attrs

from .. import ir
from ..core.rounding import TooLarge, add, divide, multiply, scale, subtract
from ..core.source import Span
from .errors import EvalError  # noqa: F401 — raised here, and found here by the engine
from .history_reads import HistoryReads
from .trace import Comparison, DefinitionUse, InputUse, ParameterUse
from ..core.values import ABSENT, Record, Unknown, unknown_in
from ..semantics.months import MonthlyValues
from ..semantics.scales import band_of, bracket_parts

ARITHMETIC = {"+": add, "-": subtract, "*": multiply, "/": divide}
COMPARE = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
}


class ExpressionEvaluator(HistoryReads):
    def __init__(self, rules: ir.CheckedRules, household: Record, date: dt.date):
        self.rules = rules
        self.household = household
        self.date = date
        self.definition_memo: dict[tuple[int, str], tuple[object, list]] = {}
        self.frames: list[dict] = []  # parameter uses per decision / definition being evaluated
        self.recording: list | None = None  # comparisons of the condition being traced
        self.definitions_seen: list | None = None
        self._chain: list[str] | None = None

    # ------------------------------------------------------------ frames
    def push_frame(self) -> None:
        self.frames.append({})

    def pop_frame(self) -> list[ParameterUse]:
        return list(self.frames.pop().values())

    def note_input(self, use: InputUse) -> None:
        """A default taken or a value given, kept with the parameter lookups of the decision
        (or definition) being evaluated, so that it reaches every decision that read it."""
        if self.frames:
            self.frames[-1][("input", use.path)] = use

    def traced(self, expr: ir.Expr, record: Record):
        """Evaluate a condition, recording its own comparisons and the definitions it reads."""
        saved = self.recording, self.definitions_seen
        self.recording, self.definitions_seen = [], []
        try:
            value = self.value(expr, record)
            return value, tuple(self.recording), tuple(self.definitions_seen)
        finally:
            self.recording, self.definitions_seen = saved

    # ------------------------------------------------------------ dispatch
    def value(self, expr: ir.Expr, record: Record):
        return _DISPATCH[type(expr)](self, expr, record)

    def _const(self, expr, record):
        return expr.value

    def _evaluationdate(self, expr, record):
        return self.date

    def _factref(self, expr: ir.FactRef, record: Record):
        holder = record.ancestor(expr.up)
        value = holder.facts[expr.name]
        if expr.months_back or isinstance(value, MonthlyValues):  # a month of a history
            value = self.month_value(expr, holder, value)  # (months before: noted there)
        origin = "default" if expr.name in holder.assumed and not expr.months_back else None
        if origin is None and self.definitions_seen is None:
            return value
        label = self.rules.schema.entities[expr.entity].facts[expr.name].label
        if origin is not None:
            self.note_input(InputUse(expr.name, label, value, holder.fact_path(expr.name), origin))
        if self.definitions_seen is not None:
            self.definitions_seen.append(DefinitionUse(
                expr.name, label, value, expr.span, "fact", holder.fact_path(expr.name),
                origin=origin))
        return value

    def _relationref(self, expr: ir.RelationRef, record: Record):
        return record.ancestor(expr.up).relations[expr.name]

    def _decisionref(self, expr: ir.DecisionRef, record: Record):
        holder = record.ancestor(expr.up)
        if expr.what == "amount":
            return self._amount_of(expr, holder)
        value = self.decision_value(expr.program, holder)  # see evaluate.py
        if self.definitions_seen is not None:
            shown = "eligible" if value is True else "not_eligible" if value is False else value
            self.definitions_seen.append(DefinitionUse(
                expr.program, None, shown, expr.span, "decision", expr.entity))
        return value

    def _amount_of(self, expr: ir.DecisionRef, holder: Record):
        """`amount of P`: what P pays; 0 when it refuses or does not apply (nothing is paid),
        unknown when it is undecided."""
        value = self.decision_amount(expr.program, holder)  # see evaluate.py
        if self.definitions_seen is not None:
            self.definitions_seen.append(DefinitionUse(
                expr.program, None, value, expr.span, "amount", expr.entity))
        return value

    def _definitionref(self, expr: ir.DefinitionRef, record: Record):
        owner = record.ancestor(expr.up)
        key = (id(owner), expr.name)
        definition = self.rules.definitions[(expr.entity, expr.name)]
        if expr.name in owner.given:  # an overridable definition the facts gave: not computed
            value = owner.given[expr.name]
            self.note_input(InputUse(expr.name, definition.label, value,
                                     owner.fact_path(expr.name), "given"))
            if self.definitions_seen is not None:
                self.definitions_seen.append(DefinitionUse(
                    expr.name, definition.label, value, expr.span, "definition",
                    owner.fact_path(expr.name), origin="given"))
            return value
        if key not in self.definition_memo:
            saved = self.recording, self.definitions_seen
            self.recording, self.definitions_seen = None, []
            self.frames.append({})
            try:
                value = self.value(definition.body, owner)
            finally:
                uses = self.frames.pop()
                children = tuple(self.definitions_seen)
                self.recording, self.definitions_seen = saved
            self.definition_memo[key] = (value, uses, children)
        value, uses, children = self.definition_memo[key]
        if self.frames:
            self.frames[-1].update(uses)
        if self.definitions_seen is not None:
            self.definitions_seen.append(DefinitionUse(
                expr.name, definition.label, value, expr.span, "definition", None, children))
        return value

    def household_place(self):
        """Where parameters are looked up: the household's place (an Unknown when it is not
        known), or None in rules without a place fact, whose values hold everywhere."""
        place_fact = self.rules.schema.place_fact  # checked: there is one where values have places
        return None if place_fact is None else self.household.facts[place_fact]

    def _parameterref(self, expr: ir.ParameterRef, record: Record):
        place = self.household_place()
        if isinstance(place, Unknown):
            return place
        use = self.lookup(expr.name, place, expr.span)
        if self.frames:
            self.frames[-1][expr.name] = use
        return use.value

    def _scalelookup(self, expr: ir.ScaleLookup, record: Record):
        argument = self.value(expr.argument, record)
        if isinstance(argument, Unknown):
            return argument
        if argument is ABSENT:
            raise _absent(expr.span)
        place = self.household_place()
        if isinstance(place, Unknown):
            return place
        use = self.lookup(expr.name, place, expr.span)
        steps = use.value.steps
        if expr.kind == "bands":
            band = band_of(steps, argument)
            if band is None:
                raise EvalError("PL209", f"{argument} is below the first band of "
                                f"`{expr.name}` (from {steps[0][0]})", expr.span,
                                hint="add a band from a lower value, e.g. `0: …`")
            value, detail = band[1], band
        else:
            detail = tuple(bracket_parts(steps, argument))
            value = sum((part[3] for part in detail), Decimal(0))
        use = attrs.evolve(use, value=value, lookup=(expr.kind, argument, detail, expr.type))
        if self.frames:
            self.frames[-1][(expr.name, argument)] = use
        return value

    def lookup(self, name: str, place: str, span: Span) -> ParameterUse:
        """The value in force on the date, falling back up the jurisdiction chain."""
        entry = self.rules.parameters[name].value_in_force(self.place_chain(place), self.date)
        if entry is not None:
            return ParameterUse(name, entry.value, entry.place, place, entry.start, entry.end,
                                entry.citation)
        raise EvalError("PL206", f"parameter `{name}` has no value for `{place}` on {self.date}",
                        span, hint="add a value for this place or one of its parents")

    def place_chain_of(self, place: str) -> list[str]:
        return self.rules.schema.jurisdiction_chain(place)

    def place_chain(self, place: str) -> list[str]:
        """The household's jurisdiction chain, computed once per evaluation."""
        if place is None:  # a rule set without places: only values that hold everywhere
            return []
        if self._chain is None or self._chain[0] != place:
            self._chain = self.rules.schema.jurisdiction_chain(place)
        return self._chain

    # ------------------------------------------------------------ logic
    def _unary(self, expr: ir.Unary, record):
        operand = self.value(expr.operand, record)
        if isinstance(operand, Unknown):
            return operand
        if operand is ABSENT:
            if expr.op == "not":
                return True
            raise _absent(expr.operand.span)
        return (not operand) if expr.op == "not" else -operand

    def _binary(self, expr: ir.Binary, record):
        if expr.op in ("and", "or"):
            return self._logic(expr, record)
        left = self.value(expr.left, record)
        right = self.value(expr.right, record)
        if expr.op in COMPARE or expr.op in ("in", "within"):
            result = self._compare(expr.op, left, right)
            if self.recording is not None:
                self.recording.append(Comparison(expr.op, left, right, result, expr.left.span,
                                                 expr.right.span, expr.span))
            return result
        unknown = unknown_in(left, right)
        if unknown is not None:
            return unknown
        if ABSENT in (left, right):
            raise _absent(expr.span)
        return self._arithmetic(expr, left, right)

    def _logic(self, expr: ir.Binary, record):
        decisive = expr.op == "or"  # the value that settles it: true for or, false for and
        left = _as_bool(self.value(expr.left, record))
        if left is decisive:
            return decisive
        right = _as_bool(self.value(expr.right, record))
        if right is decisive:
            return decisive
        return unknown_in(left, right) or (not decisive)

    def _compare(self, op, left, right):
        unknown = unknown_in(left, right)
        if unknown is not None:
            return unknown
        if ABSENT in (left, right):
            return op == "!=" and left is not right  # absent equals only absent
        if op == "in":
            return left in right
        if op == "within":
            return right in self.place_chain_of(left)
        return COMPARE[op](left, right)

    def _arithmetic(self, expr: ir.Binary, left, right):
        try:
            return ARITHMETIC[expr.op](left, right)
        except (ZeroDivisionError, DivisionByZero, InvalidOperation):
            raise EvalError("PL201", "division by zero", expr.right.span,
                            hint="guard it with a condition that the divisor is above 0") from None
        except TooLarge as error:
            raise _too_large(error, expr.span) from None

    def _previous(self, expr: ir.Previous, record: Record):
        """The operand on the previous snapshot's counterpart of `record` (matched by id)."""
        counterpart = self.previous_counterpart(record)
        if counterpart is None:
            return ABSENT  # no such household or member before
        return self.previous_evaluation().value(expr.operand, counterpart)

    def _scale(self, expr: ir.Scale, record):
        value = self.value(expr.operand, record)
        try:
            return value if isinstance(value, Unknown) else scale(value, expr.factor)
        except TooLarge as error:
            raise _too_large(error, expr.span) from None

    def _dateshift(self, expr: ir.DateShift, record):
        date, amount = self.value(expr.date, record), self.value(expr.duration, record)
        unknown = unknown_in(date, amount)
        if unknown is not None:
            return unknown
        if ABSENT in (date, amount):
            raise _absent(expr.span)
        try:
            return shift(date, int(amount) * expr.sign, expr.unit)
        except OutsideCalendar as error:
            raise EvalError("PL207", f"the date is outside the calendar: {error}", expr.span,
                            hint="policylang counts dates from 0001-01-01 to 9999-12-31; a "
                            "date such as 9999-12-31 written for 'no end' cannot be moved "
                            "later") from None

    def _presence(self, expr: ir.Presence, record):
        value = self.value(expr.operand, record)
        if expr.absent:
            return value if isinstance(value, Unknown) else value is ABSENT
        return not isinstance(value, Unknown)

    def _setof(self, expr: ir.SetOf, record):
        items = [self.value(item, record) for item in expr.items]
        return unknown_in(*items) or frozenset(items)

    def _ifthenelse(self, expr: ir.IfThenElse, record):
        condition = self.value(expr.condition, record)
        if isinstance(condition, Unknown):
            return condition
        return self.value(expr.then if condition else expr.otherwise, record)

    # ------------------------------------------------------------ collections
    def _filter(self, expr: ir.Filter, record):
        collection = self.value(expr.collection, record)
        if isinstance(collection, Unknown):
            return collection
        kept, unknowns = [], []
        for item in collection:
            verdict = self.value(expr.condition, item)
            if isinstance(verdict, Unknown):
                unknowns.append(verdict)
            elif verdict:
                kept.append(item)
        return unknown_in(*unknowns) or tuple(kept)

    def _aggregate(self, expr: ir.Aggregate, record):
        collection = self.value(expr.collection, record)
        if isinstance(collection, Unknown):
            return collection
        if expr.function == "count":
            return len(collection)
        values = [self.value(expr.body, item) for item in collection]
        if expr.function in ("any", "all"):
            decisive = expr.function == "any"
            if any(v is decisive for v in values):
                return decisive
            return unknown_in(*values) or (not decisive)
        unknown = unknown_in(*values)
        if unknown is not None:
            return unknown
        if ABSENT in values:
            raise _absent(expr.span)
        if expr.function == "sum":
            try:
                return functools.reduce(add, values, Decimal(0) if expr.type.kind != "int" else 0)
            except TooLarge as error:
                raise _too_large(error, expr.span) from None
        if not values:
            raise EvalError("PL202", f"`{expr.function}` of an empty list", expr.span,
                            hint="check that the list is not empty first")
        return min(values) if expr.function == "min" else max(values)

    def _call(self, expr: ir.Call, record):
        args = [self.value(arg, record) for arg in expr.args]
        unknown = unknown_in(*args)
        if unknown is not None:
            return unknown
        if ABSENT in args:
            raise _absent(expr.span)
        if expr.function == "years_since":
            return full_years(args[0], self.date)
        if expr.function in ("month_of", "year_of"):
            return args[0].month if expr.function == "month_of" else args[0].year
        return min(args) if expr.function == "min" else max(args)


_DISPATCH = {
    node: getattr(ExpressionEvaluator, "_" + node.__name__.lower())
    for node in ir.Expr.__args__
}


def _as_bool(value):
    """In a yes/no context an absent value (no previous record, say) is a no."""
    return False if value is ABSENT else value


def _too_large(error: TooLarge, span: Span) -> EvalError:
    return EvalError("PL208", f"the result is too large to compute exactly: {error}", span,
                     hint="a value this large comes from a wrong unit or a typo in the facts, "
                     "or a rule that multiplies amounts together")


def _absent(span: Span) -> EvalError:
    return EvalError("PL203", "an optional fact that is absent cannot be used in arithmetic",
                     span, hint="test it first with `is absent`")
