"""The driver runs `pipeline.PASSES`, in order, and nothing else; it stops after the pass
that found errors, with every error of that pass; warnings accumulate in the rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import policylang
from policylang import pipeline
from policylang.check import check
from policylang.core.diagnostics import PolicyError

from conftest import RULES

SHARED = ("schema.policy", "places.policy", "sources.policy")


def folder(tmp_path: Path, **files: str) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    for name in SHARED:
        shutil.copyfile(RULES / name, rules / name)
    for name, text in files.items():
        (rules / f"{name}.policy").write_text(text, encoding="utf-8")
    return rules


def test_the_passes_in_order():
    assert [name for name, _ in pipeline.PASSES] == ["read", "parse", "check", "lint", "batch",
                                                   "examples"]


def test_compile_paths_runs_the_passes_and_only_them(monkeypatch):
    ran = []

    def traced(name, run):
        def step(value):
            ran.append(name)
            return run(value)
        return name, step

    monkeypatch.setattr(pipeline, "PASSES", tuple(traced(*p) for p in pipeline.PASSES))
    rules, sources = pipeline.compile_paths([RULES])
    assert ran == ["read", "parse", "check", "lint", "batch", "examples"]
    assert len(sources) == len(list(RULES.glob("*.policy"))) and rules.programs


def test_a_pass_added_to_the_tuple_runs(monkeypatch):
    programs = len(policylang.load(RULES).rules.programs)
    seen = []
    monkeypatch.setattr(pipeline, "PASSES", pipeline.PASSES + (
        ("spy", lambda rules: seen.append(len(rules.programs)) or rules),))
    pipeline.compile_paths([RULES])
    assert seen == [programs]


def test_every_files_syntax_errors_and_the_errors_that_do_not_depend_on_them(tmp_path):
    rules = folder(tmp_path, a="program a (\n", b="definition x of member = = 1\n",
                   c="definition y of member = no_such_name\n",
                   d="definition z of member = x + 1\n")  # x is declared in the broken b
    with pytest.raises(PolicyError) as caught:
        pipeline.compile_paths([rules])
    found = {(Path(d.span.file).name, d.code) for d in caught.value.diagnostics}
    assert {name for name, _ in found} == {"a.policy", "b.policy", "c.policy"}
    assert ("c.policy", "PL010") in found  # d.policy's `x` may come from b: not reported
    assert all(d.is_error for d in caught.value.diagnostics)


def test_every_check_error_at_once(tmp_path):
    rules = folder(tmp_path, c="definition y of member = no_such_name\n"
                               "definition z of member = birth_date + 1\n")
    with pytest.raises(PolicyError) as caught:
        policylang.load(rules)
    assert [d.span.line for d in caught.value.diagnostics] == [1, 2]


def test_missing_paths_stop_before_parsing(tmp_path):
    with pytest.raises(PolicyError) as caught:
        pipeline.compile_paths([tmp_path / "nowhere", tmp_path / "neither"])
    assert [d.code for d in caught.value.diagnostics] == ["PL006", "PL006"]


def test_warnings_of_check_lint_and_batch_accumulate_sorted(tmp_path):
    text = Path(__file__).parents[1] / "golden" / "lints" / "PL070-list-per-member.policy"
    rules = policylang.load(folder(tmp_path, company=text.read_text(encoding="utf-8"))).rules
    codes = {d.code for d in rules.warnings}
    assert {"PL070", "PL067", "PL066"} <= codes  # batch, and lints of two kinds
    assert list(rules.warnings) == sorted(rules.warnings, key=lambda d: d.sort_key())
    assert not any(d.is_error for d in rules.warnings)


def test_check_has_one_entry():
    import policylang.check.declarations as declarations
    assert not hasattr(declarations, "check")
    assert check.__module__ == "policylang.check"
    assert check.__doc__ and "the steps above" in check.__doc__


def test_check_warns_of_an_example_facts_file_it_cannot_find(tmp_path):
    """A misspelt `facts "…"` file was found only when `policylang test` ran the example."""
    family = Path(__file__).resolve().parents[1] / "rulebooks" / "family"
    shutil.copytree(family, tmp_path / "family")
    book = tmp_path / "family" / "persons.policy"
    book.write_text(book.read_text(encoding="utf-8").replace(
        'facts "harbor-family.json"', 'facts "harbour-family.json"'), encoding="utf-8")
    found = [d for d in policylang.load(tmp_path / "family").rules.warnings if d.code == "PL069"]
    assert [(d.severity, d.message, d.hint) for d in found] == [(
        "warning", "the example's facts file `harbour-family.json` does not exist",
        "did you mean `harbor-family.json`?")]
