"""The candidate changes that would make one failing condition hold, each checked by
deciding again (`probe`), never assumed.

Where the condition compares numbers and the compared value moves linearly with a number
fact (`countable_income` with a member's income), the change that reaches the threshold is
solved for from one probe (the slope) and rounded to the fact's step (one fen, or 1 for whole numbers)
in the direction that makes it hold. A yes/no fact is turned over; an enum, or a whole
number between small bounds, takes the nearest value that makes the condition hold. Facts
declared `fixed`, and keys, are never changed.

>>> fact = DefinitionUse("income", None, Decimal(5), None, "fact", "members[0].income")
>>> d0 = DefinitionUse("d0", None, Decimal(5), None, "definition", None, (fact,))
>>> level = (d0,)
>>> for _ in range(60):  # 2**60 paths through the tree, 60 levels of parts
...     up = DefinitionUse("d", None, Decimal(0), None, "definition", None, level + level)
...     level = (up,)
>>> [use.path for use in facts_read(level)]
['members[0].income']
"""

from __future__ import annotations

from collections import deque
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import attrs

from .trace import Comparison, ConditionResult, DefinitionUse

HOLDS_WHEN_NEGATIVE = {"<": True, "<=": True, ">": False, ">=": False}
SOLVABLE = (*HOLDS_WHEN_NEGATIVE, "==")  # `monthly_income == 0` is solved for too
SMALL_DOMAIN = 12  # whole numbers between bounds this close are tried one by one


@attrs.frozen
class FactChange:
    """One fact set to another value: `members[0].monthly_income` 3000 → 2399.99."""

    path: str
    before: object
    after: object
    bound: bool = False  # a threshold solved for: `after` or beyond also holds


@attrs.frozen
class Candidate:
    """One fact change that makes the condition hold; `far` when the condition is nowhere
    near its threshold (`_far`); `size` ranks candidates (the relative change)."""

    changes: tuple
    far: bool = False
    size: Decimal = Decimal(0)


def candidates(condition: ConditionResult, probe, schema) -> list[Candidate]:
    """The verified single-fact changes that make `condition` hold, nearest first.
    `probe(change)` returns the condition as it comes out with the change."""
    comparison = numeric_comparison(condition, SOLVABLE)
    found = []
    for fact in facts_read(condition.definitions):
        declared = declared_fact(fact.path, schema)
        if declared is None or declared.fixed or declared.is_key or declared.history:
            continue  # a history is not changed by one value: its months would be lost
        if comparison is not None and number(fact.value) is not None and (
                declared.type.kind in ("money", "decimal") or declared.bounds is None):
            candidate = _solved(fact, comparison, probe)
        else:
            candidate = _from_domain(fact, declared, schema, probe)
        if candidate is not None:
            found.append(candidate)
    return sorted(found, key=lambda c: (c.far, c.size))


def unchangeable(condition: ConditionResult, schema) -> bool:
    """True when only facts the household cannot change (or none) decide the condition."""
    read = [declared_fact(f.path, schema) for f in facts_read(condition.definitions)]
    return all(f is None or f.fixed or f.is_key for f in read)


def numeric_comparison(condition: ConditionResult, ops=HOLDS_WHEN_NEGATIVE) -> Comparison | None:
    """The one numeric comparison (of `ops`: `<`, `<=`, `>`, `>=` unless told) that decided a
    failing condition, if there is exactly one."""
    failing = [c for c in condition.comparisons
               if c.result is False and c.op in ops
               and number(c.left) is not None and number(c.right) is not None]
    return failing[0] if len(failing) == 1 else None


def facts_read(uses) -> list[DefinitionUse]:
    """The input facts under a condition's values, each JSON path once. A definition read
    twice shares its parts (`d1 = d0 + d0`), so each set of parts is walked once: the walk
    stays as long as the rules, not as wide as the tree they unfold to."""
    found, seen, walked = [], set(), set()
    queue = deque(uses)
    while queue:
        use = queue.popleft()
        if use.kind == "fact" and use.path and use.path not in seen:
            seen.add(use.path)
            found.append(use)
        if use.children and id(use.children) not in walked:
            walked.add(id(use.children))
            queue.extend(use.children)
    return found


def declared_fact(path: str | None, schema):
    """The declared fact (`ir.FactSchema`) at a JSON path (`members[0].monthly_income`)."""
    if not path:
        return None
    steps = path.split(".")
    if steps[0].startswith("["):  # a household read from a list: `[3].members[0].income`
        steps = steps[1:]
    entity = schema.root
    for step in steps[:-1]:
        relation = step.split("[")[0]
        name = entity.relations.get(relation)
        if name is None:
            return None
        entity = schema.entities[name]
    return entity.facts.get(steps[-1])


