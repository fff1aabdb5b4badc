"""Pass 2c — check one program and its exceptions: `nodes.Program` → `ir.Program`."""

from __future__ import annotations

from collections import defaultdict

from ..syntax import nodes
from .. import ir
from .expressions import ExprChecker
from ..core.diagnostics import did_you_mean
from ..core.diagnostics import WARNING, Diagnostic
from ..core.limits import MAX_AMOUNT_PLACES
from .prove import atoms, satisfiable
from ..core.typesystem import ANY, unify


def check_program(checker, node: nodes.Program) -> ir.Program:
    """Check subject, places, citations, conditions, amount and exceptions of a program."""
    uses: set = set()
    subject = node.subject or checker._root_name()
    if subject not in checker.schema.entities:
        checker.error("PL012", f"unknown entity `{subject}`", node.span,
                      hint=did_you_mean(subject, checker.schema.entities))
        subject = checker._root_name()
    exprs = ExprChecker(checker, subject, uses)
    for other in node.yields_to:
        _check_yield(checker, node, subject, other, uses)
    if not node.citations:
        checker.error("PL042", f"program `{node.name}` cites no source", node.span,
                      hint='add `cite <source> "<the clause it comes from>"`')
    paid_to = None
    if node.paid_to is not None:
        paid_to = (node.paid_to.payee, exprs.check_bool(node.paid_to.when, "the `when` of `paid to`"))
    conditions = _conditions(exprs, node.conditions)
    triggers = _conditions(exprs, node.triggers, "trigger")
    notes = tuple(ir.Note(n.text, exprs.check_bool(n.when, "the `when` of a note")
                          if n.when is not None else None, n.span) for n in node.notes)
    reports = tuple(_report(checker, exprs, r) for r in node.reports)
    names = [r.name for r in reports]
    for report in reports:
        if names.count(report.name) > 1 and names.index(report.name) != reports.index(report):
            checker.error("PL011", f"report `{report.name}` is declared twice", report.span)
    amount = _amount(checker, exprs, node.amount, node.name)
    checker.base_uses[node.name] = set(uses)  # what the program reads outside its exceptions
    exceptions = tuple(_exception(checker, node, subject, e, uses, amount) for e in node.exceptions)
    _check_priorities(checker, node, exceptions)
    if ("previous",) in checker.reachable(uses) and not node.needs_previous:
        checker.error("PL045", f"`{node.name}` uses previous(…) but does not say it needs the "
                      "previous snapshot", node.span,
                      hint="add `needs previous`: without a snapshot the program is not_applicable")
    uses.discard(("previous",))
    checker.program_uses[node.name] = uses
    return ir.Program(
        node.name, node.label_zh, node.label_en, subject,
        _applicability(checker, node.applies) or ir.Applicability((), None, None),
        node.yields_to, tuple(checker.citation(c) for c in node.citations),
        conditions, amount, paid_to, exceptions, node.span, triggers, notes, reports,
        node.needs_previous)


RESERVED_REPORTS = {"program", "subject", "outcome", "amount", "paid_to", "rule", "citations",
                    "explanation", "triggers"}


def _report(checker, exprs: ExprChecker, node: nodes.Report) -> ir.Report:
    """A value an eligible decision adds to its JSON (`kinds`, `level`)."""
    if node.name in RESERVED_REPORTS:
        checker.error("PL011", f"`{node.name}` is already a field of every decision", node.span,
                      hint="choose another name for the report")
    declared = checker.resolve_type(node.type) if node.type is not None else None
    value = exprs.check(node.value, declared)
    if declared is not None and value.type != ANY and unify(declared, value.type) != declared:
        checker.error("PL020", f"report `{node.name}` is declared as {declared} but gives "
                      f"{value.type}", node.value.span)
    return ir.Report(node.name, value, declared or value.type, node.span)


def _check_yield(checker, node, subject, other, uses) -> None:
    decides = checker.decides_for(other)
    if decides is None:
        checker.error("PL016", f"unknown program `{other}`", node.span,
                      hint=did_you_mean(other, checker.program_names()))
    elif subject not in decides:
        checker.error("PL016", f"`{node.name}` decides for {subject} but `{other}` does not",
                      node.span)
    else:
        uses.add(("decision", other, subject))


def _applicability(checker, node: nodes.Applies | None) -> ir.Applicability | None:
    if node is None:
        return None
    for place in node.places:
        if place not in checker.schema.places:
            checker._unknown_place(place, node.span, checker.schema.places)
    start, end = checker.period(node.period, node.span)
    return ir.Applicability(node.places, start, end)


