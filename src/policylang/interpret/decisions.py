"""Decision records: what the interpreter concludes for each program and subject, with
the trace that explains it. Records only: their JSON form (CONTRACT §3) and every
explanation are written by `policylang.explain`, which reads these records."""

from __future__ import annotations

import attrs

from ..core.diagnostics import Diagnostic
from ..ir import Citation
from .trace import Amount, ConditionResult, ExceptionResult, InputUse, ParameterUse
from ..semantics.reasons import Reason

OUTCOMES = ("eligible", "not_eligible", "unknown", "not_applicable")


@attrs.frozen
class Decision:
    """One program's decision for one subject, with the trace that explains it."""

    program: str
    label_zh: str
    label_en: str | None
    subject_kind: str
    subject_id: str
    outcome: str
    amount: Amount | None
    rule_file: str
    rule_line: int
    citations: tuple[Citation, ...]
    reason: Reason  # why: its kind, the clause that decided, and that clause's values
    by: str | None = None  # the exception that decided, if any
    paid_to: str | None = None
    conditions: tuple[ConditionResult, ...] = ()
    exceptions: tuple[ExceptionResult, ...] = ()
    parameters: tuple[ParameterUse, ...] = ()
    missing: tuple[str, ...] = ()
    yielded_to: str | None = None
    triggers: tuple[ConditionResult, ...] = ()
    reports: dict = attrs.field(factory=dict)
    notes: tuple[str, ...] = ()
    distances: dict = attrs.field(factory=dict)  # condition → whynot.Gap
    why_not: object = None  # whynot.WhyNot: the verified changes that would grant it
    inputs: tuple[InputUse, ...] = ()  # the defaults it assumed and the values given for it


def declarations_read(d: Decision) -> set[tuple[str, str]]:
    """What the decision read, as (kind, name): its program, the parameters it looked up, the
    definitions and decisions behind its conditions and its amount — what a reform may
    have changed under it."""
    found = {("program", d.program)} | {("parameter", p.name) for p in d.parameters}
    results = [*d.conditions, *d.triggers, *(c for e in d.exceptions for c in e.conditions)]
    stack = [use for c in results for use in c.definitions]
    while stack:
        use = stack.pop()
        if use.kind in ("definition", "decision", "amount"):
            found.add(("program" if use.kind != "definition" else "definition", use.name))
        stack.extend(use.children)
    if d.amount is not None:
        found |= {("definition", f.name) for f in d.amount.derivation if f.name}
    return found


@attrs.frozen
class HouseholdDecisions:
    """Every decision for one household (one record of the top entity), and the errors
    that stopped some of them."""

    household: str  # the top record's id
    decisions: tuple[Decision, ...]
    errors: tuple[Diagnostic, ...]
    kind: str = attrs.field(default="", kw_only=True)  # the top entity's name in the rules
    # the facts decided on (`core.values.Record`), for explanations to name people and facts
    record: object = attrs.field(default=None, kw_only=True, eq=False, repr=False)
    outputs: tuple = attrs.field(default=(), kw_only=True)  # trace.Output, per record

    def find(self, program: str, subject: str | None = None) -> Decision | None:
        """The decision of `program` for `subject` (an id of a record under the top one;
        the top record itself when None)."""
        for decision in self.decisions:
            if decision.program != program:
                continue
            top = decision.subject_kind == self.kind
            if subject is None and top:
                return decision
            if subject is not None and decision.subject_id == subject and (
                    not top or subject == self.household):
                return decision
        return None
