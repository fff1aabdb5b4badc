"""Where each name of a rule set is declared and where it is used: parameters, definitions
(per entity), facts (per entity), programs and sources. Built from the checked rules, whose
every reference is resolved and keeps its span, so `monthly_income` inside a member's
definition and inside a household's `sum(members, monthly_income)` both lead to the member's
fact.

>>> import policylang
>>> index = SymbolIndex(policylang.load("rules").rules, policylang.load("rules").texts)
>>> standard = index.declarations[("parameter", "dibao_standard")]
>>> standard.file.endswith("dibao.policy"), standard.line, standard.column
(True, 3, 11)
>>> len(index.uses(("parameter", "dibao_standard"))) > 3
True
"""

from __future__ import annotations

import re

import attrs

from .. import ir


@attrs.frozen
class Occurrence:
    """A name where it is written: `key` is what it names (`("fact", "member",
    "monthly_income")`), at `file`:`line`:`column` (1-based, in characters) for `length`."""

    key: tuple
    file: str
    line: int
    column: int
    length: int
    declaration: bool = False

    def contains(self, file: str, line: int, column: int) -> bool:
        return file == self.file and line == self.line and \
            self.column <= column <= self.column + self.length


class SymbolIndex:
    """Declarations (by key) and every occurrence (by file) of one checked rule set."""

    def __init__(self, rules: ir.CheckedRules, texts: dict[str, str]):
        self.rules, self.texts = rules, texts
        self.declarations: dict[tuple, Occurrence] = {}
        self.by_file: dict[str, list[Occurrence]] = {}
        for key, name, span in _declared(rules):
            found = self._name_in(span, name, first=True)
            if found is not None:
                self.declarations[key] = found = attrs.evolve(found, key=key, declaration=True)
                self.by_file.setdefault(found.file, []).append(found)
        for key, name, span in _used(rules):
            found = self._name_in(span, name, first=False)
            if found is not None:
                self.by_file.setdefault(found.file, []).append(attrs.evolve(found, key=key))

    def at(self, file: str, line: int, column: int) -> Occurrence | None:
        """The name under the cursor, declared or used."""
        return next((o for o in self.by_file.get(file, ()) if o.contains(file, line, column)),
                    None)

    def uses(self, key: tuple) -> list[Occurrence]:
        """Every occurrence of `key` but its declaration, in file and line order."""
        found = {(o.file, o.line, o.column): o for occurrences in self.by_file.values()
                 for o in occurrences if o.key == key and not o.declaration}
        return [found[k] for k in sorted(found)]

    def _name_in(self, span, name: str, first: bool) -> Occurrence | None:
        """Where `name` is written inside `span`: its first whole-word occurrence after the
        span's start (a declaration's name follows its keyword), or its last (a use such
        as `household.assets` or `eligible for dibao` ends with the name)."""
        text = self.texts.get(span.file)
        if text is None:
            return None
        lines = text.splitlines()
        pattern = re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)")
        hits = []
        for number in range(span.line, min(span.end_line, len(lines)) + 1):
            line = lines[number - 1]
            start = span.column - 1 if number == span.line else 0
            end = span.end_column - 1 if number == span.end_line else len(line)
            hits += [(number, m.start() + 1) for m in pattern.finditer(line, start, max(start, end))]
        if not hits:
            return None
        line, column = hits[0] if first else hits[-1]
        return Occurrence((), span.file, line, column, len(name))


def _declared(rules: ir.CheckedRules):
    for name, parameter in rules.parameters.items():
        yield ("parameter", name), name, parameter.span
    for (entity, name), definition in rules.definitions.items():
        yield ("definition", entity, name), name, definition.span
    for name, program in rules.programs.items():
        yield ("program", name), name, program.span
    for name, source in rules.sources.items():
        yield ("source", name), name, source.span
    for entity in rules.schema.entities.values():
        for fact in entity.facts.values():
            yield ("fact", entity.name, fact.name), fact.name, fact.span


def _used(rules: ir.CheckedRules):
    bodies = [d.body for d in rules.definitions.values()] + list(rules.programs.values()) + \
        list(rules.parameters.values())
    for node in ir.walk(bodies):
        if isinstance(node, (ir.ParameterRef, ir.ScaleLookup)):
            yield ("parameter", node.name), node.name, node.span
        elif isinstance(node, ir.DefinitionRef):
            yield ("definition", node.entity, node.name), node.name, node.span
        elif isinstance(node, ir.FactRef):
            yield ("fact", node.entity, node.name), node.name, node.span
        elif isinstance(node, ir.DecisionRef):
            yield ("program", node.program), node.program, node.span
        elif isinstance(node, ir.Citation) and not node.illustrative:
            yield ("source", node.source), node.source, node.span
