"""A fact's monthly history, said once: what a fact declared `history` holds, which month a
reference reads, and which months a window over "the last N months" covers.

A history fact is given in the facts either as one value, the value of the month being
decided, or as its values by month (`{"2023-07": "1200", "2023-06": "1100"}`). A plain
reference (`salary`) reads the month of the evaluation date; `sum of salary over the last 12
months` reads the 12 whole calendar months before it (decided on 2023-08-15: 2022-08 …
2023-07), as 申请前12个月 counts them. A month the facts do not give takes the fact's default
when it has one (listed as assumed), and is unknown otherwise, named by its path
(`persons[0].salary["2023-03"]`). The interpreter reads months through `read_month`; the batch
engine reads the table columns `month_column` names; the checker builds a window's
expression over `months_back`.

>>> import datetime as dt
>>> history = MonthlyValues({"2023-07": 1200, "2023-08": 1300})
>>> read_month(history, 0, dt.date(2023, 8, 15), None, "salary")
(1300, None)
>>> read_month(history, 2, dt.date(2023, 8, 15), 0, "salary")
(0, 'salary["2023-06"]')
>>> window_months(dt.date(2023, 8, 15), 3)
('2023-07', '2023-06', '2023-05')
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs

from ..core.dates import add_months
from ..core.values import Unknown

MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")  # a month as the facts write it: YYYY-MM
MAX_WINDOW_MONTHS = 120  # the longest window a rule may read: ten years of months
WINDOW_FUNCTIONS = ("sum", "average", "min", "max")


@attrs.frozen(hash=False)
class MonthlyValues:
    """A history fact's values by month ("2023-07" → value), as the facts gave them."""

    months: dict

    def __repr__(self) -> str:
        return f"MonthlyValues({self.months!r})"


def month_of(date: dt.date) -> str:
    """The month a date falls in, as the facts write it.

    >>> month_of(dt.date(2023, 1, 31))
    '2023-01'
    """
    return f"{date.year:04d}-{date.month:02d}"


def month_before(date: dt.date, back: int) -> str:
    """The month `back` whole months before the month of `date` (0: its own month).

    >>> month_before(dt.date(2023, 3, 31), 3)
    '2022-12'
    """
    return month_of(add_months(date.replace(day=1), -back))


def window_months(date: dt.date, count: int) -> tuple[str, ...]:
    """The months "the last `count` months" covers on `date`, the latest first."""
    return tuple(month_before(date, back) for back in range(1, count + 1))


def month_path(path: str, month: str) -> str:
    """Where one month of a history fact is in the facts.

    >>> month_path("persons[0].salary", "2023-03")
    'persons[0].salary["2023-03"]'
    """
    return f'{path}["{month}"]'


def read_month(value: Any, back: int, date: dt.date, default: Any, path: str) -> tuple[Any, str | None]:
    """The value a history fact holds `back` months before the month of `date`, and the path
    of that month when the facts do not give it and the default was taken (None otherwise).

    `value` is what the facts hold: `MonthlyValues`, one value (the month of `date`), or an
    Unknown when the fact is absent. A month not given is the default, or unknown.
    """
    if isinstance(value, Unknown):
        return value, None
    if isinstance(value, MonthlyValues):
        month = month_before(date, back)
        if month in value.months:
            return value.months[month], None
    elif back == 0:
        return value, None
    month = month_before(date, back)
    if default is None:
        return Unknown(frozenset({month_path(path, month)})), None
    return default, month_path(path, month)
