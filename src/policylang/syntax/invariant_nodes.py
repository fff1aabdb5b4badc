"""The AST node of an `invariant` declaration (kept beside `nodes.py`, which it extends)."""

from __future__ import annotations

from decimal import Decimal

import attrs

from ..core.source import Span


@attrs.frozen
class Invariant:
    """`invariant NAME: …` — a property `policylang verify` searches a counterexample to:
    `amount of P >= 0` (kind `amount_bound`), `P monotone decreasing in F` (`monotone`),
    `no cliff in P for F above 0.01` (`no_cliff`)."""

    name: str
    label: str | None
    kind: str
    program: str
    fact: str | None = None
    direction: str | None = None  # "increasing" | "decreasing"
    bound_op: str | None = None  # ">=" | "<="
    bound: Decimal | None = None  # the amount bound, or the cliff's tolerance
    span: Span = attrs.field(eq=False, repr=False, kw_only=True)
