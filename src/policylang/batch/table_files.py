"""Table files as `screen` reads them: a Parquet or CSV file of the user's, refused with a
`TableError` naming it — before it is opened when it is not a regular file, at once when
its columns cannot be read, and when a chunk is read for a row that cannot be — never an
internal error. `tables.py` types and checks what is read.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from polars.exceptions import PanicException


class TableError(ValueError):
    """A table that cannot be used at all (unreadable, no id column); the message says why."""


# What Polars raises on a file it cannot read: its own errors, the OS's, and a panic of its
# Rust code on bytes it did not expect (a BaseException, so named here).
UNREADABLE = (pl.exceptions.PolarsError, OSError, PanicException)
KINDS = {".parquet": "Parquet", ".csv": "CSV"}


def read_table(path: str | Path) -> pl.LazyFrame:
    """A Parquet or CSV table; CSV cells are read as text and typed by the rules' schema.

    Only a regular file is read (a directory, a pipe or a device is refused before it is
    opened), its path as written (no glob), and its columns are read at once, so that an
    empty, truncated or garbled file is a `TableError` naming it here, not later. A bad row
    further on is found when the chunk is read (`collected`).

    >>> read_table("rules")
    Traceback (most recent call last):
    ...
    policylang.batch.table_files.TableError: rules: not a regular file (a directory, a pipe or a device cannot be a table)
    """
    path = Path(path)
    if not path.exists():
        raise TableError(f"{path}: no such file")
    if not path.is_file():
        raise TableError(f"{path}: not a regular file (a directory, a pipe or a device "
                         "cannot be a table)")
    suffix = path.suffix.lower()
    if suffix not in KINDS:
        raise TableError(f"{path}: expected a .parquet or .csv file")
    try:
        frame = (pl.scan_parquet(path, glob=False) if suffix == ".parquet"
                 else pl.scan_csv(path, infer_schema=False, glob=False))
        frame.collect_schema()
    except UNREADABLE as error:
        raise TableError(f"{path}: cannot be read as a {KINDS[suffix]} table "
                         f"({first_line(error)})") from None
    return frame


def collected(frame: pl.LazyFrame, source: str) -> pl.DataFrame:
    """A table read into memory; a row Polars cannot read (a ragged CSV line, a Parquet
    page that is not) is a `TableError` naming `source`, the table's path."""
    try:
        return frame.collect()
    except UNREADABLE as error:
        raise TableError(f"{source}: cannot be read ({first_line(error)})") from None


def first_line(error: BaseException) -> str:
    """The first line of an error's message (Polars adds a plan and hints below it).

    >>> first_line(ValueError("bad row\\n\\nHint: …"))
    'bad row'
    """
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
