"""Citations as a reader wants them: the declared source's title, issuer and date with the
quoted clause, not a file name; and a value no article gives said plainly to be an
example, to replace with the local standard.

>>> import policylang
>>> from policylang.explain.labels import Labels
>>> rules = policylang.load("rules").rules
>>> program = rules.programs["tekun"]
>>> citation(program.citations[0], Labels(rules, "zh"))["text"]
'《春城热线|昆明兜牢兜住民生保障底线》（昆明新闻(昆明市民政局做客《春城热线》)，2022年10月18日）：“将特困救助供养覆盖的未成年人年龄从16周岁延长至18周岁”'
"""

from __future__ import annotations

from .labels import in_language
from .quantities import date_text

ILLUSTRATIVE = {"en": "illustrative value — replace with the local standard",
                "zh": "示例数值——请替换为本地标准"}


def citation(c, labels) -> dict:
    """One citation of the rules (`ir.Citation`) in the labels' language."""
    lang = labels.lang
    source = None if c.illustrative else labels.source(c.source)
    declared = None if source is None else {
        "id": source.name, "title": source.title, "publisher": source.publisher,
        "date": source.published.isoformat() if source.published else None}
    return {"source": declared, "file": c.file, "quote": c.quote,
            "illustrative": c.illustrative, "text": _text(c, source, lang)}


def _text(c, source, lang: str) -> str:
    if c.illustrative:
        note = in_language(c.quote, c.quote, lang)
        return f"{ILLUSTRATIVE[lang]}（{note}）" if lang == "zh" else \
            f"{ILLUSTRATIVE[lang]} ({note})"
    if source is None:
        return f"{c.file or c.source}: “{c.quote}”"
    when = date_text(source.published, lang) if source.published else None
    if lang == "zh":
        issuer = "，".join(x for x in (source.publisher, when) if x)
        return f"《{source.title}》" + (f"（{issuer}）" if issuer else "") + f"：“{c.quote}”"
    issuer = ", ".join(x for x in (source.publisher, when) if x)
    return f"{source.title}" + (f" ({issuer})" if issuer else "") + f": “{c.quote}”"


def citations(found, labels) -> list[dict]:
    """Citations, each clause once."""
    seen, shown = set(), []
    for c in found:
        if (c.source, c.quote) not in seen:
            seen.add((c.source, c.quote))
            shown.append(citation(c, labels))
    return shown


class CitationTable:
    """A household's citations, each clause once (`c1`, `c2` … in the order first cited):
    the decisions and values that cite a clause hold its key, so a quote cited by thirty
    decisions is written once."""

    def __init__(self, labels):
        self.labels, self.entries, self._keys = labels, {}, {}

    def key(self, c) -> str:
        identity = (c.source, c.quote, c.illustrative)
        if identity not in self._keys:
            self._keys[identity] = f"c{len(self._keys) + 1}"
            self.entries[self._keys[identity]] = citation(c, self.labels)
        return self._keys[identity]

    def keys(self, found) -> list[str]:
        return list(dict.fromkeys(self.key(c) for c in found))


def resolved(explanation: dict, table: dict) -> dict:
    """An explanation with its citation keys replaced by the citations they name, as the
    renderers read it."""
    def cited(keys):
        return [table[k] for k in keys]
    found = dict(explanation, citations=cited(explanation["citations"]))
    found["parameters"] = [dict(p, citation=table[p["citation"]]) for p in explanation["parameters"]]
    found["exceptions"] = [dict(e, citations=cited(e["citations"])) for e in explanation["exceptions"]]
    return found


def written_out(report: dict) -> dict:
    """A report with every explanation's citations written out (`resolved`): what the text,
    Markdown and HTML renderers draw from."""
    households = [dict(h, explanations=[resolved(e, h["citations"]) for e in h["explanations"]])
                  if "citations" in h else h for h in report["households"]]
    return dict(report, households=households)
