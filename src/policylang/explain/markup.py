"""Markdown and self-contained HTML explanations, from the same model as the text.

The HTML report is one file: inline CSS, no script, no network; a summary table of every
decision, then each decision in a collapsible block, with the values behind each condition
as an expandable tree.
"""

from __future__ import annotations

import html

from .text import MARKS, _mark, _plain, _side
from .messages import heading, message


# ---------------------------------------------------------------- Markdown
def render_markdown(report: dict) -> str:
    say = _say(report["lang"])
    lines = [f"# {say('title', date=report['date'])}", "",
             say("rules", path=report["rules"]["path"], digest=report["rules"]["digest"][:19] + "…"), ""]
    for household in report["households"]:
        lines += [f"## {heading(report['lang'], household['label'], household['household'])}", ""]
        for error in household["errors"]:
            lines.append(f"- **{say('errors')}** `{error['path']}`: {error['message']}")
        lines += _summary_table_md(household["explanations"], say) + [""]
        for e in household["explanations"]:
            lines += _decision_md(e, say)
    return "\n".join(lines) + "\n"


def _summary_table_md(explanations, say) -> list[str]:
    rows = [f"| {say('program')} | {say('subject')} | {say('outcome')} | {say('amount')} |",
            "| --- | --- | --- | --- |"]
    for e in explanations:
        amount = e["amount"]["text"] if e["amount"] else ""
        rows.append(f"| {e['program']['label']} (`{e['program']['id']}`) | {_subject(e, say)} | "
                    f"{e['outcome_text']} | {amount} |")
    return rows


def _decision_md(e: dict, say) -> list[str]:
    amount = f" — {e['amount']['text']}" if e["amount"] else ""
    lines = [f"### {e['program']['label']} (`{e['program']['id']}`) — {_subject(e, say)}: "
             f"**{e['outcome_text']}**{amount}", "", f"{say('why')}: {e['summary']}", ""]
    if e["decided_by"]:
        lines += [e["decided_by"]["text"], ""]
    for title, conditions in ((say("conditions"), e["conditions"]), (say("triggers"), e["triggers"])):
        if conditions:
            lines += [f"**{title}**", ""] + _conditions_md(conditions, "", say) + [""]
    for exception in e["exceptions"]:
        note = f" ({exception['note']})" if exception["note"] else ""
        lines += [f"**{say('exceptions')}: {exception['label']}** — {exception['status_text']}{note}", ""]
        lines += _conditions_md(exception["conditions"], "", say) + [""]
    for name, value in e["reports"].items():
        lines += [f"- {name}: {_plain(value)}"]
    if e["missing_facts"]:
        lines += [f"**{say('missing')}**: " + ", ".join(f"`{m}`" for m in e["missing_facts"]), ""]
    for note in e["notes"]:
        lines += [f"> {say('notes')}: {note}", ""]
    if e["parameters"]:
        lines += [f"**{say('parameters')}**", ""]
        lines += [f"- {_parameter_md(p, say)}" for p in e["parameters"]] + [""]
    lines += [f"**{say('sources')}**", ""] + [f"- {c['text']}" for c in e["citations"]]
    lines += [f"- {say('rule')}: `{e['rule']['file']}:{e['rule']['line']}`", ""]
    return lines


def _conditions_md(conditions, indent: str, say) -> list[str]:
    lines = []
    for c in conditions:
        lines.append(f"{indent}- {MARKS[c['status']]} {c['label']} (`{c['name']}`): {c['status_text']}")
        for k in c["comparisons"]:
            lines.append(f"{indent}    - `{_side(k['left'])} {k['op']} {_side(k['right'])}` {_mark(k['holds'])}")
        if c["missing_facts"]:
            lines.append(f"{indent}    - ? " + ", ".join(f"`{m}`" for m in c["missing_facts"]))
        if c["distance"]:
            lines.append(f"{indent}    - → {c['distance']['text']}")
            lines += [f"{indent}        - {change['text']}" for change in c["distance"]["changes"]]
        lines += _tree_md(c["values"], indent + "    ", say)
    return lines


