"""Plain-text explanations for the terminal, from the explanation model: what a caseworker
can read aloud — the summary first, then each decision that applies here, in words.
Colour only on a terminal. Markdown and HTML live beside this module.
"""

from __future__ import annotations

from .messages import heading, message
from .sources import written_out
from .quantities import date_text

MARKS = {"holds": "✓", "fails": "✗", "unknown": "?", "not_evaluated": "·"}
COLOURS = {"eligible": "\x1b[32;1m", "not_eligible": "\x1b[31;1m", "unknown": "\x1b[33;1m",
           "not_applicable": "\x1b[2m", "reset": "\x1b[0m"}
COLON = {"en": ": ", "zh": "："}
HEADING_COLON = {"en": ":", "zh": "："}


def render_text(report: dict, colour: bool = False) -> str:
    """The whole report as plain text."""
    report = written_out(report)
    lang = report["lang"]
    say = _say(lang)
    lines = [say("title", date=date_text(report["date"], report["lang"])),
             say("rules", path=report["rules"]["path"], digest=report["rules"]["digest"][:19] + "…"), ""]
    for household in report["households"]:
        lines += [heading(lang, household["label"], household["household"]), ""]
        for error in household["errors"]:
            lines.append(f"  {say('errors')}: {error['path']}: {error['message']}")
        lines += summary_lines(household["summary"], lang) + [""]
        lines += output_lines(household, lang)
        for e in shown_in_detail(household["explanations"], household["summary"]):
            lines += decision_text(e, colour) + [""]
    return "\n".join(lines)


def output_lines(household: dict, lang: str) -> list[str]:
    """The rules' outputs for the household, one line per record: `net income — p1: …`."""
    outputs = household.get("outputs") or []
    if not outputs:
        return []
    lines = [_say(lang)("outputs")]
    lines += [f"  {o['label']} — {o['subject']['name']}{COLON[lang]}{o['text']}" for o in outputs]
    return lines + [""]


def shown_in_detail(explanations: list[dict], summary: dict) -> list[dict]:
    """The decisions told in full: all but those the summary groups as not in force here."""
    grouped = {p["ref"] for p in (summary["not_in_force"] or {}).get("programs", [])}
    from .summary import anchor
    return [e for e in explanations if anchor(e) not in grouped]


def summary_lines(summary: dict, lang: str) -> list[str]:
    """The summary: grants per person with totals, refusals, what is undecided, what next."""
    say, colon, ends = _say(lang), COLON[lang], HEADING_COLON[lang]
    lines = [say("summary")]
    several = len(summary["by_person"]) > 1
    if summary["granted"]:
        lines.append(f"  {say('granted')}{ends}")
        for person in summary["by_person"]:
            grants = [g for g in summary["granted"] if g["subject"]["id"] == person["subject"]["id"]
                      and g["subject"]["kind"] == person["subject"]["kind"]]
            lines.append(f"    {person['subject']['name']}{colon}" + joined_list(
                [f"{g['program']['label']} {grant_text(g, lang)}" for g in grants], lang))
            if several and len(grants) > 1:
                lines.append(f"      {say('total')}{colon}" + joined_list(
                    [t["text"] for t in person["totals"]], lang))
        for grant in summary["granted"]:
            if grant["amount"] is None and not any(
                    grant["subject"]["id"] == p["subject"]["id"] for p in summary["by_person"]):
                lines.append(f"    {grant['subject']['name']}{colon}{grant['program']['label']}")
    if summary["totals"]:
        lines.append(f"  {say('total')}{colon}" + joined_list([t["text"] for t in summary["totals"]], lang))
    for key, entries in (("refused", summary["refused"]), ("undecided", summary["unknown"])):
        if entries:
            lines.append(f"  {say(key)}{ends}")
            lines += [f"    · {x['program']['label']}（{x['subject']['name']}）{colon}{x['reason']}"
                      if lang == "zh" else
                      f"    · {x['program']['label']} ({x['subject']['name']}): {x['reason']}"
                      for x in entries]
    if summary["next_question"]:
        lines.append(f"  → {summary['next_question']['text']}")
    if summary["not_in_force"]:
        lines.append(f"  {summary['not_in_force']['text']}")
    return lines


def grant_text(grant: dict, lang: str) -> str:
    """What a grant brings: its amount (and payee), or that a status is granted."""
    shown = grant["amount"]["text"] if grant["amount"] else message(lang, "status_granted")
    return f"{shown}，{grant['paid_to']}" if grant.get("paid_to") and lang == "zh" else (
        f"{shown}, {grant['paid_to']}" if grant.get("paid_to") else shown)


def joined_list(parts: list[str], lang: str) -> str:
    return ("；" if lang == "zh" else "; ").join(parts)


