"""The formatter's laws: parse(format(x)) == parse(x), format(format(x)) == format(x), and
every comment kept — on each bundled rule file and on generated programs.

Why generated programs: the rule files are tidy already, so they never show the formatter
odd spacing, redundant parentheses, comments in the middle of an expression or a JSON
value, or escapes written differently. The strategies below build declarations of every
kind as token lists (compound operands always parenthesised, so the intended tree is the
parsed one) and a careless printer joins the tokens with random spaces, newlines, tabs and
comments; the formatter has to find the canonical layout from whatever it is given.

`shape` compares more than AST equality does: `==` ignores a label's English (`Label` is a
str), takes the JSON number 1.5 for the text "1.5" (`_Float` is a str), `true` for 1 and
1.50 for 1.5 — all things a formatter could silently change.
"""

from __future__ import annotations

import doctest
import json
import random
import re
from collections import Counter

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policylang.syntax.formatter
from policylang.core.diagnostics import PolicyError
from policylang.syntax.formatter import format_text
from policylang.syntax.parse import parse_text

from conftest import RULES

RULE_FILES = sorted(RULES.glob("*.policy"))
COMMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|(#[^\n]*)')


def declarations(text: str):
    return parse_text(text, "t.policy").declarations


def shape(value):
    """The AST as plain data, keeping what `==` overlooks (types, English, trailing zeros)."""
    if attrs.has(type(value)):
        fields = attrs.fields(type(value))
        return (type(value).__name__,
                tuple((f.name, shape(getattr(value, f.name))) for f in fields if f.name != "span"))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(shape(x) for x in value))
    if isinstance(value, dict):
        return ("dict", tuple((k, shape(v)) for k, v in value.items()))
    if isinstance(value, str):
        return (type(value).__name__, str(value), getattr(value, "en", None))
    return (type(value).__name__, str(value))


def comments(text: str) -> Counter:
    return Counter(m.group(1).rstrip() for m in COMMENT.finditer(text) if m.group(1))


def assert_laws(text: str) -> str:
    formatted = format_text(text)
    assert declarations(formatted) == declarations(text)
    assert shape(declarations(formatted)) == shape(declarations(text))
    assert format_text(formatted) == formatted, "not idempotent"
    assert comments(formatted) == comments(text), "a comment was lost or changed"
    assert formatted.endswith("\n") and not formatted.endswith("\n\n")
    assert all(line == line.rstrip() for line in formatted.split("\n"))
    return formatted


# ---------------------------------------------------------------- the bundled rules
@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_rule_files_keep_their_meaning_and_comments(path):
    assert_laws(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["places.policy", "sources.policy"])
def test_the_one_liner_files_are_already_canonical(name):
    text = (RULES / name).read_text(encoding="utf-8")
    assert format_text(text) == text


def test_doctests():
    assert doctest.testmod(policylang.syntax.formatter).failed == 0


def test_bad_input_raises_the_parsers_error():
    with pytest.raises(PolicyError):
        format_text('program p "p"\n  condition c assets > 0\n')


# ---------------------------------------------------------------- a golden file
MESSY = r'''# header comment

jurisdiction national "全国"
jurisdiction   kunming "昆明市"   within national   # the capital
source s1 "标题" by "出版" 2022-10-18 file "a.txt"
enum kind = a|b |c
parameter rate "费率" / "rate" : money per month
national=700 cite illustrative "x"
  kunming from 2022-01-01 until 2022-12-31 = 1.50 yuan cite s1 "引\"文\u4e2d\/"
end
definition d of household:money=((a+b))*(c-(d-e)) - -(1) / (2 * 3)
program p "福利"/"aid"
   # who
   subject household
 applies in kunming , national from 2022-01-01
condition long_condition_name "一个很长的中文标签" / "a long English label for the condition": (x > 1 and y < 2) or not (z is absent)
amount (a+b) rounded to 0.01
 exception e for each member priority 2
 condition c: household eligible for q and (if a then b else c) == 1
 end   # closes e
end
example "e" on 2023-08-01 facts {"household":{"id":"h1","members":[]}}
with members[0].x=1.5 with previous a.b = "s"
expect p for h1 eligible 100.00 by e  # trailing
expect p for "h 2" unknown
end

# the end
'''

