"""The IR of scale parameters (kept beside `nodes.py`, which re-exports them): a scale's
value, and the expression that reads it for a value. What a scale gives is said once, in
`semantics/scales.py`."""

from __future__ import annotations

from decimal import Decimal

import attrs

from ..core.source import Span
from ..core.values import format_decimal
from ..core.typesystem import Type


@attrs.frozen
class ScaleLookup:
    """`respect_allowance(age)`: what a scale parameter gives for a value (semantics/scales.py):
    the band it reaches (`bands`), or the sum of its bracket rates (`brackets`)."""

    name: str  # the parameter's, as `ParameterRef.name`: what reads a parameter reads it here too
    argument: object  # ir.Expr
    kind: str  # "bands" | "brackets"
    type: Type
    span: Span


@attrs.frozen
class Steps:
    """A scale parameter's value: sorted (from, value) steps."""

    kind: str  # "bands" | "brackets"
    steps: tuple[tuple[Decimal, Decimal], ...]

    def __str__(self) -> str:
        """As written: `bands {80: 50, 90: 100}`."""
        return f"{self.kind} {{" + ", ".join(
            f"{format_decimal(Decimal(low))}: {format_decimal(Decimal(value))}"
            for low, value in self.steps) + "}"
