"""Commands about populations: `stats` of a screening table, `outreach` to the households
near a threshold, `verify` of the rules' invariants over generated households."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import attrs
import click

from ..api import load
from .exits import echo_all
from .options import DATE, EXISTING, ListTable


def population_summary(rows_path: Path, households: Path | None, fmt: str = "text",
                       place_column: str | None = None) -> str:
    """The statistics of a screening table as `fmt` (text, md or json); households are
    placed by `place_column` of the households table (the rules' place fact)."""
    import polars as pl

    from ..batch.table_files import TableError, read_table
    from ..tools.stats import population_stats, stats_markdown, stats_text

    try:
        rows = read_table(rows_path).collect()
        homes = read_table(households).collect() if households is not None else None
    except (TableError, pl.exceptions.PolarsError) as error:
        raise click.UsageError(str(error)) from None
    missing = {"household_id", "program", "outcome", "reason", "error"} - set(rows.columns)
    if missing:
        raise click.UsageError(f"{rows_path} is not a screening table: it has no "
                               f"{', '.join(sorted(missing))} column")
    if homes is not None and place_column and place_column not in homes.columns:
        raise click.UsageError(f"{households} has no column `{place_column}`")
    stats = population_stats(rows, homes, place_column)
    if fmt == "json":
        return json.dumps(stats, ensure_ascii=False, indent=2) + "\n"
    return stats_markdown(stats) if fmt == "md" else stats_text(stats)


@click.command("stats")
@click.argument("rows", type=EXISTING)
@click.option("--households", type=EXISTING, default=None,
              help="the households table the rows were screened from, for each household's place")
@click.option("--place-column", default=None,
              help="the households' column that says where each is (the rules' place fact, "
              "e.g. jurisdiction); without it, one place for all")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="write to FILE")
def stats_command(rows, households, place_column, fmt, output):
    """Statistics of a screening table: outcomes by program and place, the clauses that
    refused, what is undecided, and what the grants cost per period."""
    rendered = population_summary(rows, households, fmt, place_column)
    if output:
        output.write_text(rendered, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        echo_all(rendered, nl=False)


@click.command("verify")
@click.argument("rules", type=EXISTING)
@click.option("--date", "date", type=DATE, required=True, help="the date the households are decided on")
@click.option("--examples", type=click.IntRange(1), default=300, show_default=True,
              help="households to try per invariant")
@click.option("--against", type=EXISTING, default=None,
              help="another version of the rules: search a household they decide --program differently for")
@click.option("--program", default=None, help="with --against: the program to compare")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def verify_command(rules, date, examples, against, program, fmt):
    """Search generated households for one that breaks an invariant of the rules (or, with
    --against, that two versions decide differently); exit 1 when one is found."""
    try:
        from ..tools.verify import equivalent, verdict_text, verify
    except ImportError:
        click.echo("policylang verify needs hypothesis: pip install 'policylang[verify]'", err=True)
        sys.exit(2)
    ruleset = load(rules)
    if against is not None:
        if program not in ruleset.rules.programs:
            raise click.BadParameter(f"name the program to compare (one of {', '.join(ruleset.programs)})",
                                     param_hint="--program")
        verdicts = [equivalent(ruleset, load(against), program, date, examples)]
    else:
        verdicts = verify(ruleset, date, examples)
        if not verdicts:
            click.echo(f"{rules} declares no invariant", err=True)
    if fmt == "json":
        echo_all(json.dumps({"schema": "policylang.verify/1", "date": date.isoformat(),
                             "verdicts": [attrs.asdict(v) for v in verdicts]},
                            ensure_ascii=False, indent=2) + "\n", nl=False)
    else:
        echo_all("".join(verdict_text(v, date) + "\n" for v in verdicts), nl=False)
    sys.exit(1 if any(v.refuted for v in verdicts) else 0)


@click.command("outreach")
@click.argument("rules", type=EXISTING)
@click.option("--households", type=EXISTING, required=True, help="the top entity's table")
@click.option("--table", "lists", type=ListTable(), multiple=True,
              help="a list's table, NAME=PATH (members=members.parquet); repeat for more")
@click.option("--date", "date", type=DATE, required=True, help="evaluation date, YYYY-MM-DD")
@click.option("--program", required=True, help="the program whose near misses to list")
@click.option("--within", default="10%", show_default=True,
              help="how near: an amount in the compared unit (200) or a share of the threshold (10%)")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="the list to write: .parquet, .csv, .md or .html")
def outreach_command(rules, households, lists, date, program, within, output):
    """List the households a program refuses or cannot decide that are near its threshold,
    with the condition, the distance and the fact to verify (主动发现)."""
    from ..batch.table_files import TableError, read_table
    from ..tools.outreach import Within, outreach, outreach_html, outreach_markdown

    ruleset = load(rules)
    if program not in ruleset.rules.programs:
        raise click.BadParameter(f"no program `{program}`", param_hint="--program")
    try:
        distance = Within.parse(within)
        homes = read_table(households).collect()
        tables = {name: read_table(path).collect() for name, path in lists}
        found = outreach(ruleset, homes, tables, date, program, distance)
    except (ValueError, TableError) as error:
        raise click.UsageError(str(error)) from None
    suffix = output.suffix.lower()
    if suffix == ".parquet":
        found.write_parquet(output)
    elif suffix == ".csv":
        found.with_columns(found["verify"].list.join("; ")).write_csv(output)
    elif suffix in (".md", ".html"):
        render = outreach_markdown if suffix == ".md" else outreach_html
        output.write_text(render(found, program, date, ruleset.rules.schema.root.name),
                          encoding="utf-8")
    else:
        raise click.BadParameter("write .parquet, .csv, .md or .html", param_hint="-o")
    click.echo(f"{found.height} near misses of {program} → {output}", err=True)
