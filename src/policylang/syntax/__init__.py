"""Policy text ↔ nodes: the grammar, the parser and its diagnostics, the checks on texts and
numbers as written, the frozen nodes, and the formatter that prints them back."""
