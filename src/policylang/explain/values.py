"""The values behind a household's decisions, each once: a definition read by ten
conditions is one entry, referenced by its key from each of them. This is what keeps an
explanation as long as the rules, not as long as the paths through them.

>>> from decimal import Decimal
>>> from policylang.interpret.trace import DefinitionUse
>>> from policylang.explain.labels import Labels
>>> table = ValueTable(Labels(None, "en"))
>>> fact = DefinitionUse("income", None, Decimal(5), None, "fact", "members[0].income")
>>> table.key(fact), table.key(fact), list(table.nodes)
('members[0].income', 'members[0].income', ['members[0].income'])
"""

from __future__ import annotations

from ..core.typesystem import Type
from ..core.values import plain
from .labels import in_language
from .quantities import value_text


AMOUNT_OF = {"en": "amount of {program}", "zh": "{program}金额"}
# `sum of salary over the last 12 months`: the months before the month decided
WINDOW = {"en": "the {function} of {x} over the last {n} months",
          "zh": "前{n}个月{x}的{function}"}
WINDOW_FUNCTION = {"en": {"sum": "total", "average": "average", "min": "lowest", "max": "highest"},
                   "zh": {"sum": "合计", "average": "月平均值", "min": "最低值", "max": "最高值"}}


class ValueTable:
    """Every value an explanation shows, by key: a fact by its JSON path, a definition or a
    decision by a short key (`v3`) given in the order they are first met."""

    def __init__(self, labels):
        self.labels, self.nodes, self._keys = labels, {}, {}
        self.types = _types(labels.rules)

    def keys(self, uses) -> list[str]:
        return [self.key(use) for use in uses]

    def key(self, use) -> str:
        identity = (use.kind, use.name, use.path, id(use.children), _identity(use.value),
                    use.origin)
        if identity in self._keys:
            return self._keys[identity]
        key = use.path if use.kind == "fact" and use.path else f"v{len(self._keys) + 1}"
        self._keys[identity] = key
        self.nodes[key] = None  # placeholder while the parts are keyed (a tree, no loops)
        self.nodes[key] = self._node(use)
        return key

    def _node(self, use) -> dict:
        label, text = self._label(use), self._text(use)
        node = {"kind": use.kind, "name": use.name, "label": label, "value": plain(use.value),
                "text": text}
        if use.kind == "fact" or use.origin == "given":
            node["path"] = use.path
        if use.origin is not None:  # "default" (assumed) or "given" (not computed)
            node["origin"] = use.origin
        if use.children:
            node["parts"] = self.keys(use.children)
        return node

    def _label(self, use) -> str:
        if use.kind == "decision":
            return self.labels.program(use.name)
        if use.kind == "amount":  # `amount of P`
            return AMOUNT_OF[self.labels.lang].format(program=self.labels.program(use.name))
        if use.kind == "window":  # `sum of salary over the last 12 months`
            function, months, _ = use.window
            return WINDOW[self.labels.lang].format(
                function=WINDOW_FUNCTION[self.labels.lang][function], n=months,
                x=in_language(use.label, use.name, self.labels.lang))
        return in_language(use.label, use.name, self.labels.lang)

    def said(self, name: str, value) -> str:
        """A fact's or definition's value in words, typed by its declaration."""
        return value_text(value, self.types.get(name), self.labels.lang, self.labels)

    def _text(self, use) -> str:
        lang = self.labels.lang
        if use.kind == "decision":
            return {"eligible": {"en": "eligible", "zh": "符合"},
                    "not_eligible": {"en": "not eligible", "zh": "不符合"}}.get(
                use.value, {}).get(lang) or value_text(use.value, None, lang)
        if use.kind == "amount":
            return value_text(use.value, self._amount_type(use.name), lang, self.labels)
        if use.kind == "window":
            return value_text(use.value, use.window[2], lang, self.labels)
        return self.said(use.name, use.value)

    def _amount_type(self, program: str):
        declared = self.labels.rules.programs.get(program) if self.labels.rules else None
        unit = declared.amount.unit if declared is not None and declared.amount else None
        return Type("kwh" if unit == "kWh" else "money")


def _types(rules) -> dict:
    """The type of each fact and definition, by name (the first declared, if two share one)."""
    if rules is None:
        return {}
    found = {}
    for entity in rules.schema.entities.values():
        for fact in entity.facts.values():
            found.setdefault(fact.name, fact.type)
    for (_, name), definition in rules.definitions.items():
        found.setdefault(name, definition.type)
    return found


def _identity(value):
    """What tells two values apart, cheaply: records by who they are, not by their text;
    the type too, since `True == 1 == Decimal(1)`."""
    if isinstance(value, tuple):
        return tuple(id(v) for v in value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return type(value).__name__, value
