"""Outreach (主动发现): the households a program refuses, or cannot decide yet, that are near
its threshold — within a given distance of the line a failing condition draws, or one
change of a fact a caseworker can verify away from being granted.

The population is screened by the batch engine first; only the households the program
refuses or leaves undecided are then decided again by the interpreter with its why-not
search (`interpret/whynot.py`), which says how far each failing numeric condition is from
holding and which verified change of facts would grant the decision. An undecided one is
listed with the facts it still needs.

>>> Within.parse("100").near(Decimal(50), Decimal(800)), Within.parse("5%").near(Decimal(50), Decimal(800))
(True, False)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import polars as pl

COLUMNS = {"household_id": pl.String, "subject_kind": pl.String, "subject_id": pl.String,
           "program": pl.String, "outcome": pl.String, "condition": pl.String,
           "value": pl.String, "threshold": pl.String, "gap": pl.String,
           "change": pl.String, "blocked": pl.Boolean, "verify": pl.List(pl.String)}


@attrs.frozen
class Within:
    """How near is near: an amount in the compared unit (`200`) or a share of the
    threshold (`10%`)."""

    amount: Decimal
    share: bool

    @classmethod
    def parse(cls, text: str) -> "Within":
        text = text.strip()
        share = text.endswith("%")
        try:
            amount = Decimal(text.rstrip("%").strip())
        except ArithmeticError:
            raise ValueError(f"`{text}` is not a distance: write an amount (200) or a share (10%)") \
                from None
        if amount < 0 or not amount.is_finite():
            raise ValueError(f"`{text}` is not a distance: it must be 0 or more")
        return cls(amount / 100 if share else amount, share)

    def near(self, gap: Decimal, threshold: Decimal) -> bool:
        limit = abs(threshold) * self.amount if self.share else self.amount
        return abs(gap) <= limit


def outreach(ruleset, households: pl.DataFrame, tables: dict, date: dt.date, program: str,
             within: Within) -> pl.DataFrame:
    """One row per near-miss of `program`: a subject refused within `within` of a threshold
    or one verified change of a fact away, or undecided for want of facts; nearest first."""
    from ..batch.tables import PARENT_COLUMN, household_objects, parent_column

    rows = ruleset.screen(households, tables=tables, date=date, programs=[program])
    missed = rows.filter((pl.col("program") == program)
                         & pl.col("outcome").is_in(["not_eligible", "unknown"]))
    ids = missed.get_column("household_id").unique().implode()
    key = ruleset.rules.schema.root.key
    chosen = households.filter(pl.col(key).cast(pl.String).is_in(ids))
    parent = parent_column(ruleset.rules.schema)
    children = {name: frame.rename({parent: PARENT_COLUMN}) if parent != PARENT_COLUMN else frame
                for name, frame in tables.items()}
    children = {name: frame.filter(pl.col(PARENT_COLUMN).cast(pl.String).is_in(ids))
                for name, frame in children.items()}
    found = []
    for item in household_objects(ruleset.rules.schema, chosen, children, date):
        decided = ruleset.evaluate(item, date, programs=[program])[0]
        found += [row for d in decided.decisions if d.program == program
                  for row in _near(decided.household, d, within)]
    found.sort(key=_nearest_first)
    return pl.DataFrame(found, schema=COLUMNS, orient="row")


def _nearest_first(row: tuple):
    """By the exact gap (a row without one — a one-fact change, an undecided — after), then
    household and subject."""
    gap = row[8]
    return (gap is None, abs(Decimal(gap)) if gap is not None else Decimal(0), row[0], row[2])


def _near(household_id: str, d, within: Within) -> list[tuple]:
    """The rows of one decision: its failing numeric conditions within reach (not those only
    facts the household cannot change decide, nor an empty count), else a change of one fact
    that grants it — a number changed by no more than `within`, or a yes/no or a choice; for
    an undecided one, the facts it needs."""
    base = (household_id, d.subject_kind, d.subject_id, d.program, d.outcome)
    if d.outcome == "unknown":
        return [base + (None, None, None, None, None, None, list(d.missing))]
    why_not = d.why_not
    if why_not is None:
        return []
    rows = []
    for gap in why_not.gaps:
        if gap.why_not_offered == "fixed" or (gap.threshold == 0 and gap.gap == 0):
            continue
        if within.near(gap.gap, gap.threshold):
            first = why_not.change_sets[0] if gap.offered and why_not.change_sets else None
            change = None if first is None else "; ".join(_change_text(c) for c in first.changes)
            verify = [] if first is None else [c.path for c in first.changes]
            rows.append(base + (gap.condition, str(gap.value), str(gap.threshold), str(gap.gap),
                                change, gap.why_not_offered == "not_enough", verify))
    singles = [s.changes[0] for s in why_not.change_sets if len(s.changes) == 1]
    reachable = [c for c in singles if not c.bound or within.near(
        _number(c.after) - _number(c.before), _number(c.before))]
    if not rows and reachable:
        c = reachable[0]
        rows.append(base + (None, None, None, None, _change_text(c), False, [c.path]))
    return rows


def _change_text(change) -> str:
    """`members[0].monthly_income at most 2399.99 (now 3000.00)`, or `… = true (now false)`."""
    if not change.bound:
        return f"{change.path} = {change.after} (now {change.before})"
    lower = _number(change.after) < _number(change.before)
    return f"{change.path} {'at most' if lower else 'at least'} {change.after} (now {change.before})"


def _number(value) -> Decimal:
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return Decimal(0)


HEADINGS = ("subject", "outcome", "condition", "value", "threshold", "gap", "what to verify")


def outreach_markdown(frame: pl.DataFrame, program: str, date: dt.date, top: str) -> str:
    """The list as Markdown, nearest first; `top` names the top entity (the first column)."""
    lines = [f"# Near misses of `{program}` on {date}", "",
             f"{frame.height} subjects, nearest first.", "",
             "| " + " | ".join((top,) + HEADINGS) + " |", "|---" * (len(HEADINGS) + 1) + "|"]
    for row in frame.iter_rows(named=True):
        lines.append("| " + " | ".join(_cells(row)) + " |")
    return "\n".join(lines) + "\n"


def outreach_html(frame: pl.DataFrame, program: str, date: dt.date, top: str) -> str:
    """The list as one self-contained page (no script, no network) a caseworker can print."""
    import html
    head = "".join(f"<th>{html.escape(h)}</th>" for h in (top,) + HEADINGS)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in _cells(row)) + "</tr>"
                   for row in frame.iter_rows(named=True))
    title = html.escape(f"Near misses of {program} on {date}")
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
            "<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}th{background:#f3f3f3}"
            f"</style></head><body><h1>{title}</h1><p>{frame.height} subjects, nearest first.</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>\n")


def _cells(row: dict) -> list[str]:
    if row["outcome"] == "unknown":
        verify = "still needed: " + ", ".join(row["verify"] or [])
    elif row["change"]:
        verify = row["change"]
    else:
        verify = "blocked by another condition" if row["blocked"] else ""
    return [row["household_id"], f"{row['subject_kind']} {row['subject_id']}", row["outcome"],
            row["condition"] or "", row["value"] or "", row["threshold"] or "", row["gap"] or "",
            verify]
