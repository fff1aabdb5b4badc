"""Values as a caseworker says them, in one language: money in 元 / yuan with its period
(每月 800.00 元, 800.00 yuan per month), kWh, durations, yes/no, dates, places by label.

>>> from decimal import Decimal
>>> money_text(Decimal("800"), "CNY", "month", "zh"), money_text(Decimal("800"), "CNY", "month", "en")
('每月 800.00 元', '800.00 yuan per month')
>>> number_text(Decimal("666.666666666666666667"), "en")
'666.67 (rounded for display)'
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..core.limits import MAX_AMOUNT_PLACES
from ..core.rounding import amount_places
from ..core.values import ABSENT as ABSENT_FACT, Record, Unknown

UNITS = {"en": {"CNY": "yuan", "kWh": "kWh"}, "zh": {"CNY": "元", "kWh": "千瓦时"}}
PERIODS = {
    "en": {"month": "per month", "quarter": "per quarter", "year": "per year", "once": "once"},
    "zh": {"month": "每月", "quarter": "每季度", "year": "每年", "once": "一次性"},
}
DURATIONS = {"en": {"days": "days", "months": "months", "years": "years"},
             "zh": {"days": "天", "months": "个月", "years": "年"}}
YES_NO = {"en": ("yes", "no"), "zh": ("是", "否")}
UNKNOWN = {"en": "unknown", "zh": "未知"}
ABSENT = {"en": "none", "zh": "无"}
ROUNDED = {"en": " (rounded for display)", "zh": "（显示时四舍五入）"}


def number_text(value, lang: str, places: int | None = None) -> str:
    """A number as written: money to the fen; a longer exact value rounded for display, and
    said so (what the rule computed is never hidden behind a rounded figure)."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if places is None:
        long = value.as_tuple().exponent < -6  # 2000 / 3: not written out in full
        return number_text(value, lang, 2) if long else _decimal(value)
    shown = value.quantize(Decimal(1).scaleb(-places))
    return f"{shown}" if shown == value else f"{shown}{ROUNDED[lang]}"


def _decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if "." in text or "E" not in text else str(value)


def money_text(value, unit: str, per: str | None, lang: str, said: str | None = None) -> str:
    """An amount with its unit and period： `每月 800.00 元`， `800.00 yuan per month`; `said`
    is the unit as the rules say it (`Labels.unit`). Money is written to the fen, or to as
    many places (up to six) as the value has: the amount the rule computed, never less."""
    if unit == "kWh" or not isinstance(value, Decimal):
        number = number_text(value, lang)
    else:
        number = number_text(value, lang, min(MAX_AMOUNT_PLACES, amount_places(value)))
    unit_word = said or UNITS[lang].get(unit, unit)
    if lang == "zh":
        amount = f"{number} {unit_word}"
        return f"{PERIODS['zh'][per]} {amount}" if per else amount
    amount = f"{number} {unit_word}"
    return f"{amount} {PERIODS['en'][per]}" if per else amount


def value_text(value, type_, lang: str, labels=None) -> str:
    """Any engine value, typed by `type_` (`core.typesystem.Type`, or None), as words."""
    if isinstance(value, Unknown):
        return UNKNOWN[lang]
    if value is None or value is ABSENT_FACT:  # an optional fact not given: known to be none
        return ABSENT[lang]
    if isinstance(value, bool):
        return YES_NO[lang][0 if value else 1]
    kind = getattr(type_, "kind", None)
    if kind == "money":
        unit = labels.rules.schema.unit if labels is not None and labels.rules else "CNY"
        said = labels.unit(unit) if labels is not None else None
        return money_text(value, unit, None, lang, said)
    if kind == "kwh":
        return money_text(value, "kWh", None, lang)
    if kind in DURATIONS[lang]:
        return f"{value} {DURATIONS[lang][kind]}" if lang == "en" else f"{value}{DURATIONS[lang][kind]}"
    if isinstance(value, dt.date):
        return date_text(value, lang)
    if kind == "place" and labels is not None:
        return labels.place(value)
    if kind == "enum" and labels is not None:
        return labels.enum_member(type_.name, value)
    if isinstance(value, (frozenset, set, tuple, list)):  # a set of values, or of records
        shown = [v.id or v.path if isinstance(v, Record) else value_text(v, None, lang, labels)
                 for v in value]
        return ("、" if lang == "zh" else ", ").join(shown if isinstance(value, (tuple, list))
                                                    else sorted(shown))
    return number_text(value, lang) if isinstance(value, (int, Decimal)) else str(value)


def date_text(date: dt.date | str, lang: str) -> str:
    """A date as a reader writes it： `2023-08-01` in English， `2023年8月1日` in Chinese."""
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    return f"{date.year}年{date.month}月{date.day}日" if lang == "zh" else date.isoformat()


def period_word(per: str, lang: str) -> str:
    return PERIODS[lang][per]
