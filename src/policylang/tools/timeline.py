"""A household's timeline: the dates between two dates on which any of its decisions
changes, and why — a parameter value taking effect or ending, a program's or exception's
period starting or ending, a birthday (an age in full years), a date fact reached or a
window after it closing (`date > evaluation_date - 3 months`), a date written in the rules.

Decisions can only change on such dates, so the household is decided on each of them (and
the day after each, for comparisons that include their bound), never on every day: the
dates come from the rules (`ir` dates, parameter periods, the durations of date shifts) and
from the household's own date facts.

>>> import policylang
>>> ruleset = policylang.load("rules")
>>> child = {"id": "h", "jurisdiction": "kunming", "assets": "0.00",
...          "monthly_rigid_expenses": "0.00", "medical_self_pay_in_catalogue": "0.00",
...          "events": [], "members": [{"id": "c", "birth_date": "2005-03-10",
...          "relation": "child", "hukou": "kunming", "monthly_income": "0.00",
...          "can_work": False, "has_able_supporter": False, "disability_grade": 0,
...          "serious_illness": False, "care_dependency": "none", "orphan": False,
...          "hiv_infected": False, "factually_unsupported": False,
...          "institutional_care": False, "national_funeral_grant": False}]}
>>> found = timeline(ruleset, child, dt.date(2021, 6, 1), dt.date(2023, 12, 31), ("tekun",))
>>> [(str(c.date), c.before.outcome, c.after.outcome) for c in found]
[('2022-01-01', 'not_eligible', 'eligible'), ('2023-03-10', 'eligible', 'not_eligible')]
>>> [(k.kind, k.what, k.detail) for k in found[0].causes]
[('parameter', 'dibao_standard', 'kunming = 800'), ('parameter', 'tekun_minor_age_limit', 'kunming = 18')]
>>> [(k.kind, k.what, k.detail) for k in found[1].causes]
[('birthday', 'members[0].birth_date', '18')]
"""

from __future__ import annotations

import datetime as dt

import attrs

from .. import ir
from ..core.dates import OutsideCalendar, shift
from ..core.values import Record

NEAR = range(-3, 4)  # days around a month or year shift: the end of a month clamps it


@attrs.frozen
class Cause:
    """Why a date is a change point: `kind` (`parameter`, `parameter_ends`, `program`,
    `program_ends`, `rule_date`, `birthday`, `date_reached`, `window`), what (a parameter,
    program or exception name, a fact's JSON path) and the detail (a place and value, an age,
    a duration)."""

    kind: str
    what: str
    detail: str = ""


@attrs.frozen
class State:
    """A decision's outcome and what it pays (`interpret.trace.Amount`, or None)."""

    outcome: str
    paid: object = None

    @property
    def amount(self) -> str | None:
        """What it pays as data: `800.00 CNY/month`."""
        return None if self.paid is None else \
            f"{self.paid.written} {self.paid.unit}/{self.paid.per}"


@attrs.frozen
class Change:
    date: dt.date
    program: str
    subject_kind: str
    subject_id: str
    before: State
    after: State
    causes: tuple[Cause, ...]


def timeline(ruleset, facts, start: dt.date, end: dt.date,
             programs: tuple[str, ...] | None = None) -> list[Change]:
    """Every change of the household's decisions from `start` to `end`, in date order.
    `facts` is one household (a dict, or what `read_facts` returned for it)."""
    (household,) = ruleset._loaded(facts)
    if household.record is None:
        raise ValueError("; ".join(f"{d.json_path}: {d.message}" for d in household.errors))
    points = change_points(ruleset.rules, household.record)
    dates = sorted({start} | {d for d in points if start < d <= end})
    places = _places(ruleset.rules, household.record)
    changes, before = [], _decided(ruleset, household, start, programs)
    for date in dates[1:]:
        after = _decided(ruleset, household, date, programs)
        changed = [key for key in sorted(set(before) | set(after))
                   if before.get(key, (NONE,))[0] != after.get(key, (NONE,))[0]]
        # a decision may change through another it depends on (dibao through tekun): the
        # standards read by every decision that changed that day can explain each of them
        used = {name for key in changed for states in (before, after)
                for name in states.get(key, (NONE, set()))[1]}
        for key in changed:
            old, new = before.get(key, (NONE,))[0], after.get(key, (NONE,))[0]
            changes.append(Change(date, *key, old, new,
                                  _relevant(points[date], key[0], used, places)))
        before = after
    return changes


NONE = State("none")  # no decision: the subject or the program is not there


