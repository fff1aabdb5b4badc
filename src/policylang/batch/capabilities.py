"""What the batch engine can screen, found before any table is read.

The compiler is the one authority on what compiles: this pass compiles every program over
empty tables of the rules' schema (no rows, so it costs a fraction of a second) and turns
each construct it cannot compile into diagnostic PL070 — a warning, since the rules are
valid and `eval` decides them; only `policylang screen` with the batch engine cannot. `check`
reports it; `screen` stops on it before it reads a table.

>>> import datetime as dt, policylang
>>> batch_problems(policylang.load("rules").rules, dt.date(2023, 8, 1))
[]
"""

from __future__ import annotations

import datetime as dt

from .. import ir
from ..core.diagnostics import WARNING, Diagnostic, PolicyError
from .columns import UnsupportedRules
from .decide import decide_frames
from .frames import HOUSEHOLD_KEY
from .screen import typed_frames
from .tables import tables_from_objects

HINT = ("`policylang screen --engine interpreter` decides these rules one household at a "
        "time; `policylang eval` is not affected")


def batch_problems(rules: ir.CheckedRules, date: dt.date | None = None) -> list[Diagnostic]:
    """PL070 for each program the batch engine cannot compile (on `date`, today by default:
    a clause not in force is never compiled)."""
    date = date or dt.date.today()
    if not rules.programs:
        return []
    frames = _empty_frames(rules)
    known = {entity: True for entity in frames}
    try:  # the usual case: everything compiles, in one go
        decide_frames(rules, date, tuple(rules.programs), frames, known)
        return []
    except UnsupportedRules:
        pass
    problems = []
    for name, program in rules.programs.items():  # which programs, and where
        try:
            decide_frames(rules, date, (name,), frames, known)
        except UnsupportedRules as error:
            problems.append(Diagnostic(
                "PL070", f"`{name}` cannot be screened by the batch engine: {error.message}",
                error.span or program.span, hint=HINT, severity=WARNING))
    return problems


def _empty_frames(rules: ir.CheckedRules) -> dict:
    """Typed frames of the schema with no rows: what a chunk of tables becomes."""
    tables = tables_from_objects(rules.schema, [])
    households = tables.households.with_row_index(HOUSEHOLD_KEY).collect()
    children = {name: frame.collect() for name, frame in tables.children.items() if frame is not None}
    return typed_frames(rules.schema, households, children)


def refuse_what_batch_cannot_screen(rules: ir.CheckedRules, date: dt.date) -> None:
    """Raise `PolicyError` with the PL070 findings, if any: `screen` stops before reading."""
    problems = batch_problems(rules, date)
    if problems:
        raise PolicyError(problems)
