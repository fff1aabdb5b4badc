"""`policylang test`: run the examples written beside the rules.

An example names a date, the facts (a file relative to the policy file, or
inline JSON, with optional `with path = value` changes) and what each program
should decide: outcome, amount, and the exception that decided it.

A facts file is read only if it is a regular file inside the rule set's project — the
rules folder and its parent, unless the caller gives other folders (`test --facts-root`):
rules may come from someone else, and `facts "/etc/…"`, `facts "../../…"`, `/dev/stdin` or a
symlink leading out must not make `test` read, or echo, a file of the machine.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from ..syntax import nodes
from ..api import RuleSet
from ..facts.load import load_household, parse_json
from ..core.values import Unknown
from ..interpret.decisions import HouseholdDecisions
from ..core.files import FileRefused, read_text
from .example_files import facts_path, project_roots
from ..core.limits import MAX_FACTS_BYTES
from ..core.source import Span

# A facts file leading out of the project is a path problem; any other unreadable one, a facts one.
FACTS_CODES = {"outside": "PL006", "path": "PL101", "size": "PL101", "encoding": "PL101"}


@attrs.frozen
class ExampleResult:
    title: str
    span: Span
    failures: tuple[str, ...]
    decided: HouseholdDecisions | None = None  # every decision made, for clause coverage

    @property
    def passed(self) -> bool:
        return not self.failures


def run_examples(ruleset: RuleSet, facts_roots: list[Path] | None = None) -> list[ExampleResult]:
    """Run every example of the rule set, in file order; facts files are read only from
    under `facts_roots` (by default `project_roots` of the rule set's files)."""
    roots = facts_roots or project_roots(list(ruleset.texts))
    return [run_example(ruleset, example, roots) for example in ruleset.rules.examples]


def run_example(ruleset: RuleSet, example: nodes.Example,
                roots: list[Path] | None = None) -> ExampleResult:
    """Load the facts (and the previous snapshot, if any), apply the changes, decide, compare.

    Without `previous facts`, a `with previous …` change applies to a copy of the facts as
    they were before the example's other changes.
    """
    try:
        data, before = example_facts(example, roots)
    except (OSError, ValueError) as error:
        return ExampleResult(example.title, example.span, (str(error),))
    schema = ruleset.rules.schema
    loaded = load_household(data, schema, example.facts_file or "<inline facts>")
    previous = load_household(before, schema, "<previous facts>") if before is not None else None
    errors = loaded.errors + (previous.errors if previous else ())
    if errors:
        return ExampleResult(example.title, example.span,
                             tuple(f"facts error at {e.json_path}: {e.message}" for e in errors))
    result = ruleset.evaluate_one(loaded, example.date, None, previous.record if previous else None)
    failures = [f"evaluation error: {e.message}" for e in result.errors]
    subjects = _subject_ids(loaded.record)
    for expectation in example.expectations:
        failures.extend(_check(result, expectation, subjects))
    return ExampleResult(example.title, example.span, tuple(failures), result)


def example_facts(example: nodes.Example, roots: list[Path] | None = None) -> tuple[Any, Any]:
    """The example's household object and previous snapshot (or None), changes applied.
    Facts files are read only from under `roots` (by default the project of the example's
    own policy file).

    Raises ValueError naming what could not be read or changed.
    """
    roots = roots or project_roots([example.span.file])
    try:
        data = _facts(example.span, example.facts_file, example.facts_inline, roots)
        before = _facts(example.span, example.previous_file, example.previous_inline, roots)
    except FileRefused as refused:
        code = FACTS_CODES[refused.reason]
        raise ValueError(f"error[{code}]: cannot read the facts: {refused.message}") from None
    except ValueError as error:
        raise ValueError(f"cannot read the facts: {error}") from None
    if before is None and any(o.previous for o in example.overrides):
        before = copy.deepcopy(data)
    for override in example.overrides:
        problem = _apply(before if override.previous else data, override)
        if problem:
            raise ValueError(problem)
    return data, before


def _facts(span: Span, file: str | None, inline: Any, roots: list[Path]) -> Any:
    if inline is not None:
        return copy.deepcopy(inline)
    if file is None:
        return None
    return parse_json(read_text(facts_path(span, file, roots), MAX_FACTS_BYTES,
                                f"the facts file `{file}`"))


def _apply(data: Any, override: nodes.Override) -> str | None:
    target = data
    *steps, last = override.path
    try:
        for step in steps:
            target = target[step]
        if isinstance(last, int):
            target[last] = override.value
        else:
            target[last] = copy.deepcopy(override.value)
    except (KeyError, IndexError, TypeError):
        return f"line {override.span.line}: the facts have no `{_path_text(override.path)}`"
    return None


def _path_text(path) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _check(result, expectation: nodes.Expectation, subjects: set[str]) -> list[str]:
    top = result.kind  # `expect P for <top entity>` names the top record itself
    subject = None if expectation.subject in (None, top) else expectation.subject
    where = f"line {expectation.span.line}: {expectation.program} for {expectation.subject or top}"
    if expectation.outcome == "value":
        return _check_output(result, expectation, subject, where)
    decision = result.find(expectation.program, subject)
    if subject is not None and subject not in subjects:
        return [f"{where}: the facts have no record with the id `{subject}`"]
    if decision is None:
        # a program that makes no decision for a subject does not apply to it
        return [] if expectation.outcome == "not_applicable" else [f"{where}: no decision was made"]
    failures = []
    if decision.outcome != expectation.outcome:
        failures.append(f"{where}: expected {expectation.outcome}, got {decision.outcome} "
                        f"({decision.reason})")
    if expectation.amount is not None:
        got = decision.amount.value if decision.amount else None
        if got is None or Decimal(got) != expectation.amount:
            failures.append(f"{where}: expected amount {expectation.amount}, got {got}")
    if expectation.by is not None and decision.by != expectation.by:
        failures.append(f"{where}: expected it decided by `{expectation.by}`, got "
                        f"{'`' + decision.by + '`' if decision.by else 'the base rule'}")
    return failures


def _check_output(result, expectation: nodes.Expectation, subject, where: str) -> list[str]:
    """`expect NAME [for S] = V`: the output's value for the record (the top one if no `for`)."""
    found = [o for o in result.outputs if o.name == expectation.program
             and (o.subject_id == subject if subject is not None else o.subject_kind == result.kind)]
    if not found:
        return [f"{where}: no value of the output was computed"]
    value = found[0].value
    if isinstance(value, Unknown):
        return [f"{where}: expected {expectation.amount}, got unknown (missing "
                f"{', '.join(sorted(value.missing))})"]
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)) or \
            Decimal(value) != expectation.amount:
        return [f"{where}: expected {expectation.amount}, got {value}"]
    return []


def _subject_ids(record) -> set[str]:
    """Every id in the household: its own and its members' (and their records')."""
    ids, stack = set(), [record]
    while stack:
        current = stack.pop()
        if current.id:
            ids.add(current.id)
        for held in current.relations.values():
            if isinstance(held, tuple):
                stack.extend(held)
    return ids
