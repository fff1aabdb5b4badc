"""Fuzzed rule books and populations through `screen`, both engines (issue #18).

Households are written as the CSV tables `screen` reads (typed by the unmutated rule book's
schema). Laws: each engine's run is sound (`assert_sound`); a run that finishes writes every
household (households out == households in); the two engines end alike (exit status) and
write the same rows — the same outcomes, and the same households in error with the same
error.
"""

from __future__ import annotations

from hypothesis import assume, event
from hypothesis import strategies as st

from fuzzing import (DATE, fuzz, households_in_out, run_sound, scratch, screening_rows,
                     write_rule_book, write_tables)
from mutations import (BOOKS, EVALUATION_DATES, generated_program, mutated_population, mutated_rules,
                       with_generated_program)

ENGINES = ("batch", "interpreter")


def assert_engines_agree(rules, tables: list, date: str, where) -> None:
    """Both engines screen the tables soundly, lose no household, and agree row for row."""
    runs, rows = {}, {}
    for engine in ENGINES:
        output = where / f"{engine}.csv"
        runs[engine] = run_sound("screen", rules, *tables, "--date", date, "--engine", engine,
                                 "-o", output)
        counts = households_in_out(runs[engine])
        if counts is not None:
            assert counts[0] == counts[1], f"{engine}: households in ≠ out\n{runs[engine].err}"
        rows[engine] = screening_rows(output)
    event(f"screen: exit {runs['batch'].code}, rows {rows['batch'] is not None}")
    assert runs["batch"].code == runs["interpreter"].code, \
        f"exit {runs['batch'].code} (batch) ≠ {runs['interpreter'].code} (interpreter)\n" \
        f"batch: {runs['batch'].err[-1500:]}\ninterpreter: {runs['interpreter'].err[-1500:]}"
    if rows["batch"] is None or rows["interpreter"] is None:
        assert rows["batch"] is rows["interpreter"] is None, "one engine wrote rows, the other none"
        return
    if not rows["batch"].equals(rows["interpreter"]):
        raise AssertionError("batch ≠ interpreter\n" + difference(rows["batch"], rows["interpreter"]))


def difference(batch, reference) -> str:
    """The rows only one engine wrote, a few of each."""
    if batch.columns != reference.columns:
        return f"columns {batch.columns} ≠ {reference.columns}"
    only = [one.join(other, on=one.columns, how="anti", nulls_equal=True).head(5).to_dicts()
            for one, other in ((batch, reference), (reference, batch))]
    return f"only batch: {only[0]}\nonly interpreter: {only[1]}"


MUTATED_BOOKS = st.sampled_from(sorted(BOOKS)).flatmap(lambda book: st.tuples(
    st.just(book), mutated_rules(BOOKS[book][1])))


def law_engines_agree_on_mutated_rules(case):
    """Any rule book screens the sample households alike in both engines."""
    book, texts = case
    with scratch() as where:
        rules = write_rule_book(where, book, texts)
        tables = write_tables(where, book, BOOKS[book][2])
        assert_engines_agree(rules, tables, DATE, where)


test_engines_agree_on_mutated_rules, test_engines_agree_on_mutated_rules_long = fuzz(
    30, case=MUTATED_BOOKS)(law_engines_agree_on_mutated_rules)

MUTATED_POPULATIONS = st.sampled_from(sorted(BOOKS)).flatmap(lambda book: st.tuples(
    st.just(book), mutated_population(BOOKS[book][2]), EVALUATION_DATES))


def law_engines_agree_on_mutated_facts(case):
    """The rule books screen any population alike in both engines."""
    book, population, date = case
    with scratch() as where:
        tables = write_tables(where, book, population)
        assume(tables is not None)
        assert_engines_agree(BOOKS[book][0], tables, date, where)


test_engines_agree_on_mutated_facts, test_engines_agree_on_mutated_facts_long = fuzz(
    30, case=MUTATED_POPULATIONS)(law_engines_agree_on_mutated_facts)

GENERATED = st.tuples(generated_program(), st.one_of(st.just(BOOKS["family"][2]),
                                                     mutated_population(BOOKS["family"][2])),
                      EVALUATION_DATES)


def law_engines_agree_on_generated_programs(case):
    """A generated family program (edge numbers, dates shifted off the calendar, any rounding
    step) screens the sample families, or a mutated population of them, alike in both engines."""
    program, population, date = case
    with scratch() as where:
        rules = write_rule_book(where, "family", with_generated_program(program))
        tables = write_tables(where, "family", population)
        assume(tables is not None)
        assert_engines_agree(rules, tables, date, where)


test_engines_agree_on_generated_programs, test_engines_agree_on_generated_programs_long = fuzz(
    40, case=GENERATED)(law_engines_agree_on_generated_programs)