GOLDEN = r'''# header comment

jurisdiction national "全国"
jurisdiction kunming "昆明市" within national  # the capital

source s1 "标题" by "出版" 2022-10-18
  file "a.txt"

enum kind = a | b | c

parameter rate "费率" / "rate" : money per month
  national = 700 cite illustrative "x"
  kunming from 2022-01-01 until 2022-12-31 = 1.50 yuan cite s1 "引\"文中/"
end

definition d of household : money = (a + b) * (c - (d - e)) - -1 / (2 * 3)

program p "福利" / "aid"
  # who
  subject household
  applies in kunming, national from 2022-01-01
  condition long_condition_name "一个很长的中文标签" / "a long English label for the condition":
    x > 1 and y < 2 or not z is absent
  amount a + b rounded half_up to 0.01

  exception e for each member priority 2
    condition c: household eligible for q and (if a then b else c) == 1
  end  # closes e
end

example "e" on 2023-08-01
  facts {"household": {"id": "h1", "members": []}}
  with members[0].x = 1.5
  with previous a.b = "s"
  expect p for h1 eligible 100.00 by e  # trailing
  expect p for "h 2" unknown
end

# the end
'''


def test_a_messy_file_gets_the_canonical_layout():
    assert format_text(MESSY) == GOLDEN
    assert_laws(MESSY)


# ---------------------------------------------------------------- corner cases
@pytest.mark.parametrize("text, expected", [
    ("", "\n"),
    ("\ufeff# only a comment", "# only a comment\n"),
    ("definition d of h = 0.0000001 months", "definition d of h = 0.0000001 months\n"),
    ("definition d of h = a - (b - c) - d", "definition d of h = a - (b - c) - d\n"),
    ("definition d of h = (a where b) where c", "definition d of h = (a where b) where c\n"),
    ("definition d of h = (a < b) == (c in {1})", "definition d of h = (a < b) == (c in {1})\n"),
    ("definition d of h = - - 2", "definition d of h = - -2\n"),
    # a long sum times something: the sum stays in its parentheses, on one line
    ("definition d of h = (a + b) * " + "c" * 90, "definition d of h =\n  (a + b) * " + "c" * 90 + "\n"),
    ("definition d of h = f() + {}", "definition d of h = f() + {}\n"),
    ("definition d of h = x + months", "definition d of h = x + months\n"),
    ("definition d of h = if a then if b then c else d else e where f",
     "definition d of h = if a then if b then c else d else e where f\n"),
])
def test_corner_cases(text, expected):
    assert format_text(text) == expected
    assert_laws(text)


@pytest.mark.parametrize("subject, printed", [
    ("unknown", "unknown"), ("months", "months"), ("end", '"end"'), ("p_1", "p_1"),
    ("成员", "成员"), ("1a", '"1a"'),
])
def test_an_expected_subject_is_quoted_only_when_it_is_not_a_name(subject, printed):
    text = (f'example "x" on 2023-01-01 facts "f.json" '
            f'expect p for {json.dumps(subject)} eligible end')
    assert f"expect p for {printed} eligible" in assert_laws(text)


def test_json_keeps_numbers_as_numbers_and_breaks_long_values():
    text = ('example "x" on 2023-01-01 facts {"a": 1.50, "b": -0.00000012, "c": [true, null]}\n'
            'with events = [{"kind": "job_loss_without_support", "date": "2023-07-01", '
            '"jurisdiction": "hangzhou", "n": 1}] expect p eligible end')
    formatted = assert_laws(text)
    assert 'facts {"a": 1.50, "b": -0.00000012, "c": [true, null]}' in formatted
    assert "  with events = [\n    {" in formatted


