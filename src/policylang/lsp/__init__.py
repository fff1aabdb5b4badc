"""The language server (`policylang lsp`): what an editor asks of a rule set — diagnostics
as you type, hover, go to definition, references, completion, formatting and rename —
answered from the same passes `policylang check` runs (`analysis.py`), over the editor's
open texts. `symbols.py` indexes declarations and references, `hover.py` and
`completion.py` say what the editor shows, `server.py` speaks the protocol (pygls)."""
