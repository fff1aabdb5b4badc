"""Output definitions: the values a rule set declares results of their own (`definition …
output = …`), computed for every record of their entity after the decisions, each with the
values it read, so that they are explained and written like decisions."""

from __future__ import annotations

import attrs

from .. import ir
from .expressions import EvalError
from .trace import Output


def outputs_of(evaluation, errors: list) -> tuple[Output, ...]:
    """Every `output` definition for every record of its entity, with what it read; an
    evaluation error is the household's error, as a decision's is."""
    found = []
    for (entity, name), definition in evaluation.rules.definitions.items():
        if not definition.output:
            continue
        ref = ir.DefinitionRef(entity, name, 0, definition.type, definition.span)
        for record in evaluation.records_of(entity):
            try:
                value, _, uses = evaluation.traced(ref, record)
            except EvalError as error:
                d = error.diagnostic
                errors.append(attrs.evolve(d, message=f"output {name} for {entity} "
                                           f"{record.id}: {d.message}", json_path=record.path or "$"))
                continue
            found.append(Output(name, definition.label, entity, record.id or "", value,
                                definition.type, uses))
    return tuple(found)
