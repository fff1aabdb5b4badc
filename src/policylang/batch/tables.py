"""Batch input tables (CONTRACT §4): read, normalise and check the top entity's table and
one table per list of it (households, members and events for the bundled rules).

A list table links each row to its top-entity row by the column `<top entity>_id`
(`parent_column`: `household_id` for the bundled rules, `family_id` for
tests/rulebooks/family); `Tables.children` gives the list tables with that column
named `PARENT_COLUMN`, the name the engine reads.

Each table becomes a lazy frame whose fact columns are named `entity.fact` and
typed as the batch compiler expects (money Decimal(38, 18), dates, booleans …).
A cell that does not fit its fact — a misspelt enum, a negative amount, a float
where money is expected, a bad date — marks its household *unclean*. Unclean
households never reach the compiled plan: screening sends them through the
reference interpreter, from the same raw cells turned into a household object
(`household_objects`), so the error message is exactly the one `policylang eval`
gives for that household. The checks here only have to be at least as strict
as facts.py; where they are stricter the interpreter decides, which is safe.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import attrs
import polars as pl

from .. import ir
from .columns import BATCH_LIMIT, DECIMAL, literal, polars_type
from .frames import HOUSEHOLD_KEY
from .month_columns import month_cells, month_columns, row_value
from .table_files import TableError, read_table  # noqa: F401 — read_table: api.py finds it here
from ..core.limits import MAX_AMOUNT_PLACES, MAX_ID_CHARS, MAX_TEXT_CHARS, list_limit
from ..core.rounding import PLACES
from ..ir.schema import EntitySchema, FactSchema, Schema

# Inside the engine, the column of a list row that names its top-entity row: the input's
# `parent_column` renamed (the two are the same, `household_id`, for the bundled rules).
PARENT_COLUMN = "household_id"
UNCLEAN = "__unclean"
DECIMAL_TEXT = rf"^-?[0-9]+(\.[0-9]{{1,{PLACES}}})?$"  # ASCII digits, as facts files
INTEGER_TEXT = r"^-?[0-9]+$"
DATE_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@attrs.frozen
class Tables:
    """The raw input tables, lazily read: the top entity's table (`households`) and, per list
    of it (`members`), its table or None (not given: every record's list is unknown).
    `parent` is the column of the list tables that names the top-entity row
    (`parent_column`); `children` gives the list tables with it named `PARENT_COLUMN`."""

    households: pl.LazyFrame
    lists: dict[str, pl.LazyFrame | None]
    parent: str = PARENT_COLUMN
    # Where each table was read from (`households`, and each list's name): for messages.
    sources: dict[str, str] = attrs.field(factory=dict)

    def source(self, name: str) -> str:
        """The path of table `name` (`households`, or a list), or words naming it."""
        if name in self.sources:
            return self.sources[name]
        return "the households table" if name == "households" else f"the table of `{name}`"

    @property
    def children(self) -> dict[str, pl.LazyFrame | None]:
        """The list tables as the engine reads them: the link column named `PARENT_COLUMN`."""
        if self.parent == PARENT_COLUMN:
            return dict(self.lists)
        return {name: None if frame is None else _linked(frame, self.parent)
                for name, frame in self.lists.items()}


def _linked(frame: pl.LazyFrame, parent: str) -> pl.LazyFrame:
    names = frame.collect_schema().names()
    if parent not in names:  # `require_links` refuses such a table before screening
        return frame
    if PARENT_COLUMN in names:  # not the link in these rules: in the engine's way, dropped
        frame = frame.drop(PARENT_COLUMN)
    return frame.rename({parent: PARENT_COLUMN})


def parent_column(schema: Schema) -> str:
    """The column of a list table naming its top-entity row: `<top entity>_id`."""
    return f"{schema.root.name}_id"


def subject_lists(rules: ir.CheckedRules) -> tuple[str, ...]:
    """The top entity's lists whose records programs decide for (`members` for the bundled
    rules, whose person programs and `dibao`'s exception decide for each member)."""
    subjects = {entity for program in rules.programs.values()
                for entity in program.subject_entities()}
    return tuple(name for name, entity in relations(rules.schema).items() if entity in subjects)


def list_tables(rules: ir.CheckedRules, given: dict, how: str) -> dict:
    """Every list of the top entity with its given table, or None (not given: unknown).

    A table for a list the rules do not have, or no table for a list whose records programs
    decide for, is a `TableError` naming the rules' lists; `how` says how to give a table
    (`--table LIST=PATH`), for the message."""
    lists = relations(rules.schema)
    root = rules.schema.root.name
    named = ", ".join(f"`{name}` ({entity})" for name, entity in lists.items()) or "none"
    for name in given:
        if name not in lists:
            raise TableError(f"a table was given for the list `{name}`, which the rules do not "
                             f"have: the lists of a {root} are {named}; {how}")
    for name in subject_lists(rules):
        if given.get(name) is None:
            raise TableError(f"no table for the list `{name}`, whose {lists[name]} records "
                             f"the programs decide for; {how}")
    return {name: given.get(name) for name in lists}


def require_links(tables: Tables, where: dict | None = None) -> None:
    """A `TableError` for a list table without the column naming its top-entity row;
    `where` names the tables (their paths) in the message."""
    for name, frame in tables.lists.items():
        if frame is not None:
            names = frame.collect_schema().names()
            if tables.parent not in names:
                label = (where or {}).get(name, f"the table of `{name}`")
                raise TableError(f"{label}: no `{tables.parent}` column naming each row's "
                                 f"record of the top entity (it has: {', '.join(names) or 'none'})")


def relations(schema: Schema) -> dict[str, str]:
    """The top entity's lists and the entity of each (`members` → `member`)."""
    return dict(schema.root.relations)


def ignored_columns(schema: Schema, tables: Tables) -> dict[str, list[str]]:
    """Columns of each table the schema does not know; they are not read (say so)."""
    found = {"households": _extra(tables.households, schema.root, ())}
    for relation, frame in tables.children.items():
        if frame is not None:
            entity = schema.entities[relations(schema)[relation]]
            found[relation] = _extra(frame, entity, (PARENT_COLUMN,))
    return {name: cols for name, cols in found.items() if cols}


def _extra(frame: pl.LazyFrame, entity: EntitySchema, keep: tuple[str, ...]) -> list[str]:
    names = frame.collect_schema().names()
    months = {f.name for f in month_columns(entity, names)}
    return [c for c in names if c not in entity.inputs and c not in keep and c not in months]


def _typed_inputs(entity: EntitySchema, names, schema: Schema) -> list[tuple[pl.Expr, pl.Expr]]:
    """(typed value, bad-cell flag) of each fact column, and of each month column of a
    history fact (`salary[2023-07]`, typed as the fact)."""
    return [_typed(fact, names.get(fact.name), entity.name, schema)
            for fact in [*entity.inputs.values(), *month_columns(entity, names)]]


# ---------------------------------------------------------------- typed frames
def typed_households(frame: pl.LazyFrame, schema: Schema) -> pl.LazyFrame:
    """The household table with typed `household.fact` columns, a row key and `__unclean`."""
    entity = schema.root
    names = frame.collect_schema()
    key = f"{entity.name}.{entity.key}"
    typed = _typed_inputs(entity, names, schema)
    ids = pl.col(entity.key).cast(pl.String) if entity.key in names else pl.lit(None, pl.String)
    unclean = pl.any_horizontal([bad for _, bad in typed] + [ids.is_null(), ids.is_duplicated()])
    typed_values = [value for value, _ in typed if value.meta.output_name() != key]
    return frame.with_row_index(HOUSEHOLD_KEY).select(
        [pl.col(HOUSEHOLD_KEY), ids.alias("__id"), ids.alias(key), unclean.alias(UNCLEAN)]
        + typed_values)


def typed_children(frame: pl.LazyFrame, entity: EntitySchema, households: pl.LazyFrame,
                   schema: Schema) -> pl.LazyFrame:
    """A child table (members, events) typed like `typed_households`, joined to its
    household's row key; rows naming no household are dropped here (`orphans` counts them)."""
    names = frame.collect_schema()
    typed = _typed_inputs(entity, names, schema)
    parent = pl.col(PARENT_COLUMN).cast(pl.String) if PARENT_COLUMN in names else pl.lit(None, pl.String)
    checks = [bad for _, bad in typed]
    if entity.key is not None:  # duplicates are found per household (`unclean_households`)
        key = f"{entity.name}.{entity.key}"
        checks += [value.is_null() for value, _ in typed if value.meta.output_name() == key]
    frame = frame.select([value for value, _ in typed] + [parent.alias("__parent"),
                                                          pl.any_horizontal(checks).alias(UNCLEAN)])
    ids = households.select(HOUSEHOLD_KEY, pl.col("__id").alias("__parent"))
    return frame.join(ids, on="__parent", how="inner")


def unclean_households(households: pl.LazyFrame, children: dict[str, pl.LazyFrame],
                       schema: Schema) -> pl.LazyFrame:
    """Row keys of households with a bad cell in any table, more rows in one list than
    `list_limit` allows, or two rows of a list with the same id."""
    flagged = [households.filter(pl.col(UNCLEAN)).select(HOUSEHOLD_KEY)]
    for relation, frame in children.items():
        entity = schema.entities[relations(schema)[relation]]
        bad = pl.col(UNCLEAN).any() | (pl.len() > list_limit(entity))
        if entity.key is not None:
            key = pl.col(f"{entity.name}.{entity.key}")
            bad = bad | (key.n_unique() < pl.len())
        per_household = frame.group_by(HOUSEHOLD_KEY).agg(bad.alias("bad"))
        flagged.append(per_household.filter(pl.col("bad")).select(HOUSEHOLD_KEY))
    return pl.concat(flagged).unique()


def _typed(fact: FactSchema, dtype: pl.DataType | None, entity: str,
           schema: Schema) -> tuple[pl.Expr, pl.Expr]:
    """(typed value named `entity.fact`, bad-cell flag) for one fact column."""
    name = f"{entity}.{fact.name}"
    target = polars_type(fact.type)
    default = None if fact.default is None else literal(fact.default, fact.type).cast(target)
    if dtype is None:  # the column is missing: every cell is unknown, or takes the default
        return (pl.lit(None, dtype=target) if default is None else default).alias(name), pl.lit(False)
    raw = pl.col(fact.name)
    value, fits = _converted(raw, dtype, fact, schema)
    if default is not None:  # an empty cell takes the default; a bad one is still bad
        value = pl.when(raw.is_null()).then(default).otherwise(value)
    bad = raw.is_not_null() & (~fits.fill_null(False) | value.is_null())
    if fact.bounds is not None:
        low, high = (pl.lit(b, dtype=DECIMAL) for b in fact.bounds)
        bad = bad | ~value.cast(DECIMAL).is_between(low, high).fill_null(True)
    if fact.type.kind in ("money", "kwh"):
        bad = bad | (value < 0).fill_null(False)
    if isinstance(target, pl.Decimal) or fact.type.kind == "int":
        # beyond the batch engine's Decimal(38, 18) products (and Int64 ones); more places
        # than facts allow (the interpreter's PL108): either way the interpreter decides
        bad = bad | (value.abs() > BATCH_LIMIT).fill_null(False)
    if isinstance(target, pl.Decimal):
        bad = bad | (value != value.round(MAX_AMOUNT_PLACES)).fill_null(False)
    if fact.type.kind == "text":  # longer than facts allow (the interpreter's PL108)
        longest = MAX_ID_CHARS if fact.name == schema.entities[entity].key else MAX_TEXT_CHARS
        bad = bad | (value.str.len_chars() > longest).fill_null(False)
    return value.alias(name), bad


def _converted(raw: pl.Expr, dtype: pl.DataType, fact: FactSchema,
               schema: Schema) -> tuple[pl.Expr, pl.Expr]:
    """The cell as the fact's type, and whether the cell is acceptable as written."""
    kind = fact.type.kind
    numeric = kind in ("money", "kwh", "decimal") or fact.type.is_duration
    if dtype == pl.String:
        if numeric:
            fits = raw.str.contains(DECIMAL_TEXT)
            return pl.when(fits).then(raw).cast(DECIMAL, strict=False), fits
        if kind == "int":
            fits = raw.str.contains(INTEGER_TEXT)
            return pl.when(fits).then(raw).cast(pl.Int64, strict=False), fits
        if kind == "bool":
            return raw == "true", raw.is_in(["true", "false"])
        if kind == "date":
            fits = raw.str.contains(DATE_TEXT)
            return pl.when(fits).then(raw).str.to_date("%Y-%m-%d", strict=False), fits
        choices = _choices(fact, schema)
        return raw, pl.lit(True) if choices is None else raw.is_in(choices)
    if numeric and (dtype.is_integer() or isinstance(dtype, pl.Decimal)):
        fits = pl.lit(not isinstance(dtype, pl.Decimal) or dtype.scale <= PLACES)
        return raw.cast(DECIMAL, strict=False), fits
    if kind == "int" and dtype.is_integer():
        return raw.cast(pl.Int64, strict=False), pl.lit(True)
    if kind == "text" and dtype.is_integer():  # numeric ids in a Parquet table are text
        return raw.cast(pl.String), pl.lit(True)
    if (kind == "bool" and dtype == pl.Boolean) or (kind == "date" and dtype == pl.Date):
        return raw, pl.lit(True)
    return pl.lit(None, dtype=polars_type(fact.type)), pl.lit(False)  # a float, or any other type


def _choices(fact: FactSchema, schema: Schema) -> list[str] | None:
    """The texts an enum or place fact allows (None: any text)."""
    if fact.type.kind == "enum":
        return list(schema.enums[fact.type.name])
    if fact.type.kind == "place":
        return list(schema.places)
    return None


# ---------------------------------------------------------------- household objects
def household_objects(schema: Schema, households: pl.DataFrame,
                      children: dict[str, pl.DataFrame | None], date: dt.date) -> list[dict]:
    """Raw rows as household objects (CONTRACT §1), for the interpreter: members and events
    in table order; a list whose table was not given is left out (unknown). `date` is the
    month screened, which a history fact's column `salary` gives (month_columns.py)."""
    entity = schema.root
    grouped = {relation: _by_parent(frame) for relation, frame in children.items() if frame is not None}
    objects = []
    for row in households.iter_rows(named=True):
        household_id = None if row.get(entity.key) is None else str(row[entity.key])
        item = _object(row, entity, date)
        for relation, target in relations(schema).items():
            if relation in grouped:
                child = schema.entities[target]
                item[relation] = [_object(r, child, date)
                                  for r in grouped[relation].get(household_id, [])]
        objects.append(item)
    return objects


def _by_parent(frame: pl.DataFrame) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for row in frame.iter_rows(named=True):
        parent = row.get(PARENT_COLUMN)
        found.setdefault(None if parent is None else str(parent), []).append(row)
    return found


def _object(row: dict, entity: EntitySchema, date: dt.date) -> dict:
    """One row as the JSON object facts.py validates: null cells left out (unknown)."""
    item = {}
    for fact in entity.inputs.values():
        value = row_value(row, fact.name, date) if fact.history else row.get(fact.name)
        if isinstance(value, dict):  # a history's months
            item[fact.name] = {month: _json_value(v, fact) for month, v in value.items()}
        elif value is not None:
            item[fact.name] = _json_value(value, fact)
    return item


def _json_value(value, fact: FactSchema):
    """A cell as it would appear in a facts file: text typed by the fact where CSV gave text."""
    kind = fact.type.kind
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind == "text" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        if kind == "bool" and value in ("true", "false"):
            return value == "true"
        if kind == "int" and re.fullmatch(INTEGER_TEXT, value):
            return int(value)
    return value


def tables_from_objects(schema: Schema, objects: list[dict], date: dt.date | None = None) -> Tables:
    """Household objects (CONTRACT §1) as text tables, the inverse of `household_objects`:
    for tests, and for turning a facts file into the tables `screen` reads (list rows
    linked by `parent_column`). Every list table is given, so an object without `events`
    gets none (not unknown). With `date`, a history fact given as one value goes in the
    column of that month, so that objects giving months and objects giving one value fit
    in one table."""
    entity = schema.root
    parent = parent_column(schema)
    households = _text_frame([_cells(item, entity, date) for item in objects], _columns(entity))
    children = {}
    for relation, target in relations(schema).items():
        rows = [{parent: item.get(entity.key), **_cells(child, schema.entities[target], date)}
                for item in objects for child in (item.get(relation) or [])]
        children[relation] = _text_frame(rows, [parent, *_columns(schema.entities[target])])
    return Tables(households, children, parent)


def _columns(entity: EntitySchema) -> list[str]:
    """The columns every table of `entity` has; a history fact's come with its rows (a
    column for the month screened and the column `salary` may not stand side by side)."""
    return [name for name in entity.inputs
            if name not in entity.facts or not entity.facts[name].history]


def _cells(item: dict, entity: EntitySchema, date: dt.date | None) -> dict:
    """An object's facts as cells: a history given by month in its month columns."""
    if not isinstance(item, dict):
        raise TypeError(f"a {entity.name} must be an object, not {type(item).__name__}")
    cells = {}
    for name in entity.inputs:
        fact = entity.facts.get(name)
        if fact is not None and fact.history:
            if item.get(name) is not None:
                cells.update(month_cells(name, item[name], date))
        else:
            cells[name] = item.get(name)
    return cells


def _text_frame(rows: list[dict], columns: list[str]) -> pl.LazyFrame:
    columns = list(dict.fromkeys([*columns, *(c for row in rows for c in row)]))
    cells = [{c: _text(row.get(c)) for c in columns} for row in rows]
    return pl.DataFrame(cells, schema={c: pl.String for c in columns}).lazy()


def _text(value) -> str | None:
    """A JSON value as a CSV cell would hold it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
