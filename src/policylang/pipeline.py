"""The driver: policy files → the checked program, pass after pass (`PASSES`).

`compile_paths` runs `PASSES`, in order, and nothing else: each pass takes what the one
before produced. A pass collects every error it finds and raises them together
(`PolicyError`); the driver stops between passes, as Catala's driver does, so a syntax error
in one file does not hide the other files' syntax errors, and nothing is checked that did
not parse. Warnings and notes (the checker's, the lints', what the batch engine cannot
compile) never stop it: they accumulate in `CheckedRules.warnings`.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Callable

from .syntax import nodes
from . import ir
import attrs

from .batch.capabilities import batch_problems
from .check import check
from .reform import apply_reforms
from .check.lint import lint
from .tools.example_files import example_file_problems
from .core.diagnostics import Diagnostic, PolicyError
from .core.files import HINTS, POLICY_CODES, FileRefused
from .core.limits import MAX_RULESET_BYTES
from .syntax.parse import parse_text
from .core.source import SourceFile, Span


def policy_files(path: Path) -> list[Path]:
    """The `.policy` files of a path: the file itself, or every one under a folder, sorted."""
    if path.is_dir():
        return sorted(path.rglob("*.policy"))
    return [path]


def rules_folder(path: Path) -> Path:
    """The folder a rules path stands for: the folder itself, or the one holding the file.
    Policy files are read only from inside it, so a symlink cannot bring in `/etc/passwd`."""
    return path if path.is_dir() else path.parent


def read_sources(paths: list[Path]) -> list[SourceFile]:
    """Read every policy file under `paths`, or raise a diagnostic naming what is missing,
    what is not a regular UTF-8 file inside its rules folder, or what is too large.

    The rule set as a whole is bounded too (`MAX_RULESET_BYTES`): reading stops at the first
    file past it.
    """
    sources, problems, total = [], [], 0
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
                source = SourceFile.read(file, within=[rules_folder(root)])
            except FileRefused as refused:
                problems.append(refused_file(refused, str(file)))
                continue
            total += len(source.text.encode("utf-8"))
            if total > MAX_RULESET_BYTES:
                problems.append(Diagnostic(
                    "PL004", f"the rule set is larger than {MAX_RULESET_BYTES} bytes "
                    f"(reading stopped at {file})", file=str(root),
                    hint="split it into rule sets checked on their own"))
                raise PolicyError(problems)
            sources.append(source)
    if problems:
        raise PolicyError(problems)
    return sources


def refused_file(refused: FileRefused, file: str) -> Diagnostic:
    """The diagnostic for a policy file that was not read (PL006, PL004 or PL002): at the line
    and column where its text stops being UTF-8, or else naming the whole file, so that the
    renderer quotes nothing of a file that may be `/etc/passwd` or `/dev/zero`."""
    span = None
    if refused.position:
        line, column = refused.position
        span = Span(file, line, column, line, column + 1)
    return Diagnostic(POLICY_CODES[refused.reason], refused.message, span,
                      hint=HINTS[refused.reason], file=None if span else file)


def parse_all(sources: list[SourceFile]) -> list[nodes.Module]:
    """Parse every file, collecting the syntax errors of all files before stopping; with
    them, the errors of the files that parsed which do not depend on a file that did not
    (`independent_errors`), so one syntax error does not hide every other mistake."""
    modules, problems, broken = [], [], []
    for source in sources:
        try:
            modules.append(parse_text(source.text, source.path))
        except PolicyError as error:
            problems.extend(error.diagnostics)
            broken.append(source)
    if problems:
        raise PolicyError(problems + independent_errors(modules, broken))
    return modules


DECLARED = re.compile(r"(?m)^\s*(?:source|jurisdiction|enum|entity|fact|key|has|parameter|"
                      r"definition|program|exception|condition|trigger|report)\s+([\w.]+)")


def independent_errors(modules: list[nodes.Module], broken: list[SourceFile]) -> list[Diagnostic]:
    """The errors `check` finds in the files that parsed, but for those that may come from a
    file that did not: an error that names something declared in a broken file (found by
    its declaration lines), and an error with no place in a file that parsed. Nothing when
    a broken file declares the entities, without which every rule would seem wrong.

    >>> schema = parse_text("entity household\\n  key id : text\\n  fact assets : money\\nend", "s.policy")
    >>> good = parse_text("definition d of household = assets + limit\\n"
    ...                   "definition e of household = asets", "a.policy")
    >>> broken = SourceFile("p.policy", "parameter limit : money\\n  national = 5 cite")
    >>> [d.message for d in independent_errors([schema, good], [broken])]  # not `limit`
    ['unknown name `asets`']
    """
    declared = {m.group(1) for source in broken for m in DECLARED.finditer(source.text)}
    if any(re.search(r"(?m)^\s*entity\s", source.text) for source in broken):
        return []
    try:
        check(modules)
    except PolicyError as error:
        found = error.diagnostics
    else:
        return []
    paths = {module.path for module in modules}
    return [d for d in found if d.is_error and d.span is not None and d.span.file in paths
            and not set(re.findall(r"`([^`]+)`", d.message)) & declared]


def digest(sources: list[SourceFile]) -> str:
    """A fingerprint of the rule text, recorded in every decisions file."""
    sha = hashlib.sha256()
    for source in sorted(sources, key=lambda s: s.path):
        sha.update(source.path.encode() + b"\0" + source.text.encode() + b"\0")
    return "sha256:" + sha.hexdigest()


def adding(find: Callable[[ir.CheckedRules], list[Diagnostic]]):
    """A pass that adds what `find` reports about the checked rules to their warnings."""
    def run(rules: ir.CheckedRules) -> ir.CheckedRules:
        found = rules.warnings + tuple(find(rules))
        return attrs.evolve(rules, warnings=tuple(sorted(found, key=Diagnostic.sort_key)))
    run.__doc__ = f"The checked rules, with the findings of `{find.__name__}` added."
    return run


PASSES = (
    ("read", read_sources),  # paths → sources: every missing folder and unreadable file
    ("parse", parse_all),  # sources → modules: every file's syntax errors
    ("check", check),  # modules → checked rules: every error of the rule set (check/)
    ("lint", adding(lint)),  # + warnings and notes about rules that are valid
    ("batch", adding(batch_problems)),  # + what the batch engine cannot compile (PL070)
    ("examples", adding(example_file_problems)),  # + example facts files not found (PL069)
)


def compile_paths(paths: list[Path], reforms: tuple = ()) -> tuple[ir.CheckedRules, list[SourceFile]]:
    """Run `PASSES` over the policy files under `paths`: the checked rules and the sources
    they were read from. `PolicyError` carries every diagnostic of the pass that failed.
    `reforms` (paths, applied in order) change the rules before they are checked
    (`reform/`); their sources come after the rules' own.

    >>> rules, sources = compile_paths([Path("rules")])
    >>> [name for name, _ in PASSES]
    ['read', 'parse', 'check', 'lint', 'batch', 'examples']
    >>> len(sources), len(rules.programs), [d.code for d in rules.warnings if d.code == "PL070"]
    (15, 15, [])
    >>> compile_paths([Path("rules"), Path("no-such-folder")])  # read fails: nothing parsed
    Traceback (most recent call last):
    ...
    policylang.core.diagnostics.PolicyError: no such file or folder: no-such-folder
    """
    _, read = PASSES[0]
    sources = read(paths)
    if not reforms:
        return compile_sources(sources), sources
    reform_sources = [read([Path(r)]) for r in reforms]
    parse = dict(PASSES)["parse"]
    modules, applied = apply_reforms(parse(sources), [parse(s) for s in reform_sources])
    result = modules
    for _, run in PASSES[2:]:
        result = run(result)
    return attrs.evolve(result, reforms=applied), sources + [s for r in reform_sources for s in r]


def compile_sources(sources: list[SourceFile]) -> ir.CheckedRules:
    """Run the passes after `read` over policy texts already in hand (an editor's open
    files): the checked rules, or `PolicyError` with every diagnostic of the pass that failed."""
    result = sources
    for _, run in PASSES[1:]:
        result = run(result)
    return result