def _tree_md(nodes, indent: str, say) -> list[str]:
    lines = []
    for node in nodes:
        where = f" `{node['path']}`" if node["kind"] == "fact" and node["path"] else ""
        again = f" ({say('shown_above')})" if node.get("repeated") else ""
        lines.append(f"{indent}- {node['label']}{where} = {_plain(node['value'])}{again}")
        lines += _tree_md(node["children"], indent + "    ", say)
    return lines


def _parameter_md(p: dict, say) -> str:
    from .text import _parameter
    return _parameter(p, say)


# ---------------------------------------------------------------- HTML
STYLE = """
body{font-family:system-ui,-apple-system,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:70rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.25rem;border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}.eligible{color:#0a6b2d;font-weight:600}.not_eligible{color:#a11;font-weight:600}
.unknown{color:#8a5a00;font-weight:600}.not_applicable{color:#777}
details.decision{border:1px solid #ddd;border-radius:6px;margin:.5rem 0;padding:.4rem .8rem}
details.decision>summary{cursor:pointer;font-weight:600}
ul{margin:.2rem 0 .2rem 1.2rem;padding:0}li{margin:.15rem 0}code{background:#f5f5f5;padding:0 .2rem;border-radius:3px}
.distance{color:#444;background:#fff8e1;border-left:3px solid #f0b400;padding:.1rem .4rem;display:inline-block}
.muted{color:#666;font-size:.9em}blockquote{margin:.3rem 0;padding-left:.6rem;border-left:3px solid #ccc;color:#333}
"""


def render_html(report: dict) -> str:
    say = _say(report["lang"])
    body = [f"<h1>{_e(say('title', date=report['date']))}</h1>",
            f"<p class='muted'>{_e(say('rules', path=report['rules']['path'], digest=report['rules']['digest']))}</p>"]
    for household in report["households"]:
        body.append(f"<h2>{_e(heading(report['lang'], household['label'], household['household']))}</h2>")
        for error in household["errors"]:
            body.append(f"<p class='not_eligible'>{_e(say('errors'))}: <code>{_e(error['path'])}</code> "
                        f"{_e(error['message'])}</p>")
        body.append(_summary_table_html(household["explanations"], say))
        body += [_decision_html(e, say) for e in household["explanations"]]
    lang = "zh-CN" if report["lang"] == "zh" else "en"
    return (f"<!DOCTYPE html>\n<html lang='{lang}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(say('title', date=report['date']))}</title><style>{STYLE}</style></head>"
            f"<body>{''.join(body)}</body></html>\n")


