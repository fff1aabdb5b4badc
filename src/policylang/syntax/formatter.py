"""The canonical layout of a policy file: `format_text` prints a module back in one way.

Why print from the AST rather than re-indent tokens: the AST is what the parser means, so
text printed from it can differ from the input only in layout, parentheses, escapes and
comments — `parse(format(x)) == parse(x)` and `format(format(x)) == format(x)` are the laws
`tests/syntax/test_format.py` checks on every bundled rule file and on generated programs.

Three things the AST does not carry are recovered from the text:

* comments, which the grammar ignores: `comments_in` re-lexes them and `place_comments`
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

import functools
import re

import lark

from . import nodes
from .grammar import parser
from .parse import parse_text
from .comments import Line, comments_in, place_comments, render
from .written import (BINARY, by_position, citation_text, claim_text, decimal_text, expression,
                      json_text, label_text, period_text, quoted, scale_text, type_text)

__all__ = ["format_text", "WIDTH"]

WIDTH = 100
ONE_LINERS = (nodes.Source, nodes.Jurisdiction, nodes.Enum, nodes.Invariant, nodes.Remove)


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
    lines: list[Line] = []
    previous = None
    for declaration, node in zip(module.declarations, tree.children):
        printed = _DECLARATIONS[type(declaration)](declaration, node)
        printed[0].blank_before = not (type(declaration) is previous and previous in ONE_LINERS)
        lines += printed
        previous = type(declaration)
    leftover = place_comments(lines, comments_in(text))
    return render(lines, leftover)


# ---------------------------------------------------------------- lines
def _line(indent: int, text: str, anchor: int | None) -> Line:
    return Line(" " * indent + text, anchor, indent)


def _headed(indent: int, head: str, expr: nodes.Expr, tail: str, anchor: int) -> list[Line]:
    """`head EXPR tail` on one line when it fits in WIDTH, else EXPR on the next, deeper."""
    one = _line(indent, f"{head} {expression(expr)}{tail}", anchor)
    if len(one.text) <= WIDTH:
        return [one]
    return [_line(indent, head, anchor), *_body(indent + 2, expr, tail)]


def _body(indent: int, expr: nodes.Expr, tail: str) -> list[Line]:
    """An expression on lines of its own: an `if … then … else if …` chain too long for one
    line gets a line per branch, as the rule files write it; a chain of `and`, `or`, `+` or
    `-` too long for one line breaks before each operator (`chain_lines`)."""
    whole = _line(indent, expression(expr) + tail, expr.span.line)
    if len(whole.text) <= WIDTH:
        return [whole]
    if not isinstance(expr, nodes.IfThenElse):
        return chain_lines(indent, expr, tail) or [whole]
    lines, word = [], ""
    while isinstance(expr, nodes.IfThenElse):
        branch = f"{word}if {expression(expr.condition)} then {expression(expr.then)}"
        lines.append(_line(indent, branch, expr.span.line))
        word, expr = "else ", expr.otherwise
    return lines + [_line(indent, f"else {expression(expr)}{tail}", expr.span.line)]


CHAINED = {"or": ("or",), "and": ("and",), "+": ("+", "-"), "-": ("+", "-")}


def chain_lines(indent: int, expr: nodes.Expr, tail: str) -> list[Line] | None:
    """`a + b - c` (or a chain of `and`, of `or`) with each operator starting a line:

        sum(unit, monthly_income)
        + sum(unit, pension)
        - monthly_rigid_expenses

    and a comparison whose left side is such a sum, with the comparison on the last line.
    None for anything else. Newlines mean nothing to the grammar: it parses back the same."""
    if isinstance(expr, nodes.Binary) and expr.op not in (*CHAINED, "*", "/") and \
            isinstance(expr.left, nodes.Binary) and expr.left.op in ("+", "-"):
        lines = chain_lines(indent, expr.left, "")
        _, _, right_need = BINARY[expr.op]
        lines[-1].text += f" {expr.op} {expression(expr.right, right_need)}{tail}"
        return lines
    if not isinstance(expr, nodes.Binary) or expr.op not in CHAINED:
        return None
    parts, group = [], CHAINED[expr.op]
    while isinstance(expr, nodes.Binary) and expr.op in group:
        parts.append((expr.op, expr.right))
        expr = expr.left
    _, left_need, right_need = BINARY[parts[0][0]]
    lines = [_line(indent, expression(expr, left_need), expr.span.line)]
    lines += [_line(indent, f"{op} {expression(part, right_need)}", part.span.line)
              for op, part in reversed(parts)]
    lines[-1].text += tail
    return lines


# ---------------------------------------------------------------- declarations
def _source(source: nodes.Source, node) -> list[Line]:
    head = f"source {source.name} {quoted(source.title)}"
    if source.publisher is not None:
        head += f" by {quoted(source.publisher)}"
    if source.published is not None:
        head += f" {source.published.isoformat()}"
    lines = [_line(0, head, source.span.line)]
    if source.file is not None:  # the file names the article; the rule files give it a line
        lines.append(_line(2, f"file {quoted(source.file)}", source.span.end_line))
    return lines


def _jurisdiction(place: nodes.Jurisdiction, node) -> list[Line]:
    within = f" within {place.parent}" if place.parent else ""
    return [_line(0, f"jurisdiction {place.name}{label_text(place.label)}{within}", place.span.line)]


def _named(keyword: str):
    """`unit EUR "欧元" / "euro"`, `reform flat_tax …`: a keyword, a name and a label."""
    return lambda decl, node: [_line(0, f"{keyword} {decl.name}{label_text(decl.label)}",
                                     decl.span.line)]


def _enum(enum: nodes.Enum, node) -> list[Line]:
    labels = enum.member_labels or (None,) * len(enum.members)
    members = " | ".join(name + label_text(label) for name, label in zip(enum.members, labels))
    return [_line(0, f"enum {enum.name}{label_text(enum.label)} = {members}", enum.span.line)]


def _entity(entity: nodes.Entity, node) -> list[Line]:
    lines = [_line(0, f"entity {entity.name}{label_text(entity.label)}", entity.span.line)]
    for item in by_position(entity.facts, entity.relations):
        if isinstance(item, nodes.Relation):
            text = f"has {item.name}{label_text(item.label)} : list of {item.entity}"
        elif item.is_key:
            text = f"key {item.name} : {type_text(item.type)}"
        else:
            text = f"fact {item.name}{label_text(item.label)} : {type_text(item.type)}"
            text += (" history" if item.history else "") + (" optional" if item.optional else "")
            if item.bounds is not None:
                low, high = item.bounds
                text += f" between {decimal_text(low)} and {decimal_text(high)}"
            text += f" default {json_text(item.default[0])}" if item.default else ""
            text += " fixed" if item.fixed else ""
            text += f" evidence{label_text(item.evidence)}" if item.evidence else ""
        lines.append(_line(2, text, item.span.line))
    return lines + [_end(0, entity)]


def _end(indent: int, block) -> Line:
    """`end`, with comments above it indented as the block's items are."""
    return Line(" " * indent + "end", block.span.end_line, indent + 2)


