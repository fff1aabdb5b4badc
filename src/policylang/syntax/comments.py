"""The formatter's lines, and where comments go: the grammar drops comments, so they are
re-lexed from the text and each is put back beside the printed line that starts on the
source line it was written on (every printed line records that line as its anchor).
"""

from __future__ import annotations

import bisect
import re

import attrs


@attrs.define
class Line:
    """One printed line and the source line its construct starts on (its anchor, or None
    for lines inside a pretty-printed JSON value), so that comments can find it."""

    text: str
    anchor: int | None
    comment_indent: int  # own-line comments above this line are indented this much
    blank_before: bool = False
    above: list["Comment"] = attrs.Factory(list)
    trailing: str | None = None


@attrs.frozen
class Comment:
    """A `#` comment as written: its line, text, and whether code came before it there."""

    line: int
    text: str
    own_line: bool
    blank_before: bool  # an own-line comment keeps one blank line around it if it had one
    blank_after: bool


_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*')


def comments_in(text: str) -> list[Comment]:
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
        found.append(Comment(line, match.group().rstrip(), own,
                              own and line > 1 and blank[line - 2], own and blank[line]))
    return found


def place_comments(lines: list[Line], comments: list[Comment]) -> list[Comment]:
    """Hang each comment on a printed line; return those that come after the last one.

    A comment at the end of a line stays at the end of a line: of the last printed line of
    the construct written there (the last line anchored at or before it — a condition whose
    test went on the next line keeps the comment on its own line, not on the next
    condition's). Any other comment goes above the first printed line anchored after it —
    the declaration or item that follows it. Anchors grow down the page, so one bisect
    finds it.
    """
    anchored = [(line.anchor, line) for line in lines if line.anchor is not None]
    starts = [anchor for anchor, _ in anchored]
    last_on = {anchor: line for anchor, line in anchored}
    leftover = []
    for comment in comments:
        index = bisect.bisect_right(starts, comment.line)
        if not comment.own_line and index > 0:
            host = last_on[starts[index - 1]]
            if host.trailing is None:
                host.trailing = comment.text
                continue
        if index == len(anchored):
            leftover.append(comment)
        else:
            anchored[index][1].above.append(comment)
    return leftover


def render(lines: list[Line], leftover: list[Comment]) -> str:
    """The text: blank lines asked for twice (a separator and a comment's) collapse into
    one, and the file ends with exactly one newline."""
    out: list[str] = []

    def blank():
        if out and out[-1]:
            out.append("")

    def comment(c: Comment, indent: int):
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
