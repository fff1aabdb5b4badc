"""Explanations in words: a Chinese explanation is Chinese throughout (but for ids, quoted
sources and the code view), conditions say what holds, and amounts show how they were
computed."""

import re

import pytest

from policylang.explain.text import render_text
from policylang.explain.markup import render_markdown

from conftest import example_household as facts

HOUSEHOLDS = ("kunming-edge-family", "changzhou-dibao", "donghai-orphan", "kunming-income-unknown")
QUOTED = re.compile(r"“[^”]*”")


@pytest.fixture(scope="module")
def rules(ruleset):
    return ruleset


def ids_of(household):
    return {household["id"]} | {m["id"] for m in household["members"]}


def foreign_words(text: str, ids: set[str]) -> set[str]:
    """The ASCII words of a Chinese text once quotes, ids and the rules line are left out."""
    body = "\n".join(line for line in text.splitlines()
                     if not line.lstrip("# ").startswith("规则："))  # the rules' path and digest
    body = QUOTED.sub("", body)
    return {w for w in re.findall(r"[A-Za-z][A-Za-z0-9_.\-]*", body) if w not in ids}


@pytest.mark.parametrize("name", HOUSEHOLDS)
@pytest.mark.parametrize("render", [render_text, render_markdown], ids=["text", "md"])
def test_a_chinese_explanation_has_no_english_words(rules, name, render):
    household = facts(name)
    model = rules.evaluate(household, "2023-08-01").explanations("zh")
    assert foreign_words(render(model), ids_of(household)) == set()


def test_the_amount_derivation_of_the_issue(rules):
    """Changzhou: (1000 − 700) × 2 = 600, and 700 is (1800 − 400) / 2."""
    model = rules.evaluate(facts("changzhou-dibao"), "2023-08-01").explanations("en")
    (dibao,) = [e for e in model["households"][0]["explanations"]
                if e["program"]["id"] == "dibao" and e["subject"]["kind"] == "household"]
    steps = dibao["amount"]["derivation"]
    assert steps[0]["numbers"] == "(1000.00 − 700.00) × 2 = 600.00 yuan per month"
    assert steps[1]["numbers"] == "max(0, (1800.00 − 400.00) ÷ 2) = 700.00 yuan"
    assert dibao["amount"]["rounding"]["text"] == "rounded half up to 0.01"


def test_the_summary_adds_what_one_person_gets_per_month(rules):
    """Kunming p2: 800 + 80 + 80 = 960 yuan a month; programs of other places in one line."""
    summary = rules.evaluate(facts("kunming-edge-family"), "2023-08-01").explanations("zh")[
        "households"][0]["summary"]
    (p2,) = [p for p in summary["by_person"] if p["subject"]["id"] == "p2"]
    assert [t["text"] for t in p2["totals"]] == ["每月 960.00 元"]
    assert "尊老金" in summary["not_in_force"]["text"]
    assert not any(r["program"]["id"] == "respect_elderly_allowance" for r in summary["refused"])


def test_a_refusal_says_what_is_missing_not_what_is_required(rules):
    model = rules.evaluate(facts("kunming-edge-family"), "2023-08-01").explanations("en")
    (p1,) = [e for e in model["households"][0]["explanations"]
             if e["program"]["id"] == "dibao" and e["subject"]["id"] == "p1"]
    assert "neither disability grade (0) is 1 or 2 nor serious illness" in p1["reason"]
    assert "monthly income (3000.00 yuan) is not below" in p1["reason"]


def test_the_question_to_ask_next_names_the_fact_most_decisions_need(rules):
    model = rules.evaluate(facts("kunming-income-unknown"), "2023-08-01").explanations("en")
    question = model["households"][0]["summary"]["next_question"]
    assert question["path"] == "members[0].monthly_income"
    assert question["needed_by"] >= 3
