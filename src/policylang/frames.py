"""The frames a compiled plan works on, and the order columns are added to them.

The batch compiler (compile.py) turns each IR expression into Polars
expressions over one frame: the household frame (one row per household) or a
child frame (one row per member, or per event). A household expression that
needs member values reads a group-by of the member frame joined back; a member
expression that needs a household value reads a household column joined onto
the member frame ("broadcast"). `FramePlan` records these steps and batches
them: columns that do not depend on each other go into one `with_columns`,
aggregates of one child frame into one `group_by`, broadcasts into one join.
A step that needs a column still waiting in a batch flushes that batch first.

The frames are eager DataFrames of one chunk of households: a lazy plan would
embed the household plan in the member plan at every broadcast and the member
plan in the household plan at every group-by, and rule libraries go back and
forth often (dibao → tekun → dibao unit → …), so the plan would double each time.
"""

from __future__ import annotations

import itertools

import polars as pl

HOUSEHOLD_KEY = "__h"  # the household's row number in its input table
POSITION = "__pos"  # a household's row in the household frame; child rows carry theirs


def _positioned(child: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """The child rows with their household's position (one join, at the start)."""
    return child.join(households.select(HOUSEHOLD_KEY, POSITION), on=HOUSEHOLD_KEY, how="inner")


class FramePlan:
    """The frames of one household table and its child tables, grown column by column."""

    def __init__(self, root: str, frames: dict[str, pl.DataFrame]):
        self.root = root
        households = frames[root].with_row_index(POSITION)
        self.frames = {name: frame if name == root else _positioned(frame, households)
                       for name, frame in frames.items()}
        self.frames[root] = households
        self.batch: dict[str, dict[str, pl.Expr]] = {name: {} for name in frames}
        self.aggregates: dict[str, dict[str, pl.Expr]] = {name: {} for name in frames}
        self.broadcasts: dict[str, list[str]] = {name: [] for name in frames}
        self.present: dict[str, set[str]] = {name: set(f.columns) for name, f in frames.items()}
        self._names = itertools.count()

    # ------------------------------------------------------------ building
    def fresh(self, hint: str = "c") -> str:
        return f"__{hint}{next(self._names)}"

    def add(self, frame: str, expr: pl.Expr, hint: str = "c") -> str:
        """A new column of `frame` computed by `expr`; returns its name."""
        self._ready(frame, expr)
        name = self.fresh(hint)
        self.batch[frame][name] = expr.alias(name)
        return name

    def aggregate(self, child: str, expr: pl.Expr, hint: str = "a") -> str:
        """A new household column: `expr` aggregated over each household's `child` rows.

        Households without such rows get null; `rows_column` tells them apart.
        """
        self._ready(child, expr)
        name = self.fresh(hint)
        self.aggregates[child][name] = expr.alias(name)
        return name

    def broadcast(self, child: str, column: str) -> str:
        """Make the household column `column` readable in `child`'s frame (same name)."""
        if column in self.present[child] or column in self.broadcasts[child]:
            return column
        self.broadcasts[child].append(column)
        return column

    # ------------------------------------------------------------ flushing
    def _ready(self, frame: str, expr: pl.Expr) -> None:
        """Flush whatever `expr` reads that is still waiting in a batch."""
        needed = set(expr.meta.root_names())
        if needed & set(self.batch[frame]):
            self._flush_columns(frame)
        if frame == self.root:
            for child, waiting in self.aggregates.items():
                if needed & set(waiting):
                    self._flush_aggregates(child)
            if needed & set(self.batch[frame]):
                self._flush_columns(frame)
        elif needed & set(self.broadcasts[frame]):
            self._flush_broadcasts(frame)

    def _flush_columns(self, frame: str) -> None:
        waiting = self.batch[frame]
        if waiting:
            self.frames[frame] = self.frames[frame].with_columns(list(waiting.values()))
            self.present[frame] |= set(waiting)
            self.batch[frame] = {}

    def _flush_aggregates(self, child: str) -> None:
        """One group-by of the child frame by household position, scattered into the
        household frame (households without child rows get null)."""
        waiting = self.aggregates[child]
        if not waiting:
            return
        self._flush_columns(child)
        grouped = self.frames[child].group_by(POSITION).agg(list(waiting.values()))
        rows = self.frames[self.root].height
        where = grouped.get_column(POSITION)
        columns = [pl.repeat(None, rows, dtype=grouped.schema[name], eager=True).alias(name)
                   .scatter(where, grouped.get_column(name)) for name in waiting]
        self._flush_columns(self.root)
        self.frames[self.root] = self.frames[self.root].hstack(columns)
        self.present[self.root] |= set(waiting)
        self.aggregates[child] = {}

    def _flush_broadcasts(self, child: str) -> None:
        """Household columns gathered onto the child rows by household position."""
        waiting = self.broadcasts[child]
        if not waiting:
            return
        if set(waiting) & (set(self.batch[self.root]) | self._waiting_aggregates()):
            for name in self.aggregates:
                self._flush_aggregates(name)
            self._flush_columns(self.root)
        self._flush_columns(child)
        where = self.frames[child].get_column(POSITION)
        root = self.frames[self.root]
        self.frames[child] = self.frames[child].with_columns(
            [root.get_column(name).gather(where) for name in waiting])
        self.present[child] |= set(waiting)
        self.broadcasts[child] = []

    def _waiting_aggregates(self) -> set[str]:
        return {name for waiting in self.aggregates.values() for name in waiting}

    def finish(self) -> dict[str, pl.DataFrame]:
        """Every frame with every column added so far."""
        for child in self.frames:
            if child != self.root:
                self._flush_aggregates(child)
        self._flush_columns(self.root)
        for child in self.frames:
            if child != self.root:
                self._flush_broadcasts(child)
                self._flush_columns(child)
        return dict(self.frames)
