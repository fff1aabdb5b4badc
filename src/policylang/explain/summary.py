"""A household's summary, first in every format: what is granted to whom and how much,
totals per period and unit (a month is never added to a year, nor yuan to kWh), one sentence
per refusal, what is undecided and the question to ask next, and the programs not in force
here on this date in one line.

>>> import policylang
>>> rules = policylang.load("rules")
>>> facts = policylang.read_facts("examples/kunming-edge-family.json", rules)
>>> model = rules.evaluate(facts, "2023-08-01").explanations("en")
>>> [t["text"] for t in model["households"][0]["summary"]["totals"]]
['960.00 yuan per month']
"""

from __future__ import annotations

from decimal import Decimal

from ..core.rounding import amount_text
from .people import whose
from .quantities import date_text, money_text

NOT_IN_FORCE = {"en": "Not in force in {place} on {date}: {programs}.",
                "zh": "{date}在{place}不适用：{programs}。"}
NOT_IN_FORCE_ON = {"en": "Not in force on {date}: {programs}.",  # rules without places
                   "zh": "{date}不适用：{programs}。"}
ASK = {"en": "Ask next for {fact}: it is needed by {count} undecided decision{s}.",
       "zh": "下一步请补充{fact}：有{count}项认定需要它。"}
LIST = {"en": ", ", "zh": "、"}
GROUPED = ("out_of_place", "out_of_period")


def anchor(e: dict) -> str:
    """The id a decision's details carry in HTML, linked from the summary."""
    return f"d-{e['program']['id']}-{e['subject']['kind']}-{e['subject']['id']}"


def household_summary(explanations: list[dict], explainer, date, decisions) -> dict:
    lang = explainer.lang
    granted, refused, unknown, elsewhere = [], [], [], []
    for e, d in zip(explanations, decisions):
        line = {"program": e["program"], "subject": e["subject"], "reason": e["reason"],
                "ref": anchor(e)}
        if e["outcome"] == "eligible":
            granted.append(dict(line, amount=_amount(e), kind=_kind(e), paid_to=e["paid_to_text"]))
        elif e["outcome"] == "unknown":
            unknown.append(dict(line, missing=e["missing"]))
        elif d.reason.kind in GROUPED:
            elsewhere.append({"id": e["program"]["id"], "label": e["program"]["label"],
                              "ref": anchor(e)})
        else:
            refused.append(line)
    return {"granted": granted, "totals": totals(granted, explainer.labels),
            "by_person": by_person(granted, explainer.labels), "refused": refused, "unknown": unknown,
            "next_question": next_question(unknown, lang),
            "not_in_force": _not_in_force(elsewhere, explainer, date)}


def _amount(e: dict) -> dict | None:
    a = e["amount"]
    return None if a is None else {k: a[k] for k in ("value", "unit", "per", "text")}


def _kind(e: dict) -> str:
    """Cash (yuan), in kind (another unit: kWh), or a status granted with no amount."""
    if e["amount"] is None:
        return "status"
    return "in_kind" if e["amount"]["unit"] == "kWh" else "cash"


def totals(granted: list[dict], labels) -> list[dict]:
    """The amounts granted, summed per unit and period."""
    sums: dict[tuple[str, str], Decimal] = {}
    for line in granted:
        if line["amount"] is not None:
            key = (line["amount"]["unit"], line["amount"]["per"])
            sums[key] = sums.get(key, Decimal(0)) + Decimal(line["amount"]["value"])
    # a sum of written amounts has the places of the finest of them
    return [{"unit": unit, "per": per, "value": amount_text(value, value),
             "text": money_text(value, unit, per, labels.lang, labels.unit(unit))}
            for (unit, per), value in sums.items()]


def by_person(granted: list[dict], labels) -> list[dict]:
    """Each subject's own grants and totals, in the order they are first granted."""
    people: dict[tuple[str, str], list[dict]] = {}
    for line in granted:
        people.setdefault((line["subject"]["kind"], line["subject"]["id"]), []).append(line)
    return [{"subject": lines[0]["subject"], "programs": [x["program"]["id"] for x in lines],
             "totals": totals(lines, labels)} for lines in people.values()]


def next_question(unknown: list[dict], lang: str) -> dict | None:
    """The missing fact that the most undecided decisions need (the first such, on a tie)."""
    counts: dict[str, list] = {}
    for line in unknown:
        for group in line["missing"]:
            for fact in group["facts"]:
                counts.setdefault(fact["path"], [0, group["subject"], fact])[0] += 1
    if not counts:
        return None
    count, subject, fact = max(counts.values(), key=lambda found: found[0])
    return {"path": fact["path"], "subject": subject, "fact": fact, "needed_by": count,
            "text": ASK[lang].format(fact=whose(subject, fact["text"], lang), count=count,
                                     s="" if count == 1 else "s")}


def _not_in_force(elsewhere: list[dict], explainer, date) -> dict | None:
    if not elsewhere:
        return None
    lang = explainer.lang
    household = explainer.people.household
    place_fact = explainer.rules.schema.place_fact if explainer.rules else None
    place = household.facts.get(place_fact) if household is not None and place_fact else None
    place_text = explainer.labels.place(place) if isinstance(place, str) else "—"
    names = LIST[lang].join(dict.fromkeys(p["label"] for p in elsewhere))
    said = NOT_IN_FORCE if isinstance(place, str) else NOT_IN_FORCE_ON
    return {"programs": elsewhere,
            "text": said[lang].format(place=place_text, date=date_text(date, lang), programs=names)}
