"""How an amount was computed: its formula with the value of every part, and the formula of
each definition it reads, in turn — the derivation a reviewer asks for first ("why 600?").

Recorded by the interpreter when it pays an amount, from the same evaluator and memo that
decided it, so the numbers shown are the numbers used: nothing is computed a second way.
A part that gathers over a list (`sum(unit, monthly_income)`) is one step with its value;
the members it summed are in the decision's values.

>>> import datetime as dt, policylang
>>> from policylang.interpret.evaluate import Evaluation
>>> rules = policylang.load("rules")
>>> household = policylang.read_facts("examples/changzhou-dibao.json", rules)[0]
>>> evaluation = Evaluation(rules.rules, household.record, dt.date(2023, 8, 1))
>>> amount = evaluation.run(household.id, ("dibao",)).find("dibao").amount
>>> [(f.name, str(f.result)) for f in amount.derivation]
[(None, '600.00'), ('countable_income', '700.00'), ('unit_size', '2')]
"""

from __future__ import annotations

from typing import Any

import attrs

from .. import ir
from ..core.rounding import round_amount
from ..core.values import Record
from .expressions import EvalError
from .trace import Amount

# Parts whose inside runs per element or per snapshot: shown as one value, not opened.
_CLOSED = (ir.Aggregate, ir.Filter, ir.Previous, ir.Const, ir.FactRef, ir.ParameterRef,
           ir.DefinitionRef, ir.DecisionRef, ir.EvaluationDate, ir.RelationRef)
MAX_FORMULAS = 12  # an amount's derivation shows at most this many definitions


@attrs.frozen(eq=False)
class Formula:
    """One line of a derivation: `expr` (the amount's formula, or the body of the definition
    `name` of `entity`), its `result`, and the value of each part by `id` of the IR node."""

    name: str | None
    entity: str
    expr: Any  # ir.Expr
    result: Any
    values: dict  # id(node) -> value

    def value_of(self, node) -> Any:
        return self.values.get(id(node))


def paid_amount(evaluator, value, rule: ir.Amount, record: Record) -> Amount:
    """The amount a decision pays (`rule` is the program's amount clause, `value` what its
    formula came to): rounded as the rule says, with the unrounded value and the derivation
    (left out where nobody reads it: in why-not probes)."""
    rounding = None if rule.rounding_mode is None else (rule.rounding_mode, rule.rounding_step)
    paid = round_amount(value, rule)
    if paid < 0:  # a program pays; a charge (a tax) is a program whose amount is what is due
        raise EvalError("PL210", f"the amount comes to {paid}: a program cannot pay less than "
                        "nothing", rule.span, hint="add a condition that the amount is above "
                        "0, or bound it: `max(…, 0)`; a charge is its own program, paying what is due")
    derivation = derive(evaluator, rule.value, record) if evaluator.derivations else ()
    return Amount(paid, rule.unit, rule.per, computed=value,
                  rounding=rounding, derivation=derivation)


def derive(evaluator, expr, record: Record, limit: int = MAX_FORMULAS) -> tuple[Formula, ...]:
    """The amount formula `expr` for `record`, then each definition it reads (once each,
    breadth first, at most `limit`), each with the values its parts took."""
    formulas: list[Formula] = []
    queue = [(None, record.entity, expr, record)]
    seen: set[tuple[int, str]] = set()
    while queue and len(formulas) < limit:
        name, entity, body, owner = queue.pop(0)
        values: dict = {}
        result = _values(evaluator, body, owner, values, queue, seen)
        formulas.append(Formula(name, entity, body, result, values))
    return tuple(formulas)


def _values(evaluator, node, record: Record, values: dict, queue: list, seen: set):
    """Fill `values` with the value of `node` and of its open parts; queue the definitions."""
    value = evaluator.value(node, record)
    values[id(node)] = value
    if isinstance(node, ir.DefinitionRef):
        owner = record.ancestor(node.up)
        if (id(owner), node.name) not in seen:
            seen.add((id(owner), node.name))
            definition = evaluator.rules.definitions[(node.entity, node.name)]
            queue.append((node.name, node.entity, definition.body, owner))
    if not isinstance(node, _CLOSED):
        for part in parts(node):
            _values(evaluator, part, record, values, queue, seen)
    return value


def parts(node) -> tuple:
    """The direct sub-expressions of an expression node, in reading order."""
    if isinstance(node, ir.Binary):
        return node.left, node.right
    if isinstance(node, (ir.Unary, ir.Scale, ir.Presence)):
        return (node.operand,)
    if isinstance(node, ir.Call):
        return tuple(node.args)
    if isinstance(node, ir.IfThenElse):
        return node.condition, node.then, node.otherwise
    if isinstance(node, ir.DateShift):
        return node.date, node.duration
    if isinstance(node, ir.SetOf):
        return tuple(node.items)
    if isinstance(node, ir.ScaleLookup):
        return (node.argument,)
    return ()
