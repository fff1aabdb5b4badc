"""Households for `verify`, drawn from any rule set's facts schema (hypothesis strategies):
every declared fact with a value of its type within its bounds (an optional one sometimes
absent), places where the program applies, lists of one to four records with ids `p1`, `p2`…
— and, for `monotone` and `no cliff`, one number fact of one record raised.

>>> import datetime as dt, policylang
>>> from hypothesis import given, settings
>>> rules = policylang.load("rules").rules
>>> drawn = []
>>> @settings(max_examples=5, database=None, derandomize=True)
... @given(households_of(rules.schema, rules.programs["dibao"], dt.date(2023, 8, 1)))
... def draw(household):
...     drawn.append(household)
>>> draw()
>>> all(1 <= len(h["members"]) <= 4 and h["jurisdiction"] in rules.schema.places for h in drawn)
True
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

MONEY_PER_PERIOD = Decimal(20000)  # a monthly (quarterly…) amount: up to 20,000 yuan
MONEY = Decimal(200000)  # savings and other amounts without a period


def households_of(schema, program, date: dt.date):
    """Households (JSON facts) for deciding `program` on `date`."""
    places = _places(schema, program)
    return _record(schema, schema.root, date, places, "h", decided=program.subject_entities())


def _places(schema, program) -> list[str]:
    """The places under those the program applies in (all places when it names none)."""
    roots = program.applies.places
    chosen = [p for p in schema.places if not roots or set(schema.jurisdiction_chain(p)) & set(roots)]
    return sorted(chosen or schema.places)


def _record(schema, entity, date, places, id_: str, decided):
    fields = {}
    for fact in entity.facts.values():
        value = st.just(id_) if fact.is_key else _value(schema, fact, date, places)
        fields[fact.name] = st.one_of(st.none(), value) if fact.optional and not fact.is_key else value
    for relation, held in entity.relations.items():
        child = schema.entities[held]
        least = 1 if held in decided else 0
        records = st.lists(_record(schema, child, date, places, "", decided), min_size=least,
                           max_size=4 if least else 2)
        fields[relation] = records.map(lambda rs, child=child: _numbered(rs, child))
    return st.fixed_dictionaries(fields)


def _numbered(records: list[dict], entity) -> list[dict]:
    """Records of a list with their ids: `p1`, `p2`, … (for keyed entities)."""
    if entity.key is None:
        return records
    return [dict(r, **{entity.key: f"p{i + 1}"}) for i, r in enumerate(records)]


def _value(schema, fact, date: dt.date, places):
    kind, bounds = fact.type.kind, fact.bounds
    if kind in ("money", "kwh"):
        high = bounds[1] if bounds else (MONEY_PER_PERIOD if fact.type.per else MONEY)
        low = max(bounds[0], Decimal(0)) if bounds else Decimal(0)
        return st.decimals(low, high, places=2).map(lambda d: f"{d:.2f}")
    if kind == "decimal":
        low, high = bounds if bounds else (Decimal(0), Decimal(10))
        return st.decimals(low, high, places=2).map(lambda d: f"{d:.2f}")
    if kind in ("int", "months", "years", "days"):
        low, high = (int(bounds[0]), int(bounds[1])) if bounds else (0, 100)
        return st.integers(low, high)
    if kind == "bool":
        return st.booleans()
    if kind == "enum":
        return st.sampled_from(schema.enums[fact.type.name])
    if kind == "place":
        return st.sampled_from(places)
    if kind == "date":
        return st.dates(dt.date(date.year - 100, 1, 1), date).map(dt.date.isoformat)
    if kind == "set" and fact.type.element and fact.type.element.kind == "enum":
        members = schema.enums[fact.type.element.name]
        return st.lists(st.sampled_from(members), unique=True, max_size=len(members))
    return st.text("abcdefgh", min_size=1, max_size=8)


def raised(schema, household: dict, entity, fact):
    """(path, before, after, changed household): `fact` of one record of `entity` raised."""
    records = _records_of(schema, household, entity.name)
    if not records:
        return st.nothing()
    return st.integers(0, len(records) - 1).flatmap(
        lambda i: _raise(household, records[i], fact))


def _raise(household: dict, found, fact):
    path, record = found
    before = record.get(fact.name)
    if before is None:
        return st.nothing()
    if fact.type.kind in ("int", "months", "years", "days"):
        high = int(fact.bounds[1]) if fact.bounds else int(before) + 10
        if int(before) >= high:
            return st.nothing()
        steps = st.integers(int(before) + 1, high)
    else:
        high = fact.bounds[1] if fact.bounds else Decimal(before) + Decimal(5000)
        if Decimal(before) >= high:
            return st.nothing()
        start = Decimal(before) + Decimal("0.01")
        near = min(high, start + Decimal(50))  # small raises find cliffs; large ones, the rest
        steps = st.one_of(st.decimals(start, near, places=2),
                          st.decimals(start, high, places=2)).map(lambda d: f"{d:.2f}")
    return steps.map(lambda after: (path + fact.name, before, after,
                                    with_value(household, path, fact.name, after)))


LADDER = (Decimal("0.01"), Decimal(1), Decimal(10), Decimal(50), Decimal(100), Decimal(200),
          Decimal(400), Decimal(800), Decimal(1600), Decimal(3200), Decimal(6400))


def ladder(before, after) -> list:
    """The values a fact is tried at between `before` and `after`: the drawn value and
    steps above `before` of growing size, so that a threshold in between is crossed."""
    if isinstance(before, int) and not isinstance(before, bool):
        return sorted({before, after, *range(before + 1, min(after, before + 12) + 1)})
    start, end = Decimal(before), Decimal(after)
    points = {start, end} | {start + step for step in LADDER if start + step < end}
    return [f"{p:.2f}" for p in sorted(points)]


def _records_of(schema, household: dict, entity: str) -> list[tuple[str, dict]]:
    """The records of `entity` in the household, each with its JSON path prefix."""
    if schema.root.name == entity:
        return [("", household)]
    found = []
    for relation, held in schema.root.relations.items():
        if held == entity:
            found += [(f"{relation}[{i}].", r) for i, r in enumerate(household.get(relation) or [])]
    return found


def with_value(household: dict, path: str, name: str, value) -> dict:
    changed = copy.deepcopy(household)
    record = changed
    if path:
        relation, index = path.rstrip(".").rstrip("]").split("[")
        record = changed[relation][int(index)]
    record[name] = value
    return changed