def test_a_comment_stays_on_the_line_it_ends_else_moves_before_the_next_line():
    """A trailing comment on a line something starts on stays at the end of that line; one
    on a continuation line (inside an expression or a JSON value) has no printed line of its
    own left, so it moves above the next item, as an own-line comment would."""
    text = ('program p "p"\n  condition c: a and # first\n    b # second\n'
            '  # own line\n  amount 1\nend\n'
            'example "x" on 2023-01-01 facts {"a": # on the facts line\n 1 # in json\n}\n'
            '  expect p eligible\nend\n')
    formatted = assert_laws(text)
    assert "  condition c: a and b  # first\n  # second\n  # own line\n  amount 1" in formatted
    assert ('  facts {"a": 1}  # on the facts line\n  # in json\n  expect p eligible'
            in formatted)


def test_long_if_chains_get_a_line_per_branch():
    text = ("definition rate of member = if age >= 100 then a_very_long_rate_name_for_the_oldest "
            "else if age >= 90 then a_long_rate_for_the_nineties else the_rate_for_everyone_else")
    assert format_text(text) == (
        "definition rate of member =\n"
        "  if age >= 100 then a_very_long_rate_name_for_the_oldest\n"
        "  else if age >= 90 then a_long_rate_for_the_nineties\n"
        "  else the_rate_for_everyone_else\n")
    assert_laws(text)


# ---------------------------------------------------------------- generated programs
NAMES = st.sampled_from(["a", "b", "x1", "income", "household", "member", "p_2", "收入", "年龄",
                         "kunming", "cap", "rate", "k", "money", "n"])
LABEL_TEXT = st.text(alphabet='ab 中文低保"\\#/\t\u2028é', max_size=10)
COMMENT_TEXT = st.text(alphabet='ab 中文#"\\/', max_size=12)
DATE = st.dates().map(lambda d: d.isoformat())
NUMBER = st.from_regex(r"[0-9]{1,4}(\.[0-9]{1,3})?", fullmatch=True)
UNIT = st.sampled_from(["months", "years", "days", "yuan", "kWh", "EUR"])


def opt(strategy, empty=()):
    """The tokens, or nothing."""
    return st.one_of(st.just(list(empty)), strategy)


def seq(*parts):
    """Concatenate the token lists the strategies give (a str part is one fixed token)."""
    return st.tuples(*(st.just([p]) if isinstance(p, str) else p for p in parts)).map(
        lambda lists: [t for tokens in lists for t in tokens])


STRING = st.tuples(LABEL_TEXT, st.booleans()).map(
    lambda t: [json.dumps(t[0], ensure_ascii=t[1])])  # escaped \u4e2d or written 中
NAME = NAMES.map(lambda n: [n])
LABEL = seq(STRING, opt(seq("/", STRING)))
PLACE = st.lists(NAMES, min_size=1, max_size=2).map(
    lambda ns: [t for n in ns for t in (".", n)][1:])
SIGNED = seq(opt(st.just(["-"])), NUMBER.map(lambda n: [n]))
TYPE = st.one_of(seq(NAME, opt(seq("per", NAME))), seq("set", "of", NAME))
PERIOD = st.one_of(seq("from", DATE.map(lambda d: [d]), opt(seq("until", DATE.map(lambda d: [d])))),
                   seq("until", DATE.map(lambda d: [d])))
CITE = seq("cite", st.one_of(NAME, st.just(["illustrative"])), STRING)


# An expression is (tokens, compound): compound ones are parenthesised as operands.
def paren(e, always=False):
    tokens, compound = e
    return ["(", *tokens, ")"] if compound or always else tokens


ATOMS = st.one_of(
    seq(NUMBER.map(lambda n: [n]), opt(UNIT.map(lambda u: [u]))), STRING,
    DATE.map(lambda d: [d]), st.sampled_from([["true"], ["false"]]), PLACE,
    seq(opt(NAME), "eligible", "for", NAME), seq("amount", "of", NAME),
    seq(st.sampled_from([["sum"], ["average"], ["min"], ["max"]]), "of", NAME,
        opt(seq(".", NAME)), "over", "the", "last", st.integers(1, 120).map(lambda n: [str(n)]),
        "months"),
).map(lambda tokens: (tokens, False))
BINARY_OPS = ["or", "and", "<", "<=", ">", ">=", "==", "!=", "in", "within", "+", "-", "*", "/"]


