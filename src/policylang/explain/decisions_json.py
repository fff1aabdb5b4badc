"""Decisions as JSON (CONTRACT §3, schema `policylang.decisions/1`): the data outside
tools read, each decision carrying its explanation (`policylang.explanation/1`).

>>> import policylang
>>> rules = policylang.load("rules")
>>> facts = policylang.read_facts("examples/kunming-edge-family.json", rules)
>>> household = rules.evaluate(facts, "2023-08-01")[0]
>>> data = decision_json(household.find("dibao", "p2"))
>>> data["outcome"], data["amount"]["value"], data["rule"]["exception"]
('eligible', '800.00', 'single_person')
"""

from __future__ import annotations

from typing import Any

from ..core.diagnostics import Diagnostic
from ..core.values import plain
from ..interpret.decisions import Decision, HouseholdDecisions
from .model import Labels, build

SCHEMA = "policylang.decisions/1"


def decision_json(d: Decision, explanation: dict | None = None) -> dict:
    """One decision as CONTRACT §3 data; `explanation` is its explanation model (built
    here, in English, without the rules' labels or source snippets, when not given)."""
    data: dict[str, Any] = {
        "program": d.program,
        "subject": {"kind": d.subject_kind, "id": d.subject_id},
        "outcome": d.outcome,
    }
    if d.amount is not None:
        data["amount"] = {"value": f"{d.amount.value:.2f}", "unit": d.amount.unit,
                          "per": d.amount.per}
    if d.paid_to:
        data["paid_to"] = d.paid_to
    for name, value in d.reports.items():
        data[name] = plain(value)
    if d.triggers and d.outcome == "eligible":
        data["triggers"] = [t.name for t in d.triggers if t.value is True]
    data["rule"] = {"id": d.program, "file": d.rule_file, "line": d.rule_line}
    if d.by:
        data["rule"]["exception"] = d.by
    data["citations"] = [c.render() for c in d.citations]
    data["explanation"] = explanation if explanation is not None else build(d, {}, "en", Labels(None))
    return data


def household_json(household: HouseholdDecisions, explanations: list[dict] | None = None) -> dict:
    """One household's decisions and errors."""
    shown = explanations or [None] * len(household.decisions)
    return {"household": household.household,
            "decisions": [decision_json(d, e) for d, e in zip(household.decisions, shown)],
            "errors": [error_json(e) for e in household.errors]}


def decisions_json(decisions, lang: str = "en") -> dict:
    """A whole `Decisions` result, explanations in `lang`."""
    labels = Labels(decisions.rules)
    return {"schema": SCHEMA, "date": decisions.date.isoformat(),
            "rules": {"path": decisions.rules_path, "digest": decisions.rules_digest},
            "households": [household_json(h, [build(d, decisions.texts, lang, labels)
                                               for d in h.decisions])
                           for h in decisions.households]}


def error_json(d: Diagnostic) -> dict:
    """A household's error: the JSON path of the bad fact (or the rule's place), and why."""
    return {"path": d.json_path or (d.span.location() if d.span else None),
            "file": d.file, "code": d.code, "message": d.message, "hint": d.hint}
