"""The frames a compiled plan works on, and the order in which columns are computed.

The batch compiler (compile.py) turns each IR expression into Polars
expressions over one frame: the household frame (one row per household) or a
child frame (one row per member, or per event). A household expression that
needs member values reads a group-by of the member frame ("aggregate"); a
member expression that needs a household value reads a household column
gathered onto the member rows ("broadcast").

`FramePlan` only records these steps while the compiler works; `finish` runs
them in *stages*. A column's stage is the number of crossings between frames
its inputs need; all the columns of one stage and frame are computed by one
lazy plan, all aggregates entering a stage by one group-by, all broadcasts by
one gather. Rule libraries cross often (dibao needs tekun per member, which
feeds the dibao unit per household, which feeds the single-person exception
per member …), so scheduling by stage keeps the number of passes over the data
to the depth of that chain instead of the number of crossings.
"""

from __future__ import annotations

import itertools

import attrs
import polars as pl

HOUSEHOLD_KEY = "__h"  # the household's row number in its input table
POSITION = "__pos"  # a household's row in the household frame; child rows carry theirs


@attrs.frozen
class Step:
    """One recorded step: a column computed in `frame`, aggregated from the child frame
    `frame` into the households, or broadcast from the households into `frame`."""

    kind: str  # "column" | "aggregate" | "broadcast"
    frame: str
    name: str
    expr: pl.Expr | None
    stage: int


class FramePlan:
    """The frames of one household table and its child tables, grown column by column."""

    def __init__(self, root: str, frames: dict[str, pl.DataFrame]):
        self.root = root
        households = frames[root].with_row_index(POSITION)
        self.frames = {name: frame if name == root else _positioned(frame, households)
                       for name, frame in frames.items()}
        self.frames[root] = households
        self.steps: list[Step] = []
        self.stage_of: dict[tuple[str, str], int] = {}  # (frame, column) → stage
        self._names = itertools.count()

    # ------------------------------------------------------------ recording
    def add(self, frame: str, expr: pl.Expr, hint: str = "c") -> str:
        """A new column of `frame` computed by `expr`; returns its name."""
        return self._record("column", frame, expr, self._stage(frame, expr), hint)

    def aggregate(self, child: str, expr: pl.Expr, how: str) -> str:
        """A new household column: `expr`, a column of the child frame, aggregated (`how`:
        any, sum, min, max) over each household's `child` rows (null for households
        without such rows). `expr` is stored first, so the group-by only reads columns."""
        if not expr.meta.is_column():
            expr = pl.col(self.add(child, expr, "g"))
        folded = getattr(expr, how)()
        return self._record("aggregate", child, folded, self._stage(child, expr) + 1, "a")

    def broadcast(self, child: str, column: str) -> str:
        """Make the household column `column` readable in `child`'s frame (same name)."""
        if (child, column) not in self.stage_of:
            stage = self.stage_of.get((self.root, column), 0) + 1
            self.steps.append(Step("broadcast", child, column, None, stage))
            self.stage_of[(child, column)] = stage
        return column

    def _record(self, kind: str, frame: str, expr: pl.Expr, stage: int, hint: str) -> str:
        name = f"__{hint}{next(self._names)}"
        target = self.root if kind == "aggregate" else frame
        self.steps.append(Step(kind, frame, name, expr.alias(name), stage))
        self.stage_of[(target, name)] = stage
        return name

    def _stage(self, frame: str, expr: pl.Expr) -> int:
        """The stage at which every column `expr` reads in `frame` exists."""
        return max((self.stage_of.get((frame, c), 0) for c in expr.meta.root_names()), default=0)

    # ------------------------------------------------------------ running
    def finish(self) -> dict[str, pl.DataFrame]:
        """Run every recorded step, stage by stage; every frame with all its columns."""
        last = max((s.stage for s in self.steps), default=0)
        for stage in range(last + 1):
            self._arrive(stage)
            self._compute(stage)
        return self.frames

    def _arrive(self, stage: int) -> None:
        """Aggregates and broadcasts of this stage, from frames complete at the stage before."""
        for child in self.frames:
            if child == self.root:
                continue
            aggregates = [s for s in self.steps if s.stage == stage and s.kind == "aggregate"
                          and s.frame == child]
            if aggregates:
                self._aggregate(child, aggregates)
        for child in self.frames:
            names = [s.name for s in self.steps if s.stage == stage and s.kind == "broadcast"
                     and s.frame == child]
            if names:
                where = self.frames[child].get_column(POSITION)
                households = self.frames[self.root]
                self.frames[child] = self.frames[child].with_columns(
                    [households.get_column(name).gather(where) for name in names])

    def _aggregate(self, child: str, steps: list[Step]) -> None:
        # lazily, so that only the columns the aggregates read are touched
        grouped = self.frames[child].lazy().group_by(POSITION).agg([s.expr for s in steps]).collect()
        rows = self.frames[self.root].height
        where = grouped.get_column(POSITION)
        columns = [pl.repeat(None, rows, dtype=grouped.schema[s.name], eager=True).alias(s.name)
                   .scatter(where, grouped.get_column(s.name)) for s in steps]
        self.frames[self.root] = self.frames[self.root].hstack(columns)

    def _compute(self, stage: int) -> None:
        """The columns of this stage, one lazy plan per frame, run together."""
        plans = {}
        for name, frame in self.frames.items():
            steps = [s for s in self.steps if s.stage == stage and s.kind == "column"
                     and s.frame == name]
            if steps:
                plans[name] = _chained(frame.lazy(), steps)
        for name, computed in zip(plans, pl.collect_all(list(plans.values()))):
            self.frames[name] = computed


def _chained(frame: pl.LazyFrame, steps: list[Step]) -> pl.LazyFrame:
    """The steps as few `with_columns` as their dependencies on each other allow."""
    batch: dict[str, pl.Expr] = {}
    for step in steps:
        if set(step.expr.meta.root_names()) & set(batch):
            frame, batch = frame.with_columns(list(batch.values())), {}
        batch[step.name] = step.expr
    return frame.with_columns(list(batch.values())) if batch else frame


def _positioned(child: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    """The child rows with their household's position (one join, at the start)."""
    return child.lazy().join(households.lazy().select(HOUSEHOLD_KEY, POSITION),
                             on=HOUSEHOLD_KEY, how="inner").collect()
