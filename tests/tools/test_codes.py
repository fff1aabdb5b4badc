"""The diagnostics catalogue (`policylang.tools.codes`): every code the source raises has an entry,
and every example does what its entry says.

Rule examples are checked as a rules folder of their own: copies of the shared declarations
(`schema`, `places`, `sources`) and the example, beside a copy of `examples/`. The shared
files give some findings on their own (facts and definitions of the bundled schema that only
the bundled programs read): those are not the example's. So a bad example must produce its
code and nothing else that its fixed version does not also produce, and the fixed version
must produce no error and no warning the shared files do not give on their own.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

import policylang
from policylang.tools.codes import CODES, Code, explain_code, write_code_pages
from policylang.tools.coverage import uncovered_clauses
from policylang.core.diagnostics import PolicyError
from policylang.tools.examples import run_examples

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "policylang"
SHARED = ("schema.policy", "places.policy", "sources.policy")
# Lints announced in the catalogue before the checker reports them.
ANNOUNCED = {f"PL06{i}" for i in range(9)}


def raised_codes() -> set[str]:
    """Every `"PLnnn"` written in the package's source, except the catalogue itself."""
    found = set()
    for path in SOURCE.rglob("*.py"):
        if path.name != "codes.py":
            found |= set(re.findall(r'"(PL\d{3})"', path.read_text(encoding="utf-8")))
    return found


RAISED = raised_codes()


def not_in_source(code: str):
    return pytest.mark.skipif(code not in RAISED, reason=f"{code} is not reported by the source yet")


def cases(codes, *, skip_unraised: bool = False):
    return [pytest.param(entry, id=entry.code,
                         marks=not_in_source(entry.code) if skip_unraised else ())
            for entry in codes]


RULE_CODES = [c for c in CODES.values()
              if c.group == "rules" and c.fence == "policy" and c.code != "PL050"]
FACTS_CODES = [c for c in CODES.values() if c.group == "facts"]
RUNTIME_CODES = [c for c in CODES.values() if c.group == "run-time" and c.facts]
POLICY_EXAMPLES = [c for c in CODES.values() if c.fence == "policy"]


# ---------------------------------------------------------------- helpers
def rules_folder(base: Path, text: str | None, entry: Code | None = None) -> Path:
    """`base/rules` with the shared declarations, the example and its household files."""
    rules = base / "rules"
    rules.mkdir(parents=True)
    for name in SHARED:
        shutil.copyfile(ROOT / "rules" / name, rules / name)
    if not (base / "examples").exists():
        shutil.copytree(ROOT / "examples", base / "examples")
    if text is not None:
        (rules / "example.policy").write_text(text, encoding="utf-8")
    if entry is not None and entry.facts:
        (rules / "household.json").write_text(entry.facts, encoding="utf-8")
    if entry is not None and entry.previous:
        (rules / "before.json").write_text(entry.previous, encoding="utf-8")
    return rules


def findings(rules: Path):
    """The rule set (None when it has errors) and every diagnostic of checking it: errors,
    warnings and notes, with the lints whether or not `load` runs them yet."""
    try:
        ruleset = policylang.load(rules)
    except PolicyError as error:
        return None, list(error.diagnostics)
    found = list(ruleset.rules.warnings)
    try:
        from policylang.check.lint import lint
    except ImportError:
        return ruleset, found
    seen = {key(d) for d in found}
    return ruleset, found + [d for d in lint(ruleset.rules) if key(d) not in seen]


def key(diagnostic) -> tuple:
    """A diagnostic without its folder and line: the same finding in two folders compares equal."""
    file = Path(diagnostic.span.file).name if diagnostic.span else diagnostic.file
    return diagnostic.code, file, diagnostic.message


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> set[tuple]:
    """What the shared declarations give on their own."""
    ruleset, found = findings(rules_folder(tmp_path_factory.mktemp("shared"), None))
    assert ruleset is not None, [d.message for d in found]
    return {key(d) for d in found}


def assert_clean(rules: Path, baseline: set[tuple]):
    ruleset, found = findings(rules)
    assert ruleset is not None, [f"{d.code}: {d.message}" for d in found]
    added = [d for d in found if key(d) not in baseline and d.severity != "note"]
    assert not added, [f"{d.code}: {d.message}" for d in added]
    return ruleset, found


