"""Render diagnostics: for the terminal (colour only on a TTY) and as JSON.

The only place that turns a `Diagnostic` into text. The source line is read
again from the file (or the texts given) and a caret drawn under the column.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from .diagnostics import Diagnostic
from .files import FileRefused, read_text
from .limits import MAX_POLICY_BYTES

COLOURS = {"error": "\x1b[31;1m", "warning": "\x1b[33;1m", "note": "\x1b[34m", "hint": "\x1b[36m",
           "reset": "\x1b[0m"}


def _width(text: str) -> int:
    """Display width: Chinese characters take two terminal columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class SourceLines:
    """The lines of the policy files diagnostics point into, each file split once: a rule set
    with 39,000 warnings renders in a time that grows with the warnings, not their square.
    A file not among `texts` is read once, only if it is a `.policy` file: a diagnostic never
    quotes anything else.

    >>> SourceLines({"a.policy": "one\\ttab\\ntwo"}).line("a.policy", 1)
    'one tab'
    """

    def __init__(self, texts: dict[str, str] | None = None):
        self.texts = dict(texts or {})
        self.split: dict[str, list[str] | None] = {}

    def line(self, file: str, number: int) -> str | None:
        if file not in self.split:
            self.split[file] = self._lines(file)
        lines = self.split[file]
        if lines is None or number < 1:
            return None
        line = lines[number - 1] if number <= len(lines) else ""
        return line.replace("\t", " ")  # one column per tab, as lark counts it

    def _lines(self, file: str) -> list[str] | None:
        text = self.texts.get(file)
        if text is None and file.endswith(".policy"):
            text = _read_policy(file)
        return None if text is None else text.splitlines()


def _read_policy(file: str) -> str | None:
    """A policy file's text to quote, or None when it is not a regular, readable UTF-8 file
    within the size limit (a FIFO or a device is never opened for reading)."""
    try:
        return read_text(Path(file), MAX_POLICY_BYTES)
    except (FileRefused, OSError):
        return None


def _source_line(diagnostic: Diagnostic, lines: SourceLines) -> str | None:
    span = diagnostic.span
    if span is None or span.line < 1:
        return None
    return lines.line(span.file, span.line)


def render_text(diagnostic: Diagnostic, texts: dict[str, str] | SourceLines | None = None,
                colour: bool = False) -> str:
    """One diagnostic as a compiler would print it.

    >>> from policylang.core.source import Span
    >>> d = Diagnostic("PL010", "unknown name `x`", Span("a.policy", 1, 5, 1, 6), hint="did you mean `y`?")
    >>> print(render_text(d, {"a.policy": "if  x then"}))
    a.policy:1:5: error[PL010]: unknown name `x`
      1 | if  x then
        |     ^
      = hint: did you mean `y`?
    """
    paint = (lambda key, s: f"{COLOURS[key]}{s}{COLOURS['reset']}") if colour else (lambda key, s: s)
    where = diagnostic.span.location() if diagnostic.span else (diagnostic.file or "<facts>")
    if diagnostic.json_path:
        where += f": {diagnostic.json_path}"
    head = f"{where}: {paint(diagnostic.severity, diagnostic.severity)}[{diagnostic.code}]: {diagnostic.message}"
    lines = [head]
    lines_of = texts if isinstance(texts, SourceLines) else SourceLines(texts)
    line = _source_line(diagnostic, lines_of)
    if line is not None:
        number = str(diagnostic.span.line)
        gutter = " " * len(number)
        column = diagnostic.span.column
        length = 1
        if diagnostic.span.end_line == diagnostic.span.line:
            length = max(1, _width(line[column - 1:diagnostic.span.end_column - 1]))
        lines.append(f"  {number} | {line}")
        lines.append(f"  {gutter} | {' ' * _width(line[:column - 1])}{'^' * length}")
    for note in diagnostic.notes:
        lines.append(f"  = note: {note}")
    if diagnostic.hint:
        lines.append(f"  = {paint('hint', 'hint')}: {diagnostic.hint}")
    return "\n".join(lines)


def render_all_text(diagnostics, texts=None, colour=False, notes_shown: bool = True) -> str:
    """Every diagnostic, sorted by position, then a count; with `notes_shown=False` the
    notes are only counted (`policylang check --quiet`).

    >>> from policylang.core.source import Span
    >>> note = Diagnostic("PL068", "illustrative", Span("a.policy", 1, 1, 1, 2), severity="note")
    >>> render_all_text([note], {"a.policy": "x"}, notes_shown=False)
    '0 errors, 0 warnings, 1 note (not shown)'
    """
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    lines = SourceLines(texts)
    blocks = [render_text(d, lines, colour) for d in ordered
              if notes_shown or d.severity != "note"]
    errors = sum(d.is_error for d in ordered)
    warnings = sum(d.severity == "warning" for d in ordered)
    notes = len(ordered) - errors - warnings
    summary = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if notes:
        summary += f", {notes} note{'s' * (notes != 1)}" + ("" if notes_shown else " (not shown)")
    blocks.append(summary)
    return "\n\n".join(blocks)


def to_json(diagnostic: Diagnostic) -> dict:
    """A diagnostic as plain data for tools."""
    span = diagnostic.span
    data = {"code": diagnostic.code, "severity": diagnostic.severity,
            "message": diagnostic.message, "hint": diagnostic.hint, "notes": list(diagnostic.notes)}
    if span is not None:
        data["location"] = {"file": span.file, "line": span.line, "column": span.column,
                            "end_line": span.end_line, "end_column": span.end_column}
    if diagnostic.json_path is not None:
        data["location"] = {"file": diagnostic.file, "json_path": diagnostic.json_path}
    elif span is None and diagnostic.file:  # a whole file refused: no line to point at
        data["location"] = {"file": diagnostic.file}
    return data


def render_all_json(diagnostics) -> str:
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    return json.dumps({"schema": "policylang.diagnostics/1",
                       "diagnostics": [to_json(d) for d in ordered]}, ensure_ascii=False, indent=2)


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render_all_sarif(diagnostics, version: str) -> str:
    """Diagnostics as SARIF 2.1.0, the format code-review tools read."""
    ordered = sorted(diagnostics, key=Diagnostic.sort_key)
    rules = sorted({d.code for d in ordered})
    results = [_sarif_result(d) for d in ordered]
    run = {"tool": {"driver": {"name": "policylang", "version": version,
                               "rules": [{"id": code, "helpUri": f"docs/codes/{code}.md"} for code in rules]}},
           "results": results}
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]},
                      ensure_ascii=False, indent=2)


def _sarif_result(d: Diagnostic) -> dict:
    text = d.message + (f" (hint: {d.hint})" if d.hint else "")
    result = {"ruleId": d.code, "level": d.severity if d.severity in ("error", "warning", "note")
              else "warning", "message": {"text": text}}
    if d.span is not None:
        result["locations"] = [{"physicalLocation": {
            "artifactLocation": {"uri": d.span.file},
            "region": {"startLine": max(d.span.line, 1), "startColumn": max(d.span.column, 1),
                       "endLine": max(d.span.end_line, 1), "endColumn": max(d.span.end_column, 1)}}}]
    elif d.file:
        result["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": d.file}}}]
    return result
