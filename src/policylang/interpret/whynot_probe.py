"""A household with some facts changed, for why-not probes: every record is made anew (a
record knows the one that holds it, so the changed household must be whole) but shares
the unchanged fact values with the original, which is never touched.

>>> from policylang.core.values import Record
>>> from policylang.interpret.whynot_candidates import FactChange
>>> household = Record("household", "h1", "", {"assets": 5})
>>> member = Record("member", "p1", "members[0]", {"income": 10}, parent=household)
>>> household.relations["members"] = (member,)
>>> changed = changed_household(household, [FactChange("members[0].income", 10, 0)])
>>> changed.relations["members"][0].facts["income"], member.facts["income"]
(0, 10)
>>> changed.relations["members"][0].parent is changed
True
"""

from __future__ import annotations

import attrs

from ..core.values import Record, Unknown
from .expressions import EvalError
from .whynot import why_not


def with_why_not(evaluation, decision, record: Record):
    """`decision` (not eligible, for `record`) with its why-not: the verified change sets and
    the gaps. Each probe decides a changed copy of the household in a new evaluation, within
    the household's budget; the same changes are decided once."""
    index = evaluation.records_of(record.entity).index(record)
    decided: dict = {}

    def redecide(changes):
        key = frozenset((c.path, c.after) for c in changes)
        if key not in decided:
            decided[key] = _redecided(evaluation, decision.program, record.entity, index, changes)
        return decided[key]

    found = why_not(decision, evaluation.rules.schema, redecide)
    return attrs.evolve(decision, why_not=found, distances={g.condition: g for g in found.gaps})


def _redecided(evaluation, program: str, entity: str, index: int, changes):
    """The decision of `program` for the `index`-th record of `entity` once `changes` apply,
    or None (over the why-not budget, or the changed household cannot be decided)."""
    if evaluation.why_not_left < evaluation.size:
        return None  # over the budget: no more changes are searched
    evaluation.why_not_left -= evaluation.size
    again = type(evaluation)(evaluation.rules, changed_household(evaluation.household, changes),
                             evaluation.date, evaluation.previous)
    again.derivations = again.why_not = False  # a probe needs the outcome and conditions only
    try:
        return again.decide(program, again.records_of(entity)[index])
    except EvalError:
        return None  # the changed household cannot be decided: not a change to offer


def changed_household(household: Record, changes) -> Record:
    """A copy of `household` with each change's fact (at its JSON path) set to `after`."""
    by_path = {}
    for change in changes:
        path = change.path
        if household.path:  # a household read from a list: its paths start with `[i].`
            path = path.removeprefix(household.path + ".")
        record_path, _, name = path.rpartition(".")
        by_path.setdefault(record_path, {})[name] = change.after
    return _copied(household, None, "", by_path)


def _copied(record: Record, parent: Record | None, at: str, by_path: dict) -> Record:
    facts = dict(record.facts)
    facts.update(by_path.get(at, {}))
    assumed = record.assumed - set(by_path.get(at, {}))  # a proposed value is no default
    copy = Record(record.entity, record.id, record.path, facts, {}, parent, assumed,
                  dict(record.given))
    for relation, held in record.relations.items():
        if isinstance(held, Unknown):
            copy.relations[relation] = held
            continue
        prefix = f"{at}." if at else ""
        copy.relations[relation] = type(held)(
            _copied(child, copy, f"{prefix}{relation}[{i}]", by_path) for i, child in enumerate(held))
    return copy
