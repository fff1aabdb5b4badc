"""Household facts: JSON / JSONL in, validated `Record`s out (CONTRACT §1).

The schema comes from the rules' `entity` declarations. Each household is
validated on its own: a bad household yields diagnostics naming the JSON path
(`members[1].birth_date`) and never stops the others. Absent or null facts are
unknown — never 0 or false — except facts declared `optional`.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from pathlib import Path
from typing import Any

import attrs

from ..core.diagnostics import Diagnostic, did_you_mean
from ..core.limits import (MAX_AMOUNT_DIGITS, MAX_FACT_ERRORS, MAX_FACTS_BYTES, MAX_ID_CHARS,
                           MAX_JSON_DEPTH, MAX_LIST_ENTRIES, MAX_TEXT_CHARS, list_limit)
from ..ir.schema import EntitySchema, FactSchema, Schema
from ..core.values import ABSENT, Record, Unknown
from ..semantics.months import MONTH, MonthlyValues, month_path
from .convert import FactError, _Float, _LongNumber, convert_value, kind_of, shown

__all__ = ["FactError", "LoadedHousehold", "convert_value", "households_of", "load_household",
           "parse_json", "read_facts_file", "refuse_repeated_ids"]


JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
JSON_BRACKET = re.compile(r"[\[\]{}]")


class _Object(dict):
    """A JSON object, with the names it repeats: `json` would silently keep the last value."""

    repeated: tuple[str, ...] = ()


@attrs.frozen
class LoadedHousehold:
    """One household of a facts file: its record, or the errors that stopped it."""

    id: str
    record: Record | None
    errors: tuple[Diagnostic, ...]
    file: str = "<facts>"
    key_path: str | None = None  # the JSON path of the household's id, when it was read


def read_facts_file(path: Path, schema: Schema) -> list[LoadedHousehold]:
    """Read a `.json` (one household or an array) or `.jsonl` file.

    A file that cannot be read as JSON at all gives a single entry with its error.
    """
    name = str(path)
    from ..core.files import FileRefused, read_text  # a regular file, capped, UTF-8
    try:
        text = read_text(path, MAX_FACTS_BYTES, "the facts file")
    except FileRefused as refused:  # a device, a FIFO, a folder, too large, not UTF-8
        return [_failed(name, "", refused.message, "PL101")]
    return households_of(text, name, schema, jsonl=path.suffix == ".jsonl")


def households_of(text: str, name: str, schema: Schema, jsonl: bool = False) -> list[LoadedHousehold]:
    """The households of a facts file's text: one JSON document, or one per line (`jsonl`).

    Lines end at `\\n` only (with or without `\\r`): JSON text may hold U+2028 and other
    characters `str.splitlines` would split at. Two households with one id are refused.
    """
    if not jsonl:
        return refuse_repeated_ids(_load_document(text, name, schema, ""))
    households = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            households.extend(_load_document(line.removesuffix("\r"), f"{name}:{number}", schema,
                                             f"line {number}"))
    return refuse_repeated_ids(households)


def refuse_repeated_ids(households: list[LoadedHousehold]) -> list[LoadedHousehold]:
    """The households, each one whose id another also has refused with PL107: decisions
    (and `--previous` snapshots) are matched by id, so which one is meant would be unclear.
    `screen` refuses the rows of a repeated id the same way.

    >>> one = LoadedHousehold("h", None, (), "f.json", "[0].id")
    >>> [e.code for h in refuse_repeated_ids([one, attrs.evolve(one, key_path="[1].id")]) for e in h.errors]
    ['PL107', 'PL107']
    """
    places: dict[str, list[LoadedHousehold]] = {}
    for household in households:
        if household.key_path is not None:
            places.setdefault(household.id, []).append(household)
    refused = []
    for household in households:
        same = places.get(household.id, []) if household.key_path is not None else []
        if len(same) < 2:
            refused.append(household)
            continue
        other = same[1] if same[0] is household else same[0]
        error = Diagnostic("PL107", f"the household id `{shown(household.id)}` is used twice",
                           json_path=household.key_path, file=household.file,
                           hint=f"also at {other.file}, {other.key_path}")
        refused.append(attrs.evolve(household, record=None, errors=household.errors + (error,)))
    return refused


def _load_document(text: str, name: str, schema: Schema, where: str) -> list[LoadedHousehold]:
    try:
        data = parse_json(text)
    except ValueError as error:
        return [_failed(name, where, str(error), "PL101")]
    if isinstance(data, list):
        return [load_household(item, schema, name, f"[{i}]") for i, item in enumerate(data)]
    return [load_household(data, schema, name, "")]


def parse_json(text: str) -> Any:
    """JSON with floats and very long numbers kept aside (money must be exact), repeated
    names noted, nesting bounded, and a leading byte order mark ignored (as in rules and CSV).

    >>> parse_json('{"a": 1.5}')["a"].__class__.__name__
    '_Float'
    >>> parse_json('\ufeff{"a": 1, "a": 2}').repeated
    ('a',)
    """
    text = text.removeprefix("\ufeff")
    if _nesting(text) > MAX_JSON_DEPTH:  # before the recursive decoder sees it
        raise ValueError(f"the JSON nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text, parse_float=_Float, parse_constant=_Float,
                          parse_int=_whole_number, object_pairs_hook=_object)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON: {error.msg} at line {error.lineno}, "
                         f"column {error.colno}") from None


def _nesting(text: str) -> int:
    """How deep the brackets outside strings nest, found by C-speed scans (regular
    expressions), not a Python loop over every character of a 50 MB file.

    >>> _nesting('{"a": [[1], "[[[["], {"b": "\\\\\\"["}]}')
    3
    """
    brackets = JSON_BRACKET.findall(JSON_STRING.sub("", text))
    return max(accumulate(1 if b in "[{" else -1 for b in brackets), default=0)


def _whole_number(text: str) -> int | _LongNumber:
    digits = len(text.lstrip("-"))
    return _LongNumber(digits) if digits > 2 * MAX_AMOUNT_DIGITS else int(text)


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    found = _Object(pairs)
    if len(found) < len(pairs):
        seen: set[str] = set()
        found.repeated = tuple(dict.fromkeys(n for n, _ in pairs if n in seen or seen.add(n)))
    return found


def _failed(name: str, path: str, message: str, code: str) -> LoadedHousehold:
    diagnostic = Diagnostic(code, message, json_path=path or "$", file=name,
                            hint="household facts are described in docs/facts.md")
    return LoadedHousehold(path or name, None, (diagnostic,), name)


def load_household(data: Any, schema: Schema, file: str = "<facts>", prefix: str = "") -> LoadedHousehold:
    """Validate one household object against the schema; collect every error."""
    loader = _Loader(schema, file)
    root = schema.root
    record = loader.record(data, root, prefix, None)
    known = record is not None and bool(record.id)
    household_id = record.id if known else (prefix or file)
    key_path = _join(prefix, root.key) if known else None
    if loader.errors:
        return LoadedHousehold(household_id, None, loader.reported(), file, key_path)
    return LoadedHousehold(household_id, record, (), file, key_path)


class _Loader:
    def __init__(self, schema: Schema, file: str):
        self.schema = schema
        self.file = file
        self.errors: list[Diagnostic] = []
        self.more = 0  # errors past MAX_FACT_ERRORS, counted, not kept

    def error(self, code: str, path: str, message: str, hint: str | None = None) -> None:
        if len(self.errors) >= MAX_FACT_ERRORS:
            self.more += 1
            return
        self.errors.append(Diagnostic(code, message, json_path=path or "$", file=self.file, hint=hint))

    def reported(self) -> tuple[Diagnostic, ...]:
        """The errors kept, and one that counts the others: a hostile file with a million
        bad fields gives a page of errors, not a million."""
        if not self.more:
            return tuple(self.errors)
        last = Diagnostic("PL102" if all(e.code == "PL102" for e in self.errors) else self.errors[-1].code,
                          f"… and {self.more} more errors in this household", json_path="$",
                          file=self.file, hint=f"only the first {MAX_FACT_ERRORS} are listed")
        return (*self.errors, last)

    def record(self, data: Any, entity: EntitySchema, path: str, parent: Record | None) -> Record | None:
        if not isinstance(data, dict):
            self.error("PL103", path, f"expected an object for a {entity.name}, got {kind_of(data)}")
            return None
        known = set(entity.facts) | set(entity.relations) | set(entity.given)
        for key in getattr(data, "repeated", ()):
            self.error("PL102", _join(path, shown(key)), f"the field `{shown(key)}` is written "
                       "twice in one object: which value is meant is unclear",
                       hint="write each field once (JSON readers differ on which one they keep)")
        for key in data:
            if key not in known:
                self.unknown_field(key, known, entity, path)
        record = Record(entity.name, None, path, {}, {}, parent)
        for fact in entity.facts.values():
            record.facts[fact.name] = self.fact(data.get(fact.name), fact, _join(path, fact.name))
        record.assumed = frozenset(f.name for f in entity.facts.values()
                                   if f.default is not None and data.get(f.name) is None)
        for name, given in entity.given.items():
            if data.get(name) is not None:
                record.given[name] = self.fact(data[name], given, _join(path, name))
        key = entity.key
        if key is not None:
            value = record.facts[key]
            if not isinstance(value, Unknown):
                record.id = value
            elif data.get(key) is None:  # a wrong type was reported already
                self.error("PL109", _join(path, key), f"every {entity.name} needs an `{key}`")
        for name, target in entity.relations.items():
            record.relations[name] = self.relation(data.get(name), self.schema.entities[target],
                                                   _join(path, name), record)
        return record

    def unknown_field(self, key: Any, known: set[str], entity: EntitySchema, path: str) -> None:
        if not isinstance(key, str):
            self.error("PL102", _join(path, shown(repr(key))), f"a field name must be a text, got "
                       f"{kind_of(key)} ({shown(repr(key))})", hint=f"fields: {', '.join(sorted(known))}")
            return
        close = did_you_mean(key, known) if len(key) <= MAX_TEXT_CHARS else None
        self.error("PL102", _join(path, shown(key)), f"unknown field `{shown(key)}` in a {entity.name}",
                   hint=close or f"fields: {', '.join(sorted(known))}")

    def relation(self, data: Any, entity: EntitySchema, path: str, parent: Record):
        if data is None:
            return Unknown(frozenset({path}))
        if not isinstance(data, list):
            self.error("PL103", path, f"expected a list of {entity.name}s, got {kind_of(data)}")
            return ()
        if len(data) > list_limit(entity):
            self.error("PL110", path, f"more than {list_limit(entity)} entries in one list")
            return ()
        records = [self.record(item, entity, f"{path}[{i}]", parent) for i, item in enumerate(data)]
        seen: dict[str, str] = {}
        for record in records:
            if record is not None and record.id is not None:
                if record.id in seen:
                    self.error("PL107", _join(record.path, entity.key),
                               f"the id `{record.id}` is used twice", hint=f"also at {seen[record.id]}")
                seen[record.id] = record.path
        return tuple(r for r in records if r is not None)

    def fact(self, value: Any, fact: FactSchema, path: str) -> Any:
        if fact.history and isinstance(value, dict):
            return self.months(value, fact, path)
        if value is None and fact.default is not None:
            return fact.default
        if value is None:
            return ABSENT if fact.optional else Unknown(frozenset({path}))
        if fact.is_key and isinstance(value, str) and len(value) > MAX_ID_CHARS:
            self.error("PL108", path, f"an id of {len(value)} characters; ids have at most "
                       f"{MAX_ID_CHARS}", hint="ids are repeated in every decision: keep them short")
            return Unknown(frozenset({path}))
        try:
            converted = convert_value(value, fact.type, self.schema)
        except FactError as error:
            self.error(error.code, path, str(error), error.hint)
            return Unknown(frozenset({path}))
        if fact.bounds is not None and not (fact.bounds[0] <= converted <= fact.bounds[1]):
            self.error("PL108", path, f"{converted} is outside {fact.bounds[0]}–{fact.bounds[1]}")
        return converted


    def months(self, data: dict, fact: FactSchema, path: str) -> MonthlyValues | Unknown:
        """A history fact given month by month: `{"2023-07": "1200", …}`; a month written
        null is a month not given."""
        if len(data) > MAX_LIST_ENTRIES:
            self.error("PL110", path, f"more than {MAX_LIST_ENTRIES} months in one history")
            return Unknown(frozenset({path}))
        for key in getattr(data, "repeated", ()):
            self.error("PL102", month_path(path, shown(key)), f"the month `{shown(key)}` is "
                       "written twice: which value is meant is unclear")
        one_month = attrs.evolve(fact, history=False, default=None)
        months = {}
        for key, value in data.items():
            if not (isinstance(key, str) and MONTH.fullmatch(key)):
                self.error("PL103", month_path(path, shown(str(key))), f"`{shown(str(key))}` "
                           f"is not a month", hint='write months as "YYYY-MM", e.g. "2023-07"')
            elif value is not None:
                months[key] = self.fact(value, one_month, month_path(path, key))
        return MonthlyValues(months)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
