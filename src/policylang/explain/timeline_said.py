"""A household's timeline (`tools/timeline.py`) in words, in English or Chinese, as text,
Markdown or JSON: each date on which a decision changes, what changed, and why.

>>> import datetime as dt, policylang
>>> from policylang.tools.timeline import timeline
>>> step2 = policylang.load("docs/tutorial/step2")
>>> (household,) = policylang.read_facts("docs/tutorial/step2/child.json", step2)
>>> start, end = dt.date(2021, 6, 1), dt.date(2024, 1, 1)
>>> found = timeline(step2, household, start, end)
>>> print(timeline_text(found, step2.rules, household.record, "zh", start, end))
2021年6月1日起至2024年1月1日，认定结果的变化：
2022年1月1日  特困人员救助供养（c1）：不符合 → 符合，每月 1040.00 元
    特困供养未成年人年龄上限(未满)在昆明市取值为18
2023年3月1日  特困人员救助供养（c1）：符合，每月 1040.00 元 → 不符合
    c1年满18周岁（出生日期）
"""

from __future__ import annotations

from .labels import Labels, in_language
from .model import OUTCOMES
from .people import People
from .quantities import date_text, money_text

WORDS = {
    "en": {"title": "Changes of the decisions from {start} to {end}:",
           "none": "No decision changes from {start} to {end}.",
           "line": "{date}  {program} ({subject}): {before} → {after}",
           "parameter": "{parameter} takes the value {value} in {place}",
           "parameter_ends": "the value {value} of {parameter} in {place} ends",
           "program": "“{program}” starts to apply", "program_ends": "“{program}” stops applying",
           "rule_date": "the date {value} written in the rules",
           "birthday": "{whose} turns {value} ({fact})", "date_reached": "{whose} {fact} ({value})",
           "window": "{value} from {whose} {fact}", "absent": "no decision"},
    "zh": {"title": "{start}起至{end}，认定结果的变化：",
           "none": "{start}起至{end}，认定结果没有变化。",
           "line": "{date}  {program}（{subject}）：{before} → {after}",
           "parameter": "{parameter}在{place}取值为{value}",
           "parameter_ends": "{parameter}在{place}的取值{value}到期",
           "program": "“{program}”开始适用", "program_ends": "“{program}”停止适用",
           "rule_date": "规则中的日期{value}",
           "birthday": "{whose}年满{value}周岁（{fact}）", "date_reached": "{whose}{fact}（{value}）",
           "window": "距{whose}{fact}{value}", "absent": "无认定"},
}


def timeline_text(changes, rules, household, lang: str, start=None, end=None) -> str:
    """The timeline as text; `start` and `end` (dates) give the heading, else the first and
    last change do."""
    said = _Said(rules, household, lang)
    start = start or (changes[0].date if changes else None)
    end = end or (changes[-1].date if changes else None)
    words = WORDS[lang]
    if not changes:
        return words["none"].format(start=date_text(start, lang), end=date_text(end, lang))
    lines = [words["title"].format(start=date_text(start, lang), end=date_text(end, lang))]
    for change in changes:
        item = said.change(change)
        lines.append(item["text"])
        lines += [f"    {cause}" for cause in item["causes"]]
    return "\n".join(lines)


def timeline_markdown(changes, rules, household, lang: str, start, end) -> str:
    said, words = _Said(rules, household, lang), WORDS[lang]
    heading = words["title" if changes else "none"].format(
        start=date_text(start, lang), end=date_text(end, lang))
    lines = [f"# {heading}", ""]
    for change in changes:
        item = said.change(change)
        lines += [f"- **{item['text']}**"] + [f"    - {cause}" for cause in item["causes"]]
    return "\n".join(lines) + "\n"


def timeline_json(changes, rules, household, lang: str, start, end) -> dict:
    said = _Said(rules, household, lang)
    return {"schema": "policylang.timeline/1", "lang": lang, "from": start.isoformat(),
            "to": end.isoformat(), "changes": [said.change(c) for c in changes]}


class _Said:
    def __init__(self, rules, household, lang: str):
        self.labels = Labels(rules, lang)
        self.people = People(self.labels, household)
        self.rules, self.lang, self.words = rules, lang, WORDS[lang]

    def change(self, change) -> dict:
        subject = self.people.subject(change.subject_kind, change.subject_id)
        text = self.words["line"].format(
            date=date_text(change.date, self.lang), program=self.labels.program(change.program),
            subject=subject["name"], before=self.state(change.before),
            after=self.state(change.after))
        return {"date": change.date.isoformat(), "program": change.program,
                "subject": {"kind": change.subject_kind, "id": change.subject_id},
                "before": {"outcome": change.before.outcome, "amount": change.before.amount},
                "after": {"outcome": change.after.outcome, "amount": change.after.amount},
                "text": text, "causes": [self.cause(c) for c in change.causes]}

    def state(self, state) -> str:
        if state.outcome == "none":
            return self.words["absent"]
        shown = OUTCOMES[self.lang][state.outcome]
        if state.paid is not None:
            comma = "，" if self.lang == "zh" else ", "
            shown += comma + money_text(state.paid.value, state.paid.unit, state.paid.per, self.lang,
                                         self.labels.unit(state.paid.unit))
        return shown

    def cause(self, cause) -> str:
        words, lang = self.words, self.lang
        if cause.kind in ("parameter", "parameter_ends"):
            place, _, value = cause.detail.partition(" = ")
            return words[cause.kind].format(parameter=self.labels.parameter(cause.what),
                                            place=self.labels.place(place), value=value)
        if cause.kind in ("program", "program_ends"):
            program, _, exception = cause.what.partition(".")
            name = self.labels.program(program)
            if exception:
                declared = self.rules.programs.get(program) if self.rules else None
                found = next((e for e in (declared.exceptions if declared else ())
                              if e.name == exception), None)
                name += "：" if lang == "zh" else ": "
                name += in_language(found.label if found else None, exception, lang)
            return words[cause.kind].format(program=name)
        if cause.kind == "rule_date":
            return words["rule_date"].format(value=date_text(cause.what, lang))
        record, fact = self.people.at(cause.what)
        entity = record.entity if record is not None else ""
        whose = "" if record is None or record.parent is None else \
            self.people.name(entity, record.id or "")
        label = self.labels.fact(entity, fact) if entity else fact
        value = cause.detail if cause.kind != "date_reached" else date_text(cause.detail, lang)
        return words[cause.kind].format(whose=whose, fact=label, value=value).strip()
