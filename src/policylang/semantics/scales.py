"""What a scale parameter gives for a value, written once for both engines.

A scale is a list of (from, value) steps, sorted by `from`:

- `bands {80: 50, 90: 100, 100: 300}`: the value of the highest band the value reaches
  (age 93 → 100); below the first band the scale has no value, an error at run time
  (PL209), since the rule did not say what applies there;
- `brackets {0: 0, 1000: 0.1, 3000: 0.25}`: marginal rates, each applied to the part of
  the value within its bracket (from its `from` to the next one's), and summed:
  3200 → 0 × 1000 + 0.1 × 2000 + 0.25 × 200 = 250.

The interpreter calls these with exact Decimals; the batch compiler builds the same
arithmetic over columns (batch/compile_expressions.py).

>>> from decimal import Decimal as D
>>> band_of(((D(80), D(50)), (D(90), D(100)), (D(100), D(300))), D(93))
(Decimal('90'), Decimal('100'))
>>> [(low, part, tax) for low, _, part, tax in bracket_parts(((D(0), D(0)), (D(1000), D("0.1")), (D(3000), D("0.25"))), D(3200))]
[(Decimal('0'), Decimal('1000'), Decimal('0')), (Decimal('1000'), Decimal('2000'), Decimal('200.0')), (Decimal('3000'), Decimal('200'), Decimal('50.00'))]
"""

from __future__ import annotations

from decimal import Decimal

from ..core.rounding import multiply, subtract


def band_of(steps, value) -> tuple[Decimal, Decimal] | None:
    """The (from, value) of the highest band `value` reaches; None below the first."""
    found = None
    for low, given in steps:
        if value >= low:
            found = (low, given)
    return found


def bracket_parts(steps, value) -> list[tuple]:
    """Each bracket `value` reaches: (from, rate, the part of `value` in it, rate × part)."""
    parts = []
    for i, (low, rate) in enumerate(steps):
        if value <= low:
            break
        high = steps[i + 1][0] if i + 1 < len(steps) else None
        part = subtract(min(value, high) if high is not None else value, low)
        parts.append((low, rate, part, multiply(rate, part)))
    return parts
