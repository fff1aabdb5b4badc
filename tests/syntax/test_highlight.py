"""Editor support: the Pygments lexer and the VS Code extension's TextMate grammar."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from importlib import metadata

import pytest

pytest.importorskip("pygments")

from pygments.lexers import find_lexer_class_for_filename, get_lexer_by_name  # noqa: E402
from pygments.token import (  # noqa: E402
    Comment, Error, Keyword, Literal, Name, Number, Operator, Punctuation, String,
)
from pygments.util import ClassNotFound  # noqa: E402

from policylang.syntax import highlight  # noqa: E402
from policylang.syntax.highlight import PolicyLexer  # noqa: E402

from conftest import ROOT, RULES  # noqa: E402

GRAMMAR = ROOT / "grammar" / "policylang.lark"
VSCODE = ROOT / "editors" / "vscode"
TM_GRAMMAR = VSCODE / "syntaxes" / "policylang.tmLanguage.json"
RULE_FILES = sorted(RULES.glob("*.policy"))


def tokens(text: str) -> list[tuple[object, str]]:
    """The lexer's tokens for `text`, without whitespace."""
    return [(kind, value) for kind, value in PolicyLexer().get_tokens(text) if value.strip()]


def kind_of(text: str, word: str, nth: int = 0):
    """The token type of the `nth` token whose text is `word`."""
    found = [kind for kind, value in tokens(text) if value == word]
    assert len(found) > nth, f"{word!r} is not a token of {text!r}: {tokens(text)}"
    return found[nth]


# ---------------------------------------------------------------- the Pygments lexer

def test_rule_files_exist():
    assert len(RULE_FILES) >= 10


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda path: path.name)
def test_every_rule_file_lexes_without_errors(path):
    text = path.read_text(encoding="utf-8")
    lexed = list(PolicyLexer().get_tokens_unprocessed(text))
    errors = [(text.count("\n", 0, pos) + 1, value) for pos, kind, value in lexed if kind in Error]
    assert errors == []
    assert "".join(value for _, _, value in lexed) == text  # nothing lost, nothing added


SAMPLE = '''\
# 低保 rules
source changzhou_2023 "用心用情" by "中国社会报" 2023-07-19
parameter dibao_standard "低保标准" / "dibao standard" : money per month
  changzhou from 2023-01-01 = 1000 cite changzhou_2023 "每人每月1000元"
  national = 24 months cite illustrative "asset test"
end
program dibao "最低生活保障" / "say \\"hi\\""
  condition asset_test: assets <= 2.5 yuan and not (x is absent) or household eligible for tekun
  amount count(members where alive) * 1.5kWh rounded half_up to 0.01
end
example "Changzhou" on 2023-08-01
  expect dibao for p2 eligible 800.00
  expect dibao_edge not_eligible
end
'''


@pytest.mark.parametrize("word, expected", [
    ("source", Keyword.Declaration),
    ("parameter", Keyword.Declaration),
    ("program", Keyword.Declaration),
    ("example", Keyword.Declaration),
    ("end", Keyword.Declaration),
    ("from", Keyword),
    ("cite", Keyword),
    ("condition", Keyword),
    ("amount", Keyword),
    ("rounded", Keyword),
    ("expect", Keyword),
    ("on", Keyword),
    ("illustrative", Keyword.Pseudo),
    ("and", Operator.Word),
    ("not", Operator.Word),
    ("is", Operator.Word),
    ("absent", Operator.Word),
    ("where", Operator.Word),
    ("<=", Operator),
    ("count", Name.Builtin),
    ("money", Keyword.Type),
    ("month", Keyword.Type),
    ("half_up", Name.Constant),
    ("not_eligible", Name.Constant),
    ("dibao_standard", Name.Variable),  # the name a parameter declares
    ("dibao", Name.Function),  # the name a program declares
    ("assets", Name),
    ("(", Punctuation),
])
def test_sample_token_types(word, expected):
    assert kind_of(SAMPLE, word) is expected


def test_comments_strings_and_escapes():
    assert kind_of(SAMPLE, "# 低保 rules") is Comment.Single
    assert kind_of(SAMPLE, "低保标准") is String.Double
    assert kind_of(SAMPLE, "每人每月1000元") is String.Double
    assert kind_of(SAMPLE, '\\"') is String.Escape
    assert [value for kind, value in tokens('note "a # b" # c') if kind in Comment] == ["# c"]


