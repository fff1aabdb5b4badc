"""What the rules call things, in one language: programs, facts, definitions, parameters,
entities, places and sources. An explanation names everything by these labels; a name
without a label is made readable (`monthly_income` → `monthly income`).

>>> import policylang
>>> labels = Labels(policylang.load("rules").rules, "zh")
>>> labels.program("dibao"), labels.fact("member", "monthly_income"), labels.place("kunming")
('最低生活保障', '月收入', '昆明市')
"""

from __future__ import annotations

from .quantities import UNITS


def in_language(label, name: str, lang: str) -> str:
    """A clause's label in `lang`: the rule's own label, else its name made readable.

    >>> in_language(None, "monthly_income", "en")
    'monthly income'
    """
    chosen = label.in_language(lang) if hasattr(label, "in_language") else (
        label if lang == "zh" else None)
    return chosen or name.replace("_", " ")


class Labels:
    """The labels of one rule set (`ir.CheckedRules`, or None for none) in `lang`."""

    def __init__(self, rules, lang: str = "en"):
        self.rules, self.lang = rules, lang

    def program(self, name: str, lang: str | None = None) -> str:
        lang = lang or self.lang
        program = self.rules.programs.get(name) if self.rules else None
        if program is None:
            return name.replace("_", " ")
        return program.label_zh if lang == "zh" else (program.label_en or name.replace("_", " "))

    def parameter(self, name: str) -> str:
        parameter = self.rules.parameters.get(name) if self.rules else None
        return in_language(parameter.label if parameter else None, name, self.lang)

    def entity(self, name: str, lang: str | None = None) -> str:
        """What the rules call an entity (`家庭成员` / `household member`)."""
        entity = self.rules.schema.entities.get(name) if self.rules else None
        return in_language(entity.label if entity else None, name, lang or self.lang)

    def fact(self, entity: str, name: str) -> str:
        return in_language(self.fact_schema(entity, name) and self.fact_schema(entity, name).label,
                           name, self.lang)

    def fact_schema(self, entity: str, name: str):
        held = self.rules.schema.entities.get(entity) if self.rules else None
        return held.facts.get(name) if held else None

    def evidence(self, entity: str, name: str) -> str | None:
        """The document that establishes a fact, when the rules name one."""
        fact = self.fact_schema(entity, name)
        evidence = getattr(fact, "evidence", None)
        return evidence.in_language(self.lang) if hasattr(evidence, "in_language") else evidence

    def definition(self, entity: str, name: str) -> str:
        definition = self.rules.definitions.get((entity, name)) if self.rules else None
        return in_language(definition.label if definition else None, name, self.lang)

    def unit(self, unit: str) -> str:
        """A unit as said: the rule set's currency by its declared label (`unit EUR "欧元" /
        "euro"`), 元 / yuan for CNY, 千瓦时 / kWh; any other by its code."""
        schema = self.rules.schema if self.rules else None
        if schema is not None and unit == schema.unit and schema.unit_label is not None:
            return in_language(schema.unit_label, unit, self.lang)
        return UNITS[self.lang].get(unit, unit)

    def relation(self, entity: str) -> str:
        """A list of records is named by what it holds (`members` → `家庭成员`)."""
        return self.entity(entity)

    def place(self, place: str) -> str:
        """A jurisdiction by its declared label (`kunming` → `昆明市` / `Kunming`)."""
        schema = self.rules.schema if self.rules else None
        label = getattr(schema, "place_labels", {}).get(place) if schema else None
        return in_language(label, place, self.lang) if label else place

    def enum_member(self, enum: str | None, member: str) -> str:
        """An enum value by its declared label, when the rules give one."""
        labels = getattr(self.rules.schema, "enum_labels", {}) if self.rules else {}
        label = labels.get((enum, member))
        return in_language(label, member, self.lang) if label else member

    def source(self, name: str):
        """The declared source (`ir.Source`: title, publisher, date, file) or None."""
        return self.rules.sources.get(name) if self.rules else None
