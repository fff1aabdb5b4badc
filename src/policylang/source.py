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


@attrs.frozen
class SourceFile:
    """The text of one policy file, kept so diagnostics can quote its lines."""

    path: str
    text: str

    @classmethod
    def read(cls, path: Path, display: str | None = None) -> "SourceFile":
        return cls(display or str(path), path.read_text(encoding="utf-8"))

    def line_text(self, line: int) -> str:
        lines = self.text.splitlines()
        return lines[line - 1] if 1 <= line <= len(lines) else ""
