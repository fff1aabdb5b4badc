"""The facts loader (CONTRACT §1): every bad fact is named by its JSON path, absent facts are
unknown (never 0 or false), and one bad household never stops the others."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

import policylang
from policylang.facts.load import convert_value, load_household, parse_json
from policylang.core.typesystem import DATE
from policylang.core.values import ABSENT, Unknown
from policylang.explain.decisions_json import decision_json

from conftest import example_household

DATE_OF_RUN = dt.date(2023, 8, 1)


def loaded_from_text(text: str, schema):
    return load_household(parse_json(text), schema, "h.json")


def only_error(loaded):
    assert loaded.record is None
    assert len(loaded.errors) == 1, [(e.json_path, e.message) for e in loaded.errors]
    return loaded.errors[0]


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- errors naming the JSON path
def test_a_float_income_is_refused_with_its_path(schema, changzhou):
    text = json.dumps(changzhou).replace('"monthly_income": "1800.00"', '"monthly_income": 1800.5')
    error = only_error(loaded_from_text(text, schema))
    assert error.code == "PL104"
    assert error.json_path == "members[0].monthly_income"
    assert error.file == "h.json"
    assert "floating-point" in error.message and '"1800.5"' in error.message


def test_a_float_that_looks_whole_is_refused_too(schema, changzhou):
    text = json.dumps(changzhou).replace('"assets": "5000.00"', '"assets": 5000.0')
    error = only_error(loaded_from_text(text, schema))
    assert (error.code, error.json_path) == ("PL104", "assets")


def test_a_python_float_is_refused(schema, changzhou):
    changzhou["members"][1]["monthly_income"] = 0.1
    error = only_error(load_household(changzhou, schema))
    assert error.json_path == "members[1].monthly_income"
    assert "decimal string" in error.message


def test_whole_numbers_of_yuan_are_accepted(schema, changzhou):
    changzhou["assets"] = 5000
    loaded = load_household(changzhou, schema)
    assert loaded.errors == () and loaded.record.facts["assets"] == Decimal(5000)


def test_an_impossible_date_is_named(schema, changzhou):
    changzhou["members"][1]["birth_date"] = "2023-02-30"
    error = only_error(load_household(changzhou, schema))
    assert error.code == "PL105"
    assert error.json_path == "members[1].birth_date"
    assert "2023-02-30" in error.message and "YYYY-MM-DD" in error.message


@pytest.mark.parametrize("text", ["2023-2-3", "03/02/2023", "2023-02-03T00:00", "", "2023"])
def test_dates_in_other_forms_are_refused(schema, changzhou, text):
    changzhou["members"][0]["birth_date"] = text
    assert only_error(load_household(changzhou, schema)).json_path == "members[0].birth_date"


@pytest.mark.parametrize("text", ["2023-W01-1", "20230101xx"])
def test_only_yyyy_mm_dd_dates_are_accepted(schema, text):
    with pytest.raises(ValueError):
        convert_value(text, DATE, schema)


def test_an_unknown_key_gets_a_suggestion(schema, changzhou):
    changzhou["members"][0]["monthly_incom"] = "10.00"
    error = only_error(load_household(changzhou, schema))
    assert error.code == "PL102"
    assert error.json_path == "members[0].monthly_incom"
    assert error.hint == "did you mean `monthly_income`?"


def test_an_unknown_household_key(schema, changzhou):
    changzhou["asset"] = "1.00"
    error = only_error(load_household(changzhou, schema))
    assert (error.json_path, error.hint) == ("asset", "did you mean `assets`?")


def test_duplicate_member_ids(schema, changzhou):
    changzhou["members"][1]["id"] = "a"
    error = only_error(load_household(changzhou, schema))
    assert error.code == "PL107"
    assert error.json_path == "members[1].id"
    assert "`a`" in error.message and "members[0]" in error.hint


@pytest.mark.parametrize("field, path", [
    ("assets", "assets"), ("monthly_rigid_expenses", "monthly_rigid_expenses")])
def test_negative_money(schema, changzhou, field, path):
    changzhou[field] = "-0.01"
    error = only_error(load_household(changzhou, schema))
    assert (error.code, error.json_path) == ("PL106", path)
    assert "negative" in error.message


def test_negative_member_income(schema, changzhou):
    changzhou["members"][0]["monthly_income"] = -5
    assert only_error(load_household(changzhou, schema)).json_path == "members[0].monthly_income"


@pytest.mark.parametrize("member_field, value, code", [
    ("can_work", "yes", "PL103"),
    ("can_work", 1, "PL103"),
    ("disability_grade", "1", "PL103"),
    ("disability_grade", True, "PL103"),
    ("disability_grade", 5, "PL108"),
    ("disability_grade", -1, "PL108"),
    ("relation", "cousin", "PL103"),
    ("care_dependency", "Severe", "PL103"),
    ("hukou", "kunmin", "PL103"),
    ("monthly_income", "1e3", "PL103"),
    ("monthly_income", "NaN", "PL103"),
    ("monthly_income", "Infinity", "PL103"),
    ("monthly_income", "１００", None),
    ("monthly_income", "abc", "PL103"),
    ("monthly_income", [], "PL103"),
    ("monthly_income", True, "PL103"),
    ("birth_date", 20230101, "PL103"),
])
def test_wrong_types_name_the_path(schema, changzhou, member_field, value, code):
    changzhou["members"][1][member_field] = value
    loaded = load_household(changzhou, schema)
    if code is None:  # full-width digits are digits to Decimal; either outcome is fine, no crash
        return
    error = only_error(loaded)
    assert (error.code, error.json_path) == (code, f"members[1].{member_field}")
    assert error.message


def test_a_numeric_member_id_is_refused(schema, changzhou):
    changzhou["members"][1]["id"] = 7
    loaded = load_household(changzhou, schema)
    assert loaded.record is None
    # (it is also reported a second time as a missing id, at the same path)
    assert ("PL103", "members[1].id") in {(e.code, e.json_path) for e in loaded.errors}


def test_an_unknown_jurisdiction_suggests_a_declared_one(schema, changzhou):
    changzhou["jurisdiction"] = "changzou"
    error = only_error(load_household(changzhou, schema))
    assert error.json_path == "jurisdiction" and "did you mean `changzhou`?" in error.message


def test_every_error_of_a_household_is_collected(schema, changzhou):
    changzhou["assets"] = 1.5
    changzhou["members"][0]["birth_date"] = "2023-02-30"
    changzhou["members"][1]["colour"] = "red"
    loaded = load_household(changzhou, schema)
    assert loaded.record is None
    assert sorted(e.json_path for e in loaded.errors) == [
        "assets", "members[0].birth_date", "members[1].colour"]


def test_a_float_id_is_refused(schema, changzhou):
    text = json.dumps(changzhou).replace('"id": "b"', '"id": 1.5')
    assert only_error(loaded_from_text(text, schema)).json_path == "members[1].id"


@pytest.mark.parametrize("data, path", [
    ([], "$"), ("household", "$"), (None, "$"), ({"id": "h", "members": {}}, "members"),
    ({"id": "h", "members": [1]}, "members[0]"), ({"id": "h", "events": "none"}, "events")])
def test_wrong_shapes(schema, data, path):
    loaded = load_household(data, schema)
    assert loaded.record is None
    assert path in {e.json_path for e in loaded.errors}


def test_a_household_needs_an_id(schema, changzhou):
    del changzhou["id"]
    error = only_error(load_household(changzhou, schema, "f.json", "[3]"))
    assert error.json_path == "[3].id"


def test_a_member_needs_an_id(schema, changzhou):
    del changzhou["members"][1]["id"]
    assert only_error(load_household(changzhou, schema)).json_path == "members[1].id"


def test_json_nested_too_deep_is_refused():
    with pytest.raises(ValueError, match="nests deeper"):
        parse_json("[" * 1000 + "]" * 1000)


def test_invalid_json_says_where():
    with pytest.raises(ValueError, match="line 1, column"):
        parse_json('{"id": }')


# ---------------------------------------------------------------- unknown is not false or zero
def test_absent_and_null_facts_are_unknown(schema, changzhou):
    del changzhou["members"][0]["monthly_income"]
    changzhou["members"][1]["can_work"] = None
    changzhou["assets"] = None
    loaded = load_household(changzhou, schema)
    assert loaded.errors == ()
    household = loaded.record
    a, b = household.relations["members"]
    assert household.facts["assets"] == Unknown(frozenset({"assets"}))
    assert a.facts["monthly_income"] == Unknown(frozenset({"members[0].monthly_income"}))
    assert b.facts["can_work"] == Unknown(frozenset({"members[1].can_work"}))


def test_a_decision_that_needs_an_unknown_fact_is_unknown_and_names_it(ruleset, donghai):
    """Grandma meets every tekun condition; without her income tekun cannot say yes or no."""
    assert ruleset.evaluate(donghai, DATE_OF_RUN)[0].find("tekun", "grandma").outcome == "eligible"
    del donghai["members"][1]["monthly_income"]
    (household,) = ruleset.evaluate(donghai, DATE_OF_RUN)
    decision = household.find("tekun", "grandma")
    assert decision.outcome == "unknown"
    assert decision.amount is None
    assert "members[1].monthly_income" in decision.missing
    assert "members[1].monthly_income" in decision_json(decision)["missing_facts"]


def test_a_null_bool_is_not_false(ruleset, donghai):
    donghai["members"][1]["can_work"] = None
    decision = ruleset.evaluate(donghai, DATE_OF_RUN)[0].find("tekun", "grandma")
    assert decision.outcome == "unknown" and decision.missing == ("members[1].can_work",)


def test_a_known_false_decides_even_with_unknown_facts(ruleset, donghai):
    donghai["members"][1]["can_work"] = None
    donghai["members"][1]["has_able_supporter"] = True  # fails no_supporter whatever can_work is
    decision = ruleset.evaluate(donghai, DATE_OF_RUN)[0].find("tekun", "grandma")
    assert decision.outcome == "not_eligible"


@pytest.mark.parametrize("absent", [True, False])
def test_deceased_on_absent_or_null_means_alive(ruleset, schema, donghai, absent):
    for member in donghai["members"]:
        if absent:
            del member["deceased_on"]
        else:
            member["deceased_on"] = None
    loaded = load_household(donghai, schema)
    assert loaded.record.relations["members"][1].facts["deceased_on"] is ABSENT
    decision = ruleset.evaluate(loaded, DATE_OF_RUN)[0].find("tekun", "grandma")
    assert decision.outcome == "eligible"
    assert next(c for c in decision.conditions if c.name == "alive").value is True


def test_a_member_who_died_is_not_alive(ruleset, donghai):
    donghai["members"][1]["deceased_on"] = "2023-07-01"
    decision = ruleset.evaluate(donghai, DATE_OF_RUN)[0].find("tekun", "grandma")
    assert decision.outcome == "not_eligible"


def test_an_unknown_jurisdiction_makes_place_bound_decisions_unknown(ruleset, kunming):
    kunming["jurisdiction"] = None
    (household,) = ruleset.evaluate(kunming, DATE_OF_RUN)
    dibao = household.find("dibao")
    assert dibao.outcome == "unknown" and dibao.missing == ("jurisdiction",)


def test_unknown_jurisdiction_before_the_exception_starts(ruleset, kunming):
    kunming["jurisdiction"] = None
    (household,) = ruleset.evaluate(kunming, dt.date(2019, 1, 1))
    assert household.find("dibao").outcome == "unknown"
    assert [d.subject_id for d in household.decisions
            if d.program == "dibao" and d.subject_kind == "member"] == []


def test_events_absent_is_unknown_but_empty_is_none(schema, changzhou):
    changzhou["events"] = []
    assert load_household(changzhou, schema).record.relations["events"] == ()
    del changzhou["events"]
    assert load_household(changzhou, schema).record.relations["events"] == Unknown(frozenset({"events"}))
    changzhou["events"] = None
    assert isinstance(load_household(changzhou, schema).record.relations["events"], Unknown)


def test_events_are_loaded(schema, changzhou):
    changzhou["events"] = [{"kind": "disaster", "date": "2023-08-03", "jurisdiction": "changzhou"}]
    (event,) = load_household(changzhou, schema).record.relations["events"]
    assert event.facts == {"kind": "disaster", "date": dt.date(2023, 8, 3), "jurisdiction": "changzhou"}
    changzhou["events"][0]["kind"] = "flood"
    assert only_error(load_household(changzhou, schema)).json_path == "events[0].kind"


def test_members_absent_is_unknown(ruleset, changzhou):
    del changzhou["members"]
    (household,) = ruleset.evaluate(changzhou, DATE_OF_RUN)
    assert household.errors == ()
    dibao = household.find("dibao")
    assert dibao.outcome == "unknown" and "members" in dibao.missing


# ---------------------------------------------------------------- files
def test_jsonl_with_one_bad_line_keeps_the_other_households(tmp_path, ruleset, changzhou, donghai):
    bad = json.dumps(changzhou).replace('"monthly_income": "1800.00"', '"monthly_income": 1800.5')
    path = write(tmp_path, "h.jsonl", "\n".join(
        [json.dumps(donghai), bad, "", "{not json", json.dumps(example_household("kunming-edge-family"))]))
    households = policylang.read_facts(path, ruleset)
    assert [h.id for h in households][0] == "donghai-orphan"
    assert [h.id for h in households][-1] == "kunming-edge-family"
    assert len(households) == 4
    good = [h for h in households if h.record is not None]
    assert [h.id for h in good] == ["donghai-orphan", "kunming-edge-family"]
    float_error = households[1].errors[0]
    assert float_error.json_path == "members[0].monthly_income" and float_error.file.endswith("h.jsonl:2")
    syntax_error = households[2].errors[0]
    assert syntax_error.code == "PL101" and syntax_error.file.endswith("h.jsonl:4")
    result = ruleset.evaluate(households, DATE_OF_RUN)
    assert len(result) == 4
    assert result[0].decisions and not result[0].errors
    assert result[1].errors and not result[1].decisions
    assert result[3].find("dibao_edge").outcome == "eligible"


def test_an_array_file_holds_several_households(tmp_path, ruleset, changzhou, donghai):
    changzhou["members"][0]["birth_date"] = "2023-02-30"
    path = write(tmp_path, "h.json", json.dumps([donghai, changzhou], ensure_ascii=False))
    first, second = policylang.read_facts(path, ruleset)
    assert first.errors == () and first.id == "donghai-orphan"
    assert only_error(second).json_path == "[1].members[0].birth_date"
    assert second.id == "changzhou-dibao"


def test_a_single_object_file(tmp_path, ruleset, changzhou):
    (household,) = policylang.read_facts(write(tmp_path, "h.json", json.dumps(changzhou)), ruleset)
    assert household.errors == () and household.id == "changzhou-dibao"


@pytest.mark.parametrize("text", ["", "{", "[1, 2", '"just text"', "\ud800".encode("utf-8", "surrogatepass").decode("latin-1")])
def test_unreadable_files_give_one_error(tmp_path, ruleset, text):
    households = policylang.read_facts(write(tmp_path, "h.json", text), ruleset)
    assert len(households) == 1 and households[0].record is None and households[0].errors


def test_a_file_that_is_not_utf8(tmp_path, ruleset):
    path = tmp_path / "h.json"
    path.write_bytes(b'{"id": "\xff"}')
    (household,) = policylang.read_facts(path, ruleset)
    assert household.errors[0].code == "PL101"


def test_evaluate_with_a_list_of_dicts_prefixes_paths(ruleset, changzhou, donghai):
    donghai["members"][0]["monthly_income"] = 0.5
    result = ruleset.evaluate([changzhou, donghai], DATE_OF_RUN)
    assert result[0].errors == () and result[0].decisions
    assert [e.json_path for e in result[1].errors] == ["[1].members[0].monthly_income"]
    assert result[1].decisions == ()
    assert result.has_errors


def test_evaluate_refuses_a_path_given_as_text(ruleset):
    with pytest.raises(TypeError):
        ruleset.evaluate("examples/changzhou-dibao.json", DATE_OF_RUN)
