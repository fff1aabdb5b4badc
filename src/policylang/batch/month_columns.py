"""A history fact in tables: the column `salary` holds the value of the month screened, and
a column per month, `salary[2023-07]`, the value of that month (semantics/months.py says
which month a rule reads). The two ways meet only in the month screened, which one table
may not give twice (`refuse_doubled_months`).

Facts files write the same values as `{"salary": {"2023-07": "1200"}}`; `row_value` and
`month_cells` turn one form into the other, so that the interpreter reads a row's months
exactly as the batch engine reads its columns.

>>> import datetime as dt
>>> month_column("salary", "2023-07")
'salary[2023-07]'
>>> row_value({"salary": "900", "salary[2023-07]": "1000"}, "salary", dt.date(2023, 8, 1))
{'2023-07': '1000', '2023-08': '900'}
"""

from __future__ import annotations

import datetime as dt
import re

import attrs
import polars as pl

from ..core.dates import OutsideCalendar
from ..ir.schema import EntitySchema, FactSchema, Schema
from ..semantics.months import MONTH, month_before, month_of
from .columns import Col, literal, polars_type
from .table_files import TableError

MONTH_COLUMN = re.compile(rf"(\w+)\[({MONTH.pattern})\]")


def month_column(fact: str, month: str) -> str:
    """The table column of one month of a history fact."""
    return f"{fact}[{month}]"


def month_columns(entity: EntitySchema, names) -> list[FactSchema]:
    """The month columns among a table's column `names`, each as the fact it holds one month
    of (a `FactSchema` named as the column, typed and bounded as the fact)."""
    found = []
    for name in names:
        match = MONTH_COLUMN.fullmatch(name)
        fact = entity.facts.get(match.group(1)) if match else None
        if fact is not None and fact.history:
            found.append(attrs.evolve(fact, name=name))
    return found


def refuse_doubled_months(schema: Schema, tables, date: dt.date) -> None:
    """A TableError when a table gives the month screened twice: in the column `salary`
    and in `salary[2023-08]`, which of the two is meant would be unclear."""
    for relation, frame in [(None, tables.households), *tables.lists.items()]:
        if frame is None:
            continue
        entity = schema.root if relation is None else schema.entities[schema.root.relations[relation]]
        names = frame.collect_schema().names()
        for fact in entity.facts.values():
            doubled = month_column(fact.name, month_of(date))
            if fact.history and fact.name in names and doubled in names:
                where = tables.sources.get(relation or "households", relation or "households")
                raise TableError(f"{where}: the columns `{fact.name}` and `{doubled}` both give "
                                 f"the value of {month_of(date)}, the month screened: keep one")


def row_value(row: dict, fact: str, date: dt.date | None):
    """A history fact of one table row as a facts file writes it: its months as an object
    (with the month screened from the column `fact`), or the one value, or None."""
    months = {}
    for column, value in row.items():
        match = MONTH_COLUMN.fullmatch(column)
        if match and match.group(1) == fact and value is not None:
            months[match.group(2)] = value
    value = row.get(fact)
    if not months:
        return value
    if value is not None and date is not None:
        months[month_of(date)] = value
    return dict(sorted(months.items()))


def month_cells(fact: str, value, date: dt.date | None = None) -> dict:
    """A history fact of a facts file as table cells: one column per month given; one value
    in the column of the month `date` falls in, or without a date in the column `fact`."""
    if isinstance(value, dict):
        return {month_column(fact, month): cell for month, cell in value.items()}
    return {fact if date is None else month_column(fact, month_of(date)): value}


def month_col(names, holder: str, fact: FactSchema, back: int, date: dt.date) -> Col:
    """The compiled value of a history fact `back` months before the month screened, from
    the typed columns `names` of its frame: the month's column (an empty cell took the
    default when the table was typed); else, for the month screened, the column `salary`;
    else the default, or unknown. A month before the calendar raises (the interpreter then
    says PL207)."""
    try:
        month = month_before(date, back)
    except OutsideCalendar:
        return Col(pl.lit(None, dtype=polars_type(fact.type)), None, pl.lit(True))
    column = f"{holder}.{month_column(fact.name, month)}"
    if column in names:
        return Col(pl.col(column))
    if back == 0:
        return Col(pl.col(f"{holder}.{fact.name}"))
    if fact.default is not None:
        return Col(literal(fact.default, fact.type).cast(polars_type(fact.type)))
    return Col(pl.lit(None, dtype=polars_type(fact.type)))
