"""Hypothesis strategies that break rule books and facts the way an attacker or an unlucky
user would (issue #18): each mutation starts from a real input — the bundled rules, the
family rule book, the sample households — so that most mutants get past the parser and
reach the checker, the engines and the output writers.

Rules: a rule book is a dict {file name: text}; a mutant changes one file by token edits
(delete, duplicate, swap, insert a hostile token, replace a literal by an edge value), by
swapping or duplicating whole declarations, or by truncation.

Facts: a facts file is written as JSON text; a mutant replaces values by edge values (money
strings the schema refuses, dates off the calendar, lone surrogates, deep nesting, wrong
types), deletes keys, multiplies members past the limit, or is raw text (a key written
twice, a document nested a thousand deep).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "rules"
FAMILY = ROOT / "tests" / "rulebooks" / "family"
EXAMPLES = ROOT / "examples"


def rule_book(folder: Path) -> dict[str, str]:
    """The .policy files of a folder, by name."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.policy"))}


def samples(folder: Path, pattern: str) -> list[dict]:
    """The sample households of a folder: each file one household (or a list of them)."""
    found = []
    for path in sorted(folder.glob(pattern)):
        data = json.loads(path.read_text(encoding="utf-8"))
        found.extend(data if isinstance(data, list) else [data])
    return found


# The two rule books the suite mutates, each with its sample households.
BOOKS = {
    "bundled": (BUNDLED, rule_book(BUNDLED), samples(EXAMPLES, "*.json")),
    "family": (FAMILY, rule_book(FAMILY), samples(FAMILY, "families.json")),
}

# ---------------------------------------------------------------- rule text
TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\d{4}-\d{2}-\d{2}|\d+(?:\.\d+)?|\w+|\s+|.', re.S)
LITERAL = re.compile(r"\d{4}-\d{2}-\d{2}|\d+(?:\.\d+)?")


def tokens(text: str) -> list[str]:
    """The text cut into tokens that join back into it.

    >>> tokens('x = 1.5 yuan')
    ['x', ' ', '=', ' ', '1.5', ' ', 'yuan']
    """
    return TOKEN.findall(text)


HUGE_NUMBERS = ["1" + "0" * n for n in (15, 16, 19, 20, 28, 29, 38, 79, 80, 85, 400, 4301)]
EDGE_LITERALS = [
    *HUGE_NUMBERS, "0", "0.000000000000000000001", "0." + "0" * 400 + "1", "99999999999999.99",
    "9999-12-31", "0001-01-01", "2023-02-30", "2024-02-29", "0000-01-01",
]
HOSTILE_TOKENS = [
    *EDGE_LITERALS,
    # full-width and curly punctuation, as a Chinese input method types them
    "（", "）", "：", "，", "＝", "＋", "“", "”", "‘", "’", "。", "、", "；",
    # escapes and quotes
    "\\", '"\\q"', '"\\u12"', '"\\x41"', '"\\ud800"', '"\\"', '"', "'",
    # digits of other scripts, invisible and control characters
    "５", "٥", "\u00a0", "\u200b", "\ufeff", "\x00", "\r", "\t", "🙂", "低保",
    # deep parentheses, long chains, rounding edge cases
    "(" * 50 + "1" + ")" * 50, "(" * 300 + "1" + ")" * 300, "(" * 300,
    "rounded half_up to 0", "rounded half_up to 0." + "0" * 400 + "1", "rounded up to 0.001",
    "+ 10000 years", "- 1 days", "9999-12-31 + 1 days", "evaluation_date + 10000 years",
    "end", "end\n", "\nend\n", "program", "definition", "parameter", "entity", "example",
    "not", "and", "or", "absent", "unknown", "members", "count(members)", "/ 0", "* 0",
]


# A hostile token, or any one to three characters (hypothesis draws no lone surrogates here).
HOSTILE_OR_ANY = st.one_of(st.sampled_from(HOSTILE_TOKENS), st.text(min_size=1, max_size=3))


