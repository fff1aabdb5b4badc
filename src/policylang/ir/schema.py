"""The facts schema: entities, their typed facts and relations, as the rules declare them.

Built by the checker from `entity` declarations; used to validate input
(`facts.py`), to export JSON Schema (`jsonschema.py`), and by the engines.
"""

from __future__ import annotations

import functools
from decimal import Decimal

import attrs

from ..core.source import Span
from ..core.typesystem import Type


@attrs.frozen
class FactSchema:
    name: str
    label: str | None
    type: Type
    optional: bool  # absent means "none" (known), not unknown
    is_key: bool
    bounds: tuple[Decimal, Decimal] | None
    span: Span
    fixed: bool = False  # a household cannot change it: why-not never proposes a change
    evidence: str | None = None  # the document that establishes it (a label: zh / en)
    default: object = None  # the value an absent fact takes (None: it is unknown)
    history: bool = False  # the facts may give it month by month (semantics/months.py)


@attrs.frozen
class EntitySchema:
    name: str
    label: str | None
    facts: dict[str, FactSchema]
    relations: dict[str, str]  # relation name -> entity name
    parent: str | None  # the entity whose relation holds this one
    parent_relation: str | None
    span: Span
    # the `overridable` definitions, typed as facts: the facts may give their values
    given: dict[str, FactSchema] = attrs.field(factory=dict)

    @property
    def key(self) -> str | None:
        return next((f.name for f in self.facts.values() if f.is_key), None)

    @property
    def inputs(self) -> dict[str, FactSchema]:
        """What the facts of this entity may hold: its facts, then the values of its
        overridable definitions (a column of a table, a field of a facts object)."""
        return {**self.facts, **self.given} if self.given else self.facts


@attrs.frozen
class Schema:
    entities: dict[str, EntitySchema]
    enums: dict[str, tuple[str, ...]]
    places: dict[str, str | None]  # jurisdiction -> parent
    place_labels: dict = attrs.field(factory=dict)  # jurisdiction -> its label (zh / en)
    enum_labels: dict = attrs.field(factory=dict)  # (enum, member) -> its label (zh / en)
    unit: str = "CNY"  # the currency money is counted in (`unit EUR`)
    unit_label: str | None = None  # how it is said (zh / en), `元` / `yuan` when CNY

    @property
    def root(self) -> EntitySchema:
        return next(e for e in self.entities.values() if e.parent is None)

    @functools.cached_property
    def place_facts(self) -> tuple[str, ...]:
        """The top entity's facts of type `place`, in the order they are declared."""
        root = next((e for e in self.entities.values() if e.parent is None), None)
        return () if root is None else tuple(
            f.name for f in root.facts.values() if f.type.kind == "place")

    @functools.cached_property
    def place_fact(self) -> str | None:
        """The top entity's one fact of type `place` (`jurisdiction` in the bundled rules,
        `region` in tests/rulebooks/family): where parameter values are looked up and
        `applies in` is tested. None when the top entity has no place fact, or several: the
        checker then refuses rules that need a place (PL012), so neither engine ever has to
        pick one."""
        found = self.place_facts
        return found[0] if len(found) == 1 else None

    def chain(self, entity: str) -> list[str]:
        """The entity and its ancestors: `member` → [`member`, `household`]. The checker
        refuses entities that hold each other (PL012); the walk stops at a loop anyway."""
        names = []
        current: str | None = entity
        while current is not None and current not in names:
            names.append(current)
            current = self.entities[current].parent
        return names

    def jurisdiction_chain(self, place: str) -> list[str]:
        """`kunming.guandu` → [`kunming.guandu`, `kunming`, `yunnan`, `national`]."""
        names = []
        current: str | None = place
        while current is not None and current not in names:
            names.append(current)
            current = self.places.get(current)
        return names
