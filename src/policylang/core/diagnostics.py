"""Diagnostics are data: a code, a severity, a span (or a JSON path), a message and a hint.

Every error a user can cause becomes a `Diagnostic`; passes collect them in a
list and raise `PolicyError` between passes. Rendering lives in `render.py`.
"""

from __future__ import annotations

from typing import Iterable

import attrs

from .source import Span

ERROR = "error"
WARNING = "warning"


@attrs.frozen
class Diagnostic:
    """One finding about the rules or the facts.

    `span` locates it in a policy file; `json_path` locates it in a facts file
    (`members[1].birth_date`), with `file` naming that facts file.
    """

    code: str
    message: str
    span: Span | None = None
    hint: str | None = None
    severity: str = ERROR
    notes: tuple[str, ...] = ()
    json_path: str | None = None
    file: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def sort_key(self) -> tuple:
        if self.span is not None:
            return (self.span.file, self.span.line, self.span.column, self.code)
        return (self.file or "", 0, 0, self.json_path or "")


class PolicyError(Exception):
    """Raised between passes when diagnostics of severity error were collected."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(sorted(diagnostics, key=Diagnostic.sort_key))
        first = self.diagnostics[0] if self.diagnostics else None
        super().__init__(first.message if first else "policy error")


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """Suggest the closest known name, the way a compiler would.

    >>> did_you_mean("dibao_standrad", ["dibao_standard", "tekun_factor"])
    'did you mean `dibao_standard`?'
    """
    import difflib

    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else None
