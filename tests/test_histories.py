"""Monthly histories: a fact declared `history`, given month by month, read for the month
decided and through windows (`sum of pay over the last 3 months`) — checked, loaded,
explained, and decided alike by both engines, from facts files and from tables with a column
per month. (The Northland rule book uses one too: tests/test_northland.py.)"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policylang
from policylang.core.diagnostics import PolicyError
from policylang.facts.load import households_of

from conftest import assert_engines_agree

SCHEMA = """
entity home "户" / "home"
  key id : text
  fact rent "租金" / "rent" : money per month history
  has people "成员" / "people" : list of person
end

entity person "人" / "person"
  key id : text
  fact pay "工资" / "pay" : money per month history
  fact days "出勤天数" / "days worked" : int history default 20
end
"""

PROGRAMS = """
parameter quarter_floor "季度收入门槛" / "earnings floor per quarter" : money per quarter
  = 3000 cite illustrative "示例" / "example"
end

program steady "稳定就业" / "Steady work"
  subject person
  applies from 2020-01-01
  cite illustrative "示例" / "example"
  condition worked "出勤" / "worked": min of days over the last 3 months >= 15
  condition earned "收入" / "earned": sum of pay over the last 3 months >= quarter_floor
  amount average of pay over the last 3 months / max of person.days over the last 2 months
    rounded half_up to 0.01
end

program rent_help "租房补助" / "Rent help"
  subject home
  applies from 2020-01-01
  cite illustrative "示例" / "example"
  condition rent_paid "交租" / "rent paid": rent > 0 and average of rent over the last 2 months > 0
  amount rent / 2 rounded half_up to 0.01
