"""Pass 2e — lints: what is legal but probably a mistake, across time, place and clauses.

Warnings, unless `check --strict` makes them errors; PL068 (illustrative values) is a
note, listed so a policy officer sees which numbers to replace, and never fails a check.
Messages are in the officer's words.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .. import ir
from ..core.diagnostics import WARNING, Diagnostic
from .prove import atoms, satisfiable

NOTE = "note"


def implicit_facts(schema) -> set[tuple[str, str]]:
    """Facts the engines read without a rule naming them: the top entity's place fact
    (`household.jurisdiction` in the bundled rules), read by every parameter lookup and
    `applies in`."""
    return set() if schema.place_fact is None else {(schema.root.name, schema.place_fact)}


def lint(rules: ir.CheckedRules) -> list[Diagnostic]:
    """Every lint finding of a checked rule set, in file order."""
    findings: list[Diagnostic] = []
    for check in LINTS:
        findings.extend(check(rules))
    return sorted(findings, key=Diagnostic.sort_key)


def _warning(code: str, message: str, span, hint: str | None = None, severity=WARNING) -> Diagnostic:
    return Diagnostic(code, message, span, hint=hint, severity=severity)


def time_gaps(rules: ir.CheckedRules) -> list[Diagnostic]:
    """PL060: a place's values leave days uncovered between two periods; on those days the
    parent's value is used, which is rarely what the circular meant."""
    findings = []
    for parameter in rules.parameters.values():
        by_place = defaultdict(list)
        for value in parameter.values:
            by_place[value.place].append(value)
        for place, values in by_place.items():
            values.sort(key=lambda v: v.start or dt.date.min)
            for before, after in zip(values, values[1:]):
                if before.end and after.start and after.start > before.end + dt.timedelta(days=1):
                    fallback = _fallback(rules, parameter, place, before.end + dt.timedelta(days=1))
                    findings.append(_warning(
                        "PL060", f"parameter `{parameter.name}` has no value for `{place}` from "
                        f"{before.end + dt.timedelta(days=1)} to {after.start - dt.timedelta(days=1)}"
                        f"{fallback}", after.span,
                        hint=f"end the value of line {before.span.line} the day before this one "
                        "starts, or add a value for the days between"))
    return findings


def _fallback(rules, parameter: ir.Parameter, place: str, date: dt.date) -> str:
    for candidate in rules.schema.jurisdiction_chain(place)[1:]:
        for value in parameter.values:
            if value.place == candidate and value.in_force(date):
                return f" (it falls back to `{candidate}`, {value.value})"
    return " (and no parent has one either)"


def exceptions_never_fire(rules: ir.CheckedRules) -> list[Diagnostic]:
    """PL062: an exception whose own conditions contradict each other."""
    findings = []
    for program in rules.programs.values():
        for exception in program.exceptions:
            found = atoms(exception.conditions)
            if found is not None and found and not satisfiable(found):
                findings.append(_warning(
                    "PL062", f"exception `{exception.name}` of `{program.name}` can never apply: "
                    "its conditions contradict each other", exception.span,
                    hint="check the numbers and values its conditions compare with"))
    return findings


def base_shadowed(rules: ir.CheckedRules) -> list[Diagnostic]:
    """PL063: an exception in force everywhere the program is, for the same subjects, that
    applies whenever the base rule does — the base rule's amount is never paid."""
    findings = []
    for program in rules.programs.values():
        base = atoms(program.conditions)
        for exception in program.exceptions:
            if exception.scope != program.subject or exception.applies is not None:
                continue
            own = atoms(exception.conditions)
            if base is not None and own is not None and set(own) <= set(base):
                findings.append(_warning(
                    "PL063", f"exception `{exception.name}` applies whenever `{program.name}` "
                    "does, so the base rule never decides", exception.span,
                    hint="give the exception a condition of its own, or fold it into the rule"))
    return findings


def unused(rules: ir.CheckedRules) -> list[Diagnostic]:
    """PL064–PL066: parameters, definitions and facts nothing refers to."""
    used = _references(rules)
    findings = []
    for name, parameter in rules.parameters.items():
        if ("parameter", name) not in used:
            findings.append(_warning("PL064", f"parameter `{name}` is used by no program or "
                                     "definition", parameter.span, hint="remove it, or use it"))
    for (entity, name), definition in rules.definitions.items():
        if ("definition", entity, name) not in used:
            findings.append(_warning("PL065", f"definition `{name}` of {entity} is used nowhere",
                                     definition.span, hint="remove it, or use it"))
    implicit = implicit_facts(rules.schema)
    for entity in rules.schema.entities.values():
        for fact in entity.facts.values():
            key = (entity.name, fact.name)
            if not fact.is_key and key not in implicit and ("fact",) + key not in used:
                findings.append(_warning("PL066", f"fact `{fact.name}` of {entity.name} is read "
                                         "by no rule", fact.span,
                                         hint="remove it from the schema, or use it"))
    return findings


def _references(rules: ir.CheckedRules) -> set[tuple]:
    """What the definitions and programs (with their exceptions, triggers, notes…) read."""
    found = set()
    for node in ir.walk([list(rules.definitions.values()), list(rules.programs.values())]):
        if isinstance(node, (ir.ParameterRef, ir.ScaleLookup)):
            found.add(("parameter", node.name))
        elif isinstance(node, ir.DefinitionRef):
            found.add(("definition", node.entity, node.name))
        elif isinstance(node, ir.FactRef):
            found.add(("fact", node.entity, node.name))
    return found


def programs_without_examples(rules: ir.CheckedRules) -> list[Diagnostic]:
    """PL067: a program no example checks."""
    tested = {e.program for example in rules.examples for e in example.expectations}
    return [_warning("PL067", f"program `{name}` has no example", program.span,
                     hint="add an `example` beside it: eligible, not eligible, each exception")
            for name, program in rules.programs.items() if name not in tested]


def _in_english(label: str) -> str:
    """Diagnostics are in English: a label's English where it has one (`nodes.Label`)."""
    return getattr(label, "en", None) or label


def illustrative_values(rules: ir.CheckedRules) -> list[Diagnostic]:
    """PL068 (a note): every value the rules mark illustrative, for an officer to replace."""
    return [_warning("PL068", f"`{parameter.name}` for `{value.place or 'everywhere'}`"
                     f"{f' from {value.start}' if value.start else ''} = {value.value} is "
                     f"illustrative: {_in_english(value.citation.quote)}", value.span,
                     hint="replace it with the value of the real circular, and cite it",
                     severity=NOTE)
            for parameter in rules.parameters.values() for value in parameter.values
            if value.citation.illustrative]


LINTS = (time_gaps, exceptions_never_fire, base_shadowed, unused, programs_without_examples,
         illustrative_values)
