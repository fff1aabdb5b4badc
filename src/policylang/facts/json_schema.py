"""Export the facts schema (from the rules' `entity` declarations) as JSON Schema."""

from __future__ import annotations

from ..semantics.months import MONTH

from ..core.values import plain
from ..core.limits import (MAX_AMOUNT_DIGITS, MAX_AMOUNT_PLACES, MAX_ID_CHARS, MAX_LIST_ENTRIES,
                           MAX_TEXT_CHARS, list_limit)
from ..ir.schema import EntitySchema, FactSchema, Schema
from ..core.typesystem import Type

# The one grammar of a decimal string in facts, for the published schema and the loader:
# ASCII digits, then optionally a point and more digits (no sign, spaces, separators or
# exponent). `DECIMAL_SHAPE` is the form, `decimal_pattern` adds the magnitude bound
# (leading zeros before the point and trailing zeros after it do not count).
DECIMAL_SHAPE = r"[0-9]+(\.[0-9]+)?"
BOUNDED_DECIMAL = rf"0*[0-9]{{1,{MAX_AMOUNT_DIGITS}}}(\.[0-9]{{1,{MAX_AMOUNT_PLACES}}}0*)?"
LARGEST_WHOLE = 10 ** MAX_AMOUNT_DIGITS - 1


def decimal_pattern(signed: bool) -> str:
    r"""The JSON Schema `pattern` (ECMA-262) of a decimal string; `signed` allows a minus.

    >>> decimal_pattern(False)
    '^0*[0-9]{1,15}(\\.[0-9]{1,6}0*)?$'
    """
    return "^" + ("-?" if signed else "") + BOUNDED_DECIMAL + "$"


def is_signed(type_: Type) -> bool:
    """Whether facts of `type_` may be negative: decimals and durations; money and kWh not."""
    return type_.kind == "decimal" or type_.is_duration


MONTH_PATTERN = f"^{MONTH.pattern}$"


def facts_json_schema(schema: Schema) -> dict:
    """A draft 2020-12 JSON Schema for one household object.

    Every fact may be `null` or absent: that means unknown (or absent, for an
    optional fact), which the engine reports instead of guessing.
    """
    root = schema.root
    defs = {name: _entity(entity, schema) for name, entity in schema.entities.items()
            if name != root.name}
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "policylang.facts/1",
        "title": f"policylang household facts ({root.label or root.name})",
        **_entity(root, schema),
        "$defs": defs,
    }
    return document


def _entity(entity: EntitySchema, schema: Schema) -> dict:
    properties = {name: _fact(fact, schema) for name, fact in entity.facts.items()}
    for name, given in entity.given.items():  # an overridable definition's value, if known
        properties[name] = _fact(given, schema)
        properties[name]["description"] += " (computed by the rules when absent)"
    for name, target in entity.relations.items():
        properties[name] = {"type": ["array", "null"], "items": {"$ref": f"#/$defs/{target}"},
                            "maxItems": list_limit(schema.entities[target]),
                            "description": "absent or null: unknown; [] means none"}
    required = [f.name for f in entity.facts.values() if f.is_key]
    return {"type": "object", "description": entity.label or entity.name,
            "properties": properties, "required": required, "additionalProperties": False}


def _fact(fact: FactSchema, schema: Schema) -> dict:
    described = {"description": fact.label or fact.name, **_type(fact.type, schema)}
    if fact.bounds is not None:
        low, high = (int(b) if b == b.to_integral_value() else float(b) for b in fact.bounds)
        described["minimum"] = max(low, described.get("minimum", low))  # within the limit too
        described["maximum"] = min(high, described.get("maximum", high))
    if fact.is_key and described.get("type") == "string":
        described["maxLength"] = MAX_ID_CHARS
    if fact.history:  # one value (this month's), or the values by month
        one = {k: v for k, v in described.items() if k != "description"}
        by_month = {"type": "object", "patternProperties": {
            MONTH_PATTERN: {"anyOf": [one, {"type": "null"}]}},
            "additionalProperties": False, "maxProperties": MAX_LIST_ENTRIES,
            "$comment": 'values by month ("2023-07"); a month not given is unknown, or the '
                        "default"}
        described = {"anyOf": [one, by_month], "description": described["description"]
                     + " (one value for the month decided, or values by month)"}
    if not fact.is_key:
        described = {"anyOf": [described, {"type": "null"}],
                     "description": described["description"]}
    if fact.default is not None:  # as the facts JSON writes it
        described["default"] = plain(fact.default)
        described["description"] += f" (absent: {plain(fact.default)}, its default)"
    return described


def _type(type_: Type, schema: Schema) -> dict:
    kind = type_.kind
    if kind in ("money", "kwh", "decimal") or type_.is_duration:
        unit = f" ({type_})" if kind in ("money", "kwh") else ""
        signed = is_signed(type_)
        return {"oneOf": [{"type": "string", "pattern": decimal_pattern(signed)},
                          {"type": "integer", "minimum": -LARGEST_WHOLE if signed else 0,
                           "maximum": LARGEST_WHOLE}],
                "$comment": f"a decimal string or whole number{unit}, at most "
                            f"{MAX_AMOUNT_DIGITS} digits before the point and "
                            f"{MAX_AMOUNT_PLACES} after; floats are rejected"}
    if kind == "int":
        return {"type": "integer", "minimum": -LARGEST_WHOLE, "maximum": LARGEST_WHOLE}
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "date":
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if kind == "enum":
        return {"enum": list(schema.enums[type_.name])}
    if kind == "place":
        return {"enum": list(schema.places)}
    if kind == "set":
        return {"type": "array", "items": _type(type_.element, schema), "uniqueItems": True,
                "maxItems": MAX_LIST_ENTRIES}
    return {"type": "string", "maxLength": MAX_TEXT_CHARS}