def _parameter(parameter: nodes.Parameter, node) -> list[Line]:
    head = f"parameter {parameter.name}{label_text(parameter.label)} : {type_text(parameter.type)}"
    return _valued(head, parameter)


def _valued(head: str, parameter) -> list[Line]:
    """A parameter's (or an `amend`'s) head line, a line per value, and `end`."""
    lines = [_line(0, head, parameter.span.line)]
    for value in parameter.values:
        unit = f" {value.unit}" if value.unit else ""
        where = f"{value.place}{period_text(value.period)} " if value.place else (
            f"{period_text(value.period).lstrip()} " if value.period else "")
        shown = scale_text(value.value) if isinstance(value.value, nodes.ScaleValue) else \
            decimal_text(value.value)
        text = (f"{where}= {shown}{unit} "
                f"{citation_text(value.citation)}")
        lines.append(_line(2, text, value.span.line))
    return lines + [_end(0, parameter)]


def _definition(definition: nodes.Definition, node) -> list[Line]:
    type_ = f" : {type_text(definition.type)}" if definition.type else ""
    head = (f"definition {definition.name}{label_text(definition.label)} "
            f"of {definition.entity}{type_}{' overridable' if definition.overridable else ''}"
            f"{' output' if definition.output else ''} =")
    return _headed(0, head, definition.body, "", definition.span.line)


# ---------------------------------------------------------------- programs
def _program(program: nodes.Program, node: lark.Tree) -> list[Line]:
    head = f"program {program.name}{label_text(program.label_zh, program.label_en)}"
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
    return f"applies{places}{period_text(applies.period)}"


def _amount(indent: int, amount: nodes.Amount, line: int) -> list[Line]:
    rounding = amount.rounding
    tail = f" rounded {rounding.mode} to {decimal_text(rounding.step)}" if rounding else ""
    return _headed(indent, "amount", amount.value, tail, line)


def _condition(word: str):
    def print_(indent: int, condition: nodes.Condition, line: int) -> list[Line]:
        head = f"{word} {condition.name}{label_text(condition.label)}:"
        return _headed(indent, head, condition.test, "", line)
    return print_


def _note(indent: int, note: nodes.Note, line: int) -> list[Line]:
    when = f" when {expression(note.when)}" if note.when is not None else ""
    return [_line(indent, f"note{label_text(note.text)}{when}", line)]


def _report(indent: int, report: nodes.Report, line: int) -> list[Line]:
    type_ = f" : {type_text(report.type)}" if report.type else ""
    return _headed(indent, f"report {report.name}{type_} =", report.value, "", line)


