"""The one reason model: every reason the interpreter records is one the batch engine can
code (it is in the rules' vocabulary), and every kind is said in the table, in English and
in Chinese."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import policylang
from policylang.semantics.reasons import REASONS, Reason, table_texts, vocabulary

from conftest import EXAMPLES, RULES

RULESET = policylang.load(RULES)
DATES = [dt.date(2021, 6, 1), dt.date(2022, 6, 1), dt.date(2023, 8, 1), dt.date(2023, 11, 1)]


@pytest.mark.parametrize("date", DATES, ids=str)
def test_every_recorded_reason_is_in_the_vocabulary(date):
    texts = set(table_texts(vocabulary(RULESET.rules, date)))
    households = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.json"))]
    seen = set()
    for household in RULESET.evaluate(households, date, why_not=False):
        for decision in household.decisions:
            assert decision.reason.outcome == decision.outcome, decision
            assert decision.reason.table_text() in texts, decision.reason
            seen.add(decision.reason.kind)
    assert {"eligible", "not_met"} <= seen


@pytest.mark.parametrize("kind", sorted(REASONS))
def test_every_kind_is_said_three_ways(kind):
    reason = Reason(kind, "a_clause", place="kunming", places=("changzhou",),
                    start=dt.date(2022, 1, 1), date=dt.date(2023, 8, 1), programs=("tekun",))
    assert reason.table_text() and "{" not in reason.table_text()
    for lang in ("en", "zh"):
        sentence = reason.sentence(lang, label="L", failing="F", subject="S", period="P", places="Q")
        assert sentence and "{" not in sentence


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="no reason kind"):
        Reason("maybe")
