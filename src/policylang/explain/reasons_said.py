"""Why, in one sentence that is true of this household: the kind of reason (one model,
`semantics/reasons.py`) filled with statements of what holds — "p1 is not covered on its
own, because p1's disability grade (0) is not 1 or 2 …" — never the label of a condition
the household fails, read as if it had it.

>>> import policylang
>>> from policylang.explain.model import Explainer
>>> rules = policylang.load("rules")
>>> facts = policylang.read_facts("examples/kunming-edge-family.json", rules)
>>> d = rules.evaluate(facts, "2023-08-01")[0].find("disability_care_subsidy", "p1")
>>> Explainer(rules.rules, rules.texts, "en").reasons.sentence(d)
'Not eligible, because disability grade (0) is not 1 or 2.'
"""

from __future__ import annotations

import attrs

from .labels import in_language
from .quantities import date_text

JOINER = {"en": "; ", "zh": "；"}
LIST = {"en": ", ", "zh": "、"}
DECIDED_BY = {"en": "Decided by the exception “{label}”, which overrides the rule for this {kind}.",
              "zh": "由例外“{label}”认定，优先于一般规则。"}


class Reasons:
    def __init__(self, labels, conditions, people, rules, citations):
        self.labels, self.lang, self.said, self.people = labels, labels.lang, conditions, people
        self.rules, self.citations = rules, citations

    def sentence(self, d) -> str:
        """The decision's reason as a sentence in this language."""
        reason, lang = d.reason, self.lang
        failing = self._failing(d, reason)
        period = self._period(reason.start, reason.end) if reason.kind == "out_of_period" else ""
        missing = LIST[lang].join(self.people.whose(group["subject"], f["label"])
                                  for group in self.people.missing(d.missing)
                                  for f in group["facts"])
        return reason.sentence(
            lang, label=self.clause_label(reason, d), failing=JOINER[lang].join(failing),
            subject=self.people.name(d.subject_kind, d.subject_id), period=period,
            places=LIST[lang].join(self.labels.place(p) for p in reason.places),
            place=self.labels.place(reason.place) if reason.place else "",
            date=date_text(reason.date, lang) if reason.date else "", missing=missing)

    def _failing(self, d, reason) -> list[str]:
        program = self.rules.programs.get(d.program) if self.rules else None
        if reason.kind == "not_covered_alone":
            return [self.said.statement(c, condition_test(program, e.name, c.name), "fails")
                    for e in d.exceptions for c in e.conditions if c.value is False]
        return [self.said.statement(c, condition_test(program, None, c.name), "fails")
                for c in d.conditions if c.value is False]

    def clause_label(self, reason, d) -> str:
        """The label of the exception or program a reason names."""
        if reason.kind == "by_exception":
            exception = next(e for e in d.exceptions if e.name == reason.clause)
            return in_language(exception.label, reason.clause, self.lang)
        if reason.kind == "yielded":
            return self.labels.program(reason.clause)
        return ""

    def _period(self, start, end) -> str:
        lang = self.lang
        start = date_text(start, lang) if start else None
        end = date_text(end, lang) if end else None
        if lang == "zh":
            return f"{start}至{end}" if start and end else f"{start}起" if start else f"至{end}"
        return f"from {start} to {end}" if start and end else f"from {start}" if start else f"until {end}"

    def decided_by(self, d) -> dict | None:
        if not d.by:
            return None
        exception = next(e for e in d.exceptions if e.name == d.by)
        label = in_language(exception.label, d.by, self.lang)
        return {"exception": d.by, "label": label, "overrides": d.program,
                "text": DECIDED_BY[self.lang].format(label=label, kind=self.labels.entity(d.subject_kind))}

    def conditions(self, results, program, which: str | None, d, exception: str | None = None) -> list[dict]:
        shown = []
        for c in results:
            test = condition_test(program, exception, c.name, which)
            key = f"{exception}.{c.name}" if exception else c.name
            distance = d.distances.get(key)
            gap = None if distance is None else self.said.gap(distance, compared_type(test))
            shown.append(self.said.condition(c, test, gap))
        return shown

    def exception(self, e, d, program) -> dict:
        status = {True: "fired", False: "not_fired", None: "unknown"}[e.fired]
        return {"name": e.name, "label": in_language(e.label, e.name, self.lang),
                "fired": e.fired, "status_text": EXCEPTION_STATUS[self.lang][status],
                "in_force": e.not_in_force is None,
                "note": None if e.not_in_force is None else self._not_in_force(e, d),
                "conditions": self.conditions(e.conditions, program, None, d, e.name),
                "citations": self.citations.keys(e.citations)}

    def _not_in_force(self, e, d) -> str:
        return self.sentence(attrs.evolve(d, reason=e.not_in_force))


EXCEPTION_STATUS = {"en": {"fired": "applies", "not_fired": "does not apply",
                           "unknown": "cannot be decided yet"},
                    "zh": {"fired": "适用", "not_fired": "不适用", "unknown": "暂无法认定"}}


def condition_test(program, exception: str | None, name: str, which: str | None = None):
    """The expression of a condition (of the program, one of its exceptions, or a trigger)."""
    if program is None:
        return None
    if exception is not None:
        owner = next((e for e in program.exceptions if e.name == exception), None)
        found = owner.conditions if owner else ()
    else:
        found = program.triggers if which == "triggers" else program.conditions
    return next((c.test for c in found if c.name == name), None)


def compared_type(test):
    left = getattr(test, "left", None)
    return getattr(left, "type", None)
