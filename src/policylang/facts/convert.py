"""One fact's JSON value as the engine's value of its type (CONTRACT §1), or a `FactError`
saying what was expected.

Money follows one grammar, the published JSON Schema's (`json_schema.decimal_pattern`):
ASCII digits with an optional point between digits, within the bound on amounts
(`core/limits.py`) under which every engine is exact. Texts are bounded and must be
writable as UTF-8. A diagnostic never quotes a value at length (`shown`).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import attrs

from ..core.diagnostics import did_you_mean
from ..core.limits import MAX_AMOUNT_DIGITS, MAX_AMOUNT_PLACES, MAX_LIST_ENTRIES, MAX_TEXT_CHARS
from ..core.typesystem import Type
from ..ir.schema import Schema
from .json_schema import DECIMAL_SHAPE, is_signed

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits, as the schema's \d
SIGNED_DECIMAL = re.compile("-?" + DECIMAL_SHAPE)
SURROGATE = re.compile("[\ud800-\udfff]")
DECIMAL_HINT = ('write the amount as a string of ASCII digits with at most one point between '
                'digits, e.g. "5000" or "5000.00": no sign, spaces, separators or exponent')


class FactError(ValueError):
    """A fact that does not fit its declared type; `code` is the diagnostic code."""

    def __init__(self, code: str, message: str, hint: str | None = None):
        super().__init__(message)
        self.code = code
        self.hint = hint


class _Float(str):
    """A JSON number written with a fraction or exponent, kept so it can be refused."""


@attrs.frozen
class _LongNumber:
    """A JSON whole number too long to be any fact's value, kept aside unconverted (Python
    refuses to convert more than 4,300 digits, and slowly) so the loader names its path."""

    digits: int


def convert_value(value: Any, type_: Type, schema: Schema) -> Any:
    """One JSON value as the engine's value of `type_`; FactError says what was expected.

    >>> from policylang.core.typesystem import Type
    >>> convert_value("5000.00", Type("money"), None)
    Decimal('5000.00')
    >>> convert_value("5_000", Type("money"), None)
    Traceback (most recent call last):
    ...
    policylang.facts.convert.FactError: `5_000` is not a decimal number
    """
    kind = type_.kind
    if isinstance(value, str) and not isinstance(value, _Float):
        _check_text(value)
    if isinstance(value, dt.date) and kind == "date":
        return value
    if isinstance(value, (_Float, float)) and kind in ("money", "kwh", "decimal", "int"):
        raise FactError("PL104", f"{shown(str(value))} is a floating-point number; write amounts "
                        f'as decimal strings, e.g. "{shown(str(value))}"')
    if isinstance(value, _LongNumber) and (kind in ("money", "kwh", "decimal", "int")
                                           or type_.is_duration):
        raise FactError("PL108", f"a number of {value.digits} digits; {_bound_text()}")
    if kind in ("money", "kwh", "decimal") or type_.is_duration:
        amount = _decimal(value, type_)
        if not is_signed(type_) and amount.is_signed():  # "-0" too, as the schema says
            raise FactError("PL106", f"{type_} cannot be negative ({amount})")
        return amount
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise FactError("PL103", f"expected a whole number, got {kind_of(value)}")
        _check_magnitude(Decimal(value))
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise FactError("PL103", f"expected true or false, got {kind_of(value)}")
        return value
    if isinstance(value, (_Float, float)) or (not isinstance(value, str) and kind != "set"):
        raise FactError("PL103", f"expected {_expected(type_)}, got {kind_of(value)}")
    if kind == "date":
        try:
            if not ISO_DATE.fullmatch(value):
                raise ValueError(value)
            return dt.date.fromisoformat(value)
        except ValueError:
            raise FactError("PL105", f"`{shown(value)}` is not a date on the calendar (YYYY-MM-DD)") from None
    if kind == "enum":
        members = schema.enums[type_.name]
        if value not in members:
            raise FactError("PL103", f"`{shown(value)}` is not one of {', '.join(members)}")
        return value
    if kind == "place":
        if value not in schema.places:
            hint = did_you_mean(value, schema.places)
            raise FactError("PL103", f"unknown jurisdiction `{shown(value)}`" + (f"; {hint}" if hint else ""))
        return value
    if kind == "set":
        if not isinstance(value, list):
            raise FactError("PL103", f"expected a list, got {kind_of(value)}")
        if len(value) > MAX_LIST_ENTRIES:
            raise FactError("PL110", f"more than {MAX_LIST_ENTRIES} entries in one list")
        return frozenset(convert_value(v, type_.element, schema) for v in value)
    return value


def _check_text(value: str) -> None:
    """Refuse a text no output could carry: over the length limit, or with a lone surrogate
    (`"\\ud800"` in JSON is not a character and cannot be written as UTF-8)."""
    if len(value) > MAX_TEXT_CHARS:
        raise FactError("PL108", f"a text of {len(value)} characters; texts in facts have at "
                        f"most {MAX_TEXT_CHARS}", hint="a value this long is not a fact: check "
                        "how the file was written")
    if SURROGATE.search(value):
        raise FactError("PL103", f"`{shown(value)}` holds a lone surrogate, which is not a "
                        "character: it cannot be written as UTF-8",
                        hint="write the character itself, or both halves of its \\u pair")


def _decimal(value: Any, type_: Type) -> Decimal:
    """An amount from a decimal string (the schema's grammar), a whole number or a Decimal."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise FactError("PL103", f"`{value}` is not a number", hint=DECIMAL_HINT)
        amount = value
    elif isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    elif isinstance(value, str):
        if not SIGNED_DECIMAL.fullmatch(value):
            raise FactError("PL103", f"`{shown(value)}` is not a decimal number", hint=DECIMAL_HINT)
        amount = Decimal(value)
    else:
        raise FactError("PL103", f"expected {_expected(type_)}, got {kind_of(value)}")
    _check_magnitude(amount)
    return amount


def _check_magnitude(amount: Decimal) -> None:
    """Refuse an amount beyond the bound every engine keeps exact (core/limits.py).

    >>> _check_magnitude(Decimal("999999999999999.999999000"))
    >>> _check_magnitude(Decimal("0.0000001"))
    Traceback (most recent call last):
    ...
    policylang.facts.convert.FactError: 0.0000001 has 7 decimal places; amounts have at most 15 digits before the point and 6 after
    """
    if abs(amount) >= Decimal(10) ** MAX_AMOUNT_DIGITS:
        raise FactError("PL108", f"{shown(str(amount))} has more than {MAX_AMOUNT_DIGITS} digits "
                        f"before the point; {_bound_text()}")
    places = _places(amount)
    if places > MAX_AMOUNT_PLACES:
        raise FactError("PL108", f"{shown(f'{amount:f}')} has {places} decimal places; {_bound_text()}")


def _places(amount: Decimal) -> int:
    """Decimal places that count: trailing zeros do not (no context: nothing is rounded)."""
    _, digits, exponent = amount.as_tuple()
    if not any(digits):
        return 0
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing))


def _bound_text() -> str:
    return f"amounts have at most {MAX_AMOUNT_DIGITS} digits before the point and {MAX_AMOUNT_PLACES} after"


def shown(text: str, limit: int = 60) -> str:
    """A text as a diagnostic may quote it: lone surrogates escaped, a long one cut short.

    >>> shown("a\\ud800b"), shown("x" * 100, 10)
    ('a\\\\ud800b', 'xxxxxxxxxx… (100 characters)')
    """
    safe = text.encode("utf-8", "backslashreplace").decode("utf-8") if SURROGATE.search(text) else text
    return safe if len(safe) <= limit else f"{safe[:limit]}… ({len(text)} characters)"


def _expected(type_: Type) -> str:
    if type_.kind in ("money", "kwh", "decimal"):
        return 'a decimal string such as "1500.00"'
    if type_.kind == "date":
        return 'a date string "YYYY-MM-DD"'
    return f"a {type_}"


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (_Float, float)):
        return "a floating-point number"
    if isinstance(value, _LongNumber):
        return "a whole number"
    for kind, name in ((dict, "an object"), (list, "a list"), (str, "a text"), (int, "a whole number")):
        if isinstance(value, kind):
            return name
    return type(value).__name__
