"""The batch engine: typed household, member and event frames → decision rows.

Compiles every chosen program for every subject it applies to (programs they
use are compiled as needed) into one Polars plan, and returns the decision rows
(CONTRACT §4) with the row key of each household whose evaluation would raise
in the interpreter: those are decided again by the interpreter (screen.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl

from .. import ir
from ..core.rounding import amount_places
from .columns import DECIMAL, either, fits_batch, polars_type, scale_width
from .compile_programs import ProgramCompiler
from .frames import HOUSEHOLD_KEY, FramePlan

# Columns with few distinct texts are Categorical: written dictionary-encoded, read as text.
# `amount_value` has two places unless a program rounds finer (`output_schema`).
OUTPUT_SCHEMA = {
    "household_id": pl.String, "subject_kind": pl.Categorical, "subject_id": pl.String,
    "program": pl.Categorical, "outcome": pl.Categorical, "amount_value": pl.Decimal(38, 2),
    "amount_unit": pl.Categorical, "amount_per": pl.Categorical, "reason": pl.Categorical,
    "error": pl.String,
}


def output_schema(rules: ir.CheckedRules) -> dict:
    """The screening table's columns for these rules: the amounts to the places of the
    finest rounding step any program or exception states (two for the bundled rules)."""
    amounts = [p.amount for p in rules.programs.values()] + [
        e.amount for p in rules.programs.values() for e in p.exceptions]
    places = max([amount_places(a.rounding_step) for a in amounts if a is not None], default=2)
    return {**OUTPUT_SCHEMA, "amount_value": pl.Decimal(38, places)}


def decide_frames(rules: ir.CheckedRules, date: dt.date, programs: tuple[str, ...],
                  frames: dict[str, pl.DataFrame], relations_known: dict[str, bool]):
    """Compile the chosen programs over typed frames into one lazy plan: (decision rows
    with `__h`, row keys of households whose evaluation raised). `screen` (screen.py)
    types the tables and calls this per chunk.

    >>> import datetime as dt, policylang
    >>> rules = policylang.load("rules").rules
    >>> table = parameter_table(rules, dt.date(2023, 8, 1))
    >>> table.filter(table["__place"] == "kunming.guandu")["param.dibao_standard"].item()
    Decimal('800.000000000000000000')
    """
    root = rules.schema.root.name
    frames = dict(frames)
    parameters = parameter_table(rules, date)
    if rules.schema.place_fact is not None:
        frames[root] = frames[root].lazy().join(
            parameters.lazy(), how="left", maintain_order="left",
            left_on=f"{root}.{rules.schema.place_fact}", right_on="__place").collect()
    else:  # rules without places: every value holds everywhere (PL012 refuses the others)
        frames[root] = frames[root].join(parameters.drop("__place"), how="cross",
                                         maintain_order="left")
    plan = FramePlan(root, frames)
    compiler = ProgramCompiler(rules, date, plan, relations_known, parameter_gaps(parameters))
    chosen = [(name, entity) for name in programs
              for entity in rules.programs[name].subject_entities()]
    decided = {key: compiler.decide(*key) for key in chosen}
    raised = _raised(plan, root, [(entity, d.error) for (_, entity), d in decided.items()])
    done = plan.finish()
    rows = [_rows(done[entity].lazy(), name, entity, d, rules, root,
                  scoped=entity != rules.programs[name].subject)
            for (name, entity), d in decided.items()]
    raised_keys = done[root].lazy().filter(pl.col(raised)).select(HOUSEHOLD_KEY)
    if not rows:  # no program, or none with a subject: `screen` writes each household's row
        rows = [pl.LazyFrame(schema={**output_schema(rules), HOUSEHOLD_KEY: pl.UInt32})]
    return pl.concat(rows, how="vertical"), raised_keys


def _raised(plan: FramePlan, root: str, errors: list[tuple[str, pl.Expr | None]]) -> str:
    """A household column: whether any decision of the household raised."""
    by_frame: dict[str, list[pl.Expr]] = {}
    for entity, error in errors:
        if error is not None:
            by_frame.setdefault(entity, []).append(error)
    flags = by_frame.get(root, [])
    for entity, found in by_frame.items():
        if entity != root:
            flags.append(pl.col(plan.aggregate(entity, either(*found), "any")).fill_null(False))
    return plan.add(root, either(*flags) if flags else pl.lit(False), "raised")


def _rows(frame: pl.LazyFrame, program: str, entity: str, d, rules, root: str,
          scoped: bool) -> pl.LazyFrame:
    key = rules.schema.entities[entity].key
    columns = output_schema(rules)
    owner = pl.col(f"{root}.{rules.schema.root.key}") if entity == root else pl.col("__parent")
    subject = pl.col(f"{entity}.{key}") if key else pl.lit("")
    rows = frame.select(
        owner.alias("household_id"), pl.lit(entity).alias("subject_kind"),
        subject.cast(pl.String).alias("subject_id"), pl.lit(program).alias("program"),
        d.outcome.alias("outcome"),
        d.amount.round(columns["amount_value"].scale, mode="half_to_even")
        .cast(columns["amount_value"]).alias("amount_value"),
        d.unit.alias("amount_unit"), d.per.alias("amount_per"), d.reason.alias("reason"),
        pl.lit(None, dtype=pl.String).alias("error"), pl.col(HOUSEHOLD_KEY))
    if scoped:
        rows = rows.filter(pl.col("outcome") != "not_applicable")
    return rows.cast(columns)


def parameter_table(rules: ir.CheckedRules, date: dt.date) -> pl.DataFrame:
    """One row per place: each parameter's value in force on `date` there (falling back up
    the jurisdiction chain), and whether it has none (the interpreter's PL206); one row
    (place null) for rules without a place fact, whose values hold everywhere."""
    places = list(rules.schema.places) if rules.schema.place_fact is not None else [None]
    columns: dict[str, pl.Series] = {"__place": pl.Series(places, dtype=pl.String)}
    chains = {place: [] if place is None else rules.schema.jurisdiction_chain(place)
              for place in places}
    for name, parameter in rules.parameters.items():
        found = [parameter.value_in_force(chains[place], date) for place in places]
        if parameter.scale is not None:
            columns.update(_scale_columns(name, parameter, found))
            continue
        # A value the columns cannot hold exactly counts as missing: the households that
        # read it go to the interpreter, which computes with it exactly.
        values = [None if entry is None or not fits_batch(entry.value) else entry.value
                  for entry in found]
        missing = [value is None for value in values]
        columns[f"param.{name}"] = _series(values, polars_type(parameter.type))
        columns[f"param_missing.{name}"] = pl.Series(missing, dtype=pl.Boolean)
    return pl.DataFrame(columns)


def _scale_columns(name: str, parameter: ir.Parameter, found: list) -> dict[str, pl.Series]:
    """A scale as columns per place: `param.NAME.from.K` and `param.NAME.value.K` for step K
    (null past the place's last step), and `param_missing.NAME`. A step the columns cannot
    hold exactly counts as missing, as for a value."""
    width = scale_width(parameter)
    steps = [None if entry is None or not all(fits_batch(x) for s in entry.value.steps for x in s)
             else entry.value.steps for entry in found]
    value_type = polars_type(parameter.type) if parameter.scale == "bands" else DECIMAL
    columns = {}
    for k in range(width):
        row = [None if s is None or k >= len(s) else s[k] for s in steps]
        columns[f"param.{name}.from.{k}"] = _series([None if r is None else r[0] for r in row],
                                                     DECIMAL)
        columns[f"param.{name}.value.{k}"] = _series([None if r is None else r[1] for r in row],
                                                      value_type)
    columns[f"param_missing.{name}"] = pl.Series([s is None for s in steps], dtype=pl.Boolean)
    return columns


def parameter_gaps(table: pl.DataFrame) -> frozenset[str]:
    """Parameters without a value for some place: only their lookups can raise (PL206)."""
    return frozenset(name.removeprefix("param_missing.") for name in table.columns
                     if name.startswith("param_missing.") and table.get_column(name).any())


def _series(values: list, dtype: pl.DataType) -> pl.Series:
    if isinstance(dtype, pl.Decimal):
        values = [None if v is None else Decimal(v) for v in values]
    return pl.Series(values, dtype=dtype)

