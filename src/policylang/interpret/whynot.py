"""Why not: for a failing numeric condition, how far it is from holding, and which single
input fact would flip it — found by re-evaluating the household with that fact changed.

The distance is measured on the comparison the condition made (`countable_income 1000 <
dibao_standard 800` fails by 200). The translation to an input fact probes the facts the
comparison read: where the compared value moves linearly with a fact, the change that
makes the condition hold is solved for, rounded to the fact's step (0.01 yuan, 1 for whole
numbers) in the direction that makes it hold, and then checked by one more evaluation.
"""

from __future__ import annotations

import copy
from collections import deque
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import attrs

from .trace import Comparison, ConditionResult, DefinitionUse
from ..core.values import Record

HOLDS_WHEN_NEGATIVE = {"<": True, "<=": True, ">": False, ">=": False}


@attrs.frozen
class FactChange:
    path: str
    before: Decimal
    after: Decimal

    @property
    def by(self) -> Decimal:
        return self.after - self.before


@attrs.frozen
class Distance:
    """How far a failing comparison is from its threshold, and the changes that would flip it."""

    value: Decimal
    threshold: Decimal
    op: str
    gap: Decimal  # how much `value` must move (down for < and <=, up for > and >=)
    changes: tuple[FactChange, ...]


def numeric_comparison(condition: ConditionResult) -> Comparison | None:
    """The one numeric comparison that decided a failing condition, if there is exactly one."""
    failing = [c for c in condition.comparisons
               if c.result is False and c.op in HOLDS_WHEN_NEGATIVE
               and _number(c.left) is not None and _number(c.right) is not None]
    return failing[0] if len(failing) == 1 else None


def distance(comparison: Comparison, condition: ConditionResult, probe) -> Distance:
    """`probe(path, value)` re-evaluates the household with one fact changed and returns the
    condition as it then comes out, so each candidate change is checked, not assumed."""
    left, right = _number(comparison.left), _number(comparison.right)
    gap = left - right if HOLDS_WHEN_NEGATIVE[comparison.op] else right - left
    changes = []
    for fact in _numeric_facts(condition.definitions):
        change = _solve(fact, comparison, probe)
        if change is not None:
            changes.append(change)
    return Distance(left, right, comparison.op, gap, tuple(changes))


def _solve(fact: DefinitionUse, comparison: Comparison, probe) -> FactChange | None:
    x0 = _number(fact.value)
    g0 = _gap(comparison.left, comparison.right, comparison.op)
    g1, g2 = (_probe_gap(probe, fact.path, x0 + d, comparison) for d in (Decimal(1), Decimal(2)))
    if g1 is None or g2 is None or g1 - g0 == 0 or not _same(g2 - g1, g1 - g0):
        return None  # the value does not move linearly with this fact
    slope = g1 - g0
    exact = -g0 / slope  # the change at which the comparison reaches its threshold
    after = x0 + _round_past(exact, slope, _step_for(fact), comparison.op)
    if after < 0:
        return None  # an income or an amount cannot go below zero
    changed = probe(fact.path, after)
    return FactChange(fact.path, x0, after) if changed and changed.value is True else None


def _same(a: Decimal, b: Decimal) -> bool:
    """Equal up to the last digits of Decimal division (1/3 is not exact)."""
    return abs(a - b) <= abs(b) * Decimal("1e-12")


def _round_past(exact: Decimal, slope: Decimal, step: Decimal, op: str) -> Decimal:
    """The smallest change on the step grid that makes the comparison hold."""
    strict = op in ("<", ">")
    # the gap must go below 0 (or to 0 when not strict); it moves by `slope` per unit
    units = exact / step
    if slope > 0:  # the change must be below `exact`
        rounded = units.to_integral_value(rounding=ROUND_FLOOR)
        if strict and rounded == units:
            rounded -= 1
    else:
        rounded = units.to_integral_value(rounding=ROUND_CEILING)
        if strict and rounded == units:
            rounded += 1
    return rounded * step


def _gap(left, right, op: str) -> Decimal:
    """Positive while the comparison fails, zero at the threshold, negative once it holds."""
    left, right = _number(left), _number(right)
    return left - right if HOLDS_WHEN_NEGATIVE[op] else right - left


def _probe_gap(probe, path: str, value: Decimal, comparison: Comparison) -> Decimal | None:
    """The comparison's gap once the fact is changed, or None if it was not made again."""
    changed = probe(path, value)
    same = [c for c in (changed.comparisons if changed else ()) if c.span == comparison.span]
    if len(same) != 1 or _number(same[0].left) is None or _number(same[0].right) is None:
        return None
    return _gap(same[0].left, same[0].right, comparison.op)


def _numeric_facts(uses) -> list[DefinitionUse]:
    """The numeric input facts under a condition's values, each JSON path once. A definition
    read twice shares its parts (`d1 = d0 + d0`), so each set of parts is walked once: the
    walk stays as long as the rules, not as wide as the tree they unfold to.

    >>> fact = DefinitionUse("income", None, Decimal(5), None, "fact", "members[0].income")
    >>> d0 = DefinitionUse("d0", None, Decimal(5), None, "definition", None, (fact,))
    >>> level = (d0,)
    >>> for _ in range(60):  # 2**60 paths through the tree, 60 levels of parts
    ...     up = DefinitionUse("d", None, Decimal(0), None, "definition", None, level + level)
    ...     level = (up,)
    >>> [use.path for use in _numeric_facts(level)]
    ['members[0].income']
    """
    found, seen, walked = [], set(), set()
    queue = deque(uses)
    while queue:
        use = queue.popleft()
        if use.kind == "fact" and use.path and use.path not in seen and _number(use.value) is not None \
                and not isinstance(use.value, bool):
            seen.add(use.path)
            found.append(use)
        if use.children and id(use.children) not in walked:
            walked.add(id(use.children))
            queue.extend(use.children)
    return found


def _step_for(fact: DefinitionUse) -> Decimal:
    """Whole numbers move by 1; money and decimals by 0.01 (one fen)."""
    return Decimal(1) if isinstance(fact.value, int) else Decimal("0.01")


def _number(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    return value if isinstance(value, Decimal) else None


def changed_household(household: Record, path: str, value) -> Record:
    """A copy of the household with the fact at `path` (`members[0].monthly_income`) set."""
    clone = copy.deepcopy(household)
    record, name = _locate(clone, path)
    record.facts[name] = int(value) if isinstance(record.facts[name], int) else value
    return clone


def _locate(household: Record, path: str) -> tuple[Record, str]:
    if household.path:  # a household read from a list: its paths start with `[i].`
        path = path.removeprefix(household.path + ".")
    *steps, name = path.split(".")
    record = household
    for step in steps:
        relation, index = step[:-1].split("[")
        record = record.relations[relation][int(index)]
    return record, name


def distances(decision, probe_for) -> dict[str, Distance]:
    """The distance of every failing numeric condition of a decision, keyed by
    `condition` or `exception.condition`. `probe_for(exception, condition)` makes the probe."""
    found = {}
    owners = [(None, decision.conditions)] + [(e.name, e.conditions) for e in decision.exceptions]
    for owner, conditions in owners:
        for condition in conditions:
            if condition.value is not False:
                continue
            comparison = numeric_comparison(condition)
            if comparison is not None:
                key = f"{owner}.{condition.name}" if owner else condition.name
                found[key] = distance(comparison, condition, probe_for(owner, condition.name))
    return found
