"""The Northland rule book (tests/rulebooks/northland): a rule book with no places, its own
currency, fact defaults, an overridable definition, a band scale and marginal brackets,
`amount of`, a program that ended, and two reforms. Its examples pass natively, both engines
agree on every family hypothesis draws (with and without the reforms), and what it assumes
or is given is said in the explanation and the decisions JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policylang
from policylang.core.diagnostics import PolicyError
from policylang.tools.examples import run_examples

from conftest import assert_engines_agree

BOOK = Path(__file__).resolve().parent / "rulebooks" / "northland"
RULES, REFORMS = BOOK / "rules", BOOK / "reforms"
BASE = policylang.load(RULES)
REFORMED = policylang.load(RULES, reforms=[REFORMS / "flat_tax.policy", REFORMS / "child_boost.policy"])


def family(persons: list[dict], rent: str | None = None) -> dict:
    data = {"id": "f", "persons": persons}
    if rent is not None:
        data["rent"] = rent
    return data


def decided(ruleset, data: dict, date: str):
    households = policylang.facts.load.households_of(json.dumps(data), "f.json", ruleset.rules.schema)
    return ruleset.evaluate(households, date)


@pytest.mark.parametrize("reforms", [[], ["flat_tax.policy"], ["child_boost.policy"],
                                     ["flat_tax.policy", "child_boost.policy"]])
def test_the_examples_pass_natively(reforms):
    ruleset = policylang.load(RULES, reforms=[REFORMS / r for r in reforms])
    results = run_examples(ruleset, [RULES, BOOK, REFORMS])
    assert results and all(r.passed for r in results), [r.failures for r in results]


def test_a_default_is_never_silent():
    decisions = decided(BASE, family([{"id": "ana", "born": "1990-04-02"}]), "2023-08-01")
    data = json.loads(decisions.dumps())["households"][0]
    tax = next(d for d in data["decisions"] if d["program"] == "income_tax")
    assert tax["outcome"] == "not_eligible"
    assert tax["assumed"] == [{"path": "persons[0].pension", "value": "0"},
                              {"path": "persons[0].salary", "value": "0"}]
    said = decisions.explain()
    assert "ana’s monthly salary: 0.00 euro, its default (not in the facts)" in said
    assert "ana的月工资：0.00 欧元（未申报，按默认值）" in decisions.explain("zh")


def test_a_given_value_is_used_and_said_so():
    decisions = decided(BASE, family([{"id": "cai", "age": 40}]), "2023-08-01")
    basic = decisions[0].find("basic_income", "cai")
    assert basic.outcome == "eligible" and [u.origin for u in basic.inputs] == ["given"]
    data = json.loads(decisions.dumps())["households"][0]["decisions"]
    assert next(d for d in data if d["program"] == "basic_income")["given"] == [
        {"path": "persons[0].age", "value": 40}]
    assert "cai’s age in full years: 40, as given in the facts (not computed)" in decisions.explain()


def test_a_scale_says_the_band_and_the_brackets_it_used():
    decisions = decided(BASE, family([{"id": "hal", "born": "1980-01-01", "salary": "3200.00"},
                                      {"id": "kid", "born": "2021-01-01"}]), "2023-08-01")
    said = decisions.explain()
    assert "income tax rates: 250.00 euro = 0 × 1000 + 0.1 × 2000 + 0.25 × 200, for 3200.00 euro" \
        in said
    assert "child benefit: 200.00 euro, the band from 0, for 2" in said
    assert decisions[0].find("income_tax", "hal").amount.written == "250.00"


def test_the_reforms_are_named_where_they_changed_a_decision():
    decisions = decided(REFORMED, family([{"id": "hal", "born": "1980-01-01", "salary": "3200.00"}]),
                        "2024-03-01")
    data = json.loads(decisions.dumps())
    assert [r["name"] for r in data["rules"]["reforms"]] == ["flat_tax", "child_boost"]
    tax = next(d for d in data["households"][0]["decisions"] if d["program"] == "income_tax")
    assert tax["amount"]["value"] == "300.00"
    assert [(c["reform"], c["action"], c["name"]) for c in tax["reformed"]] == [
        ("flat_tax", "replaced", "tax_rates")]
    assert "the reform “A flat income tax” replaced the standard “income tax rates”" in \
        decisions.explain()


def test_a_reform_that_changes_what_is_not_there_is_refused(tmp_path):
    (tmp_path / "typo.policy").write_text('reform typo\nremove program income_taks\n', "utf-8")
    with pytest.raises(PolicyError) as raised:
        policylang.load(RULES, reforms=[tmp_path / "typo.policy"])
    [found] = raised.value.diagnostics
    assert (found.code, found.span.line) == ("PL010", 2) and "income_tax" in found.hint


def test_a_reform_may_not_add_what_is_there_already(tmp_path):
    (tmp_path / "again.policy").write_text(
        'reform again\nparameter housing_cap : money per month\n  = 1 cite northland_act "x"\nend\n',
        "utf-8")
    with pytest.raises(PolicyError) as raised:
        policylang.load(RULES, reforms=[tmp_path / "again.policy"])
    assert [d.code for d in raised.value.diagnostics] == ["PL011"]
    assert "replace parameter" in raised.value.diagnostics[0].hint


def test_reform_declarations_outside_a_reform_are_refused(tmp_path):
    for name in ("schema.policy", "benefits.policy", "taxes.policy"):
        (tmp_path / name).write_text((RULES / name).read_text("utf-8"), "utf-8")
    (tmp_path / "x.policy").write_text("remove program income_tax\n", "utf-8")
    with pytest.raises(PolicyError) as raised:
        policylang.load(tmp_path)
    assert [d.code for d in raised.value.diagnostics] == ["PL001"]


def test_an_amended_value_ends_the_one_before():
    parameter = REFORMED.rules.parameters["basic_amount"]
    assert [(v.start, v.end, v.value) for v in parameter.values] == [
        (None, dt.date(2022, 12, 31), 600), (dt.date(2023, 1, 1), dt.date(2023, 12, 31), 650),
        (dt.date(2024, 1, 1), None, 700)]


AMOUNTS = st.one_of(st.none(), st.integers(0, 9000).map(lambda n: f"{n // 100}.{n % 100:02d}"),
                    st.sampled_from(["0", "1000.00", "3000.00", "4000.00"]))


# months around the dates the engines are compared on (2021-06, 2023-08, 2024-03)
MONTHS = ["2021-05", "2021-06", "2022-07", "2022-12", "2023-01", "2023-07", "2023-08",
          "2024-02", "2024-03", "2023-03"]


@st.composite
def persons(draw):
    person = {"id": draw(st.sampled_from(["a", "b", "c"])) + str(draw(st.integers(0, 99)))}
    if draw(st.booleans()):
        person["born"] = draw(st.dates(dt.date(1920, 1, 1), dt.date(2024, 1, 1))).isoformat()
    if draw(st.integers(0, 3)) == 0:
        person["age"] = draw(st.integers(0, 110))
    for fact in ("salary", "pension"):
        value = draw(AMOUNTS)
        if value is not None:
            person[fact] = value
    if draw(st.booleans()):  # the salary month by month, some months not given
        months = draw(st.lists(st.sampled_from(MONTHS), max_size=8, unique=True))
        person["salary"] = {month: draw(AMOUNTS) for month in months}
    if draw(st.booleans()):
        person["on_parental_leave"] = draw(st.booleans())
    return person


@st.composite
def families(draw):
    members = draw(st.lists(persons(), max_size=4, unique_by=lambda p: p["id"]))
    rent = draw(st.one_of(st.none(), AMOUNTS.filter(lambda a: a is not None)))
    data = family(members, rent)
    data["id"] = "f" + str(draw(st.integers(0, 999)))
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(families(), min_size=1, max_size=4, unique_by=lambda f: f["id"]),
       st.sampled_from([dt.date(2021, 6, 1), dt.date(2023, 8, 1), dt.date(2024, 3, 1)]),
       st.booleans())
def test_both_engines_agree_on_every_construct(objects, date, reformed):
    """Defaults, given values, bands, brackets, `amount of`, the ended program, the rule set
    without places, the reforms, a salary given month by month (months not given, null
    months) and the windows over it: the batch engine's rows are the interpreter's."""
    assert_engines_agree(REFORMED if reformed else BASE, objects, date)


def test_an_output_is_decided_explained_and_written_for_every_record():
    decisions = decided(BASE, family([{"id": "hal", "born": "1980-01-01", "salary": "3200.00"},
                                      {"id": "kid", "born": "2021-01-01"}]), "2023-08-01")
    data = json.loads(decisions.dumps())["households"][0]["outputs"]
    # 3200 + 650 basic income − 250 tax − 160 contribution; the child has the basic income of 0
    assert [(o["subject"]["id"], o["value"]) for o in data] == [("hal", "3440.00"), ("kid", "0.00")]
    assert "disposable income — hal: 3440.00 euro per month" in decisions.explain()
    assert "可支配收入 — hal：每月 3440.00 欧元" in decisions.explain("zh")


def test_an_output_that_needs_a_missing_fact_names_it():
    decisions = decided(BASE, family([{"id": "nob"}]), "2023-08-01")
    [output] = json.loads(decisions.dumps())["households"][0]["outputs"]
    assert output["value"] is None and output["missing_facts"] == ["persons[0].born"]


def test_an_example_checks_an_outputs_value(tmp_path):
    for file in RULES.glob("*.policy"):
        (tmp_path / file.name).write_text(file.read_text("utf-8"), "utf-8")
    (tmp_path / "more.policy").write_text('''example "a wrong figure" on 2023-08-01
  facts {"id": "f", "persons": [{"id": "hal", "born": "1980-01-01", "salary": "3200.00"}]}
  expect disposable for hal = 3000
end
''', "utf-8")
    [failed] = [r for r in run_examples(policylang.load(tmp_path), [tmp_path]) if not r.passed]
    assert list(failed.failures) == ["line 3: disposable for hal: expected 3000, got 3440.00"]
    (tmp_path / "more.policy").write_text((tmp_path / "more.policy").read_text("utf-8")
                                          .replace("disposable for", "disposible for"), "utf-8")
    with pytest.raises(PolicyError) as raised:
        policylang.load(tmp_path)
    [found] = raised.value.diagnostics
    assert (found.code, found.hint) == ("PL016", "did you mean `disposable`?")


def reformed_with(tmp_path, text: str):
    (tmp_path / "r.policy").write_text(text, "utf-8")
    return policylang.load(RULES, reforms=[tmp_path / "r.policy"])


def test_an_amended_window_keeps_the_days_after_it(tmp_path):
    rules = reformed_with(tmp_path, 'reform june\namend parameter basic_amount\n'
                          '  from 2023-06-01 until 2023-06-30 = 700 cite northland_act "June"\nend\n')
    values = rules.rules.parameters["basic_amount"].values
    assert sorted((v.start, v.end, v.value) for v in values if v.start) == [
        (dt.date(2023, 1, 1), dt.date(2023, 5, 31), 650), (dt.date(2023, 6, 1), dt.date(2023, 6, 30), 700),
        (dt.date(2023, 7, 1), None, 650)]


def test_an_amended_value_until_a_day_keeps_the_later_values(tmp_path):
    rules = reformed_with(tmp_path, 'reform before\namend parameter basic_amount\n'
                          '  until 2022-12-31 = 590 cite northland_act "less before 2023"\nend\n')
    values = rules.rules.parameters["basic_amount"].values
    assert sorted(((v.start or dt.date.min), v.value) for v in values) == [
        (dt.date.min, 590), (dt.date(2023, 1, 1), 650)]


def test_a_removed_declaration_may_be_declared_anew_but_not_changed(tmp_path):
    rules = reformed_with(tmp_path, 'reform again\nremove parameter housing_cap\n'
                          'parameter housing_cap : money per month\n  = 350 cite northland_act "new"\nend\n')
    assert rules.rules.parameters["housing_cap"].values[0].value == 350
    with pytest.raises(PolicyError) as raised:
        reformed_with(tmp_path, 'reform gone\nremove parameter housing_cap\namend parameter housing_cap\n'
                      '  from 2024-01-01 = 1 cite northland_act "x"\nend\nremove parameter housing_cap\n')
    assert [d.code for d in raised.value.diagnostics] == ["PL010", "PL010"]


def test_removing_a_definition_needs_its_entity(tmp_path):
    with pytest.raises(PolicyError) as raised:
        reformed_with(tmp_path, "reform r\nremove definition disposable\n")
    [found] = raised.value.diagnostics
    assert found.hint == "write `remove definition disposable of person`"
    with pytest.raises(PolicyError) as raised:
        reformed_with(tmp_path, "reform r\nremove program income_tax of person\n")
    assert [d.code for d in raised.value.diagnostics] == ["PL001"]
