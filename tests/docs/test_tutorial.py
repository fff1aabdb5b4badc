"""The tutorial's files are tested files: each step's rules check and pass their examples
with full clause coverage, and every output the tutorial shows is what the command prints
now (POLICYLANG_REGEN=1 rewrites them; read the diff). The pages include these files, so a
code block cannot drift from what runs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

TUTORIAL = ROOT / "docs" / "tutorial"
REGENERATE = os.environ.get("POLICYLANG_REGEN") == "1"
OUTPUTS = {
    "step1/test.txt": ["test", "--strict", "step1"],
    "step1/explain.en.txt": ["explain", "step1", "step1/household.json", "--date", "2023-08-01",
                             "--program", "dibao", "--subject", "p2"],
    "step1/explain.zh.txt": ["explain", "step1", "step1/household.json", "--date", "2023-08-01",
                             "--program", "dibao", "--subject", "p2", "--lang", "zh"],
    "step2/test.txt": ["test", "--strict", "step2"],
    "step2/eval-2021-12-31.txt": ["eval", "step2", "step2/child.json", "--date", "2021-12-31",
                                  "--format", "text"],
    "step2/eval-2022-06-01.txt": ["eval", "step2", "step2/child.json", "--date", "2022-06-01",
                                  "--format", "text"],
    "step2/explain-2021-12-31.zh.txt": ["explain", "step2", "step2/child.json", "--date",
                                        "2021-12-31", "--lang", "zh"],
}


def policylang(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policylang.cli", *args], cwd=TUTORIAL,
                          capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})


@pytest.mark.parametrize("step", ["step1", "step2"])
def test_each_step_checks_and_passes_its_examples(step):
    checked = policylang("check", "--strict", "-q", step)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = policylang("test", "--strict", step)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "0 failed" in tested.stdout and "0 clauses not exercised" in tested.stdout
    formatted = policylang("fmt", "--check", step)
    assert formatted.returncode == 0, formatted.stdout


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_the_outputs_the_tutorial_shows_are_current(name):
    printed = policylang(*OUTPUTS[name]).stdout
    recorded = TUTORIAL / name
    if REGENERATE:
        recorded.write_text(printed, encoding="utf-8")
    assert printed == recorded.read_text(encoding="utf-8")


@pytest.mark.parametrize("page", ["tutorial.md", "zh/tutorial.md"])
def test_the_pages_include_the_files_rather_than_copy_them(page):
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    included = {line.split('"')[1] for line in text.splitlines() if line.startswith('--8<-- "')}
    assert {f"tutorial/{n}" for n in OUTPUTS} <= included
    assert {"tutorial/step1/rules.policy", "tutorial/step2/rules.policy"} <= included
    assert all((ROOT / "docs" / path).is_file() for path in included)
