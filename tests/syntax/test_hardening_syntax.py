"""Quoted texts and numbers that once crashed `check`, `fmt`, `test` or `docs` (issue #18):
each is now a diagnostic at the place it is written."""

from __future__ import annotations

import pytest

from policylang.core.diagnostics import PolicyError
from policylang.syntax.formatter import format_text
from policylang.syntax.parse import parse_text


def problems(text: str) -> list[tuple[str, int, int, str]]:
    with pytest.raises(PolicyError) as raised:
        parse_text(text, "bad.policy")
    return [(d.code, d.span.line, d.span.column, d.message) for d in raised.value.diagnostics]


@pytest.mark.parametrize("written, message", [
    (r'"a\qb"', r"`\q` is not an escape policylang knows"),
    (r'"\x41"', r"`\x` is not an escape policylang knows"),
    (r'"x\u12"', r"`\u12` needs four hex digits after \u"),
    (r'"\ud800"', r"the text holds half of a character (a lone surrogate \ud800)"),
])
def test_bad_texts_in_quotes_are_pl002(written, message):
    text = f"jurisdiction x {written}\n"
    found = problems(text)
    assert [(code, line, msg) for code, line, _, msg in found] == [("PL002", 1, message)]
    with pytest.raises(PolicyError):  # fmt parses first: the same diagnostic, no crash
        format_text(text, "bad.policy")


def test_good_escapes_still_read():
    module = parse_text('jurisdiction x "引号\\" \\u4e2d \\\\ \\n"\n', "ok.policy")
    assert module.declarations[0].label == '引号" 中 \\ \n'


@pytest.mark.parametrize("number", ["1" + "0" * 85, "1" + "0" * 4400, "0." + "0" * 400 + "1"])
def test_numbers_longer_than_the_engines_compute_are_pl004(number):
    text = f'''jurisdiction x "x"
parameter p "p" / "p" : money
  x = {number} cite illustrative "too long"
end
'''
    [(code, line, column, message)] = problems(text)
    assert (code, line, column) == ("PL004", 3, 7)
    assert "at most 15 before and 18 after" in message


def test_a_priority_of_five_thousand_digits_is_pl004():
    text = f'''program p "p" / "p"
  exception e "e" / "e" priority {"9" * 5000}
    condition c "c" / "c": true
  end
end
'''
    assert [code for code, *_ in problems(text)] == ["PL004"]
