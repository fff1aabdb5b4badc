"""How the `policylang` command ends: the exit status for every way a command can end, and
output written so that a closed pipe is never lost.

Statuses (docs/cli.md): 0 ok, 1 errors in the rules or the facts, 2 a usage error, 3 a bug,
130 Ctrl-C, 141 the reader of the output went away (`policylang eval … | head -1`: quietly,
as the shell reports for `git` or `grep` killed by SIGPIPE, 128 + 13).
"""

from __future__ import annotations

import os
import sys
from typing import Callable

import click

from ..core.diagnostics import PolicyError

CLOSED_PIPE = 141  # 128 + SIGPIPE: what the shell reports for `git log | head -1`
INTERRUPTED = 130  # 128 + SIGINT: Ctrl-C
INTERNAL_ERROR = 3


def run_guarded(invoke: Callable[[], None], report: Callable[[PolicyError], None]) -> int:
    """Run a command; its exit status. A closed pipe and Ctrl-C are caught around everything
    else, the error report and the last flush of standard output included."""
    try:
        status = exit_status(invoke, report)
        sys.stdout.flush()  # output still buffered meets a closed pipe here, not at exit
    except BrokenPipeError:
        status = closed_pipe()
    except KeyboardInterrupt:
        status = INTERRUPTED
    return status


def exit_status(invoke: Callable[[], None], report: Callable[[PolicyError], None]) -> int:
    """The exit status for what the command did or what went wrong; no traceback."""
    try:
        invoke()
        return 0
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 0 if done.code is None else 1
    except PolicyError as error:
        report(error)
        return 1
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        error.show()
        return 2
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return INTERRUPTED
    except (KeyboardInterrupt, BrokenPipeError):
        raise
    except Exception as error:  # noqa: BLE001 — the last line of defence, by design
        if os.environ.get("POLICYLANG_DEBUG"):
            raise
        click.echo(f"policylang: internal error ({type(error).__name__}: {error}). This is a bug "
                   "in policylang, not in your rules; please report it with the command you ran "
                   "and the output of `policylang --version` (POLICYLANG_DEBUG=1 shows details).",
                   err=True)
        return INTERNAL_ERROR


def closed_pipe() -> int:
    """Point standard output at the null device, so that nothing more is written to the
    closed pipe (Python would complain at exit), and give the closed-pipe status."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture it)
        pass
    return CLOSED_PIPE


def echo_all(text: str, nl: bool = True) -> None:
    """Write `text` to standard output: all of it, or `BrokenPipeError`.

    One large write to a pipe whose reader has gone (`| head -1`) can come back short, and
    Python's text layer then drops the rest silently: the command would exit 0 having written
    64 KiB. Writing the bytes in a loop that checks each count makes the closed pipe show.
    """
    stream = sys.stdout
    binary = getattr(stream, "buffer", None)
    if binary is None:  # not a real file: nothing to lose
        click.echo(text, nl=nl)
        return
    stream.flush()
    data = memoryview((text + "\n" * nl).encode(stream.encoding or "utf-8",
                                               stream.errors or "strict"))
    while data:
        data = data[binary.write(data[:1 << 16]):]
    binary.flush()
