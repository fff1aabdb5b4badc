"""Quoted texts and numbers as written, checked before any node is built: an escape JSON
does not know (`"a\\qb"`), a lone surrogate (`"\\ud800"`, which no file can hold as
UTF-8), or a number longer than the engines compute exactly would otherwise surface later
as a crash in `fmt`, `test` or `docs`, or as a silently rounded amount.
"""

from __future__ import annotations

import json

import lark

from ..core.diagnostics import Diagnostic
from ..core.limits import MAX_AMOUNT_DIGITS
from ..core.rounding import PLACES
from ..core.source import Span

ESCAPES_HINT = ('inside quotes write \\" for a quote, \\\\ for a backslash, \\n for a new '
                'line and \\uXXXX (four hex digits) for any character')


def literal_problems(tree: lark.Tree, path: str) -> list[Diagnostic]:
    """Every bad quoted text and number of a parsed file, in the order written.

    >>> from policylang.syntax.grammar import parser
    >>> tree = parser().parse('jurisdiction x "a\\\\qb"')
    >>> [d.message for d in literal_problems(tree, "x.policy")]
    ['`\\\\q` is not an escape policylang knows']
    """
    problems = []
    for token in tree.scan_values(lambda v: isinstance(v, lark.Token)):
        if token.type == "STRING":
            problems += _text_problems(token, path)
        elif token.type in ("NUMBER", "INT"):
            problems += _number_problems(token, path)
    return problems


def _text_problems(token: lark.Token, path: str) -> list[Diagnostic]:
    try:
        text = json.loads(token.value, strict=False)
    except json.JSONDecodeError as error:
        at = _escape_at(token.value, error.pos)
        escape = token.value[at:at + 2]
        if escape == "\\u":
            written = token.value[at:at + 6].rstrip('"')
            return [Diagnostic("PL002", f"`{written}` needs four hex digits after \\u",
                               _span(path, token, at, len(written)), hint=ESCAPES_HINT)]
        return [Diagnostic("PL002", f"`{escape}` is not an escape policylang knows",
                           _span(path, token, at, 2), hint=ESCAPES_HINT)]
    lone = next((i for i, ch in enumerate(text) if 0xD800 <= ord(ch) <= 0xDFFF), None)
    if lone is not None:
        return [Diagnostic("PL002", "the text holds half of a character (a lone surrogate "
                           f"\\u{ord(text[lone]):04x})", _span(path, token, 0, len(token.value)),
                           hint="write the whole character, or its \\uXXXX pair")]
    return []


def _escape_at(quoted: str, position: int) -> int:
    """The backslash of the escape JSON stopped at (it reports a position at or after it)."""
    at = quoted.rfind("\\", 0, position + 1)
    return at if at >= 0 else position


def _number_problems(token: lark.Token, path: str) -> list[Diagnostic]:
    whole, _, places = token.value.partition(".")
    digits, decimals = len(whole.lstrip("0")), len(places.rstrip("0"))
    if digits <= MAX_AMOUNT_DIGITS and decimals <= PLACES:
        return []
    return [Diagnostic(
        "PL004", f"the number {_shortened(token.value)} has {digits} digits before the point "
        f"and {decimals} after: policylang computes exactly with at most {MAX_AMOUNT_DIGITS} "
        f"before and {PLACES} after", _span(path, token, 0, len(token.value)),
        hint="no amount, rate or count in a rule needs more")]


def _shortened(number: str) -> str:
    return number if len(number) <= 24 else f"{number[:10]}…{number[-10:]}"


def _span(path: str, token: lark.Token, offset: int, length: int) -> Span:
    """Where part of a one-line token sits (texts and numbers never span lines)."""
    return Span(path, token.line, token.column + offset, token.line,
                token.column + offset + length)
