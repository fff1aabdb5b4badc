"""Plain-text explanations a caseworker can read aloud, from the interpreter's trace.

For each decision: the outcome and amount, the conditions with the values they
compared, the exception that decided or was tried, the parameters used (with
place, date and citation) and the facts still missing. Richer formats come from
the same decisions later (Markdown, HTML, Chinese).
"""

from __future__ import annotations

from .decisions import Decision, Decisions, format_decimal, plain
from .trace import Comparison, ConditionResult
from .values import ABSENT, Unknown

MARKS = {True: "✓", False: "✗", None: "·"}
OUTCOME_WORDS = {"eligible": "ELIGIBLE", "not_eligible": "NOT ELIGIBLE",
                 "unknown": "UNKNOWN", "not_applicable": "NOT APPLICABLE"}


def explain_decisions(decisions: Decisions, texts: dict[str, str],
                      subject: str | None = None, program: str | None = None) -> str:
    """Every decision of every household, optionally only one subject or program."""
    blocks = [f"Decisions on {decisions.date} (rules {decisions.rules_path}, {decisions.rules_digest[:19]}…)"]
    for household in decisions:
        blocks.append(f"Household {household.household}")
        for error in household.errors:
            blocks.append(f"  error at {error.json_path}: {error.message}")
        for decision in by_subject(household.decisions):
            if program and decision.program != program:
                continue
            if subject and decision.subject_id != subject:
                continue
            blocks.append(explain_decision(decision, texts))
    return "\n\n".join(blocks) + "\n"


def by_subject(decisions) -> list[Decision]:
    """The household's own decisions first, then each member's, as a caseworker reads a file."""
    order: dict[tuple[str, str], int] = {}
    for decision in decisions:
        order.setdefault((decision.subject_kind, decision.subject_id), len(order))
    households = [d for d in decisions if d.subject_kind == "household"]
    others = [d for d in decisions if d.subject_kind != "household"]
    return households + sorted(others, key=lambda d: order[(d.subject_kind, d.subject_id)])


def explain_decision(decision: Decision, texts: dict[str, str]) -> str:
    """One decision, indented, as a few lines of plain text."""
    title = f"{decision.label_zh} / {decision.label_en}" if decision.label_en else decision.label_zh
    head = (f"{decision.program} ({title}) for {decision.subject_kind} {decision.subject_id}: "
            f"{OUTCOME_WORDS[decision.outcome]}")
    if decision.amount is not None:
        head += f" — {decision.amount.value:.2f} {decision.amount.unit} per {decision.amount.per}"
    if decision.paid_to:
        head += f", paid to the {decision.paid_to}"
    lines = [head, f"  why: {decision.reason}"]
    if decision.by:
        lines.append(f"  decided by the exception `{decision.by}`, which overrides the rule for "
                     f"the {decision.subject_kind}")
    for condition in decision.conditions:
        lines.extend(_condition(condition, texts, "  "))
    if decision.triggers:
        lines.append("  triggers (any one is enough):")
        for trigger in decision.triggers:
            lines.extend(_condition(trigger, texts, "    "))
    for name, value in decision.reports.items():
        lines.append(f"  {name}: {_value(value)}")
    for note in decision.notes:
        lines.append(f"  note: {note}")
    for exception in decision.exceptions:
        verdict = {True: "applies", False: "does not apply", None: "cannot be decided"}[exception.fired]
        lines.append(f"  exception `{exception.name}` ({exception.label}): {verdict}")
        if exception.note:
            lines.append(f"    {exception.note}")
        for condition in exception.conditions:
            lines.extend(_condition(condition, texts, "    "))
    if decision.missing:
        lines.append("  facts needed: " + ", ".join(decision.missing))
    for use in decision.parameters:
        where = use.place if not use.fell_back else f"{use.place}, for {use.asked_for}"
        since = f", since {use.start}" if use.start else ""
        until = f", until {use.end}" if use.end else ""
        lines.append(f"  parameter {use.name} = {_value(use.value)} ({where}{since}{until}; "
                     f"{use.citation.render()})")
    lines.append(f"  rule: {decision.rule_file}:{decision.rule_line}")
    for citation in decision.citations:
        lines.append(f"  source: {citation.render()}")
    return "\n".join(lines)


def _condition(condition: ConditionResult, texts, indent: str) -> list[str]:
    value = condition.value
    mark = MARKS[value] if isinstance(value, bool) or value is None else "?"
    label = f" ({condition.label})" if condition.label else ""
    lines = [f"{indent}{mark} {condition.name}{label}"]
    if condition.note:
        lines.append(f"{indent}    {condition.note}")
    if isinstance(value, Unknown):
        lines.append(f"{indent}    unknown: needs {', '.join(sorted(value.missing))}")
    for comparison in condition.comparisons:
        lines.append(f"{indent}    {_comparison(comparison, texts)}")
    compared = {span for c in condition.comparisons for span in (c.left_span, c.right_span)}
    for definition in condition.definitions:
        if definition.span in compared:
            continue  # its value is already shown in the comparison
        if definition.kind == "decision":  # another program's decision
            lines.append(f"{indent}    decision {definition.name} ({definition.path}): "
                         f"{_value(definition.value)}")
            continue
        label = f" ({definition.label})" if definition.label else ""
        lines.append(f"{indent}    where {definition.name}{label} = {_value(definition.value)}")
    return lines


def _comparison(c: Comparison, texts) -> str:
    left, right = _snippet(c.left_span, texts), _snippet(c.right_span, texts)
    shown_left = left if left == _value(c.left) else f"{left} = {_value(c.left)}"
    shown_right = right if right == _value(c.right) else f"{right} = {_value(c.right)}"
    return f"{shown_left} {c.op} {shown_right}: {_value(c.result)}"


def _snippet(span, texts) -> str:
    text = texts.get(span.file)
    if text is None:
        return "…"
    lines = text.splitlines()
    if span.line != span.end_line:
        return " ".join(l.strip() for l in lines[span.line - 1:span.end_line])[:80]
    return lines[span.line - 1][span.column - 1:span.end_column - 1]


def _value(value) -> str:
    if isinstance(value, Unknown):
        return "unknown"
    if value is ABSENT:
        return "absent"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (frozenset, set)):
        return "{" + ", ".join(sorted(_value(v) for v in value)) + "}"
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in plain(value)) + "]"
    from decimal import Decimal
    if isinstance(value, Decimal):
        return format_decimal(value) if value == value.quantize(Decimal("0.0001")) else \
            format_decimal(value.quantize(Decimal("0.0001")))
    return str(value)
