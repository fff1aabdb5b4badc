"""One rule set as an editor sees it: the `.policy` files of its folder, with the texts of
the files open in the editor in place of what is on disk, checked by the passes of
`policylang check`. Every diagnostic is kept by file, so a file with no problem left gets
its problems cleared; the last rules that checked are kept for hover and completion while
the text is broken.

>>> from pathlib import Path
>>> analysis = Analysis(Path("rules"))
>>> clean = analysis.update({})  # the files as saved
>>> text = Path("rules/dibao.policy").read_text(encoding="utf-8")
>>> found = analysis.update({str(Path("rules/dibao.policy").resolve()): text.replace(
...     "dibao_standard - monthly_income", "dibao_standrad - monthly_income")})
>>> [(d.code, d.span.line) for d in found[str(Path("rules/dibao.policy").resolve())]]
[('PL010', 73)]
>>> analysis.rules is not None  # the rules that last checked, kept for hover
True
"""

from __future__ import annotations

from pathlib import Path

from ..core.diagnostics import Diagnostic, PolicyError
from ..core.source import SourceFile
from ..core.files import FileRefused
from ..pipeline import compile_sources, policy_files, refused_file


class Analysis:
    """The rule set in `folder`; `update(open_texts)` checks it again."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()
        self.rules = None  # ir.CheckedRules of the last text that checked
        self.texts: dict[str, str] = {}  # the texts checked last, by absolute path
        self.diagnostics: dict[str, list[Diagnostic]] = {}

    def update(self, open_texts: dict[str, str]) -> dict[str, list[Diagnostic]]:
        """Check the rule set with `open_texts` (absolute path → text) over the files on
        disk; every file of the rule set gets its list, empty when it has no problem."""
        sources, refused = self._sources(open_texts)
        self.texts = {s.path: s.text for s in sources}
        found: dict[str, list[Diagnostic]] = {s.path: [] for s in sources}
        found.update({d.span.file if d.span else d.file: [d] for d in refused})
        try:
            rules = compile_sources(sources)
        except PolicyError as error:
            problems = error.diagnostics
        else:
            self.rules = rules
            problems = rules.warnings
        for d in problems:
            path = d.span.file if d.span is not None else d.file
            if path in found:
                found[path].append(d)
        self.diagnostics = found
        return found

    def _sources(self, open_texts: dict[str, str]) -> tuple[list[SourceFile], list[Diagnostic]]:
        """The files of the folder, as the editor holds them where it holds them; a file on
        disk that cannot be read as a policy file (too large, not UTF-8, a symlink out of
        the folder) is left out, with the diagnostic `check` would give."""
        by_path, refused = {}, []
        for path in policy_files(self.folder):
            try:
                source = SourceFile.read(path, within=[self.folder])
            except FileRefused as error:
                refused.append(refused_file(error, str(path.resolve())))
                continue
            by_path[str(path.resolve())] = source.text
        by_path.update({path: text for path, text in open_texts.items()
                        if Path(path).suffix == ".policy" and _inside(Path(path), self.folder)})
        return [SourceFile(path, text) for path, text in sorted(by_path.items())], refused


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder)
    except ValueError:
        return False
    return True
