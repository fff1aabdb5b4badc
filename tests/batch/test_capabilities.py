"""What the batch engine cannot compile is found when the rules are loaded (PL070, a
warning), from the checked IR by the same questions the compiler asks; `screen` stops on it
before reading a table, and the interpreter still screens such rules."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import typing

import pytest

import policylang
from policylang import ir
from policylang.batch.capabilities import NOT_VALUES, VALUES, batch_problems
from policylang.batch.columns import UnsupportedRules
from policylang.batch.compile_expressions import Compiler
from policylang.batch.decide import decide_frames
from policylang.batch.frames import HOUSEHOLD_KEY
from policylang.batch.screen import typed_frames
from policylang.batch.tables import tables_from_objects
from policylang.core.diagnostics import PolicyError
from policylang.tools.codes import CODES
from policylang.tools.synth import generate, write

from conftest import EXAMPLES, ROOT, RULES

DATE = dt.date(2023, 8, 1)
SHARED = ("schema.policy", "places.policy", "sources.policy")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The bundled rules plus a member program the batch engine cannot compile (the
    catalogue's bad example of PL070), and tables of a small population."""
    base = tmp_path_factory.mktemp("capabilities")
    shutil.copytree(RULES, base / "rules")
    shutil.copytree(EXAMPLES, base / "examples")
    (base / "rules" / "company.policy").write_text(CODES["PL070"].bad_example, encoding="utf-8")
    write(generate(60, seed=3), base / "tables", "parquet")
    (base / "broken.parquet").write_text("not a table", encoding="utf-8")
    return base


def rules_of(tmp_path, text: str) -> ir.CheckedRules:
    """The shared declarations of the bundled rules and `text`, loaded."""
    rules = tmp_path / "rules"
    rules.mkdir()
    for name in SHARED:
        shutil.copyfile(RULES / name, rules / name)
    (rules / "x.policy").write_text(text, encoding="utf-8")
    return policylang.load(rules).rules


def compiled(rules: ir.CheckedRules, date: dt.date = DATE) -> UnsupportedRules | None:
    """What the compiler itself says: every program compiled over empty typed frames."""
    tables = tables_from_objects(rules.schema, [])
    households = tables.households.with_row_index(HOUSEHOLD_KEY).collect()
    children = {n: f.collect() for n, f in tables.children.items() if f is not None}
    frames = typed_frames(rules.schema, households, children)
    try:
        decide_frames(rules, date, tuple(rules.programs), frames, {e: True for e in frames})
    except UnsupportedRules as error:
        return error
    return None


# ---------------------------------------------------------------- the pass
@pytest.mark.parametrize("book", [RULES, ROOT / "tests" / "rulebooks" / "family"],
                         ids=["rules", "family"])
def test_the_bundled_rule_books_are_all_screenable(book):
    rules = policylang.load(book).rules
    assert [d for d in rules.warnings if d.code == "PL070"] == []
    assert batch_problems(rules, DATE) == [] and compiled(rules) is None


def test_the_construct_is_a_warning_where_it_is_written(folder):
    (problem,) = [d for d in policylang.load(folder / "rules").rules.warnings
                  if d.code == "PL070"]
    assert problem.severity == "warning"
    assert problem.span.file.endswith("company.policy")
    assert (problem.span.line, problem.span.column) == (2, 9)  # `household.members`
    assert problem.message.startswith("`elder_company` cannot be screened by the batch engine")
    assert "--engine interpreter" in problem.hint


def test_check_shows_it_and_strict_fails_on_it(folder, run, monkeypatch):
    monkeypatch.chdir(folder)
    code, out, err = run("check", "rules")
    assert code == 0 and "rules/company.policy:2:9: warning[PL070]" in err and "ok:" in out
    code, out, err = run("check", "--strict", "rules")
    assert code == 1 and "rules/company.policy:2:9: error[PL070]" in err


def test_screen_stops_before_reading_a_table(folder, run, monkeypatch):
    monkeypatch.chdir(folder)
    code, out, err = run("screen", "rules", "--households", "broken.parquet",
                         "--members", "broken.parquet", "--date", "2023-08-01",
                         "-o", "out.parquet")
    assert code == 1, err
    assert "rules/company.policy:2:9: error[PL070]: `elder_company` cannot be screened" in err
    assert "  2 |   count(household.members where birth_date < 1970-01-01)\n" in err
    assert "    |         ^^^^^^^^^^^^^^^^^\n" in err
    assert "= hint: " in err and "--engine interpreter" in err
    assert "cannot process the tables" not in err and "screening" not in err  # never read
    assert not (folder / "out.parquet").exists() and "Traceback" not in err


def test_the_interpreter_screens_them(folder, run, monkeypatch):
    monkeypatch.chdir(folder)
    code, out, err = run("screen", "rules", "--households", "tables/households.parquet",
                         "--members", "tables/members.parquet", "--date", "2023-08-01",
                         "--engine", "interpreter", "-o", "by-interpreter.parquet")
    assert code == 0, err
    assert (folder / "by-interpreter.parquet").exists() and "PL070" not in err


