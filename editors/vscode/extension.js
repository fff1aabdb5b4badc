// Starts the policylang language server (`policylang lsp`, over stdio) for .policy files:
// diagnostics as you type, hover, go to definition, references, completion, formatting and
// rename. The command is the setting `policylang.server.command` (default `policylang`, as
// installed by `pip install 'policylang[lsp]'`) with `policylang.server.args` (default `lsp`).
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("policylang.server");
  const server = { command: settings.get("command", "policylang"), args: settings.get("args", ["lsp"]) };
  client = new LanguageClient("policylang", "policylang", server, {
    documentSelector: [{ scheme: "file", language: "policylang" }],
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
