"""The canonical layout of a policy file: `format_text` prints a module back in one way.

Why print from the AST rather than re-indent tokens: the AST is what the parser means, so
text printed from it can differ from the input only in layout, parentheses, escapes and
comments — `parse(format(x)) == parse(x)` and `format(format(x)) == format(x)` are the laws
`tests/syntax/test_format.py` checks on every bundled rule file and on generated programs.

Three things the AST does not carry are recovered from the text:

* comments, which the grammar ignores: `_comments` re-lexes them and `_place_comments`
  puts each back beside the printed line that starts on the source line it was written on
  (every printed line records that line as its *anchor*);
* the order of a program's items: the AST groups conditions, citations, exceptions… by
  kind and keeps no span for `subject`, `yields to` and `needs previous`, so the order and
  their lines are read from lark's parse tree of the same text;
* the line of an example's `facts` / `previous facts`, which has no span either.

Layout decisions the rule files follow: two spaces per block level; one blank line between
top-level declarations, none inside a run of `source`, `jurisdiction` or `enum` lines; a
blank line before each `exception` of a program; a `source`'s `file` on a line of its own;
and a condition, trigger, definition, report or amount whose line would pass `WIDTH` has its
expression on the next line, two spaces deeper.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from decimal import Decimal

import attrs
import lark

from ..syntax import nodes
from ..facts.load import _Float
from ..syntax.grammar import parser
from ..syntax.parse import parse_text

__all__ = ["format_text", "WIDTH"]

WIDTH = 100
ONE_LINERS = (nodes.Source, nodes.Jurisdiction, nodes.Enum)


def format_text(text: str, path: str = "<text>") -> str:
    """The canonical layout of a policy file; raises `PolicyError` when it does not parse.

    >>> print(format_text('program p "福利"/"aid" subject household\\n'
    ...                   'condition c:(a+b)*2>1 and not(x) # why\\nend'), end="")
    program p "福利" / "aid"
      subject household
      condition c: (a + b) * 2 > 1 and not x  # why
    end
    """
    text = text.removeprefix("\ufeff")
    module = parse_text(text, path)
    tree = parser().parse(text)
    lines: list[_Line] = []
    previous = None
    for declaration, node in zip(module.declarations, tree.children):
        printed = _DECLARATIONS[type(declaration)](declaration, node)
        printed[0].blank_before = not (type(declaration) is previous and previous in ONE_LINERS)
        lines += printed
        previous = type(declaration)
    leftover = _place_comments(lines, _comments(text))
    return _render(lines, leftover)


# ---------------------------------------------------------------- lines and comments
@attrs.define
class _Line:
    """One printed line and the source line its construct starts on (its anchor, or None
    for lines inside a pretty-printed JSON value), so that comments can find it."""

    text: str
    anchor: int | None
    comment_indent: int  # own-line comments above this line are indented this much
    blank_before: bool = False
    above: list["_Comment"] = attrs.Factory(list)
    trailing: str | None = None


@attrs.frozen
class _Comment:
    """A `#` comment as written: its line, text, and whether code came before it there."""

    line: int
    text: str
    own_line: bool
    blank_before: bool  # an own-line comment keeps one blank line around it if it had one
    blank_after: bool


_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*')


def _comments(text: str) -> list[_Comment]:
    """Every `#` comment outside a quoted text, with its line. Texts cannot span lines,
    so skipping them with the grammar's own STRING pattern is enough."""
    rows = text.split("\n")  # lark counts lines by "\n" only, never by str.splitlines
    blank = [not row.strip() for row in rows] + [False]
    found, line, counted = [], 1, 0
    for match in _STRING_OR_COMMENT.finditer(text):
        if not match.group().startswith("#"):
            continue
        line += text.count("\n", counted, match.start())
        counted = match.start()
        own = not text[text.rfind("\n", 0, match.start()) + 1:match.start()].strip()
        found.append(_Comment(line, match.group().rstrip(), own,
                              own and line > 1 and blank[line - 2], own and blank[line]))
    return found


