"""`policylang verify` finds what breaks an invariant and shrinks it to a household that
really breaks it (checked here by deciding it again), passes the bundled library's
invariants, tells two versions of a rule apart, and `check` refuses a malformed invariant."""

import datetime as dt
import json
import shutil

import pytest

import policylang
import policylang.cli.main
from policylang.core.diagnostics import PolicyError
from policylang.syntax.formatter import format_text
from policylang.tools.verify import equivalent, verify

from conftest import ROOT, RULES

DATE = dt.date(2023, 8, 1)
TUTORIAL = ROOT / "docs" / "tutorial" / "step1"


@pytest.fixture
def single_person_rules(tmp_path):
    """The tutorial's single-person rule, which has a cliff: a little more income for the
    family ends the near-poor status, and with it the member covered alone."""
    folder = tmp_path / "rules"
    shutil.copytree(TUTORIAL, folder)
    (folder / "invariants.policy").write_text(
        'invariant no_cliff: no cliff in dibao for monthly_income above 0.01\n'
        'invariant never_negative: amount of dibao >= 0\n', encoding="utf-8")
    return folder


def totals(ruleset, household):
    (decided,) = ruleset.evaluate([household], DATE, programs=["dibao"], why_not=False)
    return sum((d.amount.value for d in decided.decisions if d.outcome == "eligible" and d.amount),
               start=0)


def test_the_cliff_is_found_and_the_household_found_has_it(single_person_rules):
    ruleset = policylang.load(single_person_rules)
    cliff, never_negative = verify(ruleset, DATE, 1000)
    assert not never_negative.refuted
    assert cliff.refuted and "lowers what dibao pays the household by" in cliff.text
    # the change the verdict states, made again: the household loses more than it gains
    path, rest = cliff.text.split("raising ")[1].split(" by ", 1)
    gained = float(rest.split(" ")[0])
    after = rest.split(" to ")[1].split(")")[0]
    changed = json.loads(json.dumps(cliff.household))
    index = int(path.split("[")[1].split("]")[0])
    changed["members"][index]["monthly_income"] = after
    assert float(totals(ruleset, cliff.household) - totals(ruleset, changed)) > gained + 0.01


def test_the_bundled_invariants_hold_in_the_households_tried():
    verdicts = verify(policylang.load(RULES), DATE, 60)
    assert len(verdicts) >= 5 and not [v.name for v in verdicts if v.refuted]


def test_two_versions_of_a_rule_are_told_apart(tmp_path):
    changed = tmp_path / "rules"
    shutil.copytree(RULES, changed)
    dibao = changed / "dibao.policy"
    dibao.write_text(dibao.read_text(encoding="utf-8").replace(
        "changzhou from 2023-01-01 = 1000", "changzhou from 2023-01-01 = 1100"), encoding="utf-8")
    old, new = policylang.load(RULES), policylang.load(changed)
    verdict = equivalent(old, new, "dibao", DATE, 300)
    assert verdict.refuted and verdict.household["jurisdiction"] == "changzhou"
    assert not equivalent(old, old, "dibao", DATE, 30).refuted


@pytest.mark.parametrize("text, code", [
    ("invariant a: amount of no_such_program >= 0", "PL016"),
    ("invariant a: dibao monotone decreasing in monthly_incom", "PL010"),
    ("invariant a: dibao monotone decreasing in serious_illness", "PL020"),
    ("invariant a: amount of dibao_edge >= 0", "PL020"),
    ("invariant a: no cliff in warm_cool_electricity for monthly_income", "PL021"),
])
def test_check_refuses_a_malformed_invariant(tmp_path, text, code):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    (folder / "bad.policy").write_text(text + "\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        policylang.load(folder)
    assert [d.code for d in caught.value.diagnostics if d.is_error] == [code]


def test_invariants_format_to_a_fixed_point():
    text = ('invariant a "甲" / "a" :amount of dibao>=0\n'
            'invariant b: dibao monotone  increasing in assets\n'
            'invariant c: no cliff in dibao for monthly_income above 0.5\n')
    formatted = format_text(text)
    assert format_text(formatted) == formatted
    assert formatted.splitlines()[0] == 'invariant a "甲" / "a": amount of dibao >= 0'


def test_the_command_exits_1_on_a_refuted_invariant(single_person_rules, capsys):
    with pytest.raises(SystemExit) as exit_:
        policylang.cli.main._invoke(["verify", str(single_person_rules), "--date", "2023-08-01",
                                     "--examples", "1000"])
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "✗ no_cliff" in out and "✓ never_negative" in out and '"members"' in out
