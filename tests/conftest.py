"""Shared fixtures: the bundled rules, compiled once per test session, the sample
households, the command run in-process, and the check that both engines agree."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import polars as pl
import pytest

import policylang
import policylang.cli.main

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
EXAMPLES = ROOT / "examples"


def example_household(name: str) -> dict:
    """A fresh copy of one of `examples/*.json`, safe to change in a test."""
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def ruleset() -> policylang.RuleSet:
    return policylang.load(RULES)


@pytest.fixture(scope="session")
def schema(ruleset):
    return ruleset.rules.schema


@pytest.fixture
def kunming() -> dict:
    return example_household("kunming-edge-family")


@pytest.fixture
def changzhou() -> dict:
    return example_household("changzhou-dibao")


@pytest.fixture
def donghai() -> dict:
    return example_household("donghai-orphan")



@pytest.fixture
def run(monkeypatch, capsys):
    """Run `policylang ARGS…` through `main()`; return (exit code, stdout, stderr)."""
    monkeypatch.delenv("POLICYLANG_DEBUG", raising=False)

    def invoke(*args) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["policylang", *map(str, args)])
        code = 0
        try:
            policylang.cli.main.main()
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        out, err = capsys.readouterr()
        return code, out, err
    return invoke


ROW_KEY = ["household_id", "program", "subject_kind", "subject_id"]


def screened(ruleset, objects: list[dict], date: dt.date, engine: str, **options) -> pl.DataFrame:
    """The screening rows of households given as facts objects, by one engine, sorted."""
    from policylang.batch.screen import screen
    from policylang.batch.tables import tables_from_objects
    tables = tables_from_objects(ruleset.rules.schema, objects, date)
    rows = pl.concat([c.rows for c in screen(ruleset, tables, date, engine=engine, **options)])
    return rows.drop("__h").sort(ROW_KEY, nulls_last=True)


def assert_engines_agree(ruleset, objects: list[dict], date: dt.date) -> pl.DataFrame:
    """The batch engine's rows equal the interpreter's, row for row; the rows."""
    batch = screened(ruleset, objects, date, "batch")
    reference = screened(ruleset, objects, date, "interpreter")
    if not batch.equals(reference):
        joined = batch.join(reference, on=ROW_KEY, how="full", suffix="_interpreter", nulls_equal=True)
        differing = [row for row in joined.iter_rows(named=True)
                     if any(row[c] != row[f"{c}_interpreter"] for c in batch.columns if c not in ROW_KEY)]
        raise AssertionError(f"on {date}, batch ≠ interpreter:\n" + "\n".join(map(str, differing[:10])))
    return batch
