"""Explanations and why-not that once grew exponentially or took a minute (issue #18)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
import time
from pathlib import Path

import policylang
from policylang.explain.markup import render_html, render_markdown

FAMILY = Path(__file__).resolve().parents[1] / "rulebooks" / "family"
DATE = dt.date(2023, 8, 1)


def doubling_rules(tmp_path: Path, levels: int, test: str) -> policylang.RuleSet:
    """`d1 = d0 + d0`, … : each definition reads the one before twice."""
    for name in ("schema.policy", "places.policy"):
        shutil.copy(FAMILY / name, tmp_path / name)
    lines = ['definition d0 "d0" / "d0" of family = count(persons)']
    lines += [f'definition d{i} "d{i}" / "d{i}" of family = d{i - 1} + d{i - 1}'
              for i in range(1, levels)]
    lines.append(f'''program p "p" / "p"
  applies in country
  cite illustrative "a doubling chain"
  condition c "c" / "c": {test.format(last=f"d{levels - 1}")}
end''')
    (tmp_path / "doubling.policy").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return policylang.load(tmp_path)


def render(decisions, fmt: str, lang: str) -> str:
    """The explanation of every decision in one of the formats `explain --format` writes."""
    if fmt == "text":
        return decisions.explain(lang)
    if fmt == "json":
        return decisions.dumps(lang)
    report = decisions.explanations(lang)
    return render_markdown(report) if fmt == "md" else render_html(report)


def north() -> dict:
    return json.loads((FAMILY / "north-family.json").read_text(encoding="utf-8"))


def test_a_definition_read_twice_per_level_explains_in_linear_size(tmp_path):
    for test, outcome in (("{last} < 0", "not_eligible"), ("{last} > 0", "eligible")):
        rules = doubling_rules(tmp_path, 21, test)
        started = time.monotonic()
        decisions = rules.evaluate(north(), DATE)
        texts = [render(decisions, fmt, lang) for fmt in ("text", "md", "html", "json")
                 for lang in ("en", "zh")]
        assert time.monotonic() - started < 10  # it hung: why-not and the tree doubled per level
        assert decisions.households[0].find("p").outcome == outcome
        assert max(len(t) for t in texts) < 200_000
        values = decisions.explanations("en")["households"][0]["values"]
        assert len(values) < 4 * 21  # each definition once, not once per path to it


def test_why_not_on_the_largest_household_is_bounded(kunming):
    """200 members (the most a list holds): why-not re-evaluated the household 1,000 times."""
    members = kunming["members"]
    kunming["members"] = [dict(copy.deepcopy(members[i % len(members)]), id=f"p{i}")
                          for i in range(200)]
    rules = policylang.load(Path(__file__).resolve().parents[2] / "rules")
    started = time.monotonic()
    decided = rules.evaluate(kunming, DATE)
    assert time.monotonic() - started < 15  # 25–66 s before
    household = decided.households[0].find("dibao")
    assert household.outcome == "not_eligible"
    assert "income_test" in household.distances  # the gap is still measured


def test_the_command_line_can_turn_why_not_off(run):
    args = ("rules", "examples/kunming-edge-family.json", "--date", "2023-08-01")
    code, with_it, _ = run("explain", *args)
    assert code == 0 and "→" in with_it
    code, without, _ = run("explain", *args, "--no-why-not")
    assert code == 0 and "→" not in without
    code, decisions, _ = run("eval", *args, "--no-why-not")
    assert code == 0 and '"gap": null' in decisions and '"gap": {' not in decisions
