"""Decisions as JSON (CONTRACT §3, schema `policylang.decisions/1`): the data outside
tools read, each decision carrying its explanation (`policylang.explanation/2`), and each
household the values its explanations reference (`values`), kept once.

`explanations=False` gives the decisions alone — outcome, amount, reason, citations and
missing facts — for callers that do not show explanations (`eval --no-explanation`).

>>> import policylang
>>> rules = policylang.load("rules")
>>> facts = policylang.read_facts("examples/kunming-edge-family.json", rules)
>>> household = rules.evaluate(facts, "2023-08-01")[0]
>>> data = decision_json(household.find("dibao", "p2"))
>>> data["outcome"], data["amount"]["value"], data["rule"]["exception"], data["reason"]
('eligible', '800.00', 'single_person', 'by exception single_person')
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..core.diagnostics import Diagnostic
from ..core.rounding import amount_text
from ..core.values import Unknown, plain
from ..interpret.decisions import Decision, HouseholdDecisions, declarations_read
from ..reform import changes_behind
from .model import Explainer, Labels, build

SCHEMA = "policylang.decisions/1"


def decision_json(d: Decision, explanation: dict | None = None, explained: bool = True,
                  reforms=()) -> dict:
    """One decision as CONTRACT §3 data; `explanation` is its explanation model (built
    here on its own, in English without the rules' labels, when not given), none when
    `explained` is false. `reforms` (the rules' `reform.Reform`s) are named where they
    changed something the decision read."""
    data: dict[str, Any] = {
        "program": d.program,
        "subject": {"kind": d.subject_kind, "id": d.subject_id},
        "outcome": d.outcome,
    }
    if d.amount is not None:
        data["amount"] = {"value": d.amount.written, "unit": d.amount.unit,
                          "per": d.amount.per}
    if d.paid_to:
        data["paid_to"] = d.paid_to
    for name, value in d.reports.items():
        data[name] = plain(value)
    if d.triggers and d.outcome == "eligible":
        data["triggers"] = [t.name for t in d.triggers if t.value is True]
    data["reason"] = d.reason.table_text()
    data["rule"] = {"id": d.program, "file": d.rule_file, "line": d.rule_line}
    if d.by:
        data["rule"]["exception"] = d.by
    data["citations"] = [c.render() for c in d.citations]
    if d.missing:
        data["missing_facts"] = list(d.missing)
    for origin, field in (("default", "assumed"), ("given", "given")):
        used = [{"path": u.path, "value": plain(u.value)} for u in d.inputs if u.origin == origin]
        if used:  # a default taken, a value given instead of computed: never silent
            data[field] = used
    behind = changes_behind(reforms, declarations_read(d)) if reforms else []
    if behind:
        data["reformed"] = [{"reform": r.name, "action": c.action, "kind": c.kind,
                             "name": c.name, "file": c.span.file, "line": c.span.line}
                            for r, c in behind]
    if explained:
        data["explanation"] = explanation if explanation is not None else build(d, {}, "en", Labels(None))
    return data


def _reforms(rules) -> tuple:
    return getattr(rules, "reforms", ()) if rules is not None else ()


def reform_json(reform) -> dict:
    """A reform applied to the rules: its name and label, and each change with its place."""
    label = reform.label
    return {"name": reform.name, "label": None if label is None else str(label),
            "label_en": getattr(label, "en", None), "files": list(reform.files),
            "changes": [{"action": c.action, "kind": c.kind, "name": c.name,
                         "file": c.span.file, "line": c.span.line} for c in reform.changes]}


def household_json(household: HouseholdDecisions, rules=None, texts=None, lang: str = "en",
                   explanations: bool = True) -> dict:
    """One household's decisions and errors; with explanations, the values they share."""
    data: dict[str, Any] = {"household": household.household}
    if explanations:
        explainer = Explainer(rules, texts or {}, lang, household.record)
        data["decisions"] = [decision_json(d, explainer.decision(d), reforms=_reforms(rules))
                             for d in household.decisions]
        data["values"] = explainer.values.nodes
        data["citations"] = explainer.citations.entries
    else:
        data["decisions"] = [decision_json(d, explained=False, reforms=_reforms(rules))
                             for d in household.decisions]
    if household.outputs:  # the rules' `output` definitions, one value per record
        data["outputs"] = [output_json(o) for o in household.outputs]
    data["errors"] = [error_json(e) for e in household.errors]
    return data


def output_json(output) -> dict:
    """An output's value for one record; an unknown one names the facts it needs."""
    data = {"name": output.name, "subject": {"kind": output.subject_kind, "id": output.subject_id},
            "value": plain(output.value)}
    if output.type.kind in ("money", "kwh") and isinstance(output.value, Decimal):
        data["value"] = amount_text(output.value, output.value)  # to the fen, or finer
    if isinstance(output.value, Unknown):
        data["value"], data["missing_facts"] = None, sorted(output.value.missing)
    return data


def decisions_json(decisions, lang: str = "en", explanations: bool = True) -> dict:
    """A whole `Decisions` result, explanations in `lang` (or none)."""
    rules = {"path": decisions.rules_path, "digest": decisions.rules_digest}
    if _reforms(decisions.rules):
        rules["reforms"] = [reform_json(r) for r in _reforms(decisions.rules)]
    return {"schema": SCHEMA, "date": decisions.date.isoformat(), "rules": rules,
            "households": [household_json(h, decisions.rules, decisions.texts, lang, explanations)
                           for h in decisions.households]}


def error_json(d: Diagnostic) -> dict:
    """A household's error: the JSON path of the bad fact (or the rule's place), and why."""
    return {"path": d.json_path or (d.span.location() if d.span else None),
            "file": d.file, "code": d.code, "message": d.message, "hint": d.hint}
