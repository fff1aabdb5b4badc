"""Every limit lives in `core/limits.py` and is documented, with the value it has, on the
Limits page (docs/limits.md): a new limit, or a changed value, fails here until the page says
so."""

from __future__ import annotations

from pathlib import Path

from policylang.core import limits

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "limits.md").read_text(encoding="utf-8")

# how each limit is written on the page
WRITTEN = {
    "MAX_POLICY_BYTES": "{:,} bytes",
    "MAX_RULESET_BYTES": "{:,} bytes",
    "MAX_EXPRESSION_DEPTH": "{} levels",
    "MAX_RULE_DEPTH": "{} levels",
    "MAX_FACTS_BYTES": "{:,} bytes",
    "MAX_JSON_DEPTH": "{} levels",
    "MAX_AMOUNT_DIGITS": "{} digits before the point",
    "MAX_AMOUNT_PLACES": "digits before the point, {} after",
    "MAX_ID_CHARS": "| {} characters |",
    "MAX_TEXT_CHARS": "| {:,} characters |",
    "MAX_FACT_ERRORS": "| {}, then one line",
    "MAX_KEYED_ENTRIES": "| {} |",
    "MAX_LIST_ENTRIES": "| {:,} |",
    "MAX_COMPUTED_DIGITS": "below 10^{}",
    "WHY_NOT_BUDGET": "{:,} per household",
}


def test_every_limit_is_on_the_page_with_its_value():
    declared = {name for name in vars(limits) if name.isupper()}
    assert declared == set(WRITTEN), "document the new limit on docs/limits.md"
    for name, written in WRITTEN.items():
        assert written.format(getattr(limits, name)) in PAGE, name
