"""A few fuzzed inputs through real processes (issue #18): what in-process runs cannot show —
the exit status the shell sees, a run killed at its time budget, a Python warning printed
by the interpreter at exit, output the real standard streams cannot encode.
"""

from __future__ import annotations

import os
import subprocess
import sys

from hypothesis import strategies as st

from fuzzing import BUDGET_SECONDS, DATE, fuzz, scratch, write_rule_book, write_tables
from mutations import BOOKS, facts_text, mutated_rules


def run_process(*args) -> subprocess.CompletedProcess:
    """`python -m policylang.cli ARGS…` in a process of its own, killed past the budget."""
    try:
        return subprocess.run([sys.executable, "-m", "policylang.cli", *map(str, args)],
                              capture_output=True, text=True, errors="replace",
                              timeout=BUDGET_SECONDS, env={**os.environ, "PYTHONWARNINGS": "default"})
    except subprocess.TimeoutExpired:
        raise AssertionError(f"policylang {' '.join(map(str, args))[:300]}: over {BUDGET_SECONDS} s") from None


def assert_process_sound(done: subprocess.CompletedProcess) -> None:
    """Exit 0, 1 or 2, and nothing on stderr that quotes Python."""
    command = " ".join(map(str, done.args[3:]))[:300]
    assert done.returncode in (0, 1, 2), f"{command}: exit {done.returncode}\n{done.stderr[-2000:]}"
    for quoted in ("Traceback", "internal error", "Warning:"):
        assert quoted not in done.stderr, f"{command}\n{done.stderr[-2000:]}"


CASES = st.sampled_from(sorted(BOOKS)).flatmap(lambda book: st.tuples(
    st.just(book), mutated_rules(BOOKS[book][1]), facts_text(BOOKS[book][2])))


def law_a_real_process_is_sound(case):
    """`eval --format json` and `screen` on fuzzed rules and facts end soundly in a process."""
    book, texts, text = case
    with scratch() as where:
        rules = write_rule_book(where, book, texts)
        facts = where / "facts.json"
        facts.write_text(text, encoding="utf-8")
        assert_process_sound(run_process("eval", rules, facts, "--date", DATE, "--format", "json"))
        tables = write_tables(where, book, BOOKS[book][2])
        assert_process_sound(run_process("screen", rules, *tables, "--date", DATE,
                                         "-o", where / "out.csv"))


test_a_real_process_is_sound, test_a_real_process_is_sound_long = fuzz(3, long_share=0.1, case=CASES)(
    law_a_real_process_is_sound)
