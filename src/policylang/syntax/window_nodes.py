"""The AST node of a window over a history fact's months (kept beside `nodes.py`, which
re-exports it and counts it among the expressions)."""

from __future__ import annotations

import attrs

from ..core.source import Span


@attrs.frozen
class Window:
    """`sum of salary over the last 12 months`: a function of a history fact's values over
    the whole months before the month decided (semantics/months.py)."""

    function: str  # sum | average | min | max, checked by the checker
    fact: object  # nodes.Ref, the fact read
    months: int
    span: Span = attrs.field(eq=False, repr=False)
    unit: str = "months"  # as written, checked to be `months`
