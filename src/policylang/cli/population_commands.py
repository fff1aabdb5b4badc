"""Commands about a screened population: `stats`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .exits import echo_all
from .options import EXISTING


def population_summary(rows_path: Path, households: Path | None, fmt: str = "text") -> str:
    """The statistics of a screening table as `fmt` (text, md or json)."""
    import polars as pl

    from ..batch.table_files import TableError, read_table
    from ..tools.stats import population_stats, stats_markdown, stats_text

    try:
        rows = read_table(rows_path).collect()
        homes = read_table(households).select("id", "jurisdiction").collect() \
            if households is not None else None
    except (TableError, pl.exceptions.PolarsError) as error:
        raise click.UsageError(str(error)) from None
    missing = {"household_id", "program", "outcome", "reason", "error"} - set(rows.columns)
    if missing:
        raise click.UsageError(f"{rows_path} is not a screening table: it has no "
                               f"{', '.join(sorted(missing))} column")
    stats = population_stats(rows, homes)
    if fmt == "json":
        return json.dumps(stats, ensure_ascii=False, indent=2) + "\n"
    return stats_markdown(stats) if fmt == "md" else stats_text(stats)


@click.command("stats")
@click.argument("rows", type=EXISTING)
@click.option("--households", type=EXISTING, default=None,
              help="the households table the rows were screened from, for each household's place")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="write to FILE")
def stats_command(rows, households, fmt, output):
    """Statistics of a screening table: outcomes by program and place, the clauses that
    refused, what is undecided, and what the grants cost per period."""
    rendered = population_summary(rows, households, fmt)
    if output:
        output.write_text(rendered, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        echo_all(rendered, nl=False)
