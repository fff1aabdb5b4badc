"""What the batch engine cannot compile is found when the rules are checked (PL070), and
`screen` stops on it before reading a table; the interpreter still screens such rules."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys

import pytest

import policylang
from policylang.batch.capabilities import batch_problems
from policylang.core.diagnostics import PolicyError
from policylang.tools.codes import CODES
from policylang.tools.synth import generate, write

from conftest import EXAMPLES, RULES

DATE = dt.date(2023, 8, 1)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The bundled rules plus a member program the batch engine cannot compile."""
    base = tmp_path_factory.mktemp("capabilities")
    shutil.copytree(RULES, base / "rules")
    shutil.copytree(EXAMPLES, base / "examples")
    (base / "rules" / "company.policy").write_text(CODES["PL070"].bad_example, encoding="utf-8")
    write(generate(60, seed=3), base / "tables", "parquet")
    return base


def cli(folder, *args):
    env = {k: v for k, v in os.environ.items() if k != "POLICYLANG_DEBUG"}
    return subprocess.run([sys.executable, "-m", "policylang.cli", *args], cwd=folder,
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


def test_the_bundled_rules_are_all_screenable():
    assert batch_problems(policylang.load(RULES).rules, DATE) == []


def test_the_construct_is_a_warning_with_its_place(folder):
    (problem,) = batch_problems(policylang.load(folder / "rules").rules, DATE)
    assert problem.code == "PL070" and problem.severity == "warning"
    assert problem.span.file.endswith("company.policy") and problem.span.line == 4
    assert "elder_company" in problem.message and "--engine interpreter" in problem.hint
    done = cli(folder, "check", "--strict", "rules")
    assert done.returncode == 1 and "error[PL070]" in done.stderr and "^" in done.stderr


def test_screen_stops_before_reading_a_table(folder):
    tables = folder / "tables"
    done = cli(folder, "screen", "rules", "--households", str(tables / "households.parquet"),
               "--members", str(tables / "members.parquet"), "--date", "2023-08-01",
               "-o", "out.parquet")
    assert done.returncode == 1, done.stderr
    assert "warning[PL070]" in done.stderr and "company.policy:4:1" in done.stderr
    assert "screening" not in done.stderr and not (folder / "out.parquet").exists()
    assert "Traceback" not in done.stderr


def test_the_interpreter_screens_them(folder):
    tables = folder / "tables"
    done = cli(folder, "screen", "rules", "--households", str(tables / "households.parquet"),
               "--members", str(tables / "members.parquet"), "--date", "2023-08-01",
               "--engine", "interpreter", "-o", "by-interpreter.parquet")
    assert done.returncode == 0, done.stderr
    assert (folder / "by-interpreter.parquet").exists()


def test_ruleset_screen_refuses_them_too(folder):
    ruleset = policylang.load(folder / "rules")
    tables = folder / "tables"
    with pytest.raises(PolicyError, match="cannot be screened by the batch engine"):
        ruleset.screen(tables / "households.parquet", tables / "members.parquet", date=DATE)
