"""`policylang screen` and `RuleSet.screen`: tables in, rows out, no household lost.

The batch engine must write exactly the rows the interpreter writes, on a whole
synthetic population (with its unknown facts and bad rows), in one chunk or many,
from Parquet or CSV; bad data and evaluation errors become error rows.
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal

import polars as pl
import pytest
from click.testing import CliRunner

import policylang
from policylang.cli.main import cli
from policylang.batch.screen import screen
from policylang.tools.synth import generate, write
from policylang.batch.tables import Tables, tables_from_objects

from conftest import RULES, example_household

DATE = dt.date(2023, 8, 1)
KEY = ["household_id", "program", "subject_kind", "subject_id"]


@pytest.fixture(scope="module")
def population():
    return generate(persons=10_000, seed=11)


def rows(ruleset, tables: Tables, **options) -> pl.DataFrame:
    found = pl.concat([c.rows for c in screen(ruleset, tables, DATE, **options)])
    return found.drop("__h").sort(KEY, nulls_last=True)


def as_tables(population) -> Tables:
    return Tables(population.households.lazy(), {"members": population.members.lazy(),
                                                 "events": population.events.lazy()})


def test_a_synthetic_population_screens_the_same_in_both_engines(ruleset, population):
    batch = rows(ruleset, as_tables(population))
    reference = rows(ruleset, as_tables(population), engine="interpreter")
    assert batch.height == reference.height > 100_000
    assert batch.equals(reference)
    assert batch.get_column("household_id").n_unique() == population.households.height
    outcomes = set(batch.get_column("outcome").drop_nulls())
    assert outcomes == {"eligible", "not_eligible", "unknown", "not_applicable"}
    assert batch.filter(pl.col("error").is_not_null()).height > 0  # the generator's bad rows


def test_chunks_and_file_formats_do_not_change_the_rows(ruleset, population, tmp_path):
    small = generate(persons=1_500, seed=5)
    whole = rows(ruleset, as_tables(small))
    assert rows(ruleset, as_tables(small), chunk_households=97).equals(whole)
    write(small, tmp_path, "csv")
    from_csv = ruleset.screen(tmp_path / "households.csv", tmp_path / "members.csv",
                              tmp_path / "events.csv", date=DATE)
    assert from_csv.sort(KEY, nulls_last=True).equals(whole)


def test_bad_cells_become_error_rows_naming_the_field(ruleset, changzhou, kunming):
    changzhou["members"][1]["birth_date"] = "2023-02-30"
    kunming["assets"] = "-5.00"
    found = rows(ruleset, tables_from_objects(ruleset.rules.schema, [changzhou, kunming]))
    errors = dict(found.filter(pl.col("error").is_not_null())
                  .select("household_id", "error").iter_rows())
    assert "members[1].birth_date" in errors["changzhou-dibao"]
    assert "assets" in errors["kunming-edge-family"]
    assert found.height == 2


def test_duplicate_and_missing_household_ids_are_reported_not_merged(ruleset, changzhou):
    households = pl.DataFrame({"id": ["a", "a", None], "jurisdiction": ["changzhou"] * 3})
    members = pl.DataFrame({"household_id": ["a"], "id": ["p1"]})
    found = ruleset.screen(households, members, date=DATE)
    assert found.height == 3
    assert found.get_column("error").str.contains("more than once").sum() == 2
    assert found.get_column("error").str.contains("needs an `id`").sum() == 1


def test_a_float_money_column_is_refused_row_by_row(ruleset):
    households = pl.DataFrame({"id": ["a"], "jurisdiction": ["changzhou"], "assets": [12.5]})
    members = pl.DataFrame({"household_id": ["a"], "id": ["p1"]})
    found = ruleset.screen(households, members, date=DATE)
    assert found.height == 1 and "floating-point" in found.item(0, "error")


def test_member_rows_naming_no_household_are_counted(ruleset, changzhou):
    tables = tables_from_objects(ruleset.rules.schema, [changzhou])
    orphan = pl.DataFrame({"household_id": ["nobody"], "id": ["x"]},
                          schema={"household_id": pl.String, "id": pl.String})
    members = pl.concat([tables.children["members"].collect(), orphan], how="diagonal")
    chunks = list(screen(ruleset, Tables(tables.households, {"members": members.lazy(),
                                                             "events": None}), DATE))
    assert sum(c.orphans for c in chunks) == 1
    assert sum(c.households for c in chunks) == 1


def test_unknown_events_without_an_events_table(ruleset, changzhou):
    tables = tables_from_objects(ruleset.rules.schema, [changzhou])
    without = Tables(tables.households, {"members": tables.children["members"], "events": None})
    found = rows(ruleset, without, programs=("temporary_emergency",))
    assert found.item(0, "outcome") == "unknown"
    assert found.equals(rows(ruleset, without, programs=("temporary_emergency",),
                             engine="interpreter"))


RAISING = '''
program split "均分" / "split"
  subject household
  applies in national
  cite national_2024 "将刚性支出作为认定条件"
  condition has_rigid "有刚性支出" / "has rigid expenses": monthly_rigid_expenses > 0
  condition share "人均" / "share": assets / count(members) < 1000
end
'''


@pytest.fixture(scope="module")
def raising_rules(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules")
    for name in ("schema.policy", "places.policy", "sources.policy"):
        shutil.copy(RULES / name, folder / name)
    (folder / "split.policy").write_text(RAISING, encoding="utf-8")
    return policylang.load(folder)


def test_an_evaluation_error_goes_to_the_interpreter_which_reports_it(raising_rules):
    household = example_household("changzhou-dibao")
    household["members"] = []
    household["monthly_rigid_expenses"] = "100.00"
    guarded = dict(household, id="guarded", monthly_rigid_expenses="0.00")
    tables = tables_from_objects(raising_rules.rules.schema, [household, guarded])
    found = rows(raising_rules, tables)
    chunk = next(screen(raising_rules, tables, DATE))
    assert chunk.by_interpreter == 1  # only the household whose division by zero is reached
    by_id = {r["household_id"]: r for r in found.iter_rows(named=True)}
    assert "division by zero" in by_id["changzhou-dibao"]["error"]
    assert by_id["guarded"]["outcome"] == "not_eligible"
    assert by_id["guarded"]["reason"] == "not met: has_rigid"


def test_the_screen_command_writes_the_table_and_prints_the_counts(tmp_path):
    runner = CliRunner()
    made = runner.invoke(cli, ["synth", "--persons", "800", "--seed", "3", "-o", str(tmp_path)])
    assert made.exit_code == 0, made.output
    out = tmp_path / "decisions.csv"
    result = runner.invoke(cli, [
        "screen", str(RULES), "--households", str(tmp_path / "households.parquet"),
        "--members", str(tmp_path / "members.parquet"), "--events", str(tmp_path / "events.parquet"),
        "--date", "2023-08-01", "--program", "dibao", "-o", str(out)])
    assert result.exit_code == 0, result.output
    households = pl.read_parquet(tmp_path / "households.parquet").height
    assert f"households in: {households}" in result.output
    assert f"households out: {households}" in result.output
    written = pl.read_csv(out, infer_schema=False)
    assert written.columns == ["household_id", "subject_kind", "subject_id", "program", "outcome",
                               "amount_value", "amount_unit", "amount_per", "reason", "error"]
    assert written.get_column("household_id").n_unique() == households
    paid = written.filter(pl.col("outcome") == "eligible").get_column("amount_value")
    assert all(Decimal(v).as_tuple().exponent == -2 for v in paid)


def test_the_screen_command_refuses_an_unknown_program(tmp_path):
    result = CliRunner().invoke(cli, [
        "screen", str(RULES), "--households", str(RULES / "schema.policy"),
        "--members", str(RULES / "schema.policy"), "--date", "2023-08-01",
        "--program", "nope", "-o", str(tmp_path / "x.parquet")])
    assert result.exit_code == 2 and "unknown programs: nope" in result.output


def test_amounts_too_large_for_the_columns_are_decided_by_the_interpreter(ruleset, changzhou):
    changzhou["assets"] = "5000000000000000000.00"  # 5 × 10^18 yuan: 24 × 1000 × 2 of it overflows
    tables = tables_from_objects(ruleset.rules.schema, [changzhou])
    chunk = next(screen(ruleset, tables, DATE))
    assert chunk.by_interpreter == 1
    assert rows(ruleset, tables).equals(rows(ruleset, tables, engine="interpreter"))


def test_integer_ids_in_parquet_tables_are_text(ruleset):
    households = pl.DataFrame({"id": [1], "jurisdiction": ["changzhou"]})
    members = pl.DataFrame({"household_id": [1], "id": [7]})
    found = ruleset.screen(households, members, date=DATE, programs=["dibao"])
    assert found.get_column("error").is_null().all()
    assert found.get_column("subject_id").to_list() == ["1"]
    assert found.equals(ruleset.screen(households, members, date=DATE, programs=["dibao"],
                                       engine="interpreter"))


def test_a_members_table_without_household_id_is_a_usage_error(tmp_path):
    pl.DataFrame({"id": ["h1"]}).write_csv(tmp_path / "households.csv")
    pl.DataFrame({"id": ["p1"]}).write_csv(tmp_path / "members.csv")
    result = CliRunner().invoke(cli, [
        "screen", str(RULES), "--households", str(tmp_path / "households.csv"),
        "--members", str(tmp_path / "members.csv"), "--date", "2023-08-01",
        "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 2
    assert "no `household_id` column" in result.output


def test_a_household_with_no_subject_for_the_programs_still_has_a_row(ruleset):
    households = pl.DataFrame({"id": ["alone", "family"], "jurisdiction": ["changzhou"] * 2})
    members = pl.DataFrame({"household_id": ["family"], "id": ["p1"]})
    found = ruleset.screen(households, members, date=DATE, programs=["tekun"])
    assert found.get_column("household_id").sort().to_list() == ["alone", "family"]
    empty = found.filter(pl.col("household_id") == "alone").row(0, named=True)
    assert empty["reason"] == "no subject for the chosen programs" and empty["program"] is None
    assert found.sort(KEY).equals(ruleset.screen(households, members, date=DATE,
                                                 programs=["tekun"], engine="interpreter").sort(KEY))
