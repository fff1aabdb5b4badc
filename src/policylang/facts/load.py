"""Household facts: JSON / JSONL in, validated `Record`s out (CONTRACT §1).

The schema comes from the rules' `entity` declarations. Each household is
validated on its own: a bad household yields diagnostics naming the JSON path
(`members[1].birth_date`) and never stops the others. Absent or null facts are
unknown — never 0 or false — except facts declared `optional`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from itertools import accumulate
from pathlib import Path
from typing import Any

import attrs

from ..core.diagnostics import Diagnostic, did_you_mean
from ..core.limits import (MAX_AMOUNT_DIGITS, MAX_AMOUNT_PLACES, MAX_FACT_ERRORS, MAX_FACTS_BYTES,
                           MAX_ID_CHARS, MAX_JSON_DEPTH, MAX_LIST_ENTRIES, MAX_TEXT_CHARS,
                           list_limit)
from .json_schema import DECIMAL_SHAPE, is_signed
from ..ir.schema import EntitySchema, FactSchema, Schema
from ..core.typesystem import Type
from ..core.values import ABSENT, Record, Unknown


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits, as the schema's \d
SIGNED_DECIMAL = re.compile("-?" + DECIMAL_SHAPE)
SURROGATE = re.compile("[\ud800-\udfff]")
JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
JSON_BRACKET = re.compile(r"[\[\]{}]")
DECIMAL_HINT = ('write the amount as a string of ASCII digits with at most one point between '
                'digits, e.g. "5000" or "5000.00": no sign, spaces, separators or exponent')


class FactError(ValueError):
    """A fact that does not fit its declared type; `code` is the diagnostic code."""

    def __init__(self, code: str, message: str, hint: str | None = None):
        super().__init__(message)
        self.code = code
        self.hint = hint


class _Float(str):
    """A JSON number written with a fraction or exponent, kept so it can be refused."""


@attrs.frozen
class _LongNumber:
    """A JSON whole number too long to be any fact's value, kept aside unconverted (Python
    refuses to convert more than 4,300 digits, and slowly) so the loader names its path."""

    digits: int


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

    Lines end at `\n` only (with or without `\r`): JSON text may hold U+2028 and other
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
        error = Diagnostic("PL107", f"the household id `{_shown(household.id)}` is used twice",
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
            self.error("PL103", path, f"expected an object for a {entity.name}, got {_kind(data)}")
            return None
        known = set(entity.facts) | set(entity.relations)
        for key in getattr(data, "repeated", ()):
            self.error("PL102", _join(path, _shown(key)), f"the field `{_shown(key)}` is written "
                       "twice in one object: which value is meant is unclear",
                       hint="write each field once (JSON readers differ on which one they keep)")
        for key in data:
            if key not in known:
                self.unknown_field(key, known, entity, path)
        record = Record(entity.name, None, path, {}, {}, parent)
        for fact in entity.facts.values():
            record.facts[fact.name] = self.fact(data.get(fact.name), fact, _join(path, fact.name))
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
            self.error("PL102", _join(path, _shown(repr(key))), f"a field name must be a text, got "
                       f"{_kind(key)} ({_shown(repr(key))})", hint=f"fields: {', '.join(sorted(known))}")
            return
        close = did_you_mean(key, known) if len(key) <= MAX_TEXT_CHARS else None
        self.error("PL102", _join(path, _shown(key)), f"unknown field `{_shown(key)}` in a {entity.name}",
                   hint=close or f"fields: {', '.join(sorted(known))}")

    def relation(self, data: Any, entity: EntitySchema, path: str, parent: Record):
        if data is None:
            return Unknown(frozenset({path}))
        if not isinstance(data, list):
            self.error("PL103", path, f"expected a list of {entity.name}s, got {_kind(data)}")
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


def convert_value(value: Any, type_: Type, schema: Schema) -> Any:
    """One JSON value as the engine's value of `type_`; FactError says what was expected.

    >>> from policylang.core.typesystem import Type
    >>> convert_value("5000.00", Type("money"), None)
    Decimal('5000.00')
    >>> convert_value("5_000", Type("money"), None)
    Traceback (most recent call last):
    ...
    policylang.facts.load.FactError: `5_000` is not a decimal number
    """
    kind = type_.kind
    if isinstance(value, str) and not isinstance(value, _Float):
        _check_text(value)
    if isinstance(value, dt.date) and kind == "date":
        return value
    if isinstance(value, (_Float, float)) and kind in ("money", "kwh", "decimal", "int"):
        raise FactError("PL104", f"{_shown(str(value))} is a floating-point number; write amounts "
                        f'as decimal strings, e.g. "{_shown(str(value))}"')
    if isinstance(value, _LongNumber) and (kind in ("money", "kwh", "decimal", "int")
                                           or type_.is_duration):
        raise FactError("PL108", f"a number of {value.digits} digits; {_bound_text()}")
    if kind in ("money", "kwh", "decimal") or type_.is_duration:
        amount = _decimal(value, type_)
        if not is_signed(type_) and amount.is_signed():  # "-0" too, as the schema says
            raise FactError("PL106", f"{type_} cannot be negative ({amount})")
        return amount
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise FactError("PL103", f"expected a whole number, got {_kind(value)}")
        _check_magnitude(Decimal(value))
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise FactError("PL103", f"expected true or false, got {_kind(value)}")
        return value
    if isinstance(value, (_Float, float)) or (not isinstance(value, str) and kind != "set"):
        raise FactError("PL103", f"expected {_expected(type_)}, got {_kind(value)}")
    if kind == "date":
        try:
            if not ISO_DATE.fullmatch(value):
                raise ValueError(value)
            return dt.date.fromisoformat(value)
        except ValueError:
            raise FactError("PL105", f"`{_shown(value)}` is not a date on the calendar (YYYY-MM-DD)") from None
    if kind == "enum":
        members = schema.enums[type_.name]
        if value not in members:
            raise FactError("PL103", f"`{_shown(value)}` is not one of {', '.join(members)}")
        return value
    if kind == "place":
        if value not in schema.places:
            hint = did_you_mean(value, schema.places)
            raise FactError("PL103", f"unknown jurisdiction `{_shown(value)}`" + (f"; {hint}" if hint else ""))
        return value
    if kind == "set":
        if not isinstance(value, list):
            raise FactError("PL103", f"expected a list, got {_kind(value)}")
        if len(value) > MAX_LIST_ENTRIES:
            raise FactError("PL110", f"more than {MAX_LIST_ENTRIES} entries in one list")
        return frozenset(convert_value(v, type_.element, schema) for v in value)
    return value


def _check_text(value: str) -> None:
    """Refuse a text no output could carry: over the length limit, or with a lone surrogate
    (`"\\ud800"` in JSON is not a character and cannot be written as UTF-8)."""
    if len(value) > MAX_TEXT_CHARS:
        raise FactError("PL108", f"a text of {len(value)} characters; texts in facts have at "
                        f"most {MAX_TEXT_CHARS}", hint="a value this long is not a fact: check "
                        "how the file was written")
    if SURROGATE.search(value):
        raise FactError("PL103", f"`{_shown(value)}` holds a lone surrogate, which is not a "
                        "character: it cannot be written as UTF-8",
                        hint="write the character itself, or both halves of its \\u pair")


def _decimal(value: Any, type_: Type) -> Decimal:
    """An amount from a decimal string (the schema's grammar), a whole number or a Decimal."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise FactError("PL103", f"`{value}` is not a number", hint=DECIMAL_HINT)
        amount = value
    elif isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    elif isinstance(value, str):
        if not SIGNED_DECIMAL.fullmatch(value):
            raise FactError("PL103", f"`{_shown(value)}` is not a decimal number", hint=DECIMAL_HINT)
        amount = Decimal(value)
    else:
        raise FactError("PL103", f"expected {_expected(type_)}, got {_kind(value)}")
    _check_magnitude(amount)
    return amount


def _check_magnitude(amount: Decimal) -> None:
    """Refuse an amount beyond the bound every engine keeps exact (core/limits.py).

    >>> _check_magnitude(Decimal("999999999999999.999999000"))
    >>> _check_magnitude(Decimal("0.0000001"))
    Traceback (most recent call last):
    ...
    policylang.facts.load.FactError: 0.0000001 has 7 decimal places; amounts have at most 15 digits before the point and 6 after
    """
    if abs(amount) >= Decimal(10) ** MAX_AMOUNT_DIGITS:
        raise FactError("PL108", f"{_shown(str(amount))} has more than {MAX_AMOUNT_DIGITS} digits "
                        f"before the point; {_bound_text()}")
    places = _places(amount)
    if places > MAX_AMOUNT_PLACES:
        raise FactError("PL108", f"{_shown(f'{amount:f}')} has {places} decimal places; {_bound_text()}")


def _places(amount: Decimal) -> int:
    """Decimal places that count: trailing zeros do not (no context: nothing is rounded)."""
    _, digits, exponent = amount.as_tuple()
    if not any(digits):
        return 0
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing))


def _bound_text() -> str:
    return f"amounts have at most {MAX_AMOUNT_DIGITS} digits before the point and {MAX_AMOUNT_PLACES} after"


def _shown(text: str, limit: int = 60) -> str:
    """A text as a diagnostic may quote it: lone surrogates escaped, a long one cut short.

    >>> _shown("a\\ud800b"), _shown("x" * 100, 10)
    ('a\\\\ud800b', 'xxxxxxxxxx… (100 characters)')
    """
    safe = text.encode("utf-8", "backslashreplace").decode("utf-8") if SURROGATE.search(text) else text
    return safe if len(safe) <= limit else f"{safe[:limit]}… ({len(text)} characters)"


def _expected(type_: Type) -> str:
    if type_.kind in ("money", "kwh", "decimal"):
        return 'a decimal string such as "1500.00"'
    if type_.kind == "date":
        return 'a date string "YYYY-MM-DD"'
    return f"a {type_}"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (_Float, float)):
        return "a floating-point number"
    if isinstance(value, _LongNumber):
        return "a whole number"
    return {dict: "an object", list: "a list", str: "a text", int: "a whole number"}.get(
        type(value), type(value).__name__)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
