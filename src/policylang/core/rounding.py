"""Decimal arithmetic both engines share, and the explicit rounding of final amounts.

Sums and differences are exact. Any result of 10^20 or more is refused (`TooLarge`):
facts and rule numbers are bounded (core/limits.py), so nothing is rounded silently. Products
and quotients are rounded to
`PLACES` (18) decimal places, half to even: a quotient like 1000 / 3 cannot be
exact, and the batch engine's Decimal(38, 18) columns round there too, so the
interpreter and the batch engine agree to the last digit. Final amounts are
then rounded the way each rule says.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Context, Decimal
from fractions import Fraction

from .limits import MAX_COMPUTED_DIGITS

PLACES = 18
QUANTUM = Decimal(1).scaleb(-PLACES)
EXACT = Context(prec=80)  # wide enough that sums and products of 38-digit values are exact
LIMIT = Decimal(10) ** MAX_COMPUTED_DIGITS


class TooLarge(ArithmeticError):
    """A computed value of 10^20 or more (PL208): beyond it no engine is exact, so the
    household gets an error instead of a silently rounded amount."""


def bounded(value):
    """`value`, if below 10^20 in size: every result of `add` … `scale` passes here, so
    whatever the rules compute from bounded facts is either exact or refused.

    >>> bounded(Decimal("99999999999999999999.5"))
    Decimal('99999999999999999999.5')
    >>> bounded(10 ** 20)
    Traceback (most recent call last):
    ...
    policylang.core.rounding.TooLarge: a value of 21 digits before the point (at most 20)
    """
    if abs(value) >= LIMIT:
        digits = len(str(int(abs(value)))) if abs(value) < LIMIT ** 4 else "more than 80"
        raise TooLarge(f"a value of {digits} digits before the point (at most {MAX_COMPUTED_DIGITS})")
    return value

MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP}


def round_to(value: Decimal, step: Decimal, mode: str) -> Decimal:
    """Round to a multiple of `step`, the way the rule says.

    >>> round_to(Decimal("1104.995"), Decimal("0.01"), "half_up")
    Decimal('1105.00')
    >>> round_to(Decimal("7.3"), Decimal("5"), "down")
    Decimal('5')
    >>> round_to(Decimal("999999999999999.5"), Decimal("0.01"), "half_up")  # 17 digits
    Decimal('999999999999999.50')
    """
    units = _quotient(value, step).quantize(Decimal(1), rounding=MODES[mode], context=EXACT)
    return (units * step).quantize(step, context=EXACT) if step < 1 else units * step


def amount_places(step: Decimal | None) -> int:
    """How many places an amount is written with: two, or as many as the rule's rounding
    step has (`rounded half_up to 0.001` is paid, and written, to the tenth of a fen). An
    amount the rule does not round (kWh may be unrounded) is written to two places.

    >>> amount_places(Decimal("0.01")), amount_places(Decimal("0.001")), amount_places(Decimal("5"))
    (2, 3, 2)
    """
    if step is None:
        return 2
    return max(2, -step.normalize().as_tuple().exponent)


def amount_text(value: Decimal, step: Decimal | None) -> str:
    """An amount as every output writes it: to `amount_places(step)` places, half to even
    (only an unrounded amount can have more places than that).

    >>> amount_text(Decimal("0.125"), Decimal("0.001")), amount_text(Decimal("800"), Decimal("1"))
    ('0.125', '800.00')
    """
    return f"{value:.{amount_places(step)}f}"


def round_amount(value, amount) -> Decimal:
    """The final amount of a decision: rounded as the rule states (kWh may be unrounded)."""
    value = Decimal(value)
    if amount.rounding_mode is None:
        return value
    return round_to(value, amount.rounding_step, amount.rounding_mode)


def multiply(left, right):
    """`left * right`, exact where 18 places hold it; an int times an int stays an int.

    >>> multiply(Decimal("0.333333333333333333"), Decimal("0.5")), multiply(Decimal("1.5"), 800)
    (Decimal('0.166666666666666666'), Decimal('1200.0'))
    """
    if isinstance(left, int) and isinstance(right, int):
        return bounded(left * right)
    return bounded(_to_places(EXACT.multiply(Decimal(left), Decimal(right))))


def divide(left, right) -> Decimal:
    """`left / right`, exact where 18 places hold it, else rounded there half to even.

    >>> divide(1800, 2), divide(2000, 3)
    (Decimal('900'), Decimal('666.666666666666666667'))
    """
    return bounded(_quotient(left, right))


def _quotient(left, right) -> Decimal:
    """`left / right` to 18 places, of any size: rounding 10^20 to a step of 10^-18 counts
    10^38 steps, which is fine, as long as the amount it gives back is bounded."""
    if right == 0:
        raise ZeroDivisionError("division by zero")
    quotient = EXACT.divide(Decimal(left), Decimal(right))
    if quotient.as_tuple().exponent >= -PLACES:
        return quotient  # exact: Decimal stops dividing when the remainder is zero
    exact = Fraction(Decimal(left)) / Fraction(Decimal(right))
    return Decimal(round(exact * 10**PLACES)).scaleb(-PLACES, EXACT)


def add(left, right):
    """`left + right`, exact."""
    if isinstance(left, int) and isinstance(right, int):
        return bounded(left + right)
    return bounded(EXACT.add(Decimal(left), Decimal(right)))


def subtract(left, right):
    """`left - right`, exact."""
    if isinstance(left, int) and isinstance(right, int):
        return bounded(left - right)
    return bounded(EXACT.subtract(Decimal(left), Decimal(right)))


def scale(value, factor: Fraction) -> Decimal:
    """`value` times a period factor such as 1/12: multiplied, then divided (see `divide`).

    >>> scale(Decimal("1200"), Fraction(1, 12)), scale(Decimal("50"), Fraction(3))
    (Decimal('100'), Decimal('150'))
    """
    product = multiply(Decimal(value), factor.numerator)
    return product if factor.denominator == 1 else divide(product, factor.denominator)


def _to_places(exact: Decimal) -> Decimal:
    """An exact product kept as it is when it fits 18 places, else rounded there half to even."""
    if exact.as_tuple().exponent >= -PLACES:
        return exact
    return exact.quantize(QUANTUM, ROUND_HALF_EVEN, EXACT)
