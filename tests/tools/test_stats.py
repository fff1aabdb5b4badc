"""Screening statistics add up: per program, subject kind and place, the outcome counts, the
refusal reasons and the amounts equal an independent Polars aggregate of the same rows; no
household is lost; `stats` and `screen --summary` print them."""

from decimal import Decimal

import polars as pl
import pytest

import policylang.cli.main
from policylang.tools.stats import population_stats
from policylang.tools.synth import generate, write

from conftest import RULES


@pytest.fixture(scope="module")
def screened(tmp_path_factory):
    folder = tmp_path_factory.mktemp("population")
    paths = write(generate(3000, 7), folder, "parquet")
    out = folder / "out.parquet"
    with pytest.raises(SystemExit):
        policylang.cli.main._invoke(["screen", str(RULES), "--households", str(paths["households"]),
                                     "--members", str(paths["members"]), "--events",
                                     str(paths["events"]), "--date", "2023-08-01", "-o", str(out)])
    return pl.read_parquet(out), pl.read_parquet(paths["households"]), out, paths["households"]


def test_the_counts_and_totals_are_the_rows_aggregated(screened):
    rows, households, _, _ = screened
    stats = population_stats(rows, households, "jurisdiction")
    places = households.select(pl.col("id").alias("household_id"), pl.col("jurisdiction"))
    joined = rows.filter(pl.col("error").is_null()).join(places, on="household_id", how="left")
    expected = joined.group_by("program", "subject_kind", "jurisdiction", "outcome").len()
    got = {(g["program"], g["subject_kind"], g["place"], o): n
           for g in stats["groups"] for o, n in g["outcomes"].items()}
    assert got == {(str(p), str(k), str(j), str(o)): n for p, k, j, o, n in expected.iter_rows()}
    paid = joined.filter(pl.col("outcome") == "eligible").drop_nulls("amount_value").group_by(
        "program", "subject_kind", "jurisdiction", "amount_unit", "amount_per").agg(
        pl.col("amount_value").sum())
    totals = {(g["program"], g["subject_kind"], g["place"], a["unit"], a["per"]): Decimal(a["total"])
              for g in stats["groups"] for a in g["amounts"]}
    assert totals == {tuple(map(str, r[:5])): Decimal(str(r[5])) for r in paid.iter_rows()}
    for g in stats["groups"]:
        if len(g["refused_by"]) < 10:  # every reason shown: they add up to the refusals
            assert sum(r["count"] for r in g["refused_by"]) == g["outcomes"].get("not_eligible", 0)
    assert stats["households"] == households.height  # every household, decided or in error


def test_monthly_equivalents_never_mix_units_or_one_off_amounts(screened):
    rows, households, _, _ = screened
    for g in population_stats(rows, households, "jurisdiction")["groups"]:
        for a in g["amounts"]:
            if a["per"] == "once":
                assert a["monthly_equivalent"] is None
            elif a["per"] == "quarter":
                assert Decimal(a["monthly_equivalent"]) == (Decimal(a["total"]) / 3).quantize(Decimal("0.01"))


def test_the_stats_command_and_the_screen_summary(screened, capsys):
    _, _, out, households = screened
    policylang.cli.main._invoke(["stats", str(out), "--households", str(households),
                                 "--place-column", "jurisdiction"])
    text = capsys.readouterr().out
    assert "dibao (household) — kunming:" in text and "refused by: not met: income_test" in text
    policylang.cli.main._invoke(["stats", str(out), "--format", "json"])
    assert '"schema": "policylang.stats/1"' in capsys.readouterr().out


def test_a_table_that_is_not_a_screening_table_is_refused(screened):
    _, _, _, households = screened
    with pytest.raises(Exception, match="not a screening table"):
        policylang.cli.main._invoke(["stats", str(households)])


def test_screen_summary_prints_the_statistics(tmp_path, capsys):
    paths = write(generate(300, 3), tmp_path, "parquet")
    with pytest.raises(SystemExit):
        policylang.cli.main._invoke(["screen", str(RULES), "--households", str(paths["households"]),
                                     "--members", str(paths["members"]), "--date", "2023-08-01",
                                     "-o", str(tmp_path / "out.parquet"), "--summary"])
    printed = capsys.readouterr().out
    assert "households (" in printed and "dibao (household) — " in printed