CHAINS = [["or"], ["and"], ["+", "-"], ["*", "/"]]
TWO_OPS_OF_A_LEVEL = st.sampled_from(CHAINS).flatmap(
    lambda ops: st.tuples(st.sampled_from(ops), st.sampled_from(ops)))


def _chain(t):
    """`(a op b) op c` or `a op (b op c)` on one level: left-associativity needs the
    parentheses kept on the right, and only there."""
    (op1, op2), a, b, c, right = t
    if right:
        return [*paren(a), op1, "(", *paren(b), op2, *paren(c), ")"]
    return ["(", *paren(a), op1, *paren(b), ")", op2, *paren(c)]


def bare(e, extra: bool):
    """A position any expression may fill unparenthesised (an argument, a branch, a whole
    condition), parenthesised anyway when `extra`."""
    return ["(", *e[0], ")"] if extra else e[0]


def _compound(children):
    listed = st.lists(st.tuples(children, st.booleans()), max_size=3).map(
        lambda xs: sum(([",", *bare(*x)] for x in xs), [])[1:])
    compound = st.one_of(
        st.tuples(st.sampled_from(BINARY_OPS), children, children).map(
            lambda t: [*paren(t[1]), t[0], *paren(t[2])]),
        st.tuples(TWO_OPS_OF_A_LEVEL,
                  children, children, children, st.booleans()).map(_chain),
        st.tuples(st.sampled_from(["not", "-"]), children).map(lambda t: [t[0], *paren(t[1])]),
        st.tuples(children, st.sampled_from(["absent", "known"])).map(
            lambda t: [*paren(t[0]), "is", t[1]]),
        st.tuples(children, children).map(lambda t: [*paren(t[0]), "where", *paren(t[1])]),
        st.tuples(children, children, children, st.booleans()).map(
            lambda t: ["if", *bare(t[0], t[3]), "then", *bare(t[1], False), "else",
                       *bare(t[2], t[3])]))
    atom = st.one_of(st.tuples(NAMES, listed).map(lambda t: [t[0], "(", *t[1], ")"]),
                     listed.map(lambda xs: ["{", *xs, "}"]))
    return st.one_of(compound.map(lambda tokens: (tokens, True)),
                     atom.map(lambda tokens: (tokens, False)))


EXPR = st.tuples(_compound(st.recursive(ATOMS, _compound, max_leaves=6)), st.booleans()).map(
    lambda t: bare(*t))  # compound at the top: a bare atom teaches the formatter little

JSON = st.recursive(
    st.one_of(st.sampled_from([["null"], ["true"], ["false"]]), STRING, SIGNED),
    lambda children: st.one_of(
        st.lists(children, max_size=3).map(
            lambda xs: ["[", *sum(([",", *x] for x in xs), [])[1:], "]"]),
        st.lists(st.tuples(STRING, children), max_size=3).map(
            lambda kv: ["{", *sum(([",", *k, ":", *v] for k, v in kv), [])[1:], "}"])),
    max_leaves=6)
JSON_OBJECT = st.lists(st.tuples(STRING, JSON), max_size=3).map(
    lambda kv: ["{", *sum(([",", *k, ":", *v] for k, v in kv), [])[1:], "}"])

ROUNDING = seq("rounded", opt(st.sampled_from([["half_up"], ["half_even"], ["down"], ["up"]])),
               "to", NUMBER.map(lambda n: [n]))
APPLIES = seq("applies", opt(seq("in", PLACE, opt(seq(",", PLACE)))), opt(PERIOD))
CONDITION = seq(st.sampled_from([["condition"], ["trigger"]]), NAME, opt(LABEL), ":", EXPR)
AMOUNT = seq("amount", EXPR, opt(ROUNDING))


def _block(head, singles, repeated, tail=("end",)):
    """A block: its head, at most one of each single item, any number of the others, in any
    order (the program's written order has to survive formatting)."""
    items = st.tuples(*(opt(s.map(lambda t: [t])) for s in singles),
                      st.lists(st.one_of(*repeated), min_size=1, max_size=4))
    ordered = items.map(lambda t: [x for group in t for x in group]).flatmap(st.permutations)
    return st.tuples(head, ordered).map(
        lambda t: [*t[0], *(tok for item in t[1] for tok in item), *tail])