end
"""


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    folder = tmp_path_factory.mktemp("histories")
    (folder / "schema.policy").write_text(SCHEMA, "utf-8")
    (folder / "programs.policy").write_text(PROGRAMS, "utf-8")
    return policylang.load(folder)


def checked(tmp_path, text: str) -> list:
    (tmp_path / "r.policy").write_text(SCHEMA + text, "utf-8")
    with pytest.raises(PolicyError) as raised:
        policylang.load(tmp_path)
    return [(d.code, d.span.line, d.message) for d in raised.value.diagnostics]


def decide(rules, data: dict, date: str):
    return rules.evaluate(households_of(json.dumps(data), "h.json", rules.rules.schema), date)


def home(*people, rent=None) -> dict:
    data = {"id": "h", "people": list(people)}
    if rent is not None:
        data["rent"] = rent
    return data


# ---------------------------------------------------------------- the language
def test_a_sum_over_12_months_of_a_monthly_amount_is_a_yearly_one(rules, tmp_path):
    found = checked(tmp_path, "definition y of person : money per month = "
                    "sum of pay over the last 12 months\n")
    assert found[0][0] == "PL020" and "money per year" in found[0][2]


@pytest.mark.parametrize("text, code, words", [
    ("definition x of person : int = count of pay over the last 3 months\n", "PL010",
     "is not a window"),
    ("definition x of person : int = sum of pay over the last 0 months\n", "PL020", "1 to 120"),
    ("definition x of person : int = sum of pay over the last 3 years\n", "PL020", "3 years"),
    ("definition x of person : int = sum of id over the last 3 months\n", "PL020",
     "`id` is not one"),
    ("definition x of person : int = sum of nothing over the last 3 months\n", "PL010",
     "unknown name"),
])
def test_a_window_that_cannot_be_read_is_refused(tmp_path, text, code, words):
    [(found, line, message)] = checked(tmp_path, text)
    assert (found, line) == (code, SCHEMA.count("\n") + 1) and words in message


@pytest.mark.parametrize("fact, words", [
    ('fact born : date history', "only a number"),
    ('fact kept : money history optional', "optional and has a history"),
    ('fact yearly : money per year history', "only a number"),
])
def test_only_a_monthly_number_has_a_history(tmp_path, fact, words):
    (tmp_path / "r.policy").write_text(f"entity e\n  key id : text\n  {fact}\nend\n", "utf-8")
    with pytest.raises(PolicyError) as raised:
        policylang.load(tmp_path)
    assert [d.code for d in raised.value.diagnostics] == ["PL020"]
    assert words in raised.value.diagnostics[0].message


# ---------------------------------------------------------------- facts
def test_months_are_checked_where_they_are_written(rules):
    data = home({"id": "p", "pay": {"2023-13": "1", "2023-07": "-5", "2023-06": 1.5}})
    [loaded] = households_of(json.dumps(data), "h.json", rules.rules.schema)
    assert sorted((e.code, e.json_path) for e in loaded.errors) == [
        ("PL103", 'people[0].pay["2023-13"]'), ("PL104", 'people[0].pay["2023-06"]'),
        ("PL106", 'people[0].pay["2023-07"]')]


def test_a_month_given_twice_is_refused(rules):
    text = '{"id": "h", "people": [{"id": "p", "pay": {"2023-07": "1", "2023-07": "2"}}]}'
    [loaded] = households_of(text, "h.json", rules.rules.schema)
    assert [(e.code, e.json_path) for e in loaded.errors] == [("PL102", 'people[0].pay["2023-07"]')]


def test_the_facts_schema_takes_one_value_or_values_by_month():
    from policylang.facts.json_schema import facts_json_schema
    schema = facts_json_schema(policylang.load("tests/rulebooks/northland/rules").rules.schema)
    salary = schema["$defs"]["person"]["properties"]["salary"]
    by_month = salary["anyOf"][0]["anyOf"][1]
    assert list(by_month["patternProperties"]) == ["^[0-9]{4}-(0[1-9]|1[0-2])$"]


# ---------------------------------------------------------------- decisions
def test_the_plain_name_reads_the_month_decided(rules):
    data = home({"id": "p", "pay": "1"}, rent={"2023-06": "300", "2023-07": "300", "2023-08": "500"})
    decided = decide(rules, data, "2023-08-10")
    assert decided[0].find("rent_help", "h").amount.value == 250
    assert decide(rules, data, "2023-09-10")[0].find("rent_help", "h").outcome == "unknown"


def test_a_window_needs_every_month_and_names_the_ones_missing(rules):
    data = home({"id": "p", "pay": {"2023-07": "2000", "2023-05": "2000"}}, rent="1")
    steady = decide(rules, data, "2023-08-10")[0].find("steady", "p")
    assert steady.outcome == "unknown"
    assert list(steady.missing) == ['people[0].pay["2023-06"]']
    explained = decide(rules, data, "2023-08-10").explain()
    assert "still needed: p’s pay for 2023-06" in explained
    assert "p的工资（2023-06）" in decide(rules, data, "2023-08-10").explain("zh")


def test_a_window_decides_and_its_defaults_are_listed_once(rules):
    pay = {"2023-05": "1500", "2023-06": "1500", "2023-07": "3000"}
    data = home({"id": "p", "pay": pay, "days": {"2023-07": 18}}, rent="1")
    decisions = decide(rules, data, "2023-08-10")
    steady = decisions[0].find("steady", "p")
    # average 2000 / the larger of 18 (July) and 20 (June, the default)
    assert (steady.outcome, steady.amount.value) == ("eligible", 100)
    assumed = json.loads(decisions.dumps())["households"][0]["decisions"]
    assert {"path": 'people[0].days["2023-06"]', "value": 20} in next(
        d for d in assumed if d["program"] == "steady")["assumed"]
    assert "p’s days worked for 2023-05, 2023-06: 20, its default" in decisions.explain()


def test_a_month_before_the_calendar_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "r.policy").write_text(SCHEMA + PROGRAMS.replace("2020-01-01", "0001-01-01"), "utf-8")
    rules = policylang.load(tmp_path)
    data = home({"id": "p", "pay": {"0001-01": "1"}}, rent="1")
    [household] = decide(rules, data, "0001-02-01")
    assert [e.code for e in household.errors] == ["PL207", "PL207"]
    assert_engines_agree(rules, [data], dt.date(1, 2, 1))


# ---------------------------------------------------------------- the batch engine
AMOUNTS = st.one_of(st.none(), st.sampled_from(["0", "900.50", "1000", "3000"]))
MONTHS = ["2023-04", "2023-05", "2023-06", "2023-07", "2023-08"]


def history(draw, values):
    if draw(st.booleans()):
        return draw(values)
    months = draw(st.lists(st.sampled_from(MONTHS), max_size=5, unique=True))
    return {month: draw(values) for month in months}


@st.composite
def homes(draw):
    people = []
    for number in range(draw(st.integers(0, 3))):
        person = {"id": f"p{number}"}
        for fact, values in (("pay", AMOUNTS), ("days", st.one_of(st.none(), st.integers(0, 31)))):
            if draw(st.booleans()):
                person[fact] = history(draw, values)
        people.append(person)
    data = {"id": "h" + str(draw(st.integers(0, 999))), "people": people}
    if draw(st.booleans()):
        data["rent"] = history(draw, AMOUNTS)
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(homes(), min_size=1, max_size=4, unique_by=lambda h: h["id"]),
       st.sampled_from([dt.date(2023, 8, 10), dt.date(2023, 7, 1), dt.date(2023, 10, 31)]))
def test_both_engines_read_months_alike(rules, objects, date):
    """Months given, not given, null, defaulted; the plain name; windows of sum, average,
    min and max, on a person and on the household above it."""
    assert_engines_agree(rules, objects, date)


def test_a_table_gives_months_as_columns(rules, tmp_path):
    pl.DataFrame({"id": ["h"], "rent": ["400"]}).write_csv(tmp_path / "homes.csv")
    pl.DataFrame({"home_id": ["h"], "id": ["p"], "pay[2023-05]": ["1000"],
                  "pay[2023-06]": ["1000"], "pay[2023-07]": ["1000"], "days": ["16"],
                  "days[2023-07]": ["16"]}).write_csv(tmp_path / "people.csv")
    rows = rules.screen(tmp_path / "homes.csv", tables={"people": tmp_path / "people.csv"},
                        date=dt.date(2023, 8, 1))
    steady = rows.filter(pl.col("program") == "steady").row(0, named=True)
    # average 1000 / max(16, June's default 20)
    assert (steady["outcome"], str(steady["amount_value"])) == ("eligible", "50.00")


def test_a_table_may_not_give_the_month_screened_twice(rules):
    homes_table = pl.DataFrame({"id": ["h"], "rent": ["400"], "rent[2023-08]": ["500"]})
    with pytest.raises(ValueError, match=r"`rent` and `rent\[2023-08\]` both give"):
        rules.screen(homes_table, tables={"people": pl.DataFrame({"home_id": ["h"], "id": ["p"]})},
                     date=dt.date(2023, 8, 1))
