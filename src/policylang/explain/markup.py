"""Markdown and self-contained HTML explanations, from the same model as the text: the
summary first (grants per person with totals, refusals with their reason, what is
undecided and what to ask next), then each decision that applies here.
"""

from __future__ import annotations

import html

from .messages import heading, message
from .quantities import date_text
from .sources import written_out
from .text import (COLON, MARKS, amount_lines, change_lines, grant_text, input_lines, joined_list,
                   missing_lines, output_lines, parameter_line, shown_in_detail)


# ---------------------------------------------------------------- Markdown
def render_markdown(report: dict) -> str:
    report = written_out(report)
    lang = report["lang"]
    say = _say(lang)
    lines = [f"# {say('title', date=date_text(report['date'], lang))}", "",
             say("rules", path=report["rules"]["path"], digest=report["rules"]["digest"][:19] + "…"), ""]
    for household in report["households"]:
        lines += [f"## {heading(lang, household['label'], household['household'])}", ""]
        for error in household["errors"]:
            lines.append(f"- **{say('errors')}** `{error['path']}`: {error['message']}")
        lines += _summary_md(household["summary"], lang) + [""]
        computed = output_lines(household, lang)  # a heading, then a line per output
        if computed:
            lines += [f"### {computed[0]}", ""] + [f"- {line.strip()}" for line in computed[1:]
                                                   if line] + [""]
        lines += [f"### {say('details')}", ""]
        for e in shown_in_detail(household["explanations"], household["summary"]):
            lines += _decision_md(e, say)
    return "\n".join(lines) + "\n"


def _summary_md(summary: dict, lang: str) -> list[str]:
    say, colon = _say(lang), COLON[lang]
    lines = [f"### {say('summary')}", ""]
    if summary["granted"]:
        lines += [f"| {say('subject')} | {say('program')} | {say('amount')} |", "| --- | --- | --- |"]
        lines += [f"| {g['subject']['name']} | {g['program']['label']} | {grant_text(g, lang)} |"
                  for g in summary["granted"]]
        lines.append("")
    if summary["totals"]:
        lines += [f"**{say('total')}**{colon}" + "; ".join(t["text"] for t in summary["totals"]), ""]
    for key, entries in (("refused", summary["refused"]), ("undecided", summary["unknown"])):
        if entries:
            lines += [f"**{say(key)}**", ""]
            lines += [f"- {x['program']['label']} — {x['subject']['name']}{colon}{x['reason']}"
                      for x in entries]
            lines.append("")
    if summary["next_question"]:
        lines += [f"→ {summary['next_question']['text']}", ""]
    if summary["not_in_force"]:
        lines += [summary["not_in_force"]["text"], ""]
    return lines


def _decision_md(e: dict, say) -> list[str]:
    colon = COLON[e["lang"]]
    amount = f" — {e['amount']['text']}" if e["amount"] else ""
    lines = [f"#### {e['program']['label']} — {e['subject']['name']}{colon}"
             f"**{e['outcome_text']}**{amount}", "", f"{say('why')}{colon}{e['reason']}", ""]
    if e["decided_by"]:
        lines += [e["decided_by"]["text"], ""]
    for title, conditions in ((say("conditions"), e["conditions"]), (say("triggers"), e["triggers"])):
        if conditions:
            lines += [f"**{title}**", ""] + _conditions_md(conditions, "", colon) + [""]
    for exception in e["exceptions"]:
        note = f" ({exception['note']})" if exception["note"] else ""
        lines += [f"**{say('exceptions')}{colon}{exception['label']}** — {exception['status_text']}{note}", ""]
        lines += _conditions_md(exception["conditions"], "", colon) + [""]
    for block in (amount_lines(e, say, colon), change_lines(e, say, colon),
                  missing_lines(e, say, colon), input_lines(e, say, colon)):
        if block:
            lines += [f"**{block[0].strip()}**", ""] + [f"- {line.strip()}" for line in block[1:]] + [""]
    for note in e["notes"]:
        lines += [f"> {say('notes')}{colon}{note}", ""]
    if e["parameters"]:
        lines += [f"**{say('parameters')}**", ""]
        lines += [f"- {parameter_line(p, say, e['lang'])}" for p in e["parameters"]] + [""]
    lines += [f"**{say('sources')}**", ""] + [f"- {c['text']}" for c in e["citations"]] + [""]
    return lines