EXCEPTION = _block(
    seq("exception", NAME, opt(LABEL), opt(seq("for", "each", NAME)),
        opt(seq("priority", st.from_regex(r"[0-9]{1,2}", fullmatch=True).map(lambda n: [n])))),
    [APPLIES, AMOUNT], [CITE, seq("condition", NAME, opt(LABEL), ":", EXPR)])
PROGRAM = _block(
    seq("program", NAME, STRING, opt(seq("/", STRING))),
    [seq("subject", NAME), APPLIES, AMOUNT, seq("paid", "to", NAME, "when", EXPR),
     st.just(["needs", "previous"])],
    [CONDITION, seq("note", LABEL, opt(seq("when", EXPR))), EXCEPTION, CITE,
     seq("yields", "to", NAME), seq("report", NAME, opt(seq(":", TYPE)), "=", EXPR)])
ENTITY = _block(seq("entity", NAME, opt(LABEL)), [], [
    seq("key", NAME, ":", TYPE),
    seq("fact", NAME, opt(LABEL), ":", TYPE, opt(st.just(["history"])), opt(st.just(["optional"])),
        opt(seq("between", SIGNED, "and", SIGNED)), opt(seq("default", JSON))),
    seq("has", NAME, opt(LABEL), ":", "list", "of", NAME)])
SCALE = seq(st.sampled_from([["bands"], ["brackets"]]), "{", st.lists(
    seq(SIGNED, ":", SIGNED), min_size=1, max_size=3).map(
    lambda bs: sum(([",", *b] for b in bs), [])[1:]), "}")
VALUES = st.lists(
    seq(opt(PLACE), opt(PERIOD), "=", st.one_of(seq(SIGNED, opt(UNIT.map(lambda u: [u]))), SCALE),
        CITE), min_size=1, max_size=3).map(lambda vs: [t for v in vs for t in v])
PARAMETER = seq("parameter", NAME, opt(LABEL), ":", TYPE, VALUES, "end")
DEFINITION = seq("definition", NAME, opt(LABEL), "of", NAME, opt(seq(":", TYPE)),
                 opt(st.just(["overridable"])), opt(st.just(["output"])), "=", EXPR)
FACTS = st.one_of(STRING, JSON_OBJECT)
PATH = seq(NAME, st.lists(st.one_of(seq("[", st.from_regex(r"[0-9]{1,2}", fullmatch=True).map(
    lambda n: [n]), "]"), seq(".", NAME)), max_size=2).map(lambda s: [t for x in s for t in x]))
EXPECT_FOR = opt(seq("for", st.one_of(NAME, STRING, st.just(["unknown"]))))
EXPECT = st.one_of(
    seq("expect", NAME, EXPECT_FOR,
        st.sampled_from([["eligible"], ["not_eligible"], ["not_applicable"], ["unknown"]]),
        opt(SIGNED), opt(seq("by", NAME))),
    seq("expect", NAME, EXPECT_FOR, "=", SIGNED))
EXAMPLE = seq("example", STRING, "on", DATE.map(lambda d: [d]), "facts", FACTS,
              opt(seq("previous", "facts", FACTS)),
              st.lists(seq("with", opt(st.just(["previous"])), PATH, "=", JSON), max_size=3)
              .map(lambda s: [t for x in s for t in x]),
              st.lists(EXPECT, min_size=1, max_size=3).map(lambda s: [t for x in s for t in x]),
              "end")
DECLARATION = st.one_of(
    PROGRAM, EXAMPLE,
    seq("source", NAME, STRING, opt(seq("by", STRING)), opt(DATE.map(lambda d: [d])),
        opt(seq("file", STRING))),
    seq("jurisdiction", PLACE, opt(LABEL), opt(seq("within", PLACE))),
    seq("enum", NAME, opt(LABEL), "=", st.lists(NAMES, min_size=1, max_size=3).map(
        lambda ns: [t for n in ns for t in ("|", n)][1:])),
    ENTITY, PARAMETER, DEFINITION,
    seq("unit", NAME, opt(LABEL)), seq("reform", NAME, opt(LABEL)),
    seq("replace", st.one_of(PARAMETER, DEFINITION, PROGRAM, ENTITY)),
    seq("amend", "parameter", NAME, VALUES, "end"),
    st.one_of(seq("remove", st.sampled_from([["program"], ["parameter"]]), NAME),
              seq("remove", "definition", NAME, "of", NAME)),
)

