"""How an amount was computed, in words and numbers: the formula with its labels, the same
formula with the values it took, the result with its unit and period, then each definition
it read, and the rounding the rule states.

>>> import policylang
>>> rules = policylang.load("rules")
>>> facts = policylang.read_facts("examples/changzhou-dibao.json", rules)
>>> amount = rules.evaluate(facts, "2023-08-01")[0].find("dibao").amount
>>> from policylang.explain.labels import Labels
>>> steps = amount_model(amount, Labels(rules.rules, "en"))["derivation"]
>>> steps[0]["numbers"]
'(1000.00 − 700.00) × 2 = 600.00 yuan per month'
"""

from __future__ import annotations

from decimal import Decimal

from .. import ir
from .quantities import money_text, number_text, value_text
from .words import ARITHMETIC, PRECEDENCE, Phrases

ROUNDING = {
    "en": {"half_up": "rounded half up to {step}", "half_even": "rounded half to even to {step}",
           "down": "rounded down to {step}", "up": "rounded up to {step}",
           "none": "not rounded"},
    "zh": {"half_up": "按{step}四舍五入", "half_even": "按{step}四舍六入五成双",
           "down": "按{step}向下取整", "up": "按{step}向上取整", "none": "不取整"},
}


def amount_model(amount, labels) -> dict:
    """The amount of a decision (`trace.Amount`) with its derivation, in the labels' language."""
    lang = labels.lang
    text = money_text(amount.value, amount.unit, amount.per, lang, labels.unit(amount.unit))
    mode, step = amount.rounding or ("none", None)
    rounding = ROUNDING[lang][mode].format(step=step)
    return {
        "value": amount.written, "unit": amount.unit, "per": amount.per, "text": text,
        "computed": None if amount.computed is None else str(amount.computed),
        "rounding": None if amount.rounding is None else {
            "mode": mode, "step": str(step), "text": rounding},
        "derivation": [_formula(f, amount, labels, i == 0) for i, f in enumerate(amount.derivation)],
    }


def _formula(formula, amount, labels, is_amount: bool) -> dict:
    lang = labels.lang
    phrases = Phrases(labels)
    name = (labels.definition(formula.entity, formula.name) if formula.name
            else {"en": "amount", "zh": "金额"}[lang])
    result = (money_text(formula.result, amount.unit, amount.per, lang, labels.unit(amount.unit))
              if is_amount
              else value_text(formula.result, _type(formula), lang, labels))
    numbers = _numbers(formula.expr, formula, lang, labels)
    return {"name": formula.name, "label": name,
            "words": f"{name} = {phrases.phrase(formula.expr)}",
            "numbers": f"{numbers} = {result}" if numbers != result else result,
            "value": str(formula.result)}


def _type(formula):
    return getattr(formula.expr, "type", None)


def _numbers(node, formula, lang: str, labels, outer: int = 0) -> str:
    """The formula with each closed part replaced by the value it took: `(1000.00 − 700.00) × 2`."""
    if isinstance(node, ir.Binary) and node.op in ARITHMETIC:
        inner = PRECEDENCE[node.op]
        text = (_numbers(node.left, formula, lang, labels, inner) + ARITHMETIC[node.op]
                + _numbers(node.right, formula, lang, labels, inner + 1))
        return f"({text})" if inner < outer else text
    if isinstance(node, ir.Call) and node.function in ("max", "min"):
        args = (", " if lang == "en" else "，").join(_numbers(a, formula, lang, labels) for a in node.args)
        return f"{node.function}({args})" if lang == "en" else \
            ("较大者" if node.function == "max" else "较小者") + f"（{args}）"
    if isinstance(node, ir.Scale):
        return _numbers(node.operand, formula, lang, labels, outer) + f" × {node.factor}"
    return _number(formula.value_of(node), node, lang, labels)


def _number(value, node, lang: str, labels) -> str:
    """A part's value as a number (money to the fen), or in words when it is no number."""
    kind = getattr(getattr(node, "type", None), "kind", None)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return value_text(value, getattr(node, "type", None), lang, labels)
    return number_text(value, lang, 2 if kind == "money" else None)
