"""Every program of the bundled library, through the public API: outcome and amount.

The figures are worked out by hand from ../shared/domain/BRIEF.md, not read back from
the engine.
"""

import copy
import json
from decimal import Decimal

import pytest

import policylang
from policylang.explain.decisions_json import decision_json

DATE = "2023-08-01"
PROGRAMS = ("dibao", "dibao_edge", "tekun", "child_basic_living", "disability_living_subsidy",
            "disability_care_subsidy", "temporary_emergency", "medical_expense_aid",
            "free_electricity_2022", "warm_cool_electricity", "home_care_service",
            "respect_elderly_allowance", "special_assistance", "funeral_subsidy",
            "low_income_alert")
HOUSEHOLD_PROGRAMS = {"dibao", "dibao_edge", "temporary_emergency", "medical_expense_aid",
                      "free_electricity_2022", "warm_cool_electricity", "special_assistance"}


@pytest.fixture(scope="module")
def rules():
    return policylang.load("rules")


def sample(name):
    with open(f"examples/{name}.json", encoding="utf-8") as f:
        return json.load(f)


def decide(rules, facts, date=DATE, previous=None):
    (household,) = rules.evaluate(facts, date, previous=previous)
    assert household.errors == ()
    return household


def result(household, program, subject=None):
    decision = household.find(program, subject)
    assert decision is not None, (program, subject)
    amount = decision.amount
    return (decision.outcome, amount.value if amount else None,
            (amount.unit, amount.per) if amount else None)


def test_the_library_has_the_contract_programs(rules):
    assert set(rules.programs) == set(PROGRAMS)


@pytest.mark.parametrize("name", ["kunming-edge-family", "changzhou-dibao", "donghai-orphan"])
def test_every_program_decides_for_every_subject(rules, name):
    facts = sample(name)
    household = decide(rules, facts, previous=facts)
    members = [m["id"] for m in facts["members"]]
    for program in PROGRAMS:
        decisions = [d for d in household.decisions if d.program == program]
        if program in HOUSEHOLD_PROGRAMS:
            assert [d.subject_id for d in decisions if d.subject_kind == "household"] == [facts["id"]]
        else:
            assert sorted(d.subject_id for d in decisions) == sorted(members), program


def test_kunming_edge_family_as_the_examples_readme_says(rules):
    h = decide(rules, sample("kunming-edge-family"))
    assert result(h, "dibao") == ("not_eligible", None, None)
    assert result(h, "dibao_edge") == ("eligible", None, None)
    assert result(h, "dibao", "p2") == ("eligible", Decimal("800.00"), ("CNY", "month"))
    assert result(h, "disability_care_subsidy", "p2") == ("eligible", Decimal("80.00"), ("CNY", "month"))
    assert result(h, "disability_living_subsidy", "p2") == ("eligible", Decimal("80.00"), ("CNY", "month"))


def test_changzhou_dibao_as_the_examples_readme_says(rules):
    h = decide(rules, sample("changzhou-dibao"))
    assert result(h, "dibao") == ("eligible", Decimal("600.00"), ("CNY", "month"))
    assert result(h, "medical_expense_aid") == ("eligible", Decimal("4800.00"), ("CNY", "year"))
    assert result(h, "warm_cool_electricity") == ("eligible", Decimal("200.00"), ("kWh", "once"))
    assert result(h, "disability_living_subsidy", "b") == ("eligible", Decimal("100.00"), ("CNY", "month"))


def test_donghai_orphan_as_the_examples_readme_says(rules):
    h = decide(rules, sample("donghai-orphan"))
    assert result(h, "child_basic_living", "child") == ("eligible", Decimal("1646.00"), ("CNY", "month"))
    assert result(h, "tekun", "child")[0] == "not_eligible"
    assert h.find("tekun", "child").yielded_to == "child_basic_living"
    assert result(h, "tekun", "grandma") == ("eligible", Decimal("1105.00"), ("CNY", "month"))
    assert result(h, "home_care_service", "grandma") == ("eligible", Decimal("100.00"), ("CNY", "month"))
    assert h.find("home_care_service", "grandma").by == "disabled_elderly"
    assert result(h, "respect_elderly_allowance", "grandma") == ("eligible", Decimal("150.00"), ("CNY", "quarter"))
    assert result(h, "dibao")[0] == "not_eligible"


def test_temporary_emergency_needs_no_hukou(rules):
    facts = sample("changzhou-dibao")
    facts["events"] = [{"kind": "disaster", "date": "2023-06-15", "jurisdiction": "changzhou"}]
    for member in facts["members"]:
        member["hukou"] = "kunming"
    h = decide(rules, facts)
    assert result(h, "temporary_emergency") == ("eligible", Decimal("6000.00"), ("CNY", "once"))
    decision = h.find("temporary_emergency")
    assert any("户籍" in note for note in decision.notes)
    assert "hukou" in decision_json(decision)["explanation"]["notes"][0]


