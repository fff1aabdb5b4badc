"""The batch engine against the interpreter: the same rows for the same households.

Both engines run through `screen` on the same tables (`engine="batch"` and
`engine="interpreter"`), so the comparison covers the compiled plan, the reasons,
the amounts and the rows each engine writes.
"""

from __future__ import annotations

import datetime as dt
import shutil
import warnings

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

import policylang
from policylang.tools.examples import example_facts
from policylang.batch.screen import screen
from policylang.batch.tables import tables_from_objects

from conftest import RULES, assert_engines_agree
from conftest import screened as screened_by
from test_properties import RULESET, modest, valid_households

KEY = ["household_id", "program", "subject_kind", "subject_id"]


def screened(objects: list[dict], date: dt.date, engine: str, **options) -> pl.DataFrame:
    return screened_by(RULESET, objects, date, engine, **options)


def assert_same_rows(objects: list[dict], date: dt.date) -> None:
    assert_engines_agree(RULESET, objects, date)


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


EDGE_RULES = '''
program anywhere "无地域限制" / "no place limit"
  subject household
  cite illustrative "x"
  condition share "人均" / "share": assets / count(members) > 5
end

program triggered "触发" / "triggered"
  subject household
  applies in national
  cite illustrative "x"
  condition has_assets "有资产" / "has assets": assets > 0
  trigger big "大额" / "big": assets > 100000
  trigger many "人多" / "many": count(members) > 3
end

program bare "无条件" / "no conditions"
  subject household
  applies in national
  cite illustrative "x"
  amount 5 kWh
  exception alone "单人" / "alone" for each member
    applies in kunming
    cite illustrative "x"
    amount 1 kWh
  end
end

program dates "日期" / "dates"
  subject household
  applies in national
  cite illustrative "x"
  condition oldest "最年长" / "oldest": min(members, birth_date) < 1950-01-01
  condition died "死亡" / "died": max(members where not (deceased_on is absent), birth_date) > 1900-01-01
  condition today "今天" / "today": min(evaluation_date, 2030-01-01) == evaluation_date
end

program huge "大数" / "huge"
  subject household
  applies in national
  cite illustrative "x"
  condition scaled "放大" / "scaled": assets * 1000000000 > 100
end
'''


def edge_rules(tmp_path) -> policylang.RuleSet:
    for name in ("schema.policy", "places.policy", "sources.policy"):
        shutil.copy(RULES / name, tmp_path / name)
    (tmp_path / "edge.policy").write_text(EDGE_RULES, encoding="utf-8")
    return policylang.load(tmp_path)


def test_edge_constructs_screen_the_same_in_both_engines(tmp_path):
    """No place limit with an unknown jurisdiction, triggers, no conditions, min/max of
    dates, a product beyond Decimal(38, 18), and a bad int cell — each once broke the
    batch engine or made it differ (found in review)."""
    ruleset = edge_rules(tmp_path)
    member = {"id": "m1", "birth_date": "1940-01-01", "disability_grade": 0}
    households = [
        {"id": "nowhere", "assets": "10", "members": []},
        {"id": "plain", "jurisdiction": "kunming", "assets": "200000", "members": [member]},
        {"id": "big", "jurisdiction": "changzhou", "assets": "1000000000000", "members": [member]},
        {"id": "bad", "jurisdiction": "changzhou", "assets": "5",
         "members": [dict(member, disability_grade="--5")]},
    ]
    tables = tables_from_objects(ruleset.rules.schema, households)
    date = dt.date(2023, 8, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the chunk that overflows is handed to the interpreter
        batch = pl.concat([c.rows for c in screen(ruleset, tables, date)]).drop("__h")
    reference = pl.concat([c.rows for c in screen(ruleset, tables, date, engine="interpreter")])
    assert batch.sort(KEY, nulls_last=True).equals(reference.drop("__h").sort(KEY, nulls_last=True))
    errors = batch.filter(pl.col("error").is_not_null()).get_column("error").to_list()
    assert any("division by zero" in e for e in errors)
    assert any("disability_grade" in e for e in errors)
