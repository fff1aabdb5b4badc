"""Reforms: a second set of policy files that changes the first without copying it.

A reform's files start with `reform NAME "标签" / "label"`. Against the rules it is applied to,
each of its declarations is one change:

- a declaration with a new name is added (a program, a parameter, a fact's entity …);
- `replace parameter …` (definition, program, entity, enum) takes the place of the declaration
  of that kind and name;
- `amend parameter NAME … end` adds dated values, each in force over its own period: a value
  of the same place keeps the days before it (ending the day before) and after it;
- `remove program NAME` (parameter, `definition NAME of ENTITY`) takes a declaration out.

The result is checked like any rule set, so a mistake in a reform is reported at its line in
the reform's file. The reformed rules' examples are the reform's own: the base's examples
describe the base. Reforms apply in the order given, each to the result of the one before.

>>> from policylang.syntax.parse import parse_text
>>> base = parse_text('source s "S"\\nparameter p : money\\n  national = 5 cite s "five"\\nend', "base.policy")
>>> change = parse_text('reform more\\namend parameter p\\n  national from 2024-01-01 = 6 cite s "six"\\nend',
...                     "more.policy")
>>> modules, [reform] = apply_reforms([base], [[change]])
>>> [(v.place, v.period and (v.period.start, v.period.end), v.value) for v in modules[0].declarations[1].values]
[('national', (None, datetime.date(2023, 12, 31)), Decimal('5')), ('national', (datetime.date(2024, 1, 1), None), Decimal('6'))]
>>> reform.name, [(c.action, c.kind, c.name) for c in reform.changes]
('more', [('amended', 'parameter', 'p')])
"""

from __future__ import annotations

import datetime as dt

import attrs

from ..core.diagnostics import Diagnostic, PolicyError, did_you_mean
from ..core.source import Span
from ..syntax import nodes

REFORM_ONLY = (nodes.Reform, nodes.Replace, nodes.Amend, nodes.Remove)  # only in a reform


@attrs.frozen
class Change:
    """One declaration a reform added, replaced, amended or removed, and where it says so."""

    action: str  # "added" | "replaced" | "amended" | "removed"
    kind: str  # "program" | "parameter" | "definition" | "entity" | …
    name: str
    span: Span


@attrs.frozen
class Reform:
    """An applied reform: its name and label, the files it came from, what it changed."""

    name: str
    label: object
    files: tuple[str, ...]
    changes: tuple[Change, ...]

    def changed(self, kind: str, name: str) -> Change | None:
        return next((c for c in self.changes if c.kind == kind and c.name == name), None)


def changes_behind(reforms, read: set[tuple[str, str]]) -> list[tuple[Reform, Change]]:
    """The changes of `reforms` to what a decision read (`declarations_read`), in order."""
    return [(reform, change) for reform in reforms for change in reform.changes
            if (change.kind, change.name) in read]


def apply_reforms(base: list[nodes.Module], reforms: list[list[nodes.Module]]):
    """(the modules of the reformed rules, the `Reform` each applied); `PolicyError` with
    every mistake of a reform, or with a `replace` … written outside a reform."""
    problems = [outside_reform(d) for m in base for d in m.declarations if isinstance(d, REFORM_ONLY)]
    modules, applied = list(base), []
    for reform_modules in reforms:
        modules, reform = _Overlay(modules, reform_modules, problems).apply()
        applied.append(reform)
    if problems:
        raise PolicyError(problems)
    return modules, tuple(applied)


def outside_reform(decl) -> Diagnostic:
    return Diagnostic("PL001", "`replace`, `amend`, `remove` and `reform` belong in a reform's "
                      "files", decl.span, hint="apply the file as a reform: `--reform PATH` "
                      "(or `policylang.load(rules, reforms=[PATH])`)")


def key_of(decl) -> tuple | None:
    """What a declaration is known by: (kind, name), a definition with its entity too."""
    if isinstance(decl, nodes.Definition):
        return ("definition", decl.name, decl.entity)
    kind = KINDS.get(type(decl))
    return None if kind is None else (kind, decl.name)


# Declaration kinds by their keyword (the class names, `nodes.Jurisdiction` → `jurisdiction`).
KINDS = {kind: kind.__name__.lower() for kind in (
    nodes.Program, nodes.Parameter, nodes.Entity, nodes.Enum, nodes.Source, nodes.Jurisdiction,
    nodes.Invariant)} | {nodes.UnitDecl: "unit"}


class _Overlay:
    """One reform applied to the modules of the rules so far."""

    def __init__(self, modules: list[nodes.Module], reform: list[nodes.Module], problems: list):
        self.modules, self.reform, self.problems = modules, reform, problems
        self.changes: list[Change] = []
        self.where = {key_of(d): (i, j) for i, m in enumerate(modules)
                      for j, d in enumerate(m.declarations) if key_of(d) is not None}
        self.declarations = [list(m.declarations) for m in modules]

    def apply(self):
        heads = [d for m in self.reform for d in m.declarations if isinstance(d, nodes.Reform)]
        for extra in heads[1:]:
            self.error("PL011", f"a second `reform` line (`{extra.name}`) in one reform", extra.span,
                       f"the reform is `{heads[0].name}`, at {heads[0].span.location()}")
        files = tuple(m.path for m in self.reform)
        if not heads:
            at = Span(files[0] if files else "<reform>", 1, 1, 1, 1)
            self.error("PL006", "a reform's files start with `reform NAME`", at,
                       'begin one file with e.g. `reform raise_basic "提高基本收入" / "Raise the basic income"`')
        added = []
        for decl in (d for m in self.reform for d in m.declarations):
            if isinstance(decl, nodes.Replace):
                self._replace(decl)
            elif isinstance(decl, nodes.Amend):
                self._amend(decl)
            elif isinstance(decl, nodes.Remove):
                self._remove(decl)
            elif isinstance(decl, nodes.Example) or not isinstance(decl, nodes.Reform):
                added.append(decl)
        kept = [nodes.Module(m.path, tuple(d for d in ds if d is not None and not isinstance(d, nodes.Example)))
                for m, ds in zip(self.modules, self.declarations)]
        for decl in added:
            self._add(decl)
        head = heads[0] if heads else nodes.Reform("reform", None)
        modules = kept + [nodes.Module(self.reform[0].path if self.reform else "<reform>", tuple(added))]
        return modules, Reform(head.name, head.label, files, tuple(self.changes))

    def error(self, code, message, span, hint=None) -> None:
        self.problems.append(Diagnostic(code, message, span, hint=hint))

    def _found(self, key: tuple, span: Span, what: str):
        if key in self.where:
            return self.where[key]
        names = [k[1] for k in self.where if k[0] == key[0]]
        hint = did_you_mean(key[1], names) or f"{key[0]}s: {', '.join(sorted(names)) or 'none'}"
        entities = [k[2] for k in self.where if k[0] == "definition" and k[1] == key[1]]
        if key[0] == "definition" and len(key) == 2 and entities:  # `of ENTITY` left out
            hint = f"write `{what} definition {key[1]} of {entities[0]}`"
        self.error("PL010", f"the rules have no {key[0]} `{key[1]}` to {what}", span, hint)
        return None

    def _add(self, decl) -> None:
        key = key_of(decl)
        if key is None:  # an example: the reform's own
            return
        if key in self.where:
            i, j = self.where[key]
            first = self.declarations[i][j]
            self.error("PL011", f"the {key[0]} `{decl.name}` is in the rules already", decl.span,
                       f"to change it, write `replace {key[0]} …` (the rules' one is at "
                       f"{first.span.location()})")
            return
        self.changes.append(Change("added", key[0], decl.name, decl.span))

    def _replace(self, replace: nodes.Replace) -> None:
        decl = replace.declaration
        found = self._found(key_of(decl), replace.span, "replace")
        if found is not None:
            i, j = found
            self.declarations[i][j] = decl
            self.changes.append(Change("replaced", key_of(decl)[0], decl.name, replace.span))

    def _remove(self, remove: nodes.Remove) -> None:
        if remove.entity and remove.kind != "definition":
            self.error("PL001", f"only a definition is removed `of` an entity, not a "
                       f"{remove.kind}", remove.span, hint=f"write `remove {remove.kind} "
                       f"{remove.name}`")
            return
        key = (remove.kind, remove.name) + ((remove.entity,) if remove.entity else ())
        found = self._found(key, remove.span, "remove")
        if found is not None:
            i, j = found
            self.declarations[i][j] = None
            del self.where[key]  # gone: it may be added anew, and cannot be changed any more
            self.changes.append(Change("removed", remove.kind, remove.name, remove.span))

    def _amend(self, amend: nodes.Amend) -> None:
        found = self._found(("parameter", amend.name), amend.span, "amend")
        if found is None:
            return
        i, j = found
        parameter = self.declarations[i][j]
        values = list(parameter.values)
        for value in amend.values:
            values = amended(values, value)
        self.declarations[i][j] = attrs.evolve(parameter, values=tuple(values))
        self.changes.append(Change("amended", "parameter", amend.name, amend.span))


def amended(values: list, new) -> list:
    """A parameter's values with `new` in force over its own period, and only there: a value
    of the same place in force on some of those days keeps the days before (ending the day
    before `new` starts) and the days after (starting the day after `new` ends); one wholly
    inside the period gives way. A value with neither `from` nor `until` replaces all the
    place's values.

    >>> from decimal import Decimal as D
    >>> def value(start, end, amount):
    ...     return nodes.ParameterValue("p", nodes.Period(start, end, None), D(amount), None, None, None)
    >>> june = value(dt.date(2023, 6, 1), dt.date(2023, 6, 30), 7)
    >>> [(v.period.start, v.period.end, v.value) for v in amended([value(None, None, 5)], june)]
    [(None, datetime.date(2023, 5, 31), Decimal('5')), (datetime.date(2023, 7, 1), None, Decimal('5')), (datetime.date(2023, 6, 1), datetime.date(2023, 6, 30), Decimal('7'))]
    """
    start = new.period.start if new.period else None
    end = new.period.end if new.period else None
    first, last = start or dt.date.min, end or dt.date.max
    kept = []
    for old in values:
        old_start = old.period.start if old.period else None
        old_end = old.period.end if old.period else None
        if old.place != new.place or (old_end or dt.date.max) < first or \
                (old_start or dt.date.min) > last:
            kept.append(old)  # another place, or days the new value does not cover
            continue
        if (old_start or dt.date.min) < first:
            kept.append(attrs.evolve(old, period=nodes.Period(
                old_start, first - dt.timedelta(days=1), old.span)))
        if (old_end or dt.date.max) > last:
            kept.append(attrs.evolve(old, period=nodes.Period(
                last + dt.timedelta(days=1), old_end, old.span)))
    return kept + [new]