def test_dibao_names_the_disaster_clause(rules):
    facts = sample("changzhou-dibao")
    facts["events"] = [{"kind": "disaster", "date": "2023-01-15", "jurisdiction": "changzhou"}]
    decision = decide(rules, facts).find("dibao")
    assert decision.outcome == "eligible" and decision.amount.value == Decimal("600.00")
    assert any("004_df2a2617babfc631.txt" in note for note in decision.notes)
    assert decide(rules, sample("changzhou-dibao")).find("dibao").notes == ()


def test_medical_expense_aid_ratios_and_cap(rules):
    facts = sample("changzhou-dibao")
    facts["members"][0]["monthly_income"] = "2600.00"  # (2600 - 400) / 2 = 1100: near-poor
    assert result(decide(rules, facts), "medical_expense_aid")[:2] == ("eligible", Decimal("4000.00"))
    facts["medical_self_pay_in_catalogue"] = "120000.00"
    assert result(decide(rules, facts), "medical_expense_aid")[:2] == ("eligible", Decimal("50000.00"))


def test_free_electricity_only_in_2022(rules):
    facts = sample("changzhou-dibao")
    assert result(decide(rules, facts, "2022-06-01"), "free_electricity_2022") == (
        "eligible", Decimal("65.00"), ("kWh", "once"))
    assert result(decide(rules, facts, "2023-01-01"), "free_electricity_2022")[0] == "not_applicable"


def test_special_assistance_lists_the_kinds_and_widens_in_october_2023(rules):
    edge = sample("kunming-edge-family")
    before = decide(rules, edge, "2023-09-30").find("special_assistance")
    after = decide(rules, edge, "2023-10-01").find("special_assistance")
    assert before.outcome == "not_eligible" and "kinds" not in decision_json(before)
    assert after.outcome == "eligible" and after.by == "widened"
    assert decision_json(after)["kinds"] == ["education", "employment", "housing", "medical"]


def test_funeral_subsidy_in_guandu(rules):
    facts = sample("kunming-edge-family")
    facts["jurisdiction"] = "kunming.guandu"
    facts["members"][0].update(hukou="kunming.guandu", deceased_on="2023-07-20")
    h = decide(rules, facts)
    assert result(h, "funeral_subsidy", "p1") == ("eligible", Decimal("1000.00"), ("CNY", "once"))
    assert result(h, "tekun", "p1")[0] == "not_eligible"  # deceased: no person program but this one


def test_respect_allowance_bands(rules):
    facts = sample("donghai-orphan")
    facts["members"][1]["birth_date"] = "1923-01-01"  # 100 on the date
    assert result(decide(rules, facts), "respect_elderly_allowance", "grandma")[:2] == (
        "eligible", Decimal("900.00"))


def test_low_income_alert_with_a_previous_snapshot(rules):
    before = sample("changzhou-dibao")
    now = copy.deepcopy(before)
    now["events"] = [{"kind": "accident", "date": "2023-07-30", "jurisdiction": "changzhou"}]
    now["members"][1]["disability_grade"] = 2
    h = decide(rules, now, previous=before)
    head, spouse = h.find("low_income_alert", "a"), h.find("low_income_alert", "b")
    assert head.outcome == "eligible" and decision_json(head)["level"] == "urgent"
    assert decision_json(head)["triggers"] == ["new_accident"]
    assert spouse.outcome == "eligible" and decision_json(spouse)["level"] == "normal"
    assert decision_json(spouse)["triggers"] == ["grade_changed"]
    without = decide(rules, now).find("low_income_alert", "a")
    assert without.outcome == "not_applicable"


def test_previous_snapshot_from_the_command_line(tmp_path):
    from click.testing import CliRunner
    from policylang.cli.main import cli
    before = sample("changzhou-dibao")
    now = copy.deepcopy(before)
    now["medical_self_pay_in_catalogue"] = "40000.00"
    (tmp_path / "before.json").write_text(json.dumps(before), encoding="utf-8")
    (tmp_path / "now.json").write_text(json.dumps(now), encoding="utf-8")
    run = CliRunner().invoke(cli, ["eval", "rules", str(tmp_path / "now.json"), "--date", DATE,
                                   "--previous", str(tmp_path / "before.json")])
    assert run.exit_code == 0, run.output
    decisions = json.loads(run.output)["households"][0]["decisions"]
    alert = next(d for d in decisions if d["program"] == "low_income_alert" and d["subject"]["id"] == "a")
    assert alert["outcome"] == "eligible" and alert["triggers"] == ["medical_jump"]
