"""Option types the commands share: a date written YYYY-MM-DD, a path that exists."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click


class DateType(click.ParamType):
    """`YYYY-MM-DD`, a date on the calendar; anything else is a usage error that says so.

    >>> DATE.convert("2023-08-01", None, None)
    datetime.date(2023, 8, 1)
    """

    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            self.fail(f"`{value}` is not a date; write it as YYYY-MM-DD", param, ctx)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"`{value}` is not a date on the calendar (YYYY-MM-DD)", param, ctx)


DATE = DateType()
EXISTING = click.Path(exists=True, path_type=Path)


class ListTable(click.ParamType):
    """`--table LIST=PATH`: the table of one list of the rules' top entity."""

    name = "LIST=PATH"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        name, sep, path = value.partition("=")
        if not sep or not name.strip() or not path:
            self.fail(f"`{value}` is not LIST=PATH (e.g. persons=persons.csv)", param, ctx)
        if not Path(path).exists():
            self.fail(f"{path}: no such file", param, ctx)
        return name.strip(), Path(path)


REFORMS = click.option(
    "--reform", "reforms", multiple=True, type=click.Path(exists=True, path_type=Path),
    help="a reform: policy files that change the rules (repeat for more, applied in order)")
