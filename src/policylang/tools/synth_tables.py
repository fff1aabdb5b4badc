"""Synthetic populations as tables and files: the arrays synth.py draws become the
households, members and events tables (with unknown cells and broken rows put in), written
as Parquet or CSV.
"""

from __future__ import annotations


import attrs
import numpy as np
import polars as pl

from .synth_model import (CARE_DEPENDENCY, DEFECTS, Defect, EVENT_KINDS, PLACES,
                          REFERENCE_DATE, RELATIONS, UNKNOWN_PLACE, UNKNOWN_RATES)

MONEY = pl.Decimal(18, 2)


@attrs.frozen(eq=False)  # frames compare element-wise; use DataFrame.equals
class Population:
    """A synthetic population: one row per household, per member and per event."""

    households: pl.DataFrame
    members: pl.DataFrame
    events: pl.DataFrame

    def tables(self) -> dict[str, pl.DataFrame]:
        """The three tables by the name their files get."""
        return {"households": self.households, "members": self.members, "events": self.events}


@attrs.frozen(eq=False)
class Layout:
    """Who lives where, as parallel arrays: per household, and per member (head first)."""

    template: np.ndarray  # per household: its row in HOUSEHOLD_TEMPLATES
    size: np.ndarray  # per household
    first_member: np.ndarray  # per household: the member row of its head
    household_of: np.ndarray  # per member: its household's row
    position: np.ndarray  # per member: 0 for the head, then in template order



def frames(layout: Layout, place, money: dict, people: dict, events: dict) -> dict:
    """The drawn arrays as the three Polars tables, every fact known and sound so far."""
    count = len(layout.size)
    ids = pl.select(pl.format("h{}", pl.int_range(1, count + 1).cast(pl.String).str.zfill(7)))
    ids = ids.to_series()
    return {"households": _households_frame(ids, place, money),
            "members": _members_frame(ids, layout, people),
            "events": _events_frame(ids, events)}


def blank_unknowns(tables: dict, rng: np.random.Generator) -> dict:
    """Set a few facts to null (unknown), at UNKNOWN_RATES."""
    for (table, column), rate in UNKNOWN_RATES.items():
        rows = np.flatnonzero(rng.random(tables[table].height) < rate)
        tables[table] = _overwrite(tables[table], column, rows, None)
    return tables


def broken_rows(tables: dict, defect: np.ndarray, layout: Layout) -> dict:
    """Write each household's defect in; after the unknowns, so that no defect is blanked."""
    for row, broken in enumerate(DEFECTS):
        if broken.table == "events":
            continue  # its rows were added by _draw_events
        rows = _defect_rows(broken, np.flatnonzero(defect == row), layout)
        tables[broken.table] = _overwrite(tables[broken.table], broken.column, rows, broken.value)
    return tables


def _defect_rows(defect: Defect, households: np.ndarray, layout: Layout) -> np.ndarray:
    """The rows of `defect.table` that the defect breaks in these households."""
    if defect.target == "household":
        return households
    if defect.target == "head":
        return layout.first_member[households]
    return layout.first_member[households] + layout.size[households] - 1


def _overwrite(frame: pl.DataFrame, column: str, rows: np.ndarray, value) -> pl.DataFrame:
    """`frame` with `column` set to `value` (None for unknown) in the given rows. The frame
    passed in is left as it was: the change is made on a copy of the column."""
    values = pl.repeat(value, len(rows), dtype=frame.schema[column], eager=True)
    return frame.with_columns(frame[column].clone().scatter(rows, values))


def _households_frame(ids: pl.Series, place: np.ndarray, money: dict) -> pl.DataFrame:
    return pl.DataFrame([
        ids.alias("id"),
        _labels("jurisdiction", (*PLACES, UNKNOWN_PLACE), place),
        _money("assets", money["assets"]),
        _money("monthly_rigid_expenses", money["monthly_rigid_expenses"]),
        _money("medical_self_pay_in_catalogue", money["medical_self_pay_in_catalogue"]),
    ])


def _members_frame(ids: pl.Series, layout: Layout, people: dict) -> pl.DataFrame:
    member_ids = tuple(f"p{number}" for number in range(1, 7))
    living = np.flatnonzero(people["deceased_days"] < 0)
    return pl.DataFrame([
        ids.gather(layout.household_of).alias("household_id"),
        _labels("id", member_ids, layout.position),
        _dates("birth_date", people["age_days"]),
        _labels("relation", (*RELATIONS, "cousin"), people["relation"]),
        _labels("hukou", (*PLACES, UNKNOWN_PLACE), people["hukou"]),
        _money("monthly_income", people["monthly_income"]),
        pl.Series("can_work", people["can_work"]),
        pl.Series("has_able_supporter", people["has_able_supporter"]),
        pl.Series("disability_grade", people["disability_grade"], dtype=pl.Int64),
        pl.Series("serious_illness", people["serious_illness"]),
        _labels("care_dependency", CARE_DEPENDENCY, people["care_dependency"]),
        pl.Series("orphan", people["orphan"]),
        pl.Series("hiv_infected", people["hiv_infected"]),
        pl.Series("factually_unsupported", people["factually_unsupported"]),
        pl.Series("institutional_care", people["institutional_care"]),
        _dates("deceased_on", people["deceased_days"]).scatter(living, None),
        pl.Series("national_funeral_grant", people["national_funeral_grant"]),
    ])


def _events_frame(ids: pl.Series, events: dict) -> pl.DataFrame:
    return pl.DataFrame([
        ids.gather(events["household"]).alias("household_id"),
        _labels("kind", (*EVENT_KINDS, "flood"), events["kind"]),
        _dates("date", events["days"]),
        _labels("jurisdiction", PLACES, events["place"]),
    ])


def _labels(name: str, labels: tuple[str, ...], codes: np.ndarray) -> pl.Series:
    """Text column from codes: gathering from the few labels is much cheaper than formatting."""
    return pl.Series(name, labels, dtype=pl.String).gather(codes)


def _money(name: str, yuan: np.ndarray) -> pl.Series:
    """Decimal(18, 2) from yuan already rounded to cents: the cast rounds back to the exact cent."""
    return pl.Series(name, yuan).cast(MONEY)


def _dates(name: str, days_before_reference: np.ndarray) -> pl.Series:
    return pl.Series(name, REFERENCE_DATE - days_before_reference.astype("timedelta64[D]"))
