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
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from ..core.diagnostics import Diagnostic, did_you_mean
from ..core.limits import MAX_FACTS_BYTES, MAX_JSON_DEPTH, list_limit
from ..ir.schema import EntitySchema, FactSchema, Schema
from ..core.typesystem import Type
from ..core.values import ABSENT, Record, Unknown


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class FactError(ValueError):
    """A fact that does not fit its declared type; `code` is the diagnostic code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class _Float(str):
    """A JSON number written with a fraction or exponent, kept so it can be refused."""


@attrs.frozen
class LoadedHousehold:
    """One household of a facts file: its record, or the errors that stopped it."""

    id: str
    record: Record | None
    errors: tuple[Diagnostic, ...]


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
    if path.suffix == ".jsonl":
        households = []
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                households.extend(_load_document(line, f"{name}:{number}", schema, f"line {number}"))
        return households
    return _load_document(text, name, schema, "")


def _load_document(text: str, name: str, schema: Schema, where: str) -> list[LoadedHousehold]:
    try:
        data = parse_json(text)
    except ValueError as error:
        return [_failed(name, where, str(error), "PL101")]
    if isinstance(data, list):
        return [load_household(item, schema, name, f"[{i}]") for i, item in enumerate(data)]
    return [load_household(data, schema, name, "")]


def parse_json(text: str) -> Any:
    """JSON with floats kept aside (money must be exact) and nesting bounded.

    >>> parse_json('{"a": 1.5}')["a"].__class__.__name__
    '_Float'
    """
    depth = current = 0
    in_string = escaped = False
    for ch in text:  # reject deep nesting before the recursive decoder sees it
        if in_string:
            escaped, in_string = (False, True) if escaped else (ch == "\\", ch != '"')
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            current += 1
            depth = max(depth, current)
        elif ch in "]}":
            current -= 1
    if depth > MAX_JSON_DEPTH:
        raise ValueError(f"the JSON nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text, parse_float=_Float, parse_constant=_Float)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON: {error.msg} at line {error.lineno}, "
                         f"column {error.colno}") from None


def _failed(name: str, path: str, message: str, code: str) -> LoadedHousehold:
    diagnostic = Diagnostic(code, message, json_path=path or "$", file=name,
                            hint="household facts are described in docs/facts.md")
    return LoadedHousehold(path or name, None, (diagnostic,))


def load_household(data: Any, schema: Schema, file: str = "<facts>", prefix: str = "") -> LoadedHousehold:
    """Validate one household object against the schema; collect every error."""
    loader = _Loader(schema, file)
    root = schema.root
    record = loader.record(data, root, prefix, None)
    household_id = record.id if record is not None and record.id else (prefix or file)
    if loader.errors:
        return LoadedHousehold(household_id, None, tuple(loader.errors))
    return LoadedHousehold(household_id, record, ())


class _Loader:
    def __init__(self, schema: Schema, file: str):
        self.schema = schema
        self.file = file
        self.errors: list[Diagnostic] = []

    def error(self, code: str, path: str, message: str, hint: str | None = None) -> None:
        self.errors.append(Diagnostic(code, message, json_path=path or "$", file=self.file, hint=hint))

    def record(self, data: Any, entity: EntitySchema, path: str, parent: Record | None) -> Record | None:
        if not isinstance(data, dict):
            self.error("PL103", path, f"expected an object for a {entity.name}, got {_kind(data)}")
            return None
        known = set(entity.facts) | set(entity.relations)
        for key in data:
            if key not in known:
                self.error("PL102", _join(path, key), f"unknown field `{key}` in a {entity.name}",
                           hint=did_you_mean(key, known) or f"fields: {', '.join(sorted(known))}")
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
        try:
            converted = convert_value(value, fact.type, self.schema)
        except FactError as error:
            self.error(error.code, path, str(error))
            return Unknown(frozenset({path}))
        if fact.bounds is not None and not (fact.bounds[0] <= converted <= fact.bounds[1]):
            self.error("PL108", path, f"{converted} is outside {fact.bounds[0]}–{fact.bounds[1]}")
        return converted


def convert_value(value: Any, type_: Type, schema: Schema) -> Any:
    """One JSON value as the engine's value of `type_`; ValueError says what was expected."""
    kind = type_.kind
    if isinstance(value, Decimal) and (kind in ("money", "kwh", "decimal") or type_.is_duration):
        value = str(value)
    if isinstance(value, dt.date) and kind == "date":
        return value
    if isinstance(value, (_Float, float)) and kind in ("money", "kwh", "decimal", "int"):
        raise FactError("PL104", f"{value} is a floating-point number; write amounts as decimal "
                         f'strings, e.g. "{value}"')
    if kind in ("money", "kwh", "decimal") or type_.is_duration:
        amount = _decimal(value, type_)
        if kind in ("money", "kwh") and amount < 0:
            raise FactError("PL106", f"{type_} cannot be negative ({amount})")
        return amount
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise FactError("PL103", f"expected a whole number, got {_kind(value)}")
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
            raise FactError("PL105", f"`{value}` is not a date on the calendar (YYYY-MM-DD)") from None
    if kind == "enum":
        members = schema.enums[type_.name]
        if value not in members:
            raise FactError("PL103", f"`{value}` is not one of {', '.join(members)}")
        return value
    if kind == "place":
        if value not in schema.places:
            hint = did_you_mean(value, schema.places)
            raise FactError("PL103", f"unknown jurisdiction `{value}`" + (f"; {hint}" if hint else ""))
        return value
    if kind == "set":
        if not isinstance(value, list):
            raise FactError("PL103", f"expected a list, got {_kind(value)}")
        return frozenset(convert_value(v, type_.element, schema) for v in value)
    return value


def _decimal(value: Any, type_: Type) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise FactError("PL103", f"expected {_expected(type_)}, got {_kind(value)}")
    try:
        amount = Decimal(value) if isinstance(value, int) else Decimal(value.strip())
    except InvalidOperation:
        raise FactError("PL103", f'`{value}` is not a decimal number (write e.g. "1500.00")') from None
    if not amount.is_finite() or (isinstance(value, str) and any(c in value for c in "eE")):
        raise FactError("PL103", f'`{value}` is not a plain decimal number (write e.g. "1500.00")')
    return amount


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
    return {dict: "an object", list: "a list", str: "a text", int: "a whole number"}.get(
        type(value), type(value).__name__)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