def _conditions(exprs: ExprChecker, written, kind: str = "condition") -> tuple[ir.Condition, ...]:
    seen = {}
    conditions = []
    for node in written:
        if node.name in seen:
            exprs.env.error("PL011", f"{kind} `{node.name}` is declared twice", node.span,
                            hint=f"the first is at {seen[node.name].location()}")
        seen[node.name] = node.span
        test = exprs.check_bool(node.test, f"condition `{node.name}`")
        conditions.append(ir.Condition(node.name, node.label, test, node.span))
    return tuple(conditions)


def _amount(checker, exprs: ExprChecker, node: nodes.Amount | None, owner: str) -> ir.Amount | None:
    if node is None:
        return None
    value = exprs.check(node.value)
    type_ = value.type
    if type_ == ANY:
        return None
    if not type_.is_quantity:
        checker.error("PL020", f"the amount of `{owner}` is {type_}, not money or kWh",
                      node.span, hint="give a number its unit, e.g. `65 kWh` or `1000 yuan`")
        return None
    if type_.kind == "money" and node.rounding is None:
        checker.error("PL043", f"the amount of `{owner}` does not say how it is rounded",
                      node.span, hint="add `rounded half_up to 0.01`")
    if node.rounding is not None and node.rounding.step == 0:
        checker.error("PL043", f"the amount of `{owner}` is rounded to 0: nothing is a "
                      "multiple of 0", node.rounding.span,
                      hint="round to a step such as 0.01 (one fen) or 1 (one yuan)")
    elif node.rounding is not None and node.rounding.step.as_tuple().exponent < -MAX_AMOUNT_PLACES:
        checker.error("PL043", f"the amount of `{owner}` is rounded to {node.rounding.step}, "
                      f"finer than {MAX_AMOUNT_PLACES} places", node.rounding.span,
                      hint="round to a step such as 0.01 (one fen) or 0.001")
    mode = node.rounding.mode if node.rounding else None
    step = node.rounding.step if node.rounding else None
    unit = checker.schema.unit if type_.kind == "money" else "kWh"
    return ir.Amount(value, mode, step, unit, type_.per or "once", node.span)


def _exception(checker, program: nodes.Program, subject: str, node: nodes.Exception_, uses,
               base_amount: ir.Amount | None):
    """An exception without an `amount` pays the program's amount, computed for the same
    subject; one that decides for other subjects must state its own."""
    scope = node.scope or subject
    if scope not in checker.schema.entities:
        checker.error("PL012", f"unknown entity `{scope}`", node.span,
                      hint=did_you_mean(scope, checker.schema.entities))
        scope = subject
    elif subject not in checker.schema.chain(scope):
        checker.error("PL012", f"an exception of a {subject} program cannot decide for each "
                      f"{scope}", node.span)
        scope = subject
    if not node.citations:
        checker.error("PL042", f"exception `{node.name}` cites no source", node.span,
                      hint='add `cite <source> "<the clause it comes from>"`')
    own: set = set()  # what the exception reads, kept apart for its own period (PL030)
    exprs = ExprChecker(checker, scope, own)
    amount = _amount(checker, exprs, node.amount, f"{program.name}.{node.name}")
    if node.amount is None and base_amount is not None:
        if scope == subject:
            amount = base_amount
        else:
            checker.error("PL044", f"exception `{node.name}` decides for each {scope} but does "
                          f"not say how much", node.span,
                          hint=f"add an `amount` line: the program's amount is for the {subject}")
    uses |= own
    checker.exception_uses[(program.name, node.name)] = own
    return ir.Exception_(
        node.name, node.label, scope, node.priority, _applicability(checker, node.applies),
        tuple(checker.citation(c) for c in node.citations), _conditions(exprs, node.conditions),
        amount, node.span)


def _check_priorities(checker, node: nodes.Program, exceptions) -> None:
    """Two exceptions for the same subjects need distinct priorities, unless they can never
    both apply: an error where the overlap is proved, a warning where it cannot be decided,
    and nothing where the prover shows they never meet. Never a silent pick."""
    by_scope = defaultdict(list)
    for exception in exceptions:
        by_scope[exception.scope].append(exception)
    for group in by_scope.values():
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                if None not in (first.priority, second.priority) and first.priority != second.priority:
                    continue
                both = _both_atoms(first, second)
                if both is not None and not satisfiable(both):
                    continue  # they never apply to the same subject
                message = (f"exceptions `{first.name}` and `{second.name}` of `{node.name}` "
                           f"{'can' if both is not None else 'may'} both apply with no declared priority")
                hint = "give each a distinct `priority N` (the higher number wins)"
                if both is not None:
                    checker.error("PL041", message, second.span, hint=hint)
                else:
                    checker.diagnostics.append(Diagnostic(
                        "PL061", message + " (their conditions are too complex to prove it)",
                        second.span, hint=hint, severity=WARNING))


def _both_atoms(first: ir.Exception_, second: ir.Exception_) -> list | None:
    left, right = atoms(first.conditions), atoms(second.conditions)
    return None if left is None or right is None else left + right


__all__ = ["check_program"]
