"""Pass 4 — the batch compiler: checked IR expressions → Polars expressions over tables.

The same semantics as the interpreter (expressions.py), one column at a time:

- an unknown fact is a null, and nulls propagate as `Unknown` does: Polars'
  `&` / `|` are three-valued exactly like the interpreter's *and* / *or*;
- an optional fact that is absent (`deceased_on` of a living person) is a null
  too, told apart by the `absent` flag of its `Col`;
- numbers are Decimal(38, 18) columns (ints stay Int64); sums and differences
  are exact, products and quotients round at 18 places half to even, as
  `rounding.multiply` / `rounding.divide` do in the interpreter;
- wherever the interpreter would raise (division by zero, `min` of nothing, a
  parameter with no value for the place, an absent fact in arithmetic), the
  `error` flag of the `Col` is true, respecting short-circuits: the right side of
  an `and` whose left side is false is never evaluated, so it cannot raise.
  The screening job hands households with a raised flag to the interpreter,
  which reports the error exactly.

Expressions are built from IR nodes by a visitor, never from text: nothing here
reaches `eval`. The compiler is given the screening date, so dates, periods and
parameters by date are constants; parameters by place are joined per household.
What it does not compile is said in capabilities.py, which the compiler asks before each
node (and raises `UnsupportedRules`) and which the rules' last pass asks when they load.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Callable

from attrs import astuple
import polars as pl

from .. import ir
from ..core.dates import add_months
from .capabilities import collection_refusal, holder_refusal, value_refusal
from .compile_calls import CallColumns, given_first
from .frames import FramePlan
from .month_columns import month_col
from .columns import (SUM_BOUND, Col, Collection, DECIMAL, FALSE, UnsupportedRules, as_decimal,
                      beyond_int64, either, in_type, literal, when_true)

class Compiler(CallColumns):
    """Compiles expressions, definitions and collections into a `FramePlan`.

    `decision` is supplied by the program compiler (compile_program.py): it returns the
    `Col` of "eligible for P" for a subject entity, compiling the program on first use.
    """

    def __init__(self, rules: ir.CheckedRules, date: dt.date, plan: FramePlan,
                 relations_known: dict[str, bool], decision: Callable[[str, str], Col],
                 gaps: frozenset[str] = frozenset(),
                 amount_of: Callable[[str, str], Col] | None = None):
        self.rules = rules
        self.schema = rules.schema
        self.date = date
        self.plan = plan
        self.root = plan.root
        self.relations_known = relations_known
        self.decision = decision
        self.amount_of = amount_of  # `amount of P`, like `decision`
        self.gaps = gaps  # parameters with no value for some place on the date
        self._definitions: dict[tuple[str, str], Col] = {}
        self._collections: dict[tuple[str, str], Collection] = {}

    # ------------------------------------------------------------ frames
    def holder(self, frame: str, up: int, span=None) -> str:
        """The entity `up` steps above `frame`'s records (households sit above members).
        What the engine can read is said in batch/capabilities.py, as for every refusal."""
        refused = holder_refusal(self.schema, frame, up)
        if refused is not None:
            raise UnsupportedRules(refused.reason, span)
        return self.schema.chain(frame)[up]

    def store(self, frame: str, col: Col, hint: str = "v") -> Col:
        """Materialise a `Col` as columns of `frame`, so later steps read it by name."""
        value = pl.col(self.plan.add(frame, col.value, hint))
        absent = None if col.absent is None else pl.col(self.plan.add(frame, col.absent, "abs"))
        error = None if col.error is None else pl.col(self.plan.add(frame, col.error, "err"))
        return Col(value, absent, error)

    def lift(self, col: Col, frame: str, source: str) -> Col:
        """A `Col` of the household frame made readable in a child frame."""
        if frame == source:
            return col
        parts = (col.value, col.absent, col.error)
        if not all(e is None or e.meta.is_column() for e in parts):
            parts = astuple(self.store(source, col, "up"))
        return Col(*(None if e is None else pl.col(self.plan.broadcast(frame, _name(e)))
                     for e in parts))

    # ------------------------------------------------------------ dispatch
    def value(self, expr: ir.Expr, frame: str) -> Col:
        if frame != self.root and place_constant(expr):
            return self.lift(self._computed(expr, self.root), frame, self.root)
        return self._computed(expr, frame)

    def _computed(self, expr: ir.Expr, frame: str) -> Col:
        refused = value_refusal(expr)  # sets, lists, previous(…), non-constant durations, …
        if refused is not None:
            raise UnsupportedRules(refused.reason, expr.span)
        method = getattr(self, "_" + type(expr).__name__.lower())
        return method(expr, frame)

    def _const(self, expr: ir.Const, frame: str) -> Col:
        return Col(literal(expr.value, expr.type))

    def _evaluationdate(self, expr, frame: str) -> Col:
        return Col(pl.lit(self.date, dtype=pl.Date()))

    def _factref(self, expr: ir.FactRef, frame: str) -> Col:
        holder = self.holder(frame, expr.up, expr.span)
        fact = self.schema.entities[holder].facts[expr.name]
        if fact.history:  # the month read: its column, this month's, the default or unknown
            names = self.plan.frames[holder].columns
            return self.lift(month_col(names, holder, fact, expr.months_back, self.date),
                             frame, holder)
        column = pl.col(f"{holder}.{expr.name}")
        return self.lift(Col(column, column.is_null() if fact.optional else None), frame, holder)

    def _monthwindow(self, expr: ir.MonthWindow, frame: str) -> Col:
        return self.value(expr.body, frame)

    def _parameterref(self, expr: ir.ParameterRef, frame: str) -> Col:
        missing = pl.col(f"param_missing.{expr.name}") if expr.name in self.gaps else None
        col = Col(pl.col(f"param.{expr.name}"), None, missing)
        return self.lift(col, frame, self.root)

    def _decisionref(self, expr: ir.DecisionRef, frame: str) -> Col:
        holder = self.holder(frame, expr.up, expr.span)
        found = self.amount_of if expr.what == "amount" else self.decision
        return self.lift(found(expr.program, holder), frame, holder)

    def _definitionref(self, expr: ir.DefinitionRef, frame: str) -> Col:
        holder = self.holder(frame, expr.up, expr.span)
        key = (holder, expr.name)
        if key not in self._definitions:
            body = self.rules.definitions[(expr.entity, expr.name)].body
            computed = self.value(body, holder)
            if expr.name in self.schema.entities[holder].given:  # the input may give it
                computed = given_first(pl.col(f"{holder}.{expr.name}"), computed)
            self._definitions[key] = self.store(holder, computed, "d")
        return self.lift(self._definitions[key], frame, holder)

    # ------------------------------------------------------------ logic
    def _unary(self, expr: ir.Unary, frame: str) -> Col:
        operand = self.value(expr.operand, frame)
        if expr.op == "not":
            value = ~operand.value
            if operand.absent is not None:  # not <absent> is true
                value = pl.when(operand.absent).then(True).otherwise(value)
            return Col(value, None, operand.error)
        error = operand.error if operand.absent is None else either(operand.error, operand.absent)
        return Col(-operand.value, None, error)

    def _binary(self, expr: ir.Binary, frame: str) -> Col:
        if expr.op in ("and", "or"):
            return self._logic(expr, frame)
        left = self.value(expr.left, frame)
        if expr.op == "in":
            return self._membership(expr, left, frame)
        right = self.value(expr.right, frame)
        if expr.op == "within":
            return self._within(left, right)
        if expr.op in ("<", "<=", ">", ">=", "==", "!="):
            return self._compare(expr.op, left, right)
        return self._arithmetic(expr, left, right)

    def _logic(self, expr: ir.Binary, frame: str) -> Col:
        """Kleene logic, as the interpreter's: an absent operand counts as false; the right
        side is evaluated (and can raise) only where the left side does not decide."""
        decisive = expr.op == "or"
        left = _absent_as_false(self.value(expr.left, frame))
        right = _absent_as_false(self.value(expr.right, frame))
        value = left.value | right.value if decisive else left.value & right.value
        error = either(left.error, when_true(~left.is_(decisive), right.error))
        return Col(value, None, error)

    def _compare(self, op: str, left: Col, right: Col) -> Col:
        a, b = left.value, right.value
        compared = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b,
                    "==": a == b, "!=": a != b}[op]
        error = either(left.error, right.error)
        absent = either(left.absent, right.absent)
        if absent is None:
            return Col(compared, None, error)
        # as the interpreter: unknown first; then an absent side equals nothing, even absent
        both = (left.absent if left.absent is not None else FALSE) & (
            right.absent if right.absent is not None else FALSE)
        unknown = left.unknown() | right.unknown()
        value = (pl.when(unknown).then(None).when(absent).then((op == "!=") & ~both)
                 .otherwise(compared))
        return Col(value, None, error)

    def _membership(self, expr: ir.Binary, left: Col, frame: str) -> Col:
        items = _constant_set(expr.right)
        value = pl.when(left.value.is_null()).then(None).otherwise(left.value.is_in(list(items)))
        if left.absent is not None:
            value = pl.when(left.absent).then(False).otherwise(value)
        return Col(value, None, left.error)

    def _within(self, left: Col, right: Col) -> Col:
        """`a within b`: b is a or one of a's parents. Pairs (place, ancestor) are few, so
        the test is one membership of the joined pair."""
        pairs = [f"{place}\x1f{above}" for place in self.schema.places
                 for above in self.schema.jurisdiction_chain(place)]
        joined = pl.concat_str([left.value, pl.lit("\x1f"), right.value])
        value = joined.is_in(pairs)
        absent = either(left.absent, right.absent)
        if absent is not None:  # an absent place is within nothing (`_compare`)
            value = pl.when(absent).then(False).otherwise(value)
        return Col(value, None, either(left.error, right.error))

    def _arithmetic(self, expr: ir.Binary, left: Col, right: Col) -> Col:
        integral = expr.type.kind == "int" and expr.op != "/"
        a, b = (left.value, right.value) if integral else (as_decimal(left.value), as_decimal(right.value))
        absent = either(left.absent, right.absent)
        unknown = left.unknown() | right.unknown()
        error = either(left.error, right.error,
                       None if absent is None else absent & ~unknown)
        if expr.op == "/":
            zero = (right.value == 0).fill_null(False)
            error = either(error, zero)
            value = a / pl.when(~zero).then(b)
        else:
            value = {"+": a + b, "-": a - b, "*": a * b}[expr.op]
            if integral:  # Int64 wraps silently where the interpreter's ints grow
                error = either(error, beyond_int64(expr.op, a, b))
        return Col(value, None, error)

    def _scale(self, expr: ir.Scale, frame: str) -> Col:
        operand = self.value(expr.operand, frame)
        value = as_decimal(operand.value) * pl.lit(expr.factor.numerator, dtype=pl.Int64())
        if expr.factor.denominator != 1:
            value = value / pl.lit(expr.factor.denominator, dtype=pl.Int64())
        return Col(value, None, operand.error)

    def _dateshift(self, expr: ir.DateShift, frame: str) -> Col:
        date, duration = self.value(expr.date, frame), self.value(expr.duration, frame)
        amount = int(expr.duration.value) * expr.sign
        if isinstance(expr.date, ir.EvaluationDate):
            try:
                shifted = (self.date + dt.timedelta(days=amount) if expr.unit == "days" else
                           add_months(self.date, amount * (12 if expr.unit == "years" else 1)))
            except (OverflowError, ValueError):  # beyond 0001-01-01 … 9999-12-31: it raises
                return Col(pl.lit(None, dtype=pl.Date()), None, pl.lit(True))
            return Col(pl.lit(shifted, dtype=pl.Date()))
        months = amount * (12 if expr.unit == "years" else 1)
        offset = f"{amount}d" if expr.unit == "days" else f"{months}mo"
        shifted = date.value.dt.offset_by(offset)
        # Polars dates reach far beyond the interpreter's years 1 to 9999, where it raises.
        beyond = shifted.is_between(pl.lit(dt.date.min), pl.lit(dt.date.max)).not_().fill_null(False)
        error = either(date.error, duration.error, date.absent, beyond)
        return Col(shifted, None, error)

    def _presence(self, expr: ir.Presence, frame: str) -> Col:
        operand = self.value(expr.operand, frame)
        absent = operand.absent if operand.absent is not None else FALSE
        if expr.absent:
            return Col(pl.when(operand.unknown()).then(None).otherwise(absent), None, operand.error)
        return Col(~operand.unknown(), None, operand.error)

    def _ifthenelse(self, expr: ir.IfThenElse, frame: str) -> Col:
        condition = self.value(expr.condition, frame)
        then, otherwise = self.value(expr.then, frame), self.value(expr.otherwise, frame)
        chosen = condition.value
        if condition.absent is not None:  # `_ifthenelse` takes `then` for an absent value
            chosen = pl.when(condition.absent).then(True).otherwise(chosen)
        value = pl.when(chosen.is_null()).then(None).when(chosen).then(then.value) \
            .otherwise(otherwise.value)
        absent = None
        if then.absent is not None or otherwise.absent is not None:
            absent = pl.when(chosen.is_null()).then(False).when(chosen).then(
                then.absent if then.absent is not None else FALSE).otherwise(
                otherwise.absent if otherwise.absent is not None else FALSE)
        error = either(condition.error, when_true(condition.is_(True), then.error),
                       when_true(condition.is_(False), otherwise.error))
        return Col(value, absent, error)

    # ------------------------------------------------------------ collections
    def collection(self, expr: ir.Expr, frame: str) -> Collection:
        """A list expression (`members`, `members where alive`, a list definition)."""
        refused = collection_refusal(self.schema, expr, frame)
        if refused is not None:
            raise UnsupportedRules(refused.reason, expr.span)
        if isinstance(expr, ir.RelationRef):
            child = self.schema.entities[self.root].relations[expr.name]
            return Collection(child, pl.lit(True), pl.lit(not self.relations_known[child]), None)
        if isinstance(expr, ir.DefinitionRef):
            key = (expr.entity, expr.name)
            if key not in self._collections:
                body = self.rules.definitions[key].body
                self._collections[key] = self.collection(body, self.root)
            return self._collections[key]
        return self._filtered(expr)  # a Filter: `collection_refusal` lets nothing else through

    def _filtered(self, expr: ir.Filter) -> Collection:
        outer = self.collection(expr.collection, self.root)
        verdict = self.value(expr.condition, outer.child)
        kept = verdict.value.fill_null(False)
        if verdict.absent is not None:
            kept = kept | verdict.absent  # the interpreter keeps an absent verdict
        keep = pl.col(self.plan.add(outer.child, outer.keep & kept, "keep"))
        unknown_here = self._any(outer.child, outer.keep & verdict.unknown())
        error_here = None if verdict.error is None else self._any(outer.child, outer.keep & verdict.error)
        unknown = outer.unknown | unknown_here
        return Collection(outer.child, keep, unknown,
                          either(outer.error, when_true(~outer.unknown, error_here)))

    def _any(self, child: str, flag: pl.Expr) -> pl.Expr:
        """Per household: whether `flag` holds for any of its `child` rows (false for none)."""
        return pl.col(self.plan.aggregate(child, flag, "any")).fill_null(False)

    def _aggregate(self, expr: ir.Aggregate, frame: str) -> Col:
        items = self.collection(expr.collection, frame)
        col = self._aggregated(expr, items)
        return self.lift(col, frame, self.root)

    def _aggregated(self, expr: ir.Aggregate, items: Collection) -> Col:
        if expr.function == "count":
            value = pl.when(items.unknown).then(None).otherwise(self._count(items))
            return Col(value, None, items.error)
        body = self.value(expr.body, items.child)
        error_here = None if body.error is None else self._any(items.child, items.keep & body.error)
        error = either(items.error, when_true(~items.unknown, error_here))
        if expr.function in ("any", "all"):
            return self._any_all(expr.function == "any", body, items, error)
        unknown = items.unknown | self._any(items.child, items.keep & body.unknown())
        values = in_type(body.value, expr.type)
        kept = pl.when(items.keep).then(values)  # nulls are skipped by sum, min and max
        if expr.function == "sum":
            zero = literal(0, expr.type) if expr.type.kind == "int" else pl.lit(Decimal(0), dtype=DECIMAL)
            total = pl.col(self.plan.aggregate(items.child, kept, "sum")).fill_null(zero)
            absent = None if body.absent is None else self._any(items.child, items.keep & body.absent)
            return Col(pl.when(unknown).then(None).otherwise(total), None,
                       either(error, absent, self._sum_overflows(items.child, kept, expr)))
        extreme = pl.col(self.plan.aggregate(items.child, kept, expr.function))
        empty = (self._count(items) == 0) & ~unknown
        absent = None if body.absent is None else self._any(items.child, items.keep & body.absent)
        return Col(pl.when(unknown).then(None).otherwise(extreme), None,
                   either(error, empty, absent))

    def _sum_overflows(self, child: str, kept: pl.Expr, expr: ir.Aggregate) -> pl.Expr | None:
        """Where a sum may leave its column: a grouped sum wraps around silently (Int64, and
        Decimal(38, 18) too), so the sum of magnitudes, in floats, is compared with a bound
        a little below the column's; those households go to the interpreter. A sum of a fact
        cannot (its cells are at most BATCH_LIMIT, its rows at most a list's limit)."""
        if isinstance(expr.body, ir.FactRef):
            return None
        total = pl.col(self.plan.aggregate(child, kept.cast(pl.Float64).abs(), "sum"))
        return (total >= SUM_BOUND[expr.type.kind == "int"]).fill_null(False)

    def _any_all(self, decisive: bool, body: Col, items: Collection, error) -> Col:
        hit = self._any(items.child, items.keep & body.is_(decisive))
        unsure = self._any(items.child, items.keep & body.unknown())
        value = (pl.when(items.unknown).then(None).when(hit).then(decisive)
                 .when(unsure).then(None).otherwise(not decisive))
        return Col(value, None, error)

    def _count(self, items: Collection) -> pl.Expr:
        counted = self.plan.aggregate(items.child, items.keep.cast(pl.Int64), "sum")
        return pl.col(counted).fill_null(0)


# ---------------------------------------------------------------- helpers
PLACE_CONSTANT = (ir.Const, ir.ParameterRef, ir.EvaluationDate, ir.Unary, ir.Binary, ir.Scale,
                  ir.Call, ir.IfThenElse, ir.SetOf, ir.DateShift)


def place_constant(expr: ir.Expr) -> bool:
    """Whether `expr` is the same for every member of a household: computed from parameters
    and constants only (tekun's `tekun_factor * dibao_standard`), so it is computed once per
    household and gathered, not once per member. Single columns and constants gain nothing."""
    if isinstance(expr, (ir.Const, ir.ParameterRef, ir.EvaluationDate, ir.SetOf)):
        return False
    return all(isinstance(node, PLACE_CONSTANT) for node in ir.walk(expr))


def _name(expr: pl.Expr) -> str:
    return expr.meta.output_name()


def _absent_as_false(col: Col) -> Col:
    """In a yes/no context an absent value is a no (`_as_bool` in expressions.py)."""
    if col.absent is None:
        return col
    return Col(pl.when(col.absent).then(False).otherwise(col.value), None, col.error)


def _constant_set(expr: ir.Expr) -> frozenset:
    """The right of `in`: a set of constants (`value_refusal` lets nothing else through)."""
    if isinstance(expr, ir.Const):
        return expr.value
    return frozenset(i.value for i in expr.items)
