"""The report's own headings and phrases, per language. Labels of programs and clauses come
from the rules, sentences about decisions from `reasons_said.py`, `words.py` and their
neighbours; everything a report adds around them comes from here, so no report mixes
languages.
"""

from __future__ import annotations

LANGUAGES = ("en", "zh")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "title": "Decisions on {date}",
        "rules": "Rules: {path} ({digest})",
        "top_heading": "{label} {id}",
        "summary": "Summary",
        "granted": "Granted",
        "total": "Total",
        "refused": "Not granted",
        "undecided": "Undecided",
        "status_granted": "granted (no amount)",
        "details": "Details",
        "program": "Program",
        "subject": "For",
        "outcome": "Outcome",
        "amount": "Amount",
        "reason": "Reason",
        "why": "Why",
        "conditions": "Conditions",
        "triggers": "Triggers (any one is enough)",
        "exceptions": "Exception",
        "how_computed": "How the amount was computed",
        "what_would_change": "What would change it",
        "missing": "Still needed",
        "parameters": "Values used",
        "parameter_line": "{name}: {value} ({where}{since}{until})",
        "fell_back": "{place}, as {asked} sets none",
        "everywhere": "everywhere",
        "inputs": "Assumed or given",
        "outputs": "Computed values",
        "reformed": "Changed by a reform",
        "since": ", from {date}",
        "until": ", until {date}",
        "notes": "Note",
        "sources": "Sources",
        "rule": "Rule",
        "errors": "Errors in the facts",
        "show_rule": "show the rule",
        "values": "values behind it",
        "as_above": "as above",
        "filter_all": "All",
        "nothing_granted": "Nothing is granted on this date.",
        "filter_granted": "Granted",
        "filter_refused": "Not granted",
        "notice": "Notice of decision",
        "elsewhere": "Not in force here",
    },
    "zh": {
        "title": "{date}认定结果",
        "rules": "规则：{path}（{digest}）",
        "top_heading": "{label} {id}",
        "summary": "概要",
        "granted": "获得保障",
        "total": "合计",
        "refused": "未获保障",
        "undecided": "暂无法认定",
        "status_granted": "认定符合（无金额）",
        "details": "详细说明",
        "program": "项目",
        "subject": "对象",
        "outcome": "结果",
        "amount": "金额",
        "reason": "理由",
        "why": "理由",
        "conditions": "条件",
        "triggers": "触发条件（满足其一即可）",
        "exceptions": "例外",
        "how_computed": "金额计算过程",
        "what_would_change": "怎样才能改变结果",
        "missing": "尚需补充",
        "parameters": "使用的标准",
        "parameter_line": "{name}：{value}（{where}{since}{until}）",
        "fell_back": "{place}，{asked}未另定标准",
        "everywhere": "通用",
        "inputs": "默认值与申报值",
        "outputs": "计算结果",
        "reformed": "改革带来的变化",
        "since": "，{date}起",
        "until": "，至{date}",
        "notes": "说明",
        "sources": "依据",
        "rule": "规则",
        "errors": "事实数据错误",
        "show_rule": "查看规则原文",
        "values": "依据的数值",
        "as_above": "同上",
        "filter_all": "全部",
        "nothing_granted": "本日期无获得的保障。",
        "filter_granted": "获得保障",
        "filter_refused": "未获保障",
        "notice": "认定结果告知书",
        "elsewhere": "本地不适用",
    },
}


def message(lang: str, key: str, **values) -> str:
    """One phrase in `lang`, filled in.

    >>> message("zh", "since", date="2022年1月1日")
    '，2022年1月1日起'
    """
    return MESSAGES[lang][key].format(**values)


def heading(lang: str, label: str, id: str) -> str:
    """A household's heading： its entity's label and its id （`Household hh-1`， `家庭 hh-1`）."""
    if lang == "en":
        label = label[:1].upper() + label[1:]
    return message(lang, "top_heading", label=label, id=id)