def _place_comments(lines: list[_Line], comments: list[_Comment]) -> list[_Comment]:
    """Hang each comment on a printed line; return those that come after the last one.

    A comment at the end of a line stays at the end of the last printed line anchored
    there; any other comment goes above the first printed line anchored after it — the
    declaration or item that follows it. Anchors grow down the page, so one bisect finds it.
    """
    anchored = [(line.anchor, line) for line in lines if line.anchor is not None]
    starts = [anchor for anchor, _ in anchored]
    last_on = {anchor: line for anchor, line in anchored}
    leftover = []
    for comment in comments:
        if not comment.own_line and comment.line in last_on:
            last_on[comment.line].trailing = comment.text
            continue
        index = bisect.bisect_right(starts, comment.line)
        if index == len(anchored):
            leftover.append(comment)
        else:
            anchored[index][1].above.append(comment)
    return leftover


def _render(lines: list[_Line], leftover: list[_Comment]) -> str:
    """The text: blank lines asked for twice (a separator and a comment's) collapse into
    one, and the file ends with exactly one newline."""
    out: list[str] = []

    def blank():
        if out and out[-1]:
            out.append("")

    def comment(c: _Comment, indent: int):
        if c.blank_before:
            blank()
        out.append(" " * indent + c.text)
        if c.blank_after:
            blank()

    for line in lines:
        if line.blank_before:
            blank()
        for c in line.above:
            comment(c, line.comment_indent)
        out.append(line.text + (f"  {line.trailing}" if line.trailing else ""))
    for c in leftover:
        comment(c, 0)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def _line(indent: int, text: str, anchor: int | None) -> _Line:
    return _Line(" " * indent + text, anchor, indent)


def _headed(indent: int, head: str, expr: nodes.Expr, tail: str, anchor: int) -> list[_Line]:
    """`head EXPR tail` on one line when it fits in WIDTH, else EXPR on the next, deeper."""
    one = _line(indent, f"{head} {_expr(expr)}{tail}", anchor)
    if len(one.text) <= WIDTH:
        return [one]
    return [_line(indent, head, anchor), *_body(indent + 2, expr, tail)]


def _body(indent: int, expr: nodes.Expr, tail: str) -> list[_Line]:
    """An expression on lines of its own: an `if … then … else if …` chain too long for one
    line gets a line per branch, as the rule files write it; anything else stays whole."""
    whole = _line(indent, _expr(expr) + tail, expr.span.line)
    if len(whole.text) <= WIDTH or not isinstance(expr, nodes.IfThenElse):
        return [whole]
    lines, word = [], ""
    while isinstance(expr, nodes.IfThenElse):
        branch = f"{word}if {_expr(expr.condition)} then {_expr(expr.then)}"
        lines.append(_line(indent, branch, expr.span.line))
        word, expr = "else ", expr.otherwise
    return lines + [_line(indent, f"else {_expr(expr)}{tail}", expr.span.line)]


# ---------------------------------------------------------------- small pieces
def _decimal(value: Decimal) -> str:
    """As written: Decimal keeps trailing zeros; "f" never gives an exponent (0.0000001)."""
    return format(value, "f")


def _string(value: str) -> str:
    """JSON escaping is the grammar's: the STRING token is decoded with `json.loads`."""
    return json.dumps(value, ensure_ascii=False)


def _label(zh: str | None, en: str | None = None) -> str:
    """` "中文" / "English"`, or nothing; a parsed `nodes.Label` carries its English."""
    if zh is None:
        return ""
    en = getattr(zh, "en", None) if en is None else en
    return f" {_string(zh)}" + (f" / {_string(en)}" if en is not None else "")


def _type(type_: nodes.TypeExpr) -> str:
    if type_.is_set:
        return f"set of {type_.name}"
    return type_.name + (f" per {type_.per}" if type_.per else "")


def _period(period: nodes.Period | None) -> str:
    if period is None:
        return ""
    start = f" from {period.start.isoformat()}" if period.start else ""
    return start + (f" until {period.end.isoformat()}" if period.end else "")


def _citation(citation: nodes.Citation) -> str:
    return f"cite {citation.source} {_string(citation.quote)}"


def _by_position(*groups) -> list:
    """The items of a block in the order written: the AST keeps each kind in its own tuple."""
    items = (x for group in groups for x in group)
    return sorted(items, key=lambda x: (x.span.line, x.span.column))


# ---------------------------------------------------------------- expressions
# Binding strength of each operator, and the strength each operand must have to go without
# parentheses: the grammar's levels, from `where` / `if` (0) to atoms (8).
_COMPARISON = (4, 5, 5)  # comparisons do not chain: both sides are sums
_BINARY = {"or": (1, 1, 2), "and": (2, 2, 3), "+": (5, 5, 6), "-": (5, 5, 6),
           "*": (6, 6, 7), "/": (6, 6, 7),
           **{op: _COMPARISON for op in ("<", "<=", ">", ">=", "==", "!=", "in", "within")}}