# ---------------------------------------------------------------- the table
def test_every_code_raised_in_the_source_has_an_entry():
    assert RAISED, "no codes found in the source"
    assert RAISED - set(CODES) == set()


def test_every_entry_is_raised_by_the_source_or_announced():
    assert set(CODES) - RAISED <= ANNOUNCED


def test_entries_are_complete():
    for code, entry in CODES.items():
        assert entry.code == code and re.fullmatch(r"PL[012]\d\d", code)
        assert entry.severity in ("error", "warning", "note"), code
        for field in ("title", "meaning", "bad_example", "fix", "fixed_example"):
            assert getattr(entry, field).strip(), (code, field)
        assert entry.bad_example != entry.fixed_example, code
    assert list(CODES) == sorted(CODES)


# ---------------------------------------------------------------- rule codes
@pytest.mark.parametrize("entry", cases(RULE_CODES, skip_unraised=True))
def test_the_bad_rules_give_exactly_their_code(entry, tmp_path, baseline):
    _, fixed = findings(rules_folder(tmp_path / "fixed", entry.fixed_example))
    ruleset, bad = findings(rules_folder(tmp_path / "bad", entry.bad_example))
    if ruleset is None:  # errors: reported alone
        assert {d.code for d in bad} == {entry.code}, [f"{d.code}: {d.message}" for d in bad]
    else:
        fixed_keys = {key(d) for d in fixed}
        added = [d for d in bad if key(d) not in fixed_keys]
        assert {d.code for d in added} == {entry.code}, [f"{d.code}: {d.message}" for d in added]
    assert {d.severity for d in bad if d.code == entry.code} == {entry.severity}


@pytest.mark.parametrize("entry", cases(RULE_CODES, skip_unraised=True))
def test_the_fixed_rules_check_clean(entry, tmp_path, baseline):
    assert_clean(rules_folder(tmp_path, entry.fixed_example), baseline)


@pytest.mark.parametrize("entry", cases(c for c in POLICY_EXAMPLES if c.code != "PL205"))
def test_the_examples_written_in_the_fixed_rules_pass(entry, tmp_path):
    ruleset = policylang.load(rules_folder(tmp_path, entry.fixed_example, entry))
    results = run_examples(ruleset)
    assert results
    assert [f for r in results for f in r.failures] == []


def test_pl050_an_untested_clause_is_reported_by_the_examples_run(tmp_path, baseline):
    entry = CODES["PL050"]
    for name, text, expected in (("bad", entry.bad_example, {"PL050"}),
                                 ("fixed", entry.fixed_example, set())):
        ruleset, _ = assert_clean(rules_folder(tmp_path / name, text), baseline)
        results = run_examples(ruleset)
        assert all(r.passed for r in results)
        assert {d.code for d in uncovered_clauses(ruleset.rules, results)} == expected, name


