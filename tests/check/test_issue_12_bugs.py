"""The bugs found porting a tax-benefit model (issue #12), each as a test: a rounding step of
0, an exception's own period in parameter coverage (PL030), `--strict` coverage printed as
warnings, definitions hiding parameters or facts, negative amounts, several rule paths."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

import policylang
from policylang.core.diagnostics import PolicyError

from conftest import assert_engines_agree

NORTHLAND = Path(__file__).resolve().parents[1] / "rulebooks" / "northland" / "rules"


def book(tmp_path: Path, extra: str) -> Path:
    """The Northland rule book with one more file."""
    for file in NORTHLAND.glob("*.policy"):
        shutil.copy(file, tmp_path / file.name)
    (tmp_path / "extra.policy").write_text(extra, encoding="utf-8")
    return tmp_path


def refused(tmp_path: Path, extra: str) -> list:
    with pytest.raises(PolicyError) as raised:
        policylang.load(book(tmp_path, extra))
    return raised.value.diagnostics


def test_a_rounding_step_of_zero_is_a_diagnostic(tmp_path):
    [found] = refused(tmp_path, '''program weekly "周薪" / "weekly"
  subject person
  cite northland_act "x"
  condition c "c" / "c": salary > 0
  amount salary / 7 rounded half_up to 0
end
''')
    assert (found.code, found.span.line) == ("PL043", 5)


def late_exception(parameter_starts: str) -> str:
    """A program whose exception applies from 2017 and reads a parameter starting then."""
    return f'''parameter late "晚" / "late" : money per month
  from {parameter_starts} = 5 cite northland_act "x"
end

program early "早" / "early"
  subject person
  cite northland_act "x"
  condition c "c" / "c": salary >= 0
  amount 1 EUR rounded half_up to 0.01

  exception later "后" / "later"
    applies from 2017-01-01
    cite northland_act "y"
    condition d "d" / "d": salary > 100
    amount late rounded half_up to 0.01
  end
end
'''


def test_coverage_respects_an_exceptions_own_period(tmp_path):
    """An exception that applies from 2017 reads a parameter that starts in 2017: no PL030."""
    rules = policylang.load(book(tmp_path, late_exception("2017-01-01")))
    assert "early" in rules.programs


def test_coverage_still_finds_a_gap_inside_the_exceptions_period(tmp_path):
    [found] = refused(tmp_path, late_exception("2018-01-01"))
    assert found.code == "PL030" and "on 2017-01-01" in found.message
    assert "where exception `early.later` applies" in found.message


def test_a_definition_may_not_hide_a_parameter_or_a_fact(tmp_path):
    found = refused(tmp_path, '''definition housing_cap "x" / "x" of family = 1
definition salary "y" / "y" of person = 2
''')
    assert [d.code for d in found] == ["PL011", "PL011"]
    assert "parameter" in found[0].message and "benefits.policy" in found[0].hint
    assert "fact of `person`" in found[1].message and "schema.policy" in found[1].hint


def test_money_in_another_currency_is_refused(tmp_path):
    [found] = refused(tmp_path, '''definition gift "礼" / "gift" of person : money per month = 10 yuan
''')
    assert found.code == "PL021" and "EUR" in found.message


def test_a_negative_amount_is_an_error_in_both_engines(tmp_path):
    ruleset = policylang.load(book(tmp_path, '''program top_up "补" / "top-up"
  subject person
  cite northland_act "x"
  condition c "c" / "c": age >= 0
  amount basic_amount - salary rounded half_up to 0.01
end
'''))
    households = [{"id": "f", "persons": [{"id": "rich", "born": "1980-01-01", "salary": "1500.00"},
                                          {"id": "poor", "born": "1980-01-01", "salary": "200.00"}]}]
    rows = assert_engines_agree(ruleset, households, dt.date(2023, 8, 1))
    errors = [e for e in rows["error"].to_list() if e]
    assert any("less than nothing" in e for e in errors)
    decided = ruleset.evaluate(policylang.facts.load.households_of(json.dumps(households[0]), "f",
                                                                   ruleset.rules.schema), "2023-08-01")
    assert [e.code for e in decided[0].errors] == ["PL210"]


def test_eval_takes_several_rule_paths(run, tmp_path):
    facts = tmp_path / "f.json"
    facts.write_text('{"id": "f", "persons": [{"id": "a", "born": "1980-01-01"}]}', "utf-8")
    files = sorted(str(p) for p in NORTHLAND.glob("*.policy"))
    code, out, err = run("eval", *files, str(facts), "--date", "2023-08-01", "--format", "text")
    assert code == 0, err
    assert "basic_income" in out and "650.00 EUR/month" in out


def test_strict_coverage_fails_the_run_but_prints_warnings(run):
    reform = NORTHLAND.parent / "reforms" / "flat_tax.policy"
    code, out, err = run("test", str(NORTHLAND), "--reform", str(reform), "--strict")
    assert code == 1
    assert "warning[PL050]" in err and "error[PL050]" not in err
    assert "(--strict: the run fails)" in out


def test_a_long_chain_of_amounts_is_refused_not_a_crash(tmp_path):
    """Programs reading each other's amounts 400 deep: PL004, never a RecursionError."""
    chain = "\n".join(f'''program p{i} "p" / "p"
  subject person
  cite northland_act "x"
  condition c "c" / "c": salary >= 0
  amount {f"amount of p{i + 1}" if i < 399 else "1 EUR"} + 1 EUR rounded half_up to 0.01
end
''' for i in range(400))
    found = refused(tmp_path, chain)
    assert [d.code for d in found] == ["PL004"]


def test_brackets_applied_to_a_whole_number_are_a_decimal(tmp_path):
    """Rates times a count are not whole: declaring the result `int` is PL020."""
    [found] = refused(tmp_path, '''parameter pts "分" / "points" : decimal
  = brackets {0: 0.5, 10: 0.25} cite northland_act "x"
end

definition score "分数" / "score" of family : int = pts(count(persons))
''')
    assert found.code == "PL020" and "computes decimal" in found.message
