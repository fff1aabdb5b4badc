"""Population screening (CONTRACT §4): tables in, one row per (subject, program) out.

The job runs in chunks of households (members and events follow their
household by a hash of its id), so ten million persons fit in bounded memory.
Per chunk, clean households go through the compiled plan (batch.py); households
with a bad cell, a duplicated id, or an evaluation that would raise go through
the reference interpreter, which writes their decisions or their error rows.
`--engine interpreter` sends every household through the interpreter: the same
rows, slower. Either way every input household comes out.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Iterator

import attrs
import polars as pl

from .. import ir
from .decide import output_schema
from .halving import decided_by_plan
from ..interpret.decisions import HouseholdDecisions
from ..core.rounding import EXACT
from ..facts.load import load_household
from .frames import HOUSEHOLD_KEY
from .table_files import collected
from .month_columns import refuse_doubled_months
from .tables import (PARENT_COLUMN, Tables, household_objects, relations, typed_children,
                     typed_households, unclean_households)

CHUNK_HOUSEHOLDS = 250_000
HASH_SEED = 20231001
TABLE_DIGITS = 38  # of the table's Decimal(38, places) amount column, places included


@attrs.frozen
class ChunkResult:
    """The rows of one chunk and what went into it."""

    rows: pl.DataFrame  # CONTRACT §4 columns, and the household's row key in the chunk (`__h`)
    households: int
    persons: int
    by_interpreter: int  # households decided by the interpreter (bad data or an error)
    orphans: int  # member or event rows naming no household of the table


@attrs.define
class Summary:
    households_in: int = 0
    persons_in: int = 0
    households_out: int = 0
    rows_out: int = 0
    error_households: int = 0
    by_interpreter: int = 0
    orphans: int = 0
    outcomes: dict = attrs.field(factory=dict)

    def add(self, chunk: ChunkResult) -> None:
        self.households_in += chunk.households
        self.persons_in += chunk.persons
        self.by_interpreter += chunk.by_interpreter
        self.orphans += chunk.orphans
        self.rows_out += chunk.rows.height
        self.households_out += chunk.rows.get_column(HOUSEHOLD_KEY).n_unique()
        errors = chunk.rows.filter(pl.col("error").is_not_null())
        self.error_households += errors.get_column(HOUSEHOLD_KEY).n_unique()
        kind = (pl.when(pl.col("error").is_not_null()).then(pl.lit("error"))
                .when(pl.col("outcome").is_null()).then(pl.lit("no subject"))
                .otherwise(pl.col("outcome").cast(pl.String)))
        for key, count in chunk.rows.group_by(kind.alias("kind")).len().iter_rows():
            self.outcomes[key] = self.outcomes.get(key, 0) + count


def screen(ruleset, tables: Tables, date: dt.date, programs: tuple[str, ...] | None = None,
           engine: str = "batch", chunk_households: int = CHUNK_HOUSEHOLDS) -> Iterator[ChunkResult]:
    """Decide every household of `tables`, chunk by chunk.

    >>> import datetime as dt, json, policylang
    >>> from policylang.batch.tables import tables_from_objects
    >>> rules = policylang.load("rules")
    >>> facts = json.load(open("examples/kunming-edge-family.json", encoding="utf-8"))
    >>> tables = tables_from_objects(rules.rules.schema, [facts])
    >>> (chunk,) = screen(rules, tables, dt.date(2023, 8, 1), ("dibao",))
    >>> chunk.rows.select("subject_id", "outcome", "reason").sort("subject_id").rows()[:3]
    [('kunming-edge-family', 'not_eligible', 'not met: income_test'), ('p1', 'not_eligible', 'not met: single_person.special_hardship'), ('p2', 'eligible', 'by exception single_person')]
    >>> chunk.by_interpreter  # households the interpreter had to decide
    0
    """
    rules = ruleset.rules
    chosen = programs or tuple(rules.programs)
    refuse_doubled_months(rules.schema, tables, date)
    parts = chunk_count(tables, chunk_households)
    for part in range(parts):
        yield _chunk(ruleset, _part(tables, part, parts, rules.schema.root.key), date, chosen,
                     engine)


def chunk_count(tables: Tables, chunk_households: int = CHUNK_HOUSEHOLDS) -> int:
    """How many chunks `screen` cuts the households into."""
    count = collected(tables.households.select(pl.len()), tables.source("households")).item()
    return max(1, math.ceil(count / chunk_households))


def _part(tables: Tables, part: int, parts: int, key: str) -> Tables:
    """The households whose id hashes to `part`, with their members and events."""
    if parts == 1:
        return tables

    def where(frame: pl.LazyFrame, column: str) -> pl.LazyFrame:
        return frame.filter(pl.col(column).cast(pl.String).hash(HASH_SEED) % parts == part)

    return Tables(where(tables.households, key),
                  {name: None if frame is None else where(frame, PARENT_COLUMN)
                   for name, frame in tables.children.items()}, sources=tables.sources)


def _chunk(ruleset, tables: Tables, date: dt.date, programs: tuple[str, ...],
           engine: str) -> ChunkResult:
    schema = ruleset.rules.schema
    raw_households = collected(tables.households.with_row_index(HOUSEHOLD_KEY),
                               tables.source("households"))
    raw_children = {name: None if frame is None else collected(frame, tables.source(name))
                    for name, frame in tables.children.items()}
    given = {name: frame for name, frame in raw_children.items() if frame is not None}
    counts = (raw_households.height,  # persons: rows of `tables.subject_lists`
              sum(frame.height for name, frame in given.items() if relations(schema)[name] in
                  {e for p in ruleset.rules.programs.values() for e in p.subject_entities()}),
              _orphans(schema.root.key, raw_households, given))
    if engine == "interpreter":
        return _interpreted(ruleset, raw_households, raw_children, date, programs, counts)
    empty = pl.DataFrame(schema={PARENT_COLUMN: pl.String})  # a list whose table is missing
    households, children = _typed(schema, raw_households,
                                  {name: given.get(name, empty) for name in raw_children})
    unclean = unclean_households(households.lazy(), {n: f.lazy() for n, f in children.items()},
                                 schema).collect().get_column(HOUSEHOLD_KEY)
    frames = {schema.root.name: _without(households, unclean)}
    for name, frame in children.items():
        frames[relations(schema)[name]] = _without(frame, unclean)
    known = {entity: name in given for name, entity in relations(schema).items()}
    rows, raised = decided_by_plan(ruleset.rules, date, programs, frames, known)
    fallback = pl.concat([raised, unclean]).unique()
    fast = rows.filter(~pl.col(HOUSEHOLD_KEY).is_in(fallback.implode()))
    slow = _by_interpreter(ruleset, raw_households, raw_children, fallback, date, programs)
    rows = _with_every_household(pl.concat([fast, slow], how="vertical"), raw_households,
                                 schema.root)
    households_in, persons, orphans = counts
    return ChunkResult(rows, households_in, persons, fallback.len(), orphans)


def _interpreted(ruleset, raw_households, raw_children, date, programs, counts) -> ChunkResult:
    """The whole chunk through the interpreter (`--engine interpreter`, or a chunk the
    compiled plan could not compute)."""
    keys = raw_households.get_column(HOUSEHOLD_KEY)
    rows = _by_interpreter(ruleset, raw_households, raw_children, keys, date, programs)
    rows = _with_every_household(rows, raw_households, ruleset.rules.schema.root)
    households_in, persons, orphans = counts
    return ChunkResult(rows, households_in, persons, households_in, orphans)


def _orphans(key: str, raw_households: pl.DataFrame, children: dict[str, pl.DataFrame]) -> int:
    """Member and event rows whose household id names no household of the chunk."""
    if key not in raw_households.columns:
        return sum(frame.height for frame in children.values())
    ids = raw_households.get_column(key).cast(pl.String).implode()
    return sum(frame.filter(~pl.col(PARENT_COLUMN).cast(pl.String).is_in(ids).fill_null(False)).height
               for frame in children.values())


NO_SUBJECT = "no subject for the chosen programs"


def _with_every_household(rows: pl.DataFrame, raw_households: pl.DataFrame, root) -> pl.DataFrame:
    """A row for each household the chosen programs have nothing to say about (person
    programs only, and no members), so that every input household is in the output."""
    key = root.key
    silent = raw_households.filter(~pl.col(HOUSEHOLD_KEY).is_in(
        rows.get_column(HOUSEHOLD_KEY).implode()))
    if silent.height == 0:
        return rows
    ids = (silent.get_column(key).cast(pl.String) if key in silent.columns
           else pl.repeat(None, silent.height, dtype=pl.String, eager=True))
    extra = pl.DataFrame({"household_id": ids, "subject_kind": root.name, "subject_id": ids,
                          "reason": NO_SUBJECT, HOUSEHOLD_KEY: silent.get_column(HOUSEHOLD_KEY)})
    extra = extra.with_columns(pl.lit(None).alias(c) for c in rows.columns if c not in extra.columns)
    return pl.concat([rows, extra.select(rows.columns).cast(rows.schema)])


def typed_frames(schema, raw_households: pl.DataFrame,
                 children: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The typed frame of each entity, from a chunk's raw tables (a list whose table is
    missing gets an empty frame)."""
    empty = pl.DataFrame(schema={PARENT_COLUMN: pl.String})
    households, typed = _typed(schema, raw_households,
                               {name: children.get(name, empty) for name in relations(schema)})
    return {schema.root.name: households,
            **{relations(schema)[name]: frame for name, frame in typed.items()}}


