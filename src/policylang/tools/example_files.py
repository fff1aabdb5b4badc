"""Where an example's facts file is, and whether `check` can find it: a missing or refused
`facts "…"` file is a warning of `check` (PL069), at the example's line, with the file the
author probably meant, instead of a surprise when `policylang test` runs the example."""

from __future__ import annotations

import os
from pathlib import Path

from .. import ir
from ..core.diagnostics import WARNING, Diagnostic, did_you_mean
from ..core.files import FileRefused, require_inside
from ..core.source import Span


def project_roots(policy_files: list[str]) -> list[Path]:
    """The folders example facts may come from: the folder holding every policy file (the
    rules folder) and its parent.

    >>> rules, project = project_roots(["rules/dibao.policy", "rules/tekun.policy"])
    >>> rules.name, project == rules.parent
    ('rules', True)
    """
    folders = [os.path.dirname(os.path.realpath(file)) for file in policy_files] or [os.getcwd()]
    rules = Path(os.path.commonpath(folders))
    return [rules, rules.parent]


def facts_path(span: Span, file: str, roots: list[Path]) -> Path:
    """Where an example's `facts "FILE"` is: relative to its policy file, and inside `roots`
    once symlinks are followed; an absolute path is refused (`FileRefused`) whatever it names.

    >>> facts_path(Span("rules/a.policy", 1, 1, 1, 1), "/dev/stdin", [Path("rules")])
    Traceback (most recent call last):
    ...
    policylang.core.files.FileRefused: the facts file `/dev/stdin` is an absolute path; write it relative to the policy file
    """
    if Path(file).is_absolute() or os.path.isabs(file):
        raise FileRefused("outside", f"the facts file `{file}` is an absolute path; write it "
                          "relative to the policy file")
    path = Path(span.file).parent / file
    require_inside(path, roots, f"the facts file `{file}`")
    return path


def example_file_problems(rules: ir.CheckedRules) -> list[Diagnostic]:
    """PL069 for each `facts` / `previous` file of an example that does not exist or may not
    be read (outside the rule set's project, absolute), with the closest file beside it.

    >>> from policylang.api import load
    >>> example_file_problems(load("rules").rules)
    []
    """
    files = {d.span.file for d in (*rules.programs.values(), *rules.parameters.values(),
                                   *rules.examples)}
    roots = project_roots(sorted(files))
    found = []
    for example in rules.examples:
        for file in (example.facts_file, example.previous_file):
            problem = file is not None and _problem(example.span, file, roots)
            if problem:
                found.append(Diagnostic("PL069", problem[0], example.span, severity=WARNING,
                                        hint=problem[1]))
    return found


def _problem(span: Span, file: str, roots: list[Path]) -> tuple[str, str] | None:
    try:
        path = facts_path(span, file, roots)
    except FileRefused as refused:
        return refused.message, "keep example facts beside the rules, or give `policylang " \
            "test --facts-root DIR`"
    if path.is_file():
        return None
    beside = [p.name for p in path.parent.glob("*.json*")] if path.parent.is_dir() else []
    return (f"the example's facts file `{file}` does not exist",
            did_you_mean(path.name, beside) or "the path is relative to the policy file")
