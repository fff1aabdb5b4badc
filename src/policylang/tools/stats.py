"""Population statistics of a screening table (`policylang screen`'s rows): per program,
kind of subject (a household's decision and its members' are counted apart) and place, how many subjects and households get each outcome, the clauses that refused them or
left them undecided (most first), and what the grants cost — per unit and period as the
rules state them, with a monthly equivalent for months, quarters and years (a quarter is a
third of it, a year a twelfth; one-off amounts have none; yuan and kWh are never added).

The place of a row is the household's place: the column `place_column` (the rules' place
fact, `jurisdiction` in the bundled rules) of the rows when they have it, else of the
households table given; without either, the whole population is one place.

>>> import polars as pl
>>> from decimal import Decimal
>>> rows = pl.DataFrame({"household_id": ["h1", "h1", "h2"], "subject_kind": ["household"] * 3,
...     "subject_id": ["h1", "h1", "h2"], "program": ["dibao", "tekun", "dibao"],
...     "outcome": ["eligible", "not_eligible", "not_eligible"],
...     "amount_value": [Decimal("600.00"), None, None], "amount_unit": ["CNY", None, None],
...     "amount_per": ["month", None, None], "reason": ["eligible", "not met: minor",
...     "not met: income_test"], "error": [None, None, None]})
>>> found = population_stats(rows)  # no places: one group per program and subject kind
>>> [(g["program"], g["outcomes"], g["amounts"][0]["total"]) for g in found["groups"] if g["amounts"]]
[('dibao', {'eligible': 1, 'not_eligible': 1}, '600.00')]
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl

MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}
TOP_REASONS = 10
ALL_PLACES = "(all)"


def population_stats(rows: pl.DataFrame, households: pl.DataFrame | None = None,
                     place_column: str | None = None) -> dict:
    """The statistics of screening `rows` (one row per subject and program, or an error row
    per household), by program and place."""
    rows = _with_place(rows, households, place_column)
    errors = rows.filter(pl.col("error").is_not_null())
    decided = rows.filter(pl.col("error").is_null())
    groups = []
    keys = ["program", "subject_kind", "place"]
    for (program, kind, place), group in sorted(decided.group_by(keys),
                                                key=lambda item: tuple(map(str, item[0]))):
        groups.append(_group(str(program), str(kind), str(place), group))
    return {"schema": "policylang.stats/1", "rows": rows.height,
            "households": rows["household_id"].n_unique(),
            "households_with_errors": errors["household_id"].n_unique(),
            "groups": groups}


def _with_place(rows: pl.DataFrame, households: pl.DataFrame | None,
                place_column: str | None) -> pl.DataFrame:
    if place_column and place_column in rows.columns:
        return rows.with_columns(pl.col(place_column).cast(pl.String).fill_null("?").alias("place"))
    if households is not None and place_column:
        places = households.select(pl.col("id").cast(pl.String).alias("household_id"),
                                   pl.col(place_column).cast(pl.String).alias("place"))
        joined = rows.join(places, on="household_id", how="left")
        return joined.with_columns(pl.col("place").fill_null("?"))
    return rows.with_columns(pl.lit(ALL_PLACES).alias("place"))


def _group(program: str, kind: str, place: str, group: pl.DataFrame) -> dict:
    outcomes = {str(k): v for k, v in group.group_by("outcome").len().iter_rows()}
    households = {str(k): v for k, v in
                  group.group_by("outcome").agg(pl.col("household_id").n_unique()).iter_rows()}
    return {"program": program, "subject_kind": kind, "place": place,
            "outcomes": dict(sorted(outcomes.items())),
            "households_by_outcome": dict(sorted(households.items())),
            "refused_by": _reasons(group, "not_eligible"),
            "undecided_by": _reasons(group, "unknown"),
            "amounts": _amounts(group)}


def _reasons(group: pl.DataFrame, outcome: str) -> list[dict]:
    counted = (group.filter(pl.col("outcome") == outcome).group_by("reason").len()
               .sort(["len", "reason"], descending=[True, False]))
    return [{"reason": str(reason), "count": count}
            for reason, count in counted.head(TOP_REASONS).iter_rows()]


def _amounts(group: pl.DataFrame) -> list[dict]:
    paid = group.filter((pl.col("outcome") == "eligible") & pl.col("amount_value").is_not_null())
    found = []
    for (unit, per), part in sorted(paid.group_by(["amount_unit", "amount_per"]),
                                    key=lambda item: (str(item[0][0]), str(item[0][1]))):
        total = sum((Decimal(str(v)) for v in part["amount_value"].to_list()), Decimal(0))
        months = MONTHS_IN.get(str(per))
        monthly = None if months is None else \
            (total / months).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        found.append({"unit": str(unit), "per": str(per), "count": part.height,
                      "total": f"{total:.2f}",
                      "monthly_equivalent": None if monthly is None else f"{monthly:.2f}"})
    return found


def stats_text(stats: dict) -> str:
    """The statistics as text, a block per program and place."""
    lines = [f"{stats['rows']:,} rows, {stats['households']:,} households"
             f" ({stats['households_with_errors']:,} with errors)"]
    for g in stats["groups"]:
        outcomes = ", ".join(f"{k} {v:,}" for k, v in g["outcomes"].items())
        lines += ["", f"{g['program']} ({g['subject_kind']}) — {g['place']}: {outcomes}"]
        for title, key in (("refused by", "refused_by"), ("undecided at", "undecided_by")):
            if g[key]:
                lines.append(f"  {title}: " + "; ".join(
                    f"{r['reason']} {r['count']:,}" for r in g[key]))
        for a in g["amounts"]:
            monthly = f" (monthly equivalent {a['monthly_equivalent']} {a['unit']})" \
                if a["monthly_equivalent"] and a["per"] != "month" else ""
            lines.append(f"  paid: {a['count']:,} × per {a['per']}, total {a['total']} "
                         f"{a['unit']}{monthly}")
    return "\n".join(lines) + "\n"


def stats_markdown(stats: dict) -> str:
    lines = ["# Screening statistics", "",
             f"{stats['rows']:,} rows, {stats['households']:,} households "
             f"({stats['households_with_errors']:,} with errors)", "",
             "| program | subject | place | outcomes | refused by (most) | paid per period "
             "| monthly equivalent |", "|---|---|---|---|---|---|---|"]
    for g in stats["groups"]:
        outcomes = ", ".join(f"{k} {v:,}" for k, v in g["outcomes"].items())
        refused = "; ".join(f"{r['reason']} {r['count']:,}" for r in g["refused_by"][:3])
        paid = "; ".join(f"{a['total']} {a['unit']}/{a['per']}" for a in g["amounts"])
        monthly = "; ".join(f"{a['monthly_equivalent']} {a['unit']}" for a in g["amounts"]
                            if a["monthly_equivalent"])
        lines.append(f"| {g['program']} | {g['subject_kind']} | {g['place']} | {outcomes} "
                     f"| {refused} | {paid} | {monthly} |")
    return "\n".join(lines) + "\n"
