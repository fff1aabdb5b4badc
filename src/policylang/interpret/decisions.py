"""Decisions: what the interpreter concludes for each program and subject, and
their JSON form (CONTRACT §3, schema `policylang.decisions/1`)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import attrs

from ..core.diagnostics import Diagnostic
from ..ir import Citation
from ..interpret.trace import Amount, ConditionResult, ExceptionResult, ParameterUse
from ..core.values import ABSENT, Unknown

OUTCOMES = ("eligible", "not_eligible", "unknown", "not_applicable")


@attrs.frozen
class Decision:
    """One program's decision for one subject, with the trace that explains it."""

    program: str
    label_zh: str
    label_en: str | None
    subject_kind: str
    subject_id: str
    outcome: str
    amount: Amount | None
    rule_file: str
    rule_line: int
    citations: tuple[Citation, ...]
    reason: str
    by: str | None = None  # the exception that decided, if any
    paid_to: str | None = None
    conditions: tuple[ConditionResult, ...] = ()
    exceptions: tuple[ExceptionResult, ...] = ()
    parameters: tuple[ParameterUse, ...] = ()
    missing: tuple[str, ...] = ()
    yielded_to: str | None = None
    triggers: tuple[ConditionResult, ...] = ()
    reports: dict = attrs.field(factory=dict)
    notes: tuple[str, ...] = ()
    distances: dict = attrs.field(factory=dict)  # condition → whynot.Distance
    # why a program did not apply, as data an explanation can phrase in any language:
    # ("place", places, place) | ("period", start, end, date) | ("previous",) | ("scope", date)
    # and why an unknown one is unknown where no condition says it:
    # ("jurisdiction",) | ("yields",) | ("amount",)
    reason_key: tuple = ()

    def to_json(self, explanation: dict | None = None) -> dict:
        """The decision as CONTRACT §3 data; `explanation` is its `policylang.explanation/1`
        model (built here, in English and without source snippets, when not given)."""
        data: dict[str, Any] = {
            "program": self.program,
            "subject": {"kind": self.subject_kind, "id": self.subject_id},
            "outcome": self.outcome,
        }
        if self.amount is not None:
            data["amount"] = {"value": f"{self.amount.value:.2f}", "unit": self.amount.unit,
                              "per": self.amount.per}
        if self.paid_to:
            data["paid_to"] = self.paid_to
        for name, value in self.reports.items():
            data[name] = plain(value)
        if self.triggers and self.outcome == "eligible":
            data["triggers"] = [t.name for t in self.triggers if t.value is True]
        data["rule"] = {"id": self.program, "file": self.rule_file, "line": self.rule_line}
        if self.by:
            data["rule"]["exception"] = self.by
        data["citations"] = [c.render() for c in self.citations]
        if explanation is None:
            from ..explain.model import Labels, build
            explanation = build(self, {}, "en", Labels(None))
        data["explanation"] = explanation
        return data


@attrs.frozen
class HouseholdDecisions:
    household: str
    decisions: tuple[Decision, ...]
    errors: tuple[Diagnostic, ...]

    def find(self, program: str, subject: str | None = None) -> Decision | None:
        """The decision of `program` for `subject` (a member id; the household when None)."""
        for decision in self.decisions:
            if decision.program != program:
                continue
            if subject is None and decision.subject_kind == "household":
                return decision
            if subject is not None and decision.subject_id == subject and (
                    decision.subject_kind != "household" or subject == self.household):
                return decision
        return None

    def to_json(self, explanations: list[dict] | None = None) -> dict:
        shown = explanations or [None] * len(self.decisions)
        return {"household": self.household,
                "decisions": [d.to_json(e) for d, e in zip(self.decisions, shown)],
                "errors": [_error_json(e) for e in self.errors]}


@attrs.frozen
class Decisions:
    """The result of evaluating households on a date: iterate it, or dump it as JSON."""

    date: dt.date
    rules_path: str
    rules_digest: str
    households: tuple[HouseholdDecisions, ...]
    texts: dict[str, str] = attrs.field(factory=dict, eq=False, repr=False)
    rules: Any = attrs.field(default=None, eq=False, repr=False)  # ir.CheckedRules, for labels

    def __iter__(self):
        return iter(self.households)

    def __len__(self) -> int:
        return len(self.households)

    def __getitem__(self, index: int) -> HouseholdDecisions:
        return self.households[index]

    @property
    def has_errors(self) -> bool:
        return any(h.errors for h in self.households)

    def to_json(self, lang: str = "en") -> dict:
        from ..explain.model import Labels, build
        labels = Labels(self.rules)
        return {"schema": "policylang.decisions/1", "date": self.date.isoformat(),
                "rules": {"path": self.rules_path, "digest": self.rules_digest},
                "households": [h.to_json([build(d, self.texts, lang, labels) for d in h.decisions])
                               for h in self.households]}

    def dumps(self, lang: str = "en") -> str:
        return json.dumps(self.to_json(lang), ensure_ascii=False, indent=2)

    def explain(self, lang: str = "en") -> str:
        """Plain-text explanation of every decision, in English or Chinese (`lang="zh"`)."""
        from ..explain.text import explain_decisions
        return explain_decisions(self, self.texts, self.rules, lang)

    def explanations(self, lang: str = "en") -> dict:
        """Every decision's explanation (`policylang.explanation/1`), as one report."""
        from ..explain.model import report
        return report(self, self.texts, self.rules, lang)


def plain(value: Any) -> Any:
    """An engine value as JSON data: money as a decimal string, dates in ISO form."""
    if isinstance(value, Unknown):
        return {"unknown": sorted(value.missing)}
    if value is ABSENT:
        return None
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (frozenset, set)):
        return sorted(plain(v) for v in value)
    if isinstance(value, tuple):
        return [getattr(v, "id", None) or getattr(v, "path", "?") for v in value]
    return str(value)


def format_decimal(value: Decimal) -> str:
    """Exact values as written by people: at most the digits needed, no exponent.

    >>> format_decimal(Decimal("1000.000000")), format_decimal(Decimal("2E+3"))
    ('1000', '2000')
    """
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    text = f"{value.normalize():f}"
    return text


def _error_json(d: Diagnostic) -> dict:
    return {"path": d.json_path or (d.span.location() if d.span else None),
            "file": d.file, "code": d.code, "message": d.message, "hint": d.hint}