def _typed(schema, raw_households: pl.DataFrame, children: dict[str, pl.DataFrame]):
    """The typed household frame and child frames, computed together once."""
    households = typed_households(raw_households.lazy().drop(HOUSEHOLD_KEY), schema).collect()
    typed = {name: typed_children(frame.lazy(), schema.entities[relations(schema)[name]],
                                  households.lazy(), schema) for name, frame in children.items()}
    return households, dict(zip(typed, pl.collect_all(list(typed.values()))))


def _without(frame: pl.DataFrame, keys: pl.Series) -> pl.DataFrame:
    return frame.filter(~pl.col(HOUSEHOLD_KEY).is_in(keys.implode()))


# ---------------------------------------------------------------- the interpreter's rows
def _by_interpreter(ruleset, raw_households: pl.DataFrame, raw_children: dict,
                    keys: pl.Series, date: dt.date, programs: tuple[str, ...]) -> pl.DataFrame:
    """Rows for the households with row keys `keys`, decided by the interpreter."""
    chosen = raw_households.filter(pl.col(HOUSEHOLD_KEY).is_in(keys.implode()))
    if chosen.height == 0:
        return pl.DataFrame(schema={**output_schema(ruleset.rules), HOUSEHOLD_KEY: pl.UInt32})
    schema = ruleset.rules.schema
    key = schema.root.key
    ids = chosen.get_column(key).cast(pl.String) if key in chosen.columns else None
    counts = raw_households.get_column(key).cast(pl.String).value_counts() \
        if key in raw_households.columns else None
    duplicated = set() if counts is None else set(
        counts.filter(pl.col("count") > 1).get_column(key).to_list())
    children = {}
    for name, frame in raw_children.items():
        if frame is not None and ids is not None:
            children[name] = frame.filter(pl.col(PARENT_COLUMN).cast(pl.String).is_in(ids.implode()))
        else:
            children[name] = frame
    rows, row_keys = [], []
    objects = household_objects(schema, chosen.drop(HOUSEHOLD_KEY), children, date)
    for row_key, item in zip(chosen.get_column(HOUSEHOLD_KEY), objects):
        household_id = item.get(key)
        if household_id is None or str(household_id) in duplicated:
            found = [_error_row(household_id, _id_problem(household_id, key, schema.root.name), schema.root.name)]
        else:
            found = _interpreter_rows(ruleset, item, date, programs, str(household_id))
        rows.extend(found)
        row_keys.extend([row_key] * len(found))
    frame = pl.DataFrame(rows, schema=output_schema(ruleset.rules), orient="row")
    return frame.with_columns(pl.Series(HOUSEHOLD_KEY, row_keys, dtype=pl.UInt32))


