"""Why not: the sets of fact changes that would turn a refusal into a grant, each one
verified by deciding the changed household again — never a change that only mends one
condition while another still fails.

A refusal fails on one route (the program's own conditions) or on several (each exception
that could have granted it). For every route, each failing condition gets its candidate
changes (`whynot_candidates.py`: a number solved for where the condition moves linearly
with a fact, a yes/no turned over, a value from a small domain); the candidates of the
route's failing conditions are combined, the household is decided again with them, and
conditions that fail only once the first ones hold (they were not evaluated) are mended in
a second round. Only sets after which the decision is `eligible` are kept, ranked by how
few facts they change and how little. Facts the rules declare `fixed` (a birth date, a
death) are never proposed; a condition nowhere near its threshold (further from it than the
threshold is from zero) is *far*, stated as a gap but not offered.

Every probe decides the household once; a household's probes share one budget
(`WHY_NOT_BUDGET`, in records decided), so a large household is never slow to decide.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import product

import attrs

from .trace import ConditionResult
from .whynot_candidates import (HOLDS_WHEN_NEGATIVE, FactChange, candidates, number,
                                numeric_comparison, unchangeable)

__all__ = ["ChangeSet", "FactChange", "Gap", "WhyNot", "why_not"]

MAX_SETS = 3  # change sets offered per decision
PER_CONDITION = 2  # the best candidates of each failing condition that are combined
MAX_FAILING = 4  # a route failing on more conditions than this is not searched
ROUNDS = 2  # mending rounds: conditions revealed once the first ones hold


@attrs.frozen
class ChangeSet:
    """Changes that together turn the decision into `outcome_after` (verified), through the
    program's own conditions (`route` None) or through the exception `route`."""

    changes: tuple[FactChange, ...]
    route: str | None
    outcome_after: str


@attrs.frozen
class Gap:
    """How far a failing numeric comparison is from its threshold (`gap`, in the compared
    unit), and whether a change set mends it (`offered`) — else why not: `fixed` (only facts
    the household cannot change decide it), `far` (nowhere near the threshold), or
    `not_enough` (another condition would still fail)."""

    condition: str  # `condition`, or `exception.condition`
    value: Decimal
    threshold: Decimal
    op: str
    gap: Decimal
    offered: bool = False
    why_not_offered: str | None = None


@attrs.frozen
class WhyNot:
    change_sets: tuple[ChangeSet, ...]
    gaps: tuple[Gap, ...]


def routes(decision) -> list[tuple[str | None, tuple[ConditionResult, ...]]]:
    """The ways the decision could have been granted: its own conditions (when it has any),
    and each exception in force that did not fire."""
    found = [(None, decision.conditions)] if decision.conditions else []
    found += [(e.name, e.conditions) for e in decision.exceptions
              if e.not_in_force is None and e.fired is False]
    return found


def why_not(decision, schema, redecide) -> WhyNot:
    """The verified change sets and the stated gaps of a not_eligible `decision`.

    `redecide(changes)` decides the household again with the `FactChange`s applied and
    returns the new decision of the same program and subject, or None when it cannot (over
    the budget, or the changed household cannot be decided).
    """
    found, tried = [], {}
    for route, _ in routes(decision):
        found += [(route, s) for s in _mend(route, decision, (), schema, redecide, ROUNDS, tried)]
    ranked = _ranked([s for _, s in found])[:MAX_SETS]
    mended = {route for route, s in found if s in ranked}
    gaps = tuple(_gap(key, route, c, mended, tried, schema)
                 for key, route, c in _numeric_failures(decision))
    return WhyNot(tuple(ranked), gaps)


def _mend(route, decision, base: tuple, schema, redecide, rounds: int, tried: dict) -> list:
    """The change sets, starting from `base`, that grant `decision` through `route`."""
    failing = [c for c in _route_conditions(decision, route) if c.value is False]
    if not failing or len(failing) > MAX_FAILING:
        return []
    options = []
    for condition in failing:
        found = candidates(condition, _condition_probe(route, condition.name, base, redecide),
                           schema)
        tried.setdefault(_key(route, condition.name), found)
        near = [c for c in found if not c.far]
        if not near:
            return []  # this condition cannot be mended: the route cannot grant
        options.append(near[:PER_CONDITION])
    sets = []
    for combination in product(*options):
        changes = _merged(base, [change for option in combination for change in option.changes])
        after = redecide(changes) if changes is not None else None
        if after is None:
            continue
        if after.outcome == "eligible":
            sets.append(ChangeSet(changes, after.by or route, after.outcome))
        elif rounds > 1 and after.outcome == "not_eligible":
            sets += _mend(route, after, changes, schema, redecide, rounds - 1, tried)
        if len(sets) >= MAX_SETS:
            break
    return sets


def _condition_probe(route, name: str, base: tuple, redecide):
    """`probe(change)`: the condition `name` of `route` once `base` and `change` apply."""
    def probe(change: FactChange):
        changes = _merged(base, [change])
        after = redecide(changes) if changes is not None else None
        if after is None:
            return None
        return next((c for c in _route_conditions(after, route) if c.name == name), None)
    return probe


def _route_conditions(decision, route) -> tuple[ConditionResult, ...]:
    if route is None:
        return decision.conditions
    return next((e.conditions for e in decision.exceptions if e.name == route), ())


def _merged(base: tuple, more: list) -> tuple | None:
    """`base` with `more` applied: a later change of a fact in `base` replaces it; None when
    two of `more` set one fact to different values."""
    merged = {c.path: c for c in base}
    added: dict = {}
    for change in more:
        if change.path in added and added[change.path].after != change.after:
            return None
        added[change.path] = change
    for path, change in added.items():
        held = merged.get(path)
        merged[path] = change if held is None else attrs.evolve(change, before=held.before)
    return tuple(merged.values())


def _ranked(sets: list) -> list:
    """Fewest facts first, then the smallest changes; each set of changes once."""
    unique = {}
    for s in sets:
        unique.setdefault(frozenset((c.path, str(c.after)) for c in s.changes), s)
    return sorted(unique.values(), key=lambda s: (len(s.changes), _size(s)))


def _size(change_set: ChangeSet) -> Decimal:
    total = Decimal(0)
    for c in change_set.changes:
        before, after = number(c.before), number(c.after)
        total += Decimal(1) if before is None or after is None else \
            abs(after - before) / max(abs(before), Decimal(1))
    return total


def _numeric_failures(decision):
    for route, conditions in routes(decision):
        for condition in conditions:
            if condition.value is False and numeric_comparison(condition) is not None:
                yield _key(route, condition.name), route, condition


def _gap(key: str, route, condition: ConditionResult, mended: set, tried: dict, schema) -> Gap:
    comparison = numeric_comparison(condition)
    left, right = number(comparison.left), number(comparison.right)
    gap = left - right if HOLDS_WHEN_NEGATIVE[comparison.op] else right - left
    if route in mended:
        return Gap(key, left, right, comparison.op, gap, True, None)
    found = tried.get(key) or []
    why = "fixed" if unchangeable(condition, schema) else \
        "far" if found and all(c.far for c in found) else "not_enough"
    return Gap(key, left, right, comparison.op, gap, False, why)


def _key(route: str | None, name: str) -> str:
    return f"{route}.{name}" if route else name
