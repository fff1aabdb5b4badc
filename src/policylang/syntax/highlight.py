"""Syntax highlighting for policylang: a Pygments lexer for `*.policy` files.

This module is for editors and documentation only. It imports nothing but Pygments, and no
runtime module of policylang imports it, so Pygments is not a dependency of the language.
With the package installed, Pygments finds the lexer through the `pygments.lexers` entry
point, under the names `policy` and `policylang`; the docs use it for ```` ```policy ````
fenced blocks. The TextMate grammar in `editors/vscode/` gives the same token classes and is
tested against the word lists below (`tests/syntax/test_highlight.py`).

>>> lexer = PolicyLexer()
>>> [(str(kind), text) for kind, text in lexer.get_tokens('amount 3 months # note')
...  if text.strip()]
[('Token.Keyword', 'amount'), ('Token.Literal.Number.Integer', '3'), ('Token.Keyword.Type', 'months'), ('Token.Comment.Single', '# note')]

Some words are keywords only where the grammar puts them: `fact jurisdiction` declares a
fact named `jurisdiction`, which is a plain name in `jurisdiction within kunming`; a type
name such as `date` is a type after `:` and a name in `date > evaluation_date`.
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, default, words
from pygments.token import (
    Comment, Keyword, Literal, Name, Number, Operator, Punctuation, String, Whitespace,
)

__all__ = ["PolicyLexer"]

# The word lists, shared with the tests that compare them with the grammar and with the
# TextMate grammar. Keep them in step with grammar/policylang.lark.

# Words that open a declaration, and `end`, which closes a block.
DECLARATION_KEYWORDS = (
    "source", "jurisdiction", "enum", "entity", "fact", "key", "has", "parameter",
    "definition", "program", "exception", "example", "invariant", "end",
    "unit", "reform", "replace", "amend", "remove",
)
# Declaration words the grammar reserves (NAME can never be one): keywords wherever they are.
# The others are keywords only when they declare something (`fact jurisdiction …`, `example "…"`).
RESERVED_DECLARATION_KEYWORDS = ("parameter", "definition", "program", "exception", "end")

# Words of the clauses inside declarations, programs and examples.
CLAUSE_KEYWORDS = (
    "subject", "applies", "in", "from", "until", "cite", "condition", "trigger", "amount",
    "rounded", "to", "paid", "when", "yields", "note", "report", "needs", "previous",
    "priority", "for", "each", "expect", "with", "facts", "on", "by", "within", "between",
    "optional", "fixed", "evidence", "list", "of", "set", "per", "file", "illustrative",
    "monotone", "increasing", "decreasing", "no", "cliff", "above",
    "default", "overridable", "output", "bands", "brackets", "history", "over", "the", "last",
)
# Operators spelled as words. `eligible` is one in `X eligible for P`; after `expect` it is
# an outcome.
WORD_OPERATORS = (
    "and", "or", "not", "is", "absent", "known", "where", "if", "then", "else", "eligible",
)
OUTCOMES = ("eligible", "not_eligible", "unknown", "not_applicable")
ROUNDING_MODES = ("half_up", "half_even", "down", "up")
CONSTANTS = ("true", "false", "null")
# Built-in functions (highlighted when called) and built-in names.
BUILTIN_FUNCTIONS = (
    "count", "sum", "min", "max", "any", "all", "years_since", "month_of", "year_of",
    "per_month", "per_quarter", "per_year", "previous",
)
BUILTIN_NAMES = ("evaluation_date",)
# Types: after `:` in a declaration (`fact birth_date … : date`), and the period after `per`.
TYPES = (
    "bool", "int", "decimal", "money", "kwh", "date", "text", "place", "months", "years", "days",
)
PERIODS = ("month", "quarter", "year")
# Units written after a number: `24 months`, `1000 yuan`.
UNITS = ("months", "years", "days", "yuan", "kWh")

NAME = r"[^\W\d]\w*"

# A declared name must not be a word that can follow a declaration keyword used as a plain
# name, as in `jurisdiction within household.jurisdiction`.
_NOT_A_KEYWORD = (
    r"(?!(?:"
    + "|".join(sorted(set(CLAUSE_KEYWORDS + WORD_OPERATORS + RESERVED_DECLARATION_KEYWORDS
                          + CONSTANTS), key=len, reverse=True))
    + r")\b)"
)
_DECLARED = _NOT_A_KEYWORD + "(" + NAME + ")"
# After `:`, a type name followed by an operator is the start of an expression
# (`condition recent: date > x`), not a type.
_NOT_AN_EXPRESSION = r"(?![ \t]*(?:==|!=|[<>+\-*/.(]|(?:in|within|is|and|or|where)\b))"

_UNIT = "(" + "|".join(UNITS) + r")\b"


def _words(options: tuple[str, ...]) -> str:
    """A regular expression for any of the words, ending at a word boundary."""
    return words(options, prefix=r"\b", suffix=r"\b").get()


class PolicyLexer(RegexLexer):
    """Lexer for policylang policy rules (`*.policy`)."""

    name = "policylang"
    aliases = ["policy", "policylang"]
    filenames = ["*.policy"]
    mimetypes = ["text/x-policylang"]

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r'"', String.Double, "string"),
            # A date before a number; a number with its unit before a bare number.
            (r"\d{4}-\d{2}-\d{2}\b", Literal.Date),
            (r"(\d+\.\d+)([ \t]*)" + _UNIT, bygroups(Number.Float, Whitespace, Keyword.Type)),
            (r"(\d+)([ \t]*)" + _UNIT, bygroups(Number.Integer, Whitespace, Keyword.Type)),
            (r"\d+\.\d+", Number.Float),
            (r"\d+", Number.Integer),
            # A declaration keyword and the name it declares.
            (r"\b(program|definition|exception)(\s+)" + _DECLARED,
             bygroups(Keyword.Declaration, Whitespace, Name.Function)),
            (r"\b(condition|trigger|report)(\s+)" + _DECLARED,
             bygroups(Keyword, Whitespace, Name.Function)),
            (r"\b(entity|enum|invariant)(\s+)" + _DECLARED, bygroups(Keyword.Declaration, Whitespace, Name.Class)),
            (r"\b(parameter|fact|key|has)(\s+)" + _DECLARED,
             bygroups(Keyword.Declaration, Whitespace, Name.Variable)),
            (r"\b(jurisdiction)(\s+)" + _NOT_A_KEYWORD + "(" + NAME + r"(?:\." + NAME + ")*)",
             bygroups(Keyword.Declaration, Whitespace, Name.Namespace)),
            (r"\b(source)(\s+)" + _DECLARED, bygroups(Keyword.Declaration, Whitespace, Name.Label)),
            (r"\b(example)\b(?=\s*\")", Keyword.Declaration),
            # A citation: the declared source it quotes, or `illustrative`.
            (r"\b(cite)(\s+)(illustrative)\b", bygroups(Keyword, Whitespace, Keyword.Pseudo)),
            (r"\b(cite)(\s+)" + _DECLARED, bygroups(Keyword, Whitespace, Name.Label)),
            (r"\b(rounded)(\s+)" + _words(ROUNDING_MODES), bygroups(Keyword, Whitespace, Name.Constant)),
            # Types: after `:` (unless an expression starts there) and the period after `per`.
            (r"(:)(\s*)" + _words(TYPES) + _NOT_AN_EXPRESSION,
             bygroups(Punctuation, Whitespace, Keyword.Type)),
            (r"\b(per)(\s+)" + _words(PERIODS), bygroups(Keyword, Whitespace, Keyword.Type)),
            # `household eligible for dibao` asks for a decision; `expect dibao eligible` states one.
            (r"\beligible\b(?=\s+for\b)", Operator.Word),
            (_words(OUTCOMES), Name.Constant),
            (_words(CONSTANTS), Keyword.Constant),
            (_words(RESERVED_DECLARATION_KEYWORDS), Keyword.Declaration),
            (_words(BUILTIN_FUNCTIONS) + r"(?=\s*\()", Name.Builtin),
            (_words(BUILTIN_NAMES), Name.Builtin),
            (_words(WORD_OPERATORS), Operator.Word),
            (_words(CLAUSE_KEYWORDS), Keyword),
            (NAME, Name),
            (r"==|!=|<=|>=|[<>=+\-*/|]", Operator),
            (r"[(){}\[\],.:]", Punctuation),
        ],
        "string": [
            (r'[^"\\\n]+', String.Double),
            (r"\\.", String.Escape),
            (r'"', String.Double, "#pop"),
            # A string ends on its line: an unterminated one stops there.
            default("#pop"),
        ],
    }
