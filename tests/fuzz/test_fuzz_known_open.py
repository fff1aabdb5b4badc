"""Failures the fuzz suite found that are not fixed yet, each as its minimal input and a
strict xfail: when a fix lands, the test passes, xfail(strict) turns that into a failure,
and the input moves to a regression example (and its entry leaves `fuzzing.KNOWN_OPEN`).
"""

from __future__ import annotations

import pytest

from fuzzing import policylang_cli, scratch, write_rule_book
from mutations import FAMILY, with_generated_program

ROUNDED_TO_18_PLACES = """program fuzz "fuzz" / "fuzz"
  subject family
  applies in country
  cite family_brief "fuzz"
  amount 999999999999999 yuan rounded half_up to 0.000000000000000001
end
"""


@pytest.mark.xfail(strict=True, reason="open: core/rounding.round_to quantizes 33 digits in "
                   "the default 28-digit context (decimal.InvalidOperation, exit 3)")
def test_an_amount_of_15_digits_rounded_to_18_places_is_decided_or_refused():
    """Both numbers are within what the checker takes (PL004: 15 digits before the point,
    18 after); the amount is 33 digits long. `eval` must decide it or give a diagnostic."""
    with scratch() as where:
        rules = write_rule_book(where, "family", with_generated_program(ROUNDED_TO_18_PLACES))
        ran = policylang_cli("eval", rules, FAMILY / "harbor-family.json", "--date", "2023-08-01")
    assert ran.crash is None and ran.code in (0, 1), ran.crash
