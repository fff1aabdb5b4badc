"""The sample households decide as ../shared/domain/examples/README.md says, and the
examples written beside the rules pass, through the public API."""

from decimal import Decimal

import pytest

import policylang
from policylang.tools.examples import run_examples
from policylang.explain.decisions_json import decision_json

DATE = "2023-08-01"


@pytest.fixture(scope="module")
def rules():
    return policylang.load("rules")


def decide(rules, name):
    result = rules.evaluate(policylang.read_facts(f"examples/{name}.json", rules), DATE)
    (household,) = result
    assert household.errors == ()
    return household


def outcome(household, program, subject=None):
    decision = household.find(program, subject)
    assert decision is not None, (program, subject)
    amount = decision.amount.value if decision.amount else None
    return decision.outcome, amount


def test_kunming_edge_family(rules):
    h = decide(rules, "kunming-edge-family")
    assert outcome(h, "dibao") == ("not_eligible", None)
    assert outcome(h, "dibao_edge") == ("eligible", None)
    assert outcome(h, "dibao", "p2") == ("eligible", Decimal("800.00"))
    assert h.find("dibao", "p2").by == "single_person"
    assert outcome(h, "dibao", "p1")[0] == "not_eligible"


def test_changzhou_dibao(rules):
    h = decide(rules, "changzhou-dibao")
    assert outcome(h, "dibao") == ("eligible", Decimal("600.00"))
    assert h.find("dibao").amount.per == "month"
    assert h.find("dibao", "a") is None  # no single-person decisions outside Kunming


def test_donghai_orphan(rules):
    h = decide(rules, "donghai-orphan")
    assert outcome(h, "child_basic_living", "child") == ("eligible", Decimal("1646.00"))
    tekun_child = h.find("tekun", "child")
    assert tekun_child.outcome == "not_eligible"
    assert tekun_child.yielded_to == "child_basic_living"
    assert outcome(h, "tekun", "grandma") == ("eligible", Decimal("1105.00"))
    assert outcome(h, "dibao") == ("not_eligible", None)


def test_every_program_decides_for_every_subject(rules):
    for name in ("kunming-edge-family", "changzhou-dibao", "donghai-orphan"):
        h = decide(rules, name)
        members = [d.subject_id for d in h.decisions if d.program == "tekun"]
        assert len(members) == len(set(members)) > 0
        for program in ("tekun", "child_basic_living"):
            assert sorted(d.subject_id for d in h.decisions if d.program == program) == sorted(members)
        for program in ("dibao", "dibao_edge"):
            assert h.find(program) is not None


def test_institutional_care_is_paid_to_the_institution(rules):
    loaded = policylang.read_facts("examples/donghai-orphan.json", rules)[0]
    loaded.record.relations["members"][1].facts["institutional_care"] = True
    h = rules.evaluate(loaded, DATE)[0]
    assert h.find("tekun", "grandma").paid_to == "institution"
    assert decision_json(h.find("tekun", "grandma"))["paid_to"] == "institution"


def test_seventeen_year_old_in_kunming_across_the_age_change(rules):
    import json
    data = json.load(open("examples/kunming-edge-family.json"))
    data["members"][2].update(birth_date="2004-09-01", has_able_supporter=False)
    after = rules.evaluate(data, "2022-06-01")[0].find("tekun", "p3")
    data["members"][2]["birth_date"] = "2004-03-01"
    before = rules.evaluate(data, "2021-06-01")[0].find("tekun", "p3")
    assert after.outcome == "eligible" and before.outcome == "not_eligible"
    assert [c.name for c in before.conditions if c.value is False] == ["category"]


def test_unknown_income_names_the_fact(rules):
    import json
    data = json.load(open("examples/changzhou-dibao.json"))
    del data["members"][0]["monthly_income"]
    decision = rules.evaluate(data, DATE)[0].find("dibao")
    assert decision.outcome == "unknown"
    assert "members[0].monthly_income" in decision.missing


def test_rule_examples_pass(rules):
    results = run_examples(rules)
    assert len(results) >= 20
    failures = [(r.title, r.failures) for r in results if not r.passed]
    assert failures == []