@st.composite
def token_edit(draw, text: str) -> str:
    """One token deleted, duplicated, swapped with its neighbour, replaced or preceded by a
    hostile token, or a number or date replaced by an edge value."""
    parts = tokens(text) or [""]
    i = draw(st.integers(0, len(parts) - 1))
    op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "replace", "literal"]))
    if op == "delete":
        del parts[i]
    elif op == "duplicate":
        parts.insert(i, parts[i])
    elif op == "swap" and i + 1 < len(parts):
        parts[i], parts[i + 1] = parts[i + 1], parts[i]
    elif op == "insert":
        parts.insert(i, draw(HOSTILE_OR_ANY))
    elif op == "replace":
        parts[i] = draw(st.sampled_from(HOSTILE_TOKENS))
    else:
        literals = [j for j, part in enumerate(parts) if LITERAL.fullmatch(part)]
        if literals:
            parts[draw(st.sampled_from(literals))] = draw(st.sampled_from(EDGE_LITERALS))
    return "".join(parts)


DECLARATION = re.compile(r"^(?=\w)(?!end\b)", re.M)


def declarations(text: str) -> list[str]:
    """The text cut before each line that starts at the margin with a word other than `end`:
    declarations, with the comment lines above each going with the one before.

    >>> declarations('entity a\\nend\\nprogram p\\nend\\n')
    ['entity a\\nend\\n', 'program p\\nend\\n']
    """
    return [part for part in DECLARATION.split(text) if part]


@st.composite
def declaration_edit(draw, text: str) -> str:
    """Two declarations swapped, one duplicated, or one deleted."""
    parts = declarations(text)
    if len(parts) < 2:
        return text
    i, j = draw(st.integers(0, len(parts) - 1)), draw(st.integers(0, len(parts) - 1))
    op = draw(st.sampled_from(["swap", "duplicate", "delete"]))
    if op == "swap":
        parts[i], parts[j] = parts[j], parts[i]
    elif op == "duplicate":
        parts.insert(j, parts[i])
    else:
        del parts[i]
    return "".join(parts)


@st.composite
def truncation(draw, text: str) -> str:
    """The text cut at any character."""
    return text[:draw(st.integers(0, len(text)))]


def text_edit(text: str) -> st.SearchStrategy[str]:
    """One edit of any kind, token edits the most often."""
    return st.one_of(token_edit(text), token_edit(text), token_edit(text),
                     declaration_edit(text), truncation(text))


@st.composite
def mutated_rules(draw, book: dict[str, str]) -> dict[str, str]:
    """The rule book with one file changed by one to three edits."""
    name = draw(st.sampled_from(sorted(book)))
    text = book[name]
    for _ in range(draw(st.integers(1, 3))):
        text = draw(text_edit(text))
    return {**book, name: text}


# ---------------------------------------------------------------- facts
EDGE_MONEY = [
    "0", "0.00", "-5.00", "", " ", "1" + "0" * 14, "1" + "0" * 15, "1" + "0" * 28, "1" + "0" * 85,
    "0.0000001", "５０００", "٥٠٠٠", "5_000", "+5000", " 5000 ", "5.", ".5", "1e5", "NaN",
    "Infinity", "-0", "0x10", "5,000.00", "￥5000", "5000 yuan",
]
EDGE_DATES = ["0001-01-01", "0001-06-01", "9999-12-31", "10000-01-01", "0000-01-01",
              "2023-02-30", "2023-13-01", "2023-8-1", "20230801", "2023-08-01T00:00:00"]
EDGE_TEXTS = ["", "\ud800", "a\udfffb", "\x00", "低保", "🙂" * 3, "x" * 201, "x" * 2001, "\u202e"]
EDGE_SCALARS = [None, True, False, 0, -1, 2 ** 63, 10 ** 30, 1.5, float("1e308"), [], {},
                {"id": "nested"}, [[[[[]]]]]]


def deep(levels: int):
    """A value nested `levels` lists deep."""
    value: list = []
    for _ in range(levels):
        value = [value]
    return value


EDGE_VALUES = st.sampled_from([*EDGE_MONEY, *EDGE_DATES, *EDGE_TEXTS, *EDGE_SCALARS, deep(30)])


