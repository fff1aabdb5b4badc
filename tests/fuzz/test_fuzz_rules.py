"""Fuzzed rule books through the commands that read rules (issue #18).

Each example is one of the two rule books (the bundled rules, the family rule book) with one
file changed by token edits, swapped declarations or truncation (`mutations.py`). Laws:
every command ends within its budget with exit 0, 1 or 2 and no traceback (`assert_sound`);
JSON output parses; `fmt` is idempotent and changes no diagnostic `check` gives.
"""

from __future__ import annotations

import json

from hypothesis import event
from hypothesis import strategies as st

from fuzzing import eval_and_explain_sound, fuzz, json_or_nothing, run_sound, scratch, write_rule_book
from mutations import BOOKS, generated_program, mutated_rules, with_generated_program

BOOK_NAMES = st.sampled_from(sorted(BOOKS))
MUTATED_BOOKS = BOOK_NAMES.flatmap(lambda book: st.tuples(st.just(book), mutated_rules(BOOKS[book][1])))


def diagnostic_codes(rules) -> list[str]:
    """The codes `check --format json` gives, in order (the law of every run checked)."""
    report = json_or_nothing(run_sound("check", "--format", "json", rules))
    return sorted(d["code"] for d in report["diagnostics"]) if report else []


def law_check_and_fmt(case):
    """`check` (text, JSON, SARIF), `fmt --check` and `fmt` are sound on any rule book; once
    `fmt` has rewritten a book, `fmt --check` accepts it and `check` gives the same codes."""
    book, texts = case
    with scratch() as where:
        rules = write_rule_book(where, book, texts)
        event(f"check: exit {run_sound('check', rules).code}")
        json_or_nothing(run_sound("check", "--format", "sarif", rules))
        before = diagnostic_codes(rules)
        run_sound("fmt", "--check", rules)
        if run_sound("fmt", rules).code == 0:
            assert run_sound("fmt", "--check", rules).code == 0, "fmt is not idempotent"
            assert diagnostic_codes(rules) == before, "fmt changed what check says"


test_check_and_fmt, test_check_and_fmt_long = fuzz(40, case=MUTATED_BOOKS)(law_check_and_fmt)


def law_test_eval_explain(case):
    """`test`, `eval` (text, JSON) and `explain` (text, md, html, JSON; en, zh) are sound on
    any rule book, for a sample household; JSON output parses."""
    book, texts, household = case
    with scratch() as where:
        rules = write_rule_book(where, book, texts)
        facts = where / "facts.json"
        facts.write_text(json.dumps(household), encoding="utf-8")
        run_sound("test", rules)
        eval_and_explain_sound(rules, facts)


MUTATED_BOOKS_AND_A_HOUSEHOLD = BOOK_NAMES.flatmap(lambda book: st.tuples(
    st.just(book), mutated_rules(BOOKS[book][1]), st.sampled_from(BOOKS[book][2])))

test_test_eval_explain, test_test_eval_explain_long = fuzz(12, case=MUTATED_BOOKS_AND_A_HOUSEHOLD)(
    law_test_eval_explain)


def law_generated_programs_eval_and_explain(program):
    """A generated family program is sound through `eval` and `explain` (every format and
    language) for the sample families."""
    with scratch() as where:
        rules = write_rule_book(where, "family", with_generated_program(program))
        facts = rules / "families.json"
        eval_and_explain_sound(rules, facts)


# Found by this suite, fixed in 765b9e0: both numbers within what the checker takes (15
# digits before the point, 18 after), the rounded amount 33 digits long; `round_to` quantized
# in a 28-digit context and `eval` exited 3 (InvalidOperation). Now PL043 (finer than a fen).
ROUNDED_TO_18_PLACES = """program fuzz "fuzz" / "fuzz"
  subject family
  applies in country
  cite family_brief "fuzz"
  amount 999999999999999 yuan rounded half_up to 0.000000000000000001
end
"""

test_generated_programs_eval_and_explain, test_generated_programs_eval_and_explain_long = fuzz(
    20, regressions=({"program": ROUNDED_TO_18_PLACES},), program=generated_program())(
    law_generated_programs_eval_and_explain)