def _decided(ruleset, household, date: dt.date, programs) -> dict[tuple, tuple]:
    """Each decision's state on `date`, with the parameters it read."""
    decided = ruleset.evaluate_one(household, date, ruleset._programs(programs), why_not=False)
    return {(d.program, d.subject_kind, d.subject_id): (State(d.outcome, d.amount),
                                                        {p.name for p in d.parameters})
        for d in decided.decisions}


def _places(rules, household: Record) -> set[str]:
    place = household.facts.get(rules.schema.place_fact) if rules.schema.place_fact else None
    return set(rules.schema.jurisdiction_chain(place)) if isinstance(place, str) else set()


def _relevant(causes: list[Cause], program: str, used: set[str], places: set[str]) -> tuple:
    """The causes that can explain a change of `program`'s decision: the parameters it read,
    for the household's places; its own period and its exceptions'; the household's dates;
    dates written in the rules. All of them when none is left."""
    def relevant(cause: Cause) -> bool:
        if cause.kind in ("parameter", "parameter_ends"):
            return cause.what in used and cause.detail.split(" = ")[0] in places
        if cause.kind in ("program", "program_ends"):
            return cause.what == program or cause.what.startswith(program + ".")
        return True
    kept = [c for c in causes if relevant(c)]
    replaced = {c.what for c in kept if c.kind == "parameter"}  # a value ends where one begins
    kept = [c for c in kept if not (c.kind == "parameter_ends" and c.what in replaced)]
    return tuple(kept) or tuple(causes)


def change_points(rules: ir.CheckedRules, household: Record) -> dict[dt.date, list[Cause]]:
    """The dates on which a decision of this household may change, each with its causes."""
    points: dict[dt.date, list[Cause]] = {}

    def add(date: dt.date | None, cause: Cause, days: int = 0) -> None:
        if date is None:
            return
        try:
            moved = shift(date, days, "days")
        except OutsideCalendar:
            return
        points.setdefault(moved, [])
        if cause not in points[moved]:
            points[moved].append(cause)

    _rule_points(rules, add)
    durations = _durations(rules)
    for path, value in _date_facts(household):
        add(value, Cause("date_reached", path, value.isoformat()))
        add(value, Cause("date_reached", path, value.isoformat()), 1)
        for years in range(1, 121):
            add(_anniversary(value, years), Cause("birthday", path, str(years)))
        for amount, unit in durations:
            for sign in (1, -1):
                try:
                    moved = shift(value, sign * amount, unit)
                except OutsideCalendar:
                    continue
                cause = Cause("window", path, f"{'+' if sign > 0 else '-'}{amount} {unit}")
                for days in (NEAR if unit != "days" else (0, 1)):
                    add(moved, cause, days)
    return points


def _rule_points(rules: ir.CheckedRules, add) -> None:
    for parameter in rules.parameters.values():
        for value in parameter.values:
            detail = f"{value.place} = {value.value}"
            add(value.start, Cause("parameter", parameter.name, detail))
            add(value.end, Cause("parameter_ends", parameter.name, detail), 1)
    for program in rules.programs.values():
        periods = [(program.name, program.applies)] + [
            (f"{program.name}.{e.name}", e.applies) for e in program.exceptions if e.applies]
        for name, applies in periods:
            add(applies.start, Cause("program", name))
            add(applies.end, Cause("program_ends", name), 1)
    bodies = [d.body for d in rules.definitions.values()] + list(rules.programs.values())
    for node in ir.walk(bodies):
        if isinstance(node, ir.Const) and isinstance(node.value, dt.date):
            add(node.value, Cause("rule_date", node.value.isoformat()))
            add(node.value, Cause("rule_date", node.value.isoformat()), 1)


def _durations(rules: ir.CheckedRules) -> set[tuple[int, str]]:
    """Every duration the rules shift dates by: constants, and each value of a parameter."""
    found = set()
    bodies = [d.body for d in rules.definitions.values()] + list(rules.programs.values())
    for node in ir.walk(bodies):
        if isinstance(node, ir.DateShift):
            if isinstance(node.duration, ir.Const):
                found.add((int(node.duration.value), node.unit))
            elif isinstance(node.duration, ir.ParameterRef):
                parameter = rules.parameters[node.duration.name]
                found |= {(int(v.value), node.unit) for v in parameter.values}
    return found


def _date_facts(record: Record):
    """Every date fact of the household and its records, with its JSON path."""
    for name, value in record.facts.items():
        if isinstance(value, dt.date):
            yield record.fact_path(name), value
    for held in record.relations.values():
        for child in held if isinstance(held, (list, tuple)) else ():
            yield from _date_facts(child)


def _anniversary(date: dt.date, years: int) -> dt.date | None:
    """The day someone born on `date` turns `years` (a 29 February birthday: 1 March)."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return dt.date(date.year + years, 3, 1) if date.year + years <= dt.MAXYEAR else None
