"""The explanation model (`policylang.explanation/2`): one decision as data a reviewer can
read aloud, in one language, built from the interpreter's trace — what was decided and the
true reason, how the amount was computed, each condition as a statement about this
household, what would change the decision, what is still missing and which document shows
it, and the sources by title. Every renderer (text, Markdown, HTML, JSON) starts from this
model; its JSON Schema ships in the package (`policylang/schemas/explanation-2.json`).

The values behind the conditions and the citations are kept once per household
(`values.py`, `sources.py`) and referenced by key, so a household's explanation grows with
the rules, not with the paths through them or the number of decisions citing one clause.
"""

from __future__ import annotations

import json
from importlib import resources

from ..core.values import plain
from ..interpret.decisions import Decision
from .amounts import amount_model
from .conditions import Conditions, ValueTable
from .labels import Labels, in_language
from .quantities import value_text
from .people import People
from .reasons_said import Reasons
from .sources import CitationTable
from .whynot_said import WhyNotSaid

SCHEMA = "policylang.explanation/2"
OUTCOMES = {"en": {"eligible": "eligible", "not_eligible": "not eligible", "unknown": "undecided",
                   "not_applicable": "not applicable"},
            "zh": {"eligible": "符合", "not_eligible": "不符合", "unknown": "暂无法认定",
                   "not_applicable": "不适用"}}
PAYEES = {"en": "paid to the {payee}", "zh": "支付给{payee}"}
PAYEE_WORDS = {"zh": {"institution": "供养机构", "household": "家庭"}}

__all__ = ["SCHEMA", "Labels", "build", "explanation_schema", "in_language", "report"]


def explanation_schema() -> dict:
    """The JSON Schema every explanation validates against."""
    text = resources.files("policylang").joinpath("schemas/explanation-2.json").read_text("utf-8")
    return json.loads(text)


class Explainer:
    """Builds the explanations of one household's decisions in one language, sharing one
    table of values among them."""

    def __init__(self, rules, texts: dict[str, str], lang: str, household=None):
        self.rules, self.lang = rules, lang
        self.labels = Labels(rules, lang)
        self.values = ValueTable(self.labels)
        self.citations = CitationTable(self.labels)
        self.conditions = Conditions(self.labels, texts, self.values)
        self.people = People(self.labels, household)
        self.reasons = Reasons(self.labels, self.conditions, self.people, rules, self.citations)
        self.why_not = WhyNotSaid(self.labels, self.people, self.conditions, rules)

    def decision(self, d: Decision) -> dict:
        program = self.rules.programs.get(d.program) if self.rules else None
        return {
            "schema": SCHEMA, "lang": self.lang,
            "program": {"id": d.program, "label": self.labels.program(d.program)},
            "subject": self.people.subject(d.subject_kind, d.subject_id),
            "outcome": d.outcome, "outcome_text": OUTCOMES[self.lang][d.outcome],
            "reason": self.reasons.sentence(d),
            "amount": None if d.amount is None else amount_model(d.amount, self.labels),
            "paid_to": d.paid_to, "paid_to_text": self.payee(d.paid_to),
            "decided_by": self.reasons.decided_by(d),
            "yielded_to": None if not d.yielded_to else {
                "program": d.yielded_to, "label": self.labels.program(d.yielded_to)},
            "conditions": self.reasons.conditions(d.conditions, program, None, d),
            "triggers": self.reasons.conditions(d.triggers, program, "triggers", d),
            "exceptions": [self.reasons.exception(e, d, program) for e in d.exceptions],
            "why_not": self.why_not.model(d),
            "missing": self.people.missing(d.missing),
            "parameters": [self.parameter(p) for p in d.parameters],
            "notes": [in_language(note, note, self.lang) for note in d.notes],
            "reports": {name: plain(value) for name, value in d.reports.items()},
            "citations": self.citations.keys(d.citations),
            "rule": {"file": d.rule_file, "line": d.rule_line},
        }

    def payee(self, payee: str | None) -> str | None:
        if not payee:
            return None
        word = PAYEE_WORDS.get(self.lang, {}).get(payee, payee)
        return PAYEES[self.lang].format(payee=word)

    def parameter(self, use) -> dict:

        declared = self.rules.parameters.get(use.name) if self.rules else None
        return {"name": use.name, "label": self.labels.parameter(use.name),
                "value": plain(use.value),
                "text": value_text(use.value, declared.type if declared else None, self.lang,
                                   self.labels),
                "jurisdiction": {"id": use.place, "label": self.labels.place(use.place)},
                "fell_back_from": None if not use.fell_back else {
                    "id": use.asked_for, "label": self.labels.place(use.asked_for)},
                "effective_from": use.start.isoformat() if use.start else None,
                "effective_until": use.end.isoformat() if use.end else None,
                "citation": self.citations.key(use.citation)}


def build(decision: Decision, texts: dict[str, str], lang: str, labels) -> dict:
    """The explanation of one decision on its own, carrying the values and citations it
    references (`values`, `cited`), which a household's explanations otherwise share.

    >>> import policylang
    >>> rules = policylang.load("rules")
    >>> facts = policylang.read_facts("examples/kunming-edge-family.json", rules)
    >>> p2 = rules.evaluate(facts, "2023-08-01")[0].find("dibao", "p2")
    >>> build(p2, rules.texts, "en", Labels(rules.rules))["amount"]["text"]
    '800.00 yuan per month'
    """
    explainer = Explainer(labels.rules, texts, lang)
    explained = explainer.decision(decision)
    explained["values"] = explainer.values.nodes
    explained["cited"] = explainer.citations.entries
    return explained


REPORT_SCHEMA = "policylang.explanation-report/2"


def report(decisions, texts: dict[str, str], rules, lang: str = "en",
           subject: str | None = None, program: str | None = None) -> dict:
    """Every decision of every household, explained in one language: what all renderers
    draw. Each household has its summary first, then its decisions, then its values."""
    from .summary import household_summary
    households = []
    for household in decisions:
        explainer = Explainer(rules, texts, lang, getattr(household, "record", None))
        chosen = [d for d in by_subject(household.decisions, household.kind)
                  if (program is None or d.program == program)
                  and (subject is None or d.subject_id == subject)]
        explanations = [explainer.decision(d) for d in chosen]
        households.append({
            "household": household.household,
            "label": explainer.labels.entity(household.kind),
            "errors": [{"path": e.json_path, "code": e.code, "message": e.message}
                       for e in household.errors],
            "summary": household_summary(explanations, explainer, decisions.date, chosen),
            "explanations": explanations,
            "values": explainer.values.nodes,
            "citations": explainer.citations.entries})
    return {"schema": REPORT_SCHEMA, "lang": lang, "date": decisions.date.isoformat(),
            "rules": {"path": decisions.rules_path, "digest": decisions.rules_digest},
            "households": households}


def by_subject(decisions, top: str) -> list[Decision]:
    """The top record's own decisions first (the household's), then those of each record
    under it (each member's), as a caseworker reads a file; `top` is the top entity's name."""
    order: dict[tuple[str, str], int] = {}
    for decision in decisions:
        order.setdefault((decision.subject_kind, decision.subject_id), len(order))
    households = [d for d in decisions if d.subject_kind == top]
    others = [d for d in decisions if d.subject_kind != top]
    return households + sorted(others, key=lambda d: order[(d.subject_kind, d.subject_id)])
