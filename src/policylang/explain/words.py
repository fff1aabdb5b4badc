"""Rules said in words: an expression of the rules as a phrase built from the rules' labels
(`countable_income < dibao_standard` → "countable income per person per month is below the
dibao standard"), and a condition as a statement of what is true of this household, with
its values ("… (1000.00 yuan) is not below the dibao standard (800.00 yuan)"). The code
view stays available beside it (`code` in the model); the human formats lead with words.

A statement says what holds, not what was required: a failing `a or b` reads "neither …
nor …", a failing comparison reads with its verb negated.

>>> import policylang
>>> from policylang.explain.labels import Labels
>>> rules = policylang.load("rules").rules
>>> test = rules.programs["dibao"].conditions[1].test
>>> Phrases(Labels(rules, "en")).phrase(test)
'countable income per person per month is below dibao standard per person per month'
>>> Phrases(Labels(rules, "zh")).phrase(test)
'人均月可计收入低于低保标准(每人每月)'
"""

from __future__ import annotations

from .. import ir
from ..core.values import Unknown
from .quantities import value_text
from .values import AMOUNT_OF, WINDOW, WINDOW_FUNCTION

SCALE_FOR = {"en": "{scale} for {x}", "zh": "按{x}的{scale}"}

VERBS = {
    "en": {"<": ("is below", "is not below"), "<=": ("is at most", "is above"),
           ">": ("is above", "is not above"), ">=": ("is at least", "is below"),
           "==": ("is", "is not"), "!=": ("is not", "is"), "in": ("is", "is not"),
           "within": ("is within", "is not within")},
    "zh": {"<": ("低于", "不低于"), "<=": ("不超过", "超过"), ">": ("高于", "不高于"),
           ">=": ("不低于", "低于"), "==": ("为", "不为"), "!=": ("不为", "为"),
           "in": ("为", "不为"), "within": ("属于", "不属于")},
}
ARITHMETIC = {"+": " + ", "-": " − ", "*": " × ", "/": " ÷ "}
PRECEDENCE = {"or": 1, "and": 2, "+": 4, "-": 4, "*": 5, "/": 5}
WORDS = {
    "en": {"and": " and ", "or": " or ", "either": " or ", "neither": "neither {a} nor {b}",
           "none_of": "none of: {parts}", "eligible": "eligible for {program}",
           "not_eligible": "not eligible for {program}", "yes": "{x}", "no": "not {x}",
           "count": "the number of {c}", "sum": "the total {b} of {c}", "any": "some of {c}: {b}",
           "all": "all of {c}: {b}", "min": "the smallest {b} of {c}",
           "max": "the largest {b} of {c}", "where": "{c} where {b}",
           "max2": "the larger of {a} and {b}", "min2": "the smaller of {a} and {b}",
           "years_since": "full years since {a}", "date": "the decision date",
           "month_of": "the month of {a}", "year_of": "the year of {a}",
           "absent": "{x} is not given", "present": "{x} is given", "if": "if {c}, {a}; else {b}",
           "previous": "{x} last time", "shift+": "{a} + {b}", "shift-": "{a} − {b}",
           "value": "{x} ({v})", "unknown": "not known yet whether {x}", "unknown_value": "{x} (not known)", "set_or": " or "},
    "zh": {"and": "，且", "or": "或", "either": "或", "neither": "既非{a}，也非{b}",
           "none_of": "以下均不成立：{parts}", "eligible": "符合{program}条件",
           "not_eligible": "不符合{program}条件", "yes": "{x}", "no": "非{x}",
           "count": "{c}人数", "sum": "{c}的{b}合计", "any": "{c}中有{b}", "all": "{c}均{b}",
           "min": "{c}中最低的{b}", "max": "{c}中最高的{b}", "where": "{b}的{c}",
           "max2": "{a}与{b}中较大者", "min2": "{a}与{b}中较小者",
           "years_since": "自{a}起的周岁数", "date": "认定日期",
           "month_of": "{a}所在月份", "year_of": "{a}所在年份", "absent": "未填{x}",
           "present": "已填{x}", "if": "若{c}，则{a}，否则{b}", "previous": "上一期的{x}",
           "shift+": "{a}后{b}", "shift-": "{a}前{b}", "value": "{x}（{v}）",
           "unknown": "尚不能确定是否{x}", "unknown_value": "{x}（未知）", "set_or": "或"},
}


