"""What the batch engine compiles, said once, and the pass that finds what it cannot (PL070).

Three questions decide it, asked of the checked IR: `value_refusal` (can this node be
compiled as a value?), `collection_refusal` (as a list?) and `holder_refusal` (can a value be
read `up` records above a frame?). The compiler (compile_expressions.py) asks them before it
compiles a node and raises `UnsupportedRules` with the answer; `batch_problems` walks each
program as the compiler would — the same frames, decisions, definitions and lists — and asks
them of every node, compiling nothing (no Polars: loading rules stays as fast as before).

Each construct found is diagnostic PL070, a warning: the rules are valid and `eval` decides
them; only `policylang screen` with the batch engine cannot. The pipeline's last pass adds
them to the rules' warnings, so `policylang check` shows them (`--strict` fails on them);
`screen` stops on them before it reads a table (`refuse_what_batch_cannot_screen`).

>>> import policylang
>>> batch_problems(policylang.load("rules").rules)
[]
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

import attrs

from .. import ir
from ..core.diagnostics import ERROR, WARNING, Diagnostic, PolicyError
from ..core.source import Span
from ..semantics.in_force import out_of_period

HINT = "`policylang screen --engine interpreter` decides these rules; `eval` is not affected"


@attrs.frozen
class Refusal:
    """Why the batch engine does not compile a construct, and how to write it so it does."""

    reason: str
    fix: str | None = None


LIST_AS_VALUE = Refusal("a list is used as a value; the batch engine compiles a list only "
                        "inside count, sum, any, …")
SET_AS_VALUE = Refusal("a set is used as a value; the batch engine compiles a set only on the "
                       "right of `in`")
PREVIOUS = Refusal("`previous(…)` needs the previous snapshot, which screening does not take")
SHIFT = Refusal("a date is shifted by a duration read from a fact, a parameter or a "
                "definition; the batch engine shifts dates only by a number written in the "
                "rule (`3 months`)", "write the duration as a number")
IN_SET = Refusal("`in` looks in a set read from a definition or a parameter; the batch engine "
                 "looks only in a set written out in the rule (`{a, b}`)",
                 "write the set out on the right of `in`")
NOT_COMPILED = Refusal("the batch engine does not compile this expression")
NOT_A_LIST = Refusal("the batch engine does not compile this list expression")

# The node kinds the compiler compiles as values (a `Compiler._<kind>` method each).
VALUES = (ir.Const, ir.FactRef, ir.DefinitionRef, ir.ParameterRef, ir.EvaluationDate,
          ir.DecisionRef, ir.Unary, ir.Binary, ir.Scale, ir.DateShift, ir.Presence,
          ir.IfThenElse, ir.Call, ir.Aggregate, ir.ScaleLookup, ir.MonthWindow)
NOT_VALUES = {ir.RelationRef: LIST_AS_VALUE, ir.Filter: LIST_AS_VALUE, ir.SetOf: SET_AS_VALUE,
              ir.Previous: PREVIOUS}


# ---------------------------------------------------------------- what compiles
def value_refusal(expr: ir.Expr) -> Refusal | None:
    """Why `expr` cannot be compiled as a value (its operands aside), or None if it can."""
    if not isinstance(expr, VALUES):
        return NOT_VALUES.get(type(expr), NOT_COMPILED)
    if isinstance(expr, ir.Const) and isinstance(expr.value, frozenset):
        return SET_AS_VALUE
    if isinstance(expr, ir.DateShift) and not isinstance(expr.duration, ir.Const):
        return SHIFT
    if isinstance(expr, ir.Binary) and expr.op == "in" and not constant_set(expr.right):
        return IN_SET
    return None


def constant_set(expr: ir.Expr) -> bool:
    """Whether `expr` is a set of constants: what the compiler puts on the right of `in`."""
    if isinstance(expr, ir.Const):
        return isinstance(expr.value, frozenset)
    return isinstance(expr, ir.SetOf) and all(isinstance(i, ir.Const) for i in expr.items)


def holder_refusal(schema, frame: str, up: int) -> Refusal | None:
    """Why a value cannot be read `up` records above `frame`'s records, or None if it can:
    the batch engine has one frame for the top entity and one for each of its lists."""
    chain, root = schema.chain(frame), schema.root.name
    if len(chain) > 2:
        return Refusal(f"the records of `{frame}` sit in a list of a list; the batch engine "
                       f"reads only the lists of the {root}",
                       f"hold `{frame}` in a list of the {root}, or decide it with the "
                       "interpreter")
    if up >= len(chain):
        return Refusal(f"a list of the {root} is read again for each record of one of its "
                       f"lists; the batch engine reads each list once per {root}",
                       f"write the list (and what is counted of it) as a definition `of "
                       f"{root}`, and read that from the record (`{root}.<name>`)")
    return None


def collection_refusal(schema, expr: ir.Expr, frame: str) -> Refusal | None:
    """Why `expr` cannot be compiled as a list read from `frame`'s records, or None."""
    if isinstance(expr, ir.RelationRef):
        refused = holder_refusal(schema, frame, expr.up)
        if refused is not None:
            return refused
        holder, root = schema.chain(frame)[expr.up], schema.root.name
        if holder != root:
            return Refusal(f"`{expr.name}` is a list of each {holder}, not of the {root}; the "
                           f"batch engine reads only the lists of the {root}")
        return None
    if isinstance(expr, (ir.DefinitionRef, ir.Filter)):
        return None
    return NOT_A_LIST


