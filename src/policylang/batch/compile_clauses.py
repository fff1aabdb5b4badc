"""Pass 4, continued — the clauses a decision weighs, as columns: exceptions (which fires,
by priority, and which cannot be decided), the programs a program yields to, and amounts
with the rule's rounding. `ProgramCompiler` (compile_programs.py) puts them together in
the interpreter's order; this half holds the clauses, that half the decision's flow.
"""

from __future__ import annotations

import functools

import polars as pl

from .. import ir
from .columns import DECIMAL, Col, either, fits_batch, when_true
from .compile_expressions import place_constant
from ..semantics.priority import clash, highest_first
from ..semantics.reasons import Reason

UNIT = pl.String  # the rule set's currency (`unit EUR`, CNY by default) or kWh
PER = pl.Enum(["month", "quarter", "year", "once"])
ROUNDING = {"half_up": "half_away_from_zero", "half_even": "half_to_even"}


class ClauseColumns:
    """Exceptions, yields and amounts of one program on one frame, stored once as columns.
    A mixin of `ProgramCompiler`, whose `keep`, `why`, `eligible`, `_verdict` and
    `_in_force` it uses."""

    # ------------------------------------------------------------ exceptions
    def _exceptions(self, exceptions, frame):
        """Whether an exception fires, whether one in force is unknown (and none fires),
        their errors, and the first unknown condition of the first unknown exception."""
        fired_any, unknown_any = pl.lit(False), pl.lit(False)
        errors, fired_each, unknown_each = [], [], []
        for exception in exceptions:
            in_force = self._in_force(exception, frame)
            verdict = self._verdict(exception.conditions, frame, owner=exception.name)
            fired = self._fired(exception, frame)
            unknown = in_force & ~verdict.holds & ~verdict.fails
            fired_each.append((exception, fired))
            unknown_each.append((unknown, verdict.first_unknown))
            errors.append(when_true(in_force, verdict.error))
            fired_any, unknown_any = fired_any | fired, unknown_any | unknown
        first = self.why(None)
        for unknown, name in reversed(unknown_each):
            first = pl.when(unknown).then(name).otherwise(first)
        errors.append(_same_priority(fired_each))
        keep = functools.partial(self.keep, frame)
        return (keep(fired_any), keep(unknown_any & ~fired_any),
                either(*errors), keep(first))

    def _fired(self, exception: ir.Exception_, frame: str) -> pl.Expr:
        """Where the exception is in force and all its conditions hold; stored once, read by
        the outcome, the reason and the amount."""
        key = ("fired", id(exception), frame)
        if key not in self._memo:
            verdict = self._verdict(exception.conditions, frame, owner=exception.name)
            self._memo[key] = self.keep(frame, self._in_force(exception, frame) & verdict.holds)
        return self._memo[key]

    def _by_priority(self, exceptions, frame):
        """(exception, fired) pairs, highest priority first (semantics/priority.py)."""
        return [(e, self._fired(e, frame)) for e in highest_first(exceptions)]

    def _fired_name(self, exceptions, frame) -> pl.Expr:
        name = self.why(None)
        for exception, fired in reversed(self._by_priority(exceptions, frame)):
            name = pl.when(fired).then(self.why(Reason("by_exception", exception.name))).otherwise(name)
        return name

    # ------------------------------------------------------------ yields and amounts
    def _yields(self, program: ir.Program, frame: str):
        """Whether a program this one yields to covers the subject (the first that does is
        named), whether that is unknown, and the errors of the ones evaluated."""
        yielded, unknown, errors = pl.lit(False), pl.lit(False), []
        to = self.why(None)
        for other in program.yields_to:
            value = self.eligible(other, frame)
            errors.append(when_true(~yielded, value.error))
            to = pl.when(to.is_null() & value.is_(True)).then(self.why(Reason("yielded", other))).otherwise(to)
            yielded = yielded | value.is_(True)
            unknown = unknown | value.unknown()
        if not program.yields_to:
            return yielded, unknown, None, to
        keep = functools.partial(self.keep, frame)
        return keep(yielded), keep(unknown & ~yielded), either(*errors), keep(to)

    def _amount(self, program, exceptions, frame):
        """The amount of the base rule, or of the exception of highest priority that fires:
        (value, unknown, unit, per, error of the base amount, error of the exception's)."""
        own_rule = program.amount if frame == program.subject else None  # not a member's
        base, unit, per = self._amount_of(own_rule, frame)
        amount, unknown = base.value, base.unknown() if own_rule else pl.lit(False)
        own_errors, earlier, chosen = [], pl.lit(False), []
        for exception, fires in self._by_priority(exceptions, frame):
            own, own_unit, own_per = self._amount_of(exception.amount, frame)
            own_errors.append(when_true(fires & ~earlier, own.error))
            earlier = earlier | fires
            chosen.append((exception, fires, own, own_unit, own_per))
        for exception, fires, own, own_unit, own_per in reversed(chosen):
            amount = pl.when(fires).then(own.value).otherwise(amount)
            unit = pl.when(fires).then(own_unit).otherwise(unit)
            per = pl.when(fires).then(own_per).otherwise(per)
            own_unknown = own.unknown() if exception.amount else pl.lit(False)
            unknown = pl.when(fires).then(own_unknown).otherwise(unknown)
        keep = functools.partial(self.keep, frame)
        return (keep(amount), keep(unknown), unit, per, base.error, either(*own_errors))

    def _amount_of(self, rule: ir.Amount | None, frame: str):
        if rule is None:
            return Col(pl.lit(None, dtype=DECIMAL)), pl.lit(None, dtype=UNIT), pl.lit(None, dtype=PER)
        where = self.plan.root if place_constant(rule.value) else frame  # once per household
        value = self.expressions.value(rule.value, where)
        if _usable_step(rule):
            paid = self.keep(where, _rounded(value.value.cast(DECIMAL), rule))
            negative = (paid < 0).fill_null(False)  # the interpreter's PL210
            rounded = Col(paid, None, either(value.error, negative))
        else:  # the interpreter cannot round a known amount to it (0), nor the columns hold it
            rounded = Col(pl.lit(None, dtype=DECIMAL), None,
                          either(value.error, value.value.is_not_null()))
        return (self.expressions.lift(rounded, frame, where), pl.lit(rule.unit, dtype=UNIT),
                pl.lit(rule.per, dtype=PER))

    def _clause_errors(self, program, frame, paid, reached):
        """Errors of the clauses `_paid` evaluates for the program's own subject: paid to,
        reports (when eligible) and notes (whenever the decision got that far)."""
        if frame != program.subject:
            return None
        errors = []
        if program.paid_to is not None:
            errors.append(when_true(paid, self.expressions.value(program.paid_to[1], frame).error))
        for report in program.reports:
            errors.append(when_true(paid, self._report_error(report, frame)))
        for note in program.notes:
            if note.when is not None:
                errors.append(when_true(reached, self.expressions.value(note.when, frame).error))
        return either(*errors)

    def _report_error(self, report: ir.Report, frame: str):
        if isinstance(report.value, ir.SetOf) or (isinstance(report.value, ir.Const)):
            return None  # a constant cannot raise
        return self.expressions.value(report.value, frame).error


