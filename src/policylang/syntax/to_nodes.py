"""Pass 1, continued — lark's parse tree → the frozen nodes of `nodes.py`, each with its
span, in one transformer. Nothing after the parser sees a `lark.Tree`: `parse.py` runs the
parser and phrases its errors, this module builds the nodes (and collects the problems a
grammar cannot see, such as an impossible date).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lark import Token, v_args

from ..core.diagnostics import Diagnostic, PolicyError
from ..core.source import Span
from . import nodes
from .to_overlay_nodes import OverlayBuilder, _string


def _token_span(path: str, token: Token) -> Span:
    return Span(path, token.line, token.column, token.end_line, token.end_column)


@v_args(meta=True)
class NodeBuilder(OverlayBuilder):
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
        members = c[2:]
        labels = tuple(label for _, label in members)
        return nodes.Enum(c[0].value, _string(c[1]), tuple(name for name, _ in members),
                          self._span(meta), labels if any(labels) else ())

    def enum_member(self, meta, c):
        return c[0].value, c[1]

    def simple_type(self, meta, c):
        return nodes.TypeExpr(c[0].value, c[1].value if c[1] else None, False, self._span(meta))

    def set_type(self, meta, c):
        return nodes.TypeExpr(c[0].value, None, True, self._span(meta))

    def key(self, meta, c):
        return nodes.Fact(c[0].value, None, c[1], False, True, None, self._span(meta))

    def bounds(self, meta, c):
        return (c[0], c[1])

    def fact(self, meta, c):
        name, label, type_, history, optional, bounds, default, fixed, evidence = c
        return nodes.Fact(name.value, _string(label), type_, optional is not None, False,
                          bounds, self._span(meta), fixed is not None, evidence,
                          default or (), history is not None)

    def fact_default(self, meta, c):
        return (c[0],)  # a tuple, so that `default null` is told from no default

    def evidence(self, meta, c):
        return c[0]

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
        if len(c) == 4:  # a scale: no unit
            place, period, value, citation = c
            return nodes.ParameterValue(place, period, value, None, citation, self._span(meta))
        place, period, value, unit, citation = c
        return nodes.ParameterValue(place, period, value, unit, citation, self._span(meta))

    def parameter(self, meta, c):
        return nodes.Parameter(c[0].value, _string(c[1]), c[2], tuple(c[3:]), self._span(meta))

    def definition(self, meta, c):
        name, label, entity, type_, overridable, output, body = c
        return nodes.Definition(name.value, _string(label), entity.value, type_, body,
                                self._span(meta), overridable is not None, output is not None)

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

    def amount_ref(self, meta, c):
        return nodes.DecisionRef(c[0].value, None, self._span(meta), "amount")

    def window(self, meta, c):
        function, *path, months, unit = c
        first, last = _token_span(self.path, path[0]), _token_span(self.path, path[-1])
        fact = nodes.Ref(tuple(t.value for t in path), Span(
            self.path, first.line, first.column, last.end_line, last.end_column))
        return nodes.Window(function.value, fact, int(months.value), self._span(meta), unit.value)

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

    def expect_value(self, meta, c):  # `expect disposable for hal = 3440.00`: an output
        name, subject, value = c
        return nodes.Expectation(name.value, subject, "value", value, None, self._span(meta))

    def amount_bound(self, meta, c):
        return ("amount_bound", {"program": c[0].value, "bound_op": c[1].value, "bound": c[2]})

    def monotone(self, meta, c):
        return ("monotone", {"program": c[0].value, "direction": c[1].value, "fact": c[2].value})

    def no_cliff(self, meta, c):
        return ("no_cliff", {"program": c[0].value, "fact": c[1].value,
                             "bound": c[2] if c[2] is not None else Decimal(0)})

    def invariant(self, meta, c):
        name, label, claim = c
        kind, parts = claim.children[0] if hasattr(claim, "children") else claim
        return nodes.Invariant(name.value, _string(label), kind, span=self._span(meta), **parts)

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
