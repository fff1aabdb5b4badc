"""Pass 1 — parse: `.policy` text → `nodes.Module`, or syntax diagnostics.

lark's exceptions never leak past this module: each becomes a `Diagnostic`
with the position of the offending token, what was expected in words a
policy officer reads, and — at the end of a file — which block is still open.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from decimal import Decimal

import lark
from lark import Token, Transformer, v_args

from ..syntax import nodes
from ..core.diagnostics import Diagnostic, PolicyError
from ..syntax.grammar import parser
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
    builder = _ToAst(path)
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
        char = error.char
        return Diagnostic("PL002", f"unexpected character `{char}`", span,
                          hint="names use letters, digits and _; texts go in double quotes")
    expected = sorted({_describe(t) for t in _acceptable(error)})
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
    hint = _common_mistake(error)
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


# ---------------------------------------------------------------- tree → AST
def _token_span(path: str, token: Token) -> Span:
    return Span(path, token.line, token.column, token.end_line, token.end_column)


def _string(token: Token | nodes.Label | None) -> str | None:
    if token is None or isinstance(token, nodes.Label):
        return token
    return json.loads(token.value, strict=False)  # a raw tab inside quotes is kept as written


@v_args(meta=True)
class _ToAst(Transformer):
    """One transformer from lark's tree to frozen AST nodes."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.problems: list[Diagnostic] = []

    def _once(self, items, block: str, kinds: dict[str, object]) -> None:
        """A block states its subject, places, amount… once: a second one is an error,
        never silently dropped."""
        for word, kind in kinds.items():
            found = [x for x in items if (isinstance(kind, str) and isinstance(x, tuple)
                                          and x[0] == kind) or (isinstance(kind, type)
                                                                and isinstance(x, kind))]
            for extra in found[1:]:
                span = getattr(extra, "span", None) or self._block_span
                self.problems.append(Diagnostic(
                    "PL011", f"a {block} has one `{word}` line, this is a second one", span,
                    hint=f"merge the two `{word}` lines into one"))

    def _span(self, meta) -> Span:
        return Span(self.path, meta.line, meta.column, meta.end_line, meta.end_column)

    def _date(self, token: Token) -> dt.date:
        try:
            return dt.date.fromisoformat(token.value)
        except ValueError:
            raise PolicyError([Diagnostic(
                "PL005", f"`{token.value}` is not a date on the calendar",
                _token_span(self.path, token), hint="dates are written YYYY-MM-DD")]) from None

    # declarations
    def source(self, meta, c):
        name, title, publisher, date, file = c
        published = self._date(date) if date is not None else None
        return nodes.Source(name.value, _string(title), _string(publisher), published,
                          _string(file), self._span(meta))

    def place(self, meta, c):
        return ".".join(t.value for t in c)

    def jurisdiction(self, meta, c):
        name, label, parent = c
        return nodes.Jurisdiction(name, _string(label), parent, self._span(meta))

    def enum(self, meta, c):
        return nodes.Enum(c[0].value, _string(c[1]), tuple(t.value for t in c[2:]), self._span(meta))

    def simple_type(self, meta, c):
        return nodes.TypeExpr(c[0].value, c[1].value if c[1] else None, False, self._span(meta))

    def set_type(self, meta, c):
        return nodes.TypeExpr(c[0].value, None, True, self._span(meta))

    def key(self, meta, c):
        return nodes.Fact(c[0].value, None, c[1], False, True, None, self._span(meta))

    def bounds(self, meta, c):
        return (c[0], c[1])

    def fact(self, meta, c):
        name, label, type_, optional, bounds = c
        return nodes.Fact(name.value, _string(label), type_, optional is not None, False,
                        bounds, self._span(meta))

    def relation(self, meta, c):
        return nodes.Relation(c[0].value, _string(c[1]), c[2].value, self._span(meta))

    def entity(self, meta, c):
        facts = tuple(x for x in c[2:] if isinstance(x, nodes.Fact))
        relations = tuple(x for x in c[2:] if isinstance(x, nodes.Relation))
        return nodes.Entity(c[0].value, _string(c[1]), facts, relations, self._span(meta))

    def positive_number(self, meta, c):
        return Decimal(c[0].value)

    def negative_number(self, meta, c):
        return -Decimal(c[0].value)

    def period(self, meta, c):
        start, end = c
        return nodes.Period(self._date(start), self._date(end) if end else None, self._span(meta))

    def period_until(self, meta, c):
        return nodes.Period(None, self._date(c[0]), self._span(meta))

    def label(self, meta, c):
        return nodes.Label(_string(c[0]), _string(c[1]))

    def citation(self, meta, c):
        return nodes.Citation(c[0].value, _string(c[1]), self._span(meta))

    def unit(self, meta, c):
        return c[0].value

    def param_value(self, meta, c):
        place, period, value, unit, citation = c
        return nodes.ParameterValue(place, period, value, unit, citation, self._span(meta))

    def parameter(self, meta, c):
        return nodes.Parameter(c[0].value, _string(c[1]), c[2], tuple(c[3:]), self._span(meta))

    def definition(self, meta, c):
        name, label, entity, type_, body = c
        return nodes.Definition(name.value, _string(label), entity.value, type_, body, self._span(meta))

    # programs
    def subject(self, meta, c):
        return ("subject", c[0].value)

    def applies(self, meta, c):
        places = tuple(p for p in c if isinstance(p, str))
        period = next((p for p in c if isinstance(p, nodes.Period)), None)
        return nodes.Applies(places, period, self._span(meta))

    def yields(self, meta, c):
        return ("yields", c[0].value)

    def condition(self, meta, c):
        return nodes.Condition(c[0].value, _string(c[1]), c[2], self._span(meta))

    def trigger(self, meta, c):
        return ("trigger", nodes.Condition(c[0].value, _string(c[1]), c[2], self._span(meta)))

    def note(self, meta, c):
        return nodes.Note(_string(c[0]), c[1], self._span(meta))

    def report(self, meta, c):
        return nodes.Report(c[0].value, c[1], c[2], self._span(meta))

    def needs(self, meta, c):
        return ("needs", "previous")

    def within(self, meta, c):
        return nodes.Binary("within", c[0], c[1], self._span(meta))

    def rounding(self, meta, c):
        mode = c[0].value if c[0] is not None else "half_up"
        return nodes.Rounding(mode, Decimal(c[1].value), self._span(meta))

    def amount(self, meta, c):
        return nodes.Amount(c[0], c[1], self._span(meta))

    def paid_to(self, meta, c):
        return nodes.PaidTo(c[0].value, c[1], self._span(meta))

    def scope(self, meta, c):
        return ("scope", c[0].value)

    def priority(self, meta, c):
        return ("priority", int(c[0].value))

    def exception(self, meta, c):
        name, label, scope, priority, *items = c
        self._block_span = self._span(meta)
        self._once(items, "exception", {"applies": nodes.Applies, "amount": nodes.Amount})
        return nodes.Exception_(
            name.value, _string(label), scope[1] if scope else None,
            priority[1] if priority else None, _first(items, nodes.Applies),
            _all(items, nodes.Citation), _all(items, nodes.Condition), _first(items, nodes.Amount),
            self._span(meta))

    def program(self, meta, c):
        name, zh, en, *items = c
        self._block_span = self._span(meta)
        self._once(items, "program", {"subject": "subject", "applies": nodes.Applies,
                                      "amount": nodes.Amount, "paid to": nodes.PaidTo})
        tagged = dict(x for x in items if isinstance(x, tuple) and x[0] == "subject")
        return nodes.Program(
            name.value, _string(zh), _string(en), tagged.get("subject"),
            _first(items, nodes.Applies),
            tuple(x[1] for x in items if isinstance(x, tuple) and x[0] == "yields"),
            _all(items, nodes.Citation), _all(items, nodes.Condition), _first(items, nodes.Amount),
            _first(items, nodes.PaidTo), _all(items, nodes.Exception_),
            tuple(x[1] for x in items if isinstance(x, tuple) and x[0] == "trigger"),
            _all(items, nodes.Note), _all(items, nodes.Report),
            any(isinstance(x, tuple) and x[0] == "needs" for x in items), self._span(meta))

    # expressions
    def number(self, meta, c):
        return nodes.Number(Decimal(c[0].value), c[1], self._span(meta))

    def text(self, meta, c):
        return nodes.Text(_string(c[0]), self._span(meta))

    def date(self, meta, c):
        return nodes.DateLiteral(self._date(c[0]), self._span(meta))

    def true(self, meta, c):
        return nodes.Boolean(True, self._span(meta))

    def false(self, meta, c):
        return nodes.Boolean(False, self._span(meta))

    def set_literal(self, meta, c):
        return nodes.SetLiteral(tuple(x for x in c if x is not None), self._span(meta))

    def call(self, meta, c):
        return nodes.Call(c[0].value, tuple(x for x in c[1:] if x is not None), self._span(meta))

    def ref(self, meta, c):
        return nodes.Ref(tuple(t.value for t in c), self._span(meta))

    def decision_ref(self, meta, c):
        return nodes.DecisionRef(c[1].value, c[0].value if c[0] else None, self._span(meta))

    def negate(self, meta, c):
        return nodes.Unary("-", c[0], self._span(meta))

    def not_(self, meta, c):
        return nodes.Unary("not", c[0], self._span(meta))

    def _binary(op):
        def build(self, meta, c):
            return nodes.Binary(op, c[0], c[-1], self._span(meta))
        return build

    or_ = _binary("or")
    and_ = _binary("and")
    member_of = _binary("in")

    def compare(self, meta, c):
        return nodes.Binary(c[1].value, c[0], c[2], self._span(meta))

    arith = compare

    def is_absent(self, meta, c):
        return nodes.Presence(c[0], True, self._span(meta))

    def is_known(self, meta, c):
        return nodes.Presence(c[0], False, self._span(meta))

    def filter(self, meta, c):
        return nodes.Filter(c[0], c[1], self._span(meta))

    def if_then_else(self, meta, c):
        return nodes.IfThenElse(c[0], c[1], c[2], self._span(meta))

    # examples
    def json_string(self, meta, c):
        return _string(c[0])

    def json_number(self, meta, c):
        value = c[0]
        if "." in str(value) or "E" in str(value):
            from ..facts.load import _Float
            return _Float(f"{value:f}")  # the facts loader refuses it, as in a facts file
        return int(value)

    def json_true(self, meta, c):
        return True

    def json_false(self, meta, c):
        return False

    def json_null(self, meta, c):
        return None

    def json_pair(self, meta, c):
        return (_string(c[0]), c[1])

    def json_object(self, meta, c):
        return dict(c)

    def json_array(self, meta, c):
        return list(c)

    def json_step(self, meta, c):
        return int(c[0].value) if c[0].type == "INT" else c[0].value

    def json_path(self, meta, c):
        return (c[0].value, *c[1:])

    def override(self, meta, c):
        return nodes.Override(c[1], c[2], c[0] is not None, self._span(meta))

    def previous_facts(self, meta, c):
        return ("previous", c[0])

    def facts_file(self, meta, c):
        return ("file", _string(c[0]))

    def facts_inline(self, meta, c):
        return ("inline", c[0])

    def expect_subject(self, meta, c):
        return c[0].value if c[0].type == "NAME" else _string(c[0])

    def expect(self, meta, c):
        program, subject, outcome, amount, by = c
        return nodes.Expectation(program.value, subject, outcome.value, amount,
                               by.value if by else None, self._span(meta))

    def example(self, meta, c):
        title, date, facts, previous, *rest = c
        kind, payload = facts
        before_kind, before = previous[1] if previous else (None, None)
        return nodes.Example(
            _string(title), self._date(date),
            payload if kind == "file" else None, payload if kind == "inline" else None,
            _all(rest, nodes.Override), _all(rest, nodes.Expectation),
            before if before_kind == "file" else None,
            before if before_kind == "inline" else None, self._span(meta))


def _first(items, kind):
    return next((x for x in items if isinstance(x, kind)), None)


def _all(items, kind):
    return tuple(x for x in items if isinstance(x, kind))
