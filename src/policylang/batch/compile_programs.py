"""Pass 4, continued — programs → outcome, amount and reason columns.

Mirrors `Evaluation._decide` (evaluate.py) step by step, as `when/then` chains:
applicability (period by the screening date, place by the household's
jurisdiction), conditions joined three-valued, triggers, exceptions by priority,
yielding to other programs, then the amount with the rule's rounding. The
`reason` column holds the decision's reason (semantics/reasons.py) as a code of the
rules' reason vocabulary, the same reasons the interpreter records.
"""

from __future__ import annotations

import datetime as dt
import attrs
import polars as pl

from .. import ir
from .columns import DECIMAL, Col, either, when_true
from .compile_expressions import Compiler
from .compile_clauses import PER, UNIT, ClauseColumns
from .frames import FramePlan
from ..semantics.in_force import in_places, out_of_period
from ..semantics.logic import ALL_OF, ANY_OF, Join
from ..semantics.reasons import Reason, table_texts, vocabulary

OUTCOME = pl.Enum(["eligible", "not_eligible", "unknown", "not_applicable"])


@attrs.frozen
class DecisionCols:
    """One program's decision for every record of one frame, as columns of that frame."""

    outcome: pl.Expr
    amount: pl.Expr
    unit: pl.Expr
    per: pl.Expr
    reason: pl.Expr
    error: pl.Expr | None


@attrs.frozen
class Verdict:
    """Conditions joined by *and* (or triggers by *or*): decided, unknown, and raised."""

    holds: pl.Expr
    fails: pl.Expr
    error: pl.Expr | None
    first_unknown: pl.Expr  # the name of the first unknown one, null if none
    first_false: pl.Expr  # the name of the first one known false, null if none


