"""What `RuleSet.evaluate` returns: the decisions for some households on a date, with
what it takes to show them (the rules' labels and texts) — iterate it, dump it as
decisions JSON, or explain it in English or Chinese.

>>> import policylang
>>> rules = policylang.load("rules")
>>> facts = policylang.read_facts("examples/kunming-edge-family.json", rules)
>>> decisions = rules.evaluate(facts, "2023-08-01")
>>> len(decisions), decisions.to_json()["schema"]
(1, 'policylang.decisions/1')
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs

from .explain.decisions_json import decisions_json
from .explain.model import report
from .explain.text import explain_decisions
from .interpret.decisions import HouseholdDecisions


@attrs.frozen
class Decisions:
    """The result of evaluating households on a date: iterate it, or dump it as JSON."""

    date: dt.date
    rules_path: str
    rules_digest: str
    households: tuple[HouseholdDecisions, ...]
    texts: dict[str, str] = attrs.field(factory=dict, eq=False, repr=False)
    rules: Any = attrs.field(default=None, eq=False, repr=False)  # ir.CheckedRules, for labels

    def __iter__(self):
        return iter(self.households)

    def __len__(self) -> int:
        return len(self.households)

    def __getitem__(self, index: int) -> HouseholdDecisions:
        return self.households[index]

    @property
    def has_errors(self) -> bool:
        return any(h.errors for h in self.households)

    def to_json(self, lang: str = "en", explanations: bool = True) -> dict:
        """The decisions JSON (`policylang.decisions/1`), explanations in `lang`; without
        them (`explanations=False`) each decision keeps its outcome, amount, reason,
        citations and missing facts."""
        return decisions_json(self, lang, explanations)

    def dumps(self, lang: str = "en", explanations: bool = True, compact: bool = False) -> str:
        """The decisions JSON as text: indented for people, or `compact` (one line, no
        spaces) for systems that store or send it."""
        data = self.to_json(lang, explanations)
        if compact:
            return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return json.dumps(data, ensure_ascii=False, indent=2)

    def explain(self, lang: str = "en") -> str:
        """Plain-text explanation of every decision, in English or Chinese (`lang="zh"`)."""
        return explain_decisions(self, self.texts, self.rules, lang)

    def explanations(self, lang: str = "en") -> dict:
        """Every decision's explanation (`policylang.explanation/2`), as one report."""
        return report(self, self.texts, self.rules, lang)