# ---------------------------------------------------------------- the pass
def batch_problems(rules: ir.CheckedRules, date: dt.date | None = None,
                   programs: Iterable[str] | None = None) -> list[Diagnostic]:
    """PL070 for each construct the batch engine cannot compile, naming the programs it
    stops. `programs` limits it to those (and what they use), as `screen --program` does;
    with a `date`, clauses not in force on it are skipped, as the compiler skips them."""
    found: dict[tuple, tuple[Refusal, Span, list[str]]] = {}
    for name in rules.programs if programs is None else programs:
        walk = _Walk(rules, date)
        for entity in rules.programs[name].subject_entities():
            walk.decide(name, entity)
        for key, (refusal, span) in walk.refused.items():
            found.setdefault(key, (refusal, span, []))[2].append(name)
    problems = [
        Diagnostic("PL070", f"{_names(names)} cannot be screened by the batch engine: "
                   f"{refusal.reason}", span, severity=WARNING,
                   hint=HINT if refusal.fix is None else f"{refusal.fix}; or screen with "
                   "`--engine interpreter` (`eval` is not affected)")
        for refusal, span, names in found.values()]
    return sorted(problems, key=Diagnostic.sort_key)


def refuse_what_batch_cannot_screen(rules: ir.CheckedRules, date: dt.date,
                                    programs: Iterable[str] | None = None) -> None:
    """Raise `PolicyError` with what the batch engine cannot compile for these programs on
    `date`, as errors (for `screen`, they are): `screen` stops before it reads a table."""
    problems = batch_problems(rules, date, programs)
    if problems:
        raise PolicyError([attrs.evolve(d, severity=ERROR) for d in problems])


def _names(programs: list[str]) -> str:
    named = [f"`{p}`" for p in programs]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