def test_programs_that_do_not_need_it_are_screened_by_the_batch_engine(folder, run,
                                                                      monkeypatch):
    monkeypatch.chdir(folder)
    code, out, err = run("screen", "rules", "--households", "tables/households.parquet",
                         "--members", "tables/members.parquet", "--date", "2023-08-01",
                         "--program", "dibao", "-o", "dibao.parquet")
    assert code == 0, err
    assert (folder / "dibao.parquet").exists()


def test_ruleset_screen_refuses_them_too(folder):
    ruleset = policylang.load(folder / "rules")
    tables = folder / "tables"
    with pytest.raises(PolicyError, match="cannot be screened by the batch engine"):
        ruleset.screen(tables / "households.parquet", tables / "members.parquet", date=DATE)


def test_a_program_not_in_force_on_the_date_does_not_stop_screen(tmp_path):
    text = CODES["PL070"].bad_example.replace("applies in national",
                                              "applies in national from 2030-01-01")
    rules = rules_of(tmp_path, text.split("\nexample ")[0])
    assert [d.code for d in rules.warnings if d.code == "PL070"] == ["PL070"]  # at load
    assert batch_problems(rules, DATE) == [] and compiled(rules) is None  # on the date
    assert len(batch_problems(rules, dt.date(2030, 1, 1))) == 1


def test_loading_rules_does_not_import_polars():
    """The pass asks the IR, it compiles nothing: loading stays as fast as it was."""
    done = subprocess.run(
        [sys.executable, "-c", "import sys, policylang; policylang.load('rules'); "
                               "print('polars' in sys.modules)"],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


# ---------------------------------------------------------------- the pass and the compiler
PROGRAM = '''program p "p" / "p"
  subject member
  applies in national
  cite illustrative "an example"
  condition c "c": {test}
  amount 50 yuan rounded half_up to 0.01
end
'''
GRACE = '''parameter grace "宽限期" : months
  national = 3 cite illustrative "an example"
end
'''
CONSTRUCTS = {
    "a list per member, in a definition": (
        "definition older of member = count(household.members where birth_date < 1970-01-01)\n"
        + PROGRAM.format(test="older >= 2"), (1, 36)),
    "a list per member, in a condition": (
        PROGRAM.format(test="count(household.members where birth_date < 1970-01-01) >= 2"),
        (5, 26)),
    "a list definition of a member": (
        "definition mates of member = household.members\n"
        + PROGRAM.format(test="count(mates) >= 2"), (1, 30)),
    "a duration from a parameter": (
        GRACE + PROGRAM.format(test="birth_date < evaluation_date - grace"), (8, 33)),
    "`in` a set definition": (
        "definition grades of member = {1, 2}\n"
        + PROGRAM.format(test="disability_grade in grades"), (6, 20)),
    "a set as a report's value": (
        PROGRAM.format(test="true").replace(
            "end\n", "  report kinds = if disability_grade > 3 then {1} else {2}\nend\n"),
        (7, 47)),
    "the household's whole list, per member": (
        PROGRAM.format(test="count(household.members) >= 2"), None),
    "a duration written as a number": (
        PROGRAM.format(test="birth_date < evaluation_date - 3 months"), None),
    "`in` a set written out": (PROGRAM.format(test="disability_grade in {1, 2}"), None),
}


@pytest.mark.parametrize("name", CONSTRUCTS)
def test_the_pass_finds_what_the_compiler_refuses(name, tmp_path):
    text, where = CONSTRUCTS[name]
    rules = rules_of(tmp_path, text)
    found = batch_problems(rules, DATE)
    refused = compiled(rules)
    if where is None:
        assert found == [] and refused is None
        return
    assert refused is not None and (refused.span.line, refused.span.column) == where
    assert [(d.span, d.message) for d in found][0] == (
        refused.span, f"`p` cannot be screened by the batch engine: {refused.message}")
    assert [d.code for d in rules.warnings if d.code == "PL070"] == ["PL070"] * len(found)


def test_a_list_of_a_list_is_refused_where_it_is_read(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "jobs.policy").write_text('''jurisdiction national "全国"
entity household "家庭"
  key id : text
  fact jurisdiction "行政区划" : place
  has members "成员" : list of member
end
entity member "成员"
  key id : text
  has jobs "工作" : list of job
end
entity job "工作"
  fact pay "工资" : money
end
program p "p"
  subject member
  cite illustrative "an example"
  condition c "c": count(jobs) >= 1
end
''', encoding="utf-8")
    rules = policylang.load(tmp_path / "rules").rules
    (problem,) = batch_problems(rules)
    refused = compiled(rules)
    assert problem.span == refused.span and refused.message in problem.message
    assert "`jobs` is a list of each member" in problem.message


def test_one_table_says_which_expressions_compile():
    """Every kind of IR expression is either compiled (a `Compiler` method) or refused."""
    kinds = set(typing.get_args(ir.Expr))
    assert kinds == set(VALUES) | set(NOT_VALUES)
    assert all(hasattr(Compiler, "_" + kind.__name__.lower()) for kind in VALUES)
    assert not any(hasattr(Compiler, "_" + kind.__name__.lower()) for kind in NOT_VALUES)
