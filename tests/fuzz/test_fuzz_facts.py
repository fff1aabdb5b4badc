"""Fuzzed facts through the commands that read facts (issue #18).

Each example is a facts file of sample households of one rule book with values replaced by
edge values (money strings the schema refuses, dates off the calendar, lone surrogates,
wrong types, deep nesting), keys left out, members multiplied past the limit, or raw text
(a key written twice, a thousand brackets deep, a BOM, a cut document), on an ordinary or an
edge evaluation date. Laws: `eval` (text, JSON) and `explain` (every format, both
languages) are sound (`assert_sound`), and their JSON output parses.
"""

from __future__ import annotations

from hypothesis import strategies as st

from fuzzing import eval_and_explain_sound, fuzz, scratch
from mutations import BOOKS, EVALUATION_DATES, facts_text

MUTATED_FACTS = st.sampled_from(sorted(BOOKS)).flatmap(lambda book: st.tuples(
    st.just(book), facts_text(BOOKS[book][2]), EVALUATION_DATES))


def law_eval_and_explain(case):
    """`eval` and `explain`, in every format and language, are sound on any facts file."""
    book, text, date = case
    with scratch() as where:
        facts = where / "facts.json"
        facts.write_text(text, encoding="utf-8")
        rules = BOOKS[book][0]
        eval_and_explain_sound(rules, facts, date)


test_eval_and_explain, test_eval_and_explain_long = fuzz(25, case=MUTATED_FACTS)(law_eval_and_explain)
