"""The engine knows the language, not the bundled library: no name the bundled rules declare
(an entity, a list, a fact, a program, a parameter) is written into the engine's logic.

The names are read from the bundled rules themselves, then every string the engine's code
holds (outside docstrings) is searched for them. What may name them is listed below, each
with its reason: the synthetic-population generator (it writes tables for the bundled
rules), the diagnostics catalogue (its bad examples are rule texts), keywords of the
language, and the contract's own field names.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import policylang

from conftest import RULES

SOURCE = Path(__file__).resolve().parents[1] / "src" / "policylang"

OUTSIDE_THE_ENGINE = {
    "tools/synth.py", "tools/synth_model.py", "tools/synth_tables.py",  # bundled tables
    "tools/codes.py",  # the diagnostics catalogue: its examples are rule texts
}
ALLOWED = {
    # `jurisdiction` is a keyword of the language (`jurisdiction kunming "昆明市" within yunnan`)
    ("syntax/highlight.py", "jurisdiction"), ("syntax/formatter.py", "jurisdiction "),
    # decisions JSON and explanation reports (CONTRACT §3): `households[].household`, and a
    # parameter's `jurisdiction` in the explanation object
    ("explain/decisions_json.py", "household"), ("explain/decisions_json.py", "households"),
    ("explain/model.py", "household"), ("explain/model.py", "households"),
    ("explain/model.py", "jurisdiction"), ("explain/text.py", "households"),
    ("explain/text.py", "household"), ("explain/text.py", "jurisdiction"),
    ("explain/markup.py", "households"), ("explain/markup.py", "household"),
    # the screening table's contract columns and `--households`, `--members`, `--events`,
    # shorthands of `policylang screen` for the tables of the lists so named
    ("batch/tables.py", "households"), ("cli/main.py", "households"),
    ("cli/main.py", "members"), ("cli/main.py", "events"),
    ("cli/main.py", "--members"), ("cli/main.py", "--events"),
    ("api.py", "members"), ("api.py", "events"),
}


def declared_names() -> set[str]:
    rules = policylang.load(RULES).rules
    names = set(rules.programs) | set(rules.parameters)
    for entity in rules.schema.entities.values():
        names |= {entity.name, *entity.relations, *entity.facts}
    # words every rule book and output uses: the type `date`, a record's `id`, a subject's `kind`
    return names - {"date", "id", "kind"}


def strings_in_code(path: Path):
    """(line, text) of every string constant in the module that is not a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_the_engine_names_nothing_the_bundled_rules_declare():
    names = declared_names()
    assert {"member", "household", "members", "events", "jurisdiction", "dibao"} <= names
    # a literal that is a name, or a name with only punctuation around it (`f"{root}.jurisdiction"`)
    bare = re.compile(r"^\W*(%s)\W*$" % "|".join(sorted(map(re.escape, names), key=len, reverse=True)))
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        where = path.relative_to(SOURCE).as_posix()
        if where in OUTSIDE_THE_ENGINE:
            continue
        for line, text in strings_in_code(path):
            match = bare.match(text)
            if match and (where, text) not in ALLOWED:
                found.append(f"{where}:{line}: {text!r}")
    assert not found, "the engine names the bundled library:\n" + "\n".join(found)
