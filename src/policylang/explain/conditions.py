"""A decision's conditions as a reviewer reads them: each a statement of what is true of
this household, with the values it rests on, the code view of the rule beside it, and for a
failing numeric comparison how far it is from holding.

>>> import policylang
>>> from policylang.explain.labels import Labels
>>> rules = policylang.load("rules")
>>> facts = policylang.read_facts("examples/changzhou-dibao.json", rules)
>>> dibao = rules.evaluate(facts, "2023-08-01")[0].find("dibao")
>>> said = Conditions(Labels(rules.rules, "en"), rules.texts, ValueTable(Labels(rules.rules, "en")))
>>> said.condition(dibao.conditions[1], rules.rules.programs["dibao"].conditions[1].test)["statement"]
'countable income per person per month (700.00 yuan) is below dibao standard per person per month (1000.00 yuan)'
"""

from __future__ import annotations

from ..core.source import span_text
from ..core.values import Unknown
from .labels import in_language
from .quantities import value_text
from .values import ValueTable
from .words import Phrases

STATUS = {"en": {"holds": "holds", "fails": "fails", "unknown": "unknown",
                 "not_evaluated": "not evaluated"},
          "zh": {"holds": "满足", "fails": "不满足", "unknown": "无法认定", "not_evaluated": "未计算"}}
NOT_EVALUATED = {"en": "not evaluated: an earlier condition already fails",
                 "zh": "未计算：前面的条件已不满足"}
GAP = {"en": {"above": "{gap} above the limit", "below": "{gap} short of the threshold",
              "at_above": "exactly at the limit; it must be below it",
              "at_below": "exactly at the threshold; it must be above it"},
       "zh": {"above": "超出{gap}", "below": "还差{gap}", "at_above": "恰好等于界限，须低于界限",
              "at_below": "恰好等于界限，须高于界限"}}

__all__ = ["Conditions", "ValueTable", "status_of"]


def status_of(value) -> str:
    return ("holds" if value is True else "fails" if value is False else
            "unknown" if isinstance(value, Unknown) else "not_evaluated")


class Conditions:
    """Conditions of the rules, said in the labels' language."""

    def __init__(self, labels, texts: dict[str, str], values: ValueTable):
        self.labels, self.lang, self.texts, self.values = labels, labels.lang, texts, values

    def condition(self, c, test, gap=None) -> dict:
        """`c` is the traced `ConditionResult`; `test` its expression in the rules (None when
        the rules are not at hand); `gap` the why-not distance of a failing comparison."""
        status = status_of(c.value)
        return {
            "name": c.name, "label": in_language(c.label, c.name, self.lang),
            "holds": c.value if isinstance(c.value, bool) else None,
            "status": status, "status_text": STATUS[self.lang][status],
            "statement": self.statement(c, test, status),
            "code": span_text(self.texts, test.span, missing="") if test is not None else "",
            "missing_facts": sorted(c.value.missing) if isinstance(c.value, Unknown) else [],
            "line": c.span.line,
            "values": self.values.keys(c.definitions),
            "gap": gap,
        }

    def statement(self, c, test, status: str) -> str:
        if status == "not_evaluated":
            return NOT_EVALUATED[self.lang]
        if test is None:
            return in_language(c.label, c.name, self.lang)
        phrases = Phrases(self.labels, {u.name: u.value for u in c.definitions},
                          {k.span: k for k in c.comparisons})
        return phrases.statement(test, c.value if isinstance(c.value, bool) else None)

    def gap(self, distance, comparison_type) -> dict:
        """How far a failing comparison is from holding (`whynot` distance), in words."""
        above = distance.op in ("<", "<=")
        gap = value_text(distance.gap, comparison_type, self.lang, self.labels)
        where = ("at_" if distance.gap == 0 else "") + ("above" if above else "below")
        return {"value": str(distance.value), "threshold": str(distance.threshold),
                "op": distance.op, "gap": str(distance.gap),
                "text": GAP[self.lang][where].format(gap=gap)}