def test_pl006_a_folder_without_rules_or_a_missing_one(tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    for path in (tmp_path / "examples", tmp_path / "rule"):
        with pytest.raises(PolicyError) as caught:
            policylang.load(path)
        assert [d.code for d in caught.value.diagnostics] == ["PL006"]
    assert "$ policylang check examples\n" in CODES["PL006"].bad_example


# ---------------------------------------------------------------- facts codes
@pytest.fixture(scope="module")
def shared_rules(tmp_path_factory) -> policylang.RuleSet:
    return policylang.load(rules_folder(tmp_path_factory.mktemp("schema"), None))


@pytest.mark.parametrize("entry", cases(FACTS_CODES))
def test_the_bad_household_gives_exactly_its_code(entry, tmp_path, shared_rules):
    bad, fixed = tmp_path / "bad.json", tmp_path / "fixed.json"
    bad.write_text(entry.bad_example, encoding="utf-8")
    fixed.write_text(entry.fixed_example, encoding="utf-8")
    errors = [e for h in policylang.read_facts(bad, shared_rules) for e in h.errors]
    assert {e.code for e in errors} == {entry.code}, [e.message for e in errors]
    assert [e.message for h in policylang.read_facts(fixed, shared_rules) for e in h.errors] == []


# ---------------------------------------------------------------- run-time codes
def evaluation_errors(entry: Code, rules: Path) -> list:
    ruleset = policylang.load(rules)
    households = policylang.read_facts(rules / "household.json", ruleset)
    previous = policylang.read_facts(rules / "before.json", ruleset) if entry.previous else None
    decided = ruleset.evaluate(households, dt.date.fromisoformat(entry.date), previous=previous)
    return [e for household in decided for e in household.errors]


@pytest.mark.parametrize("entry", [
    pytest.param(c, id=c.code, marks=not_in_source("PL061") if c.code == "PL204" else ())
    for c in RUNTIME_CODES])
def test_the_bad_rules_fail_at_run_time_with_exactly_their_code(entry, tmp_path, baseline):
    errors = evaluation_errors(entry, rules_folder(tmp_path / "bad", entry.bad_example, entry))
    assert {e.code for e in errors} == {entry.code}, [e.message for e in errors]
    fixed = rules_folder(tmp_path / "fixed", entry.fixed_example, entry)
    assert_clean(fixed, baseline)
    assert [e.message for e in evaluation_errors(entry, fixed)] == []


def test_pl205_is_rejected_by_the_checker_first(tmp_path, baseline):
    entry = CODES["PL205"]
    ruleset, found = findings(rules_folder(tmp_path / "bad", entry.bad_example))
    assert ruleset is None and {d.code for d in found} == {"PL040"}
    assert_clean(rules_folder(tmp_path / "fixed", entry.fixed_example), baseline)
    assert "PL040" in entry.note


# ---------------------------------------------------------------- explain_code
def test_explain_code_gives_the_title_the_example_and_the_fix():
    text = explain_code("PL010")
    entry = CODES["PL010"]
    assert text.startswith(f"PL010: {entry.title} (error)")
    assert entry.bad_example.rstrip() in text
    assert entry.fixed_example.rstrip() in text
    assert "did you mean" in text  # from the meaning: the hint suggests the closest name
    assert explain_code("pl010") == text


def test_explain_code_of_a_run_time_code_shows_the_household():
    text = explain_code("PL203")
    assert CODES["PL203"].facts.rstrip() in text and CODES["PL203"].previous.rstrip() in text


def test_an_unknown_code_is_a_key_error_with_a_suggestion():
    with pytest.raises(KeyError, match=r"did you mean `PL012`\?"):
        explain_code("PL-012")
    with pytest.raises(KeyError, match="unknown diagnostic code `XYZ`"):
        explain_code("XYZ")


# ---------------------------------------------------------------- Markdown pages
def test_write_code_pages_writes_a_page_per_code_and_an_index(tmp_path):
    written = write_code_pages(tmp_path / "codes")
    assert sorted(p.name for p in written) == sorted([f"{c}.md" for c in CODES] + ["index.md"])
    index = (tmp_path / "codes" / "index.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)]+)\)", index)
    assert sorted(links) == sorted(f"{c}.md" for c in CODES)
    assert all((tmp_path / "codes" / link).is_file() for link in links)
    for code, entry in CODES.items():
        page = (tmp_path / "codes" / f"{code}.md").read_text(encoding="utf-8")
        assert page.startswith(f"# {code}: ")
        assert f"```{entry.fence}\n{entry.bad_example.rstrip()}\n```" in page
        assert f"```{entry.fence}\n{entry.fixed_example.rstrip()}\n```" in page
        assert f"| [{code}]({code}.md) | {entry.severity} |" in index
    assert "```json" in (tmp_path / "codes" / "PL104.md").read_text(encoding="utf-8")
    assert "```policy" in (tmp_path / "codes" / "PL012.md").read_text(encoding="utf-8")


def test_the_published_pages_are_current(tmp_path):
    """docs/codes is what write_code_pages writes; regenerate it after changing codes.py."""
    write_code_pages(tmp_path)
    published = ROOT / "docs" / "codes"
    generated = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.md")}
    current = {p.name: p.read_text(encoding="utf-8") for p in published.glob("*.md")}
    assert current == generated, ("docs/codes is stale: run python -c 'from pathlib import Path; "
                                  "from policylang.tools.codes import write_code_pages; "
                                  "write_code_pages(Path(\"docs/codes\"))'")