def _summary_table_html(explanations, say) -> str:
    head = "".join(f"<th>{_e(say(k))}</th>" for k in ("program", "subject", "outcome", "amount"))
    rows = []
    for e in explanations:
        amount = _e(e["amount"]["text"]) if e["amount"] else ""
        rows.append(f"<tr><td>{_e(e['program']['label'])} <code>{_e(e['program']['id'])}</code></td>"
                    f"<td>{_e(_subject(e, say))}</td><td class='{e['outcome']}'>{_e(e['outcome_text'])}</td>"
                    f"<td>{amount}</td></tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _decision_html(e: dict, say) -> str:
    amount = f" — {_e(e['amount']['text'])}" if e["amount"] else ""
    parts = [f"<details class='decision'><summary>{_e(e['program']['label'])} "
             f"<code>{_e(e['program']['id'])}</code> — {_e(_subject(e, say))}: "
             f"<span class='{e['outcome']}'>{_e(e['outcome_text'])}</span>{amount}</summary>",
             f"<p>{_e(say('why'))}: {_e(e['summary'])}</p>"]
    if e["decided_by"]:
        parts.append(f"<p>{_e(e['decided_by']['text'])}</p>")
    for title, conditions in ((say("conditions"), e["conditions"]), (say("triggers"), e["triggers"])):
        if conditions:
            parts.append(f"<h4>{_e(title)}</h4>{_conditions_html(conditions, say)}")
    for exception in e["exceptions"]:
        note = f" ({_e(exception['note'])})" if exception["note"] else ""
        parts.append(f"<h4>{_e(say('exceptions'))}: {_e(exception['label'])} — "
                     f"{_e(exception['status_text'])}{note}</h4>{_conditions_html(exception['conditions'], say)}")
    for name, value in e["reports"].items():
        parts.append(f"<p>{_e(name)}: {_e(_plain(value))}</p>")
    if e["missing_facts"]:
        parts.append(f"<p class='unknown'>{_e(say('missing'))}: "
                     + ", ".join(f"<code>{_e(m)}</code>" for m in e["missing_facts"]) + "</p>")
    for note in e["notes"]:
        parts.append(f"<blockquote>{_e(note)}</blockquote>")
    if e["parameters"]:
        items = "".join(f"<li>{_e(_parameter_md(p, say))}</li>" for p in e["parameters"])
        parts.append(f"<h4>{_e(say('parameters'))}</h4><ul>{items}</ul>")
    sources = "".join(f"<blockquote>{_e(c['text'])}</blockquote>" for c in e["citations"])
    parts.append(f"<h4>{_e(say('sources'))}</h4>{sources}"
                 f"<p class='muted'>{_e(say('rule'))}: <code>{_e(e['rule']['file'])}:{e['rule']['line']}</code></p>")
    return "".join(parts) + "</details>"


def _conditions_html(conditions, say) -> str:
    items = []
    for c in conditions:
        inner = [f"<li><code>{_e(_side(k['left']))} {_e(k['op'])} {_e(_side(k['right']))}</code> "
                 f"{_mark(k['holds'])}</li>" for k in c["comparisons"]]
        if c["missing_facts"]:
            inner.append("<li class='unknown'>? " + ", ".join(
                f"<code>{_e(m)}</code>" for m in c["missing_facts"]) + "</li>")
        if c["distance"]:
            changes = "".join(f"<li>{_e(ch['text'])}</li>" for ch in c["distance"]["changes"])
            inner.append(f"<li><span class='distance'>→ {_e(c['distance']['text'])}</span>"
                         f"{'<ul>' + changes + '</ul>' if changes else ''}</li>")
        if c["values"]:
            inner.append(f"<li><details><summary class='muted'>…</summary>{_tree_html(c['values'], say)}</details></li>")
        items.append(f"<li>{MARKS[c['status']]} {_e(c['label'])} <code>{_e(c['name'])}</code>: "
                     f"<span class='{_status_class(c['status'])}'>{_e(c['status_text'])}</span>"
                     f"<ul>{''.join(inner)}</ul></li>")
    return f"<ul>{''.join(items)}</ul>"


def _tree_html(nodes, say) -> str:
    items = []
    for node in nodes:
        where = f" <code>{_e(node['path'])}</code>" if node["kind"] == "fact" and node["path"] else ""
        again = f" ({_e(say('shown_above'))})" if node.get("repeated") else ""
        label = f"{_e(node['label'])}{where} = {_e(_plain(node['value']))}{again}"
        if node["children"]:
            items.append(f"<li><details><summary>{label}</summary>{_tree_html(node['children'], say)}</details></li>")
        else:
            items.append(f"<li>{label}</li>")
    return f"<ul>{''.join(items)}</ul>"


def _status_class(status: str) -> str:
    return {"holds": "eligible", "fails": "not_eligible", "unknown": "unknown"}.get(status, "muted")


def _subject(e: dict, say) -> str:
    return say("subject_line", label=e["subject"]["label"], id=e["subject"]["id"])


def _say(lang: str):
    return lambda key, **values: message(lang, key, **values)


def _e(text) -> str:
    return html.escape(str(text), quote=True)
