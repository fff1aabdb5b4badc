"""A scripted editor session with `policylang lsp`, printed as a transcript: what an editor
sends, and what the server answers. For trying the language server without an editor:

    python editors/lsp_transcript.py [RULES]

It copies the rules (default `rules/`) to a temporary folder, opens `dibao.policy`, makes a
typo and mends it, hovers a parameter, completes a name and goes to a definition.
"""

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path


async def session(rules: Path) -> None:
    folder = Path(tempfile.mkdtemp()) / "rules"
    shutil.copytree(rules, folder)
    if (rules.resolve().parent / "examples").is_dir():  # the examples' facts files, beside
        shutil.copytree(rules.resolve().parent / "examples", folder.parent / "examples")
    dibao = folder / "dibao.policy"
    text = dibao.read_text(encoding="utf-8")
    uri = from_fs_path(str(dibao))
    client = LanguageClient("transcript", "1")
    published = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _diagnostics(params):
        if params.uri == uri:
            published.put_nowait(params.diagnostics)

    await client.start_io(sys.executable, "-m", "policylang.cli", "lsp")
    result = await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(),
        workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(folder)), name="rules")]))
    client.initialized(types.InitializedParams())
    print(f"→ initialize\n← {result.server_info.name} {result.server_info.version}: "
          f"hover={bool(result.capabilities.hover_provider)} "
          f"definition={bool(result.capabilities.definition_provider)} "
          f"completion={bool(result.capabilities.completion_provider)} "
          f"rename={bool(result.capabilities.rename_provider)}")

    print("→ textDocument/didOpen dibao.policy")
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="policylang", version=1, text=text)))
    shown = await asyncio.wait_for(published.get(), 30)
    print(f"← publishDiagnostics dibao.policy: {len(shown)} "
          f"({', '.join(sorted({d.code for d in shown})) or 'none'})")

    typo = text.replace("dibao_standard - monthly_income", "dibao_standrad - monthly_income")
    print("→ textDocument/didChange: `dibao_standard - monthly_income` typed as `dibao_standrad - …`")
    client.text_document_did_change(_change(uri, typo, 2))
    for d in await asyncio.wait_for(published.get(), 30):
        if d.severity == types.DiagnosticSeverity.Error:
            print(f"← publishDiagnostics dibao.policy:{d.range.start.line + 1}:{d.range.start.character + 1}"
                  f" error[{d.code}] {d.message}")
    client.text_document_did_change(_change(uri, text, 3))
    errors = [d for d in await asyncio.wait_for(published.get(), 30)
              if d.severity == types.DiagnosticSeverity.Error]
    print(f"→ textDocument/didChange: mended\n← publishDiagnostics dibao.policy: {len(errors)} errors")

    line, character = _find(text, "dibao_standard", 1)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=line, character=character + 3)))
    print(f"→ textDocument/hover dibao.policy:{line + 1}:{character + 4} (dibao_standard)")
    print("\n".join("← " + row for row in hover.contents.value.splitlines()))

    partial = text.replace("countable_income < dibao_standard", "countable_in < dibao_standard")
    client.text_document_did_change(_change(uri, partial, 4))
    await asyncio.wait_for(published.get(), 30)
    line, character = _find(partial, "countable_in <")
    items = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=line, character=character + len("countable_in"))))
    print(f"→ textDocument/completion after `countable_in` (line {line + 1})")
    print("← " + "; ".join(f"{i.label} ({i.detail})" for i in items.items))
    client.text_document_did_change(_change(uri, text, 5))
    await asyncio.wait_for(published.get(), 30)

    line, character = _find(text, "countable_income <")
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=line, character=character + 2)))
    print(f"→ textDocument/definition dibao.policy:{line + 1}:{character + 3} (countable_income)")
    print(f"← {Path(found.uri).name}:{found.range.start.line + 1}:{found.range.start.character + 1}")
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    shutil.rmtree(folder.parent)


def _change(uri: str, text: str, version: int) -> types.DidChangeTextDocumentParams:
    return types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)])


def _find(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    seen = 0
    for number, line in enumerate(text.splitlines()):
        start = line.find(needle)
        while start >= 0:
            if seen == occurrence:
                return number, start
            seen += 1
            start = line.find(needle, start + 1)
    raise ValueError(needle)


if __name__ == "__main__":
    asyncio.run(session(Path(sys.argv[1] if len(sys.argv) > 1 else "rules")))
