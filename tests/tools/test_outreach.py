"""Outreach lists the households a program refuses near its line, with the change to verify,
and not those far from it; an undecided household is listed with the facts it still needs."""

import datetime as dt

import polars as pl
import pytest

import policylang
import policylang.cli.main
from policylang.tools.outreach import Within, outreach

from conftest import RULES, example_household

RULESET = policylang.load(RULES)
DATE = dt.date(2023, 8, 1)


def tables(*households: dict):
    homes, members = [], []
    for household in households:
        homes.append({k: v for k, v in household.items() if k not in ("members", "events")})
        members += [dict(m, household_id=household["id"]) for m in household["members"]]
    return pl.DataFrame(homes), {"members": pl.DataFrame(members)}


def changzhou(id_: str, income: str | None) -> dict:
    """The Changzhou household (standard 1000 a month from 2023) with both incomes set."""
    household = example_household("changzhou-dibao")
    members = [dict(m, monthly_income=income) for m in household["members"]]
    return dict(household, id=id_, members=members, monthly_rigid_expenses="0.00")


def test_50_over_the_line_is_found_and_500_over_is_not():
    homes, lists = tables(changzhou("near", "1050.00"), changzhou("far", "1500.00"))
    found = outreach(RULESET, homes, lists, DATE, "dibao", Within.parse("100"))
    near = found.filter(pl.col("household_id") == "near")
    assert near.height == 1 and near["gap"][0] == "50.00" and near["condition"][0] == "income_test"
    assert "monthly_income at most" in near["change"][0]
    assert found.filter(pl.col("household_id") == "far").height == 0
    assert outreach(RULESET, homes, lists, DATE, "dibao", Within.parse("50%"))["household_id"] \
        .unique().sort().to_list() == ["far", "near"]


def test_an_undecided_household_is_listed_with_what_it_needs():
    homes, lists = tables(changzhou("unsure", None))
    found = outreach(RULESET, homes, lists, DATE, "dibao", Within.parse("100"))
    assert found["outcome"].to_list() == ["unknown"]
    assert set(found["verify"][0]) == {"members[0].monthly_income", "members[1].monthly_income"}


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".md", ".html"])
def test_the_command_writes_the_list(tmp_path, suffix, capsys):
    homes, lists = tables(changzhou("near", "1050.00"))
    homes.write_parquet(tmp_path / "households.parquet")
    lists["members"].write_parquet(tmp_path / "members.parquet")
    out = tmp_path / f"near{suffix}"
    policylang.cli.main._invoke(["outreach", str(RULES), "--households", str(tmp_path / "households.parquet"),
                                 "--table", f"members={tmp_path / 'members.parquet'}", "--date", "2023-08-01",
                                 "--program", "dibao", "--within", "100", "-o", str(out)])
    assert "1 near misses of dibao" in capsys.readouterr().err
    if suffix in (".md", ".html"):
        text = out.read_text(encoding="utf-8")
        assert "income_test" in text and "50.00" in text and ("<script" not in text)


def test_a_distance_that_is_not_one_is_refused():
    with pytest.raises(ValueError, match="not a distance"):
        Within.parse("near")
    with pytest.raises(ValueError, match="0 or more"):
        Within.parse("-5")
    assert Within.parse("10%").near(100, 1000) and not Within.parse("10%").near(101, 1000)
