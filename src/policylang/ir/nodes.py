"""The checked program (IR): resolved, typed nodes that both engines consume.

The checker builds these from the AST; neither the interpreter nor the batch
compiler ever looks at the raw tree. Every node keeps its span, so a trace step
or a runtime error points back into the policy file.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Iterator, Sequence, Union

import attrs

from ..core.source import Span
from ..core.typesystem import Type
from .scale_nodes import ScaleLookup, Steps  # noqa: F401 — ir.ScaleLookup, ir.Steps
from .window_nodes import MonthWindow  # noqa: F401 — ir.MonthWindow


@attrs.frozen
class Const:
    value: object
    type: Type
    span: Span


@attrs.frozen
class FactRef:
    entity: str
    name: str
    up: int  # 0: the current subject; 1: its household; …
    type: Type
    span: Span
    months_back: int = 0  # of a `history` fact: the month read, before the month decided


@attrs.frozen
class DefinitionRef:
    entity: str
    name: str
    up: int
    type: Type
    span: Span


@attrs.frozen
class RelationRef:
    entity: str  # the entity the relation leads to
    name: str
    up: int
    type: Type
    span: Span


@attrs.frozen
class ParameterRef:
    name: str
    type: Type
    span: Span


@attrs.frozen
class EvaluationDate:
    type: Type
    span: Span


@attrs.frozen
class DecisionRef:
    """`eligible for P` (three-valued), or with `what` "amount", `amount of P`: the amount
    P pays the record, 0 when P refuses it or does not apply, unknown when P is undecided."""

    program: str
    entity: str
    up: int
    type: Type
    span: Span
    what: str = "eligible"  # "eligible" | "amount"


@attrs.frozen
class Unary:
    op: str  # "not" | "-"
    operand: "Expr"
    type: Type
    span: Span


@attrs.frozen
class Binary:
    """Logic (and, or), comparison, membership (in) and arithmetic."""

    op: str
    left: "Expr"
    right: "Expr"
    type: Type
    span: Span


@attrs.frozen
class Previous:
    """`previous(EXPR)`: the expression on the household's previous snapshot."""

    operand: "Expr"
    type: Type
    span: Span


@attrs.frozen
class Scale:
    """Multiply by a fixed factor: period conversions and durations in months."""

    operand: "Expr"
    factor: Fraction  # exact: 1/12 must not be rounded before it is applied
    type: Type
    span: Span


@attrs.frozen
class DateShift:
    """A date plus or minus a duration (`evaluation_date - 3 months`)."""

    date: "Expr"
    duration: "Expr"
    unit: str
    sign: int
    type: Type
    span: Span


@attrs.frozen
class Presence:
    operand: "Expr"
    absent: bool
    type: Type
    span: Span


@attrs.frozen
class SetOf:
    items: tuple["Expr", ...]
    type: Type
    span: Span


@attrs.frozen
class Filter:
    collection: "Expr"
    condition: "Expr"
    type: Type
    span: Span


@attrs.frozen
class Aggregate:
    """count, sum, min, max, any, all over a collection; `body` runs per element."""

    function: str
    collection: "Expr"
    body: "Expr | None"
    type: Type
    span: Span


@attrs.frozen
class Call:
    """A scalar built-in: years_since, min, max."""

    function: str
    args: tuple["Expr", ...]
    type: Type
    span: Span


@attrs.frozen
class IfThenElse:
    condition: "Expr"
    then: "Expr"
    otherwise: "Expr"
    type: Type
    span: Span


Expr = Union[
    Const, FactRef, DefinitionRef, RelationRef, ParameterRef, EvaluationDate, DecisionRef,
    Unary, Binary, Scale, DateShift, Presence, SetOf, Filter, Aggregate, Call, IfThenElse,
    Previous, ScaleLookup, MonthWindow,
]


# ---------------------------------------------------------------- declarations
@attrs.frozen
class Citation:
    source: str
    quote: str
    illustrative: bool
    file: str | None
    span: Span

    def render(self) -> str:
        """`000_….txt: "…"`, or `illustrative: …` for values the articles do not give."""
        if self.illustrative:
            return f"illustrative: {self.quote}"
        return f'{self.file or self.source}: "{self.quote}"'


@attrs.frozen
class ParameterValue:
    place: str | None  # None: the value holds everywhere, after every place's own value
    start: dt.date | None
    end: dt.date | None
    value: object
    citation: Citation
    span: Span

    def in_force(self, date: dt.date) -> bool:
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)