class _Walk:
    """The compiler's walk (compile_programs.py, compile_clauses.py, compile_expressions.py)
    over the decisions one chosen program needs, asking what compiles of each node."""

    def __init__(self, rules: ir.CheckedRules, date: dt.date | None):
        self.rules, self.schema, self.date = rules, rules.schema, date
        self.root = rules.schema.root.name
        self.refused: dict[tuple, tuple[Refusal, Span]] = {}
        self.seen: set[tuple] = set()
        self.lists: dict[tuple, str | None] = {}  # list definitions: their records' entity

    def refuse(self, refusal: Refusal, span: Span, key: tuple | None = None) -> None:
        self.refused.setdefault(key or (refusal.reason, span), (refusal, span))

    def out(self, applies: ir.Applicability | None) -> bool:
        return self.date is not None and out_of_period(applies, self.date)

    # ------------------------------------------------------------ decisions
    def decide(self, name: str, frame: str) -> None:
        """`ProgramCompiler.decide`: the program's own subject (`_base`), or the subjects
        its exceptions decide for (`_scoped`); a decision not in force is a constant."""
        if ("decision", name, frame) in self.seen:
            return
        self.seen.add(("decision", name, frame))
        program = self.rules.programs[name]
        own = frame == program.subject
        scoped = [e for e in program.exceptions if e.scope == frame]
        if (not own and all(self.out(e.applies) for e in scoped)) or self.out(program.applies):
            return
        if program.applies is not None and program.applies.places:
            self.place(frame, program.span)
        if program.needs_previous:  # not applicable: nothing more is compiled
            return
        if any(e.applies is not None and e.applies.places and not self.out(e.applies)
               for e in scoped):
            self.place(frame, program.span)
        clauses = [c.test for c in (program.conditions + program.triggers if own else ())]
        for exception in scoped:
            clauses += [c.test for c in exception.conditions]
            clauses += [exception.amount.value] if exception.amount else []
        if own:
            for other in program.yields_to:
                self.decide(other, frame)
            clauses += [program.amount.value] if program.amount else []
            clauses += [program.paid_to[1]] if program.paid_to else []
            clauses += [r.value for r in program.reports
                        if not isinstance(r.value, (ir.SetOf, ir.Const))]
            clauses += [n.when for n in program.notes if n.when is not None]
        for expr in clauses:
            self.value(expr, frame)

    def place(self, frame: str, span: Span) -> None:
        """The top entity's place fact, read from `frame` (`ProgramCompiler._jurisdiction`)."""
        self.holder(frame, 0 if frame == self.root else 1, span)

    # ------------------------------------------------------------ expressions
    def holder(self, frame: str, up: int, span: Span) -> str | None:
        refused = holder_refusal(self.schema, frame, up)
        if refused is not None:  # once per frame, where it is first met
            self.refuse(refused, span, key=(refused.reason,))
            return None
        return self.schema.chain(frame)[up]

    def value(self, expr: ir.Expr, frame: str) -> None:
        """`Compiler.value`: the node, then the operands it compiles, in their frames."""
        refused = value_refusal(expr)
        if refused is not None:
            self.refuse(refused, expr.span)
        elif isinstance(expr, ir.FactRef):
            self.holder(frame, expr.up, expr.span)
        elif isinstance(expr, ir.DecisionRef):
            holder = self.holder(frame, expr.up, expr.span)
            if holder is not None:
                self.decide(expr.program, holder)
        elif isinstance(expr, ir.DefinitionRef):
            holder = self.holder(frame, expr.up, expr.span)
            if holder is not None and ("definition", holder, expr.name) not in self.seen:
                self.seen.add(("definition", holder, expr.name))
                self.value(self.rules.definitions[(expr.entity, expr.name)].body, holder)
        elif isinstance(expr, ir.Aggregate):
            child = self.collection(expr.collection, frame)
            if child is not None and expr.function != "count":
                self.value(expr.body, child)
        else:
            for operand in _operands(expr):
                self.value(operand, frame)

    def collection(self, expr: ir.Expr, frame: str) -> str | None:
        """`Compiler.collection`: the entity of the list's records, or None if refused. A
        filter's list and a list definition are read from the top entity's frame."""
        refused = collection_refusal(self.schema, expr, frame)
        if refused is not None:
            self.refuse(refused, expr.span)
            return None
        if isinstance(expr, ir.RelationRef):
            return self.schema.entities[self.root].relations[expr.name]
        if isinstance(expr, ir.DefinitionRef):
            key = (expr.entity, expr.name)
            if key not in self.lists:
                self.lists[key] = self.collection(self.rules.definitions[key].body, self.root)
            return self.lists[key]
        child = self.collection(expr.collection, self.root)  # a Filter
        if child is not None:
            self.value(expr.condition, child)
        return child


def _operands(expr: ir.Expr) -> tuple:
    """The operands `Compiler` compiles as values in the frame of `expr` itself (not the
    right of `in`, a set of constants)."""
    if isinstance(expr, ir.Binary):
        return (expr.left,) if expr.op == "in" else (expr.left, expr.right)
    if isinstance(expr, (ir.Unary, ir.Scale, ir.Presence)):
        return (expr.operand,)
    if isinstance(expr, ir.DateShift):
        return (expr.date, expr.duration)
    if isinstance(expr, ir.IfThenElse):
        return (expr.condition, expr.then, expr.otherwise)
    if isinstance(expr, ir.Call):
        return expr.args
    if isinstance(expr, ir.ScaleLookup):
        return (expr.argument,)
    if isinstance(expr, ir.MonthWindow):
        return (expr.body,)
    return ()  # Const, ParameterRef, EvaluationDate