def _conditions_md(conditions, indent: str, colon: str) -> list[str]:
    lines = []
    for c in conditions:
        lines.append(f"{indent}- {MARKS[c['status']]} {c['label']}{colon}{c['statement']}")
        if c["gap"]:
            lines.append(f"{indent}    - → {c['gap']['text']}")
    return lines


# ---------------------------------------------------------------- HTML
STYLE = """
body{font-family:system-ui,-apple-system,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:70rem;color:#1b1b1b;line-height:1.45;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.25rem;border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}.eligible{color:#0a6b2d;font-weight:600}.not_eligible{color:#a11;font-weight:600}
.unknown{color:#8a5a00;font-weight:600}.not_applicable{color:#666}
details.decision{border:1px solid #ddd;border-radius:6px;margin:.5rem 0;padding:.4rem .8rem}
details.decision>summary{cursor:pointer;font-weight:600}
summary:focus-visible,a:focus-visible,input:focus-visible+label{outline:3px solid #1a5fb4;outline-offset:2px}
ul{margin:.2rem 0 .2rem 1.2rem;padding:0}li{margin:.15rem 0}code{background:#f5f5f5;padding:0 .2rem;border-radius:3px}
.gap{color:#444;background:#fff8e1;border-left:3px solid #f0b400;padding:.1rem .4rem;display:inline-block}
.muted{color:#555;font-size:.9em}blockquote{margin:.3rem 0;padding-left:.6rem;border-left:3px solid #ccc;color:#333}
.total td{font-weight:600}td.nowrap{white-space:nowrap}td.program{min-width:9em}
label.filters{display:inline-block;margin:.5rem 1rem .5rem 0;padding:.15rem .6rem;border:1px solid #bbb;border-radius:1rem;cursor:pointer}
input[name=filter]{position:absolute;opacity:0}input[name=filter]:checked+label{background:#1a5fb4;border-color:#1a5fb4;color:#fff}
.grants{background:#f1f8f3;border:1px solid #b9dcc4;border-radius:6px;padding:.5rem 1rem;margin:.5rem 0 1rem}
.grants p{margin:.2rem 0}.grants .sum{font-weight:600}
#f-granted:checked~.household tr.row:not(.eligible-row),#f-granted:checked~.household details.decision:not(.eligible-row){display:none}
#f-refused:checked~.household tr.row.eligible-row,#f-refused:checked~.household details.decision.eligible-row{display:none}
details.code>summary{font-size:.85em;color:#555;cursor:pointer}
@media print{body{margin:0;max-width:none;font-size:11pt}label.filters,input[name=filter],details.code,.no-print{display:none}
.household{page-break-after:always}details.decision{border:none;padding:0}
details.decision>summary{list-style:none}details.decision:not([open])>*:not(summary){display:none}
a{color:inherit;text-decoration:none}h1::after{content:" — " attr(data-notice)}}
"""


def render_html(report: dict) -> str:
    """One self-contained page: no script, no network. A filter (all / granted / not
    granted) made of radio buttons and CSS, a summary table per household with the reason of
    each refusal, totals and links to the details, and a print layout of one notice per
    household."""
    report = written_out(report)
    lang = report["lang"]
    say = _say(lang)
    title = say("title", date=date_text(report["date"], report["lang"]))
    body = [f"<h1 data-notice='{_e(say('notice'))}'>{_e(title)}</h1>",
            f"<p class='muted'>{_e(say('rules', path=report['rules']['path'], digest=report['rules']['digest']))}</p>",
            _filters(say)]
    for household in report["households"]:
        body.append(_household_html(household, lang))
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (f"<!DOCTYPE html>\n<html lang='{html_lang}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(title)}</title><style>{STYLE}</style></head>"
            f"<body><main>{''.join(body)}</main></body></html>\n")


