"""`screen` never aborts a population (issue #18, item 7, and the batch side of 2 and 6).

A table that cannot be read is a usage error naming the file (exit 2), never an internal
error. An evaluation error of a kind the batch engine did not anticipate (a rounding step
of 0 or of 400 places, amounts beyond Decimal(38, 18), a definition chain 300 deep, dates
beyond year 9999) never loses a household: the households the compiled plan cannot compute
go to the interpreter, and each gets its rows or an error row exactly as `--engine
interpreter` writes them. A rule set with no programs writes every household. Nothing on
stderr quotes Python (no `UserWarning`, no traceback).

Rule snippets are written against the family rule book's schema (tests/rulebooks/family).
Where the interpreter refuses a snippet when the rules load (a check-time diagnostic),
both engines refuse it alike, which is also agreement.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import policylang
from policylang.batch.screen import screen
from policylang.batch.tables import tables_from_objects
from policylang.core.diagnostics import PolicyError

from conftest import ROOT, ROW_KEY, screened

FAMILY = ROOT / "tests" / "rulebooks" / "family"
FAMILIES = json.loads((FAMILY / "families.json").read_text(encoding="utf-8"))
DATE = dt.date(2023, 8, 1)


def program(body: str, before: str = "") -> str:
    """A family program `p` in force everywhere, with `body` (conditions, an amount)."""
    return (f'{before}\nprogram p "p" / "p"\n  subject family\n  applies in country\n'
            f'  cite family_brief "x"\n{body}\nend\n')


def rule_folder(tmp_path: Path, text: str) -> Path:
    """The family schema and places, and one file of rules."""
    folder = tmp_path / "rules"
    folder.mkdir()
    for name in ("schema.policy", "places.policy"):
        shutil.copy(FAMILY / name, folder / name)
    (folder / "p.policy").write_text(text, encoding="utf-8")
    return folder


def big_parameter(digits: int) -> str:
    return (f'parameter big "b" / "b" : money\n  country = 1{"0" * digits} yuan '
            f'cite family_brief "x"\nend\n')


CHAIN = "\n".join(['definition d0 "d" / "d" of family : money = savings']
                  + [f'definition d{i} "d" / "d" of family : money = d{i - 1} + 1 yuan'
                     for i in range(1, 301)])

UNANTICIPATED = {
    "rounded to 0": program('  condition c "c" / "c": savings >= 0\n'
                            '  amount savings rounded half_up to 0'),
    "a step of 400 places": program('  condition c "c" / "c": savings >= 0\n'
                                    f'  amount savings rounded half_up to 0.{"0" * 400}1'),
    "a parameter of 10^23": program('  condition c "c" / "c": savings >= 0\n'
                                    '  amount big * 3 rounded half_up to 0.01', big_parameter(23)),
    "a parameter of 10^80": program('  condition c "c" / "c": savings >= 0\n'
                                    '  amount big rounded half_up to 0.01', big_parameter(80)),
    "a parameter of 19 places": program(
        '  condition c "c" / "c": savings * small > 0\n  amount 1 yuan',
        'parameter small "s" / "s" : decimal\n  country = 0.0000000000000000001 '
        'cite family_brief "x"\nend\n'),
    "a definition chain 300 deep": program('  condition c "c" / "c": d300 >= 0', CHAIN),
    "9999-12-31 + 1 days": program('  condition c "c" / "c": 9999-12-31 + 1 days > evaluation_date'),
    "0001-01-01 - 1 days": program('  condition c "c" / "c": 0001-01-01 - 1 days < evaluation_date'),
    "evaluation_date + 10000 years": program(
        '  condition c "c" / "c": evaluation_date + 10000 years > evaluation_date'),
    "ints beyond Int64": program(
        '  condition c "c" / "c": big > 0',
        'definition quad "q" / "q" of family : int = family_size * family_size * family_size * family_size\n'
        'definition big "b" / "b" of family : int = ' + " * ".join(["quad"] * 10)),
    "a product beyond Decimal(38, 18)": program(
        '  condition c "c" / "c": savings >= 0\n'
        '  amount savings * 10000000000 rounded half_up to 0.01'),
}


def test_a_sum_beyond_the_columns_is_not_wrapped_silently(tmp_path):
    """Polars' grouped sums of Decimal(38, 18) wrap around where one sum overflows: each
    product fits, their sum does not, and the interpreter's answer (PL208) must be written."""
    folder = rule_folder(tmp_path, program(
        '  condition c "c" / "c": sum(persons, earnings * 100000000) > 0'))
    rich = json.loads(json.dumps(FAMILIES[0]))
    rich["id"] = "rich-1"
    for person in rich["persons"]:
        person["earnings"] = "900000000000.00"
    objects = [*FAMILIES, rich]
    rules = policylang.load(folder)
    batch = screened(rules, objects, DATE, "batch")
    assert batch.equals(screened(rules, objects, DATE, "interpreter"))
    assert batch.filter(pl.col("household_id") == "rich-1").item(0, "outcome") != "not_eligible"


