"""People as a caseworker names them: by id and relation (`p2(配偶)`, `p2 (spouse)`), and
the facts still needed from each of them, with the document that would establish each.

A person is named by their id and the value of the first fact of an enum type their entity
declares (in the bundled rules, the member's relation to the head: 与户主关系), shown by the
enum value's label; a record whose entity declares no enum fact is named by its id.

>>> import policylang
>>> from policylang.explain.labels import Labels
>>> rules = policylang.load("rules")
>>> household = policylang.read_facts("examples/kunming-edge-family.json", rules)[0]
>>> people = People(Labels(rules.rules, "en"), household.record)
>>> people.subject("member", "p1")["name"]
'p1 (head)'
>>> [group["facts"][0]["label"] for group in people.missing(("members[1].monthly_income",))]
['monthly income']
"""

from __future__ import annotations

import re

import attrs

from ..core.values import Unknown
from .labels import in_language

_STEP = re.compile(r"(\w+)\[(\d+)\]")
_MONTH = re.compile(r'(\w+)\["(\d{4}-\d{2})"\]')  # a month of a history: salary["2023-07"]
IN_MONTHS = {"en": "{label} for {months}", "zh": "{label}（{months}）"}
EVIDENCE = {"en": "{label} (evidence: {evidence})", "zh": "{label}（证明材料：{evidence}）"}
INPUTS = {
    "en": {"default": "{what}: {value}, its default (not in the facts)",
           "given": "{what}: {value}, as given in the facts (not computed)"},
    "zh": {"default": "{what}：{value}（未申报，按默认值）",
           "given": "{what}：{value}（按申报值，未计算）"},
}


class People:
    """The records of one household (`core.values.Record`, or None) named in one language."""

    def __init__(self, labels, household=None):
        self.labels, self.lang, self.household = labels, labels.lang, household
        self.records = {} if household is None else dict(_records(household))

    def subject(self, kind: str, id: str) -> dict:
        return {"kind": kind, "id": id, "label": self.labels.entity(kind), "name": self.name(kind, id)}

    def name(self, kind: str, id: str) -> str:
        """`p2（配偶）` for a member with a relation； `家庭 hh-1` / `household hh-1` for the top."""
        record = self.records.get((kind, id))
        if record is not None and record.parent is None:
            return f"{self.labels.entity(kind)} {id}"
        fact = self.naming_fact(kind)
        relation = record.facts.get(fact.name) if record is not None and fact else None
        if not isinstance(relation, str):
            return id
        word = self.labels.enum_member(fact.type.name, relation)
        return f"{id}（{word}）" if self.lang == "zh" else f"{id} ({word})"

    def naming_fact(self, kind: str):
        """The entity's first enum fact (`relation`), which says who a person is."""
        entity = self.labels.rules.schema.entities.get(kind) if self.labels.rules else None
        facts = entity.facts.values() if entity else ()
        return next((f for f in facts if f.type.kind == "enum"), None)

    def whose(self, subject: dict | None, label: str) -> str:
        return whose(subject, label, self.lang)

    def at(self, path: str):
        """The record a fact's JSON path points into, and the fact's name."""
        record, steps = self.household, path.split(".")
        if self.household is not None and self.household.path:
            steps = steps[1:] if steps[0] == self.household.path else steps
        for step in steps[:-1]:
            match = _STEP.fullmatch(step)
            held = record.relations.get(match.group(1)) if record is not None and match else None
            if held is None or isinstance(held, Unknown) or int(match.group(2)) >= len(held):
                return None, steps[-1]
            record = held[int(match.group(2))]
        return record, steps[-1]

    def missing(self, paths) -> list[dict]:
        """The facts still needed, grouped by the person (or household) they are about."""
        groups: dict[tuple[str, str], dict] = {}
        for path in paths:
            record, fact = self.at(path)
            kind = record.entity if record is not None else ""
            id = (record.id or "") if record is not None else ""
            group = groups.setdefault((kind, id), {
                "subject": self.subject(kind, id) if record is not None else None, "facts": []})
            group["facts"].append(self.fact(kind, fact, path))
        return list(groups.values())

    def inputs(self, uses, values) -> list[dict]:
        """The defaults a decision assumed and the values given for it (`trace.InputUse`),
        each said with whose it is: never silent, as a caseworker must confirm them.
        `values` says a value in words (`ValueTable.said`)."""
        found = []
        for use, months in _by_months(uses):
            record, _ = self.at(use.path)
            subject = None if record is None or record.parent is None else self.subject(
                record.entity, record.id or "")
            label = in_language(use.label, use.name, self.lang)
            if months:
                joint = "、" if self.lang == "zh" else ", "
                label = IN_MONTHS[self.lang].format(label=label, months=joint.join(months))
            value = values(use.name, use.value)
            what = whose(subject, label, self.lang)
            found.append({"name": use.name, "label": label, "path": use.path,
                          "origin": use.origin, "subject": subject, "text":
                          INPUTS[self.lang][use.origin].format(what=what, value=value)})
        return found

    def fact(self, entity: str, name: str, path: str) -> dict:
        month = _MONTH.fullmatch(name)  # a month of a history fact: its label and the month
        name = month.group(1) if month else name
        label = self.labels.fact(entity, name) if entity else name
        if month:
            label = IN_MONTHS[self.lang].format(label=label, months=month.group(2))
        evidence = self.labels.evidence(entity, name) if entity else None
        text = EVIDENCE[self.lang].format(label=label, evidence=evidence) if evidence else label
        return {"fact": name, "label": label, "path": path, "evidence": evidence, "text": text}


def _by_months(uses) -> list:
    """Inputs with the months of one history fact that took one value said once: (a use,
    its months), the months empty for a use of a whole fact.

    >>> from policylang.interpret.trace import InputUse
    >>> uses = [InputUse("pay", None, 0, f'p[0].pay["2023-0{m}"]', "default") for m in (2, 1)]
    >>> [(u.path, months) for u, months in _by_months(uses)]
    [('p[0].pay', ['2023-01', '2023-02'])]
    """
    found: dict = {}
    for use in uses:
        step = _MONTH.search(use.path)
        if step is None:
            found[(use.path, use.origin, None)] = (use, [])
            continue
        whole = use.path[:step.start()] + step.group(1)
        key = (whole, use.origin, repr(use.value))
        first, months = found.setdefault(key, (attrs.evolve(use, path=whole), []))
        months.append(step.group(2))
    return [(use, sorted(months)) for use, months in found.values()]


def whose(subject: dict | None, label: str, lang: str) -> str:
    """A fact of someone: `p1 (head)’s monthly income`, `p1（户主）的月收入`."""
    if subject is None:
        return label
    return f"{subject['name']}的{label}" if lang == "zh" else f"{subject['name']}’s {label}"


def _records(record):
    """Every record of a household by (entity, id), the household first."""
    yield (record.entity, record.id or ""), record
    for held in record.relations.values():
        if isinstance(held, Unknown):
            continue
        for child in held:
            yield from _records(child)