def paths(value, prefix=()) -> list[tuple]:
    """Every path into a JSON value (keys and list indices), the value's own included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(paths(item, (*prefix, index)))
    return found


def replaced(value, path: tuple, new):
    """`value` with the part at `path` replaced by `new` (a copy)."""
    if not path:
        return new
    value = copy.copy(value)
    value[path[0]] = replaced(value[path[0]], path[1:], new)
    return value


def removed(value, path: tuple):
    """`value` with the part at `path` left out (a copy); the root is kept."""
    if not path:
        return value
    if len(path) == 1:
        value = copy.copy(value)
        del value[path[0]]
        return value
    return replaced(value, path[:1], removed(value[path[0]], path[1:]))


@st.composite
def value_edit(draw, household):
    """One value replaced by an edge value, or one key or list entry left out."""
    where = draw(st.sampled_from(paths(household)))
    if draw(st.booleans()):
        return replaced(household, where, draw(EDGE_VALUES))
    return removed(household, where)


@st.composite
def crowd(draw, household):
    """The members list (whatever it is called) grown past the limit on keyed entries:
    copies of its members with fresh ids, or with the same id."""
    if not isinstance(household, dict):
        return household
    records = {k: [r for r in v if isinstance(r, dict)] for k, v in household.items() if isinstance(v, list)}
    lists = sorted(k for k, v in records.items() if v)
    if not lists:
        return household
    name = draw(st.sampled_from(lists))
    size = draw(st.sampled_from([199, 200, 201, 250]))
    same_id = draw(st.booleans())
    people = [dict(records[name][i % len(records[name])],
                   **({} if same_id else {"id": f"m{i}"})) for i in range(size)]
    return {**household, name: people}


@st.composite
def mutated_household(draw, household):
    """A sample household with one to three value edits, sometimes crowded."""
    for _ in range(draw(st.integers(1, 3))):
        household = draw(st.one_of(value_edit(household), value_edit(household), crowd(household)))
    return household


def written(households: list) -> str:
    """Households as the JSON text of a facts file (a lone surrogate written as `\\ud800`)."""
    return json.dumps(households if len(households) != 1 else households[0], ensure_ascii=True)


@st.composite
def raw_facts_text(draw, household: dict) -> str:
    """Facts text no JSON encoder writes: a key written twice, nesting a thousand deep, a
    BOM, a truncated document, a number of 5,000 digits."""
    text = json.dumps(household, ensure_ascii=False)
    key = draw(st.sampled_from(sorted(household))) if household else "id"
    kind = draw(st.sampled_from(["twice", "deep", "bom", "cut", "digits", "nan"]))
    if kind == "twice":
        return text[:-1] + f', {json.dumps(key)}: {json.dumps(draw(EDGE_VALUES))}' + "}"
    if kind == "deep":
        return text[:-1] + ', "deep": ' + "[" * 1000 + "]" * 1000 + "}"
    if kind == "bom":
        return "\ufeff" + text
    if kind == "cut":
        return text[:draw(st.integers(0, len(text)))]
    if kind == "digits":
        return text[:-1] + f', {json.dumps(key)}: 1{"0" * 5000}' + "}"
    return text[:-1] + f', {json.dumps(key)}: NaN' + "}"


@st.composite
def facts_text(draw, households: list[dict]) -> str:
    """The text of a facts file of mutated sample households, or raw hostile text."""
    chosen = draw(st.lists(st.sampled_from(households), min_size=1, max_size=3))
    if draw(st.integers(0, 4)) == 0:
        return draw(raw_facts_text(chosen[0]))
    return written([draw(mutated_household(h)) for h in chosen])


@st.composite
def mutated_population(draw, households: list[dict]) -> list[dict]:
    """Two to six households for `screen`, given distinct ids, then each maybe mutated (its
    id too)."""
    chosen = draw(st.lists(st.sampled_from(households), min_size=2, max_size=6))
    population = []
    for i, household in enumerate(chosen):
        household = {**household, "id": f"h{i}"}
        if draw(st.booleans()):
            household = draw(mutated_household(household))
        if isinstance(household, dict):
            population.append(household)
    return population


EVALUATION_DATES = st.sampled_from(["2023-08-01"] * 6 + ["2024-02-29", "0001-06-01", "9999-12-31"])


# ---------------------------------------------------------------- generated programs
# Token edits mostly break the parser; a generated program over the family rule book's facts
# gets past the checker often, and reaches both engines with edge numbers and dates.
# Mostly numbers the checker takes (15 digits before the point, 18 after, at most), now and
# then one it refuses (PL004).
EDGE_NUMBERS = st.sampled_from(
    ["0", "1", "2", "3", "0.5", "0.000001", "0.000000000000000001", "1000", "999999999999999",
     "99999999999999.999999", "100000000000000", "0.3333"] * 4
    + ["0.0000000000000000001", "1" + "0" * 15, "1" + "0" * 28])
EDGE_DATE_LITERALS = st.sampled_from(["0001-01-01", "9999-12-31", "2023-08-01", "2024-02-29"])
# Steps the checker takes (a fen or coarser), now and then one it refuses (PL043: 0, finer
# than a fen, 400 places).
STEPS = st.sampled_from(["0.01", "1", "0.1", "5", "1000000", "0.05"] * 3
                       + ["0", "0.000001", "0.000000000000000001", "0." + "0" * 400 + "1"])
MODES = st.sampled_from(["half_up", "half_even", "down", "up"])
SHIFTS = st.sampled_from(["1 days", "10000 years", "12 months", "0 days", "3000000 days"])


def money(depth: int = 2) -> st.SearchStrategy[str]:
    """A money expression of the family book: facts, parameters, literals and arithmetic."""
    atoms = st.one_of(st.sampled_from(["savings", "savings_limit", "relief_per_person"]),
                      EDGE_NUMBERS.map(lambda n: f"{n} yuan"))
    if depth == 0:
        return atoms
    inner = money(depth - 1)
    return st.one_of(
        atoms,
        st.tuples(inner, st.sampled_from(["+", "-"]), inner).map(" ".join),
        st.tuples(inner, st.sampled_from(["*", "/"]), number(depth - 1)).map(" ".join),
        st.tuples(inner, inner).map(lambda ab: f"max({ab[0]}, {ab[1]})"),
        st.tuples(condition(depth - 1), inner, inner).map(lambda c: f"(if {c[0]} then {c[1]} else {c[2]})"),
        inner.map(lambda m: f"({m})"),
        inner.map(lambda m: f"-{m}"),
    )


def number(depth: int = 1) -> st.SearchStrategy[str]:
    """A plain number: literals, `family_size`, counts, arithmetic."""
    atoms = st.one_of(EDGE_NUMBERS, st.sampled_from(["family_size", "count(persons)", "count(incidents)"]))
    if depth == 0:
        return atoms
    inner = number(depth - 1)
    return st.one_of(atoms, st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner)
                     .map(lambda t: f"({' '.join(t)})"))


def condition(depth: int = 1) -> st.SearchStrategy[str]:
    """A condition: comparisons of money and numbers, dates shifted off the calendar,
    incidents and persons, `not`, `and`, `or`, unknown facts."""
    compare = st.sampled_from(["<", "<=", ">", ">=", "==", "!="])
    atoms = st.one_of(
        st.tuples(money(0), compare, money(min(depth, 1))).map(" ".join),
        st.tuples(number(0), compare, number(1)).map(" ".join),
        st.tuples(EDGE_DATE_LITERALS, st.sampled_from(["+", "-"]), SHIFTS, compare)
        .map(lambda t: f"{t[0]} {t[1]} {t[2]} {t[3]} evaluation_date"),
        SHIFTS.map(lambda s: f"any(incidents, happened + {s} > evaluation_date)"),
        st.sampled_from(["any(persons, disabled)", "all(persons, earnings < 1 yuan)",
                         "rent is absent", "savings is known", "region within north"]),
    )
    if depth == 0:
        return atoms
    inner = condition(depth - 1)
    return st.one_of(atoms, inner.map(lambda c: f"not ({c})"),
                     st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({' '.join(t)})"))


@st.composite
def generated_program(draw) -> str:
    """A family program `fuzz` in force everywhere: one to three conditions and an amount
    rounded by any mode to any step (0 and 400 places included)."""
    conditions = draw(st.lists(condition(), min_size=1, max_size=3))
    lines = ['program fuzz "fuzz" / "fuzz"', "  subject family", "  applies in country",
             '  cite family_brief "fuzz"']
    lines += [f'  condition c{i} "c{i}" / "c{i}": {text}' for i, text in enumerate(conditions)]
    amount = f"{draw(money())} rounded {draw(MODES)} to {draw(STEPS)}"
    return "\n".join([*lines, f"  amount {amount}", "end", ""])


def with_generated_program(program: str) -> dict[str, str]:
    """The family rule book with one more file, the generated program."""
    return {**BOOKS["family"][1], "fuzz.policy": program}
