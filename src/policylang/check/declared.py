"""What the declarations add to the rule set's schema, checked: a fact's default, the facts
an overridable definition lets the input give, the currency of `unit`, a scale's steps, and
the names a definition may not take (those of a parameter, or of its entity's facts)."""

from __future__ import annotations

from .. import ir
from ..core.typesystem import ANY, DURATION_UNITS, Type
from ..facts.convert import FactError, _Float, convert_value
from ..ir.schema import FactSchema
from ..syntax import nodes


def fact_default(checker, fact: nodes.Fact, schema: FactSchema) -> object:
    """The engine value of `default …`, converted as the facts JSON's value would be
    (PL020 when it does not fit the fact); None when it cannot be used."""
    if fact.optional:
        checker.error("PL020", f"`{fact.name}` is optional (absent means none) and also has a "
                   "default", fact.span, hint="keep one: `optional`, or `default …`")
        return None
    [written] = fact.default
    if isinstance(written, _Float):  # a number in the rule text is exact: `default 1.5`
        written = str(written)
    if written is None or isinstance(written, (dict, list)) and schema.type.kind != "set":
        checker.error("PL020", f"the default of `{fact.name}` must be one {schema.type} value",
                   fact.span, hint="write it as the facts JSON would, e.g. `default 0`")
        return None
    try:
        value = convert_value(written, schema.type, checker.schema)
    except FactError as error:
        checker.error("PL020", f"the default of `{fact.name}` does not fit its type: {error}",
                   fact.span, hint=error.hint or "write it as the facts JSON would")
        return None
    if schema.bounds is not None and not schema.bounds[0] <= value <= schema.bounds[1]:
        checker.error("PL020", f"the default of `{fact.name}` ({value}) is outside its bounds",
                   fact.span)
    return value

def history_fits(checker, fact: nodes.Fact, type_: Type) -> bool:
    """Whether a fact declared `history` may have one (PL020 otherwise): a number, or an
    amount per month or without a period, that is always there or has a default."""
    if type_ == ANY:
        return False
    monthly = type_.is_numeric or (type_.is_quantity and type_.per in (None, "month"))
    if not monthly:
        checker.error("PL020", f"`{fact.name}` is {type_}: only a number, or an amount per "
                      "month, has a monthly history", fact.span,
                      hint="remove `history`, or declare the fact `money per month`")
        return False
    if fact.optional:
        checker.error("PL020", f"`{fact.name}` is optional and has a history: a month the "
                      "facts do not give would mean both unknown and none", fact.span,
                      hint="keep `history` and write `default 0` for the months not given")
        return False
    return True


def refuse_hidden_names(checker) -> None:
    """PL011: a definition named as a parameter would hide it, one named as a fact of its
    entity could never be read; both are refused, naming both declarations."""
    parameters = checker.by_kind[nodes.Parameter]
    for (entity, name), decl in checker.definition_decls.items():
        schema = checker.schema.entities.get(entity)
        other = parameters.get(name)
        what = "parameter"
        if schema is not None and name in schema.facts:
            other, what = schema.facts[name], f"fact of `{entity}`"
        elif schema is not None and name in schema.relations:
            other = next(r for e in checker.by_kind[nodes.Entity].values() if e.name == entity
                         for r in e.relations if r.name == name)
            what = f"list of `{entity}`"
        if other is not None:
            checker.error("PL011", f"the definition `{name}` has the name of a {what}",
                       decl.span, hint=f"the {what.split(' ')[0]} is declared at "
                       f"{other.span.location()}; rename one of them")

def declare_given_definitions(checker) -> None:
    """Each `overridable` definition becomes a field the facts of its entity may give:
    typed as a fact of the definition's type, never required (absent: computed). An
    `output` is one value per record too (PL020 for a list)."""
    for (entity, name), decl in checker.definition_decls.items():
        definition = checker.definitions.get((entity, name))
        if decl.output and definition is not None and definition.type.kind in ("set", "collection"):
            checker.error("PL020", f"the output `{name}` is {definition.type}: an output is one "
                          "value for each record", decl.span, hint="output a count or a sum of it")
        if not decl.overridable or definition is None or entity not in checker.schema.entities:
            continue
        if definition.type.kind in ("set", "collection") or definition.type == ANY:
            checker.error("PL020", f"the definition `{name}` is {definition.type}: the facts "
                       "can give only a single value", decl.span,
                       hint="remove `overridable`, or make the definition a number, "
                       "amount, date, yes/no or text")
            continue
        type_ = Type("decimal") if definition.type.kind == "number" else definition.type
        checker.schema.entities[entity].given[name] = FactSchema(
            name, decl.label, type_, False, False, None, decl.span)


