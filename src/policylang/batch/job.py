"""`policylang screen`: table files in, a decisions table out, counts and figures printed.

Chunks are written as they come (a Parquet row group each, or CSV lines appended),
so memory stays bounded by one chunk. The counts
printed at the end let an operator see at once that no household was lost.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import resource
import sys
import time
from pathlib import Path

import click
import polars as pl
from pyarrow import parquet

from .capabilities import refuse_what_batch_cannot_screen
from .frames import HOUSEHOLD_KEY
from .screen import CHUNK_HOUSEHOLDS, Summary, chunk_count, screen
from .table_files import TableError, read_table
from .tables import (Tables, ignored_columns, list_tables, parent_column, relations,
                     require_links)


def run_screen(ruleset, households: Path, lists: dict[str, Path], date: dt.date,
               programs: tuple[str, ...] | None, engine: str, chunk: int | None,
               output: Path) -> Summary:
    """Screen the tables into `output`; print progress and the summary to stderr.

    `lists` maps lists of the top entity (`members`) to their tables' paths."""
    if output.suffix.lower() not in (".parquet", ".csv"):
        raise ValueError(f"{output}: the output must be a .parquet or .csv file")
    chosen = ruleset._programs(programs)
    if engine == "batch":  # PL070, before any table is read: a PolicyError, exit 1
        refuse_what_batch_cannot_screen(ruleset.rules, date, chosen)
    tables = _read(ruleset, households, lists)
    for table, columns in ignored_columns(ruleset.rules.schema, tables).items():
        click.echo(f"note: {table}: columns not in the rules' schema are ignored: "
                   f"{', '.join(columns)}", err=True)
    started = time.perf_counter()
    summary = Summary()
    try:
        size = chunk or CHUNK_HOUSEHOLDS
        _write(screen(ruleset, tables, date, chosen, engine, size), chunk_count(tables, size),
               output, summary)
    except pl.exceptions.PolarsError as error:  # an unreadable file, a column of another type
        raise ValueError(f"cannot process the tables: {str(error).splitlines()[0]}") from None
    _print_summary(summary, output, time.perf_counter() - started, engine, tables,
                   ruleset.rules.schema.root.name)
    return summary


def _read(ruleset, households: Path, lists: dict[str, Path]) -> Tables:
    """The tables, refused at once for a list the rules do not have, a missing table of a
    list programs decide for, or a table that lacks the column that links its rows."""
    schema = ruleset.rules.schema
    how = "give each list's table with --table LIST=PATH (" + ", ".join(
        f"--table {name}=PATH" for name in relations(schema)) + ")"
    try:
        paths = list_tables(ruleset.rules, lists, how)
        sources = {"households": str(households),
                   **{name: str(path) for name, path in paths.items() if path is not None}}
        tables = Tables(read_table(households),
                        {name: None if path is None else read_table(path)
                         for name, path in paths.items()}, parent_column(schema), sources)
        _require(tables.households, schema.root.key, households)
        require_links(tables, {name: str(path) for name, path in paths.items()})
        return tables
    except TableError as error:
        raise ValueError(str(error)) from None


def _require(frame: pl.LazyFrame, column: str, path: Path) -> None:
    names = frame.collect_schema().names()
    if column not in names:
        raise TableError(f"{path}: no `{column}` column (it has: {', '.join(names) or 'none'})")


def _write(chunks, count: int, output: Path, summary: Summary) -> None:
    """Write each chunk as it comes (a Parquet row group, or CSV lines); a progress bar on
    a terminal. Only one chunk is in memory at a time."""
    output.parent.mkdir(parents=True, exist_ok=True)
    writer = None
    bar = click.progressbar(chunks, length=count, label="screening", file=sys.stderr) \
        if sys.stderr.isatty() else contextlib.nullcontext(chunks)
    try:
        with bar as items:
            for number, chunk in enumerate(items):
                summary.add(chunk)
                rows = chunk.rows.drop(HOUSEHOLD_KEY)
                if output.suffix.lower() == ".csv":
                    _append_csv(rows, output, first=number == 0)
                    continue
                table = rows.to_arrow()
                writer = writer or parquet.ParquetWriter(output, table.schema)
                writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()


def _append_csv(rows: pl.DataFrame, output: Path, first: bool) -> None:
    with output.open("w" if first else "a", encoding="utf-8", newline="") as handle:
        rows.write_csv(handle, include_header=first)


def _print_summary(summary: Summary, output: Path, seconds: float, engine: str,
                   tables: Tables, root: str) -> None:
    """The counts: `persons in` counts the rows of the lists programs decide for
    (`tables.subject_lists`: the members table for the bundled rules)."""
    outcomes = ", ".join(f"{name} {count}" for name, count in sorted(summary.outcomes.items()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    lines = [
        f"households in: {summary.households_in}, persons in: {summary.persons_in}",
        f"households out: {summary.households_out}"
        + ("" if summary.households_out == summary.households_in else "  ← NOT EQUAL: a bug"),
        f"  decided by the interpreter (bad data or an evaluation error): {summary.by_interpreter}"
        if engine == "batch" else "  decided by the interpreter: all (--engine interpreter)",
        f"  with an error row: {summary.error_households}",
        f"rows out: {summary.rows_out} ({outcomes}) → {output}",
        f"time: {seconds:.1f} s, {summary.persons_in / max(seconds, 1e-9):,.0f} persons/s, "
        f"peak memory: {peak:,.0f} MB",
    ]
    if summary.orphans:
        given = ", ".join(name for name, frame in tables.lists.items() if frame is not None)
        lines.insert(1, f"rows of the list tables ({given}) naming no {root}: {summary.orphans} "
                     "(not decided)")
    click.echo("\n".join(lines), err=True)
