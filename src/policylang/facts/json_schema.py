"""Export the facts schema (from the rules' `entity` declarations) as JSON Schema."""

from __future__ import annotations

from ..ir.schema import EntitySchema, FactSchema, Schema
from ..core.typesystem import Type

DECIMAL_PATTERN = r"^[0-9]+(\.[0-9]+)?$"


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
    for name, target in entity.relations.items():
        properties[name] = {"type": ["array", "null"], "items": {"$ref": f"#/$defs/{target}"},
                            "description": "absent or null: unknown; [] means none"}
    required = [f.name for f in entity.facts.values() if f.is_key]
    return {"type": "object", "description": entity.label or entity.name,
            "properties": properties, "required": required, "additionalProperties": False}


def _fact(fact: FactSchema, schema: Schema) -> dict:
    described = {"description": fact.label or fact.name, **_type(fact.type, schema)}
    if fact.bounds is not None:
        described["minimum"], described["maximum"] = (
            int(b) if b == b.to_integral_value() else float(b) for b in fact.bounds)
    if not fact.is_key:
        described = {"anyOf": [described, {"type": "null"}],
                     "description": described["description"]}
    return described


def _type(type_: Type, schema: Schema) -> dict:
    kind = type_.kind
    if kind in ("money", "kwh", "decimal") or type_.is_duration:
        unit = f" ({type_})" if kind in ("money", "kwh") else ""
        return {"oneOf": [{"type": "string", "pattern": DECIMAL_PATTERN},
                          {"type": "integer", "minimum": 0}],
                "$comment": f"a decimal string or whole number{unit}; floats are rejected"}
    if kind == "int":
        return {"type": "integer"}
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "date":
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if kind == "enum":
        return {"enum": list(schema.enums[type_.name])}
    if kind == "place":
        return {"enum": list(schema.places)}
    if kind == "set":
        return {"type": "array", "items": _type(type_.element, schema), "uniqueItems": True}
    return {"type": "string"}