_ATOM = 8


def _strength(expr: nodes.Expr) -> int:
    if isinstance(expr, (nodes.IfThenElse, nodes.Filter)):
        return 0
    if isinstance(expr, nodes.Binary):
        return _BINARY[expr.op][0]
    if isinstance(expr, nodes.Unary):
        return 3 if expr.op == "not" else 7
    if isinstance(expr, nodes.Presence):
        return 4
    return _ATOM


def _expr(expr: nodes.Expr, need: int = 0) -> str:
    """The expression with the fewest parentheses that parse back to the same tree."""
    text = _bare(expr)
    return f"({text})" if _strength(expr) < need else text


def _bare(expr: nodes.Expr) -> str:
    match expr:
        case nodes.IfThenElse(condition, then, otherwise):
            return f"if {_expr(condition)} then {_expr(then)} else {_expr(otherwise)}"
        case nodes.Filter(collection, condition):
            return f"{_expr(collection, 1)} where {_expr(condition, 1)}"
        case nodes.Binary(op, left, right):
            _, left_need, right_need = _BINARY[op]
            return f"{_expr(left, left_need)} {op} {_expr(right, right_need)}"
        case nodes.Unary("not", operand):
            return f"not {_expr(operand, 3)}"
        case nodes.Unary(_, operand):
            inner = _expr(operand, 7)
            return "-" + (" " if inner.startswith("-") else "") + inner
        case nodes.Presence(operand, absent):
            return f"{_expr(operand, 5)} is {'absent' if absent else 'known'}"
    return _atom(expr)


def _atom(expr: nodes.Expr) -> str:
    match expr:
        case nodes.Number(value, unit):
            return _decimal(value) + (f" {unit}" if unit else "")
        case nodes.Text(value):
            return _string(value)
        case nodes.DateLiteral(value):
            return value.isoformat()
        case nodes.Boolean(value):
            return "true" if value else "false"
        case nodes.SetLiteral(items):
            return "{" + ", ".join(_expr(x) for x in items) + "}"
        case nodes.Call(function, args):
            return f"{function}(" + ", ".join(_expr(x) for x in args) + ")"
        case nodes.Ref(path):
            return ".".join(path)
        case nodes.DecisionRef(program, entity):
            return (f"{entity} " if entity else "") + f"eligible for {program}"
    raise TypeError(f"not an expression: {expr!r}")


# ---------------------------------------------------------------- declarations
def _source(source: nodes.Source, node) -> list[_Line]:
    head = f"source {source.name} {_string(source.title)}"
    if source.publisher is not None:
        head += f" by {_string(source.publisher)}"
    if source.published is not None:
        head += f" {source.published.isoformat()}"
    lines = [_line(0, head, source.span.line)]
    if source.file is not None:  # the file names the article; the rule files give it a line
        lines.append(_line(2, f"file {_string(source.file)}", source.span.end_line))
    return lines


def _jurisdiction(place: nodes.Jurisdiction, node) -> list[_Line]:
    within = f" within {place.parent}" if place.parent else ""
    return [_line(0, f"jurisdiction {place.name}{_label(place.label)}{within}", place.span.line)]


def _enum(enum: nodes.Enum, node) -> list[_Line]:
    members = " | ".join(enum.members)
    return [_line(0, f"enum {enum.name}{_label(enum.label)} = {members}", enum.span.line)]


def _entity(entity: nodes.Entity, node) -> list[_Line]:
    lines = [_line(0, f"entity {entity.name}{_label(entity.label)}", entity.span.line)]
    for item in _by_position(entity.facts, entity.relations):
        if isinstance(item, nodes.Relation):
            text = f"has {item.name}{_label(item.label)} : list of {item.entity}"
        elif item.is_key:
            text = f"key {item.name} : {_type(item.type)}"
        else:
            text = f"fact {item.name}{_label(item.label)} : {_type(item.type)}"
            text += " optional" if item.optional else ""
            if item.bounds is not None:
                low, high = item.bounds
                text += f" between {_decimal(low)} and {_decimal(high)}"
        lines.append(_line(2, text, item.span.line))
    return lines + [_end(0, entity)]


