"""Values no engine can hold exactly — a date past 9999-12-31, a number of 20 digits or
more — are an error for the household in both engines, never a silently rounded amount
(issue #18); amounts rounded to 0 are refused by `check`."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import policylang
from policylang.core.diagnostics import PolicyError
from policylang.core.rounding import TooLarge, add, multiply
from tests.conftest import assert_engines_agree

FAMILY = Path(__file__).resolve().parents[1] / "rulebooks" / "family"
DATE = dt.date(2023, 8, 1)

RULES = '''definition latest "最近事件" / "latest incident" of family = max(incidents, happened)
definition scaled "放大的存款" / "savings scaled up" of family =
  savings * 100000000 * 100000000 * 100000000

program recent "近期事件" / "recent incident"
  applies in country
  cite illustrative "an incident in the last 3 months"
  condition recent "近3个月" / "in the last 3 months": latest + 3 months > evaluation_date
end

program scaled_up "放大" / "scaled up"
  applies in country
  cite illustrative "a rate written in the wrong unit, multiplied three times"
  condition positive "为正" / "positive": scaled > 0
end
'''


@pytest.fixture
def rules(tmp_path) -> policylang.RuleSet:
    for name in ("schema.policy", "places.policy"):
        shutil.copy(FAMILY / name, tmp_path / name)
    (tmp_path / "extra.policy").write_text(RULES, encoding="utf-8")
    return policylang.load(tmp_path)


def north(happened: str = "2023-07-01", savings: str = "10000.00", id: str = "north-1") -> dict:
    facts = json.loads((FAMILY / "north-family.json").read_text(encoding="utf-8"))
    facts["id"] = id
    facts["incidents"] = [{"kind": "fire", "happened": happened}]
    facts["savings"] = savings
    return facts


def test_a_date_past_the_calendar_is_pl207_in_both_engines(rules):
    decided = rules.evaluate(north(happened="9999-12-01"), DATE).households[0]
    [error] = [e for e in decided.errors if e.code == "PL207"]
    assert "9999-12-01 + 3 months is after 9999-12-31" in error.message
    rows = assert_engines_agree(rules, [north(happened="9999-12-01"), north(id="ok")], DATE)
    assert rows.filter(rows["program"] == "recent")["household_id"].to_list() == ["ok"]
    assert any("9999-12-01 + 3 months is after 9999-12-31" in (e or "") for e in rows["error"])


def test_a_value_of_twenty_digits_is_pl208_in_both_engines(rules):
    decided = rules.evaluate(north(), DATE).households[0]
    [error] = [e for e in decided.errors if e.code == "PL208"]
    assert "too large to compute exactly" in error.message
    rows = assert_engines_agree(rules, [north(), north(savings="0.00", id="none")], DATE)
    scaled = rows.filter(rows["program"] == "scaled_up")
    assert scaled.select("household_id", "outcome").rows() == [("none", "not_eligible")]
    [error] = [e for e in rows["error"] if e]
    assert error.startswith("scaled_up for family north-1: the result is too large")


def test_results_are_bounded_exactly_at_ten_to_the_twenty():
    assert add(Decimal("99999999999999999999"), Decimal("0.5")) == Decimal("99999999999999999999.5")
    with pytest.raises(TooLarge):
        add(Decimal("99999999999999999999"), 1)
    with pytest.raises(TooLarge):
        multiply(10 ** 10, 10 ** 10)


def rounding_refused(tmp_path, step: str):
    """The one diagnostic of a family program whose amount is rounded to `step`."""
    for name in ("schema.policy", "places.policy"):
        shutil.copy(FAMILY / name, tmp_path / name)
    (tmp_path / "extra.policy").write_text(f'''program p "p" / "p"
  applies in country
  cite illustrative "rounded to {step}"
  condition c "c" / "c": savings > 0
  amount savings rounded half_up to {step}
end
''', encoding="utf-8")
    with pytest.raises(PolicyError) as raised:
        policylang.load(tmp_path)
    [found] = raised.value.diagnostics
    assert (found.code, found.span.line) == ("PL043", 5)
    return found


def test_an_amount_rounded_to_zero_is_refused(tmp_path):
    assert "rounded to 0" in rounding_refused(tmp_path, "0").message


def test_a_household_decided_in_year_one_gets_errors_not_a_crash(ruleset, kunming):
    """`evaluation_date - 12 months` on 0001-02-01 is before the calendar: the household's
    decisions that need it are PL207 — also inside why-not, whose probes once let it escape."""
    kunming["events"] = [{"kind": "disaster", "date": "0001-01-15", "jurisdiction": "kunming"}]
    decided = ruleset.evaluate(kunming, dt.date(1, 2, 1)).households[0]
    assert decided.errors and {e.code for e in decided.errors} == {"PL207"}
    assert_engines_agree(ruleset, [kunming], dt.date(1, 2, 1))


def test_an_amount_rounded_finer_than_the_limit_is_refused(tmp_path):
    """Amounts are exact to six places: a step finer than that could not be paid as written."""
    assert "finer than 6 places" in rounding_refused(tmp_path, "0.0000001").message


def test_an_amount_rounded_to_a_tenth_of_a_fen_is_shown_as_computed(tmp_path):
    """`rounded … to 0.001` pays 0.125, and every output writes 0.125, not 0.12 (issue #12)."""
    for name in ("schema.policy", "places.policy"):
        shutil.copy(FAMILY / name, tmp_path / name)
    (tmp_path / "extra.policy").write_text('''program p "p" / "p"
  applies in country
  cite illustrative "an eighth of the savings"
  condition c "c" / "c": savings > 0
  amount savings / 8 rounded half_up to 0.001
end
''', encoding="utf-8")
    rules = policylang.load(tmp_path)
    household = {"id": "f", "region": "north", "savings": "1.00", "rent": "0", "persons": [],
                 "incidents": []}
    decided = rules.evaluate([policylang.facts.load.load_household(household, rules.rules.schema)],
                             "2023-08-01")
    decision = decided[0].find("p")
    assert decision.amount.written == "0.125"
    data = json.loads(decided.dumps())["households"][0]["decisions"][0]
    assert data["amount"]["value"] == "0.125"
    assert "0.125" in decided.explain()


def test_the_largest_amount_rounds_exactly():
    from policylang.core.rounding import round_to
    assert round_to(Decimal("99999999999999999999.995"), Decimal("0.01"), "down") == \
        Decimal("99999999999999999999.99")
