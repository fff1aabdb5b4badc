"""Find the grammar file and build the LALR parser once per process.

The grammar ships inside the wheel as `policylang/grammar/policylang.lark`; in a
source checkout it is read from `grammar/` at the project root.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

import lark


def grammar_text() -> str:
    packaged = resources.files("policylang").joinpath("grammar/policylang.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[3] / "grammar" / "policylang.lark"
    return checkout.read_text(encoding="utf-8")


@functools.cache
def parser() -> lark.Lark:
    """The LALR parser; lark's parser objects are safe to share between threads."""
    return lark.Lark(
        grammar_text(),
        parser="lalr",
        propagate_positions=True,
        maybe_placeholders=True,
    )
