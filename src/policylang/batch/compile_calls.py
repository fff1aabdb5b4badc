"""Pass 4, calls — `years_since`, `min`/`max` of two values, a scale parameter read for a
value — and an overridable definition's given value, compiled to columns with the
interpreter's semantics (the `Compiler` of compile_expressions.py mixes `CallColumns` in).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from .. import ir
from ..core.typesystem import Type
from .columns import DECIMAL, Col, as_decimal, either, in_type, polars_type, scale_width


class CallColumns:
    """The calls of an expression; `value`, `lift`, `rules`, `root`, `gaps`, `date` and
    `_arithmetic` are `Compiler`'s."""

    def _call(self, expr: ir.Call, frame: str) -> Col:
        args = [self.value(arg, frame) for arg in expr.args]
        unknown = pl.any_horizontal([a.unknown() for a in args])
        error = either(*(a.error for a in args), *(a.absent for a in args))
        if expr.function == "years_since":
            return Col(_full_years(args[0].value, self.date), None, error)
        if expr.function in ("month_of", "year_of"):
            part = args[0].value.dt.month() if expr.function == "month_of" else args[0].value.dt.year()
            return Col(part.cast(pl.Int64), None, error)
        values = [in_type(a.value, expr.type) for a in args]
        joined = pl.min_horizontal(values) if expr.function == "min" else pl.max_horizontal(values)
        return Col(pl.when(unknown).then(None).otherwise(joined), None, error)

    def _scalelookup(self, expr: ir.ScaleLookup, frame: str) -> Col:
        """A scale for a value (semantics/scales.py), over its per-place step columns: the
        highest band reached (below the first: the interpreter's PL209), or the sum of
        rate × the part within each bracket, with the interpreter's products."""
        argument = self.value(expr.argument, frame)
        x = as_decimal(argument.value)
        width = scale_width(self.rules.parameters[expr.name])
        step = [(self.lift(Col(pl.col(f"param.{expr.name}.from.{k}")), frame, self.root).value,
                 self.lift(Col(pl.col(f"param.{expr.name}.value.{k}")), frame, self.root).value)
                for k in range(width)]
        missing = pl.col(f"param_missing.{expr.name}") if expr.name in self.gaps else None
        missing = None if missing is None else self.lift(Col(missing), frame, self.root).value
        error = either(argument.error, missing, argument.absent)
        if expr.kind == "bands":
            value = pl.lit(None, dtype=polars_type(expr.type))
            for low, given in step:  # the last band reached wins
                value = pl.when(low.is_not_null() & (x >= low)).then(given).otherwise(value)
            below = x.is_not_null() & value.is_null()
            return Col(value, None, either(error, below))
        times = ir.Binary("*", None, None, Type("decimal"), expr.span)
        total = pl.lit(0, dtype=DECIMAL)
        for k, (low, rate) in enumerate(step):
            high = step[k + 1][0] if k + 1 < width else pl.lit(None, dtype=DECIMAL)
            top = pl.when(high.is_not_null() & (x > high)).then(high).otherwise(x)
            part = pl.when(low.is_not_null() & (x > low)).then(top - low).otherwise(None)
            taxed = self._arithmetic(times, Col(rate), Col(part)).value
            total = total + taxed.fill_null(0)
        return Col(pl.when(x.is_not_null()).then(total), None, error)


def given_first(given: pl.Expr, computed: Col) -> Col:
    """An overridable definition: the value the input gave, else the computed one (whose
    errors count only where it is used, as in the interpreter, which never computes it
    where the value is given)."""
    used = given.is_null()
    value = pl.when(used).then(computed.value).otherwise(given)
    absent = None if computed.absent is None else used & computed.absent
    error = None if computed.error is None else used & computed.error
    return Col(value, absent, error)


def _full_years(born: pl.Expr, on: dt.date) -> pl.Expr:
    """Age in full years on a date (`core.dates.full_years`), for a column of birth dates."""
    month, day = born.dt.month().cast(pl.Int32), born.dt.day().cast(pl.Int32)  # Int8 overflows
    before_birthday = (month * 100 + day) > (on.month * 100 + on.day)
    return (on.year - born.dt.year()).cast(pl.Int64) - before_birthday.cast(pl.Int64)
