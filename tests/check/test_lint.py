"""Golden tests for every lint: a small rule file per code and the report it must give.

`POLICYLANG_REGEN=1` rewrites the expected files; review their diff.
"""

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import policylang
from policylang.cli.main import cli
from policylang.core.diagnostic_formats import render_all_text

GOLDEN = Path(__file__).parents[1] / "golden" / "lints"
CASES = sorted(p.stem for p in GOLDEN.glob("*.policy"))


def load_case(tmp_path, name):
    folder = tmp_path / "rules"
    folder.mkdir()
    source = GOLDEN / f"{name}.policy"
    if "# standalone" not in source.read_text(encoding="utf-8"):
        for shared in ("schema", "places", "sources"):
            shutil.copy(f"rules/{shared}.policy", folder)
    shutil.copy(source, folder)
    cwd = os.getcwd()
    os.chdir(tmp_path)  # so the report names `rules/…`, wherever the test runs
    try:
        return policylang.load("rules")
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("name", CASES)
def test_each_lint(tmp_path, name):
    code = name.split("-")[0]
    ruleset = load_case(tmp_path, name)
    findings = [d for d in ruleset.rules.warnings
                if d.code == code and d.span.file.endswith(f"{name}.policy")]
    assert findings, f"{code} was not reported"
    texts = {path: text for path, text in ruleset.texts.items()}
    rendered = render_all_text(findings, texts)
    expected = GOLDEN / f"{name}.expected"
    if os.environ.get("POLICYLANG_REGEN"):
        expected.write_text(rendered + "\n", encoding="utf-8")
    assert rendered + "\n" == expected.read_text(encoding="utf-8")


def test_the_bundled_rules_pass_strict():
    run = CliRunner().invoke(cli, ["check", "--strict", "rules"])
    assert run.exit_code == 0, run.output
    codes = {d.code for d in policylang.load("rules").rules.warnings}
    assert codes <= {"PL068"}  # only the list of illustrative values, as notes


def test_strict_turns_warnings_into_errors(tmp_path):
    load_case(tmp_path, "PL067-no-examples")
    run = CliRunner().invoke(cli, ["check", "--strict", str(tmp_path / "rules")])
    assert run.exit_code == 1
    run = CliRunner().invoke(cli, ["check", str(tmp_path / "rules")])
    assert run.exit_code == 0


def test_sarif_and_json_output(tmp_path):
    import json
    load_case(tmp_path, "PL064-unused-parameter")
    sarif = json.loads(CliRunner().invoke(cli, ["check", "--format", "sarif", str(tmp_path / "rules")]).output)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    unused = [r for r in results if r["ruleId"] == "PL064"]
    assert unused and unused[0]["level"] == "warning"
    assert unused[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    data = json.loads(CliRunner().invoke(cli, ["check", "--format", "json", str(tmp_path / "rules")]).output)
    assert any(d["code"] == "PL064" for d in data["diagnostics"])


def test_provably_disjoint_exceptions_need_no_priority(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    for shared in ("schema", "places", "sources"):
        shutil.copy(f"rules/{shared}.policy", folder)
    (folder / "x.policy").write_text('''
program care "护理"
  subject member
  cite illustrative "x"
  condition old: age >= 80
  amount 30 yuan rounded half_up to 0.01
  exception young "y"
    cite illustrative "x"
    condition y: age < 18
    amount 10 yuan rounded half_up to 0.01
  end
  exception very_old "o"
    cite illustrative "x"
    condition o: age >= 100
    amount 50 yuan rounded half_up to 0.01
  end
end
''', encoding="utf-8")
    codes = {d.code for d in policylang.load(folder).rules.warnings}
    assert not codes & {"PL041", "PL061"}
