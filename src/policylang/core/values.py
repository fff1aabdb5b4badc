"""Runtime values the engines share: unknown facts, absent optional facts, and
the records a household's facts are loaded into."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs


@attrs.frozen
class Unknown:
    """A value that depends on facts nobody gave; `missing` names them by JSON path.

    Unknown is a state, not a value: it never compares as false or zero.

    >>> sorted(Unknown(frozenset({"members[0].monthly_income"})).merge(Unknown(frozenset({"assets"}))).missing)
    ['assets', 'members[0].monthly_income']
    """

    missing: frozenset[str]

    def merge(self, other: "Unknown") -> "Unknown":
        return Unknown(self.missing | other.missing)


class _Absent:
    """An optional fact that is not there (`deceased_on` of a living person)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = _Absent()


def unknown_in(*values: Any) -> Unknown | None:
    """The union of the unknowns among `values`, or None when every value is known."""
    found = None
    for value in values:
        if isinstance(value, Unknown):
            found = value if found is None else found.merge(value)
    return found


@attrs.define(eq=False)
class Record:
    """One household, member or event, as loaded and validated from the facts.

    `path` is the JSON path of the record (`members[1]`), so that a missing fact
    can be named exactly; `parent` is the record that holds this one.
    """

    entity: str
    id: str | None
    path: str
    facts: dict[str, Any]
    relations: dict[str, Any] = attrs.field(factory=dict)  # name -> tuple[Record] | Unknown
    parent: "Record | None" = None
    assumed: frozenset = frozenset()  # the facts absent from the input that took their default
    given: dict[str, Any] = attrs.field(factory=dict)  # overridable definitions the input gave

    def ancestor(self, up: int) -> "Record":
        record = self
        for _ in range(up):
            record = record.parent
        return record

    def fact_path(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name


def plain(value: Any) -> Any:
    """An engine value as JSON data: money as a decimal string, dates in ISO form."""
    if isinstance(value, Unknown):
        return {"unknown": sorted(value.missing)}
    if value is ABSENT:
        return None
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (frozenset, set)):
        return sorted(plain(v) for v in value)
    if isinstance(value, tuple):
        return [getattr(v, "id", None) or getattr(v, "path", "?") for v in value]
    return str(value)


def format_decimal(value: Decimal) -> str:
    """Exact values as written by people: at most the digits needed, no exponent.

    Exact for every finite Decimal, however large: formatting never rounds to the
    28-digit default context, as `quantize` and `normalize` would (they failed at 10^28).
    A value whose plain form would exceed `MAX_PLAIN_CHARS` characters (`1E+1000000`) keeps
    its exponent instead, exact still, rather than become a megabyte of zeros.

    >>> format_decimal(Decimal("1000.000000")), format_decimal(Decimal("2E+3"))
    ('1000', '2000')
    >>> format_decimal(Decimal("1E+30")), format_decimal(Decimal("-0.50"))
    ('1000000000000000000000000000000', '-0.5')
    """
    if value.is_finite() and abs(value.adjusted()) > MAX_PLAIN_CHARS:
        return str(value)
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


MAX_PLAIN_CHARS = 400  # beyond every bound on facts and parameters; only as a last resort