def _end(indent: int, block) -> _Line:
    """`end`, with comments above it indented as the block's items are."""
    return _Line(" " * indent + "end", block.span.end_line, indent + 2)


def _parameter(parameter: nodes.Parameter, node) -> list[_Line]:
    head = f"parameter {parameter.name}{_label(parameter.label)} : {_type(parameter.type)}"
    lines = [_line(0, head, parameter.span.line)]
    for value in parameter.values:
        unit = f" {value.unit}" if value.unit else ""
        text = (f"{value.place}{_period(value.period)} = {_decimal(value.value)}{unit} "
                f"{_citation(value.citation)}")
        lines.append(_line(2, text, value.span.line))
    return lines + [_end(0, parameter)]


def _definition(definition: nodes.Definition, node) -> list[_Line]:
    type_ = f" : {_type(definition.type)}" if definition.type else ""
    head = (f"definition {definition.name}{_label(definition.label)} "
            f"of {definition.entity}{type_} =")
    return _headed(0, head, definition.body, "", definition.span.line)


# ---------------------------------------------------------------- programs
def _program(program: nodes.Program, node: lark.Tree) -> list[_Line]:
    head = f"program {program.name}{_label(program.label_zh, program.label_en)}"
    lines = [_line(0, head, program.span.line)]
    for kind, item, line in _program_items(program, node):
        printed = _PROGRAM_ITEMS[kind](2, item, line)
        printed[0].blank_before = kind == "exception" and len(lines) > 1
        lines += printed
    return lines + [_end(0, program)]


def _program_items(program: nodes.Program, node: lark.Tree):
    """The items in the order written, each with its line: the AST keeps each kind in its
    own tuple (and no span for `subject`, `yields`, `needs`); the parse tree keeps order."""
    queues = {
        "subject": [program.subject], "applies": [program.applies],
        "yields": list(program.yields_to), "citation": list(program.citations),
        "condition": list(program.conditions), "amount": [program.amount],
        "paid_to": [program.paid_to], "exception": list(program.exceptions),
        "note": list(program.notes), "report": list(program.reports),
        "trigger": list(program.triggers), "needs": [program.needs_previous],
    }
    for child in node.children:
        if isinstance(child, lark.Tree):
            yield str(child.data), queues[str(child.data)].pop(0), child.meta.line


def _applies(applies: nodes.Applies) -> str:
    places = " in " + ", ".join(applies.places) if applies.places else ""
    return f"applies{places}{_period(applies.period)}"


def _amount(indent: int, amount: nodes.Amount, line: int) -> list[_Line]:
    rounding = amount.rounding
    tail = f" rounded {rounding.mode} to {_decimal(rounding.step)}" if rounding else ""
    return _headed(indent, "amount", amount.value, tail, line)


def _condition(word: str):
    def print_(indent: int, condition: nodes.Condition, line: int) -> list[_Line]:
        head = f"{word} {condition.name}{_label(condition.label)}:"
        return _headed(indent, head, condition.test, "", line)
    return print_


def _note(indent: int, note: nodes.Note, line: int) -> list[_Line]:
    when = f" when {_expr(note.when)}" if note.when is not None else ""
    return [_line(indent, f"note{_label(note.text)}{when}", line)]


def _report(indent: int, report: nodes.Report, line: int) -> list[_Line]:
    type_ = f" : {_type(report.type)}" if report.type else ""
    return _headed(indent, f"report {report.name}{type_} =", report.value, "", line)


def _exception(indent: int, exception: nodes.Exception_, line: int) -> list[_Line]:
    head = f"exception {exception.name}{_label(exception.label)}"
    head += f" for each {exception.scope}" if exception.scope else ""
    head += f" priority {exception.priority}" if exception.priority is not None else ""
    lines = [_line(indent, head, line)]
    applies = [exception.applies] if exception.applies else []
    amount = [exception.amount] if exception.amount else []
    for item in _by_position(applies, exception.citations, exception.conditions, amount):
        lines += _PROGRAM_ITEMS[_KIND[type(item)]](indent + 2, item, item.span.line)
    return lines + [_end(indent, exception)]


def _simple(render):
    return lambda indent, item, line: [_line(indent, render(item), line)]


_KIND = {nodes.Applies: "applies", nodes.Citation: "citation", nodes.Condition: "condition",
         nodes.Amount: "amount"}