class ProgramCompiler(ClauseColumns):
    """Compiles decisions on demand; each is compiled once per frame and stored."""

    def __init__(self, rules: ir.CheckedRules, date: dt.date, plan: FramePlan,
                 relations_known: dict[str, bool], gaps: frozenset[str] = frozenset()):
        self.rules = rules
        self.date = date
        self.plan = plan
        self.expressions = Compiler(rules, date, plan, relations_known, self.eligible, gaps,
                                    self.amount_of)
        self._decisions: dict[tuple[str, str], DecisionCols] = {}
        self._verdicts: dict[tuple, Verdict] = {}
        self._memo: dict[tuple, object] = {}  # columns stored once and read by many steps
        self.reasons = pl.Enum(table_texts(vocabulary(rules, date)))

    # ------------------------------------------------------------ entry points
    def eligible(self, program: str, frame: str) -> Col:
        """`eligible for P` as a three-valued column (what `decision_value` returns)."""
        key = ("eligible", program, frame)
        if key not in self._memo:
            d = self.decide(program, frame)
            value = (pl.when(d.outcome == "eligible").then(True)
                     .when(d.outcome == "unknown").then(None).otherwise(False))
            self._memo[key] = Col(self.keep(frame, value), None, d.error)
        return self._memo[key]

    def amount_of(self, program: str, frame: str) -> Col:
        """`amount of P`: the amount where eligible, 0 where refused or not applicable, null
        where undecided (the interpreter's `decision_amount`)."""
        key = ("amount", program, frame)
        if key not in self._memo:
            d = self.decide(program, frame)
            value = (pl.when(d.outcome == "eligible").then(d.amount.cast(DECIMAL))
                     .when(d.outcome == "unknown").then(None)
                     .otherwise(pl.lit(0, dtype=DECIMAL)))
            self._memo[key] = Col(self.keep(frame, value), None, d.error)
        return self._memo[key]

    def decide(self, name: str, frame: str) -> DecisionCols:
        key = (name, frame)
        if key not in self._decisions:
            program = self.rules.programs[name]
            built = (self._base(program, frame) if frame == program.subject
                     else self._scoped(program, frame))
            self._decisions[key] = self._stored(frame, built)
        return self._decisions[key]

    def _stored(self, frame: str, d: DecisionCols) -> DecisionCols:
        """Store the outcome and the error flag, which other decisions read; the amount,
        unit, period and reason stay expressions over stored columns, computed only if
        the decision is written out (a program only referred to never needs them)."""
        add = self.plan.add
        return attrs.evolve(
            d, outcome=pl.col(add(frame, d.outcome, "out")),
            error=None if d.error is None else pl.col(add(frame, d.error, "err")))

    # ------------------------------------------------------------ applicability
    def _jurisdiction(self, frame: str) -> pl.Expr:
        root = self.plan.root
        ref = ir.FactRef(root, self.rules.schema.place_fact, 0 if frame == root else 1, None, None)
        return self.expressions.value(ref, frame).value

    def _in_places(self, places: tuple[str, ...], frame: str) -> pl.Expr:
        """True where the household's jurisdiction lies within one of `places` (never null)."""
        key = ("in places", places, frame)
        if key not in self._memo:
            schema = self.rules.schema
            inside = [p for p in schema.places if in_places(places, schema.jurisdiction_chain(p))]
            self._memo[key] = self.keep(frame, self._jurisdiction(frame).is_in(inside).fill_null(False))
        return self._memo[key]

    def _out_of_period(self, applies: ir.Applicability | None) -> bool:
        return out_of_period(applies, self.date)

    def _in_force(self, exception: ir.Exception_, frame: str) -> pl.Expr:
        applies = exception.applies
        if applies is None:
            return pl.lit(True)
        if self._out_of_period(applies):
            return pl.lit(False)
        return self._in_places(applies.places, frame) if applies.places else pl.lit(True)

    def _not_applicable(self, program: ir.Program, frame: str):
        """(where, reason) of households the program does not apply to (where None: all of
        them), or None if it applies everywhere. In the interpreter's order: period, then
        the previous snapshot (screening has none), then place."""
        if self._out_of_period(program.applies):
            return None, self.why(Reason("out_of_period", date=self.date))
        if program.applies is None or not program.applies.places:
            return (None, self.why(Reason("no_previous"))) if program.needs_previous else None
        place = self._jurisdiction(frame)
        outside = place.is_not_null() & ~self._in_places(program.applies.places, frame)
        reason = place.replace_strict({p: Reason("out_of_place", place=p).table_text()
                                       for p in self.rules.schema.places},
                                      default=None, return_dtype=self.reasons)
        if program.needs_previous:  # screening has no previous snapshot: nowhere else either
            return place.is_not_null(), pl.when(outside).then(reason).otherwise(
                self.why(Reason("no_previous")))
        return outside, reason

    # ------------------------------------------------------------ conditions
    def _verdict(self, conditions: tuple[ir.Condition, ...], frame: str, join: Join = ALL_OF,
                 owner: str | None = None) -> Verdict:
        """Conditions joined by *and* (triggers by *or*, `join=ANY_OF`), three-valued; an
        error counts only where no earlier condition already failed (as `conditions`).
        Each condition is stored once as columns and read by every later step. `owner` is
        the exception the conditions belong to (reasons name them `exception.condition`)."""
        key = (id(conditions), frame, join, owner)
        if key not in self._verdicts:
            cols = [self.expressions.store(frame, _absent_as(
                self.expressions.value(c.test, frame), join.absent_counts_as), "cond")
                for c in conditions]
            joined = self._joined(conditions, cols, join, owner)
            self._verdicts[key] = Verdict(
                self.keep(frame, joined.holds), self.keep(frame, joined.fails),
                None if joined.error is None else self.keep(frame, joined.error),
                self.keep(frame, joined.first_unknown), self.keep(frame, joined.first_false))
        return self._verdicts[key]

    def why(self, reason: Reason | None) -> pl.Expr:
        """A reason as a code of the rules' reason vocabulary (an Enum: cheap to compare
        and copy, written as its table text)."""
        return pl.lit(None if reason is None else reason.table_text(), dtype=self.reasons)

    def _joined(self, conditions, cols: list[Col], join: Join, owner: str | None) -> Verdict:
        """The columns of `semantics.logic.joined`, and the reasons naming the first unknown
        and the first failing condition."""
        if not cols:  # no conditions: *and* of nothing holds, *or* of nothing does not
            return Verdict(pl.lit(not join.decisive), pl.lit(join.decisive), None,
                           self.why(None), self.why(None))
        errors, failed = [], pl.lit(False)
        for col in cols:
            errors.append(when_true(~failed, col.error))
            failed = failed | col.is_(False)
        settled = pl.any_horizontal([c.is_(join.decisive) for c in cols])
        unknown = pl.any_horizontal([c.unknown() for c in cols])
        holds = settled if join.decisive else ~settled & ~unknown
        fails = ~settled & ~unknown if join.decisive else settled
        clause = (lambda c: c.name) if owner is None else (lambda c: f"{owner}.{c.name}")
        unknown_kind = "unknown_trigger" if join is ANY_OF else "unknown_condition"
        first_unknown = self._first(conditions, [c.unknown() for c in cols],
                                    lambda c: Reason(unknown_kind, clause(c)))
        first_false = self.why(None) if join is ANY_OF else self._first(
            conditions, [c.is_(False) for c in cols], lambda c: Reason("not_met", clause(c)))
        return Verdict(holds, fails, either(*errors), first_unknown, first_false)

    def _first(self, conditions, flags: list[pl.Expr], reason_of) -> pl.Expr:
        """The reason naming the first condition whose flag holds, null if none."""
        first = self.why(None)
        for condition, flag in reversed(list(zip(conditions, flags))):
            first = pl.when(flag).then(self.why(reason_of(condition))).otherwise(first)
        return first

    def keep(self, frame: str, expr: pl.Expr) -> pl.Expr:
        """Store an intermediate result as a column, so the expressions that read it
        several times do not compute it again."""
        return pl.col(self.plan.add(frame, expr, "k"))

    # ------------------------------------------------------------ base decisions
    def _base(self, program: ir.Program, frame: str) -> DecisionCols:
        """A decision for the program's own subject: conditions, then triggers (`_decide`)."""
        skip = self._not_applicable(program, frame)
        if skip is not None and skip[0] is None:
            return _constant_decision("not_applicable", skip[1])
        if program.needs_previous:
            return self._without_previous(program, frame, skip)
        conditions = self._verdict(program.conditions, frame)
        outcome = pl.when(conditions.fails).then(_is("not_eligible")).when(
            ~conditions.holds).then(_is("unknown"))
        reason = pl.when(conditions.fails).then(conditions.first_false)
        error = conditions.error
        if program.triggers:
            triggers = self._verdict(program.triggers, frame, ANY_OF)
            outcome = outcome.when(triggers.fails).then(_is("not_eligible")).when(
                ~triggers.holds).then(_is("unknown"))
            reason = reason.when(conditions.holds & triggers.fails).then(self.why(Reason("no_trigger")))
            error = either(error, triggers.error)
        base = self.keep(frame, outcome.otherwise(_is("eligible")))
        return self._finish(program, frame, base, reason, error, conditions,
                            triggers if program.triggers else None, skip)

    def _finish(self, program, frame, base, reason, error, conditions, triggers, skip):
        """From the conditions' outcome to the decision: an exception that fires wins, an
        unknown one makes it unknown, then yielding, then the amount — in `_decide`'s order;
        the reason names the clause that decided."""
        exceptions = [e for e in program.exceptions if e.scope == frame]
        fired, unknown, exc_error, exc_unknown_name = self._exceptions(exceptions, frame)
        yielded, yield_unknown, yield_error, yielded_to = self._yields(program, frame)
        eligible_so_far = self.keep(frame, (base == "eligible") & ~fired & ~unknown)
        amount, amount_unknown, unit, per, base_error, own_error = self._amount(
            program, exceptions, frame)
        outcome = self.keep(frame, (pl.when(fired & ~amount_unknown).then(_is("eligible"))
                   .when(fired).then(_is("unknown"))
                   .when(unknown).then(_is("unknown"))
                   .when(base != "eligible").then(base)
                   .when(yielded).then(_is("not_eligible"))
                   .when(yield_unknown | amount_unknown).then(_is("unknown"))
                   .otherwise(_is("eligible"))))
        why_unknown = (pl.when(fired).then(self.why(Reason("unknown_amount")))
                       .when(conditions.first_unknown.is_not_null() & ~conditions.fails)
                       .then(conditions.first_unknown))
        if triggers is not None:
            why_unknown = why_unknown.when(conditions.holds & triggers.first_unknown.is_not_null()
                                           & ~triggers.holds).then(
                triggers.first_unknown)
        why_unknown = (why_unknown.when(unknown).then(exc_unknown_name)
                       .when(yield_unknown).then(self.why(Reason("unknown_yields", programs=tuple(program.yields_to))
                                                 if program.yields_to else None))
                       .otherwise(self.why(Reason("unknown_amount"))))
        reason = (pl.when(outcome == "eligible").then(
                      pl.when(fired).then(self._fired_name(exceptions, frame)).otherwise(self.why(Reason("eligible"))))
                  .when(outcome == "unknown").then(why_unknown)
                  .when(yielded & eligible_so_far).then(yielded_to)
                  .otherwise(reason.otherwise(self.why(None))))
        paid = (outcome == "eligible")
        extra_error = self._clause_errors(program, frame, paid, reached=~(yielded & eligible_so_far))
        error = either(error, exc_error, when_true(eligible_so_far, yield_error),
                       when_true(eligible_so_far & ~yielded & ~yield_unknown, base_error), own_error,
                       extra_error)
        return self._applied(program, frame, skip, outcome, amount, unit, per, reason, error)

    def _without_previous(self, program: ir.Program, frame: str, skip) -> DecisionCols:
        """A program that needs the previous snapshot: not applicable wherever the place is
        known (its conditions are never evaluated), unknown where it is not."""
        return self._applied(program, frame, skip, _is("not_applicable"), pl.lit(None, dtype=DECIMAL),
                             pl.lit(None, dtype=UNIT), pl.lit(None, dtype=PER), self.why(None),
                             None)

    def _applied(self, program, frame, skip, outcome, amount, unit, per, reason, error):
        """Put applicability in front: where the program is limited to places, an unknown
        jurisdiction makes it unknown; then places outside make it not applicable."""
        if program.applies is not None and program.applies.places:
            place = self._jurisdiction(frame)
            outcome = pl.when(place.is_null()).then(_is("unknown")).otherwise(outcome)
            reason = pl.when(place.is_null()).then(self.why(Reason("unknown_place", self.rules.schema.place_fact))).otherwise(reason)
            error = None if error is None else place.is_not_null() & error
        if skip is not None:
            outcome = pl.when(skip[0]).then(_is("not_applicable")).otherwise(outcome)
            reason = pl.when(skip[0]).then(skip[1]).otherwise(reason)
            error = None if error is None else ~skip[0] & error
        paid = (outcome == "eligible")
        return DecisionCols(outcome.cast(OUTCOME), pl.when(paid).then(amount),
                            pl.when(paid).then(unit), pl.when(paid).then(per),
                            reason, error)

    # ------------------------------------------------------------ scoped decisions
    def _scoped(self, program: ir.Program, frame: str) -> DecisionCols:
        """A decision an exception makes for another kind of subject (each member)."""
        exceptions = [e for e in program.exceptions if e.scope == frame]
        if all(self._out_of_period(e.applies) for e in exceptions):
            return _constant_decision("not_applicable", self.why(Reason("no_exception_in_force", date=self.date)))
        skip = self._not_applicable(program, frame)
        if skip is not None and skip[0] is None:
            return _constant_decision("not_applicable", skip[1])
        if program.needs_previous:
            return self._without_previous(program, frame, skip)
        in_force = pl.any_horizontal([self._in_force(e, frame) for e in exceptions])
        fired, unknown, error, first_unknown = self._exceptions(exceptions, frame)
        amount, amount_unknown, unit, per, _, own_error = self._amount(program, exceptions, frame)
        failing = self.why(None)
        for exception in reversed(exceptions):
            first = self._verdict(exception.conditions, frame, owner=exception.name).first_false
            failing = pl.when(self._in_force(exception, frame) & first.is_not_null()).then(
                first).otherwise(failing)
        outcome = (pl.when(~in_force).then(_is("not_applicable"))
                   .when(fired & ~amount_unknown).then(_is("eligible"))
                   .when(fired | unknown).then(_is("unknown"))
                   .otherwise(_is("not_eligible")))
        reason = (pl.when(~in_force).then(self.why(Reason("no_exception_in_force", date=self.date)))
                  .when(fired & ~amount_unknown).then(self._fired_name(exceptions, frame))
                  .when(fired).then(self.why(Reason("unknown_amount")))
                  .when(unknown).then(first_unknown)
                  .otherwise(failing))
        error = either(error, own_error)
        return self._applied(program, frame, skip, outcome, amount, unit, per, reason, error)


# ---------------------------------------------------------------- helpers
def _absent_as(col: Col, holds: bool) -> Col:
    """An absent value: a condition that neither fails nor is unknown (`combine`), a
    trigger that does not hold (`any_of`)."""
    if col.absent is None:
        return col
    return Col(pl.when(col.absent).then(holds).otherwise(col.value), None, col.error)


def _constant_decision(outcome: str, reason: pl.Expr) -> DecisionCols:
    return DecisionCols(_is(outcome), pl.lit(None, dtype=DECIMAL), pl.lit(None, dtype=UNIT),
                        pl.lit(None, dtype=PER), reason, None)


def _is(outcome: str) -> pl.Expr:
    return pl.lit(outcome, dtype=OUTCOME)
