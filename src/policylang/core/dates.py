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


class OutsideCalendar(ValueError):
    """A date computed before 0001-01-01 or after 9999-12-31: no engine can hold it (PL207)."""


def add_months(date: dt.date, months: int) -> dt.date:
    """Calendar month arithmetic, keeping the day where the month allows it.

    >>> add_months(dt.date(2023, 5, 31), -3)
    datetime.date(2023, 2, 28)
    >>> add_months(dt.date(9999, 12, 1), 1)
    Traceback (most recent call last):
    ...
    policylang.core.dates.OutsideCalendar: 9999-12-01 + 1 months is after 9999-12-31
    """
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OutsideCalendar(_outside(date, months, "months", year))
    day = min(date.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day)


def shift(date: dt.date, amount: int, unit: str) -> dt.date:
    """`date + amount unit` for days, months or years, as both engines count.

    >>> shift(dt.date(2024, 2, 29), 1, "years"), shift(dt.date(2023, 8, 1), -1, "days")
    (datetime.date(2025, 2, 28), datetime.date(2023, 7, 31))
    >>> shift(dt.date(1, 1, 1), -1, "days")
    Traceback (most recent call last):
    ...
    policylang.core.dates.OutsideCalendar: 0001-01-01 - 1 days is before 0001-01-01
    """
    if unit != "days":
        return add_months(date, amount * (12 if unit == "years" else 1))
    try:
        return date + dt.timedelta(days=amount)
    except OverflowError:
        raise OutsideCalendar(_outside(date, amount, "days", date.year + amount // 365)) from None


def _outside(date: dt.date, amount: int, unit: str, year: int) -> str:
    sign = "+" if amount >= 0 else "-"
    edge = "after 9999-12-31" if year > dt.MAXYEAR or amount > 0 else "before 0001-01-01"
    return f"{date.isoformat()} {sign} {abs(amount)} {unit} is {edge}"
