"""The types of policylang values, and the arithmetic rules between them.

Money and kWh carry a period (`per month`, `per year`, or none for a stock or a
one-off sum); mixing periods is a type error unless converted with
`per_month(…)`, `per_quarter(…)` or `per_year(…)`. A bare number literal adapts
to the quantity it meets (`monthly_income == 0`).
"""

from __future__ import annotations

from decimal import Decimal

import attrs

PERIODS = ("month", "quarter", "year")
MONTHS_IN = {"month": Decimal(1), "quarter": Decimal(3), "year": Decimal(12)}
DURATION_UNITS = ("days", "months", "years")
QUANTITIES = ("money", "kwh")
NUMERIC = ("int", "decimal", "number")
SCALAR_NAMES = ("bool", "int", "decimal", "money", "kwh", "date", "text", "place") + DURATION_UNITS


@attrs.frozen
class Type:
    """A value's type. `kind` is one of the names above, `enum`, `set` or `collection`.

    >>> str(Type("money", per="month"))
    'money per month'
    """

    kind: str
    per: str | None = None
    name: str | None = None  # enum name, or entity name of a collection
    element: "Type | None" = None

    def __str__(self) -> str:
        if self.kind in QUANTITIES:
            return f"{self.kind} per {self.per}" if self.per else self.kind
        if self.kind == "enum":
            return self.name or "enum"
        if self.kind == "set":
            return f"set of {self.element}"
        if self.kind == "collection":
            return f"list of {self.name}"
        return self.kind

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC

    @property
    def is_quantity(self) -> bool:
        return self.kind in QUANTITIES

    @property
    def is_duration(self) -> bool:
        return self.kind in DURATION_UNITS


BOOL = Type("bool")
INT = Type("int")
DECIMAL = Type("decimal")
NUMBER = Type("number")
DATE = Type("date")
TEXT = Type("text")
PLACE = Type("place")
ANY = Type("any")  # the type of an expression that already failed to check


def money(per: str | None = None) -> Type:
    return Type("money", per=per)


def unit_type(unit: str) -> Type:
    """The type of a number literal written with a unit (`24 months`, `65 kWh`)."""
    if unit in DURATION_UNITS:
        return Type(unit)
    return Type("kwh") if unit == "kWh" else Type("money")  # yuan, or a currency's code


def numeric_result(left: Type, right: Type, op: str) -> Type:
    """int op int stays int (except division); anything with a decimal is decimal."""
    if left.kind == right.kind == "number":
        return NUMBER
    if op == "/" or "decimal" in (left.kind, right.kind):
        return DECIMAL
    return INT


def comparable(left: Type, right: Type) -> bool:
    """Whether `left < right` (or `==`) means something."""
    if ANY in (left, right):
        return True
    if left.is_numeric and right.is_numeric:
        return True
    if left.is_quantity or right.is_quantity:
        if left.kind == right.kind:
            return left.per == right.per
        return "number" in (left.kind, right.kind)
    if left.is_duration or right.is_duration:
        return left.kind == right.kind or "number" in (left.kind, right.kind)
    if left.kind == "enum" and right.kind == "enum":
        return left.name == right.name
    return left.kind == right.kind and left.kind in ("date", "text", "place", "bool")


def unify(left: Type, right: Type) -> Type | None:
    """The type both branches of an `if` (or both arguments of `max`) share, if any."""
    if left == right:
        return left
    if ANY in (left, right):
        return right if left == ANY else left
    if left.is_numeric and right.is_numeric:
        return numeric_result(left, right, "+")
    if "number" in (left.kind, right.kind):
        other = right if left.kind == "number" else left
        if other.is_quantity or other.is_duration:
            return other
    return None
