"""Compiled values as columns: `Col` (a value, whether it is absent, whether computing it
raised), `Collection` (the records of a list a value ranges over), the column type of each
language type, literals, and how error flags combine. The compiler (compile_expressions.py)
builds these; the program compiler and the tables read them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import polars as pl

from ..core.rounding import EXACT, PLACES, QUANTUM
from ..core.typesystem import Type


DECIMAL = pl.Decimal(38, PLACES)
FALSE = pl.lit(False)
# Amounts above this go to the interpreter: a product of one with a factor must stay
# within the 20 integer digits of a Decimal(38, 18) column.
BATCH_LIMIT = Decimal(10) ** 12


class UnsupportedRules(Exception):
    """A construct the batch engine does not compile: what it is, and where (its span).
    The compiler raises it with the answer of `batch/capabilities.py`, whose pass reports
    the same finding as diagnostic PL070 when the rules are loaded."""

    def __init__(self, message: str, span=None):
        super().__init__(message)
        self.message, self.span = message, span


@attrs.frozen
class Col:
    """A compiled value in one frame: the value (null when unknown or absent), whether it
    is an absent optional fact, and whether evaluating it raised. None means "never"."""

    value: pl.Expr
    absent: pl.Expr | None = None
    error: pl.Expr | None = None

    def unknown(self) -> pl.Expr:
        missing = self.value.is_null()
        return missing if self.absent is None else missing & ~self.absent

    def is_(self, decisive: bool) -> pl.Expr:
        """True where the value is known and equals `decisive` (never null)."""
        return (self.value == decisive).fill_null(False)


@attrs.frozen
class Collection:
    """A list of child records of each household: which child rows belong to it (`keep`,
    child frame) and, per household, whether the list is unknown or raised."""

    child: str
    keep: pl.Expr
    unknown: pl.Expr
    error: pl.Expr | None


def either(*flags: pl.Expr | None) -> pl.Expr | None:
    """The OR of error flags, None when none can be raised."""
    present = [f for f in flags if f is not None]
    if not present:
        return None
    result = present[0]
    for flag in present[1:]:
        result = result | flag
    return result


def when_true(mask: pl.Expr, flag: pl.Expr | None) -> pl.Expr | None:
    return None if flag is None else mask & flag


def polars_type(type_: Type) -> pl.DataType:
    if type_.kind == "bool":
        return pl.Boolean()
    if type_.kind == "int":
        return pl.Int64()
    if type_.kind == "date":
        return pl.Date()
    if type_.kind in ("text", "place", "enum"):
        return pl.String()
    return DECIMAL


def literal(value: object, type_: Type) -> pl.Expr:
    """A constant as a typed Polars literal."""
    if isinstance(value, bool) or type_.kind == "bool":
        return pl.lit(value, dtype=pl.Boolean())
    if isinstance(value, int) and type_.kind in ("int", "number"):
        return pl.lit(value, dtype=pl.Int64())
    if isinstance(value, (int, Decimal)):
        return pl.lit(Decimal(value), dtype=DECIMAL)
    if isinstance(value, dt.date):
        return pl.lit(value, dtype=pl.Date())
    return pl.lit(value, dtype=pl.String())


def as_decimal(expr: pl.Expr) -> pl.Expr:
    return expr.cast(DECIMAL)


def in_type(expr: pl.Expr, type_: Type) -> pl.Expr:
    """A value as the column type of `type_`: decimal kinds as Decimal(38, 18), so that an
    int and a decimal compare and combine; ints, dates and texts as they are."""
    return expr if type_.kind in ("int", "date", "text", "place", "enum", "bool") else as_decimal(expr)


# Int64 holds up to 2^63 - 1 ≈ 9.223e18; a result whose magnitude, computed in floats, is at
# or above this may not fit (floats are within 1e-15 of it, far inside the margin).
INT64_BOUND = 9.2e18
# A sum of magnitudes (in floats) at or above this may not fit its column — Int64 (True), or
# Decimal(38, 18) (False: just under 10^20, where the interpreter's PL208 begins).
SUM_BOUND = {True: INT64_BOUND, False: 9.9e19}


def beyond_int64(op: str, a: pl.Expr, b: pl.Expr) -> pl.Expr:
    """Where `a op b` of Int64 columns may leave Int64 (Polars wraps around silently, the
    interpreter's ints grow): the result in floats at or beyond a bound a little inside
    Int64's range. A result near the bound that does fit goes to the interpreter too: safe."""
    wide_a, wide_b = a.cast(pl.Float64), b.cast(pl.Float64)
    exact = {"+": wide_a + wide_b, "-": wide_a - wide_b, "*": wide_a * wide_b}[op]
    return (exact.abs() >= INT64_BOUND).fill_null(False)


def fits_batch(value) -> bool:
    """Whether a parameter's value fits the batch engine's columns so that products stay
    exact: at most `BATCH_LIMIT` in size (as table cells) and at most 18 places.

    >>> fits_batch(Decimal("800.5")), fits_batch(Decimal(10) ** 23), fits_batch(Decimal("1e-19"))
    (True, False, False)
    """
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return True
    if isinstance(value, Decimal) and (not value.is_finite()
                                       or value.as_tuple().exponent < -PLACES
                                       and value != value.quantize(QUANTUM, context=EXACT)):
        return False
    return abs(value) <= BATCH_LIMIT


def scale_width(parameter) -> int:
    """How many steps the widest value of a scale parameter (`ir.Parameter`) has: the
    parameter table holds that many columns per step kind."""
    return max(len(v.value.steps) for v in parameter.values)
