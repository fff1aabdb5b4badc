"""The compiled plan over a chunk's clean households, halved where it cannot be computed.

The compiler flags every error it anticipates (a division by zero, a parameter with no
value, a date beyond year 9999 …), so that those households go to the interpreter and get
its error rows. What it did not anticipate — a product beyond Decimal(38, 18), rules too
deep for the compiler, a literal Polars cannot hold — makes the whole plan fail. Then the
households are halved and each half tried again: one household's overflow costs a few
more runs of the plan, not the whole chunk. What still fails, one household on its own or
when the tries run out, goes to the interpreter — the reference — which writes its rows or
its error row exactly as `--engine interpreter` does. A plan that fails with no household
at all cannot be computed on this date whatever the data: every household goes to the
interpreter at once. So a failure never loses a household, and nothing is printed for it:
the summary counts the households the interpreter decided.
"""

from __future__ import annotations

import datetime as dt
from collections import deque

import attrs
import polars as pl
from polars.exceptions import PanicException

from .. import ir
from .decide import decide_frames, output_schema
from .frames import HOUSEHOLD_KEY

# Runs of the plan one chunk may take before the households still failing go to the
# interpreter: enough to isolate one household of a 250,000-household chunk by halving
# (18 levels, 2 runs each), or two down to a few hundred households each; few enough that
# a chunk where every household fails costs a few runs over the chunk, then the interpreter.
PLAN_TRIES = 40

# Anything the plan raises is the engine's failure, never the user's: a Polars error, a
# Python one (RecursionError, ArithmeticError, OverflowError …), or a panic of Polars' Rust
# code (a BaseException). A MemoryError is not retried: halving would not make room.
FAILURES = (Exception, PanicException)


@attrs.define
class Tries:
    """How many more runs of the plan this chunk may take."""

    left: int = PLAN_TRIES


def decided_by_plan(rules: ir.CheckedRules, date: dt.date, programs: tuple[str, ...],
                    frames: dict[str, pl.DataFrame],
                    known: dict[str, bool]) -> tuple[pl.DataFrame, pl.Series]:
    """(decision rows of the households the plan decided, row keys of the households the
    interpreter must decide: those whose evaluation raises, and those the plan could not
    compute). `frames` are the typed frames of the clean households, by entity."""
    tries = Tries()
    found = _attempt(rules, date, programs, frames, known, tries)
    if found is not None:
        return found
    root = rules.schema.root.name
    if _attempt(rules, date, programs, _only(frames, pl.Series([], dtype=pl.UInt32)),
                known, tries) is None:  # not the data: the plan fails on this date
        return _nothing(rules), frames[root].get_column(HOUSEHOLD_KEY)
    return _halved(rules, date, programs, frames, known, tries)


def _halved(rules, date, programs, frames, known, tries: Tries) -> tuple[pl.DataFrame, pl.Series]:
    """The plan run on each half of the households it failed on, halving again where it
    fails, level by level (so that two failing households get the tries alike)."""
    root = rules.schema.root.name
    rows, fallback = [_nothing(rules)], [pl.Series(HOUSEHOLD_KEY, [], dtype=pl.UInt32)]
    failing = deque([frames])
    while failing:
        part = failing.popleft()
        keys = part[root].get_column(HOUSEHOLD_KEY)
        if keys.len() <= 1 or tries.left <= 0:
            fallback.append(keys)
            continue
        for half in (keys[: keys.len() // 2], keys[keys.len() // 2:]):
            piece = _only(part, half)
            found = _attempt(rules, date, programs, piece, known, tries)
            if found is None:
                failing.append(piece)
            else:
                rows.append(found[0])
                fallback.append(found[1])
    return pl.concat(rows), pl.concat(fallback)


def _attempt(rules, date, programs, frames, known,
             tries: Tries) -> tuple[pl.DataFrame, pl.Series] | None:
    """One run of the plan: its rows and the row keys of households whose evaluation
    raises, or None when the plan cannot be computed on these households."""
    tries.left -= 1
    try:
        rows, raised = pl.collect_all(decide_frames(rules, date, programs, frames, known))
    except MemoryError:
        raise
    except FAILURES:
        return None
    return rows, raised.get_column(HOUSEHOLD_KEY)


def _only(frames: dict[str, pl.DataFrame], keys: pl.Series) -> dict[str, pl.DataFrame]:
    """The frames of the households with row keys `keys` (and of their members, events)."""
    wanted = keys.implode()
    return {entity: frame.filter(pl.col(HOUSEHOLD_KEY).is_in(wanted))
            for entity, frame in frames.items()}


def _nothing(rules: ir.CheckedRules) -> pl.DataFrame:
    return pl.DataFrame(schema={**output_schema(rules), HOUSEHOLD_KEY: pl.UInt32})
