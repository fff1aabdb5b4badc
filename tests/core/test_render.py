"""The one renderer of diagnostics: location, the source line, a caret under the column
(Chinese characters take two columns), notes and hint; and the JSON form for tools."""

from __future__ import annotations

import json

import pytest

from policylang.core.diagnostics import Diagnostic, PolicyError, did_you_mean
from policylang.syntax.parse import parse_text
from policylang.core.diagnostic_formats import render_all_json, render_all_text, render_text
from policylang.core.source import Span


def caret_column(rendered: str) -> int:
    """The display column (0-based, after the gutter) of the first caret."""
    source, caret = rendered.splitlines()[1:3]
    gutter = source.index("| ") + 2
    return caret.expandtabs().index("^") - gutter


def test_caret_under_a_name_after_chinese_text():
    line = 'condition low "月收入": montly_income < 1'
    column = line.index("montly_income") + 1
    d = Diagnostic("PL010", "unknown name `montly_income`",
                   Span("a.policy", 4, column, 4, column + len("montly_income")),
                   hint="did you mean `monthly_income`?")
    text = render_text(d, {"a.policy": "\n\n\n" + line})
    head, source, caret, hint = text.splitlines()
    assert head == f"a.policy:4:{column}: error[PL010]: unknown name `montly_income`"
    assert source == f"  4 | {line}"
    # three Chinese characters are six columns wide on a terminal
    assert caret == "    | " + " " * (column - 1 + 3) + "^" * len("montly_income")
    assert hint == "  = hint: did you mean `monthly_income`?"


def test_a_span_over_several_lines_gets_one_caret():
    d = Diagnostic("PL041", "m", Span("a.policy", 1, 3, 5, 6))
    assert render_text(d, {"a.policy": "  exception x\n\n\n\nend"}).splitlines()[2] == "    |   ^"


def test_notes_come_before_the_hint():
    d = Diagnostic("PL040", "m", Span("a.policy", 1, 1, 1, 2), hint="h", notes=("n1", "n2"))
    assert render_text(d, {"a.policy": "x"}).splitlines()[3:] == [
        "  = note: n1", "  = note: n2", "  = hint: h"]


def test_a_facts_diagnostic_names_the_file_and_path():
    d = Diagnostic("PL105", "`2023-02-30` is not a date", json_path="members[1].birth_date",
                   file="h.json")
    assert render_text(d) == "h.json: members[1].birth_date: error[PL105]: `2023-02-30` is not a date"


def test_all_diagnostics_sorted_then_counted():
    late = Diagnostic("PL010", "late", Span("b.policy", 9, 1, 9, 2))
    early = Diagnostic("PL020", "early", Span("a.policy", 2, 1, 2, 2))
    warning = Diagnostic("PL099", "warn", Span("b.policy", 1, 1, 1, 2), severity="warning")
    text = render_all_text([late, warning, early], {"a.policy": "\nx", "b.policy": "y\n" * 9})
    heads = [line for line in text.splitlines() if ": error[" in line or ": warning[" in line]
    assert [h.split(": ")[0] for h in heads] == ["a.policy:2:1", "b.policy:1:1", "b.policy:9:1"]
    assert text.endswith("2 errors, 1 warning")


def test_colour_only_when_asked():
    d = Diagnostic("PL010", "m", Span("a.policy", 1, 1, 1, 2), hint="h")
    assert "\x1b[" not in render_text(d, {"a.policy": "x"})
    assert "\x1b[31;1merror\x1b[0m" in render_text(d, {"a.policy": "x"}, colour=True)


def test_json_form():
    d = Diagnostic("PL010", "m", Span("a.policy", 1, 2, 1, 5), hint="h")
    facts = Diagnostic("PL104", "f", json_path="assets", file="h.json")
    data = json.loads(render_all_json([facts, d]))
    assert data["schema"] == "policylang.diagnostics/1"
    by_code = {x["code"]: x for x in data["diagnostics"]}
    assert by_code["PL010"]["location"] == {"file": "a.policy", "line": 1, "column": 2,
                                            "end_line": 1, "end_column": 5}
    assert by_code["PL104"]["location"] == {"file": "h.json", "json_path": "assets"}
    assert by_code["PL010"]["hint"] == "h" and by_code["PL010"]["severity"] == "error"


def test_did_you_mean():
    assert did_you_mean("dibao_standrad", ["dibao_standard", "tekun_factor"]) == \
        "did you mean `dibao_standard`?"
    assert did_you_mean("zzz", ["dibao_standard"]) is None


def test_caret_lines_up_after_a_tab():
    text = "definition d of member =\t\tfoo bar"
    with pytest.raises(PolicyError) as caught:
        parse_text(text, "t.policy")
    rendered = render_text(caught.value.diagnostics[0], {"t.policy": text})
    source_line = rendered.splitlines()[1]
    gutter = source_line.index("| ") + 2
    assert caret_column(rendered) == source_line.expandtabs().index("bar") - gutter


def test_a_byte_order_mark_is_accepted_or_named():
    text = "\ufeffjurisdiction national \"全国\""
    try:
        parse_text(text, "t.policy")
    except PolicyError as error:
        message = error.diagnostics[0].message + (error.diagnostics[0].hint or "")
        assert "U+FEFF" in message or "byte order mark" in message.lower(), message
