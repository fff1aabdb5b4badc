"""`policylang lsp`: the language server, over stdio (pygls). Each open `.policy` file
belongs to the rule set of its folder — the workspace folder that holds it, or else its own
folder — which is checked again, with every open text, whenever one changes; diagnostics go
to every file of that rule set. Hover, definition, references, completion and rename answer
from the last rules that checked (`analysis.py`), formatting from `fmt`.
"""

from __future__ import annotations

import re
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..core.diagnostics import PolicyError
from ..syntax.formatter import format_text
from ..syntax.highlight import BUILTIN_FUNCTIONS
from .analysis import Analysis
from .completion import KEYWORDS, completions
from .hover import hover_text
from .symbols import SymbolIndex

SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "note": types.DiagnosticSeverity.Information}
KINDS = {"keyword": types.CompletionItemKind.Keyword, "function": types.CompletionItemKind.Function,
         "definition": types.CompletionItemKind.Field, "parameter": types.CompletionItemKind.Constant,
         "fact": types.CompletionItemKind.Variable, "list": types.CompletionItemKind.Variable,
         "program": types.CompletionItemKind.Module, "enum": types.CompletionItemKind.EnumMember,
         "place": types.CompletionItemKind.Value, "source": types.CompletionItemKind.Reference}
RENAMABLE = ("definition", "parameter")
NAME = re.compile(r"[^\W\d]\w*")
RESERVED = set(KEYWORDS + BUILTIN_FUNCTIONS + ("true", "false"))  # what completion offers as words


class PolicyServer(LanguageServer):
    """A language server that keeps one `Analysis` per rule set folder."""

    def __init__(self):
        super().__init__("policylang", __version__)
        self.analyses: dict[Path, Analysis] = {}
        self.indexes: dict[Path, SymbolIndex] = {}

    def analysis_for(self, path: Path) -> Analysis:
        folder = self.rule_set_folder(path)
        if folder not in self.analyses:
            self.analyses[folder] = Analysis(folder)
        return self.analyses[folder]

    def rule_set_folder(self, path: Path) -> Path:
        """The workspace folder holding `path`, or the file's own folder."""
        path = path.resolve()
        for folder in self.workspace.folders.values():
            root = Path(to_fs_path(folder.uri) or "").resolve()
            if root in path.parents:
                return root
        return path.parent

    def open_texts(self) -> dict[str, str]:
        return {str(Path(to_fs_path(uri)).resolve()): doc.source
                for uri, doc in self.workspace.text_documents.items() if to_fs_path(uri)}

    def check(self, uri: str) -> None:
        """Check the rule set of `uri` again and publish every file's diagnostics."""
        path = Path(to_fs_path(uri))
        analysis = self.analysis_for(path)
        found = analysis.update(self.open_texts())
        if analysis.rules is not None:
            self.indexes[analysis.folder] = SymbolIndex(analysis.rules, analysis.texts)
        for file, diagnostics in found.items():
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=from_fs_path(file), diagnostics=[_diagnostic(d) for d in diagnostics]))

    def symbol_at(self, uri: str, position: types.Position):
        path = Path(to_fs_path(uri)).resolve()
        analysis = self.analysis_for(path)
        index = self.indexes.get(analysis.folder)
        if index is None:
            return None, None
        return index, index.at(str(path), position.line + 1, position.character + 1)


def _diagnostic(d) -> types.Diagnostic:
    span = d.span
    start = types.Position(line=max(span.line - 1, 0), character=max(span.column - 1, 0)) \
        if span else types.Position(line=0, character=0)
    end = types.Position(line=max(span.end_line - 1, 0), character=max(span.end_column - 1, 0)) \
        if span else start
    message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
    return types.Diagnostic(range=types.Range(start=start, end=end), message=message,
                            severity=SEVERITY.get(d.severity, types.DiagnosticSeverity.Error),
                            code=d.code, source="policylang")


def _location(occurrence) -> types.Location:
    start = types.Position(line=occurrence.line - 1, character=occurrence.column - 1)
    end = types.Position(line=occurrence.line - 1,
                         character=occurrence.column - 1 + occurrence.length)
    return types.Location(uri=from_fs_path(occurrence.file), range=types.Range(start=start, end=end))


server = PolicyServer()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PolicyServer, params: types.DidOpenTextDocumentParams):
    ls.check(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: PolicyServer, params: types.DidChangeTextDocumentParams):
    ls.check(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: PolicyServer, params: types.DidSaveTextDocumentParams):
    ls.check(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: PolicyServer, params: types.HoverParams):
    index, occurrence = ls.symbol_at(params.text_document.uri, params.position)
    if occurrence is None:
        return None
    text = hover_text(index.rules, index.texts, occurrence.key)
    if text is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
                       range=_location(occurrence).range)


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: PolicyServer, params: types.DefinitionParams):
    index, occurrence = ls.symbol_at(params.text_document.uri, params.position)
    declared = index.declarations.get(occurrence.key) if occurrence else None
    return _location(declared) if declared else None


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def references(ls: PolicyServer, params: types.ReferenceParams):
    index, occurrence = ls.symbol_at(params.text_document.uri, params.position)
    if occurrence is None:
        return []
    found = index.uses(occurrence.key)
    declared = index.declarations.get(occurrence.key)
    if params.context.include_declaration and declared:
        found = [declared] + found
    return [_location(o) for o in found]


@server.feature(types.TEXT_DOCUMENT_COMPLETION,
                types.CompletionOptions(trigger_characters=[".", " "]))
def completion(ls: PolicyServer, params: types.CompletionParams):
    path = Path(to_fs_path(params.text_document.uri)).resolve()
    analysis = ls.analysis_for(path)
    document = ls.workspace.get_text_document(params.text_document.uri)
    lines = document.source.splitlines()
    line = lines[params.position.line] if params.position.line < len(lines) else ""
    items = [types.CompletionItem(label=c.name, kind=KINDS.get(c.kind), detail=c.detail or c.kind)
             for c in completions(analysis.rules, line, params.position.character)]
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: PolicyServer, params: types.DocumentFormattingParams):
    document = ls.workspace.get_text_document(params.text_document.uri)
    try:
        formatted = format_text(document.source, to_fs_path(params.text_document.uri))
    except PolicyError:
        return []  # a file that does not parse is left as it is; its diagnostics say why
    if formatted == document.source:
        return []
    lines = document.source.splitlines()
    end = types.Position(line=len(lines), character=0)
    return [types.TextEdit(range=types.Range(start=types.Position(line=0, character=0), end=end),
                           new_text=formatted)]


@server.feature(types.TEXT_DOCUMENT_RENAME)
def rename(ls: PolicyServer, params: types.RenameParams):
    index, occurrence = ls.symbol_at(params.text_document.uri, params.position)
    if occurrence is None or occurrence.key[0] not in RENAMABLE:
        return None
    if not NAME.fullmatch(params.new_name) or params.new_name in RESERVED:
        raise ValueError(f"`{params.new_name}` is not a name: letters, digits and _, "
                         "not starting with a digit, and not a reserved word")
    declared = index.declarations.get(occurrence.key)
    changes: dict[str, list[types.TextEdit]] = {}
    for o in ([declared] if declared else []) + index.uses(occurrence.key):
        changes.setdefault(from_fs_path(o.file), []).append(
            types.TextEdit(range=_location(o).range, new_text=params.new_name))
    return types.WorkspaceEdit(changes=changes)


def main() -> None:
    server.start_io()
