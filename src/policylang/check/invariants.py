"""The checks of `invariant` declarations: the program exists; a fact named by `monotone`
or `no cliff` is a number fact of the program's subject or of a record its subject holds
(a household's members); `amount of P` names a program that pays; `no cliff` compares an
amount with the fact it moves, so both are money of the same period.

>>> from policylang.syntax.parse import parse_text
>>> from policylang.check import check
>>> rules = check([parse_text('''entity household "家庭" / "household"
...   key id : text
...   fact assets "资产" / "assets" : money
... end
... invariant a: amount of aid >= 0
... invariant b: aid monotone decreasing in asets
... ''', "a.policy")])
Traceback (most recent call last):
...
policylang.core.diagnostics.PolicyError: unknown program `aid`
"""

from __future__ import annotations

from ..core.diagnostics import Diagnostic, did_you_mean
from ..ir.schema import Schema


def check_invariants(schema: Schema, programs: dict, invariants, written: dict | None = None
                     ) -> list[Diagnostic]:
    """The problems of `invariants`; `written` holds the programs as written (AST), which
    say whether a program pays even where its amount did not check (that error is its own)."""
    found = []
    for invariant in invariants:
        program = programs.get(invariant.program)
        if program is None:
            found.append(Diagnostic("PL016", f"unknown program `{invariant.program}`",
                                    invariant.span, hint=did_you_mean(invariant.program, programs)))
            continue
        if invariant.kind in ("amount_bound", "no_cliff") and not _pays(
                (written or {}).get(invariant.program, program)):
            found.append(Diagnostic(
                "PL020", f"`{program.name}` pays no amount: `{invariant.name}` cannot bound it",
                invariant.span, hint="name a program with an `amount`, or say `monotone`"))
            continue
        if invariant.fact is not None:
            found += _fact_problems(schema, program, invariant)
    return found


def invariant_fact(schema: Schema, program, name: str):
    """The entity and declared fact `name` an invariant moves: the subject's own fact, else
    a fact of an entity the subject holds."""
    subject = schema.entities.get(program.subject)
    if subject is None:
        return None, None
    if name in subject.facts:
        return subject, subject.facts[name]
    for held in subject.relations.values():
        entity = schema.entities[held]
        if name in entity.facts:
            return entity, entity.facts[name]
    return None, None


def _fact_problems(schema: Schema, program, invariant) -> list[Diagnostic]:
    entity, fact = invariant_fact(schema, program, invariant.fact)
    if fact is None:
        subject = schema.entities.get(program.subject)
        names = list(subject.facts) if subject else []
        for held in (subject.relations.values() if subject else ()):
            names += list(schema.entities[held].facts)
        return [Diagnostic("PL010", f"unknown name `{invariant.fact}`: no fact of "
                           f"`{program.subject}` or of what it holds", invariant.span,
                           hint=did_you_mean(invariant.fact, names))]
    if not fact.type.is_numeric and not fact.type.is_quantity:
        return [Diagnostic("PL020", f"`{invariant.fact}` is {fact.type}, not a number: it cannot "
                           "be raised or lowered", invariant.span,
                           hint="name a money, int or decimal fact")]
    if invariant.kind == "no_cliff":
        amounts = [program.amount] + [e.amount for e in program.exceptions]
        if fact.type.kind != "money" or any(a is not None and (a.unit != "CNY" or a.per != fact.type.per)
                                            for a in amounts):
            return [Diagnostic("PL021", f"`no cliff` compares `{program.name}`'s amount with "
                               f"`{invariant.fact}`: both must be yuan of the same period",
                               invariant.span, hint="use `monotone` for amounts of other kinds")]
    return []


def _pays(program) -> bool:
    return program.amount is not None or any(e.amount is not None for e in program.exceptions)