def _solved(fact: DefinitionUse, comparison: Comparison, probe) -> Candidate | None:
    x0 = number(fact.value)
    g0 = _gap(comparison.left, comparison.right, comparison.op)
    g1 = _probe_gap(probe, FactChange(fact.path, fact.value, _like(fact.value, x0 + 1)),
                    comparison)
    if g1 is None or g1 == g0:
        return None  # the compared value does not move with this fact
    slope = g1 - g0  # taken as linear: the probe at the solution below checks it
    exact = -g0 / slope  # the change at which the comparison reaches its threshold
    change_by = _round_past(exact, slope, _step_for(fact.value), comparison.op)
    if change_by is None:
        return None
    after = x0 + change_by
    if after < 0:
        return None  # an income or an amount cannot go below zero
    change = FactChange(fact.path, fact.value, _like(fact.value, after), bound=True)
    held = probe(change)
    if held is None or held.value is not True:
        return None
    size = abs(after - x0) / max(abs(x0), Decimal(1))
    return Candidate((change,), _far(comparison), size)


def _far(comparison: Comparison) -> bool:
    """Nowhere near: the value is further from the threshold than the threshold is from
    zero (an own income of 3000 against a standard of 800). A threshold of zero (no income)
    is never far."""
    threshold = number(comparison.right)
    gap = abs(number(comparison.left) - threshold)
    return threshold != 0 and gap > abs(threshold)


def _from_domain(fact: DefinitionUse, declared, schema, probe) -> Candidate | None:
    """The nearest value of a small domain (yes/no, an enum, bounded whole numbers) that
    makes the condition hold."""
    for value in _domain(fact.value, declared, schema):
        change = FactChange(fact.path, fact.value, value)
        held = probe(change)
        if held is not None and held.value is True:
            size = abs(Decimal(value) - Decimal(fact.value)) if isinstance(value, int) and \
                not isinstance(value, bool) else Decimal(1)
            return Candidate((change,), False, size)
    return None


def _domain(value, declared, schema) -> list:
    kind = declared.type.kind
    if kind == "bool" and isinstance(value, bool):
        return [not value]
    if kind == "enum":
        return [m for m in schema.enums.get(declared.type.name, ()) if m != value]
    if kind == "int" and declared.bounds is not None and isinstance(value, int):
        low, high = (int(b) for b in declared.bounds)
        if high - low <= SMALL_DOMAIN:
            return sorted((v for v in range(low, high + 1) if v != value),
                          key=lambda v: (abs(v - value), v))
    return []


def _round_past(exact: Decimal, slope: Decimal, step: Decimal, op: str) -> Decimal | None:
    """The smallest change on the step grid that makes the comparison hold (for `==`, the
    change itself, or None when it is not on the grid)."""
    strict = op in ("<", ">")
    units = exact / step
    if op == "==":
        return exact if units == units.to_integral_value() else None
    if slope > 0:  # the gap grows with the fact: the change must be below `exact`
        rounded = units.to_integral_value(rounding=ROUND_FLOOR)
        if strict and rounded == units:
            rounded -= 1
    else:
        rounded = units.to_integral_value(rounding=ROUND_CEILING)
        if strict and rounded == units:
            rounded += 1
    return rounded * step


def _gap(left, right, op: str) -> Decimal:
    """Positive while the comparison fails, zero at the threshold, negative once it holds
    (for `==`, zero when it holds)."""
    left, right = number(left), number(right)
    return left - right if HOLDS_WHEN_NEGATIVE.get(op, True) else right - left


def _probe_gap(probe, change, comparison: Comparison) -> Decimal | None:
    """The comparison's gap once the fact is changed, or None if it was not made again."""
    changed = probe(change)
    same = [c for c in (changed.comparisons if changed else ()) if c.span == comparison.span]
    if len(same) != 1 or number(same[0].left) is None or number(same[0].right) is None:
        return None
    return _gap(same[0].left, same[0].right, comparison.op)


def _step_for(value) -> Decimal:
    """Whole numbers move by 1; money and decimals by 0.01 (one fen)."""
    return Decimal(1) if isinstance(value, int) else Decimal("0.01")


def _like(before, after: Decimal):
    """`after` in the type of `before`: a whole number stays whole."""
    return int(after) if isinstance(before, int) and not isinstance(before, bool) else after


def number(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    return value if isinstance(value, Decimal) else None
