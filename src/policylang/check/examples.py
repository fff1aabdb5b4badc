"""Step 6 of the checker: the `example` blocks name programs and exceptions that exist, and
change facts the schema has — a misspelt name or path is found by `check`, at its line, not
when `policylang test` runs the example."""

from __future__ import annotations

from ..core.diagnostics import Diagnostic, did_you_mean
from ..ir.schema import Schema
from ..syntax import nodes


def check_examples(schema: Schema, programs: dict, examples, outputs=frozenset()) -> list[Diagnostic]:
    """PL016 for an expectation about an unknown program or exception, PL010 for a `with`
    path the schema does not have.

    >>> from policylang.syntax.parse import parse_text
    >>> from policylang.check import check
    >>> rules = check([parse_text('''entity household "家庭" / "household"
    ...   key id : text
    ...   fact assets "资产" / "assets" : money
    ... end
    ... ''', "a.policy")])
    >>> example = parse_text('''example "x" on 2023-08-01
    ...   facts "h.json"
    ...   with asets = "1.00"
    ...   expect dibao eligible
    ... end
    ... ''', "b.policy").declarations[0]
    >>> [(d.code, d.hint) for d in check_examples(rules.schema, {}, [example])]
    [('PL010', 'did you mean `assets`?'), ('PL016', None)]
    """
    found = []
    for example in examples:
        found += [d for o in example.overrides if (d := _override_problem(schema, o))]
        for expect in example.expectations:
            program = programs.get(expect.program)
            if expect.outcome == "value":  # `expect NAME = V` is about an output
                if expect.program not in outputs:
                    found.append(Diagnostic("PL016", f"no output `{expect.program}`", expect.span,
                                            hint=did_you_mean(expect.program, outputs) or
                                            "`expect NAME = value` checks an `output` definition"))
            elif program is None:
                found.append(Diagnostic("PL016", f"unknown program `{expect.program}`",
                                        expect.span, hint=did_you_mean(expect.program, programs)))
            elif expect.by and expect.by not in {e.name for e in program.exceptions}:
                found.append(Diagnostic(
                    "PL016", f"`{expect.program}` has no exception `{expect.by}`", expect.span,
                    hint=did_you_mean(expect.by, [e.name for e in program.exceptions])))
    return found


def _override_problem(schema: Schema, override: nodes.Override) -> Diagnostic | None:
    """What is wrong with `with PATH = VALUE`, if anything: each step a list (followed by an
    index) or, last, a fact or a whole list of the entity reached so far."""
    entity = next((e for e in schema.entities.values() if e.parent is None), None)
    steps = list(override.path)
    while entity is not None and steps:
        step = steps.pop(0)
        if isinstance(step, int):
            continue
        if step in entity.relations and steps and isinstance(steps[0], int):
            entity = schema.entities[entity.relations[step]]
        elif (step in entity.facts or step in entity.relations) and not steps:
            return None  # a fact, or a whole list (`with members = []`)
        else:
            known = list(entity.facts) + list(entity.relations)
            return Diagnostic(
                "PL010", f"the example changes `{_written(override.path)}`, but "
                f"{_a(entity.name)} has no fact or list `{step}`", override.span,
                hint=did_you_mean(step, known) or f"{entity.name} has {', '.join(known)}")
    return None


def _written(path: tuple) -> str:
    """`persons[1].earnings`, as an example writes a path."""
    return "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in path).lstrip(".")


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun
