"""A Markdown catalogue of the programs of a rule set: one page per program and an index.

Policy officers and caseworkers review rules by reading them, not by reading
`.policy` files: the catalogue shows each program as the officer thinks of it —
who is covered, how much, where and when, what overrides it, which articles say
so, and every value it depends on, place by place and date by date — while
quoting the rule text as written, so a reader can always find the line to change.

Everything comes from the checked IR (`ir.CheckedRules`) and the policy texts;
nothing is evaluated. Each page is a list of small section functions
(`PROGRAM_SECTIONS`), so a field added to `ir.Program` later gets its own
function without touching the others. Output is deterministic: programs,
parameters and definitions appear in declaration or first-use order, parameter
values in jurisdiction-tree order then date, so the catalogue can be committed
and diffed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

import attrs

from .. import ir
from ..core.diagnostics import PolicyError
from ..core.values import format_decimal
from ..core.source import Span, span_text
from .page_names import INDEX, page_name_problems
from .catalogue_text import (cell, code, date_text, escaped, link, page_name, page_text, pays_text,
                             period_text, places_text, table_row, value_text)



def write_catalogue(ruleset, out_dir: Path) -> list[Path]:
    """Write `index.md` and one `<program id>.md` per program into `out_dir`.

    Returns the paths written, the index first, then the programs in the order
    the rule files declare them. Pages of programs that no longer exist are left
    alone: give an empty directory to get exactly the current catalogue.

    >>> import tempfile, policylang
    >>> rules = policylang.load("rules")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_catalogue(rules, Path(tmp))
    ...     page = (Path(tmp) / "tekun.md").read_text(encoding="utf-8")
    >>> [p.name for p in paths][:3]
    ['index.md', 'child_basic_living.md', 'dibao.md']
    >>> page.splitlines()[0]
    '# 特困人员救助供养 — Extreme-poverty support'
    """
    problems = page_name_problems(ruleset.rules.programs.values())
    if problems:
        raise PolicyError(problems)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    catalogue = Catalogue(ruleset.rules, ruleset.texts)
    pages = {INDEX: catalogue.index_page()}
    for program in ruleset.rules.programs.values():
        pages[page_name(program.name)] = catalogue.program_page(program)
    written = []
    for name, text in pages.items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


# ---------------------------------------------------------------- the catalogue
@attrs.frozen
class Catalogue:
    """The rules and their texts, with the lookups every section needs."""

    rules: ir.CheckedRules
    texts: dict[str, str]

    def index_page(self) -> str:
        """One table row per program, so a reader can see the whole library at a glance."""
        lines = ["# Programs", "",
                 f"{len(self.rules.programs)} programs, generated from the policy files "
                 "by `policylang docs`: edit the rules, not these pages.", "",
                 table_row(["id", "中文", "English", "subject", "where", "in force", "pays"]),
                 table_row(["---"] * 7)]
        for program in self.rules.programs.values():
            lines.append(table_row([
                link(program.name),
                cell(program.label_zh),
                cell(program.label_en or "—"),
                cell(self.subject(program.subject)),
                cell(places_text(program.applies)),
                cell(period_text(program.applies)),
                cell(pays_text(program.amount)),
            ]))
        return page_text(lines)

    def program_page(self, program: ir.Program) -> str:
        """A program's page: its title, then each section of `PROGRAM_SECTIONS` in order."""
        title = program.label_zh + (f" — {program.label_en}" if program.label_en else "")
        lines = [f"# {escaped(title)}", "",
                 f"Program {code(program.name)}, declared in {self.location(program.span)}. "
                 f"[All programs]({INDEX})", ""]
        for section in PROGRAM_SECTIONS:
            lines.extend(section(self, program))
        return page_text(lines)

    # -------------------------------------------------------------- lookups
    def source(self, span: Span) -> str:
        """The text of `span` as written; a span over several lines is joined by spaces."""
        return span_text(self.texts, span)

    def location(self, span: Span) -> str:
        """File name and line, without the folder: pages must not depend on where rules were loaded from."""
        return f"{code(Path(span.file).name)} line {span.line}"

    def subject(self, entity: str, article: str = "") -> str:
        """`household` for the root entity (one decision), `each member` for the others."""
        schema = self.rules.schema.entities.get(entity)
        return f"{article}{entity}" if schema is None or schema.parent is None else f"each {entity}"

    def entity_label(self, entity: str) -> str:
        schema = self.rules.schema.entities.get(entity)
        return f" ({schema.label})" if schema is not None and schema.label else ""

    def references(self, program: ir.Program) -> tuple[list[str], list[ir.Definition]]:
        """Parameters and definitions the program uses, directly or through definitions.

        Walks every field of the program generically (its exceptions included),
        so expressions in fields added later are found too. Decisions of other
        programs are not followed: their parameters belong on their own pages.
        Both lists are in order of first use.
        """
        parameters: dict[str, None] = {}
        definitions: dict[tuple[str, str], ir.Definition] = {}

        def visit(root) -> None:
            for node in ir.walk(root):
                read = isinstance(node, (ir.ParameterRef, ir.ScaleLookup))
                if read and node.name in self.rules.parameters:
                    parameters.setdefault(node.name)
                elif isinstance(node, ir.DefinitionRef):
                    key = (node.entity, node.name)
                    if key not in definitions and key in self.rules.definitions:
                        definitions[key] = self.rules.definitions[key]
                        visit(definitions[key].body)

        visit(program)
        return list(parameters), list(definitions.values())

    def place_order(self) -> dict[str, int]:
        """Each jurisdiction's rank in a depth-first walk of the tree, children in declaration order.

        So a parameter's table reads national first, then each province followed
        by its cities, the order in which fallbacks are explained.
        """
        places = self.rules.schema.places
        children: dict[str | None, list[str]] = {}
        for place, parent in places.items():
            children.setdefault(parent if parent in places else None, []).append(place)
        order: dict[str, int] = {}

        def visit(place: str) -> None:
            if place in order:
                return
            order[place] = len(order)
            for child in children.get(place, ()):
                visit(child)

        for root in children.get(None, ()):
            visit(root)
        for place in places:  # a cycle would leave some unvisited; list them after
            visit(place)
        return order


# ---------------------------------------------------------------- sections
def covered_section(cat: Catalogue, program: ir.Program) -> list[str]:
    """Who the program decides for, and the conditions that must all hold, as written."""
    lines = ["## Who is covered", "",
             f"Decides for {escaped(cat.subject(program.subject, 'the '))}{escaped(cat.entity_label(program.subject))}"
             + (", when all of these hold:" if program.conditions else ", with no conditions."), ""]
    lines.extend(condition_lines(cat, program.conditions))
    return lines


def amount_section(cat: Catalogue, program: ir.Program) -> list[str]:
    """How much is paid, in what unit and period, and to whom when not to the subject."""
    lines = ["## How much", ""]
    if program.amount is None:
        lines += ["No amount: the program grants a status.", ""]
    else:
        lines += amount_lines(cat, program.amount)
    if program.paid_to is not None:
        target, condition = program.paid_to
        lines += [f"Paid to the {escaped(target)} when {code(cat.source(condition.span))}.", ""]
    return lines


def where_section(cat: Catalogue, program: ir.Program) -> list[str]:
    """Places and period: outside them the decision is `not_applicable`."""
    return ["## Where and when", "",
            f"- Places: {escaped(places_text(program.applies))}",
            f"- In force: {escaped(period_text(program.applies))}", ""]


def priority_section(cat: Catalogue, program: ir.Program) -> list[str]:
    """Which programs take precedence over this one, and which give way to it."""
    lines = ["## Priority", ""]
    if program.yields_to:
        that = "that program is" if len(program.yields_to) == 1 else "one of them is"
        lines.append("Yields to " + ", ".join(link(p) for p in program.yields_to)
                     + f": when {that} eligible for the same subject, this one is `not_eligible`.")
    else:
        lines.append("Yields to no other program.")
    yielding = [p.name for p in cat.rules.programs.values() if program.name in p.yields_to]
    if yielding:
        lines += ["", "Takes precedence over " + ", ".join(link(p) for p in yielding) + "."]
    return lines + [""]


def exceptions_section(cat: Catalogue, program: ir.Program) -> list[str]:
    """Each exception with what distinguishes it from the rule: scope, priority, place, terms."""
    lines = ["## Exceptions", ""]
    if not program.exceptions:
        return lines + ["None.", ""]
    for exception in program.exceptions:
        lines.extend(exception_lines(cat, exception))
    return lines


def sources_section(cat: Catalogue, program: ir.Program) -> list[str]:
    """The clauses the program rests on, quoted, each with the article it comes from."""
    lines = ["## Sources", ""]
    if not program.citations:
        return lines + ["No citation.", ""]
    for citation in program.citations:
        lines.extend(citation_lines(cat, citation))
    return lines


def parameters_section(cat: Catalogue, program: ir.Program) -> list[str]:
    """Every value the program depends on, one table per parameter, place by place and date by date."""
    lines = ["## Parameters", ""]
    names, _ = cat.references(program)
    if not names:
        return lines + ["None.", ""]
    order = cat.place_order()
    for name in names:
        lines.extend(parameter_lines(cat.rules.parameters[name], order, cat.rules.schema.unit))
    return lines


def definitions_section(cat: Catalogue, program: ir.Program) -> list[str]:
    """The definitions the program's expressions rely on, with their text, so no term is unexplained."""
    lines = ["## Definitions used", ""]
    _, definitions = cat.references(program)
    if not definitions:
        return lines + ["None.", ""]
    for definition in definitions:
        label = f" — {escaped(definition.label)}" if definition.label else ""
        lines.append(f"- **{escaped(definition.name)}** of {escaped(definition.entity)}{label}: "
                     f"{code(cat.source(definition.body.span))}")
    return lines + [""]


def outputs_section(cat: Catalogue, program: ir.Program) -> list[str]:
    """Triggers, reported values, notes and the previous snapshot: what a decision carries
    beyond its outcome and amount. Left out for programs that have none."""
    lines = []
    if program.needs_previous:
        lines += ["Needs the household's previous snapshot (`--previous`); without it the "
                  "decision is `not_applicable`.", ""]
    if program.triggers:
        lines += ["Eligible when, besides the conditions above, **any one** of these holds "
                  "(the decision lists those that did):", ""]
        lines += condition_lines(cat, program.triggers)
    for report in program.reports:
        lines.append(f"- Reports `{escaped(report.name)}` ({escaped(str(report.type))}): "
                     f"{code(cat.source(report.value.span))}")
    for note in program.notes:
        when = f" — when {code(cat.source(note.when.span))}" if note.when is not None else ""
        lines.append(f"- Note: {escaped(note.text)}{when}")
    if not lines:
        return []
    return ["## Triggers, reports and notes", ""] + lines + [""]


PROGRAM_SECTIONS: tuple[Callable[[Catalogue, ir.Program], list[str]], ...] = (
    covered_section, outputs_section, amount_section, where_section, priority_section,
    exceptions_section, sources_section, parameters_section, definitions_section,
)


# ---------------------------------------------------------------- parts
def condition_lines(cat: Catalogue, conditions: tuple[ir.Condition, ...]) -> list[str]:
    """One bullet per condition: name, label and the test as written."""
    lines = []
    for condition in conditions:
        label = f" — {escaped(condition.label)}" if condition.label else ""
        lines.append(f"- **{escaped(condition.name)}**{label}: {code(cat.source(condition.test.span))}")
    return lines + [""] if lines else []


def amount_lines(cat: Catalogue, amount: ir.Amount) -> list[str]:
    """The amount as written, its rounding and its unit and period."""
    if amount.rounding_mode is None:
        rounding = "not rounded"
    else:
        step = f" to {format_decimal(amount.rounding_step)}" if amount.rounding_step is not None else ""
        rounding = f"{amount.rounding_mode}{step}"
    return [f"- Amount: {code(cat.source(amount.value.span))}",
            f"- Rounding: {escaped(rounding)}",
            f"- Paid in: {escaped(pays_text(amount))}", ""]


def exception_lines(cat: Catalogue, exception: ir.Exception_) -> list[str]:
    """An exception as a subsection: where it differs from the rule, then its terms and sources."""
    title = f"{exception.name} — {exception.label}" if exception.label else exception.name
    priority = (f"priority {exception.priority} (the higher number wins)"
                if exception.priority is not None else "no declared priority")
    if exception.applies is None:
        where = "where and when the program applies"
    else:
        where = f"{places_text(exception.applies)}, {period_text(exception.applies)}"
    lines = [f"### {escaped(title)}", "",
             f"- Decides for: {escaped(cat.subject(exception.scope, 'the '))}{escaped(cat.entity_label(exception.scope))}",
             f"- Priority: {escaped(priority)}",
             f"- Where and when: {escaped(where)}", ""]
    if exception.conditions:
        lines += ["Applies when all of these hold:", ""]
        lines.extend(condition_lines(cat, exception.conditions))
    if exception.amount is not None:
        lines += ["Instead of the program's amount:", ""]
        lines.extend(amount_lines(cat, exception.amount))
    for citation in exception.citations:
        lines.extend(citation_lines(cat, citation))
    return lines


def citation_lines(cat: Catalogue, citation: ir.Citation) -> list[str]:
    """The quote as a block, then the article it comes from (or that no article gives it).

    The attribution sits outside the quote, so consecutive citations stay separate blocks.
    """
    lines = [f"> {escaped(citation.render())}", ""]
    if citation.illustrative:
        return lines + ["*Illustrative: no source article gives this; replace it with a cited one.*", ""]
    source = cat.rules.sources.get(citation.source)
    if source is None:
        return lines
    details = [source.title] + [d for d in (source.publisher,) if d]
    if source.published:
        details.append(source.published.isoformat())
    return lines + [f"— {escaped(', '.join(details))} ({code(source.name)})", ""]


def parameter_lines(parameter: ir.Parameter, order: dict[str, int], unit: str = "CNY") -> list[str]:
    """A parameter's heading and its table of values, in jurisdiction-tree order then date
    (a value without a place, which holds everywhere, last); money in the rules' `unit`."""
    label = f" — {parameter.label}" if parameter.label else ""
    rows = sorted(parameter.values, key=lambda v: (
        order.get(v.place, len(order)), v.place or "",
        v.start or dt.date.min, v.end or dt.date.max))
    lines = [f"### {escaped(parameter.name + label)}", "", f"Type: {escaped(str(parameter.type))}.", "",
             table_row(["place", "from", "until", "value", "citation"]), table_row(["---"] * 5)]
    for value in rows:
        shown = value_text(value.value, parameter.type, unit)
        if value.citation.illustrative:
            shown += " (illustrative)"
        lines.append(table_row([cell(value.place or "everywhere"), cell(date_text(value.start)), cell(date_text(value.end)),
                           cell(shown), cell(value.citation.render())]))
    return lines + [""]