def _filters(say) -> str:
    choices = [("f-all", "filter_all", " checked"), ("f-granted", "filter_granted", ""),
               ("f-refused", "filter_refused", "")]
    return "".join(f"<input type='radio' name='filter' id='{key}'{checked}>"
                   f"<label for='{key}' class='filters'>{_e(say(text))}</label>"
                   for key, text, checked in choices)


def _household_html(household: dict, lang: str) -> str:
    say = _say(lang)
    from .summary import anchor
    parts = [f"<section class='household'><h2>{_e(heading(lang, household['label'], household['household']))}</h2>"]
    for error in household["errors"]:
        parts.append(f"<p class='not_eligible'>{_e(say('errors'))}: <code>{_e(error['path'])}</code> "
                     f"{_e(error['message'])}</p>")
    summary = household["summary"]
    parts.append(f"<h3>{_e(say('summary'))}</h3>" + _grants_html(summary, lang)
                 + _summary_table(household["explanations"], summary, say))
    if summary["next_question"]:
        parts.append(f"<p class='unknown'>→ {_e(summary['next_question']['text'])}</p>")
    computed = output_lines(household, lang)
    if computed:
        parts.append(f"<h3>{_e(computed[0])}</h3><ul>" + "".join(
            f"<li>{_e(line.strip())}</li>" for line in computed[1:] if line) + "</ul>")
    details = shown_in_detail(household["explanations"], summary)
    parts.append(f"<h3>{_e(say('details'))}</h3>" + "".join(_decision_html(e, say) for e in details))
    if summary["not_in_force"]:
        elsewhere = [e for e in household["explanations"] if e not in details]
        parts.append(f"<details class='no-print'><summary>{_e(summary['not_in_force']['text'])}</summary>"
                     + "".join(_decision_html(e, say) for e in elsewhere) + "</details>")
    del anchor
    return "".join(parts) + "</section>"


def _grants_html(summary: dict, lang: str) -> str:
    """What each person is granted, and the totals: the first thing a reader looks for."""
    say, colon = _say(lang), COLON[lang]
    if not summary["granted"]:
        return f"<div class='grants'><p>{_e(say('nothing_granted'))}</p></div>"
    def joined(parts):
        return joined_list(parts, lang)

    lines = []
    for person in summary["by_person"]:
        grants = [g for g in summary["granted"] if g["subject"] == person["subject"]]
        text = joined([f"{g['program']['label']} {grant_text(g, lang)}" for g in grants])
        if len(grants) > 1 and person["totals"]:
            text += f" — {say('total')}{colon}" + joined([t["text"] for t in person["totals"]])
        lines.append(f"<p><strong>{_e(person['subject']['name'])}</strong>{colon}{_e(text)}</p>")
    if summary["totals"]:
        lines.append(f"<p class='sum'>{_e(say('total'))}{colon}"
                     f"{_e(joined([t['text'] for t in summary['totals']]))}</p>")
    return f"<div class='grants'>{''.join(lines)}</div>"


