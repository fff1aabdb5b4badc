"""Facts from hostile or unlucky hands (issue 18): every mistake is a diagnostic with its JSON
path — a field written twice, two households with one id, money the published schema refuses,
amounts beyond the engines' exact range, lone surrogates, huge texts, malformed API input —
and never a silent "last wins", a traceback or output that cannot be written as UTF-8."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from policylang.core.limits import (MAX_AMOUNT_DIGITS, MAX_AMOUNT_PLACES, MAX_FACT_ERRORS,
                                    MAX_ID_CHARS, MAX_TEXT_CHARS)
from policylang.core.typesystem import DECIMAL, Type
from policylang.core.values import format_decimal
from policylang.facts.json_schema import facts_json_schema
from policylang.facts.load import FactError, convert_value, load_household, parse_json, read_facts_file

from conftest import ROOT

DATE_OF_RUN = dt.date(2023, 8, 1)
MONEY = Type("money")


def loaded_from_text(text: str, schema):
    return load_household(parse_json(text), schema, "h.json")


def errors_of(loaded) -> list[tuple[str, str]]:
    return [(e.code, e.json_path) for e in loaded.errors]


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- a field written twice
def test_a_field_written_twice_is_refused_not_last_wins(schema, changzhou):
    text = json.dumps(changzhou).replace('"assets": "5000.00"',
                                         '"assets": "5000.00", "assets": "999999999"')
    loaded = loaded_from_text(text, schema)
    assert loaded.record is None
    assert errors_of(loaded) == [("PL102", "assets")]
    assert "twice" in loaded.errors[0].message


def test_a_member_field_written_twice_is_named_by_its_path(schema, changzhou):
    text = json.dumps(changzhou).replace('"monthly_income": "0.00"',
                                         '"monthly_income": "0.00", "monthly_income": "0.00"')
    assert errors_of(loaded_from_text(text, schema)) == [("PL102", "members[1].monthly_income")]


# ---------------------------------------------------------------- two households, one id
def test_two_households_with_one_id_in_a_file_are_refused(tmp_path, schema, changzhou, donghai):
    donghai["id"] = changzhou["id"]
    path = write(tmp_path, "two.json", json.dumps([changzhou, donghai]))
    loaded = read_facts_file(path, schema)
    assert [errors_of(h) for h in loaded] == [[("PL107", "[0].id")], [("PL107", "[1].id")]]
    assert loaded[1].errors[0].hint == f"also at {path}, [0].id"


def test_two_lines_with_one_id_in_a_jsonl_file_are_refused(tmp_path, schema, changzhou):
    path = write(tmp_path, "two.jsonl", json.dumps(changzhou) + "\n" + json.dumps(changzhou) + "\n")
    loaded = read_facts_file(path, schema)
    assert [[(e.code, e.file) for e in h.errors] for h in loaded] == [
        [("PL107", f"{path}:1")], [("PL107", f"{path}:2")]]
    assert all(h.record is None for h in loaded)


def test_two_previous_snapshots_with_one_id_are_not_matched(ruleset, changzhou):
    now = json.loads(json.dumps(changzhou))
    now["events"] = [{"kind": "accident", "date": "2023-07-30", "jurisdiction": "changzhou"}]

    def alert(previous):
        decided = ruleset.evaluate(now, DATE_OF_RUN, programs=["low_income_alert"], previous=previous)
        return decided[0].find("low_income_alert", "a").outcome
    assert alert(changzhou) == "eligible"
    assert alert([changzhou, changzhou]) == "not_applicable"  # not the last one, silently


def test_jsonl_lines_split_at_newlines_only(tmp_path, schema, changzhou):
    changzhou["members"][0]["id"] = "a\u2028b"  # a line separator inside a JSON string
    path = write(tmp_path, "one.jsonl", json.dumps(changzhou, ensure_ascii=False) + "\r\n")
    (loaded,) = read_facts_file(path, schema)
    assert loaded.errors == ()


# ---------------------------------------------------------------- one grammar for money
REFUSED_MONEY = ["５０００", "٥٠٠٠", "5_000", "+5000", " 5000 ", "5.", ".5", "5000\n", "1e3",
                 "5,000", "NaN", "Infinity", "", "5.0.0", "0x10", "-"]


@pytest.mark.parametrize("text", REFUSED_MONEY)
def test_money_the_schema_refuses_is_refused(schema, changzhou, text):
    changzhou["assets"] = text
    (error,) = load_household(changzhou, schema).errors
    assert (error.code, error.json_path) == ("PL103", "assets")
    assert '"5000.00"' in error.hint


@pytest.mark.parametrize("text", ["5000", "5000.00", "0", "0.5", "007", "0.000000000"])
def test_money_the_schema_accepts_is_accepted(schema, changzhou, text):
    changzhou["assets"] = text
    loaded = load_household(changzhou, schema)
    assert loaded.errors == ()
    assert loaded.record.facts["assets"] == Decimal(text)


def test_negative_money_is_still_pl106(schema, changzhou):
    changzhou["assets"] = "-1"
    assert errors_of(load_household(changzhou, schema)) == [("PL106", "assets")]


def schema_pattern(type_: Type, schema) -> str:
    """The pattern the published JSON Schema gives a decimal string of `type_`."""
    from policylang.facts.json_schema import _type
    (string,) = [s for s in _type(type_, schema)["oneOf"] if s.get("type") == "string"]
    return string["pattern"]


def matches_as_json_schema_does(pattern: str, text: str) -> bool:
    """ECMA-262 semantics of a `^…$` pattern: `$` is the very end (no newline before it)."""
    assert pattern.startswith("^") and pattern.endswith("$")
    return re.fullmatch(pattern[1:-1], text) is not None


def loader_accepts(text: str, type_: Type, schema) -> bool:
    try:
        convert_value(text, type_, schema)
    except FactError:
        return False
    return True


MONEYISH = st.one_of(
    st.text(alphabet="0123456789.-+ _eE,\n\t５٠", max_size=12),
    st.from_regex(r"\A-?[0-9]{1,20}(\.[0-9]{0,9})?\Z"),
    st.text(max_size=6))


@settings(max_examples=400, deadline=None)
@given(text=MONEYISH)
def test_the_loader_and_the_schema_agree_on_money(schema, text):
    for type_ in (MONEY, DECIMAL, Type("kwh")):
        pattern = schema_pattern(type_, schema)
        assert loader_accepts(text, type_, schema) == matches_as_json_schema_does(pattern, text), (
            type_, text)


def test_the_published_schema_is_the_generated_one(ruleset):
    published = json.loads((ROOT / "docs" / "facts.schema.json").read_text(encoding="utf-8"))
    assert published == facts_json_schema(ruleset.rules.schema)


def test_the_schema_bounds_whole_numbers_as_the_loader_does(ruleset):
    assets = facts_json_schema(ruleset.rules.schema)["properties"]["assets"]["anyOf"][0]
    (integer,) = [s for s in assets["oneOf"] if s["type"] == "integer"]
    assert integer["maximum"] == 10 ** MAX_AMOUNT_DIGITS - 1


# ---------------------------------------------------------------- a UTF-8 byte order mark
def test_a_byte_order_mark_is_accepted_in_facts(tmp_path, schema, changzhou):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(changzhou).encode("utf-8"))
    (loaded,) = read_facts_file(path, schema)
    assert loaded.errors == () and loaded.id == "changzhou-dibao"


def test_a_byte_order_mark_is_accepted_in_jsonl(tmp_path, schema, changzhou):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(changzhou).encode("utf-8") + b"\n")
    (loaded,) = read_facts_file(path, schema)
    assert loaded.errors == ()


# ---------------------------------------------------------------- amounts within exact range
def test_an_amount_beyond_the_bound_is_pl108(schema, changzhou):
    changzhou["assets"] = "1" + "0" * MAX_AMOUNT_DIGITS
    changzhou["members"][0]["monthly_income"] = "1." + "1" * (MAX_AMOUNT_PLACES + 1)
    assert errors_of(load_household(changzhou, schema)) == [
        ("PL108", "assets"), ("PL108", "members[0].monthly_income")]


def test_the_largest_amount_within_the_bound_is_accepted(schema, changzhou):
    changzhou["assets"] = "9" * MAX_AMOUNT_DIGITS + "." + "9" * MAX_AMOUNT_PLACES
    changzhou["members"][0]["monthly_income"] = 10 ** MAX_AMOUNT_DIGITS - 1
    assert load_household(changzhou, schema).errors == ()


@pytest.mark.parametrize("value", [10 ** MAX_AMOUNT_DIGITS, Decimal("1E+30"), Decimal("NaN")])
def test_python_amounts_beyond_the_bound_are_refused(schema, changzhou, value):
    changzhou["assets"] = value
    (error,) = load_household(changzhou, schema).errors
    assert error.json_path == "assets" and error.code in ("PL103", "PL108")


def test_a_whole_number_of_thousands_of_digits_is_pl108_at_its_path(tmp_path, schema, changzhou):
    text = json.dumps(changzhou).replace('"disability_grade": 0', '"disability_grade": ' + "9" * 5000)
    (loaded,) = read_facts_file(write(tmp_path, "big.json", text), schema)
    assert errors_of(loaded) == [("PL108", "members[0].disability_grade")]
    assert len(loaded.errors[0].message) < 200


def test_an_int_fact_beyond_the_bound_is_pl108(schema):
    assert loader_accepts(10 ** MAX_AMOUNT_DIGITS - 1, Type("int"), schema)
    with pytest.raises(FactError) as raised:
        convert_value(-(10 ** MAX_AMOUNT_DIGITS), Type("int"), schema)
    assert raised.value.code == "PL108"


@pytest.mark.parametrize("text", ["1E+30", "123456789012345678901234567890.5", "-0.50", "1E-30",
                                  "10000000000000000000000000000", "0E+5"])
def test_format_decimal_is_exact_for_any_finite_decimal(text):
    written = format_decimal(Decimal(text))
    assert Decimal(written) == Decimal(text)
    assert "E" not in written and not (("." in written) and written.endswith("0"))


# ---------------------------------------------------------------- lone surrogates
def test_a_lone_surrogate_in_an_id_is_refused(ruleset, schema, changzhou):
    text = json.dumps(changzhou).replace('"id": "a"', '"id": "a\\ud800"')
    loaded = loaded_from_text(text, schema)
    assert errors_of(loaded) == [("PL103", "members[0].id")]
    result = ruleset.evaluate([loaded], DATE_OF_RUN)
    result.dumps().encode("utf-8")  # the JSON output can be written
    result.explain().encode("utf-8")


def test_a_lone_surrogate_in_a_field_name_or_an_enum_is_not_echoed(ruleset, schema, changzhou):
    text = json.dumps(changzhou).replace('"orphan": false', '"orph\\udc00an": false', 1)
    text = text.replace('"relation": "head"', '"relation": "he\\ud800ad"')
    loaded = loaded_from_text(text, schema)
    assert sorted(errors_of(loaded)) == [("PL102", "members[0].orph\\udc00an"),
                                         ("PL103", "members[0].relation")]
    ruleset.evaluate([loaded], DATE_OF_RUN).dumps().encode("utf-8")


# ---------------------------------------------------------------- text limits
def test_an_id_longer_than_the_limit_is_pl108(schema, changzhou):
    changzhou["members"][0]["id"] = "a" * (MAX_ID_CHARS + 1)
    changzhou["id"] = "h" * MAX_ID_CHARS
    loaded = load_household(changzhou, schema)
    assert errors_of(loaded) == [("PL108", "members[0].id")]
    assert len(loaded.errors[0].message) < 300


def test_a_text_longer_than_the_limit_is_refused_without_echoing_it(schema, changzhou):
    changzhou["members"][0]["relation"] = "x" * 10_000_000
    changzhou["members"][0]["y" * 10_000_000] = 1
    loaded = load_household(changzhou, schema)
    assert sorted(c for c, _ in errors_of(loaded)) == ["PL102", "PL108"]
    assert all(len(e.message) < 300 and len(e.json_path) < 300 for e in loaded.errors)
    assert MAX_TEXT_CHARS >= MAX_ID_CHARS


def test_a_household_reports_a_bounded_number_of_errors(schema, changzhou):
    for i in range(5 * MAX_FACT_ERRORS):
        changzhou[f"field_{i}"] = i
    loaded = load_household(changzhou, schema)
    assert len(loaded.errors) == MAX_FACT_ERRORS + 1
    assert "more" in loaded.errors[-1].message


def test_a_set_value_holds_a_bounded_number_of_entries(schema):
    from policylang.core.limits import MAX_LIST_ENTRIES
    with pytest.raises(FactError) as raised:
        convert_value(["x"] * (MAX_LIST_ENTRIES + 1), Type("set", element=Type("text")), schema)
    assert raised.value.code == "PL110"


# ---------------------------------------------------------------- the API never raises for facts
MALFORMED = [{1: "x"}, {"id": "h", "members": [{"id": "a", 3: 4}]}, 5, None, [[1, 2]], [None],
             {("a",): 1}, [{"id": 1}], object()]


@pytest.mark.parametrize("facts", MALFORMED, ids=range(len(MALFORMED)))
def test_evaluate_turns_malformed_facts_into_errors(ruleset, facts):
    result = ruleset.evaluate(facts, DATE_OF_RUN)
    assert result.has_errors and all(h.decisions == () for h in result if h.errors)
    result.dumps().encode("utf-8")
    result.explain()


@pytest.mark.parametrize("facts", MALFORMED, ids=range(len(MALFORMED)))
def test_a_malformed_previous_snapshot_is_dropped(ruleset, changzhou, facts):
    result = ruleset.evaluate(changzhou, DATE_OF_RUN, previous=facts)
    assert not result.has_errors
