"""The driver: policy files → the checked program, pass after pass (`PASSES`).

Each pass takes what the one before produced. A pass collects every error it finds and
raises them together (`PolicyError`); the driver stops between passes, as Catala's driver
does, so one syntax error in one file does not hide the others' syntax errors, and nothing
is checked that did not parse. What the batch engine cannot compile (PL070) is found by
`batch.capabilities`, which `policylang check` and `screen` run: loading rules to evaluate
one household does not pay for compiling them to columns.

>>> rules, sources = compile_paths([Path("rules")])
>>> [name for name, _ in PASSES], len(rules.programs), len(sources)
(['parse', 'check', 'lint'], 15, 14)
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .syntax import nodes
from . import ir
import attrs

from .check import check
from .check.lint import lint
from .core.diagnostics import Diagnostic, PolicyError
from .syntax.parse import parse_text
from .core.source import SourceFile, Span



def policy_files(path: Path) -> list[Path]:
    """The `.policy` files of a path: the file itself, or every one under a folder, sorted."""
    if path.is_dir():
        return sorted(path.rglob("*.policy"))
    return [path]


def read_sources(paths: list[Path]) -> list[SourceFile]:
    """Read every policy file under `paths`, or raise a diagnostic naming what is missing."""
    sources, problems = [], []
    for root in paths:
        if not root.exists():
            problems.append(Diagnostic("PL006", f"no such file or folder: {root}",
                                       Span(str(root), 1, 1, 1, 1), hint="check the path"))
            continue
        files = policy_files(root)
        if not files:
            problems.append(Diagnostic("PL006", f"no .policy files under {root}",
                                       Span(str(root), 1, 1, 1, 1)))
        for file in files:
            try:
                sources.append(SourceFile.read(file))
            except UnicodeDecodeError:
                problems.append(Diagnostic("PL002", "the file is not UTF-8 text",
                                           Span(str(file), 1, 1, 1, 1),
                                           hint="save it as UTF-8"))
    if problems:
        raise PolicyError(problems)
    return sources


def parse_all(sources: list[SourceFile]) -> list[nodes.Module]:
    """Parse every file, collecting the syntax errors of all files before stopping."""
    modules, problems = [], []
    for source in sources:
        try:
            modules.append(parse_text(source.text, source.path))
        except PolicyError as error:
            problems.extend(error.diagnostics)
    if problems:
        raise PolicyError(problems)
    return modules


def digest(sources: list[SourceFile]) -> str:
    """A fingerprint of the rule text, recorded in every decisions file."""
    sha = hashlib.sha256()
    for source in sorted(sources, key=lambda s: s.path):
        sha.update(source.path.encode() + b"\0" + source.text.encode() + b"\0")
    return "sha256:" + sha.hexdigest()


def with_lints(rules: ir.CheckedRules) -> ir.CheckedRules:
    """The checked rules with the lints' findings added to the checker's warnings."""
    findings = tuple(sorted(rules.warnings + tuple(lint(rules)), key=Diagnostic.sort_key))
    return attrs.evolve(rules, warnings=findings)


PASSES = (
    ("parse", parse_all),  # sources → modules: every file's syntax errors
    ("check", check),  # modules → checked rules: every error of the rule set
    ("lint", with_lints),  # checked rules → the same, with warnings and notes
)


def compile_paths(paths: list[Path]) -> tuple[ir.CheckedRules, list[SourceFile]]:
    """Read the policy files under `paths` and run the passes over them; `PolicyError`
    carries every diagnostic of the pass that failed."""
    sources = read_sources(paths)
    result = sources
    for _name, run in PASSES:
        result = run(result)
    return result, sources
