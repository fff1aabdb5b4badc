"""The abstract syntax tree: frozen attrs nodes, each with the span it came from.

Nothing after the parser sees a `lark.Tree`; `parse.py` turns the parse tree into these
nodes in one transformer. Spans are left out of equality, so two parses of differently
laid-out text compare equal when they mean the same."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Union

import attrs

from ..core.source import Span
from .window_nodes import Window  # an expression kept in its own module


class Label(str):
    """A label as written in Chinese, carrying its English (`"低保标准" / "dibao standard"`).

    It is the Chinese text wherever a plain string is expected; `in_language` picks one.

    >>> label = Label("低保标准", "dibao standard")
    >>> label, label.in_language("en"), Label("孤儿").in_language("en")
    ('低保标准', 'dibao standard', None)
    """

    en: str | None

    def __new__(cls, zh: str, en: str | None = None):
        label = super().__new__(cls, zh)
        label.en = en
        return label

    def in_language(self, lang: str) -> str | None:
        return str(self) if lang == "zh" else self.en


def _span():  # a node's place in the text: not part of what it means
    return attrs.field(eq=False, repr=False)

# ---------------------------------------------------------------- expressions
@attrs.frozen
class Number:
    value: Decimal
    unit: str | None
    span: Span = _span()


@attrs.frozen
class Text:
    value: str
    span: Span = _span()


@attrs.frozen
class DateLiteral:
    value: dt.date
    span: Span = _span()


@attrs.frozen
class Boolean:
    value: bool
    span: Span = _span()


@attrs.frozen
class SetLiteral:
    items: tuple["Expr", ...]
    span: Span = _span()


@attrs.frozen
class Ref:
    """A name, or a dotted path such as `household.assets`."""

    path: tuple[str, ...]
    span: Span = _span()


@attrs.frozen
class Call:
    function: str
    args: tuple["Expr", ...]
    span: Span = _span()


@attrs.frozen
class DecisionRef:
    """`eligible for tekun`, or `household eligible for dibao_edge`; with `what` "amount",
    `amount of housing_allowance`: what the program pays (0 when not granted)."""

    program: str
    entity: str | None
    span: Span = _span()
    what: str = "eligible"  # "eligible" | "amount"


@attrs.frozen
class Unary:
    op: str  # "not" | "-"
    operand: "Expr"
    span: Span = _span()


@attrs.frozen
class Binary:
    op: str  # and or + - * / < <= > >= == != in
    left: "Expr"
    right: "Expr"
    span: Span = _span()


@attrs.frozen
class Presence:
    """`x is absent` / `x is known`."""

    operand: "Expr"
    absent: bool
    span: Span = _span()


@attrs.frozen
class Filter:
    collection: "Expr"
    condition: "Expr"
    span: Span = _span()


@attrs.frozen
class IfThenElse:
    condition: "Expr"
    then: "Expr"
    otherwise: "Expr"
    span: Span = _span()


Expr = Union[
    Number, Text, DateLiteral, Boolean, SetLiteral, Ref, Call, DecisionRef,
    Unary, Binary, Presence, Filter, IfThenElse, Window,
]


# ---------------------------------------------------------------- declarations
@attrs.frozen
class TypeExpr:
    """`money per month`, `int`, `set of relation`."""

    name: str
    per: str | None
    is_set: bool
    span: Span = _span()


@attrs.frozen
class Period:
    start: dt.date | None
    end: dt.date | None
    span: Span = _span()


@attrs.frozen
class Citation:
    source: str  # a source id, or "illustrative"
    quote: str
    span: Span = _span()

    @property
    def illustrative(self) -> bool:
        return self.source == "illustrative"


@attrs.frozen
class Source:
    name: str
    title: str
    publisher: str | None
    published: dt.date | None
    file: str | None
    span: Span = _span()


@attrs.frozen
class Jurisdiction:
    name: str
    label: str | None
    parent: str | None
    span: Span = _span()


@attrs.frozen
class Enum:
    name: str
    label: str | None
    members: tuple[str, ...]
    span: Span = _span()
    member_labels: tuple = ()  # a label (or None) per member, when any member has one


@attrs.frozen
class Fact:
    name: str
    label: str | None
    type: TypeExpr
    optional: bool
    is_key: bool
    bounds: tuple[Decimal, Decimal] | None
    span: Span = _span()
    fixed: bool = False  # a household cannot change it: why-not never proposes it
    evidence: str | None = None  # the document that establishes it (a label: zh / en)
    default: tuple = ()  # (the value an absent fact takes, as the facts JSON writes it,) or ()
    history: bool = False  # given month by month (semantics/months.py)


@attrs.frozen
class Relation:
    name: str
    label: str | None
    entity: str
    span: Span = _span()


@attrs.frozen
class Entity:
    name: str
    label: str | None
    facts: tuple[Fact, ...]
    relations: tuple[Relation, ...]
    span: Span = _span()


@attrs.frozen
class ParameterValue:
    place: str | None  # None: the value holds everywhere
    period: Period | None
    value: "Decimal | ScaleValue"
    unit: str | None
    citation: Citation
    span: Span = _span()


@attrs.frozen
class Parameter:
    name: str
    label: str | None
    type: TypeExpr
    values: tuple[ParameterValue, ...]
    span: Span = _span()


@attrs.frozen
class Definition:
    name: str
    label: str | None
    entity: str
    type: TypeExpr | None
    body: Expr
    span: Span = _span()
    overridable: bool = False  # the facts may give the value instead of the rule computing it
    output: bool = False  # a result of its own: decided, explained and written for each record


@attrs.frozen
class Condition:
    name: str
    label: str | None
    test: Expr
    span: Span = _span()


@attrs.frozen
class Note:
    """`note "text" [when EXPR]`: a remark carried into the decision (when it holds)."""

    text: str
    when: Expr | None
    span: Span = _span()


@attrs.frozen
class Report:
    """`report NAME [: TYPE] = EXPR`: a value an eligible decision adds (kinds, level…)."""

    name: str
    type: TypeExpr | None
    value: Expr
    span: Span = _span()


@attrs.frozen
class Rounding:
    mode: str
    step: Decimal
    span: Span = _span()


@attrs.frozen
class Amount:
    value: Expr
    rounding: Rounding | None
    span: Span = _span()


@attrs.frozen
class Applies:
    places: tuple[str, ...]
    period: Period | None
    span: Span = _span()


@attrs.frozen
class PaidTo:
    payee: str
    when: Expr
    span: Span = _span()


@attrs.frozen
class Exception_:
    name: str
    label: str | None
    scope: str | None
    priority: int | None
    applies: Applies | None
    citations: tuple[Citation, ...]
    conditions: tuple[Condition, ...]
    amount: Amount | None
    span: Span = _span()


@attrs.frozen
class Program:
    name: str
    label_zh: str
    label_en: str | None
    subject: str | None
    applies: Applies | None
    yields_to: tuple[str, ...]
    citations: tuple[Citation, ...]
    conditions: tuple[Condition, ...]
    amount: Amount | None
    paid_to: PaidTo | None
    exceptions: tuple[Exception_, ...]
    triggers: tuple[Condition, ...]
    notes: tuple[Note, ...]
    reports: tuple[Report, ...]
    needs_previous: bool
    span: Span = _span()


# ---------------------------------------------------------------- examples
@attrs.frozen
class Override:
    path: tuple[str | int, ...]
    value: object
    previous: bool  # changes the previous snapshot rather than the facts
    span: Span = _span()


@attrs.frozen
class Expectation:
    program: str  # or, with `outcome` "value" (`expect NAME = number`), an output's name
    subject: str | None
    outcome: str
    amount: Decimal | None
    by: str | None
    span: Span = _span()


@attrs.frozen
class Example:
    title: str
    date: dt.date
    facts_file: str | None
    facts_inline: object
    overrides: tuple[Override, ...]
    expectations: tuple[Expectation, ...]
    previous_file: str | None
    previous_inline: object
    span: Span = _span()


from .invariant_nodes import Invariant  # noqa: E402  (the declaration `invariant`)
from .reform_nodes import (Amend, Reform, Remove, Replace, ScaleValue,  # noqa: E402
                           UnitDecl)

Declaration = Union[
    Source, Jurisdiction, UnitDecl, Enum, Entity, Parameter, Definition, Program, Example,
    Invariant, Reform, Replace, Amend, Remove,
]


@attrs.frozen
class Module:
    """One parsed `.policy` file."""

    path: str
    declarations: tuple[Declaration, ...]
