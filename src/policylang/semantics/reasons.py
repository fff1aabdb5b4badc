"""Why a decision came out as it did: one model for both engines and every output.

A `Reason` is a kind (a row of `REASONS`), the clause it is about (a condition, an
exception, a trigger, a program, or the place fact) and the values it needs (a place, a
date, a period). The interpreter records one with every decision; the batch engine
computes the same reasons as codes of one vocabulary (`vocabulary`), so the two agree by
construction rather than by phrasing the same text twice. Each row says the reason three
ways: the short text of the screening table's `reason` column (English, with clause
names, for data teams), and a sentence in English and in Chinese for explanations, whose
fields (`{label}`, `{failing}`, `{subject}` …) the explanation fills from the rules' labels.

Adding a kind of reason is one row here, and the place that decides it in each engine.

>>> reason = Reason("not_met", "income_test")
>>> reason.table_text()
'not met: income_test'
>>> reason.sentence("en", failing="income below the standard")
'Not eligible, because income below the standard.'
"""

from __future__ import annotations

import datetime as dt

import attrs


@attrs.frozen
class ReasonKind:
    """One kind of reason, said for the screening table, in English and in Chinese."""

    name: str
    outcome: str  # the outcome this reason explains
    table: str  # `{clause}` and the reason's values, e.g. "not met: {clause}"
    en: str
    zh: str


_UNKNOWN_EN = "Cannot be decided yet: still needed: {missing}."
_UNKNOWN_ZH = "暂无法认定，尚需：{missing}。"

REASONS: dict[str, ReasonKind] = {kind.name: kind for kind in (
    ReasonKind("eligible", "eligible", "eligible",
               "Every condition holds.", "所有条件均满足。"),
    ReasonKind("by_exception", "eligible", "by exception {clause}",
               "The exception “{label}” applies and decides.", "适用例外“{label}”，按例外认定。"),
    ReasonKind("not_met", "not_eligible", "not met: {clause}",
               "Not eligible, because {failing}.", "不符合条件：{failing}。"),
    ReasonKind("not_covered_alone", "not_eligible", "not met: {clause}",
               "{subject} is not covered on its own, because {failing}.",
               "{subject}不能单独纳入：{failing}。"),
    ReasonKind("no_trigger", "not_eligible", "no trigger holds",
               "No trigger holds.", "没有触发任何预警条件。"),
    ReasonKind("yielded", "not_eligible", "yields to {clause}",
               "Yields to “{label}”, which covers {subject}.",
               "优先适用“{label}”，本项目不再重复保障。"),
    ReasonKind("unknown_condition", "unknown", "unknown: {clause}", _UNKNOWN_EN, _UNKNOWN_ZH),
    ReasonKind("unknown_trigger", "unknown", "unknown: trigger {clause}", _UNKNOWN_EN, _UNKNOWN_ZH),
    ReasonKind("unknown_place", "unknown", "unknown: {clause}", _UNKNOWN_EN, _UNKNOWN_ZH),
    ReasonKind("unknown_amount", "unknown", "unknown: amount", _UNKNOWN_EN, _UNKNOWN_ZH),
    ReasonKind("unknown_yields", "unknown", "unknown: yields to {programs}", _UNKNOWN_EN,
               _UNKNOWN_ZH),
    ReasonKind("unknown", "unknown", "unknown", _UNKNOWN_EN, _UNKNOWN_ZH),
    ReasonKind("out_of_period", "not_applicable", "not in force on {date}",
               "In force {period}, not on {date}.", "有效期为{period}，{date}不在其内。"),
    ReasonKind("out_of_place", "not_applicable", "not in force in {place}",
               "Applies in {places}, not in {place}.", "仅适用于{places}，不适用于{place}。"),
    ReasonKind("no_previous", "not_applicable", "needs the previous snapshot",
               "Needs the household's previous snapshot, which was not given.",
               "需要家庭上一期的数据，但未提供。"),
    ReasonKind("no_exception_in_force", "not_applicable", "no exception in force",
               "No clause of this program for {subject} is in force here on {date}.",
               "{date}本地没有对{subject}适用的条款。"),
)}


@attrs.frozen
class Reason:
    """Why one decision is what it is: a kind of `REASONS`, its clause and its values.

    `clause` names what decided: a condition (`income_test`), an exception's condition
    (`single_person.disabled`), an exception, a trigger, a program yielded to, or the place
    fact. `places` and `place` are set for `out_of_place`; `start`, `end` and `date` for
    `out_of_period` (and `date` for `no_exception_in_force`); `programs` for
    `unknown_yields`.
    """

    kind: str = attrs.field(validator=lambda _, __, kind: _known(kind))
    clause: str | None = None
    place: str | None = None
    places: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    date: dt.date | None = None
    programs: tuple[str, ...] = ()

    @property
    def outcome(self) -> str:
        return REASONS[self.kind].outcome

    def table_text(self) -> str:
        """The screening table's `reason` cell."""
        return REASONS[self.kind].table.format(
            clause=self.clause, place=self.place, date=self.date,
            programs=", ".join(self.programs))

    def sentence(self, lang: str, **fields: str) -> str:
        """The reason as an explanation says it in `lang` (`en` or `zh`); `fields` are the
        labels and texts the sentence needs (`label`, `failing`, `subject`, `period`,
        `places`), found in the rules by the explanation."""
        template = getattr(REASONS[self.kind], lang)
        values = {"place": self.place, "date": self.date, **fields}
        return template.format_map(_Blank(values))

    def __str__(self) -> str:
        return self.table_text()


class _Blank(dict):
    """Fields a sentence does not use need not be given."""

    def __missing__(self, key: str) -> str:
        return ""


def _known(kind: str) -> None:
    if kind not in REASONS:
        raise ValueError(f"no reason kind `{kind}`; the kinds are {', '.join(REASONS)}")


def vocabulary(rules, date: dt.date) -> tuple[Reason, ...]:
    """Every reason a decision of these rules can have on `date`, once each: the batch
    engine's reason codes index this tuple."""
    schema = rules.schema
    found = [Reason("eligible"), Reason("no_trigger"), Reason("unknown_amount"), Reason("unknown"),
             Reason("out_of_period", date=date), Reason("no_previous"),
             Reason("no_exception_in_force", date=date)]
    if schema.place_fact is not None:
        found.append(Reason("unknown_place", schema.place_fact))
    found += [Reason("out_of_place", place=place) for place in schema.places]
    for program in rules.programs.values():
        for condition in program.conditions:
            found += [Reason("not_met", condition.name), Reason("unknown_condition", condition.name)]
        for trigger in program.triggers:
            found.append(Reason("unknown_trigger", trigger.name))
        found += [Reason("yielded", other) for other in program.yields_to]
        if program.yields_to:
            found.append(Reason("unknown_yields", programs=tuple(program.yields_to)))
        for exception in program.exceptions:
            found.append(Reason("by_exception", exception.name))
            for condition in exception.conditions:
                clause = f"{exception.name}.{condition.name}"
                found += [Reason("not_covered_alone", clause), Reason("not_met", clause),
                          Reason("unknown_condition", clause)]
    return tuple(dict.fromkeys(found))


def table_texts(reasons: tuple[Reason, ...]) -> list[str]:
    """The distinct screening-table texts of `reasons`, in order (two kinds may read alike)."""
    return list(dict.fromkeys(reason.table_text() for reason in reasons))
