"""The synthetic population generator: exact sizes, reproducible draws, the declared schema,
realistic mixes, a few unknowns and broken rows on purpose, and files that read back."""

from __future__ import annotations

import datetime as dt
import time

import polars as pl
import pytest

from policylang.tools import synth, synth_model

PLACES = {"kunming", "kunming.guandu", "changzhou", "donghai", "hangzhou"}
MONEY = pl.Decimal(18, 2)

HOUSEHOLD_SCHEMA = {
    "id": pl.String, "jurisdiction": pl.String, "assets": MONEY,
    "monthly_rigid_expenses": MONEY, "medical_self_pay_in_catalogue": MONEY,
}
MEMBER_SCHEMA = {
    "household_id": pl.String, "id": pl.String, "birth_date": pl.Date, "relation": pl.String,
    "hukou": pl.String, "monthly_income": MONEY, "can_work": pl.Boolean,
    "has_able_supporter": pl.Boolean, "disability_grade": pl.Int64, "serious_illness": pl.Boolean,
    "care_dependency": pl.String, "orphan": pl.Boolean, "hiv_infected": pl.Boolean,
    "factually_unsupported": pl.Boolean, "institutional_care": pl.Boolean,
    "deceased_on": pl.Date, "national_funeral_grant": pl.Boolean,
}
EVENT_SCHEMA = {
    "household_id": pl.String, "kind": pl.String, "date": pl.Date, "jurisdiction": pl.String,
}


@pytest.fixture(scope="module")
def small() -> synth.Population:
    return synth.generate(2000, seed=11)


@pytest.fixture(scope="module")
def large() -> synth.Population:
    """Big enough (about 68,000 households) that rare rows show up at a measurable rate."""
    return synth.generate(200_000, seed=5)


def sizes_of(population: synth.Population) -> pl.Series:
    return population.members.group_by("household_id").len()["len"]


# ------------------------------------------------------------------ shape
@pytest.mark.parametrize("persons", [1, 2, 7, 2000, 12_345])
def test_member_rows_equal_the_persons_asked_for(persons):
    assert synth.generate(persons, seed=1).members.height == persons


def test_fewer_than_one_person_is_refused():
    with pytest.raises(ValueError, match="at least 1 person"):
        synth.generate(0, seed=1)


def test_same_seed_same_population_other_seed_another():
    first, again, other = (synth.generate(2000, seed) for seed in (3, 3, 4))
    for name, table in first.tables().items():
        assert table.equals(again.tables()[name]), name
    assert not first.members.equals(other.members)


def test_columns_and_dtypes_are_exactly_the_declared_ones(small):
    assert dict(small.households.schema) == HOUSEHOLD_SCHEMA
    assert dict(small.members.schema) == MEMBER_SCHEMA
    assert dict(small.events.schema) == EVENT_SCHEMA


def test_every_member_and_event_belongs_to_a_household(small):
    households = set(small.households["id"])
    assert small.households["id"].is_unique().all()
    assert set(small.members["household_id"]) <= households
    assert set(small.events["household_id"]) <= households


def test_every_household_has_one_to_six_members(large):
    sizes = sizes_of(large)
    assert len(sizes) == large.households.height
    assert sizes.min() >= 1 and sizes.max() == 6
    shares = sizes.value_counts(normalize=True).sort("len")["proportion"].to_list()
    assert sum(shares[1:4]) > 0.6  # most households have 2-4 members


def test_each_household_has_exactly_one_head(large):
    heads = large.members.group_by("household_id").agg((pl.col("relation") == "head").sum())
    assert (heads["relation"] == 1).all()


# ------------------------------------------------------------------ mixes
def test_all_five_places_appear_in_households_hukou_and_events(small):
    assert PLACES <= set(small.households["jurisdiction"])
    assert PLACES <= set(small.members["hukou"])
    assert PLACES <= set(small.events["jurisdiction"])


def test_ages_cover_children_working_age_and_elderly_up_to_95(large):
    age = (dt.date(2023, 8, 1) - large.members["birth_date"]).dt.total_days() / 365.25
    assert age.min() >= 0 and age.max() < 96
    assert 0.15 < (age < 18).mean() < 0.35
    assert 0.15 < (age >= 60).mean() < 0.35


def test_a_realistic_share_of_households_is_poor(large):
    """Roughly 10-15% below ~800-1000 a head a month: dibao decisions come out mixed."""
    income = large.members.group_by("household_id").agg(
        per_person=pl.col("monthly_income").cast(pl.Float64).sum() / pl.len())["per_person"]
    assert 0.07 < (income < 800).mean() < 0.18
    assert 0.03 < ((income >= 1000) & (income < 1500)).mean() < 0.15  # near-poor edge


def test_special_cases_are_present(large):
    members = large.members
    assert members["orphan"].sum() > 0 and members["hiv_infected"].sum() > 0
    assert members["factually_unsupported"].sum() > 0 and members["institutional_care"].sum() > 0
    assert 0.01 < members["disability_grade"].is_in([1, 2]).mean() < 0.05
    assert 0.01 < members["disability_grade"].is_in([3, 4]).mean() < 0.06
    deceased = members.filter(pl.col("deceased_on").is_not_null())
    assert 0 < deceased.height < 0.01 * members.height
    assert deceased["deceased_on"].dt.year().unique().to_list() == [2023]
    assert 0 < deceased["national_funeral_grant"].sum() < deceased.height


