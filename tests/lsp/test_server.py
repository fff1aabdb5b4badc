"""The language server as an editor drives it: pygls's client starts `policylang lsp` in a
subprocess and talks to it over a pipe — open a file, see its diagnostics, hover, go to a
definition, find references, complete a name, format, rename."""

import asyncio
import shutil
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from conftest import RULES

TIMEOUT = 30


@pytest.fixture
def rule_set(tmp_path):
    """A copy of the bundled rules, so the server can be shown broken text."""
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    shutil.copytree(RULES.parent / "examples", tmp_path / "examples")  # the examples' facts
    return folder


class Session:
    """One client talking to one server process; `diagnostics` by uri, as published."""

    def __init__(self):
        self.client = LanguageClient("policylang-test", "1")
        self.diagnostics: dict[str, list] = {}
        self.published = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _published(params):
            self.diagnostics[params.uri] = params.diagnostics
            self.published.set()

    async def start(self, folder: Path):
        await self.client.start_io(sys.executable, "-m", "policylang.cli", "lsp")
        await self.client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(folder)), name="rules")]))
        self.client.initialized(types.InitializedParams())

    def open(self, path: Path, text: str | None = None):
        self.published.clear()
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=from_fs_path(str(path)), language_id="policylang",
                                                 version=1, text=text or path.read_text(encoding="utf-8"))))

    def change(self, path: Path, text: str, version: int):
        self.published.clear()
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=from_fs_path(str(path)), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))

    async def settled(self):
        await asyncio.wait_for(self.published.wait(), TIMEOUT)
        await asyncio.sleep(0.2)  # the rest of the rule set's files

    async def stop(self):
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


def at(path: Path, line: int, character: int):
    return dict(text_document=types.TextDocumentIdentifier(uri=from_fs_path(str(path))),
                position=types.Position(line=line, character=character))


def position_of(path: Path, needle: str, occurrence: int = 0):
    """The 0-based line and character of the `occurrence`-th `needle` in the file."""
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        start = line.find(needle)
        while start >= 0:
            if seen == occurrence:
                return number, start
            seen += 1
            start = line.find(needle, start + 1)
    raise AssertionError(f"{needle!r} not in {path}")


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 120))


def test_an_editor_session(rule_set):
    dibao = rule_set / "dibao.policy"
    text = dibao.read_text(encoding="utf-8")

    async def session():
        s = Session()
        await s.start(rule_set)
        s.open(dibao)
        await s.settled()
        uri = from_fs_path(str(dibao))
        assert [d.severity for d in s.diagnostics[uri]
                if d.severity == types.DiagnosticSeverity.Error] == []

        broken = text.replace("dibao_standard - monthly_income", "dibao_standrad - monthly_income")
        s.change(dibao, broken, 2)
        await s.settled()
        (error,) = [d for d in s.diagnostics[uri] if d.severity == types.DiagnosticSeverity.Error]
        assert error.code == "PL010" and "dibao_standard" in error.message
        line, character = position_of(dibao, "dibao_standard - monthly_income")
        assert (error.range.start.line, error.range.start.character) == (line, character)

        s.change(dibao, text, 3)
        await s.settled()
        assert not [d for d in s.diagnostics[uri] if d.severity == types.DiagnosticSeverity.Error]

        line, character = position_of(dibao, "dibao_standard", 1)
        hover = await s.client.text_document_hover_async(types.HoverParams(**at(dibao, line, character + 2)))
        assert "昆明市 Kunming | 2022-01-01" in hover.contents.value

        line, character = position_of(dibao, "countable_income <")
        found = await s.client.text_document_definition_async(
            types.DefinitionParams(**at(dibao, line, character + 3)))
        assert found.uri == uri and found.range.start.line == position_of(dibao, "definition countable_income")[0]

        line, character = position_of(dibao, "monthly_income", 0)
        refs = await s.client.text_document_references_async(types.ReferenceParams(
            **at(dibao, line, character + 1), context=types.ReferenceContext(include_declaration=True)))
        files = {Path(r.uri).name for r in refs}
        assert "schema.policy" in files and "dibao.policy" in files and len(refs) >= 5

        line, character = position_of(dibao, "countable_income <")
        s.change(dibao, text.replace("countable_income < dibao_standard",
                                     "countable_inc < dibao_standard"), 4)
        await s.settled()
        items = await s.client.text_document_completion_async(types.CompletionParams(
            **at(dibao, line, character + len("countable_inc"))))
        assert "countable_income" in [i.label for i in items.items]
        s.change(dibao, text, 5)
        await s.settled()

        edits = await s.client.text_document_formatting_async(types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True)))
        assert not edits  # the bundled rules are formatted

        line, character = position_of(dibao, "definition unit_size")
        workspace_edit = await s.client.text_document_rename_async(types.RenameParams(
            **at(dibao, line, character + len("definition ") + 1), new_name="unit_persons"))
        edited = workspace_edit.changes
        assert len(edited[uri]) >= 4  # the declaration and its uses in this file
        assert all(e.new_text == "unit_persons" for edits in edited.values() for e in edits)
        with pytest.raises(Exception, match="not a name"):
            await s.client.text_document_rename_async(types.RenameParams(
                **at(dibao, line, character + len("definition ") + 1), new_name="end"))
        await s.stop()

    run(session())


def test_a_syntax_error_in_one_file_is_shown_in_that_file(rule_set):
    tekun = rule_set / "tekun.policy"

    async def session():
        s = Session()
        await s.start(rule_set)
        s.open(tekun, tekun.read_text(encoding="utf-8").replace("condition", "condtion", 1))
        await s.settled()
        errors = [d for d in s.diagnostics[from_fs_path(str(tekun))]
                  if d.severity == types.DiagnosticSeverity.Error]
        assert errors and "condition" in errors[0].message
        await s.stop()

    run(session())
