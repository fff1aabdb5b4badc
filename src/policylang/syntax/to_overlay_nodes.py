"""Pass 1, continued — the nodes of the declarations that change or extend a rule set
(`unit`, `reform`, `replace`, `amend`, `remove`) and of a scale's value, built from lark's
tree; `NodeBuilder` (to_nodes.py) inherits them."""

from __future__ import annotations

import json

from lark import Token, Transformer, v_args

from . import nodes


def _string(token: Token | nodes.Label | None) -> str | None:
    if token is None or isinstance(token, nodes.Label):
        return token
    return json.loads(token.value, strict=False)  # a raw tab inside quotes is kept as written


@v_args(meta=True)
class OverlayBuilder(Transformer):
    """The transformer methods of `reform_nodes.py`'s nodes; `_span` is `NodeBuilder`'s."""

    def reform(self, meta, c):
        return nodes.Reform(c[0].value, _string(c[1]), self._span(meta))

    def replace(self, meta, c):
        return nodes.Replace(c[0], self._span(meta))

    def amend(self, meta, c):
        return nodes.Amend(c[0].value, tuple(c[1:]), self._span(meta))

    def remove(self, meta, c):
        kind, name, entity = c
        return nodes.Remove(kind.value, name.value, entity and entity.value, self._span(meta))

    def unit_decl(self, meta, c):
        return nodes.UnitDecl(c[0].value, _string(c[1]), self._span(meta))

    def scale(self, meta, c):
        return nodes.ScaleValue(c[0].value, tuple(c[1:]), self._span(meta))

    def band(self, meta, c):
        return (c[0], c[1])
