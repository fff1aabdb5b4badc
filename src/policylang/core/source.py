"""Source files and spans: every node and every diagnostic points back into the text.

A span holds positions only; the text of a line is fetched again from the
`SourceFile` when a diagnostic is rendered (the lark habit), so messages never
carry stale copies of the source.
"""

from __future__ import annotations

from pathlib import Path

import attrs


@attrs.frozen
class Span:
    """Where a construct sits: file, 1-based line and column, and where it ends.

    >>> Span("rules/dibao.policy", 3, 5, 3, 12).location()
    'rules/dibao.policy:3:5'
    """

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


NO_SPAN = Span("<builtin>", 0, 0, 0, 0)


def span_text(texts: dict[str, str], span: Span, missing: str = "…") -> str:
    r"""The text of `span` as written, from the policy texts; a span over several lines is
    joined by spaces. Explanations and the catalogue both quote rules this way.

    >>> span_text({"a.policy": "condition c:\n  x <\n    y"}, Span("a.policy", 2, 3, 3, 6))
    'x < y'
    """
    whole = texts.get(span.file)
    lines = whole.splitlines()[span.line - 1:span.end_line] if whole and span.line >= 1 else []
    if not lines:
        return missing
    if len(lines) == 1:
        return lines[0][span.column - 1:span.end_column - 1]
    parts = [lines[0][span.column - 1:], *lines[1:-1], lines[-1][:span.end_column - 1]]
    return " ".join(part.strip() for part in parts if part.strip())


@attrs.frozen
class SourceFile:
    """The text of one policy file, kept so diagnostics can quote its lines."""

    path: str
    text: str

    @classmethod
    def read(cls, path: Path, display: str | None = None,
             within: list[Path] | None = None) -> "SourceFile":
        """Read a policy file the user named: a regular file, at most the policy file limit
        (plus a byte order mark), UTF-8 text, and, given `within`, one that lies in one of
        those folders once symlinks are followed. Else `PolicyError` with PL006, PL004 or
        PL002 naming the file and never quoting it (see `core/files.py`)."""
        from .diagnostics import PolicyError  # here: diagnostics and files import Span
        from .files import BOM, FileRefused, read_text, refusal_diagnostic, require_inside
        from .limits import MAX_POLICY_BYTES
        name = display or str(path)
        try:
            if within is not None:
                require_inside(path, within, "the policy file")
            text = read_text(path, MAX_POLICY_BYTES + len(BOM), "the policy file", name)
        except FileRefused as refused:
            raise PolicyError([refusal_diagnostic(refused, name)]) from None
        return cls(name, text)

    def line_text(self, line: int) -> str:
        lines = self.text.splitlines()
        return lines[line - 1] if 1 <= line <= len(lines) else ""
