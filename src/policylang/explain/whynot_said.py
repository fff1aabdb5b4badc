"""What would change a refusal, said plainly: each set of fact changes that the interpreter
verified would flip the decision (`interpret/whynot.py`), and the gaps that are stated but
not offered — a fact the household cannot change, or a threshold nowhere near.

>>> from policylang.explain.labels import Labels
>>> said = WhyNotSaid(Labels(None, "en"), None, None, None)
>>> said.direction("10", "5"), said.direction("5", "10")
('at most', 'at least')
"""

from __future__ import annotations

from decimal import Decimal

from .labels import in_language
from .quantities import value_text
from .reasons_said import compared_type, condition_test

WORDS = {
    "en": {"at most": "at most", "at least": "at least", "set": "",
           "change": "{fact} were {bound} {after} (now {before})",
           "set_to": "{fact} were {after} (now {before})",
           "set_yes_no": "{whose}: “{fact}” were {after} (now {before})",
           "would": "It would be granted if {changes}.",
           "route": "It would be granted through “{route}” if {changes}.",
           "and": " and ",
           "fixed": "{label}: {text}; this is not something the household can change.",
           "far": "{label}: {text}; that is far from the threshold.",
           "not_enough": "{label}: {text}; changing this alone would not grant it."},
    "zh": {"at most": "不高于", "at least": "不低于", "set": "",
           "change": "{fact}{bound}{after}（现为{before}）",
           "set_to": "{fact}为{after}（现为{before}）",
           "set_yes_no": "{whose}“{fact}”为{after}（现为{before}）",
           "would": "如果{changes}，即可获认定。",
           "route": "如果{changes}，即可按“{route}”获认定。",
           "and": "，且",
           "fixed": "{label}：{text}；这不是家庭能够改变的。",
           "far": "{label}：{text}；与标准相差较远。",
           "not_enough": "{label}：{text}；仅改变这一项仍不能获认定。"},
}


class WhyNotSaid:
    def __init__(self, labels, people, conditions, rules):
        self.labels, self.lang, self.people, self.rules = labels, labels.lang, people, rules
        self.said = conditions

    def word(self, key: str, **parts) -> str:
        return WORDS[self.lang][key].format(**parts)

    def model(self, d) -> dict | None:
        why_not = getattr(d, "why_not", None)
        if why_not is None:
            return None
        return {"changes": [self.change_set(s, d) for s in why_not.change_sets],
                "stated": [self.stated(g, d) for g in why_not.gaps if not g.offered]}

    def change_set(self, change_set, d) -> dict:
        facts = [self.change(c) for c in change_set.changes]
        joined = self.word("and").join(f["text"] for f in facts)
        route = None
        if change_set.route:
            exception = next((e for e in d.exceptions if e.name == change_set.route), None)
            route = {"id": change_set.route,
                     "label": in_language(exception.label if exception else None,
                                          change_set.route, self.lang)}
        text = (self.word("route", changes=joined, route=route["label"]) if route
                else self.word("would", changes=joined))
        return {"facts": facts, "route": route, "text": text}

    def change(self, change) -> dict:
        record, fact = self.people.at(change.path)
        entity = record.entity if record is not None else ""
        schema = self.labels.fact_schema(entity, fact) if entity else None
        type_ = schema.type if schema else None
        before = value_text(change.before, type_, self.lang, self.labels)
        after = value_text(change.after, type_, self.lang, self.labels)
        label = self.labels.fact(entity, fact) if entity else fact
        said = label if record is None else self.people.whose(
            self.people.subject(entity, record.id or ""), label)
        if isinstance(change.after, bool):
            whose = "" if record is None else self.people.name(entity, record.id or "")
            text = self.word("set_yes_no", whose=whose, fact=label, after=after, before=before)
        elif not getattr(change, "bound", True):
            text = self.word("set_to", fact=said, after=after, before=before)
        else:
            bound = self.word(self.direction(change.before, change.after))
            text = self.word("change", fact=said, bound=bound, after=after, before=before)
        return {"subject": None if record is None else record.id, "fact": fact, "label": label,
                "path": change.path, "from": _plain(change.before), "to": _plain(change.after),
                "text": text}

    @staticmethod
    def direction(before, after) -> str:
        return "at most" if Decimal(after) < Decimal(before) else "at least"

    def stated(self, gap, d) -> dict:
        condition = _find_condition(d, gap.condition)
        label = in_language(condition.label if condition else None,
                            gap.condition.split(".")[-1], self.lang)
        owner, _, name = gap.condition.rpartition(".")
        program = self.rules.programs.get(d.program) if self.rules else None
        test = condition_test(program, owner or None, name)
        distance = self.said.gap(gap, compared_type(test))["text"]
        reason = gap.why_not_offered if gap.why_not_offered in ("fixed", "far") else "not_enough"
        return {"condition": gap.condition, "label": label, "why": gap.why_not_offered,
                "text": self.word(reason, label=label, text=distance)}


def _find_condition(d, key: str):
    owner, _, name = key.rpartition(".")
    groups = [d.conditions] if not owner else [e.conditions for e in d.exceptions if e.name == owner]
    return next((c for g in groups for c in g if c.name == name), None)


def _plain(value):
    return value if isinstance(value, (bool, int)) or value is None else str(value)
