"""The error the interpreter raises for a problem only the data reveals."""

from __future__ import annotations

from ..core.diagnostics import Diagnostic
from ..core.source import Span


class EvalError(Exception):
    """A problem only the data reveals (division by zero, …), as a diagnostic."""

    def __init__(self, code: str, message: str, span: Span, hint: str | None = None):
        super().__init__(message)
        self.diagnostic = Diagnostic(code, message, span, hint=hint)
