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

from ..core.values import Unknown, plain
from ..interpret.decisions import Decision, declarations_read
from ..reform import changes_behind
from .amounts import amount_model
from .conditions import Conditions, ValueTable
from .labels import Labels, in_language
from .quantities import money_text, number_text, value_text
from .people import People
from .reasons_said import Reasons
from .sources import CitationTable
from .whynot_said import WhyNotSaid

SCHEMA = "policylang.explanation/2"
OUTCOMES = {"en": {"eligible": "eligible", "not_eligible": "not eligible", "unknown": "undecided",
                   "not_applicable": "not applicable"},
            "zh": {"eligible": "符合", "not_eligible": "不符合", "unknown": "暂无法认定",
                   "not_applicable": "不适用"}}
REFORMED = {"en": "the reform “{reform}” {action} the {kind} “{what}” ({at})",
            "zh": "改革“{reform}”{action}了{kind}“{what}”（{at}）"}
ACTIONS = {"en": {"added": "added", "replaced": "replaced", "amended": "amended",
                  "removed": "removed"},
           "zh": {"added": "新增", "replaced": "替换", "amended": "修订", "removed": "删除"}}
KINDS = {"en": {"program": "program", "parameter": "standard", "definition": "definition"},
         "zh": {"program": "项目", "parameter": "标准", "definition": "计算项"}}
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
        explained = {
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
        if d.inputs:  # defaults assumed, values given: said only where there are some
            explained["inputs"] = self.people.inputs(d.inputs, self.values.said)
        reforms = getattr(self.rules, "reforms", ()) if self.rules else ()
        behind = changes_behind(reforms, declarations_read(d)) if reforms else []
        if behind:  # what a reform changed under this decision, by the clause it wrote
            explained["reformed"] = [self.reformed(r, c) for r, c in behind]
        return explained

    def output(self, output) -> dict:
        """An output's value for one record, said in words, with the facts it still needs."""
        subject = self.people.subject(output.subject_kind, output.subject_id)
        missing = sorted(output.value.missing) if isinstance(output.value, Unknown) else []
        return {"name": output.name, "label": in_language(output.label, output.name, self.lang),
                "subject": subject, "value": plain(output.value),
                "text": self.output_text(output),
                "values": self.values.keys(output.uses),
                "missing": self.people.missing(missing)}

    def output_text(self, output) -> str:
        """Money and kWh with their period (`650.00 euro per month`), the rest as values are."""
        kind, per = output.type.kind, output.type.per
        if kind in ("money", "kwh") and per and not isinstance(output.value, Unknown):
            unit = "kWh" if kind == "kwh" else self.rules.schema.unit
            return money_text(output.value, unit, per, self.lang, self.labels.unit(unit))
        return value_text(output.value, output.type, self.lang, self.labels)

    def reformed(self, reform, change) -> dict:
        names = {"program": self.labels.program, "parameter": self.labels.parameter}
        what = names.get(change.kind, lambda n: n.replace("_", " "))(change.name)
        label = in_language(reform.label, reform.name, self.lang)
        where = f"{change.span.file}:{change.span.line}"
        return {"reform": {"id": reform.name, "label": label}, "action": change.action,
                "kind": change.kind, "name": change.name, "at": where,
                "text": REFORMED[self.lang].format(
                    reform=label, what=what, action=ACTIONS[self.lang][change.action],
                    kind=KINDS[self.lang].get(change.kind, change.kind), at=where)}

    def payee(self, payee: str | None) -> str | None:
        if not payee:
            return None
        word = PAYEE_WORDS.get(self.lang, {}).get(payee, payee)
        return PAYEES[self.lang].format(payee=word)

    def parameter(self, use) -> dict:

        declared = self.rules.parameters.get(use.name) if self.rules else None
        type_ = use.lookup[3] if use.lookup else declared.type if declared else None
        text = value_text(use.value, type_, self.lang, self.labels)
        return {"name": use.name, "label": self.labels.parameter(use.name),
                "value": plain(use.value),
                "text": text if use.lookup is None else scale_text(use.lookup, text, self.labels),
                "jurisdiction": None if use.place is None else {  # None: holds everywhere
                    "id": use.place, "label": self.labels.place(use.place)},
                "fell_back_from": None if not use.fell_back or use.asked_for is None else {
                    "id": use.asked_for, "label": self.labels.place(use.asked_for)},
                "effective_from": use.start.isoformat() if use.start else None,
                "effective_until": use.end.isoformat() if use.end else None,
                "citation": self.citations.key(use.citation)}


SCALE_WORDS = {"en": {"bands": "{value}, the band from {low}, for {x}",
                      "brackets": "{value} = {parts}, for {x}", "none": "{value}, for {x}"},
               "zh": {"bands": "{value}（{x}适用自{low}起的档次）",
                      "brackets": "{value} = {parts}（按{x}分段计算）", "none": "{value}（按{x}）"}}


def scale_text(lookup: tuple, value: str, labels) -> str:
    """A scale as it was read: the band reached, or each bracket's rate × part, summed (the
    value a bracket scale is applied to has the result's type: `for 3200.00 yuan`)."""
    kind, argument, detail, type_ = lookup
    lang = labels.lang
    words = SCALE_WORDS[lang]
    if kind == "bands":
        return words["bands"].format(value=value, low=number_text(detail[0], lang),
                                     x=number_text(argument, lang))
    x = value_text(argument, type_, lang, labels)
    parts = " + ".join(f"{number_text(rate, lang)} × {number_text(part, lang)}"
                       for _, rate, part, _ in detail)
    return words["brackets" if parts else "none"].format(value=value, parts=parts, x=x)


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
        outputs = [explainer.output(o) for o in getattr(household, "outputs", ())
                   if subject is None or o.subject_id == subject]
        households.append({
            "household": household.household,
            **({"outputs": outputs} if outputs else {}),
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
