"""The AST nodes of the declarations that change or extend a rule set — `unit`, `reform`,
`replace`, `amend`, `remove` — and a scale parameter's value (kept beside `nodes.py`, which
re-exports them)."""

from __future__ import annotations

from decimal import Decimal

import attrs

from ..core.source import Span


def _span():
    return attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class UnitDecl:
    """`unit EUR "欧元" / "euro"`: the currency money is counted in."""

    name: str
    label: str | None
    span: Span = _span()


@attrs.frozen
class Reform:
    """`reform raise_basic "提高基本收入" / "Raise the basic income"`: the files it heads
    change the rule set they are applied to (`reform/`)."""

    name: str
    label: str | None
    span: Span = _span()


@attrs.frozen
class Replace:
    """`replace parameter …` (a definition, program, entity, enum): in place of the
    declaration of that kind and name."""

    declaration: object
    span: Span = _span()


@attrs.frozen
class Amend:
    """`amend parameter NAME … end`: values added, or in place of the value for the same
    place from the same day; an earlier value still open ends the day before."""

    name: str
    values: tuple
    span: Span = _span()


@attrs.frozen
class Remove:
    """`remove program NAME`, `remove parameter NAME`, `remove definition NAME of ENTITY`."""

    kind: str  # "program" | "parameter" | "definition"
    name: str
    entity: str | None
    span: Span = _span()


@attrs.frozen
class ScaleValue:
    """`bands {80: 50, 90: 100}` or `brackets {0: 0, 1000: 0.1}`: (from, value) pairs."""

    kind: str  # "bands" | "brackets"
    steps: tuple[tuple[Decimal, Decimal], ...]
    span: Span = _span()