def _interpreter_rows(ruleset, item: dict, date: dt.date, programs: tuple[str, ...],
                      household_id: str) -> list[tuple]:
    """One household's rows from the interpreter. Should the interpreter raise rather than
    record an error (a failure it did not foresee), the household still gets its row: an
    error row saying what failed, so that a population never loses a household."""
    schema = ruleset.rules.schema
    try:
        loaded = load_household(item, schema, "<tables>")
        decided = ruleset.evaluate_one(loaded, date, programs, None, why_not=False)
        return decision_rows(decided, ruleset.rules, household_id)
    except MemoryError:
        raise
    except Exception as error:  # noqa: BLE001 — written down as this household's error row
        return [_error_row(household_id, _failure(error, schema.root.name), schema.root.name)]


def _failure(error: Exception, kind: str) -> str:
    """The error row of a household the interpreter could not evaluate.

    >>> _failure(ZeroDivisionError("division by zero"), "household")
    'the interpreter could not evaluate this household (ZeroDivisionError: division by zero); this is a bug in policylang: please report it'
    """
    text = str(error).strip().splitlines()
    detail = f"{type(error).__name__}: {text[0]}" if text else type(error).__name__
    return (f"the interpreter could not evaluate this {kind} ({detail}); this is a bug in "
            "policylang: please report it")


def _id_problem(household_id, key: str, kind: str) -> str:
    if household_id is None:
        return f"{key}: every {kind} needs an `{key}`"
    return f"{key}: the {kind} id `{household_id}` appears more than once in the table"


def _error_row(household_id, message: str, kind: str) -> tuple:
    return (None if household_id is None else str(household_id), kind,
            None if household_id is None else str(household_id), None, None, None, None, None,
            None, message)


def decision_rows(decided: HouseholdDecisions, rules: ir.CheckedRules, household_id: str) -> list[tuple]:
    """CONTRACT §4 rows of one household's decisions (and one row per error)."""
    rows = []
    places = output_schema(rules)["amount_value"].scale  # as in decisions JSON
    digits = TABLE_DIGITS - places
    for d in decided.decisions:
        amount = d.amount
        cents = None if amount is None else amount.value.quantize(Decimal(1).scaleb(-places),
                                                                   context=EXACT)
        if cents is not None and not abs(cents) < 10 ** digits:
            rows.append(_error_row(household_id, f"{d.program} for {d.subject_kind} {d.subject_id}: "
                                   f"the amount {cents} is too large for the screening table "
                                   f"(at most {digits} digits before the point)",
                                   rules.schema.root.name))
            continue
        rows.append((household_id, d.subject_kind, d.subject_id, d.program, d.outcome, cents,
                     None if amount is None else amount.unit,
                     None if amount is None else amount.per,
                     d.reason.table_text(), None))
    for error in decided.errors:
        where = f"{error.json_path}: " if error.json_path and error.json_path != "$" else ""
        rows.append(_error_row(household_id, f"{where}{error.message}", rules.schema.root.name))
    return rows