def _summary_table(explanations, summary, say) -> str:
    from .summary import anchor
    head = "".join(f"<th scope='col'>{_e(say(k))}</th>"
                   for k in ("subject", "program", "outcome", "amount", "reason"))
    rows = []
    grouped = {p["ref"] for p in (summary["not_in_force"] or {}).get("programs", [])}
    for e in explanations:
        if anchor(e) in grouped:
            continue
        amount = _e(e["amount"]["text"]) if e["amount"] else ""
        kind = " eligible-row" if e["outcome"] == "eligible" else ""
        reason = "" if e["outcome"] == "eligible" and not e["decided_by"] else _e(e["reason"])
        rows.append(f"<tr class='row{kind}'><td>{_e(e['subject']['name'])}</td>"
                    f"<td class='program'><a href='#{anchor(e)}-why'>{_e(e['program']['label'])}</a></td>"
                    f"<td class='{e['outcome']} nowrap'>{_e(e['outcome_text'])}</td>"
                    f"<td class='nowrap'>{amount}</td>"
                    f"<td>{reason}</td></tr>")
    for total in summary["totals"]:
        rows.append(f"<tr class='total'><td colspan='3'>{_e(say('total'))}</td>"
                    f"<td>{_e(total['text'])}</td><td></td></tr>")
    if summary["not_in_force"]:
        rows.append(f"<tr class='row not_applicable'><td colspan='5'>{_e(summary['not_in_force']['text'])}</td></tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _decision_html(e: dict, say) -> str:
    from .summary import anchor
    colon = COLON[e["lang"]]
    amount = f" — {_e(e['amount']['text'])}" if e["amount"] else ""
    kind = " eligible-row" if e["outcome"] == "eligible" else ""
    parts = [f"<details class='decision{kind}' id='{anchor(e)}'><summary>{_e(e['program']['label'])} — "
             f"{_e(e['subject']['name'])}{colon}<span class='{e['outcome']}'>{_e(e['outcome_text'])}</span>"
             f"{amount}</summary>",
             # the summary links here: a link into a closed <details> opens it
             f"<p id='{anchor(e)}-why'>{_e(say('why'))}{colon}{_e(e['reason'])}</p>"]
    if e["decided_by"]:
        parts.append(f"<p>{_e(e['decided_by']['text'])}</p>")
    for title, conditions in ((say("conditions"), e["conditions"]), (say("triggers"), e["triggers"])):
        if conditions:
            parts.append(f"<h4>{_e(title)}</h4>{_conditions_html(conditions, say)}")
    for exception in e["exceptions"]:
        note = f" ({_e(exception['note'])})" if exception["note"] else ""
        parts.append(f"<h4>{_e(say('exceptions'))}{colon}{_e(exception['label'])} — "
                     f"{_e(exception['status_text'])}{note}</h4>{_conditions_html(exception['conditions'], say)}")
    for block in (amount_lines(e, say, colon), change_lines(e, say, colon),
                  missing_lines(e, say, colon), input_lines(e, say, colon)):
        if block:
            items = "".join(f"<li>{_e(line.strip().lstrip('·').strip())}</li>" for line in block[1:])
            parts.append(f"<h4>{_e(block[0].strip())}</h4><ul>{items}</ul>")
    for note in e["notes"]:
        parts.append(f"<blockquote>{_e(note)}</blockquote>")
    if e["parameters"]:
        items = "".join(f"<li>{_e(parameter_line(p, say, e['lang']))}</li>" for p in e["parameters"])
        parts.append(f"<h4>{_e(say('parameters'))}</h4><ul>{items}</ul>")
    sources = "".join(f"<blockquote>{_e(c['text'])}</blockquote>" for c in e["citations"])
    parts.append(f"<h4>{_e(say('sources'))}</h4>{sources}")
    return "".join(parts) + "</details>"


def _conditions_html(conditions, say) -> str:
    items = []
    for c in conditions:
        gap = f" <span class='gap'>→ {_e(c['gap']['text'])}</span>" if c["gap"] else ""
        code = (f"<details class='code'><summary>{_e(say('show_rule'))}</summary>"
                f"<pre><code>{_e(c['code'])}</code></pre></details>") if c["code"] else ""
        items.append(f"<li>{MARKS[c['status']]} <strong>{_e(c['label'])}</strong>: "
                     f"{_e(c['statement'])}{gap}{code}</li>")
    return f"<ul>{''.join(items)}</ul>"


def _say(lang: str):
    return lambda key, **values: message(lang, key, **values)


def _e(text) -> str:
    return html.escape(str(text), quote=True)
