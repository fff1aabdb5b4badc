"""What the editor offers as you type: the rule set's names (definitions, parameters, facts,
relations, programs, enum values, places, sources) and the language's keywords, those that
start with the word under the cursor, each with what it is and its label.

>>> import policylang
>>> rules = policylang.load("rules").rules
>>> [(c.name, c.kind) for c in completions(rules, "  condition poor: monthly_inc", 29)]
[('monthly_income', 'fact')]
>>> [c.name for c in completions(rules, "  condtion", 9)][:1]
['condition']
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

import attrs

from .. import ir
from .hover import both_languages
from ..syntax.highlight import (BUILTIN_FUNCTIONS, BUILTIN_NAMES, CLAUSE_KEYWORDS,
                                DECLARATION_KEYWORDS, WORD_OPERATORS)

WORD = re.compile(r"[\w]*$")


@attrs.frozen
class Completion:
    name: str
    kind: str  # keyword | definition | parameter | fact | list | program | enum | place | source | function
    detail: str = ""


def completions(rules: ir.CheckedRules | None, line: str, column: int) -> list[Completion]:
    """The completions for the word that ends at `column` (0-based, in characters) of `line`.
    A word that starts no name gets the names it is a slip of (`condtion` → `condition`)."""
    prefix = WORD.search(line[:column]).group(0)
    found = _keywords() + (_names(rules) if rules is not None else [])
    starting = [c for c in found if c.name.startswith(prefix)]
    if starting or not prefix:
        return _unique(starting)
    scored = [(_likeness(prefix, c.name), c) for c in found]
    return [c for score, c in sorted(scored, key=lambda x: -x[0]) if score >= 0.75][:10]


def _likeness(typed: str, name: str) -> float:
    """How much `typed` looks like the start of `name` (1.0: the same letters)."""
    return SequenceMatcher(None, typed, name[:len(typed) + 1]).ratio()


def _unique(found) -> list[Completion]:
    seen, out = set(), []
    for c in found:
        if (c.name, c.kind) not in seen:
            seen.add((c.name, c.kind))
            out.append(c)
    return sorted(out, key=lambda c: (c.kind == "keyword", c.name))


KEYWORDS = DECLARATION_KEYWORDS + CLAUSE_KEYWORDS + WORD_OPERATORS + BUILTIN_NAMES


def _keywords() -> list[Completion]:
    return [Completion(w, "keyword") for w in KEYWORDS] + \
        [Completion(f, "function") for f in BUILTIN_FUNCTIONS]


def _names(rules: ir.CheckedRules) -> list[Completion]:
    found = [Completion(d.name, "definition", both_languages(d.label) + f" (of {d.entity})")
             for d in rules.definitions.values()]
    found += [Completion(p.name, "parameter", both_languages(p.label)) for p in rules.parameters.values()]
    for entity in rules.schema.entities.values():
        found += [Completion(f.name, "fact", both_languages(f.label) + f" (of {entity.name})")
                  for f in entity.facts.values()]
        found += [Completion(r, "list", f"list of {e}") for r, e in entity.relations.items()]
    found += [Completion(p.name, "program", p.label_zh) for p in rules.programs.values()]
    found += [Completion(m, "enum", enum) for enum, members in rules.schema.enums.items()
              for m in members]
    found += [Completion(place, "place", both_languages(rules.schema.place_labels.get(place)))
              for place in rules.schema.places]
    found += [Completion(s.name, "source", s.title) for s in rules.sources.values()]
    return found