def test_dates_and_numbers_with_units():
    assert kind_of(SAMPLE, "2023-07-19") is Literal.Date
    assert kind_of(SAMPLE, "2023-01-01") is Literal.Date
    assert kind_of(SAMPLE, "1000") is Number.Integer
    assert kind_of(SAMPLE, "800.00") is Number.Float
    for number, unit in [("24", "months"), ("2.5", "yuan"), ("1.5", "kWh")]:
        lexed = tokens(SAMPLE)
        at = lexed.index((Number.Float if "." in number else Number.Integer, number))
        assert lexed[at + 1] == (Keyword.Type, unit)


def test_eligible_is_an_operator_before_for_and_an_outcome_after_expect():
    assert kind_of(SAMPLE, "eligible", 0) is Operator.Word  # household eligible for tekun
    assert kind_of(SAMPLE, "eligible", 1) is Name.Constant  # expect dibao for p2 eligible


def test_previous_is_a_builtin_when_called():
    assert kind_of("needs previous", "previous") is Keyword
    assert kind_of("with previous members[1].x = 4", "previous") is Keyword
    assert kind_of("x != previous(x)", "previous") is Name.Builtin
    assert kind_of("date > evaluation_date", "evaluation_date") is Name.Builtin


def test_contextual_words_are_names_outside_their_declarations():
    declaration = 'fact jurisdiction "发生地" / "place" : place'
    assert kind_of(declaration, "fact") is Keyword.Declaration
    assert kind_of(declaration, "jurisdiction") is Name.Variable
    assert kind_of(declaration, "place", 1) is Keyword.Type  # the first is in the label
    expression = "jurisdiction within household.jurisdiction and date > evaluation_date"
    assert kind_of(expression, "jurisdiction", 0) is Name
    assert kind_of(expression, "jurisdiction", 1) is Name
    assert kind_of(expression, "date") is Name
    assert kind_of('with jurisdiction = "kunming"', "jurisdiction") is Name
    assert kind_of('jurisdiction kunming.guandu "官渡区" within kunming', "kunming.guandu") is Name.Namespace
    assert kind_of('condition recent "x": date > y', "date") is Name
    assert kind_of("fact deceased_on : date optional", "date") is Keyword.Type


def test_unicode_names():
    assert tokens("entity 家庭 definition 人数 of 家庭 = count(成员)") == [
        (Keyword.Declaration, "entity"), (Name.Class, "家庭"),
        (Keyword.Declaration, "definition"), (Name.Function, "人数"),
        (Keyword, "of"), (Name, "家庭"), (Operator, "="),
        (Name.Builtin, "count"), (Punctuation, "("), (Name, "成员"), (Punctuation, ")"),
    ]


def test_every_keyword_of_the_grammar_is_highlighted():
    grammar = GRAMMAR.read_text(encoding="utf-8")
    literals = set(re.findall(r'"([A-Za-z_]+)"', grammar))
    reserved = set(re.search(r"NAME: /\(\?!\(\?:([a-z|]+)\)", grammar).group(1).split("|"))
    highlighted = set(
        highlight.DECLARATION_KEYWORDS + highlight.CLAUSE_KEYWORDS + highlight.WORD_OPERATORS
        + highlight.OUTCOMES + highlight.ROUNDING_MODES + highlight.CONSTANTS + highlight.UNITS
    )
    assert literals - highlighted == set()
    assert reserved - highlighted == set()
    # A reserved word is never a plain name.
    for word in sorted(reserved):
        assert all(kind is not Name for kind, _ in tokens(word)), word


def test_pygments_finds_the_lexer_by_file_name_and_through_the_entry_point():
    assert find_lexer_class_for_filename("rules/dibao.policy") in (PolicyLexer, None)
    registered = [entry for entry in metadata.entry_points(group="pygments.lexers")
                  if entry.value == "policylang.syntax.highlight:PolicyLexer"]
    if not registered:
        pytest.skip("the pygments.lexers entry point is not installed (reinstall the package)")
    for alias in ("policy", "policylang"):
        assert type(get_lexer_by_name(alias)).__name__ == "PolicyLexer"
    assert find_lexer_class_for_filename("rules/dibao.policy").__name__ == "PolicyLexer"


def test_unknown_alias_still_raises():
    with pytest.raises(ClassNotFound):
        get_lexer_by_name("no-such-policy-language")


