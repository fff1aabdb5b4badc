"""Clause coverage of the examples: which conditions, triggers, exceptions and parameter
values no example exercised.

A condition or trigger is exercised when the examples saw it both hold and fail (anywhere,
for any subject: every decision an example makes counts, not only the expected ones); an
exception when it fired at least once; a parameter value when some lookup used it.
"""

from __future__ import annotations

from collections import defaultdict

from ..core.diagnostics import WARNING, Diagnostic
from ..ir import CheckedRules


def uncovered_clauses(rules: CheckedRules, results) -> list[Diagnostic]:
    """One warning per clause the examples never exercised, in file order."""
    seen: dict[tuple, set] = defaultdict(set)
    fired: set[tuple] = set()
    used: set[tuple] = set()
    for result in results:
        for decision in (result.decided.decisions if result.decided else ()):
            _record(decision, seen, fired, used)
    findings = []
    for program in rules.programs.values():
        findings += _conditions(program.name, "condition", program.conditions, seen)
        findings += _conditions(program.name, "trigger", program.triggers, seen)
        for exception in program.exceptions:
            key = (program.name, exception.name)
            findings += _conditions(f"{program.name}.{exception.name}", "condition",
                                    exception.conditions, seen)
            if key not in fired:
                findings.append(_warning(exception.span, f"exception `{exception.name}` of "
                                         f"`{program.name}` never fired in an example"))
    for parameter in rules.parameters.values():
        for value in parameter.values:
            if (parameter.name, value.place, value.start) not in used:
                since = f" from {value.start}" if value.start else ""
                where = f"for `{value.place}`" if value.place is not None else "(everywhere)"
                findings.append(_warning(value.span, f"the value of `{parameter.name}` {where}"
                                         f"{since} is used by no example"))
    return sorted(findings, key=Diagnostic.sort_key)


def _record(decision, seen, fired, used) -> None:
    for condition in decision.conditions:
        seen[(decision.program, "condition", condition.name)].add(condition.value)
    for trigger in decision.triggers:
        seen[(decision.program, "trigger", trigger.name)].add(trigger.value)
    for exception in decision.exceptions:
        owner = f"{decision.program}.{exception.name}"
        for condition in exception.conditions:
            seen[(owner, "condition", condition.name)].add(condition.value)
        if exception.fired:
            fired.add((decision.program, exception.name))
    for use in decision.parameters:
        used.add((use.name, use.place, use.start))


def _conditions(owner: str, kind: str, conditions, seen) -> list[Diagnostic]:
    findings = []
    for condition in conditions:
        values = seen.get((owner, kind, condition.name), set())
        missing = [word for word, value in (("held", True), ("failed", False)) if value not in values]
        if missing:
            findings.append(_warning(condition.span, f"{kind} `{condition.name}` of `{owner}` "
                                     f"never {' or '.join(missing)} in an example"))
    return findings


def _warning(span, message: str) -> Diagnostic:
    return Diagnostic("PL050", message, span, severity=WARNING,
                      hint="add an example beside the rule that exercises it")
