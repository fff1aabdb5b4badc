"""The fuzz suite's harness: the command run in-process under a watchdog, the laws every run
obeys, rule books and tables written to a scratch folder, and the examples' budget.

In-process runs are ~10× faster than processes; the watchdog (SIGALRM) stops a run over its
time budget with `OverBudget`, which derives from BaseException so that no `except
Exception` in policylang can turn a hang into an answer. POLICYLANG_DEBUG is set, so an
internal error reaches the test as the exception itself, with its traceback, rather than as
exit 3 — the law is the same, the report is better.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import NamedTuple

import polars as pl
import pytest
from hypothesis import HealthCheck, event, reject, settings

import policylang.cli.main

from mutations import BOOKS

BUDGET_SECONDS = 20  # the longest any one command may take on a fuzzed input
LONG_EXAMPLES = int(os.environ.get("POLICYLANG_FUZZ_EXAMPLES", "0")) or 300
DATE = "2023-08-01"


def quick(examples: int):
    """Settings of the default run: a fixed (derandomized) set of examples, so CI repeats."""
    return settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))


def long_run(share: float = 1.0):
    """Settings of the `fuzz_long` run: POLICYLANG_FUZZ_EXAMPLES fresh random examples (a
    `share` of them for a law whose examples are slow)."""
    return settings(max_examples=max(1, round(LONG_EXAMPLES * share)), deadline=None, database=None, print_blob=True,
                    suppress_health_check=list(HealthCheck))


FUZZ_LONG = pytest.mark.fuzz_long


# ---------------------------------------------------------------- one command, in-process
class OverBudget(BaseException):
    """A command ran past BUDGET_SECONDS (raised by the watchdog's alarm)."""


class Ran(NamedTuple):
    args: tuple
    code: int
    out: str
    err: str
    seconds: float
    crash: str | None  # the traceback of an exception that escaped the command


def _alarm(signum, frame):
    raise OverBudget(f"over {BUDGET_SECONDS} s")


def _stream(errors: str) -> io.TextIOWrapper:
    """A standard stream as a real process has it: UTF-8 over bytes (strict for stdout, so a
    lone surrogate in output fails as it would in a terminal)."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors=errors, write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8", "replace")


def policylang_cli(*args) -> Ran:
    """Run `policylang ARGS…` in-process; what it did, even if it crashed or hung."""
    argv, stdout, stderr = sys.argv, sys.stdout, sys.stderr
    previous = signal.signal(signal.SIGALRM, _alarm)
    out, err = _stream("strict"), _stream("backslashreplace")
    code, crash = 0, None
    started = time.perf_counter()
    try:
        sys.argv, sys.stdout, sys.stderr = ["policylang", *map(str, args)], out, err
        os.environ["POLICYLANG_DEBUG"] = "1"
        signal.setitimer(signal.ITIMER_REAL, BUDGET_SECONDS)
        policylang.cli.main.main()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except (Exception, OverBudget):  # noqa: BLE001 — what the law forbids, kept for the report
        code, crash = 3, traceback.format_exc(limit=-12)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        os.environ.pop("POLICYLANG_DEBUG", None)
        sys.argv, sys.stdout, sys.stderr = argv, stdout, stderr
    return Ran(tuple(map(str, args)), code, _text(out), _text(err),
               time.perf_counter() - started, crash)


def assert_sound(ran: Ran) -> Ran:
    """The law of every run: it ends within the budget with 0, 1 or 2 — never an internal
    error (exit 3), a traceback or a Python warning on stderr."""
    command = "policylang " + " ".join(a if len(a) < 80 else a[:77] + "…" for a in ran.args)
    assert ran.crash is None, f"{command}\n{ran.crash}"
    assert ran.code in (0, 1, 2), f"{command}: exit {ran.code}\n{ran.err[-2000:]}"
    assert "Traceback" not in ran.err and "internal error" not in ran.err, f"{command}\n{ran.err}"
    assert "Warning:" not in ran.err, f"{command}: a Python warning\n{ran.err[-2000:]}"
    assert ran.seconds < BUDGET_SECONDS, f"{command}: {ran.seconds:.1f} s"
    return ran


# Failures the suite found that are not fixed yet (listed on issue #18), by the traceback
# (KNOWN_OPEN) or the error row `screen` writes (KNOWN_OPEN_ROWS): an example failing only so
# is rejected (not counted). Each needs its minimal input in a strict xfail test beside; when
# the fix comes, the entry goes and the input becomes a regression example. None open now.
KNOWN_OPEN: dict[str, re.Pattern] = {}
KNOWN_OPEN_ROWS: dict[str, re.Pattern] = {}


def known_open(text: str, signatures: dict) -> bool:
    return any(pattern.search(text) for pattern in signatures.values())


def run_sound(*args) -> Ran:
    """Run a command and check the law of every run (an example failing only as a known,
    open failure is rejected)."""
    ran = policylang_cli(*args)
    if ran.crash is not None and known_open(ran.crash, KNOWN_OPEN):
        reject()
    return assert_sound(ran)


# ---------------------------------------------------------------- scratch folders
@contextlib.contextmanager
def scratch():
    """A fresh folder for one example (hypothesis runs many examples per test)."""
    with tempfile.TemporaryDirectory(prefix="policylang-fuzz-") as folder:
        yield Path(folder)


def write_rule_book(where: Path, book: str, texts: dict[str, str]) -> Path:
    """The rule book `book` with its files replaced by `texts`, and the facts its examples
    read (the bundled rules read `../examples/*.json`, the family book its own folder)."""
    source = BOOKS[book][0]
    rules = where / "rules"
    rules.mkdir()
    for name, text in texts.items():
        (rules / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    if book == "bundled":
        shutil.copytree(source.parent / "examples", where / "examples")
    else:
        for path in source.glob("*.json"):
            shutil.copy(path, rules / path.name)
    return rules


def write_tables(where: Path, book: str, households: list[dict]) -> list[str] | None:
    """Households as the CSV tables `screen` reads, typed by the unmutated rule book's
    schema; the command-line arguments naming them. None when the test's own conversion
    cannot write them (a text CSV cannot hold a lone surrogate): not a finding."""
    from policylang.batch.tables import tables_from_objects
    schema = policylang.load(BOOKS[book][0]).rules.schema
    try:
        tables = tables_from_objects(schema, households)
        path = where / "households.csv"
        tables.households.collect().write_csv(path)
        args = ["--households", path]
        for name, frame in tables.lists.items():
            list_path = where / f"{name}.csv"
            frame.collect().write_csv(list_path)
            args += ["--table", f"{name}={list_path}"]
    except (pl.exceptions.PolarsError, UnicodeError, TypeError, ValueError):
        return None
    return args


SUMMARY = re.compile(r"households in: (\d+).*?households out: (\d+)", re.S)


def households_in_out(ran: Ran) -> tuple[int, int] | None:
    """The counts a finished `screen` prints."""
    found = SUMMARY.search(ran.err)
    return None if found is None else (int(found[1]), int(found[2]))


def screening_rows(path: Path) -> pl.DataFrame | None:
    """The rows `screen` wrote, as text, in a fixed order; None when it wrote none. No error
    row may be an internal error ("a bug in policylang"): that is exit 3 for one household."""
    if not path.exists():
        return None
    rows = pl.read_csv(path, infer_schema=False)
    bugs = [e for e in rows.get_column("error").drop_nulls() if "bug in policylang" in e]
    if bugs and all(known_open(e, KNOWN_OPEN_ROWS) for e in bugs):
        reject()
    assert not bugs, f"{path.name}: an internal error as an error row: {bugs[0]}"
    return rows.sort(rows.columns, nulls_last=True)


def fuzz(examples: int, long_share: float = 1.0, regressions: tuple[dict, ...] = (), **strategies):
    """Two tests of one law from one function: the default run (`examples`, fixed) and the
    `fuzz_long` run (POLICYLANG_FUZZ_EXAMPLES × `long_share` fresh ones, deselected by
    default). `regressions`: failures found and fixed, run first by both."""
    from hypothesis import example, given

    def tests(law):
        for found in regressions:
            law = example(**found)(law)
        return (quick(examples)(given(**strategies)(law)),
                FUZZ_LONG(long_run(long_share)(given(**strategies)(law))))
    return tests


def json_or_nothing(ran: Ran) -> object:
    """The JSON a command printed (its standard output must parse), or None if it printed none."""
    import json
    if not ran.out.strip():
        return None
    try:
        return json.loads(ran.out)
    except ValueError as error:
        raise AssertionError(f"policylang {' '.join(ran.args)[:300]}: not JSON ({error})\n"
                             f"{ran.out[:500]}") from None


def eval_and_explain_sound(rules, facts, date: str = DATE) -> None:
    """`eval` (text and JSON) and `explain` (every format, both languages) on one rule book
    and facts file are sound, and what they print as JSON parses."""
    event(f"eval: exit {run_sound('eval', rules, facts, '--date', date).code}")
    json_or_nothing(run_sound("eval", rules, facts, "--date", date, "--format", "json"))
    for lang in ("en", "zh"):
        for form in ("text", "md", "html", "json"):
            ran = run_sound("explain", rules, facts, "--date", date, "--format", form, "--lang", lang)
            if form == "json":
                json_or_nothing(ran)