def _same_priority(fired_each) -> pl.Expr | None:
    """PL204: two exceptions of the same priority fire together."""
    clashes = [a & b for i, (ea, a) in enumerate(fired_each) for eb, b in fired_each[i + 1:]
               if clash(ea, eb)]
    return either(*clashes)


def _usable_step(rule: ir.Amount) -> bool:
    """Whether the columns can round to the rule's step exactly: a step above 0 that
    Decimal(38, 18) holds (`fits_batch`). Otherwise the interpreter decides (or raises)."""
    step = rule.rounding_step
    return rule.rounding_mode is None or (step is not None and step > 0 and fits_batch(step))


def _rounded(value: pl.Expr, rule: ir.Amount) -> pl.Expr:
    """The rule's rounding (`rounding.round_to`): to a multiple of the step, by the mode."""
    if rule.rounding_mode is None:
        return value
    step = pl.lit(rule.rounding_step, dtype=DECIMAL)
    units = value / step
    mode = rule.rounding_mode
    if mode in ROUNDING:
        whole = units.round(0, mode=ROUNDING[mode])
    else:
        toward_zero = mode == "down"
        positive = units >= 0
        whole = (pl.when(positive).then(units.floor() if toward_zero else units.ceil())
                 .otherwise(units.ceil() if toward_zero else units.floor()))
    return whole * step
