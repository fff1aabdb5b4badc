"""Explicit rounding of final amounts: intermediate values stay exact."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal

MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP}


def round_to(value: Decimal, step: Decimal, mode: str) -> Decimal:
    """Round to a multiple of `step`, the way the rule says.

    >>> round_to(Decimal("1104.995"), Decimal("0.01"), "half_up")
    Decimal('1105.00')
    >>> round_to(Decimal("7.3"), Decimal("5"), "down")
    Decimal('5')
    """
    units = (Decimal(value) / step).quantize(Decimal(1), rounding=MODES[mode])
    return (units * step).quantize(step) if step < 1 else units * step


def round_amount(value, amount) -> Decimal:
    """The final amount of a decision: rounded as the rule states (kWh may be unrounded)."""
    value = Decimal(value)
    if amount.rounding_mode is None:
        return value
    return round_to(value, amount.rounding_step, amount.rounding_mode)
