"""The timeline is exact: deciding the household only on the change points gives, for every
day of the period, the decisions that deciding it that day gives; and it says why."""

import datetime as dt
import json

import pytest

import policylang
from policylang.tools.timeline import timeline
from conftest import RULES, example_household
import policylang.cli.main

RULESET = policylang.load(RULES)


def kunming_child() -> dict:
    household = example_household("kunming-edge-family")
    child = dict(household["members"][2], birth_date="2005-03-10", monthly_income="0.00",
                 has_able_supporter=False, can_work=False)
    return dict(household, id="child-alone", members=[child], monthly_rigid_expenses="0.00")


def test_the_tekun_change_and_the_18th_birthday_of_a_kunming_child():
    found = timeline(RULESET, kunming_child(), dt.date(2021, 6, 1), dt.date(2024, 1, 1), ("tekun",))
    assert [(str(c.date), c.before.outcome, c.after.outcome) for c in found] == [
        ("2022-01-01", "not_eligible", "eligible"), ("2023-03-10", "eligible", "not_eligible")]
    assert ("parameter", "tekun_minor_age_limit", "kunming = 18") in \
        [(k.kind, k.what, k.detail) for k in found[0].causes]
    assert [(k.kind, k.detail) for k in found[1].causes] == [("birthday", "18")]


def daily(facts: dict, start: dt.date, days: int) -> dict:
    """Every decision on every day, the slow way."""
    states = {}
    for n in range(days + 1):
        date = start + dt.timedelta(days=n)
        (decided,) = RULESET.evaluate([facts], date, why_not=False)
        states[date] = {(d.program, d.subject_kind, d.subject_id): (d.outcome, d.amount and d.amount.value)
                        for d in decided.decisions}
    return states


def with_events(facts: dict) -> dict:
    return dict(facts, events=[{"kind": "accident", "date": "2023-05-31",
                                "jurisdiction": facts["jurisdiction"]}])


@pytest.mark.parametrize("facts", [kunming_child(), with_events(example_household("changzhou-dibao")),
                                   example_household("donghai-orphan")],
                         ids=["kunming-child", "changzhou-with-an-accident", "donghai-orphan"])
def test_the_change_points_give_the_decisions_of_every_day(facts):
    start, days = dt.date(2022, 11, 1), 420
    every_day = daily(facts, start, days)
    changes = timeline(RULESET, facts, start, start + dt.timedelta(days=days))
    changed_on = {}
    for c in changes:
        changed_on.setdefault(c.date, set()).add((c.program, c.subject_kind, c.subject_id))
    for n in range(1, days + 1):
        date = start + dt.timedelta(days=n)
        differs = {k for k in every_day[date].keys() | every_day[date - dt.timedelta(days=1)].keys()
                   if every_day[date].get(k) != every_day[date - dt.timedelta(days=1)].get(k)}
        assert differs == changed_on.get(date, set()), date


def test_the_command_writes_the_timeline_as_json(tmp_path, capsys):
    facts = tmp_path / "child.json"
    facts.write_text(json.dumps(kunming_child(), ensure_ascii=False), encoding="utf-8")
    policylang.cli.main._invoke(["timeline", str(RULES), str(facts), "--from", "2021-06-01",
                                 "--to", "2024-01-01", "--program", "tekun", "--format", "json",
                                 "--lang", "zh"])
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "policylang.timeline/1"
    assert [c["date"] for c in data["changes"]] == ["2022-01-01", "2023-03-10"]
    assert "年满18周岁" in data["changes"][1]["causes"][0]

