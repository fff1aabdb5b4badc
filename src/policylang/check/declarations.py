"""Pass 2 — resolve and check declarations: `nodes.Module`s → `ir.CheckedRules`.

Collects every error of the pass (names, types and units, dates, parameter
coverage, program dependency cycles, exception priorities) before raising, so
a policy officer fixes them all in one round. Expressions are checked by
`check_expr.py`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import attrs

from ..syntax import nodes
from .. import ir
from .expressions import ExprChecker
from ..core.diagnostics import Diagnostic, did_you_mean
from ..ir.schema import EntitySchema, FactSchema, Schema
from ..core.source import Span
from ..core.typesystem import ANY, PERIODS, QUANTITIES, SCALAR_NAMES, Type, unify
from ..core.limits import MAX_RULE_DEPTH
from ..reform import REFORM_ONLY, outside_reform
from .depth import check_depth
from .declared import (check_place_fact, cycles, declare_given_definitions, declared_unit,
                       fact_default, foreign_currency, history_fits, refuse_hidden_names, scale_steps,
                       unit_kind)
from .examples import check_examples
from .invariants import check_invariants
from .graph import check_coverage, check_cycles, clause_parameters

KINDS = (nodes.Source, nodes.Jurisdiction, nodes.UnitDecl, nodes.Enum, nodes.Entity, nodes.Parameter, nodes.Program,
         nodes.Invariant)


class _Checker:
    def __init__(self, modules: list[nodes.Module]):
        self.diagnostics: list[Diagnostic] = []
        self.declarations = [d for m in modules for d in m.declarations]
        self.by_kind: dict[type, dict[str, object]] = defaultdict(dict)
        self.definition_decls: dict[tuple[str, str], nodes.Definition] = {}
        self.definitions: dict[tuple[str, str], ir.Definition] = {}
        self.definition_uses: dict[tuple[str, str], set] = {}
        self.in_progress: set[tuple[str, str]] = set()
        self.program_uses: dict[str, set] = {}
        self.exception_uses: dict[tuple[str, str], set] = {}  # (program, exception) → uses
        self.base_uses: dict[str, set] = {}
        self.examples = tuple(d for d in self.declarations if isinstance(d, nodes.Example))
        self._visible: dict[str, tuple[list[str], frozenset[str]]] = {}
        self._checked: dict[str, ir.Program | None] = {}  # None while a program is checked

    def error(self, code, message, span, hint=None, notes=()):
        self.diagnostics.append(Diagnostic(code, message, span, hint=hint, notes=tuple(notes)))

    # ------------------------------------------------------------ the pass
    def run(self) -> ir.CheckedRules:
        self._collect()
        self.schema = self._build_schema()
        self.sources = {
            s.name: ir.Source(s.name, s.title, s.publisher, s.published, s.file, s.span)
            for s in self.by_kind[nodes.Source].values()}
        self.parameters = {p.name: self._parameter(p) for p in self.by_kind[nodes.Parameter].values()}
        if not self.schema.entities:
            self._no_entities()
            return ir.CheckedRules(self.schema, self.sources, self.parameters, {}, {}, (), ())
        refuse_hidden_names(self)
        for key in self.definition_decls:
            self.definition_type(*key)
        declare_given_definitions(self)
        programs = {name: self.checked_program(name) for name in self.by_kind[nodes.Program]}
        self.programs = programs
        if not any(d.is_error for d in self.diagnostics):
            check_place_fact(self, programs)
        if not any(d.is_error for d in self.diagnostics):
            self.diagnostics += check_cycles(programs, self.definition_uses, self.definition_decls)
            if not any(d.is_error for d in self.diagnostics):  # depth needs an acyclic graph
                self.diagnostics += check_depth(programs, self.definitions, self.definition_uses)
            self.diagnostics += check_coverage(
                programs, self.parameters, self.schema, clause_parameters(self))
        outputs = {name for (_, name), d in self.definitions.items() if d.output}
        self.diagnostics += check_examples(self.schema, programs, self.examples, outputs)
        invariants = tuple(d for d in self.declarations if isinstance(d, nodes.Invariant))
        self.diagnostics += check_invariants(self.schema, programs, invariants,
                                             self.by_kind[nodes.Program])
        return ir.CheckedRules(
            self.schema, self.sources, self.parameters, self.definitions, programs,
            self.examples, tuple(d for d in self.diagnostics if not d.is_error), invariants)

    def _collect(self) -> None:
        for decl in self.declarations:
            if isinstance(decl, nodes.Definition):
                self._declare(self.definition_decls, (decl.entity, decl.name), decl, decl.name)
            elif isinstance(decl, KINDS):
                self._declare(self.by_kind[type(decl)], decl.name, decl, decl.name)
            elif isinstance(decl, REFORM_ONLY):  # a reform's, applied before the check
                self.diagnostics.append(outside_reform(decl))

    def _declare(self, table, key, decl, name) -> None:
        if key in table:
            first = table[key].span
            self.error("PL011", f"`{name}` is declared twice", decl.span,
                       hint=f"the first declaration is at {first.location()}")
        else:
            table[key] = decl

    # ------------------------------------------------------------ schema
    def _build_schema(self) -> Schema:
        places = {j.name: j.parent for j in self.by_kind[nodes.Jurisdiction].values()}
        for j in self.by_kind[nodes.Jurisdiction].values():
            if j.parent is not None and j.parent not in places:
                self._unknown_place(j.parent, j.span, places)
        for looped in cycles(places):
            self.error("PL012", f"the jurisdictions lie within each other: "
                       f"{' → '.join(looped + [looped[0]])}",
                       self.by_kind[nodes.Jurisdiction][looped[0]].span,
                       hint="each place lies `within` one larger place; the largest within none")
            places.update({name: None for name in looped})
        enums = {e.name: e.members for e in self.by_kind[nodes.Enum].values()}
        enum_labels = {(e.name, member): label for e in self.by_kind[nodes.Enum].values()
                       for member, label in zip(e.members, e.member_labels) if label}
        place_labels = {j.name: j.label for j in self.by_kind[nodes.Jurisdiction].values()
                        if j.label is not None}
        self.schema = Schema({}, enums, places, place_labels, enum_labels, *declared_unit(self))
        entities = self.by_kind[nodes.Entity]
        parents = self._entity_parents(entities)
        for looped in cycles({name: up for name, (up, _) in parents.items()}):
            self.error("PL012", f"the entities hold each other: "
                       f"{' → '.join(looped + [looped[0]])}", entities[looped[0]].span,
                       hint="the top entity holds lists of the others, and nothing holds it")
            parents.update({name: (None, None) for name in looped[1:]})
        for entity in entities.values():
            facts = {f.name: self._fact(f) for f in entity.facts}
            relations = {r.name: r.entity for r in entity.relations}
            parent = parents.get(entity.name, (None, None))
            self.schema.entities[entity.name] = EntitySchema(
                entity.name, entity.label, facts, relations, parent[0], parent[1], entity.span)
        roots = [e for e in self.schema.entities.values() if e.parent is None]
        if len(roots) != 1 and entities:
            self.error("PL012", f"the rules need exactly one top entity (one that no `has … : "
                       f"list of …` holds), found "
                       f"{', '.join(r.name for r in roots) or 'none'}",
                       (roots or list(entities.values()))[0].span,
                       hint="the other entities are held by `has … : list of …`")
        return self.schema

    def _no_entities(self) -> None:
        users = [d for d in self.declarations if isinstance(d, (nodes.Program, nodes.Definition))]
        if users:
            self.error("PL012", "the rules declare no entity, so there is nothing to decide for",
                       users[0].span, hint="check the folder holds the schema "
                       "(`entity household … end`), e.g. rules/schema.policy")

    def _entity_parents(self, entities) -> dict[str, tuple[str, str]]:
        parents: dict[str, tuple[str, str]] = {}
        for entity in entities.values():
            for relation in entity.relations:
                if relation.entity not in entities:
                    self.error("PL012", f"unknown entity `{relation.entity}`", relation.span,
                               hint=did_you_mean(relation.entity, entities))
                elif relation.entity in parents or relation.entity == entity.name:
                    self.error("PL012", f"`{relation.entity}` is already held by "
                               f"`{parents.get(relation.entity, (entity.name,))[0]}`", relation.span)
                else:
                    parents[relation.entity] = (entity.name, relation.name)
        return parents

    def _fact(self, fact: nodes.Fact) -> FactSchema:
        type_ = self.resolve_type(fact.type)
        if fact.bounds is not None and not (type_.is_numeric or type_.is_quantity or type_ == ANY):
            self.error("PL013", f"`between` bounds a number, not {type_}", fact.span,
                       hint="remove `between …`, or give the fact a number type")
        schema = FactSchema(fact.name, fact.label, type_, fact.optional, fact.is_key, fact.bounds,
                            fact.span, fact.fixed, fact.evidence,
                            history=fact.history and history_fits(self, fact, type_))
        if fact.default:
            schema = attrs.evolve(schema, default=fact_default(self, fact, schema))
        return schema

    def resolve_type(self, node: nodes.TypeExpr) -> Type:
        if node.is_set:
            return Type("set", element=self.resolve_type(nodes.TypeExpr(node.name, None, False, node.span)))
        if node.name in self.schema.enums:
            return Type("enum", name=node.name)
        if node.name not in SCALAR_NAMES:
            self.error("PL013", f"unknown type `{node.name}`", node.span,
                       hint=did_you_mean(node.name, list(SCALAR_NAMES) + list(self.schema.enums)))
            return ANY
        if node.per is not None:
            if node.name not in QUANTITIES:
                self.error("PL013", f"only money and kWh have a period, not {node.name}", node.span)
            elif node.per not in PERIODS:
                self.error("PL013", f"unknown period `{node.per}`", node.span,
                           hint=did_you_mean(node.per, PERIODS) or "periods: month, quarter, year")
            else:
                return Type(node.name, per=node.per)
        return Type(node.name)

    def period(self, node: nodes.Period | None, span: Span) -> tuple:
        """A written period's first and last day (None where open); PL005 when it ends
        before it starts — a value or a program that would never be in force."""
        start, end = (node.start, node.end) if node else (None, None)
        if start and end and end < start:
            self.error("PL005", f"the period ends ({end}) before it starts ({start})", span,
                       hint="`from` gives the first day, `until` the last; swap them?")
        return start, end

    def _unknown_place(self, place: str, span: Span, places) -> None:
        self.error("PL014", f"unknown jurisdiction `{place}`", span,
                   hint=did_you_mean(place, places) or "declare it with `jurisdiction`")

    # ------------------------------------------------------------ citations, parameters
    def citation(self, node: nodes.Citation) -> ir.Citation:
        if not node.illustrative and node.source not in self.sources:
            self.error("PL015", f"unknown source `{node.source}`", node.span,
                       hint=did_you_mean(node.source, list(self.sources) + ["illustrative"])
                       or "declare it with `source`, or write `cite illustrative \"…\"`")
        if not node.quote.strip():
            self.error("PL042", "the citation quotes nothing", node.span,
                       hint="quote the clause of the source the rule comes from")
        source = self.sources.get(node.source)
        return ir.Citation(node.source, node.quote, node.illustrative,
                           source.file if source else None, node.span)

    def _parameter(self, node: nodes.Parameter) -> ir.Parameter:
        type_ = self.resolve_type(node.type)
        values = tuple(self._parameter_value(v, type_) for v in node.values)
        kinds = {v.value.kind if isinstance(v.value, ir.Steps) else "value" for v in values}
        if len(kinds) > 1:
            self.error("PL020", f"`{node.name}` mixes {' and '.join(sorted(kinds))}: every value "
                       "of a parameter is a number, or every one a scale of one kind", node.span)
        self._check_overlaps(node, values)
        return ir.Parameter(node.name, node.label, type_, values, node.span)

    def _parameter_value(self, node: nodes.ParameterValue, type_: Type) -> ir.ParameterValue:
        if node.place is not None and node.place not in self.schema.places:
            self._unknown_place(node.place, node.span, self.schema.places)
        start, end = self.period(node.period, node.span)
        if isinstance(node.value, nodes.ScaleValue):
            steps = scale_steps(self, node.value, type_)
            return ir.ParameterValue(node.place, start, end, steps, self.citation(node.citation),
                                     node.span)
        value: object = node.value
        if foreign_currency(self, node.unit) is not None:
            self.error("PL021", foreign_currency(self, node.unit), node.span)
        elif node.unit is not None and unit_kind(node.unit) != type_.kind:
            self.error("PL021", f"the value is in {node.unit} but the parameter is {type_}", node.span)
        if type_.kind == "int":
            if node.value != node.value.to_integral_value():
                self.error("PL020", f"{node.value} is not a whole number", node.span)
            value = int(node.value)
        elif type_.kind in ("bool", "date", "text", "place", "enum", "set"):
            self.error("PL020", f"a parameter of type {type_} cannot hold a number", node.span)
        return ir.ParameterValue(node.place, start, end, value, self.citation(node.citation), node.span)

    def _check_overlaps(self, node: nodes.Parameter, values) -> None:
        by_place = defaultdict(list)
        for value in values:
            by_place[value.place].append(value)
        for place, entries in by_place.items():
            entries.sort(key=lambda v: v.start or dt.date.min)
            for before, after in zip(entries, entries[1:]):
                if before.end is None or (after.start or dt.date.min) <= before.end:
                    where = f"for `{place}`" if place is not None else "(everywhere)"
                    self.error("PL031", f"two values of `{node.name}` {where} are in force "
                               f"on the same dates", after.span,
                               hint=f"end the earlier one (line {before.span.line}) with "
                               f"`until` the day before this one starts")

    # ------------------------------------------------------------ definitions (Environment)
    def parameter_scale(self, name: str) -> str | None:
        """"bands" or "brackets" when parameter `name` is a scale."""
        parameter = self.parameters.get(name) if hasattr(self, "parameters") else None
        return parameter.scale if parameter else None

    def parameter_type(self, name: str) -> Type | None:
        parameter = self.parameters.get(name) if hasattr(self, "parameters") else None
        return parameter.type if parameter else None

    def definition_type(self, entity: str, name: str) -> Type | None:
        key = (entity, name)
        if key in self.definitions:
            return self.definitions[key].type
        if key not in self.definition_decls:
            return None
        if key in self.in_progress:
            return ANY  # a cycle; check_graph reports it
        decl = self.definition_decls[key]
        if len(self.in_progress) >= MAX_RULE_DEPTH // 2:  # each definition is two levels or more
            if not any(d.code == "PL004" for d in self.diagnostics):  # once: the chain goes on
                self.error("PL004", f"definitions read each other more than "
                           f"{MAX_RULE_DEPTH // 2} deep here", decl.span,
                           hint="compute the chain in fewer steps: one definition can sum "
                           "or combine several values at once")
            self.definitions[key] = ir.Definition(entity, name, decl.label,
                                                  ir.Const(None, ANY, decl.span), ANY, decl.span)
            return ANY
        if entity not in self.schema.entities:
            self.error("PL012", f"unknown entity `{entity}`", decl.span,
                       hint=did_you_mean(entity, self.schema.entities))
            return ANY
        self.in_progress.add(key)
        uses: set = set()
        body = ExprChecker(self, entity, uses).check(decl.body)
        self.in_progress.discard(key)
        type_ = body.type
        if decl.type is not None:
            declared = self.resolve_type(decl.type)
            if unify(declared, type_) != declared:
                self.error("PL020", f"`{name}` is declared as {declared} but computes {type_}",
                           decl.body.span)
            type_ = declared
        self.definition_uses[key] = uses
        self.definitions[key] = ir.Definition(entity, name, decl.label, body, type_, decl.span,
                                              decl.output)
        return type_

    def decides_for(self, program: str) -> tuple[str, ...] | None:
        node = self.by_kind[nodes.Program].get(program)
        if node is None:
            return None
        subject = node.subject or self._root_name()
        return tuple(dict.fromkeys([subject] + [e.scope or subject for e in node.exceptions]))

    def program_names(self) -> list[str]:
        return list(self.by_kind[nodes.Program])

    def visible_names(self, entity: str) -> list[str]:
        """The names an expression of `entity` can read: its facts, lists and definitions,
        the parameters, `evaluation_date`. Made once per entity (the declarations are all
        collected before any expression is checked): a rule set of 39,000 definitions
        checks in linear time."""
        if entity not in self._visible:
            schema = self.schema.entities.get(entity)
            names = list(schema.facts) + list(schema.relations) if schema else []
            names += [n for (e, n) in self.definition_decls if e == entity]
            names += list(self.by_kind[nodes.Parameter]) + ["evaluation_date"]
            self._visible[entity] = (names, frozenset(names))
        return self._visible[entity][0]

    def is_visible(self, entity: str, name: str) -> bool:
        """Whether an expression of `entity` can read `name` (see `visible_names`)."""
        self.visible_names(entity)
        return name in self._visible[entity][1]

    def _root_name(self) -> str:
        return next((e.name for e in self.schema.entities.values() if e.parent is None),
                    next(iter(self.schema.entities), ""))

    # ------------------------------------------------------------ programs
    def checked_program(self, name: str) -> ir.Program | None:
        """The checked program, checked on first use (`amount of P` needs P's amount type
        before P's place in the files comes); None while it is being checked (a program
        that reads its own amount: a circle, which `check_cycles` reports)."""
        if name not in self._checked:
            from .programs import check_program
            nesting = sum(p is None for p in self._checked.values())
            if nesting >= MAX_RULE_DEPTH // 8:  # each program is several levels deep
                if not any(d.code == "PL004" for d in self.diagnostics):
                    self.error("PL004", f"programs read each other's amounts more than "
                               f"{MAX_RULE_DEPTH // 8} deep here",
                               self.by_kind[nodes.Program][name].span,
                               hint="read fewer amounts in a chain: one definition can sum them")
                return None
            self._checked[name] = None
            self._checked[name] = check_program(self, self.by_kind[nodes.Program][name])
        return self._checked[name]

    def amount_type(self, name: str) -> Type | None:
        """The type of what program `name` pays (`money per month`), None when it pays
        nothing (a status), ANY when it cannot be known (a circle, an amount in error)."""
        program = self.checked_program(name)
        if program is None:
            return ANY
        amount = program.amount or next((e.amount for e in program.exceptions if e.amount), None)
        node = self.by_kind[nodes.Program][name]
        if amount is None:  # a status, or an amount whose own error is reported already
            written = node.amount is not None or any(e.amount for e in node.exceptions)
            return ANY if written else None
        per = None if amount.per == "once" else amount.per
        return Type("kwh" if amount.unit == "kWh" else "money", per=per)

    def reachable(self, uses: set) -> set:
        """Everything `uses` reaches, through the definitions it uses in turn."""
        seen, stack = set(), list(uses)
        while stack:
            use = stack.pop()
            if use not in seen:
                seen.add(use)
                if use[0] == "definition":
                    stack.extend(self.definition_uses.get(use[1:], ()))
        return seen

    def _program_parameters(self) -> dict[str, set[str]]:
        """Parameters each program needs, through the definitions it uses."""
        return {name: {use[1] for use in self.reachable(uses) if use[0] == "parameter"}
                for name, uses in self.program_uses.items()}