def test_the_module_imports_only_pygments_and_the_runtime_does_not_import_it():
    tree = ast.parse((ROOT / "src" / "policylang" / "syntax" / "highlight.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module != "__future__"}
    assert imported == {"pygments"}
    code = ("import sys, policylang, policylang.cli.main, policylang.api; "
            "print('policylang.syntax.highlight' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


# ---------------------------------------------------------------- the VS Code extension

def load_json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_package_json_declares_the_language_and_the_grammar():
    package = load_json(VSCODE / "package.json")
    assert (VSCODE / package["main"]).is_file()  # starts the language server (tests/lsp)
    assert package["activationEvents"] == ["onLanguage:policylang"]
    assert package["engines"]["vscode"]
    (language,) = package["contributes"]["languages"]
    assert language["id"] == "policylang"
    assert language["extensions"] == [".policy"]
    assert "policylang" in language["aliases"]
    assert (VSCODE / language["configuration"]).is_file()
    (grammar,) = package["contributes"]["grammars"]
    assert grammar["language"] == "policylang"
    assert grammar["scopeName"] == "source.policylang"
    assert (VSCODE / grammar["path"]).resolve() == TM_GRAMMAR.resolve()
    for name in package.get("files", []):
        assert (VSCODE / name).exists(), name


def test_language_configuration():
    configuration = load_json(VSCODE / "language-configuration.json")
    assert configuration["comments"]["lineComment"] == "#"
    assert ["{", "}"] in configuration["brackets"]
    assert {"open": '"', "close": '"', "notIn": ["string", "comment"]} in configuration["autoClosingPairs"]
    markers = configuration["folding"]["markers"]
    start, end = re.compile(markers["start"]), re.compile(markers["end"])
    for block in ("program", "exception", "entity", "parameter", "example"):
        assert start.match(f"  {block} x")
    assert end.match("end") and end.match("  end") and not end.match("  ends_at")
    for path in RULE_FILES:  # every block that opens is closed
        depth = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            depth += bool(start.match(line)) - bool(end.match(line))
            assert depth >= 0, path.name
        assert depth == 0, path.name


def tm_rules(node):
    """Every rule of the TextMate grammar, nested ones included."""
    if isinstance(node, dict):
        if "match" in node or "begin" in node:
            yield node
        for value in node.values():
            yield from tm_rules(value)
    elif isinstance(node, list):
        for value in node:
            yield from tm_rules(value)


def test_textmate_grammar_is_valid_and_complete():
    grammar = load_json(TM_GRAMMAR)
    assert grammar["scopeName"] == "source.policylang"
    repository = grammar["repository"]
    for pattern in grammar["patterns"]:
        assert pattern["include"].removeprefix("#") in repository
    for rule in tm_rules(repository):
        for key in ("match", "begin", "end"):
            if key in rule:
                re.compile(rule[key])  # the grammar uses only what Python's re reads too
        assert rule.get("name", "").endswith(".policylang") or "captures" in rule
    for rule in tm_rules(repository):
        for capture in rule.get("captures", {}).values():
            assert capture["name"].endswith(".policylang")


@pytest.mark.parametrize("entry, words", [
    ("outcome", highlight.OUTCOMES),
    ("constant", highlight.CONSTANTS),
    ("reserved-declaration-keyword", highlight.RESERVED_DECLARATION_KEYWORDS),
    ("builtin-function", highlight.BUILTIN_FUNCTIONS),
    ("builtin-name", highlight.BUILTIN_NAMES),
    ("word-operator", highlight.WORD_OPERATORS),
    ("clause-keyword", highlight.CLAUSE_KEYWORDS),
])
def test_textmate_word_lists_are_the_lexers(entry, words):
    match = load_json(TM_GRAMMAR)["repository"][entry]["match"]
    alternatives = re.search(r"\(\?:([\w|]+)\)", match).group(1).split("|")
    assert sorted(alternatives) == sorted(words)


def test_textmate_grammar_shares_the_lexers_contexts():
    repository = load_json(TM_GRAMMAR)["repository"]
    types = repository["type"]["patterns"][0]["match"]
    for word in highlight.TYPES:
        assert re.match(types, f": {word}"), word
    assert not re.match(types, ": date > x")
    units = repository["number"]["patterns"][0]["match"]
    for unit in highlight.UNITS:
        assert re.fullmatch(units, f"12 {unit}") and re.fullmatch(units, f"1.5{unit}"), unit
    assert re.fullmatch(repository["date"]["match"], "2023-08-01")
    assert re.fullmatch(repository["name"]["match"], "低保_标准2")
    declarations = [rule["match"] for rule in repository["declaration"]["patterns"]]
    assert any(re.match(rule, "fact jurisdiction") for rule in declarations)
    assert not any(re.match(rule, "jurisdiction within kunming") for rule in declarations)