PUNCTUATION = set("(){}[],:=|./")
SPACES = [" ", " ", " ", "  ", "\n", "\n  ", "\t", " \n\n   "]


def careless(tokens: list[str], rng: random.Random, comments: list[str]) -> str:
    """The tokens with random whitespace between them, and now and then a comment at the
    end of a line or on a line of its own."""
    out = [rng.choice(["", "\n", "# top\n\n"])]
    for i, token in enumerate(tokens):
        out.append(token)
        next_token = tokens[i + 1] if i + 1 < len(tokens) else ""
        roll = rng.random()
        if roll < 0.08 and comments:
            where, after = rng.choice([" ", "\n  "]), rng.choice(["\n", "\n\n"])
            out.append(f"{where}#{comments.pop()}{after}")
        elif roll < 0.3 and (token in PUNCTUATION or next_token in PUNCTUATION):
            out.append("")
        else:
            out.append(rng.choice(SPACES))
    out.extend("\n#" + c for c in comments)  # any left over end the file
    return "".join(out)


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(DECLARATION, min_size=1, max_size=5), st.lists(COMMENT_TEXT, max_size=6),
       st.randoms())
def test_generated_programs_format_to_a_fixed_point_with_their_meaning_and_comments(
        decls, comment_texts, rng):
    text = careless([t for d in decls for t in d], rng, list(comment_texts))
    assert_laws(text)


def test_fmt_command_checks_and_rewrites(tmp_path):
    from click.testing import CliRunner

    from policylang.cli.main import cli
    messy = tmp_path / "messy.policy"
    messy.write_text('jurisdiction   national "全国"   # the root\n', encoding="utf-8")
    run = CliRunner().invoke(cli, ["fmt", "--check", str(tmp_path)])
    assert run.exit_code == 1 and "+jurisdiction national" in run.output
    assert messy.read_text(encoding="utf-8").startswith("jurisdiction   national")
    run = CliRunner().invoke(cli, ["fmt", str(tmp_path)])
    assert run.exit_code == 0
    assert CliRunner().invoke(cli, ["fmt", "--check", str(tmp_path)]).exit_code == 0
    assert "# the root" in messy.read_text(encoding="utf-8")


def test_the_bundled_rules_are_formatted():
    from click.testing import CliRunner

    from policylang.cli.main import cli
    assert CliRunner().invoke(cli, ["fmt", "--check", "rules"]).exit_code == 0


def test_a_trailing_comment_stays_on_the_line_it_ends():
    text = ('program p "p"\n  subject household\n  condition c:\n    a > 1 # why this\n'
            '  condition d: b\nend\n')
    formatted = assert_laws(text)
    assert "  condition c: a > 1  # why this\n" in formatted
    assert "\n  # why this" not in formatted  # not moved onto a line of its own


def test_a_long_sum_breaks_before_each_operator():
    parts = [f"monthly_amount_number_{i}" for i in range(6)]
    text = f'definition total of household = {" + ".join(parts)} - deduction_of_the_month\n'
    formatted = assert_laws(text)
    lines = formatted.splitlines()
    assert all(len(line) <= 100 for line in lines)
    assert lines[1:] == ["  " + parts[0]] + [f"  + {p}" for p in parts[1:]] + \
        ["  - deduction_of_the_month"]


def test_a_long_condition_breaks_before_and():
    test = " and ".join(f"some_rather_long_condition_name_{i}" for i in range(4))
    formatted = assert_laws(f'program p "p"\n  subject household\n  condition c: {test}\nend\n')
    assert "    some_rather_long_condition_name_0\n    and some_rather_long_condition_name_1\n" \
        in formatted