class Phrases:
    """Expressions in words in one language. `values` (name → value, from the trace) and
    `comparisons` (span → the comparison the interpreter made) let `statement` put in the
    numbers and say what was true; without them `phrase` says the rule itself."""

    def __init__(self, labels, values: dict | None = None, comparisons: dict | None = None):
        self.labels, self.lang = labels, labels.lang
        self.values = values or {}
        self.comparisons = comparisons or {}

    def word(self, key: str, **parts) -> str:
        return WORDS[self.lang][key].format(**parts)

    # ------------------------------------------------------------ the rule in words
    def phrase(self, node, outer: int = 0) -> str:
        """The expression as the rules say it, with labels; no values."""
        method = getattr(self, "_" + type(node).__name__.lower(), None)
        return method(node, outer) if method else self.labels.lang and "…"

    def _const(self, node, outer):
        return value_text(node.value, node.type, self.lang, self.labels)

    def _factref(self, node, outer):
        return self.labels.fact(node.entity, node.name)

    def _definitionref(self, node, outer):
        return self.labels.definition(node.entity, node.name)

    def _parameterref(self, node, outer):
        return self.labels.parameter(node.name)

    def _relationref(self, node, outer):
        return self.labels.relation(node.entity)

    def _decisionref(self, node, outer):
        if node.what == "amount":
            return AMOUNT_OF[self.lang].format(program=self.labels.program(node.program))
        return self.word("eligible", program=self.labels.program(node.program))

    def _scalelookup(self, node, outer):
        """`old_age(age)`: the scale for the value, `old-age allowance for age`."""
        argument = self.phrase(node.argument, 3)
        return SCALE_FOR[self.lang].format(scale=self.labels.parameter(node.name), x=argument)

    def _evaluationdate(self, node, outer):
        return self.word("date")

    def _monthwindow(self, node, outer):
        """`average of salary over the last 3 months`: "the average of salary over the
        last 3 months" / "前3个月月工资的月平均值"."""
        return WINDOW[self.lang].format(function=WINDOW_FUNCTION[self.lang][node.function],
                                        x=self.phrase(node.fact, 9), n=node.months)

    def _unary(self, node, outer):
        if node.op == "not":
            return self.word("no", x=self.phrase(node.operand, 3))
        return "−" + self.phrase(node.operand, 6)

    def _binary(self, node, outer):
        op = node.op
        if op in VERBS[self.lang]:
            return self._comparison(node, self.phrase(node.left, 3), self.phrase(node.right, 3), True)
        inner = PRECEDENCE.get(op, 3)
        joint = ARITHMETIC.get(op) or self.word(op)
        text = self.phrase(node.left, inner) + joint + self.phrase(node.right, inner + 1)
        return f"({text})" if inner < outer else text

    def _comparison(self, node, left: str, right: str, holds: bool) -> str:
        verb = VERBS[self.lang][node.op][0 if holds else 1]
        if node.op == "in" and isinstance(node.right, ir.SetOf):
            right = self.word("set_or").join(self.phrase(item, 9) for item in node.right.items)
        return f"{left} {verb} {right}" if self.lang == "en" else f"{left}{verb}{right}"

    def _scale(self, node, outer):
        return self.phrase(node.operand, outer)

    def _presence(self, node, outer):
        return self.word("absent" if node.absent else "present", x=self.phrase(node.operand, 9))

    def _setof(self, node, outer):
        return self.word("set_or").join(self.phrase(item, 9) for item in node.items)

    def _filter(self, node, outer):
        return self.word("where", c=self.phrase(node.collection, 9), b=self.phrase(node.condition))

    def _aggregate(self, node, outer):
        collection = self.phrase(node.collection, 9)
        body = self.phrase(node.body) if node.body is not None else ""
        return self.word(node.function, c=collection, b=body)

    def _call(self, node, outer):
        args = [self.phrase(a) for a in node.args]
        if node.function in ("max", "min") and len(args) == 2:
            return self.word(node.function + "2", a=args[0], b=args[1])
        if node.function in ("years_since", "month_of", "year_of"):
            return self.word(node.function, a=args[0])
        return f"{node.function}({', '.join(args)})"

    def _ifthenelse(self, node, outer):
        return self.word("if", c=self.phrase(node.condition), a=self.phrase(node.then),
                         b=self.phrase(node.otherwise))

    def _dateshift(self, node, outer):
        return self.word("shift+" if node.sign > 0 else "shift-", a=self.phrase(node.date),
                         b=self.phrase(node.duration))

    def _previous(self, node, outer):
        return self.word("previous", x=self.phrase(node.operand, 9))

    # ------------------------------------------------------------ what was true, with values
    def statement(self, node, truth) -> str:
        """What is true of the household about `node` (a condition's test) whose value was
        `truth`: a failing test is said negated, with the values the comparisons saw."""
        if isinstance(node, ir.Unary) and node.op == "not":  # unknown stays unknown
            return self.statement(node.operand, not truth if isinstance(truth, bool) else truth)
        if isinstance(node, ir.Binary) and node.op in ("and", "or"):
            return self._logic_statement(node, truth)
        comparison = self.comparisons.get(node.span) if isinstance(node, ir.Binary) else None
        if comparison is not None and isinstance(truth, bool):
            left = self._with_value(node.left, comparison.left)
            right = self._with_value(node.right, comparison.right)
            return self._comparison(node, left, right, truth)
        if isinstance(node, ir.DecisionRef) and node.what == "eligible" and isinstance(truth, bool):
            key = "eligible" if truth else "not_eligible"
            return self.word(key, program=self.labels.program(node.program))
        if isinstance(truth, bool):
            return self.word("yes" if truth else "no", x=self.phrase(node, 3))
        return self.word("unknown", x=self.phrase(node, 3))

    def _logic_statement(self, node, truth) -> str:
        """`a and b` that fails: the parts that fail; `a or b` that fails: neither part;
        a part not evaluated (after the first failing part of `and`) is left out."""
        parts = _flatten(node, node.op)
        truths = [self.truth(p) for p in parts]
        decisive = node.op == "or"
        if truth is decisive:  # or: the parts that hold; and (false): the parts that fail
            chosen = [(p, t) for p, t in zip(parts, truths) if t is decisive]
        else:
            chosen = [(p, t) for p, t in zip(parts, truths) if t is not None]
        said = [self.statement(p, t) for p, t in chosen] or [self.phrase(node)]
        if truth is False and node.op == "or" and len(said) == 2 and self.lang == "en":
            a, b = (self.statement(part, True) for part, _ in chosen)
            return self.word("neither", a=a, b=b)
        joint = self.word("either") if truth is True and node.op == "or" else self.word("and")
        return joint.join(said)

    def truth(self, node):
        """The value a part of a condition took, from the trace: True, False or None."""
        if isinstance(node, ir.Unary) and node.op == "not":
            inner = self.truth(node.operand)
            return None if inner is None else not inner
        if isinstance(node, ir.Binary) and node.op in ("and", "or"):
            values = [self.truth(p) for p in (node.left, node.right)]
            decisive = node.op == "or"
            if decisive in values:
                return decisive
            return None if None in values else not decisive
        if isinstance(node, ir.Binary) and node.span in self.comparisons:
            result = self.comparisons[node.span].result
            return result if isinstance(result, bool) else None
        value = self.values.get(_name(node))
        if isinstance(node, ir.DecisionRef) and node.what == "eligible":
            return {"eligible": True, "not_eligible": False}.get(value)
        return value if isinstance(value, bool) else None

    def _with_value(self, node, value) -> str:
        """A side of a comparison with the value it had, unless the side is that value."""
        said = self.phrase(node, 3)
        if isinstance(node, ir.Const):
            return said
        shown = value_text(value, node.type, self.lang, self.labels)
        if isinstance(value, Unknown):
            return self.word("unknown_value", x=said)
        return self.word("value", x=said, v=shown)


def _flatten(node, op: str) -> list:
    """`a and b and c` as its three parts."""
    if isinstance(node, ir.Binary) and node.op == op:
        return _flatten(node.left, op) + _flatten(node.right, op)
    return [node]


def _name(node) -> str | None:
    if isinstance(node, (ir.FactRef, ir.DefinitionRef)):
        return node.name
    if isinstance(node, ir.DecisionRef):
        return node.program
    return None
