"""Why-not tells the truth: every change set it offers, applied to the household's facts and
decided again from the JSON, grants the decision; it never changes a fact the rules declare
`fixed`; and a gap it does not offer says why."""

import copy
import datetime as dt
import json
import re

from hypothesis import given

import policylang
from conftest import EXAMPLES, RULES
from test_properties import modest, valid_households

RULESET = policylang.load(RULES)
SCHEMA = RULESET.rules.schema
STEP = re.compile(r"(\w+)\[(\d+)\]")


def with_changes(facts: dict, changes) -> dict:
    """The household JSON with each change's fact set, by its JSON path."""
    changed = copy.deepcopy(facts)
    for change in changes:
        *steps, name = change.path.split(".")
        record = changed
        if steps and steps[0].startswith("["):  # a household read from a list
            steps = steps[1:]
        for step in steps:
            relation, index = STEP.fullmatch(step).groups()
            record = record[relation][int(index)]
        value = change.after
        record[name] = value if isinstance(value, (bool, int, str)) else str(value)
    return changed


def offered(facts: dict, date: dt.date):
    (decided,) = RULESET.evaluate([facts], date)
    for decision in decided.decisions:
        if decision.why_not is not None:
            yield decision


def check_household(facts: dict, date: dt.date) -> int:
    checked = 0
    for decision in offered(facts, date):
        subject = decision.subject_id if decision.subject_kind != "household" else None
        for change_set in decision.why_not.change_sets:
            for change in change_set.changes:
                declared = _declared(change.path)
                assert declared is not None and not declared.fixed, change
            (again,) = RULESET.evaluate([with_changes(facts, change_set.changes)], date,
                                        why_not=False)
            flipped = again.find(decision.program, subject)
            assert flipped.outcome == "eligible", (decision.program, subject, change_set)
            checked += 1
        for gap in decision.why_not.gaps:
            assert gap.offered or gap.why_not_offered in ("fixed", "far", "not_enough"), gap
    return checked


def _declared(path: str):
    from policylang.interpret.whynot_candidates import declared_fact
    return declared_fact(path, SCHEMA)


def test_the_change_sets_of_the_example_households_grant_the_decision():
    checked = 0
    for path in sorted(EXAMPLES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for facts in data if isinstance(data, list) else [data]:
            checked += check_household(facts, dt.date(2023, 8, 1))
    assert checked >= 2  # the two ways the Kunming household would get dibao


def test_the_kunming_refusal_is_mended_by_income_not_by_one_condition():
    facts = json.loads((EXAMPLES / "kunming-edge-family.json").read_text(encoding="utf-8"))
    (decided,) = RULESET.evaluate([facts], "2023-08-01")
    dibao = decided.find("dibao")
    first = dibao.why_not.change_sets[0]
    assert [(c.path.removeprefix("[0]."), str(c.after)) for c in first.changes] == [
        ("members[0].monthly_income", "2399.99")]
    subsidy = decided.find("disability_living_subsidy", "p1")
    assert subsidy.why_not.change_sets == ()  # a disability grade is not the household's to change
    (grade,) = [g for g in subsidy.why_not.gaps if not g.offered]
    assert grade.why_not_offered == "fixed"
    single = decided.find("dibao", "p1")  # no hardship, which is not the household's to change
    assert single.why_not.change_sets == ()
    assert [g.why_not_offered for g in single.why_not.gaps] == ["not_enough"]
    child = decided.find("child_basic_living", "p1")
    assert all(g.why_not_offered == "fixed" for g in child.why_not.gaps)


@given(valid_households())
@modest(40)
def test_every_offered_change_grants_the_decision(case):
    facts, date = case
    check_household(facts, date)