def families_with_big_savings() -> list[dict]:
    """The five families and one whose savings times 10^10 overflow Decimal(38, 18) (not 38, 2)."""
    rich = dict(FAMILIES[0], id="rich-1", savings="900000000000.00")
    return [*FAMILIES, rich]


def outcome(folder: Path, engine: str, objects: list[dict]):
    """What screening `objects` gives: the sorted rows, or the codes the rules are refused with."""
    try:
        rules = policylang.load(folder)
    except PolicyError as error:
        return ("refused", sorted(d.code for d in error.diagnostics))
    return screened(rules, objects, DATE, engine)


@pytest.mark.parametrize("name", list(UNANTICIPATED))
def test_an_unanticipated_evaluation_error_loses_no_household(tmp_path, name):
    folder = rule_folder(tmp_path, UNANTICIPATED[name])
    objects = families_with_big_savings()
    batch = outcome(folder, "batch", objects)
    reference = outcome(folder, "interpreter", objects)
    if isinstance(reference, tuple):
        assert batch == reference
        return
    assert batch.get_column("household_id").n_unique() == len(objects)
    assert batch.equals(reference), (batch.to_dicts(), reference.to_dicts())


@pytest.mark.parametrize("name", ["rounded to 0", "a parameter of 10^23", "9999-12-31 + 1 days",
                                  "a definition chain 300 deep", "a product beyond Decimal(38, 18)"])
@pytest.mark.parametrize("engine", ["batch", "interpreter"])
def test_the_command_writes_every_household_and_quotes_no_python(run, tmp_path, name, engine):
    folder = rule_folder(tmp_path, UNANTICIPATED[name])
    output = tmp_path / "out.csv"
    code, _, err = run("screen", folder, "--households", FAMILY / "families.csv",
                       "--table", f"persons={FAMILY / 'persons.csv'}", "--date", "2023-08-01",
                       "--engine", engine, "-o", output)
    assert "Warning" not in err and "Traceback" not in err and "internal error" not in err, err
    if code == 1 and not output.exists():  # refused when the rules load: a diagnostic
        assert "error[PL" in err
        return
    assert code == 0, err
    assert "households in: 5" in err and "households out: 5" in err
    assert pl.read_csv(output).get_column("household_id").n_unique() == 5


def test_a_real_process_prints_no_python_warning(tmp_path):
    """In-process runs hand warnings to pytest; only a real process shows what stderr gets."""
    folder = rule_folder(tmp_path, UNANTICIPATED["a product beyond Decimal(38, 18)"])
    rich = tmp_path / "families.csv"
    rich.write_text((FAMILY / "families.csv").read_text(encoding="utf-8")
                    + "rich-1,harbor,900000000000.00,0.00\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "policylang.cli", "screen", str(folder),
                           "--households", str(rich), "--table", f"persons={FAMILY / 'persons.csv'}",
                           "--date", "2023-08-01", "-o", str(tmp_path / "out.csv")],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONWARNINGS": "default"})
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert "households in: 6" in done.stderr and "households out: 6" in done.stderr


def test_one_overflowing_household_leaves_the_others_to_the_batch_engine(tmp_path):
    folder = rule_folder(tmp_path, UNANTICIPATED["a product beyond Decimal(38, 18)"])
    rules = policylang.load(folder)
    objects = [dict(FAMILIES[1], id=f"f{i}") for i in range(40)]
    objects[17] = dict(objects[17], savings="900000000000.00")
    chunks = list(screen(rules, tables_from_objects(rules.rules.schema, objects), DATE))
    assert sum(c.households for c in chunks) == 40
    assert sum(c.by_interpreter for c in chunks) < 10  # found by halving, not the whole chunk
    rows = pl.concat([c.rows for c in chunks]).drop("__h").sort(ROW_KEY, nulls_last=True)
    assert rows.get_column("household_id").n_unique() == 40
    assert rows.equals(screened(rules, objects, DATE, "interpreter"))  # f17 as the reference says


def test_an_interpreter_failure_is_an_error_row_of_that_household(tmp_path, monkeypatch):
    """Whatever the interpreter raises for one household, the others are still written."""
    rules = policylang.load(FAMILY)
    evaluate_one = policylang.RuleSet.evaluate_one

    def failing(self, household, *args, **kwargs):
        if household.id == "north-1":
            raise ArithmeticError("something unforeseen")
        return evaluate_one(self, household, *args, **kwargs)

    monkeypatch.setattr(policylang.RuleSet, "evaluate_one", failing)
    found = screened(rules, FAMILIES, DATE, "interpreter")
    assert found.get_column("household_id").n_unique() == len(FAMILIES)
    north = found.filter(pl.col("household_id") == "north-1")
    assert north.height == 1 and "something unforeseen" in north.item(0, "error")


