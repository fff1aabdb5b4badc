"""previous(…), needs previous, triggers and reports: the checks and edge cases."""

import copy
import json
import shutil

import pytest
from click.testing import CliRunner

import policylang
from policylang.cli.main import cli


def rules_with(tmp_path, text):
    for name in ("schema", "places", "sources"):
        shutil.copy(f"rules/{name}.policy", tmp_path)
    (tmp_path / "x.policy").write_text(text, encoding="utf-8")
    return tmp_path


def sample(name="changzhou-dibao"):
    with open(f"examples/{name}.json", encoding="utf-8") as f:
        return json.load(f)


def codes(tmp_path, text):
    with pytest.raises(policylang.PolicyError) as caught:
        policylang.load(rules_with(tmp_path, text))
    return [d.code for d in caught.value.diagnostics]


def test_previous_through_a_definition_needs_previous(tmp_path):
    assert codes(tmp_path, '''
definition worked_before of member = previous(can_work)
program p "p"
  subject member
  cite illustrative "x"
  condition c: worked_before and not can_work
end''') == ["PL045"]


def test_two_reports_of_one_name(tmp_path):
    assert codes(tmp_path, '''
program p "p"
  subject household
  cite illustrative "x"
  condition c: assets > 0
  report level : int = 1
  report level : int = 2
end''') == ["PL011"]


def test_a_member_new_since_the_snapshot_is_not_taken_for_true(tmp_path):
    rules = policylang.load(rules_with(tmp_path, '''
program stopped_working "p"
  subject member
  needs previous
  cite illustrative "x"
  condition c: previous(can_work) and not can_work
end'''))
    now = sample()
    before = copy.deepcopy(now)
    before["members"] = before["members"][:1]  # b was not there before
    decisions = rules.evaluate(now, "2023-08-01", previous=before)[0]
    assert decisions.find("stopped_working", "b").outcome == "not_eligible"


def test_a_bad_previous_snapshot_stops_the_run(tmp_path):
    now, before = sample(), sample()
    before["members"][0]["monthly_income"] = 1.5
    (tmp_path / "now.json").write_text(json.dumps(now), encoding="utf-8")
    (tmp_path / "before.json").write_text(json.dumps(before), encoding="utf-8")
    run = CliRunner().invoke(cli, ["eval", "rules", str(tmp_path / "now.json"), "--date",
                                   "2023-08-01", "--previous", str(tmp_path / "before.json")])
    # the command's main() prints the diagnostic; invoked directly it raises it
    assert run.exit_code == 1 and isinstance(run.exception, policylang.PolicyError)
    assert [d.json_path for d in run.exception.diagnostics] == ["members[0].monthly_income"]


def test_a_household_missing_from_the_snapshot_is_named(tmp_path):
    now, before = sample(), sample()
    before["id"] = "someone-else"
    (tmp_path / "now.json").write_text(json.dumps(now), encoding="utf-8")
    (tmp_path / "before.json").write_text(json.dumps(before), encoding="utf-8")
    run = CliRunner().invoke(cli, ["eval", "rules", str(tmp_path / "now.json"), "--date",
                                   "2023-08-01", "--previous", str(tmp_path / "before.json")])
    assert run.exit_code == 0 and "has no household `changzhou-dibao`" in run.output


def test_a_clause_cited_by_exception_and_program_is_listed_once():
    rules = policylang.load("rules")
    decision = rules.evaluate(sample("kunming-edge-family"), "2023-10-01")[0].find("special_assistance")
    assert decision.by == "widened"
    quotes = [c.quote for c in decision.citations]
    assert len(quotes) == len(set(quotes)) == 1
