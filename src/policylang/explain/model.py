"""The explanation model (`policylang.explanation/1`): one decision as data a reviewer can
read, in one language, built from the interpreter's trace. Every renderer (text, Markdown,
HTML, JSON) starts from this model; its JSON Schema ships in the package
(`policylang/schemas/explanation-1.json`).
"""

from __future__ import annotations

import json
from importlib import resources

from ..interpret.decisions import Decision
from ..core.values import plain
from .messages import message
from ..core.source import span_text
from ..interpret.trace import ConditionResult, DefinitionUse
from ..core.values import Unknown

SCHEMA = "policylang.explanation/1"


def explanation_schema() -> dict:
    """The JSON Schema every explanation validates against."""
    text = resources.files("policylang").joinpath("schemas/explanation-1.json").read_text("utf-8")
    return json.loads(text)


def in_language(label, name: str, lang: str) -> str:
    """A clause's label in `lang`: the rule's own label, else its name made readable.

    >>> in_language(None, "monthly_income", "en")
    'monthly income'
    """
    chosen = label.in_language(lang) if hasattr(label, "in_language") else (
        label if lang == "zh" else None)
    return chosen or name.replace("_", " ")


def build(decision: Decision, texts: dict[str, str], lang: str, labels) -> dict:
    """The explanation of one decision. `labels` finds the labels of facts, definitions,
    parameters and programs in the rules (see `Labels`).

    >>> import policylang
    >>> rules = policylang.load("rules")
    >>> facts = policylang.read_facts("examples/kunming-edge-family.json", rules)
    >>> p2 = rules.evaluate(facts, "2023-08-01")[0].find("dibao", "p2")
    >>> explained = build(p2, rules.texts, "en", Labels(rules.rules))
    >>> explained["summary"]
    'The exception “covered as a single-person household” applies and decides.'
    """
    builder = _Builder(texts, lang, labels)
    return builder.decision(decision)


class Labels:
    """Where the labels of the rules live, looked up by name."""

    def __init__(self, rules):
        self.rules = rules

    def program(self, name: str, lang: str) -> str:
        program = self.rules.programs.get(name) if self.rules else None
        if program is None:
            return name.replace("_", " ")
        return program.label_zh if lang == "zh" else (program.label_en or name.replace("_", " "))

    def parameter(self, name: str):
        parameter = self.rules.parameters.get(name) if self.rules else None
        return parameter.label if parameter else None

    def entity(self, name: str, lang: str) -> str:
        """What the rules call an entity (`家庭成员` / `household member`)."""
        entity = self.rules.schema.entities.get(name) if self.rules else None
        return in_language(entity.label if entity else None, name, lang)


