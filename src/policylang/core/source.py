"""Source files and spans: every node and every diagnostic points back into the text.

A span holds positions only; the text of a line is fetched again from the
`SourceFile` when a diagnostic is rendered (the lark habit), so messages never
carry stale copies of the source.
"""

from __future__ import annotations

import functools

from pathlib import Path

import attrs

from .files import BOM, read_text, require_inside
from .limits import MAX_POLICY_BYTES


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
    lines = _lines(whole)[span.line - 1:span.end_line] if whole and span.line >= 1 else []
    if not lines:
        return missing
    if len(lines) == 1:
        return lines[0][span.column - 1:span.end_column - 1]
    parts = [lines[0][span.column - 1:], *lines[1:-1], lines[-1][:span.end_column - 1]]
    return " ".join(part.strip() for part in parts if part.strip())


@functools.lru_cache(maxsize=64)
def _lines(text: str) -> tuple[str, ...]:
    """A file's lines, split once however often its spans are quoted."""
    return tuple(text.splitlines())


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
        those folders once symlinks are followed. Else `FileRefused`, whose message never
        quotes the file (see `core/files.py`; `pipeline.read_sources` makes it a diagnostic).
        """
        if within is not None:
            require_inside(path, within, "the policy file")
        return cls(display or str(path),
                   read_text(path, MAX_POLICY_BYTES + len(BOM), "the policy file"))

    def line_text(self, line: int) -> str:
        lines = self.text.splitlines()
        return lines[line - 1] if 1 <= line <= len(lines) else ""