@attrs.frozen
class Parameter:
    name: str
    label: str | None
    type: Type
    values: tuple[ParameterValue, ...]
    span: Span

    @property
    def scale(self) -> str | None:
        """"bands" or "brackets" for a scale parameter (read as `name(value)`), else None."""
        first = self.values[0].value if self.values else None
        return first.kind if isinstance(first, Steps) else None

    def value_in_force(self, chain: Sequence[str], date: dt.date) -> ParameterValue | None:
        """The value in force on `date` for the first place of `chain` that has one: the
        place itself, else its parent, up the jurisdiction tree, else the value written without
        a place (which holds everywhere). Both engines look
        parameters up here; None is the interpreter's PL206.

        >>> from policylang.core.source import Span
        >>> from policylang.core.typesystem import Type
        >>> at = Span("rules/dibao.policy", 1, 1, 1, 1)
        >>> cite = Citation("illustrative", "an example", True, None, at)
        >>> standard = Parameter("dibao_standard", None, Type("money"), (
        ...     ParameterValue("national", None, None, 700, cite, at),
        ...     ParameterValue("kunming", dt.date(2022, 1, 1), None, 800, cite, at)), at)
        >>> standard.value_in_force(["kunming", "yunnan", "national"], dt.date(2023, 8, 1)).value
        800
        >>> standard.value_in_force(["kunming", "yunnan", "national"], dt.date(2021, 8, 1)).place
        'national'
        """
        for place in (*chain, None):  # a value without a place holds everywhere
            for entry in self.values:
                if entry.place == place and entry.in_force(date):
                    return entry
        return None


@attrs.frozen
class Definition:
    entity: str
    name: str
    label: str | None
    body: Expr
    type: Type
    span: Span
    output: bool = False  # decided, explained and written for every record of its entity


@attrs.frozen
class Condition:
    name: str
    label: str | None
    test: Expr
    span: Span


@attrs.frozen
class Amount:
    value: Expr
    rounding_mode: str | None
    rounding_step: Decimal | None
    unit: str  # "CNY" | "kWh"
    per: str  # "month" | "quarter" | "year" | "once"
    span: Span


@attrs.frozen
class Note:
    text: str
    when: Expr | None
    span: Span


@attrs.frozen
class Report:
    name: str
    value: Expr
    type: Type
    span: Span


@attrs.frozen
class Applicability:
    places: tuple[str, ...]
    start: dt.date | None
    end: dt.date | None


@attrs.frozen
class Exception_:
    name: str
    label: str | None
    scope: str  # the entity each decision is about
    priority: int | None
    applies: Applicability | None
    citations: tuple[Citation, ...]
    conditions: tuple[Condition, ...]
    amount: Amount | None
    span: Span


@attrs.frozen
class Program:
    name: str
    label_zh: str
    label_en: str | None
    subject: str
    applies: Applicability
    yields_to: tuple[str, ...]
    citations: tuple[Citation, ...]
    conditions: tuple[Condition, ...]
    amount: Amount | None
    paid_to: tuple[str, Expr] | None
    exceptions: tuple[Exception_, ...]
    span: Span
    triggers: tuple[Condition, ...] = ()
    notes: tuple[Note, ...] = ()
    reports: tuple[Report, ...] = ()
    needs_previous: bool = False

    def subject_entities(self) -> tuple[str, ...]:
        """The entities this program decides for: its subject and its exceptions' scopes."""
        scopes = [self.subject] + [e.scope for e in self.exceptions]
        return tuple(dict.fromkeys(scopes))


@attrs.frozen
class Source:
    name: str
    title: str
    publisher: str | None
    published: dt.date | None
    file: str | None
    span: Span


@attrs.frozen
class CheckedRules:
    """Everything the engines need, resolved and typed; immutable once built."""

    schema: "Schema"
    sources: dict[str, Source]
    parameters: dict[str, Parameter]
    definitions: dict[tuple[str, str], Definition]
    programs: dict[str, Program]  # in the order the files declare them
    examples: tuple  # ast.Example, with the file each came from
    warnings: tuple
    invariants: tuple = ()  # ast.Invariant, checked: what `policylang verify` searches
    reforms: tuple = ()  # reform.Reform: what each reform applied to these rules changed


def walk(node: object) -> Iterator[object]:
    """Every IR node under `node` (itself included), depth first in field order; tuples,
    lists and dicts are entered, spans and types are not.

    Generic on purpose: new node kinds and new `Program` fields are walked without a
    change here. Nesting is bounded by the parser's depth limit.
    """
    if isinstance(node, (tuple, list)):
        for item in node:
            yield from walk(item)
    elif isinstance(node, dict):
        for item in node.values():
            yield from walk(item)
    elif attrs.has(type(node)) and not isinstance(node, (Span, Type)):
        yield node
        for field in attrs.fields(type(node)):
            yield from walk(getattr(node, field.name))


from .schema import Schema  # noqa: E402  (a type used only in annotations above)