def test_orphans_have_no_able_supporter(large):
    orphans = large.members.filter(pl.col("orphan"))
    assert not orphans["has_able_supporter"].fill_null(False).any()


def test_tekun_cases_exist_elderly_without_income_or_supporter(large):
    age = (dt.date(2023, 8, 1) - pl.col("birth_date")).dt.total_days() / 365.25
    tekun = large.members.filter((age >= 60) & ~pl.col("can_work") & ~pl.col("has_able_supporter")
                                 & (pl.col("monthly_income") == 0))
    assert tekun.height > 100


def test_events_are_few_recent_and_mostly_at_home(large):
    events = large.events.join(large.households.select("id", home="jurisdiction"),
                               left_on="household_id", right_on="id")
    with_events = events["household_id"].n_unique() / large.households.height
    assert 0.05 < with_events < 0.10
    assert events["date"].min() >= dt.date(2022, 9, 1)
    assert events["date"].max() <= dt.date(2023, 8, 1)
    assert 0.75 < (events["jurisdiction"] == events["home"]).mean() < 0.95


# ------------------------------------------------------------------ unknowns and broken rows
@pytest.mark.parametrize("table, column", list(synth_model.UNKNOWN_RATES))
def test_some_facts_are_unknown_at_the_stated_rate(large, table, column):
    share = large.tables()[table][column].null_count() / large.tables()[table].height
    assert 0.003 < share < 0.012


def broken_households(population: synth.Population) -> dict[str, set[str]]:
    """The ids of the households broken in each way, found from the data alone."""
    households, members, events = population.households, population.members, population.events

    def ids(table: pl.DataFrame, broken: pl.Expr, key: str = "household_id") -> set[str]:
        return set(table.filter(broken)[key])

    duplicates = members.group_by("household_id", "id").len().filter(pl.col("len") > 1)
    return {
        "negative_assets": ids(households, pl.col("assets") < 0, key="id"),
        "unknown_jurisdiction": ids(households, ~pl.col("jurisdiction").is_in(PLACES), key="id"),
        "negative_income": ids(members, pl.col("monthly_income") < 0),
        "disability_grade_7": ids(members, pl.col("disability_grade") == 7),
        "unknown_hukou": ids(members, ~pl.col("hukou").is_in(PLACES)),
        "unknown_event_kind": ids(events, pl.col("kind") == "flood"),
        "relation_cousin": ids(members, pl.col("relation") == "cousin"),
        "duplicate_member_id": set(duplicates["household_id"]),
    }


def test_about_one_household_in_a_thousand_is_broken_each_in_one_way(large):
    broken = broken_households(large)
    assert set(broken) == {defect.name for defect in synth.DEFECTS}
    assert all(broken.values()), {name: len(ids) for name, ids in broken.items()}
    everyone = set().union(*broken.values())
    assert len(everyone) == sum(len(ids) for ids in broken.values())  # no household twice
    assert 0.0005 < len(everyone) / large.households.height < 0.002


def test_values_are_otherwise_in_range(large):
    members = large.members
    grades = members["disability_grade"].drop_nulls()
    assert grades.is_between(0, 4).sum() + (grades == 7).sum() == len(grades)
    assert set(members["care_dependency"]) == {"none", "mild", "moderate", "severe"}
    assert set(members["relation"]) - {"cousin"} <= {
        "head", "spouse", "child", "parent", "grandchild", "grandparent", "sibling", "other"}


# ------------------------------------------------------------------ speed and files
def test_generation_is_vectorised():
    """A loop per person would take tens of seconds for 200,000 people; numpy takes a fraction."""
    started = time.perf_counter()
    synth.generate(200_000, seed=2)
    assert time.perf_counter() - started < 5


def test_parquet_reads_back_identical(small, tmp_path):
    paths = synth.write(small, tmp_path / "out")
    assert {name: path.name for name, path in paths.items()} == {
        "households": "households.parquet", "members": "members.parquet",
        "events": "events.parquet",
    }
    for name, table in small.tables().items():
        assert pl.read_parquet(paths[name]).equals(table), name


def test_csv_reads_back_identical(small, tmp_path):
    paths = synth.write(small, tmp_path, fmt="csv")
    for name, table in small.tables().items():
        assert pl.read_csv(paths[name], schema=table.schema).equals(table), name


def test_csv_cells_are_plain_text(small, tmp_path):
    """Other tools read these files: no type tags, no exponents, nothing but the value."""
    paths = synth.write(small, tmp_path, fmt="csv")
    households = pl.read_csv(paths["households"], infer_schema=False)  # every cell as written
    members = pl.read_csv(paths["members"], infer_schema=False)
    assert set(members["can_work"].drop_nulls()) == {"true", "false"}
    assert set(members["orphan"]) == {"true", "false"}
    assert members["birth_date"].str.contains(r"^\d{4}-\d{2}-\d{2}$").all()
    assert households["assets"].drop_nulls().str.contains(r"^-?\d+\.\d{2}$").all()
    assert members["monthly_income"].drop_nulls().str.contains(r"^-?\d+\.\d{2}$").all()
    unknown_incomes = small.members["monthly_income"].null_count()
    assert members["monthly_income"].null_count() == unknown_incomes > 0  # empty cells


def test_unknown_format_is_refused(small, tmp_path):
    with pytest.raises(ValueError, match="expected 'parquet' or 'csv'"):
        synth.write(small, tmp_path, fmt="xlsx")