def declared_unit(checker) -> tuple[str, str | None]:
    """The currency of `unit EUR`, with its label; CNY (元 / yuan) when none is declared."""
    units = list(checker.by_kind[nodes.UnitDecl].values())
    for extra in units[1:]:
        checker.error("PL011", f"a second currency `{extra.name}`: a rule set counts money in "
                   "one unit", extra.span, hint=f"the first is `{units[0].name}`, declared "
                   f"at {units[0].span.location()}")
    if not units:
        return "CNY", None
    return units[0].name, units[0].label


def scale_steps(checker, scale: nodes.ScaleValue, type_: Type) -> ir.Steps:
    """A scale's steps, checked: each band starts above the one before (PL020), and
    a band's value fits the parameter's type (rates of `brackets` are numbers)."""
    lows = [low for low, _ in scale.steps]
    for before, after in zip(lows, lows[1:]):
        if after <= before:
            checker.error("PL020", f"the {scale.kind} are out of order: {after} comes after "
                       f"{before}", scale.span, hint="write each step from a higher value "
                       "than the one before, lowest first")
            break
    if type_.kind == "int" and any(v != v.to_integral_value() for _, v in scale.steps):
        checker.error("PL020", "a band of a whole-number parameter is not a whole number",
                   scale.span)
    elif type_.kind in ("bool", "date", "text", "place", "enum", "set"):
        checker.error("PL020", f"a parameter of type {type_} cannot hold a scale", scale.span)
    if scale.kind == "brackets" and type_.kind not in ("decimal", "number"):
        checker.error("PL020", f"the rates of `brackets` are numbers, not {type_}", scale.span,
                   hint="declare the parameter `: decimal`; the result has the type of "
                   "the value it is applied to")
    steps = tuple((low, int(v) if type_.kind == "int" else v) for low, v in scale.steps)
    return ir.Steps(scale.kind, steps)


def check_place_fact(checker, programs: dict[str, ir.Program]) -> None:
    """PL012: parameter values and `applies in` are looked up by the place of each record of
    the top entity, its one fact of type `place` (`Schema.place_fact`). Rules that need a
    place while the top entity has none, or several, are refused: never a silent pick."""
    if checker.schema.place_fact is not None:
        return
    parameters = _placed_parameters(checker)
    needs = None
    for name, program in programs.items():
        scoped = [(program.applies, f"`applies in` of program `{name}`")] + [
            (e.applies, f"`applies in` of exception `{name}.{e.name}`")
            for e in program.exceptions]
        needs = next((what for applies, what in scoped if applies and applies.places), None)
        if needs is None and parameters.get(name):
            needs = f"parameter `{sorted(parameters[name])[0]}` (read by program `{name}`)"
        if needs is not None:
            break
    if needs is None:
        return
    root, found = checker.schema.root, checker.schema.place_facts
    if found:
        checker.error("PL012", f"the top entity `{root.name}` has {len(found)} facts of type "
                   f"place ({', '.join(found)}), but {needs} needs to know which one is "
                   f"the place of each {root.name}", root.span,
                   hint="keep one fact of type `place` in the top entity (parameters and "
                   "`applies in` use it); a second place, such as a place of birth, "
                   "belongs to a person, or can be text")
    else:
        checker.error("PL012", f"the top entity `{root.name}` has no fact of type place, but "
                   f"{needs} needs the place of each {root.name}", root.span,
                   hint=f"add a place fact to `entity {root.name}`, e.g. "
                   "`fact region \"所在地区\" : place`")



def _placed_parameters(checker) -> dict[str, set[str]]:
    """Parameters each program needs that have a value for some place: a parameter whose
    values all hold everywhere needs no place."""
    return {name: {p for p in used if any(v.place is not None
                                           for v in checker.parameters[p].values)}
            for name, used in checker._program_parameters().items()}

def cycles(parent_of: dict[str, str | None]) -> list[list[str]]:
    """The loops in a `name → parent` table, each once, from its first name in the table: a
    place within itself, or two entities that hold each other, would make every walk up
    the tree (a place's parents, an entity's holders) run forever.

    >>> cycles({"xa": "xb", "xb": "xa", "top": None, "low": "xa"})
    [['xa', 'xb']]
    """
    loops, settled = [], set()
    for start in parent_of:
        path, current = [], start
        while current is not None and current not in settled and current not in path:
            path.append(current)
            current = parent_of.get(current)
        if current is not None and current in path:
            loops.append(path[path.index(current):])
        settled.update(path)
    return loops


def unit_kind(unit: str) -> str:
    if unit in DURATION_UNITS:
        return unit
    return "kwh" if unit == "kWh" else "money"


def foreign_currency(checker, unit: str | None) -> str | None:
    """PL021's message when `unit` is money in another currency than the rules count in
    (`yuan` is CNY's word; any other currency is written by its code)."""
    if unit is None or unit in DURATION_UNITS or unit == "kWh":
        return None
    counted = checker.schema.unit
    if unit == counted or (unit == "yuan" and counted == "CNY"):
        return None
    word = "`yuan`" if counted == "CNY" else f"`{counted}`"
    return f"the rules count money in {counted}, not {unit}: write amounts in {word}"