def _exception(indent: int, exception: nodes.Exception_, line: int) -> list[Line]:
    head = f"exception {exception.name}{label_text(exception.label)}"
    head += f" for each {exception.scope}" if exception.scope else ""
    head += f" priority {exception.priority}" if exception.priority is not None else ""
    lines = [_line(indent, head, line)]
    applies = [exception.applies] if exception.applies else []
    amount = [exception.amount] if exception.amount else []
    for item in by_position(applies, exception.citations, exception.conditions, amount):
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
    "citation": _simple(citation_text),
    "condition": _condition("condition"),
    "trigger": _condition("trigger"),
    "amount": _amount,
    "paid_to": _simple(lambda paid: f"paid to {paid.payee} when {expression(paid.when)}"),
    "note": _note,
    "report": _report,
    "needs": _simple(lambda _: "needs previous"),
    "exception": _exception,
}


# ---------------------------------------------------------------- examples
def _invariant(invariant: nodes.Invariant, node) -> list[Line]:
    head = f"invariant {invariant.name}{label_text(invariant.label)}: {claim_text(invariant)}"
    return [_line(0, head, invariant.span.line)]


def _example(example: nodes.Example, node: lark.Tree) -> list[Line]:
    head = f"example {quoted(example.title)} on {example.date.isoformat()}"
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


def _facts(lead: str, file: str | None, inline: object, line: int) -> list[Line]:
    if file is not None:
        return [_line(2, lead + quoted(file), line)]
    return _json_lines(inline, 2, lead, "", line)


def _path(path: tuple) -> str:
    return path[0] + "".join(f"[{step}]" if isinstance(step, int) else f".{step}"
                             for step in path[1:])


def _expect(expect: nodes.Expectation) -> str:
    text = f"expect {expect.program}"
    if expect.subject is not None:
        text += f" for {_subject(expect.subject)}"
    if expect.outcome == "value":  # an output's value
        return text + f" = {decimal_text(expect.amount)}"
    text += f" {expect.outcome}"
    text += f" {decimal_text(expect.amount)}" if expect.amount is not None else ""
    return text + (f" by {expect.by}" if expect.by else "")


def _subject(subject: str) -> str:
    """A subject id bare when it is a NAME (`for p2`), else quoted (`for "h 2"`): the AST
    keeps only the id, and both spellings mean it. After `for` the contextual lexer expects
    only a NAME or a text, so even `unknown` or `months` read back as names."""
    if re.fullmatch(_name_pattern(), subject):
        return subject
    return quoted(subject)


@functools.cache
def _name_pattern() -> str:
    return parser().get_terminal("NAME").pattern.to_regexp()  # the reserved words included


def _json_lines(value: object, indent: int, lead: str, suffix: str,
                anchor: int | None) -> list[Line]:
    """`lead VALUE suffix` on one line when it fits; else the object or array opened on
    this line, one entry per line two spaces deeper (each laid out the same way)."""
    one = _line(indent, lead + json_text(value) + suffix, anchor)
    if len(one.text) <= WIDTH or not isinstance(value, (dict, list)) or not value:
        return [one]
    entries = value.items() if isinstance(value, dict) else ((None, x) for x in value)
    brackets = "{}" if isinstance(value, dict) else "[]"
    lines = [_line(indent, lead + brackets[0], anchor)]
    last = len(value) - 1
    for i, (key, item) in enumerate(entries):
        key_lead = f"{quoted(key)}: " if key is not None else ""
        lines += _json_lines(item, indent + 2, key_lead, "," if i < last else "", None)
    return lines + [_line(indent, brackets[1] + suffix, None)]


def _replace(replace: nodes.Replace, node) -> list[Line]:
    """`replace` and the declaration, laid out as it is on its own."""
    inner = next(child for child in node.children if hasattr(child, "data"))
    printed = _DECLARATIONS[type(replace.declaration)](replace.declaration, inner)
    printed[0].text = "replace " + printed[0].text
    return printed


def _amend(amend: nodes.Amend, node) -> list[Line]:
    return _valued(f"amend parameter {amend.name}", amend)


def _remove(remove: nodes.Remove, node) -> list[Line]:
    of = f" of {remove.entity}" if remove.entity else ""
    return [_line(0, f"remove {remove.kind} {remove.name}{of}", remove.span.line)]


_DECLARATIONS = {
    nodes.Reform: _named("reform"), nodes.Replace: _replace, nodes.Amend: _amend, nodes.Remove: _remove,
    nodes.Source: _source, nodes.Jurisdiction: _jurisdiction, nodes.Enum: _enum,
    nodes.UnitDecl: _named("unit"), nodes.Entity: _entity, nodes.Parameter: _parameter, nodes.Definition: _definition,
    nodes.Program: _program, nodes.Example: _example, nodes.Invariant: _invariant,
}