class _Builder:
    def __init__(self, texts, lang, labels: Labels):
        self.texts, self.lang, self.labels = texts, lang, labels

    def say(self, key: str, **values) -> str:
        return message(self.lang, key, **values)

    def decision(self, d: Decision) -> dict:
        return {
            "schema": SCHEMA,
            "lang": self.lang,
            "program": {"id": d.program, "label": self.labels.program(d.program, self.lang)},
            "subject": {"kind": d.subject_kind, "id": d.subject_id,
                        "label": self.labels.entity(d.subject_kind, self.lang)},
            "outcome": d.outcome,
            "outcome_text": self.say(d.outcome),
            "amount": None if d.amount is None else {
                "value": f"{d.amount.value:.2f}", "unit": d.amount.unit, "per": d.amount.per,
                "text": f"{d.amount.value:.2f} {d.amount.unit} {self.say('per_' + d.amount.per)}"},
            "paid_to": d.paid_to,
            "summary": self.summary(d),
            "decided_by": self.decided_by(d),
            "yielded_to": None if not d.yielded_to else {
                "program": d.yielded_to, "label": self.labels.program(d.yielded_to, self.lang)},
            "conditions": [self.condition(c, d.distances.get(c.name)) for c in d.conditions],
            "failing_conditions": [c.name for c in d.conditions if c.value is False],
            "triggers": [self.condition(t, None) for t in d.triggers],
            "exceptions": [self.exception(e, d) for e in d.exceptions],
            "parameters": [self.parameter(p) for p in d.parameters],
            "missing_facts": list(d.missing),
            "notes": [in_language(note, note, self.lang) for note in d.notes],
            "reports": {name: plain(value) for name, value in d.reports.items()},
            "citations": [self.citation(c) for c in d.citations],
            "rule": {"file": d.rule_file, "line": d.rule_line},
        }

    def summary(self, d: Decision) -> str:
        """The decision's reason, said in this language with the rules' labels."""
        return self.reason(d.reason, d)

    def reason(self, reason, d: Decision) -> str:
        """A reason (semantics/reasons.py) as a sentence: the labels of the clause it names,
        of the failing conditions, of the subject, and the period and places it gives."""
        failing = [in_language(c.label, c.name, self.lang) for c in d.conditions if c.value is False]
        if reason.kind == "not_covered_alone":
            failing = [in_language(c.label, c.name, self.lang)
                       for e in d.exceptions for c in e.conditions if c.value is False]
        return reason.sentence(
            self.lang, label=self.clause_label(reason, d), failing="; ".join(failing),
            subject=self.labels.entity(d.subject_kind, self.lang),
            period=self.period(reason.start, reason.end) if reason.kind == "out_of_period" else "",
            places=", ".join(reason.places))

    def clause_label(self, reason, d: Decision) -> str:
        """The label of the exception or program a reason names."""
        if reason.kind == "by_exception":
            exception = next(e for e in d.exceptions if e.name == reason.clause)
            return in_language(exception.label, reason.clause, self.lang)
        if reason.kind == "yielded":
            return self.labels.program(reason.clause, self.lang)
        return ""

    def period(self, start, end) -> str:
        if start and end:
            return self.say("period_from_until", start=start, end=end)
        return self.say("period_from", start=start) if start else self.say("period_until", end=end)

    def decided_by(self, d: Decision) -> dict | None:
        if not d.by:
            return None
        exception = next(e for e in d.exceptions if e.name == d.by)
        label = in_language(exception.label, d.by, self.lang)
        return {"exception": d.by, "label": label, "overrides": d.program,
                "text": self.say("decided_by", label=label,
                                 kind=self.labels.entity(d.subject_kind, self.lang))}

    def condition(self, c: ConditionResult, distance) -> dict:
        value = c.value
        status = ("holds" if value is True else "fails" if value is False else
                  "unknown" if isinstance(value, Unknown) else "not_evaluated")
        return {
            "name": c.name, "label": in_language(c.label, c.name, self.lang),
            "holds": value if isinstance(value, bool) else None,
            "status": status, "status_text": self.say(status),
            "missing_facts": sorted(value.missing) if isinstance(value, Unknown) else [],
            "line": c.span.line,
            "comparisons": [{
                "left": {"expression": self.snippet(k.left_span), "value": plain(k.left)},
                "op": k.op,
                "right": {"expression": self.snippet(k.right_span), "value": plain(k.right)},
                "holds": plain(k.result)} for k in c.comparisons],
            "values": self.nodes(c.definitions, set()),
            "distance": self.distance(distance) if distance is not None else None,
        }

    def node(self, use: DefinitionUse) -> dict:
        if use.kind == "fact":
            label = in_language(use.label, use.name, self.lang)
        elif use.kind == "decision":
            label = self.labels.program(use.name, self.lang)
        else:
            label = in_language(use.label, use.name, self.lang)
        value = plain(use.value)
        if use.kind == "decision" and value in ("eligible", "not_eligible"):
            value = self.say(value)
        elif isinstance(value, bool):
            value = self.say("true" if value else "false")
        elif value is None:  # an optional fact that is not there
            value = self.say("absent")
        return {"kind": use.kind, "name": use.name, "label": label, "value": value,
                "path": use.path}

    def nodes(self, uses, shown: set) -> list[dict]:
        """The tree of values a condition read. A definition read again (`d1 = d0 + d0`)
        shows its parts the first time only and is marked `repeated` after: the tree grows
        with the rules, not with the number of paths through them."""
        found = []
        for use in uses:
            node = self.node(use)
            if use.children and id(use.children) in shown:
                node.update(children=[], repeated=True)
            else:
                shown.add(id(use.children))
                node["children"] = self.nodes(use.children, shown)
            found.append(node)
        return found

    def distance(self, distance) -> dict:
        above = distance.op in ("<", "<=")
        values = dict(value=plain(distance.value), gap=plain(distance.gap),
                      threshold=plain(distance.threshold))
        return {
            "value": plain(distance.value), "threshold": plain(distance.threshold),
            "op": distance.op, "gap": plain(distance.gap),
            "text": self.say("distance_above" if above else "distance_below", **values),
            "changes": [{
                "fact": change.path, "from": plain(change.before), "to": plain(change.after),
                "by": plain(abs(change.by)),
                "text": self.say("change_lower" if change.by < 0 else "change_higher",
                                 fact=change.path, by=plain(abs(change.by)),
                                 before=plain(change.before), after=plain(change.after))}
                for change in distance.changes],
        }

    def exception(self, e, d: Decision) -> dict:
        status = {True: "exception_fired", False: "exception_not_fired", None: "exception_unknown"}[e.fired]
        return {"name": e.name, "label": in_language(e.label, e.name, self.lang),
                "fired": e.fired, "status_text": self.say(status),
                "in_force": e.not_in_force is None,
                "note": None if e.not_in_force is None else self.reason(e.not_in_force, d),
                "conditions": [self.condition(c, d.distances.get(f"{e.name}.{c.name}"))
                               for c in e.conditions],
                "citations": [self.citation(c) for c in e.citations]}

    def parameter(self, use) -> dict:
        return {"name": use.name,
                "label": in_language(self.labels.parameter(use.name), use.name, self.lang),
                "value": plain(use.value), "jurisdiction": use.place,
                "fell_back_from": use.asked_for if use.fell_back else None,
                "effective_from": use.start.isoformat() if use.start else None,
                "effective_until": use.end.isoformat() if use.end else None,
                "citation": self.citation(use.citation)}

    def citation(self, c) -> dict:
        """An illustrative value's note is written in the rules' working language (English);
        in Chinese the citation just says the value is illustrative."""
        text = c.render() if not c.illustrative else (
            f"{self.say('illustrative')}: {c.quote}" if self.lang == "en" else self.say("illustrative"))
        return {"source": c.source, "file": c.file, "quote": c.quote,
                "illustrative": c.illustrative, "text": text}

    def snippet(self, span) -> str:
        return span_text(self.texts, span, missing="")


REPORT_SCHEMA = "policylang.explanation-report/1"


def report(decisions, texts: dict[str, str], rules, lang: str = "en",
           subject: str | None = None, program: str | None = None) -> dict:
    """Every decision of every household, explained in one language: what all renderers draw."""
    labels = Labels(rules)
    households = []
    for household in decisions:
        chosen = [d for d in by_subject(household.decisions, household.kind)
                  if (program is None or d.program == program)
                  and (subject is None or d.subject_id == subject)]
        households.append({
            "household": household.household,
            "label": labels.entity(household.kind, lang),
            "errors": [{"path": e.json_path, "code": e.code, "message": e.message}
                       for e in household.errors],
            "explanations": [build(d, texts, lang, labels) for d in chosen]})
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