# ---------------------------------------------------------------- no programs
def test_a_rule_set_without_programs_writes_every_household_in_both_engines(tmp_path, run):
    folder = rule_folder(tmp_path, 'definition x "x" / "x" of family = 1\n')
    rules = policylang.load(folder)
    batch = screened(rules, FAMILIES, DATE, "batch")
    assert batch.equals(screened(rules, FAMILIES, DATE, "interpreter"))
    assert batch.height == len(FAMILIES)
    assert set(batch.get_column("reason")) == {"no subject for the chosen programs"}
    code, _, err = run("screen", folder, "--households", FAMILY / "families.csv",
                       "--table", f"persons={FAMILY / 'persons.csv'}", "--date", "2023-08-01",
                       "-o", tmp_path / "out.csv")
    assert code == 0, err
    assert "with an error row: 0" in err and "error 5" not in err


# ---------------------------------------------------------------- tables that cannot be read
def bad_tables(folder: Path) -> dict[str, Path]:
    """A 0-byte CSV, a truncated and a garbage Parquet file, a directory and a FIFO."""
    made = {"empty.csv": b"", "garbage.parquet": b"this is not parquet\n"}
    for name, content in made.items():
        (folder / name).write_bytes(content)
    frame = pl.read_csv(FAMILY / "families.csv", infer_schema=False)
    frame.write_parquet(folder / "whole.parquet")
    whole = (folder / "whole.parquet").read_bytes()
    (folder / "truncated.parquet").write_bytes(whole[: len(whole) // 2])
    (folder / "folder.csv").mkdir()
    os.mkfifo(folder / "fifo.csv")
    return {name: folder / name for name in
            ("empty.csv", "garbage.parquet", "truncated.parquet", "folder.csv", "fifo.csv")}


@pytest.fixture
def unreadable(tmp_path) -> dict[str, Path]:
    folder = tmp_path / "tables"
    folder.mkdir()
    return bad_tables(folder)


@pytest.mark.parametrize("name", ["empty.csv", "garbage.parquet", "truncated.parquet",
                                  "folder.csv", "fifo.csv"])
@pytest.mark.parametrize("which", ["households", "persons"])
def test_a_table_that_cannot_be_read_is_a_usage_error_naming_it(run, tmp_path, unreadable,
                                                                  name, which):
    bad = unreadable[name]
    households = bad if which == "households" else FAMILY / "families.csv"
    persons = bad if which == "persons" else FAMILY / "persons.csv"
    code, _, err = run("screen", FAMILY, "--households", households, "--table",
                       f"persons={persons}", "--date", "2023-08-01", "-o", tmp_path / "out.csv")
    assert code == 2, err
    assert name in err and "internal error" not in err and "Traceback" not in err


@pytest.mark.parametrize("name", ["empty.csv", "garbage.parquet", "folder.csv", "fifo.csv"])
def test_the_api_refuses_an_unreadable_table_with_a_value_error_naming_it(unreadable, name):
    rules = policylang.load(FAMILY)
    with pytest.raises(ValueError, match=name):
        rules.screen(unreadable[name], tables={"persons": FAMILY / "persons.csv"}, date=DATE)


def test_a_csv_with_a_ragged_row_is_a_usage_error_naming_it(run, tmp_path):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("id,region\nharbor-1,harbor\nnorth-1,north,extra,cells\n", encoding="utf-8")
    code, _, err = run("screen", FAMILY, "--households", ragged, "--table",
                       f"persons={FAMILY / 'persons.csv'}", "--date", "2023-08-01",
                       "-o", tmp_path / "out.csv")
    assert code == 2, err
    assert "ragged.csv" in err and "internal error" not in err


def test_cells_the_facts_refuse_go_to_the_interpreter_not_the_plan():
    """A cell with more places, or a text longer, than facts allow (PL108) is decided —
    refused — by the interpreter in both engines, never by the plan."""
    rules = policylang.load(ROOT / "rules")
    base = json.loads((ROOT / "examples" / "changzhou-dibao.json").read_text(encoding="utf-8"))
    seven_places = dict(base, id="seven-places", assets="0.1234567")
    big_grade = json.loads(json.dumps(base))
    big_grade["id"] = "big-int"
    big_grade["members"][0]["disability_grade"] = 10 ** 13  # beyond its bounds, and Int64 products
    long_id = dict(base, id="x" * 201)
    long_text = json.loads(json.dumps(base))
    long_text["id"] = "long-member-id"
    long_text["members"][0]["id"] = "y" * 201
    objects = [base, seven_places, big_grade, long_id, long_text]
    batch = screened(rules, objects, DATE, "batch")
    assert batch.equals(screened(rules, objects, DATE, "interpreter"))
    assert set(batch.get_column("household_id")) == {"changzhou-dibao", "seven-places", "big-int",
                                                      "x" * 201, "long-member-id"}
