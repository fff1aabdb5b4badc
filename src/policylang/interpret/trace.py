"""What the interpreter records while it decides: the raw material of explanations.

A trace is written as the interpreter runs and never reconstructed after the
fact. Values are kept as engine values; `decisions.py` turns them into JSON.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from ..core.rounding import amount_text
from ..ir import Citation
from ..semantics.reasons import Reason
from ..core.source import Span


@attrs.frozen
class Comparison:
    """One comparison made directly by a condition: `countable_income < dibao_standard`."""

    op: str
    left: Any
    right: Any
    result: Any
    left_span: Span
    right_span: Span
    span: Span


@attrs.frozen
class ParameterUse:
    """A parameter lookup: the value, where it came from, since when, and its citation."""

    name: str
    value: Any
    place: str  # the place whose value was used
    asked_for: str  # the household's jurisdiction (differs when it fell back)
    start: dt.date | None
    end: dt.date | None
    citation: Citation
    # a scale read for a value: ("bands", value, (from, band value), type) or
    # ("brackets", value, ((from, rate, part, rate × part), …), type); `value` is then the
    # result, of that type
    lookup: tuple | None = None

    @property
    def fell_back(self) -> bool:
        return self.place != self.asked_for


@attrs.frozen
class Output:
    """The value of an `output` definition for one record (an Unknown when facts are
    missing), with the values it read: a result of its own, beside the decisions."""

    name: str
    label: Any
    subject_kind: str
    subject_id: str
    value: Any
    type: Any  # core.typesystem.Type
    uses: tuple = ()  # DefinitionUse: what it read, as a condition's values


@attrs.frozen
class InputUse:
    """A value a decision took from somewhere other than a rule or a fact as written: a
    fact absent from the input that took its default (`origin` "default"), or an
    overridable definition whose value the input gave ("given"). Never silent: the
    explanation and the decisions JSON list each one."""

    name: str
    label: str | None
    value: Any
    path: str  # where it is (or would be) in the facts: `persons[0].salary`
    origin: str  # "default" | "given"


@attrs.frozen
class DefinitionUse:
    """A value a condition (or a definition) read: a definition with the values it read in
    turn (`children`, the expandable tree), a fact with its JSON path, or another decision."""

    name: str
    label: str | None
    value: Any
    span: Span
    kind: str = "definition"  # "definition" | "fact" | "decision" | "amount" | "window"
    path: str | None = None  # where it is: the JSON path of a fact, the entity of a decision
    children: tuple["DefinitionUse", ...] = ()
    # None as a rule reads it; "default": a fact absent from the input that took its
    # default; "given": an overridable definition whose value the input gave
    origin: str | None = None
    # kind "window": (function, months, type) of `sum of salary over the last 12 months`,
    # whose `name` and `path` are the history fact's
    window: tuple | None = None


@attrs.frozen
class ConditionResult:
    """A condition with its verdict (True, False, an Unknown, or None when it was not
    evaluated because an earlier condition already failed and this one could not be)."""

    name: str
    label: str | None
    value: Any
    span: Span
    comparisons: tuple[Comparison, ...]
    definitions: tuple[DefinitionUse, ...]
    note: str | None = None


@attrs.frozen
class ExceptionResult:
    name: str
    label: str | None
    fired: bool | None  # None: unknown
    conditions: tuple[ConditionResult, ...]
    citations: tuple[Citation, ...]
    not_in_force: Reason | None = None  # why it is not in force here on this date


@attrs.frozen
class Amount:
    """What a decision pays: the rounded `value`, and how it was reached — the formula's
    unrounded result (`computed`), the rule's rounding, and the derivation
    (`derivation.py`: the formula and each definition it read, with their values)."""

    value: Decimal
    unit: str
    per: str
    computed: Decimal | None = attrs.field(default=None, eq=False)
    rounding: tuple[str, Decimal] | None = attrs.field(default=None, eq=False)
    derivation: tuple = attrs.field(default=(), eq=False, repr=False)

    @property
    def written(self) -> str:
        """The value as every output writes it: to the fen, or to the places of the rule's
        rounding step (`core.rounding.amount_text`)."""
        return amount_text(self.value, self.rounding[1] if self.rounding else None)
