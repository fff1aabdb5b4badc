"""How the interpreter reads a fact declared `history`: the month a reference means, and a
window over the months before, read as one value (the `ExpressionEvaluator` of
expressions.py mixes it in). Which month is which is said in semantics/months.py."""

from __future__ import annotations

from .. import ir
from ..core.dates import OutsideCalendar
from ..core.values import Record
from ..semantics.months import read_month
from .errors import EvalError
from .trace import DefinitionUse, InputUse


class HistoryReads:
    """`rules`, `date`, `value`, `note_input` and `definitions_seen` are the evaluator's."""

    def month_value(self, expr: ir.FactRef, holder: Record, value):
        """What a history fact holds in the month `expr` reads; a month the facts do not give
        takes the default (noted as assumed, with the month's path) or is unknown."""
        fact = self.rules.schema.entities[expr.entity].facts[expr.name]
        try:
            value, defaulted = read_month(value, expr.months_back, self.date, fact.default,
                                          holder.fact_path(expr.name))
        except OutsideCalendar as error:
            raise EvalError("PL207", f"the month is outside the calendar: {error}", expr.span,
                            hint="policylang counts dates from 0001-01-01") from None
        if defaulted is not None:
            self.note_input(InputUse(expr.name, fact.label, value, defaulted, "default"))
        return value

    def _monthwindow(self, expr: ir.MonthWindow, record: Record):
        """The window's value, its months read as one value: the explanation shows
        `sum of salary over the last 12 months = …`, not twelve reads."""
        saved, self.definitions_seen = self.definitions_seen, None
        try:
            value = self.value(expr.body, record)
        finally:
            self.definitions_seen = saved
        if self.definitions_seen is not None:
            fact = expr.fact
            label = self.rules.schema.entities[fact.entity].facts[fact.name].label
            path = record.ancestor(fact.up).fact_path(fact.name)
            self.definitions_seen.append(DefinitionUse(
                fact.name, label, value, expr.span, "window", path,
                window=(expr.function, expr.months, expr.type)))
        return value
