"""Explanations: the explanation model built from a decision's trace (`model.py`), its
renderings as text, Markdown and HTML, the decisions JSON, and the engine's own phrases in
English and Chinese."""
