"""Pass 1 — parse: `.policy` text → `nodes.Module`, or syntax diagnostics.

lark's exceptions never leak past this module: each becomes a `Diagnostic`
with the position of the offending token, what was expected in words a
policy officer reads, and — at the end of a file — which block is still open.
"""

from __future__ import annotations

import functools

import lark
from lark import Token

from . import nodes
from ..core.diagnostics import Diagnostic, PolicyError, did_you_mean
from .grammar import parser
from .literals import literal_problems
from .to_nodes import NodeBuilder
from ..core.limits import MAX_EXPRESSION_DEPTH, MAX_POLICY_BYTES
from ..core.source import Span

BLOCK_KEYWORDS = ("program", "exception", "entity", "parameter", "example")

TOKEN_WORDS = {
    "NAME": "a name", "STRING": 'a quoted text ("…")', "DATE": "a date (YYYY-MM-DD)",
    "NUMBER": "a number", "INT": "a whole number", "OUTCOME": "an outcome",
    "COMPARE": "a comparison", "ADD_OP": "+ or -", "MUL_OP": "* or /",
    "UNIT": "a unit (months, years, days, yuan, kWh)", "$END": "the end of the file",
    "ROUNDING_MODE": "a rounding mode (half_up, half_even, down, up)",
}


def parse_text(text: str, path: str) -> nodes.Module:
    """Parse one policy file; raise `PolicyError` with every syntax problem found.

    >>> m = parse_text('jurisdiction national "全国"', "x.policy")
    >>> m.declarations[0].name
    'national'
    """
    text = text.removeprefix("\ufeff")  # a byte order mark some editors write
    if len(text.encode("utf-8")) > MAX_POLICY_BYTES:
        raise PolicyError([Diagnostic(
            "PL004", f"the policy file is larger than {MAX_POLICY_BYTES} bytes",
            Span(path, 1, 1, 1, 1), hint="split the rules into several files")])
    try:
        tree = parser().parse(text)
    except lark.exceptions.UnexpectedInput as error:
        raise PolicyError([_syntax_diagnostic(error, path)]) from None
    _check_depth(tree, path)
    bad_literals = literal_problems(tree, path)
    if bad_literals:
        raise PolicyError(bad_literals)
    builder = NodeBuilder(path)
    try:
        declarations = builder.transform(tree)
    except lark.exceptions.VisitError as error:
        if isinstance(error.orig_exc, PolicyError):
            raise error.orig_exc from None
        raise
    if builder.problems:
        raise PolicyError(builder.problems)
    return nodes.Module(path, tuple(declarations.children))


# ---------------------------------------------------------------- syntax errors
def _describe(terminal: str) -> str:
    if terminal in TOKEN_WORDS:
        return TOKEN_WORDS[terminal]
    try:
        pattern = parser().get_terminal(terminal).pattern
    except KeyError:
        return terminal.lower()
    return f"`{pattern.value}`" if isinstance(pattern, lark.lexer.PatternStr) else terminal.lower()


# The commonest mistakes, learned from examples of bad input: lark matches the parser state
# an error happens in against the states these examples fail in (`match_examples`).
COMMON_MISTAKES = {
    "compare with `==`, not `=` (a single `=` only gives a value its name)": [
        'program p "p"\n  condition c: assets = 0\nend',
        'definition d of household = assets = 0',
    ],
    "a condition needs `:` between its name (and label) and its test": [
        'program p "p"\n  condition c "label" assets > 0\nend',
        'program p "p"\n  condition c assets > 0\nend',
    ],
    "labels and quotes go in double quotes: \"最低生活保障\"": [
        'program p 最低生活保障\nend',
        'parameter x 标准 : money\nend',
    ],
    "a citation names its source and quotes the clause: cite SOURCE \"the clause\"": [
        'program p "p"\n  cite kunming_2022\n  condition c: assets > 0\nend',
        'program p "p"\n  cite kunming_2022\nend',
    ],
    "write the rounding as `rounded half_up to 0.01`": [
        'program p "p"\n  amount 1 yuan rounded half_up 0.01\nend',
        'program p "p"\n  amount 1 yuan rounded 0.01\nend',
    ],
    "a parameter value reads `PLACE [from DATE] [until DATE] = VALUE cite SOURCE \"…\"`": [
        'parameter x "x" : money\n  national 700 cite illustrative "x"\nend',
        'parameter x "x" : money\n  national = 700\nend',
    ],
}


def _common_mistake(error: lark.exceptions.UnexpectedInput) -> str | None:
    """The plain-words explanation of a known mistake, when this error is one: the parser
    stopped in the same LALR state, on the same kind of token, as in one of the examples.
    (lark's own `match_examples` also compares the depth of the parse stack, so an example
    would have to repeat every item before the mistake.)"""
    found = _where(error)
    return _mistake_states().get(found) if found else None


def _where(error) -> tuple | None:
    state = getattr(error, "state", None)
    token = getattr(error, "token", None)
    if state is None or token is None:
        return None
    return (state.position, token.type)


@functools.cache
def _mistake_states() -> dict[tuple, str]:
    states = {}
    for explanation, examples in COMMON_MISTAKES.items():
        for example in examples:
            try:
                parser().parse(example)
            except lark.exceptions.UnexpectedInput as error:
                if _where(error):
                    states.setdefault(_where(error), explanation)
    return states