_PROGRAM_ITEMS = {
    "subject": _simple(lambda name: f"subject {name}"),
    "applies": _simple(_applies),
    "yields": _simple(lambda name: f"yields to {name}"),
    "citation": _simple(_citation),
    "condition": _condition("condition"),
    "trigger": _condition("trigger"),
    "amount": _amount,
    "paid_to": _simple(lambda paid: f"paid to {paid.payee} when {_expr(paid.when)}"),
    "note": _note,
    "report": _report,
    "needs": _simple(lambda _: "needs previous"),
    "exception": _exception,
}


# ---------------------------------------------------------------- examples
def _example(example: nodes.Example, node: lark.Tree) -> list[_Line]:
    head = f"example {_string(example.title)} on {example.date.isoformat()}"
    lines = [_line(0, head, example.span.line)]
    facts, previous = node.children[2], node.children[3]
    lines += _facts("facts ", example.facts_file, example.facts_inline, facts.meta.line)
    if previous is not None:
        lines += _facts("previous facts ", example.previous_file, example.previous_inline,
                        previous.meta.line)
    for override in example.overrides:
        lead = "with " + ("previous " if override.previous else "") + _path(override.path)
        lines += _json_lines(override.value, 2, lead + " = ", "", override.span.line)
    for expect in example.expectations:
        lines.append(_line(2, _expect(expect), expect.span.line))
    return lines + [_end(0, example)]


def _facts(lead: str, file: str | None, inline: object, line: int) -> list[_Line]:
    if file is not None:
        return [_line(2, lead + _string(file), line)]
    return _json_lines(inline, 2, lead, "", line)


def _path(path: tuple) -> str:
    return path[0] + "".join(f"[{step}]" if isinstance(step, int) else f".{step}"
                             for step in path[1:])


def _expect(expect: nodes.Expectation) -> str:
    text = f"expect {expect.program}"
    if expect.subject is not None:
        text += f" for {_subject(expect.subject)}"
    text += f" {expect.outcome}"
    text += f" {_decimal(expect.amount)}" if expect.amount is not None else ""
    return text + (f" by {expect.by}" if expect.by else "")


def _subject(subject: str) -> str:
    """A subject id bare when it is a NAME (`for p2`), else quoted (`for "h 2"`): the AST
    keeps only the id, and both spellings mean it. After `for` the contextual lexer expects
    only a NAME or a text, so even `unknown` or `months` read back as names."""
    if re.fullmatch(_name_pattern(), subject):
        return subject
    return _string(subject)


@functools.cache
def _name_pattern() -> str:
    return parser().get_terminal("NAME").pattern.to_regexp()  # the reserved words included


def _json(value: object) -> str:
    """Compact JSON as `json.dumps(..., separators=(", ", ": "))` writes it, except that a
    number with a fraction (kept as `_Float`, a str) is written back as a number."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _Float):
        return _decimal(Decimal(value))
    if isinstance(value, (int, str)):
        return str(value) if isinstance(value, int) else _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_json(x) for x in value) + "]"
    return "{" + ", ".join(f"{_string(k)}: {_json(v)}" for k, v in value.items()) + "}"


def _json_lines(value: object, indent: int, lead: str, suffix: str,
                anchor: int | None) -> list[_Line]:
    """`lead VALUE suffix` on one line when it fits; else the object or array opened on
    this line, one entry per line two spaces deeper (each laid out the same way)."""
    one = _line(indent, lead + _json(value) + suffix, anchor)
    if len(one.text) <= WIDTH or not isinstance(value, (dict, list)) or not value:
        return [one]
    entries = value.items() if isinstance(value, dict) else ((None, x) for x in value)
    brackets = "{}" if isinstance(value, dict) else "[]"
    lines = [_line(indent, lead + brackets[0], anchor)]
    last = len(value) - 1
    for i, (key, item) in enumerate(entries):
        key_lead = f"{_string(key)}: " if key is not None else ""
        lines += _json_lines(item, indent + 2, key_lead, "," if i < last else "", None)
    return lines + [_line(indent, brackets[1] + suffix, None)]


_DECLARATIONS = {
    nodes.Source: _source, nodes.Jurisdiction: _jurisdiction, nodes.Enum: _enum,
    nodes.Entity: _entity, nodes.Parameter: _parameter, nodes.Definition: _definition,
    nodes.Program: _program, nodes.Example: _example,
}
