"""The engine's own phrases, per language. Labels of programs and clauses come from the
rules; everything else an explanation says comes from here, so one never mixes languages.
"""

from __future__ import annotations

LANGUAGES = ("en", "zh")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "title": "Decisions on {date}",
        "rules": "rules {path} ({digest})",
        "top_heading": "{label} {id}",
        "subject_line": "{label} {id}",
        "summary_table": "Summary",
        "program": "Program",
        "subject": "Subject",
        "outcome": "Outcome",
        "amount": "Amount",
        "eligible": "eligible",
        "not_eligible": "not eligible",
        "unknown": "unknown",
        "not_applicable": "not applicable",
        "per_month": "per month",
        "per_quarter": "per quarter",
        "per_year": "per year",
        "per_once": "once",
        "paid_to": "paid to the {payee}",
        "why": "Why",
        "period_from_until": "from {start} to {end}",
        "period_from": "from {start}",
        "period_until": "until {end}",
        "conditions": "Conditions",
        "triggers": "Triggers (any one is enough)",
        "holds": "holds",
        "fails": "fails",
        "not_evaluated": "not evaluated",
        "needs": "needs {facts}",
        "decided_by": "Decided by the exception “{label}”, which overrides the rule for the {kind}.",
        "exception_fired": "applies",
        "exception_not_fired": "does not apply",
        "exception_unknown": "cannot be decided",
        "exceptions": "Exceptions",
        "values": "Values behind it",
        "fact": "fact",
        "definition": "definition",
        "decision": "decision",
        "distance_above": "{value} is {gap} above the threshold {threshold}",
        "distance_below": "{value} is {gap} below the threshold {threshold}",
        "change_lower": "{fact} would need to be at least {by} lower (from {before} to {after})",
        "change_higher": "{fact} would need to be at least {by} higher (from {before} to {after})",
        "parameters": "Parameters used",
        "parameter_line": "{name} = {value} ({where}{since}{until})",
        "fell_back": "{place}, falling back from {asked}",
        "since": ", since {date}",
        "until": ", until {date}",
        "missing": "Facts still needed",
        "notes": "Notes",
        "sources": "Sources",
        "illustrative": "illustrative value",
        "rule": "Rule",
        "errors": "Errors in the facts",
        "true": "yes",
        "false": "no",
        "unknown_value": "unknown",
        "absent": "absent",
        "shown_above": "as above",
    },
    "zh": {
        "title": "{date} 的认定结果",
        "rules": "规则 {path}({digest})",
        "top_heading": "{label} {id}",
        "subject_line": "{label} {id}",
        "summary_table": "汇总",
        "program": "项目",
        "subject": "对象",
        "outcome": "结果",
        "amount": "金额",
        "eligible": "符合",
        "not_eligible": "不符合",
        "unknown": "无法认定",
        "not_applicable": "不适用",
        "per_month": "每月",
        "per_quarter": "每季度",
        "per_year": "每年",
        "per_once": "一次性",
        "paid_to": "支付给{payee}",
        "why": "理由",
        "period_from_until": "{start}至{end}",
        "period_from": "{start}起",
        "period_until": "至{end}",
        "conditions": "条件",
        "triggers": "触发条件(满足其一即可)",
        "holds": "满足",
        "fails": "不满足",
        "not_evaluated": "未计算",
        "needs": "需要 {facts}",
        "decided_by": "由例外“{label}”认定,优先于一般规则。",
        "exception_fired": "适用",
        "exception_not_fired": "不适用",
        "exception_unknown": "无法认定",
        "exceptions": "例外",
        "values": "依据的数值",
        "fact": "事实",
        "definition": "定义",
        "decision": "认定结果",
        "distance_above": "{value} 比标准 {threshold} 高 {gap}",
        "distance_below": "{value} 比标准 {threshold} 低 {gap}",
        "change_lower": "{fact} 至少需要降低 {by}(由 {before} 降至 {after})",
        "change_higher": "{fact} 至少需要提高 {by}(由 {before} 升至 {after})",
        "parameters": "使用的参数",
        "parameter_line": "{name} = {value}({where}{since}{until})",
        "fell_back": "{place},{asked}无本地标准时沿用",
        "since": ",{date}起",
        "until": ",至{date}",
        "missing": "尚缺的事实",
        "notes": "说明",
        "sources": "依据",
        "illustrative": "示例数值",
        "rule": "规则",
        "errors": "事实数据错误",
        "true": "是",
        "false": "否",
        "unknown_value": "未知",
        "absent": "无",
        "shown_above": "同上",
    },
}


def message(lang: str, key: str, **values) -> str:
    """One phrase in `lang`, filled in. (Why a decision came out as it did is said by
    `policylang.semantics.reasons`, one row per kind of reason.)

    >>> message("zh", "period_from", start="2022-01-01")
    '2022-01-01起'
    """
    return MESSAGES[lang][key].format(**values)


def heading(lang: str, label: str, id: str) -> str:
    """A household's heading: its entity's label and its id (`Household hh-1`, `家庭 hh-1`)."""
    if lang == "en":
        label = label[:1].upper() + label[1:]
    return message(lang, "top_heading", label=label, id=id)
