"""The batch engine against the interpreter: the same rows for the same households.

Both engines run through `screen` on the same tables (`engine="batch"` and
`engine="interpreter"`), so the comparison covers the compiled plan, the reasons,
the amounts and the rows each engine writes.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from policylang.examples import example_facts
from policylang.screen import screen
from policylang.tables import tables_from_objects

from test_properties import RULESET, SCHEMA, modest, valid_households

KEY = ["household_id", "program", "subject_kind", "subject_id"]


def screened(objects: list[dict], date: dt.date, engine: str, **options) -> pl.DataFrame:
    tables = tables_from_objects(SCHEMA, objects)
    rows = pl.concat([c.rows for c in screen(RULESET, tables, date, engine=engine, **options)])
    return rows.drop("__h").sort(KEY, nulls_last=True)


def assert_same_rows(objects: list[dict], date: dt.date) -> None:
    batch = screened(objects, date, "batch")
    reference = screened(objects, date, "interpreter")
    if not batch.equals(reference):
        joined = batch.join(reference, on=KEY, how="full", suffix="_interpreter", nulls_equal=True)
        differing = [row for row in joined.iter_rows(named=True)
                     if any(row[c] != row[f"{c}_interpreter"] for c in batch.columns if c not in KEY)]
        raise AssertionError(f"on {date}, batch ≠ interpreter:\n" + "\n".join(map(str, differing[:10])))


@st.composite
def populations(draw):
    """A few valid households (some facts unknown) on one date, with distinct ids."""
    size = draw(st.integers(1, 4))
    cases = [draw(valid_households()) for _ in range(size)]
    date = cases[0][1]
    objects = []
    for i, (household, _) in enumerate(cases):
        household["id"] = f"hh{i}"
        household.setdefault("events", [])  # tables always carry the events list
        if household["events"] is None:
            household["events"] = []
        objects.append(household)
    return objects, date


@modest(120)
@given(populations())
def test_batch_engine_equals_the_interpreter(case):
    objects, date = case
    assert_same_rows(objects, date)


def test_every_rule_example_screens_the_same_in_both_engines():
    checked = 0
    for example in RULESET.rules.examples:
        data, before = example_facts(example)
        if before is not None:
            continue  # screening takes no previous snapshot
        if data.get("events") is None:
            data["events"] = []
        assert_same_rows([data], example.date)
        checked += 1
    assert checked > 60
