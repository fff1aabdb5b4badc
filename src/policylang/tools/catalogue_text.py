"""How the programs catalogue writes things: places, periods, amounts and values in words,
and text made safe for Markdown (escaped, in cells, as code, as links between pages).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from .. import ir
from ..core.typesystem import Type
from ..core.values import format_decimal

UNITS = {"money": "CNY", "kwh": "kWh"}

def page_name(program: str) -> str:
    """The file of a program's page; program ids are identifiers, so safe as file names."""
    return f"{program}.md"

# ---------------------------------------------------------------- words
def places_text(applies: ir.Applicability | None) -> str:
    return ", ".join(applies.places) if applies is not None and applies.places else "everywhere"


def period_text(applies: ir.Applicability | None) -> str:
    """`from 2022-01-01`, `until 2021-12-31`, `from … until …`, or `always`."""
    start, end = (applies.start, applies.end) if applies is not None else (None, None)
    parts = ([f"from {start.isoformat()}"] if start else []) + ([f"until {end.isoformat()}"] if end else [])
    return " ".join(parts) or "always"


def pays_text(amount: ir.Amount | None) -> str:
    """`CNY per month`, `CNY, once`, or that the program grants a status only."""
    if amount is None:
        return "no amount (status)"
    return f"{amount.unit}, once" if amount.per == "once" else f"{amount.unit} per {amount.per}"


def value_text(value: object, type_: Type, unit: str = "CNY") -> str:
    """A parameter value with its unit (`unit`: the rules' currency): `800 CNY per month`,
    `24 months`, `1.5`; a scale step by step, `bands: from 80, 50 CNY per month; …`."""
    if isinstance(value, ir.Steps):
        shown = (value_text(v, type_, unit) if value.kind == "bands" else _scalar(v)
                 for _, v in value.steps)
        steps = "; ".join(f"from {_scalar(low)}, {v}" for (low, _), v in zip(value.steps, shown))
        return f"{value.kind}: {steps}"
    if type_.is_quantity:
        per = f" per {type_.per}" if type_.per else ""
        name = unit if type_.kind == "money" else UNITS.get(type_.kind, type_.kind)
        return f"{_scalar(value)} {name}{per}"
    if type_.is_duration:
        number = _scalar(value)
        return f"{number} {type_.kind[:-1] if number == '1' else type_.kind}"
    return _scalar(value)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return "{" + ", ".join(sorted(_scalar(v) for v in value)) + "}"
    return str(value)


def date_text(date: dt.date | None) -> str:
    return date.isoformat() if date else "—"


# ---------------------------------------------------------------- IR and Markdown helpers
_SPECIAL = re.compile(r"[\\`*\[\]<>#]|(?<!\w)_|_(?!\w)")


def escaped(value: str) -> str:
    """Plain text for Markdown: characters that would start markup escaped.

    Underscores inside words (`000_b840….txt`, `dibao_edge`) are left alone:
    Python-Markdown does not read them as emphasis, and they stay readable.

    >>> print(escaped("*c* single_person _x <b>"))
    \\*c\\* single_person \\_x \\<b\\>
    """
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), value)


def cell(value: str) -> str:
    """A table cell: escaped text on one line, with `|` escaped so it cannot split the cell.

    >>> print(cell("春城热线|昆明"))
    春城热线\\|昆明
    """
    return escaped(" ".join(value.split())).replace("|", "\\|")


def code(value: str) -> str:
    """An inline code span that survives backticks in the code itself."""
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest or value.startswith(" ") or value.endswith(" ") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def link(program: str) -> str:
    return f"[{code(program)}]({page_name(program)})"


def table_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def page_text(lines: list[str]) -> str:
    """Join lines, with exactly one blank line between blocks and a final newline."""
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"