def _acceptable(error: lark.exceptions.UnexpectedInput) -> set[str]:
    """The tokens that could really come next. LALR tables merge lookaheads, so the raw
    `expected` set can name tokens only valid after other reductions; the interactive
    parser simulates them and answers precisely."""
    interactive = getattr(error, "interactive_parser", None)
    if interactive is not None:
        try:
            return set(interactive.accepts())
        except Exception:  # noqa: BLE001 — fall back to lark's own list
            pass
    return set(getattr(error, "expected", ()) or ())


def _open_block(error: lark.exceptions.UnexpectedInput) -> Token | None:
    state = getattr(error, "state", None)
    stack = getattr(state, "value_stack", None) or []
    depth_closed = 0
    for value in reversed(stack):
        if isinstance(value, Token) and value.value in BLOCK_KEYWORDS:
            if depth_closed == 0:
                return value
            depth_closed -= 1
    return None


def _syntax_diagnostic(error: lark.exceptions.UnexpectedInput, path: str) -> Diagnostic:
    line, column = max(error.line, 1), max(error.column, 1)
    span = Span(path, line, column, line, column + 1)
    if isinstance(error, lark.exceptions.UnexpectedCharacters):
        return _unexpected_character(error.char, span)
    acceptable = _acceptable(error)
    expected = sorted({_describe(t) for t in acceptable})
    token = getattr(error, "token", None)
    at_end = token is None or token.type == "$END"
    opened = _open_block(error)
    expects_end = "END" in (getattr(error, "expected", ()) or ())
    if at_end and opened is not None and expects_end:
        return Diagnostic(
            "PL003", f"the `{opened.value}` block opened at line {opened.line} is not closed",
            span, hint=f"add `end` to close the `{opened.value}` that starts at "
            f"{path}:{opened.line}:{opened.column}")
    message = "the file ends too early" if at_end else f"unexpected `{token.value}`"
    if expected:
        shown = ", ".join(expected[:8]) + (", …" if len(expected) > 8 else "")
        message += f"; expected {shown}"
    hint = _common_mistake(error) or _misspelt_keyword(token, acceptable)
    if hint is None and opened is not None:
        hint = f"inside the `{opened.value}` block that starts at line {opened.line}"
        if at_end:
            hint += ", which is not closed either: finish the line, then add `end`"
    return Diagnostic("PL001", message, span, hint=hint)


def _check_depth(tree: lark.Tree, path: str) -> None:
    """Reject nesting deeper than the limit before any recursive pass sees it."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_EXPRESSION_DEPTH:
            meta = node.meta
            span = Span(path, meta.line, meta.column, meta.end_line, meta.end_column)
            raise PolicyError([Diagnostic(
                "PL004", f"the expression is too long or nests too deep (over "
                f"{MAX_EXPRESSION_DEPTH} levels)",
                span, hint="name parts of it with `definition`s")])
        stack.extend((c, depth + 1) for c in node.children if isinstance(c, lark.Tree))


# What a Chinese keyboard (or a word processor) types where the language wants ASCII.
FULL_WIDTH = {
    "：": ":", "，": ",", "（": "(", "）": ")", "＝": "=", "＜": "<", "＞": ">", "＋": "+",
    "－": "-", "＊": "*", "／": "/", "．": ".", "。": ".", "；": ";", "【": "[", "】": "]",
    "［": "[", "］": "]", "｛": "{", "｝": "}", "＿": "_", "！": "!",
    **{chr(0xFF10 + d): str(d) for d in range(10)},
}
# What a word processor or a formula editor types for an operator.
MATH_SIGNS = {"≥": ">=", "≤": "<=", "≠": "!=", "×": "*", "÷": "/", "−": "-"}
CURLY_QUOTES = "“”„‟「」『』"


def _unexpected_character(char: str, span: Span) -> Diagnostic:
    """PL002, with the hint that fits the character: the ASCII one a Chinese keyboard
    replaced, straight quotes for curly ones, or what names and texts are made of.

    >>> _unexpected_character("：", Span("a.policy", 1, 5, 1, 6)).hint
    'this is the full-width `：` of a Chinese keyboard: write `:` (switch to English punctuation)'
    """
    if char in FULL_WIDTH:
        hint = (f"this is the full-width `{char}` of a Chinese keyboard: write "
                f"`{FULL_WIDTH[char]}` (switch to English punctuation)")
    elif char in MATH_SIGNS:
        hint = f"`{char}` is not an operator here: write `{MATH_SIGNS[char]}`"
    elif char in CURLY_QUOTES or char in "‘’":
        hint = ('texts go in straight double quotes ("…"), not curly ones (“…”): switch to '
                'English punctuation, or turn off smart quotes')
    else:
        hint = "names use letters, digits and _; texts go in double quotes"
    return Diagnostic("PL002", f"unexpected character `{char}`", span, hint=hint)


def _misspelt_keyword(token: Token | None, acceptable: set[str]) -> str | None:
    """`did you mean `condition`?` when a name stands where a keyword could and is close to
    one of the keywords that could come there."""
    if token is None or token.type != "NAME":
        return None
    keywords = [t.strip("`") for t in map(_describe, acceptable)
                if t.startswith("`") and t.strip("`").isidentifier()]
    return did_you_mean(token.value, keywords)
