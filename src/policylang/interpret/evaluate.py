"""Pass 3 — the reference interpreter: checked IR + one household + a date → decisions.

Walks the IR for each program and subject, with three-valued logic for unknown
facts, exact Decimal arithmetic, definitions memoised per record, and a trace
of every condition, comparison, parameter lookup and exception. One
`Evaluation` per household: nothing is shared between calls, so a `RuleSet`
can serve many threads.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from .. import ir
from .decisions import Decision, HouseholdDecisions
from ..core.diagnostics import Diagnostic
from .derivation import paid_amount
from .expressions import EvalError, ExpressionEvaluator
from .outputs import outputs_of
from .trace import ConditionResult, ExceptionResult, InputUse, ParameterUse
from ..core.limits import WHY_NOT_BUDGET
from ..core.values import Record, Unknown, unknown_in
from ..semantics.in_force import out_of_period, period_reason, place_reason
from ..semantics.logic import ALL_OF, ANY_OF, first_unknown, joined
from ..semantics.priority import clashing, highest_first
from ..semantics.reasons import Reason


class Evaluation(ExpressionEvaluator):
    """Decides every program for one household on one date."""

    def __init__(self, rules: ir.CheckedRules, household: Record, date: dt.date,
                 previous: Record | None = None):
        super().__init__(rules, household, date)
        self.decision_memo: dict[tuple[str, int], Decision] = {}
        self.in_progress: set[tuple[str, int]] = set()
        self.previous = previous
        self._previous_evaluation: Evaluation | None = None
        self.why_not = True  # compute distances for not_eligible decisions (see whynot.py)
        self.size = _records_in(household)  # what one why-not probe costs
        self.why_not_left = WHY_NOT_BUDGET
        self.derivations = True  # amounts carry how they were computed (derivation.py)

    def previous_evaluation(self) -> "Evaluation":
        """An evaluation of the previous snapshot, on the same date, made when first needed."""
        if self._previous_evaluation is None:
            self._previous_evaluation = Evaluation(self.rules, self.previous, self.date)
        return self._previous_evaluation

    def previous_counterpart(self, record: Record) -> Record | None:
        """The record of the previous snapshot with the same ids along the same relations."""
        if self.previous is None:
            return None
        steps = []
        while record.parent is not None:
            relation = self.rules.schema.entities[record.entity].parent_relation
            steps.append((relation, record.id))
            record = record.parent
        found = self.previous
        for relation, key in reversed(steps):
            held = found.relations.get(relation)
            if isinstance(held, Unknown) or key is None:
                return None
            found = next((r for r in held if r.id == key), None)
            if found is None:
                return None
        return found

    # ------------------------------------------------------------ all decisions
    def run(self, household_id: str, programs: tuple[str, ...] | None = None) -> HouseholdDecisions:
        """Decide `programs` (all by default) for every subject they apply to.

        >>> import datetime as dt, policylang
        >>> rules = policylang.load("rules")
        >>> household = policylang.read_facts("examples/kunming-edge-family.json", rules)[0]
        >>> evaluation = Evaluation(rules.rules, household.record, dt.date(2023, 8, 1))
        >>> decided = evaluation.run(household.id, ("dibao",))
        >>> str(decided.find("dibao").reason), str(decided.find("dibao", "p2").reason)
        ('not met: income_test', 'by exception single_person')
        """
        decisions, errors = [], []
        chosen = programs if programs is not None else tuple(self.rules.programs)
        for program in (self.rules.programs[name] for name in chosen):
            for entity in program.subject_entities():
                for record in self.records_of(entity):
                    try:
                        decision = self.decide(program.name, record)
                    except EvalError as error:
                        errors.append(_runtime_error(error, program, record))
                        continue
                    if entity != program.subject and decision.outcome == "not_applicable":
                        continue  # the exception is not in force here: no member decisions
                    if self.why_not and decision.outcome == "not_eligible":
                        decision = self._with_distances(decision, record)
                    decisions.append(decision)
        outputs = outputs_of(self, errors) if programs is None else ()
        return HouseholdDecisions(household_id, tuple(decisions), tuple(errors),
                                  kind=self.rules.schema.root.name, outputs=outputs)

    def _with_distances(self, decision: Decision, record: Record) -> Decision:
        """Add the verified changes that would grant the decision, and how far each failing
        numeric condition is from holding (see whynot.py)."""
        from .whynot_probe import with_why_not
        return with_why_not(self, decision, record)

    def records_of(self, entity: str) -> list[Record]:
        """Every record of `entity` in the household (members, events, the household)."""
        schema = self.rules.schema
        chain = list(reversed(schema.chain(entity)))
        records = [self.household]
        for name in chain[1:]:
            relation = schema.entities[name].parent_relation
            found = []
            for record in records:
                held = record.relations.get(relation)
                if not isinstance(held, Unknown):
                    found.extend(held)
            records = found
        return records

    # ------------------------------------------------------------ one decision
    def decision_value(self, program: str, record: Record):
        decision = self.decide(program, record)
        if decision.outcome == "unknown":
            return Unknown(frozenset(decision.missing))
        return decision.outcome == "eligible"

    def decision_amount(self, program: str, record: Record):
        """What `program` pays `record`: its amount when eligible, 0 when it is refused or
        does not apply, unknown when undecided (`amount of P`)."""
        decision = self.decide(program, record)
        if decision.outcome == "unknown":
            return Unknown(frozenset(decision.missing))
        if decision.outcome == "eligible" and decision.amount is not None:
            return decision.amount.value
        return Decimal(0)

    def decide(self, program_name: str, record: Record) -> Decision:
        key = (program_name, id(record))
        if key in self.decision_memo:
            return self.decision_memo[key]
        if key in self.in_progress:  # the checker rejects cycles; this guards the engine
            raise EvalError("PL205", f"`{program_name}` depends on itself", self.rules.programs[program_name].span)
        self.in_progress.add(key)
        self.push_frame()
        try:
            decision = self._decide(self.rules.programs[program_name], record)
        finally:
            self.pop_frame()
            self.in_progress.discard(key)
        self.decision_memo[key] = decision
        return decision

    def _decide(self, program: ir.Program, record: Record) -> Decision:
        base = record.entity == program.subject
        exceptions = [e for e in program.exceptions if e.scope == record.entity]
        if not base and all(out_of_period(e.applies, self.date) for e in exceptions):
            return self._decision(program, record, Reason("no_exception_in_force", date=self.date))
        where = self._applicability(program.applies)
        if where is not None:
            return self._decision(program, record, *where)
        if program.needs_previous and self.previous is None:
            return self._decision(program, record, Reason("no_previous"))
        results = [self._exception(e) for e in exceptions]
        if not base:
            return self._scoped_decision(program, record, exceptions, results)
        conditions = self.conditions(program.conditions, record)
        outcome, missing = joined((c.value for c in conditions), ALL_OF)
        reason = _base_reason(outcome, conditions)
        triggers = self.conditions(program.triggers, record) if program.triggers else ()
        if triggers and outcome == "eligible":
            outcome, missing = joined((t.value for t in triggers), ANY_OF)
            reason = _trigger_reason(outcome, triggers)
        fired = self._fired(exceptions, results, record)
        results = [r for r in results if r is not None] + self._not_in_force(program, record)
        if fired is not None:
            exception, result = fired
            return self._paid(program, record, exception.amount, Reason("by_exception", exception.name),
                              (), conditions, results, by=exception.name)
        undecided = [r for r in results if r is not None and r.fired is None]
        if undecided:
            unknowns = [c.value for r in undecided for c in r.conditions]
            if outcome != "unknown":
                reason = _exception_unknown(undecided)
            outcome, missing = "unknown", tuple(sorted(set(missing) | _missing(unknowns)))
        if outcome == "eligible":
            outcome, missing, yielded = self._yield(program, record)
            if yielded:
                return self._decision(program, record, Reason("yielded", yielded),
                                      conditions=conditions, exceptions=results, yielded_to=yielded)
            if outcome == "unknown":
                reason = Reason("unknown_yields", programs=tuple(program.yields_to))
        return self._paid(program, record, program.amount, reason, missing,
                          conditions, results, triggers=triggers)

    def _scoped_decision(self, program, record, exceptions, results) -> Decision:
        """A decision an exception makes for another kind of subject (each member)."""
        if all(r is None for r in results):
            return self._decision(program, record, Reason("no_exception_in_force", date=self.date))
        fired = self._fired(exceptions, results, record)
        applicable = [(e, r) for e, r in zip(exceptions, results) if r is not None]
        results = [r for _, r in applicable]
        if fired is not None:
            exception, result = fired
            return self._paid(program, record, exception.amount, Reason("by_exception", exception.name),
                              (), (), results, by=exception.name)
        values = [c.value for _, r in applicable for c in r.conditions]
        undecided = [r for _, r in applicable if r.fired is None]
        if undecided:
            return self._decision(program, record, _exception_unknown(undecided), exceptions=results,
                                  missing=tuple(sorted(_missing(values))))
        failing = next(f"{e.name}.{c.name}" for e, r in applicable for c in r.conditions
                       if c.value is False)
        return self._decision(program, record, Reason("not_covered_alone", failing),
                              exceptions=results)

    def _applicability(self, applies: ir.Applicability | None) -> tuple[Reason, tuple] | None:
        """Why a clause does not apply here on this date, and the facts that would tell,
        or None when it applies (semantics/in_force.py)."""
        if applies is None:
            return None
        reason = period_reason(applies, self.date)
        if reason is None and applies.places:
            place_fact = self.rules.schema.place_fact
            place = self.household.facts.get(place_fact)
            if isinstance(place, Unknown):
                return Reason("unknown_place", place_fact), tuple(sorted(place.missing))
            reason = place_reason(applies, place, self.place_chain(place))
        return None if reason is None else (reason, ())

    def _exception(self, exception: ir.Exception_) -> ExceptionResult | None:
        """None when the exception is not in force here; otherwise its evaluated conditions."""
        if self._applicability(exception.applies) is not None:
            return None
        return ExceptionResult(exception.name, exception.label, None, (), exception.citations)

    def _not_in_force(self, program: ir.Program, record: Record) -> list[ExceptionResult]:
        """Exceptions that are not in force here, so the base decision can say why they did
        not apply (the single-person rule outside Kunming, a clause not yet in force)."""
        skipped = []
        for exception in program.exceptions:
            where = self._applicability(exception.applies)
            if where is not None:
                skipped.append(ExceptionResult(exception.name, exception.label, False, (),
                                               exception.citations, not_in_force=where[0]))
        return skipped

    def _fired(self, exceptions, results, record):
        """Evaluate the exceptions in force; the one of highest priority that fires wins."""
        fired = []
        for i, (exception, result) in enumerate(zip(exceptions, results)):
            if result is None:
                continue
            conditions = self.conditions(exception.conditions, record)
            outcome, _ = joined((c.value for c in conditions), ALL_OF)
            verdict = {"eligible": True, "not_eligible": False}.get(outcome)
            results[i] = ExceptionResult(exception.name, exception.label, verdict, conditions,
                                         exception.citations)
            if verdict:
                fired.append((exception, results[i]))
        if clashing([e for e, _ in fired]):
            names = ", ".join(e.name for e, _ in fired)
            raise EvalError("PL204", f"exceptions {names} all apply with no priority between them",
                            fired[1][0].span)
        ranked = highest_first([e for e, _ in fired])
        return next(pair for pair in fired if pair[0] is ranked[0]) if fired else None

    def _yield(self, program: ir.Program, record: Record):
        missing: set[str] = set()
        for other in program.yields_to:
            value = self.decision_value(other, record)
            if value is True:
                return "not_eligible", (), other
            if isinstance(value, Unknown):
                missing |= value.missing
        if missing:
            return "unknown", tuple(sorted(missing)), None
        return "eligible", (), None

    # ------------------------------------------------------------ conditions and amounts
    def conditions(self, conditions, record: Record) -> tuple[ConditionResult, ...]:
        results, failed = [], False
        for condition in conditions:
            try:
                value, comparisons, definitions = self.traced(condition.test, record)
                note = None
            except EvalError as error:
                if not failed:
                    raise
                value, comparisons, definitions = None, (), ()
                note = f"not evaluated: {error.diagnostic.message}"
            failed = failed or value is False
            results.append(ConditionResult(condition.name, condition.label, value, condition.span,
                                           comparisons, definitions, note))
        return tuple(results)

    def _paid(self, program, record, amount_rule, reason: Reason, missing, conditions, results,
              by=None, triggers=()):
        """The decision with what an outcome brings: the amount when eligible (its facts
        missing make it unknown), the payee, the reports and the notes."""
        amount = paid_to = None
        if reason.outcome == "eligible" and amount_rule is not None:
            value = self.value(amount_rule.value, record)
            if isinstance(value, Unknown):
                reason, missing = Reason("unknown_amount"), tuple(sorted(value.missing))
            else:
                amount = paid_amount(self, value, amount_rule, record)
        eligible = reason.outcome == "eligible"
        reports, notes = {}, ()
        if record.entity == program.subject:  # these clauses are written for the subject
            if eligible and program.paid_to is not None:
                payee, when = program.paid_to
                if self.value(when, record) is True:
                    paid_to = payee
            if eligible:
                reports = {r.name: self.value(r.value, record) for r in program.reports}
            notes = tuple(n.text for n in program.notes
                          if n.when is None or self.value(n.when, record) is True)
        return self._decision(program, record, reason, missing, amount=amount, by=by,
                              paid_to=paid_to, conditions=conditions, exceptions=results,
                              triggers=triggers, reports=reports, notes=notes)

    def _decision(self, program, record, reason: Reason, missing=(), **fields) -> Decision:
        citations = program.citations
        if fields.get("by"):
            exception = next(e for e in program.exceptions if e.name == fields["by"])
            quoted = {(c.source, c.quote) for c in exception.citations}
            citations = exception.citations + tuple(
                c for c in citations if (c.source, c.quote) not in quoted)
        used = self.frames[-1].values()  # the lookups this decision made, and its inputs
        parameters = tuple(u for u in used if isinstance(u, ParameterUse))
        inputs = tuple(sorted((u for u in used if isinstance(u, InputUse)), key=lambda u: u.path))
        return Decision(
            program.name, program.label_zh, program.label_en, record.entity,
            record.id or "", reason.outcome, fields.pop("amount", None), program.span.file,
            program.span.line, citations, reason, missing=tuple(missing),
            parameters=parameters, inputs=inputs, **fields)


# ---------------------------------------------------------------- helpers
def _missing(values) -> set[str]:
    unknown = unknown_in(*values)
    return set(unknown.missing) if unknown else set()


def _base_reason(outcome: str, conditions) -> Reason:
    """The reason the program's own conditions give: the first that fails, or the first
    that is unknown."""
    if outcome == "not_eligible":
        return Reason("not_met", next(c.name for c in conditions if c.value is False))
    if outcome == "unknown":
        return Reason("unknown_condition", first_unknown((c.name, c.value) for c in conditions))
    return Reason("eligible")


def _trigger_reason(outcome: str, triggers) -> Reason:
    if outcome == "not_eligible":
        return Reason("no_trigger")
    if outcome == "unknown":
        return Reason("unknown_trigger", first_unknown((t.name, t.value) for t in triggers))
    return Reason("eligible")


def _exception_unknown(undecided) -> Reason:
    """An exception in force that cannot be decided: its first unknown condition."""
    for result in undecided:
        name = first_unknown((c.name, c.value) for c in result.conditions)
        if name is not None:
            return Reason("unknown_condition", f"{result.name}.{name}")
    return Reason("unknown")


def _runtime_error(error: EvalError, program: ir.Program, record: Record) -> Diagnostic:
    d = error.diagnostic
    return attrs.evolve(d, message=f"{program.name} for {record.entity} {record.id}: {d.message}",
                        json_path=record.path or "$")


__all__ = ["Evaluation"]


def _records_in(record: Record) -> int:
    """How many records a household holds, itself included: what re-evaluating it costs."""
    held = [r for rs in record.relations.values() if not isinstance(rs, Unknown) for r in rs]
    return 1 + sum(_records_in(r) for r in held)
