"""Dates as the rules count them: age in full years (周岁) and calendar months. Both
engines count with these; the batch engine's columns count the same way."""

from __future__ import annotations

import calendar
import datetime as dt


def full_years(born: dt.date, on: dt.date) -> int:
    """Age in full years (周岁) on a date.

    >>> full_years(dt.date(2005, 6, 1), dt.date(2023, 5, 31)), full_years(dt.date(2005, 6, 1), dt.date(2023, 6, 1))
    (17, 18)
    """
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def add_months(date: dt.date, months: int) -> dt.date:
    """Calendar month arithmetic, keeping the day where the month allows it.

    >>> add_months(dt.date(2023, 5, 31), -3)
    datetime.date(2023, 2, 28)
    """
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    day = min(date.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)
