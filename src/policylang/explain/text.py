"""Plain-text explanations for the terminal, from the explanation model: what a caseworker
can read aloud. Colour only on a terminal. Markdown and HTML live beside this module."""

from __future__ import annotations

from .messages import heading, message

MARKS = {"holds": "✓", "fails": "✗", "unknown": "?", "not_evaluated": "·"}
COLOURS = {"eligible": "\x1b[32;1m", "not_eligible": "\x1b[31;1m", "unknown": "\x1b[33;1m",
           "not_applicable": "\x1b[2m", "reset": "\x1b[0m"}


def render_text(report: dict, colour: bool = False) -> str:
    """The whole report as plain text."""
    lang = report["lang"]
    say = lambda key, **v: message(lang, key, **v)  # noqa: E731
    lines = [say("title", date=report["date"]),
             say("rules", path=report["rules"]["path"], digest=report["rules"]["digest"][:19] + "…"), ""]
    for household in report["households"]:
        lines += [heading(lang, household["label"], household["household"]), ""]
        for error in household["errors"]:
            lines.append(f"  {say('errors')}: {error['path']}: {error['message']}")
        for explanation in household["explanations"]:
            lines += decision_text(explanation, colour) + [""]
    return "\n".join(lines)


def decision_text(e: dict, colour: bool = False) -> list[str]:
    """One decision: headline, why, conditions with values and distances, parameters, sources."""
    say = lambda key, **v: message(e["lang"], key, **v)  # noqa: E731
    subject = say("subject_line", label=e["subject"]["label"], id=e["subject"]["id"])
    outcome = e["outcome_text"].upper() if e["lang"] == "en" else e["outcome_text"]
    if colour:
        outcome = f"{COLOURS[e['outcome']]}{outcome}{COLOURS['reset']}"
    head = f"{e['program']['id']} {e['program']['label']} — {subject}: {outcome}"
    if e["amount"]:
        head += f" — {e['amount']['text']}"
    if e["paid_to"]:
        head += f", {say('paid_to', payee=e['paid_to'])}"
    lines = [head, f"  {say('why')}: {e['summary']}"]
    if e["decided_by"]:
        lines.append(f"  {e['decided_by']['text']}")
    lines += _conditions(e["conditions"], say("conditions"), "  ")
    lines += _conditions(e["triggers"], say("triggers"), "  ")
    for exception in e["exceptions"]:
        note = f" ({exception['note']})" if exception["note"] else ""
        lines.append(f"  {say('exceptions')}: {exception['label']} — {exception['status_text']}{note}")
        lines += _conditions(exception["conditions"], None, "    ")
    for name, value in e["reports"].items():
        lines.append(f"  {name}: {_value(value)}")
    if e["missing_facts"]:
        lines.append(f"  {say('missing')}: {', '.join(e['missing_facts'])}")
    for note in e["notes"]:
        lines.append(f"  {say('notes')}: {note}")
    if e["parameters"]:
        lines.append(f"  {say('parameters')}:")
        for p in e["parameters"]:
            lines.append(f"    {_parameter(p, say)}")
    lines.append(f"  {say('rule')}: {e['rule']['file']}:{e['rule']['line']}")
    for citation in e["citations"]:
        lines.append(f"  {say('sources')}: {citation['text']}")
    return lines


def _conditions(conditions: list[dict], title: str | None, indent: str) -> list[str]:
    lines = [f"{indent}{title}:"] if conditions and title else []
    for c in conditions:
        lines.append(f"{indent}  {MARKS[c['status']]} {c['label']} ({c['name']})")
        for k in c["comparisons"]:
            lines.append(f"{indent}      {_side(k['left'])} {k['op']} {_side(k['right'])}  {_mark(k['holds'])}")
        shown = {k[s]["expression"] for k in c["comparisons"] for s in ("left", "right")}
        for node in c["values"]:
            if node["name"] not in shown:
                lines.append(f"{indent}      {node['label']} = {_plain(node['value'])}")
        if c["missing_facts"]:
            lines.append(f"{indent}      ? {', '.join(c['missing_facts'])}")
        if c["distance"]:
            lines.append(f"{indent}      → {c['distance']['text']}")
            for change in c["distance"]["changes"]:
                lines.append(f"{indent}        · {change['text']}")
    return lines


def _mark(holds) -> str:
    """✓ or ✗ after a comparison, ? when it needed a missing fact."""
    return "✓" if holds is True else "✗" if holds is False else "?"


def _side(side: dict) -> str:
    value = _plain(side["value"])
    return side["expression"] if side["expression"] == value else f"{side['expression']} = {value}"


def _parameter(p: dict, say) -> str:
    where = say("fell_back", place=p["jurisdiction"], asked=p["fell_back_from"]) \
        if p["fell_back_from"] else p["jurisdiction"]
    since = say("since", date=p["effective_from"]) if p["effective_from"] else ""
    until = say("until", date=p["effective_until"]) if p["effective_until"] else ""
    line = say("parameter_line", name=p["label"], value=_plain(p["value"]), where=where,
               since=since, until=until)
    return f"{line} — {p['citation']['text']}"


def _value(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return _plain(value)


def _plain(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "absent"
    if isinstance(value, dict) and "unknown" in value:
        return "unknown"
    if isinstance(value, list):
        return "{" + ", ".join(str(v) for v in value) + "}"
    return str(value)


def explain_decisions(decisions, texts, rules, lang: str = "en", subject=None, program=None,
                      colour: bool = False) -> str:
    """Plain text for `policylang explain` and `Decisions.explain()`."""
    from .model import report
    return render_text(report(decisions, texts, rules, lang, subject, program), colour)
