"""What the editor shows over a name, as Markdown: a parameter's values by place and date
with their citations, a definition's formula, a fact's type and evidence, a program's
subject and places.

>>> import policylang
>>> ruleset = policylang.load("rules")
>>> print(hover_text(ruleset.rules, ruleset.texts, ("parameter", "dibao_standard")))
**parameter `dibao_standard`** — 低保标准(每人每月) / dibao standard per person per month
<BLANKLINE>
`money per month`
<BLANKLINE>
| place | from | until | value | source |
|---|---|---|---|---|
| 全国 national |  |  | 700 | illustrative: 全国兜底数值 |
| 昆明市 Kunming | 2022-01-01 |  | 800 | illustrative: 昆明市低保标准 |
| 常州市 Changzhou |  | 2022-12-31 | 950 | illustrative: 常州市2023年前低保标准 |
| 常州市 Changzhou | 2023-01-01 |  | 1000 | 用心用情解决群众急难愁盼: “市民政局将最低生活保障标准提高到每人每月1000元” |
| 东海县 Donghai County | 2022-01-01 |  | 850 | illustrative: 东海县低保标准 |
| 杭州市 Hangzhou | 2023-07-01 |  | 1196 | illustrative: 杭州市低保标准 |
"""

from __future__ import annotations

from .. import ir
from ..core.source import span_text
from ..core.values import format_decimal


def hover_text(rules: ir.CheckedRules, texts: dict[str, str], key: tuple) -> str | None:
    """The hover of the symbol `key` (`symbols.Occurrence.key`), or None if unknown."""
    kind = key[0]
    if kind == "parameter" and key[1] in rules.parameters:
        return _parameter(rules, rules.parameters[key[1]])
    if kind == "definition" and key[1:] in rules.definitions:
        return _definition(rules.definitions[key[1:]], texts)
    if kind == "fact":
        entity = rules.schema.entities.get(key[1])
        fact = entity.facts.get(key[2]) if entity else None
        return None if fact is None else _fact(entity, fact)
    if kind == "program" and key[1] in rules.programs:
        return _program(rules, rules.programs[key[1]])
    if kind == "source" and key[1] in rules.sources:
        return _source(rules.sources[key[1]])
    return None


def _heading(kind: str, name: str, label) -> str:
    return f"**{kind} `{name}`**" + (f" — {both_languages(label)}" if label else "")


def both_languages(label, between: str = " / ") -> str:
    """`中文 / English`, or the Chinese alone; nothing for no label."""
    if not label:
        return ""
    english = getattr(label, "en", None)
    return f"{label}{between}{english}" if english else str(label)


def _parameter(rules, parameter: ir.Parameter) -> str:
    rows = ["| place | from | until | value | source |", "|---|---|---|---|---|"]
    for value in parameter.values:
        rows.append(f"| {_place(rules, value.place)} | {value.start or ''} | {value.end or ''} | "
                    f"{_number(value.value)} | {_citation(rules, value.citation)} |")
    return "\n".join([_heading("parameter", parameter.name, parameter.label), "",
                      f"`{parameter.type}`", "", *rows])


def _definition(definition: ir.Definition, texts) -> str:
    formula = span_text(texts, definition.body.span, missing="")
    return "\n".join([_heading("definition", definition.name, definition.label), "",
                      f"of `{definition.entity}` : `{definition.type}`", "",
                      "```policy", f"{definition.name} = {formula}", "```"])


def _fact(entity, fact) -> str:
    parts = [f"fact of `{entity.name}` : `{fact.type}`"]
    if fact.optional:
        parts.append("optional: absent means none")
    if fact.bounds is not None:
        parts.append(f"between {_number(fact.bounds[0])} and {_number(fact.bounds[1])}")
    if fact.fixed:
        parts.append("fixed: never proposed as a change")
    lines = [_heading("fact", fact.name, fact.label), "", "; ".join(parts)]
    if fact.evidence:
        lines += ["", f"evidence: {both_languages(fact.evidence)}"]
    return "\n".join(lines)


def _program(rules, program: ir.Program) -> str:
    label = program.label_zh + (f" / {program.label_en}" if program.label_en else "")
    places = ", ".join(_place(rules, p) for p in program.applies.places) or "everywhere"
    when = ""
    if program.applies.start or program.applies.end:
        when = f", from {program.applies.start or '…'} until {program.applies.end or '…'}"
    lines = [f"**program `{program.name}`** — {label}", "",
             f"subject `{program.subject}`; applies in {places}{when}",
             f"{len(program.conditions)} conditions, {len(program.exceptions)} exceptions"]
    lines += [f"- {_citation(rules, c)}" for c in program.citations]
    return "\n".join(lines)


def _source(source: ir.Source) -> str:
    issuer = ", ".join(str(x) for x in (source.publisher, source.published) if x)
    return "\n".join([f"**source `{source.name}`** — {source.title}", "",
                      issuer + (f" ({source.file})" if source.file else "")])


def _place(rules, place: str) -> str:
    return both_languages(rules.schema.place_labels.get(place), " ") or place


def _citation(rules, citation: ir.Citation) -> str:
    if citation.illustrative:
        return f"illustrative: {citation.quote}"
    source = rules.sources.get(citation.source)
    return f"{source.title if source else citation.source}: “{citation.quote}”"


def _number(value) -> str:
    return format_decimal(value) if not isinstance(value, (int, str)) else str(value)
