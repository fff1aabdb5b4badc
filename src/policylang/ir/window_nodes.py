"""The IR of a window over a history fact's months (kept beside `nodes.py`, which
re-exports it). Which months a window reads is said once, in `semantics/months.py`."""

from __future__ import annotations

import attrs

from ..core.source import Span
from ..core.typesystem import Type


@attrs.frozen
class MonthWindow:
    """`sum of salary over the last 12 months`. `body` is what both engines compute: the
    fact's values 1 … `months` months back (`FactRef.months_back`) added up (`sum`), added
    up and divided by `months` (`average`), or compared pairwise (`min`, `max`); the
    explanation says the window as written."""

    function: str  # sum | average | min | max
    fact: object  # ir.FactRef of a `history` fact, as written (months_back 0)
    months: int
    body: object  # ir.Expr over FactRef(months_back=1 … months)
    type: Type
    span: Span