def decision_text(e: dict, colour: bool = False) -> list[str]:
    """One decision: headline, why, conditions in words, how the amount was computed, what
    would change it, what is missing, the values used and the sources."""
    lang = e["lang"]
    say, colon = _say(lang), COLON[lang]
    outcome = e["outcome_text"].upper() if lang == "en" else e["outcome_text"]
    if colour:
        outcome = f"{COLOURS[e['outcome']]}{outcome}{COLOURS['reset']}"
    head = f"{e['program']['label']} — {e['subject']['name']}{colon}{outcome}"
    if e["amount"]:
        head += f" — {e['amount']['text']}"
    if e["paid_to_text"]:
        head += f"{'，' if lang == 'zh' else ', '}{e['paid_to_text']}"
    lines = [head, f"  {say('why')}{colon}{e['reason']}"]
    if e["decided_by"]:
        lines.append(f"  {e['decided_by']['text']}")
    lines += _conditions(e["conditions"], say("conditions"), "  ", lang)
    lines += _conditions(e["triggers"], say("triggers"), "  ", lang)
    for exception in e["exceptions"]:
        note = f"（{exception['note']}）" if lang == "zh" and exception["note"] else (
            f" ({exception['note']})" if exception["note"] else "")
        lines.append(f"  {say('exceptions')}{colon}{exception['label']} — {exception['status_text']}{note}")
        lines += _conditions(exception["conditions"], None, "    ", lang)
    lines += amount_lines(e, say, colon)
    lines += change_lines(e, say, colon)
    lines += missing_lines(e, say, colon)
    lines += input_lines(e, say, colon)
    for note in e["notes"]:
        lines.append(f"  {say('notes')}{colon}{note}")
    if e["parameters"]:
        lines.append(f"  {say('parameters')}{HEADING_COLON[lang]}")
        lines += [f"    {parameter_line(p, say, lang)}" for p in e["parameters"]]
    lines.append(f"  {say('sources')}{HEADING_COLON[lang]}")
    lines += [f"    {c['text']}" for c in e["citations"]]
    return lines


def amount_lines(e: dict, say, colon: str) -> list[str]:
    """The derivation: each formula in words, then in numbers; the rounding last."""
    if not e["amount"] or not e["amount"]["derivation"]:
        return []
    lines = [f"  {say('how_computed')}{HEADING_COLON[e['lang']]}"]
    for step in e["amount"]["derivation"]:
        lines += [f"    {step['words']}", f"      = {step['numbers']}"]
    if e["amount"]["rounding"]:
        lines.append(f"    {e['amount']['rounding']['text']}")
    return lines


def change_lines(e: dict, say, colon: str) -> list[str]:
    why_not = e["why_not"]
    if not why_not or not (why_not["changes"] or why_not["stated"]):
        return []
    lines = [f"  {say('what_would_change')}{HEADING_COLON[e['lang']]}"]
    lines += [f"    · {change['text']}" for change in why_not["changes"]]
    lines += [f"    · {stated['text']}" for stated in why_not["stated"]]
    return lines


def input_lines(e: dict, say, colon: str) -> list[str]:
    """The defaults assumed and the values given instead of computed, then what a reform
    changed under the decision, one per line."""
    lines = []
    if e.get("inputs"):
        lines += [f"  {say('inputs')}{HEADING_COLON[e['lang']]}"] + [
            f"    · {used['text']}" for used in e["inputs"]]
    if e.get("reformed"):
        lines += [f"  {say('reformed')}{HEADING_COLON[e['lang']]}"] + [
            f"    · {change['text']}" for change in e["reformed"]]
    return lines


def missing_lines(e: dict, say, colon: str) -> list[str]:
    lines = [f"  {say('missing')}{HEADING_COLON[e['lang']]}"] if e["missing"] else []
    for group in e["missing"]:
        who = f"{group['subject']['name']}{colon}" if group["subject"] else ""
        lines.append(f"    {who}" + ("、" if e["lang"] == "zh" else ", ").join(
            f["text"] for f in group["facts"]))
    return lines


def _conditions(conditions: list[dict], title: str | None, indent: str, lang: str) -> list[str]:
    lines = [f"{indent}{title}{HEADING_COLON[lang]}"] if conditions and title else []
    for c in conditions:
        lines.append(f"{indent}  {MARKS[c['status']]} {c['label']}")
        lines.append(f"{indent}      {c['statement']}")
        if c["gap"]:
            lines.append(f"{indent}      → {c['gap']['text']}")
    return lines


def parameter_line(p: dict, say, lang: str = "en") -> str:
    where = p["jurisdiction"]["label"] if p["jurisdiction"] else say("everywhere")
    if p["fell_back_from"]:
        where = say("fell_back", place=where, asked=p["fell_back_from"]["label"])
    since = say("since", date=date_text(p["effective_from"], lang)) if p["effective_from"] else ""
    until = say("until", date=date_text(p["effective_until"], lang)) if p["effective_until"] else ""
    line = say("parameter_line", name=p["label"], value=p["text"], where=where,
               since=since, until=until)
    return f"{line} — {p['citation']['text']}"


def _say(lang: str):
    return lambda key, **values: message(lang, key, **values)


def explain_decisions(decisions, texts, rules, lang: str = "en", subject=None, program=None,
                      colour: bool = False) -> str:
    """Plain text for `policylang explain` and `Decisions.explain()`."""
    from .model import report
    return render_text(report(decisions, texts, rules, lang, subject, program), colour)
