"""The `policylang` command: exit codes (0 ok, 1 errors in rules or facts, 2 usage, 3 a bug)
and what each subcommand prints. Run in-process through `policylang.cli.main.main`, the
console-script entry point, with one real subprocess to be sure."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import policylang.cli.main
from conftest import EXAMPLES, ROOT, RULES, example_household

KUNMING = str(EXAMPLES / "kunming-edge-family.json")
CHANGZHOU = str(EXAMPLES / "changzhou-dibao.json")


def write_json(tmp_path, name, data) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False),
                    encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------- eval
def test_eval_ok(run):
    code, out, err = run("eval", str(RULES), CHANGZHOU, "--date", "2023-08-01")
    assert code == 0, err
    data = json.loads(out)
    assert data["schema"] == "policylang.decisions/1"
    assert data["date"] == "2023-08-01"
    assert data["rules"]["digest"].startswith("sha256:")
    (household,) = data["households"]
    assert household["household"] == "changzhou-dibao" and household["errors"] == []
    dibao = next(d for d in household["decisions"]
                 if d["program"] == "dibao" and d["subject"]["kind"] == "household")
    assert dibao["outcome"] == "eligible"
    assert dibao["amount"] == {"value": "600.00", "unit": "CNY", "per": "month"}
    assert dibao["rule"]["id"] == "dibao"


def test_eval_text_format(run):
    code, out, _ = run("eval", str(RULES), KUNMING, "--date", "2023-08-01", "--format", "text")
    assert code == 0
    assert out.splitlines()[0] == "kunming-edge-family"
    assert any("p2" in line and "eligible 800.00 CNY/month by single_person" in line
               for line in out.splitlines())


def test_eval_bad_facts_exit_1_and_name_the_path(run, tmp_path):
    text = json.dumps(example_household("changzhou-dibao")).replace(
        '"monthly_income": "1800.00"', '"monthly_income": 1800.5')
    code, out, err = run("eval", str(RULES), write_json(tmp_path, "bad.json", text), "--date", "2023-08-01")
    assert code == 1
    assert "Traceback" not in out + err
    (household,) = json.loads(out)["households"]
    assert household["decisions"] == []
    (error,) = household["errors"]
    assert error["path"] == "members[0].monthly_income"
    assert "floating-point" in error["message"]


def test_eval_bad_facts_in_text_format(run, tmp_path):
    text = json.dumps(example_household("changzhou-dibao")).replace(
        '"monthly_income": "1800.00"', '"monthly_income": 1800.5')
    code, out, _ = run("eval", str(RULES), write_json(tmp_path, "bad.json", text),
                       "--date", "2023-08-01", "--format", "text")
    assert code == 1
    assert "error at members[0].monthly_income" in out


def test_eval_one_bad_household_does_not_stop_the_others(run, tmp_path):
    good, bad = example_household("donghai-orphan"), example_household("changzhou-dibao")
    bad["members"][1]["birth_date"] = "2023-02-30"
    code, out, _ = run("eval", str(RULES), write_json(tmp_path, "two.json", [good, bad]),
                       "--date", "2023-08-01")
    assert code == 1
    first, second = json.loads(out)["households"]
    assert first["decisions"] and not first["errors"]
    assert [e["path"] for e in second["errors"]] == ["[1].members[1].birth_date"]


def test_eval_unreadable_json_exit_1(run, tmp_path):
    code, out, err = run("eval", str(RULES), write_json(tmp_path, "x.json", "{nope"),
                         "--date", "2023-08-01")
    assert code == 1 and "Traceback" not in out + err
    assert json.loads(out)["households"][0]["errors"][0]["code"] == "PL101"


@pytest.mark.parametrize("date", ["2023-02-30", "yesterday", "2023/08/01", ""])
def test_bad_date_is_a_usage_error(run, date):
    code, out, err = run("eval", str(RULES), CHANGZHOU, "--date", date)
    assert code == 2
    assert "--date" in err and "YYYY-MM-DD" in err
    assert "Traceback" not in out + err


def test_missing_date_is_a_usage_error(run):
    code, _, err = run("eval", str(RULES), CHANGZHOU)
    assert code == 2 and "--date" in err


def test_missing_facts_file_is_a_usage_error(run, tmp_path):
    code, _, err = run("eval", str(RULES), str(tmp_path / "none.json"), "--date", "2023-08-01")
    assert code == 2 and "none.json" in err


def test_bad_rules_exit_1_with_diagnostics(run, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    for name in ("schema.policy", "places.policy", "sources.policy"):
        (rules / name).write_text((RULES / name).read_text(encoding="utf-8"), encoding="utf-8")
    (rules / "bad.policy").write_text('program p "x"\n cite illustrative "y"\n'
                                      ' condition c: montly_income < 1\nend\n', encoding="utf-8")
    code, out, err = run("eval", str(rules), CHANGZHOU, "--date", "2023-08-01")
    assert code == 1
    assert "bad.policy:3:15: error[PL010]" in err
    assert "Traceback" not in out + err


# ---------------------------------------------------------------- check, test, schema
def test_check_ok(run):
    code, out, _ = run("check", str(RULES))
    assert code == 0 and out.startswith("ok: ")


def test_check_json_format(run):
    code, out, _ = run("check", str(RULES), "--format", "json")
    assert code == 0
    assert json.loads(out)["schema"] == "policylang.diagnostics/1"


def test_the_rules_examples_pass(run):
    code, out, _ = run("test", str(RULES))
    assert code == 0, out
    assert out.rstrip().splitlines()[-1].endswith(", 0 failed")


def test_schema_prints_json_schema(run):
    code, out, _ = run("schema", str(RULES))
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert schema["required"] == ["id"]
    assert {"jurisdiction", "assets", "members", "events"} <= set(schema["properties"])
    member = schema["$defs"]["member"]
    assert {"monthly_income", "birth_date", "deceased_on"} <= set(member["properties"])
    grade = member["properties"]["disability_grade"]["anyOf"][0]
    assert (grade["minimum"], grade["maximum"]) == (0, 4)


def test_schema_to_a_file(run, tmp_path):
    target = tmp_path / "facts.schema.json"
    code, out, _ = run("schema", str(RULES), "-o", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["$id"] == "policylang.facts/1"


def test_version(run):
    code, out, _ = run("--version")
    assert code == 0 and policylang.__version__ in out


# ---------------------------------------------------------------- explain
def test_explain_the_single_person_decision(run):
    code, out, _ = run("explain", str(RULES), KUNMING, "--date", "2023-08-01",
                       "--subject", "p2", "--program", "dibao")
    assert code == 0
    assert "Minimum living guarantee — p2 (spouse): ELIGIBLE — 800.00 yuan per month" in out
    assert "The exception “covered as a single-person household” applies and decides." in out
    assert "Exception: covered as a single-person household — applies" in out
    assert "= 800.00 − 0.00 = 800.00 yuan per month" in out
    assert "p1" not in out and "household kunming" not in out.replace("Household kunming", "")


def test_explain_everything(run):
    code, out, _ = run("explain", str(RULES), KUNMING, "--date", "2023-08-01")
    assert code == 0
    assert "Near-poor household (dibao edge) — household kunming-edge-family: ELIGIBLE" in out
    assert "p1 (head)" in out


def test_explain_unknown_program_is_a_usage_error(run):
    code, _, err = run("explain", str(RULES), KUNMING, "--date", "2023-08-01", "--program", "dibaoo")
    assert code == 2 and "no program `dibaoo`" in err


# ---------------------------------------------------------------- the last line of defence
def test_an_internal_error_prints_one_line_and_no_traceback(run, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(policylang.cli.main, "load", broken)
    code, out, err = run("check", str(RULES))
    assert code == 3
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "internal error (RuntimeError: boom)" in lines[0] and "bug" in lines[0]


def test_an_internal_error_in_eval(run, monkeypatch):
    def broken(self, *args, **kwargs):
        raise KeyError("oops")

    monkeypatch.setattr(policylang.RuleSet, "evaluate", broken)
    code, _, err = run("eval", str(RULES), CHANGZHOU, "--date", "2023-08-01")
    assert code == 3 and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_debug_shows_the_traceback(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(policylang.cli.main, "load", broken)
    monkeypatch.setenv("POLICYLANG_DEBUG", "1")
    monkeypatch.setattr(sys, "argv", ["policylang", "check", str(RULES)])
    with pytest.raises(RuntimeError, match="boom"):
        policylang.cli.main.main()


# ---------------------------------------------------------------- a real process
def test_the_installed_entry_point_in_a_subprocess(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "POLICYLANG_DEBUG"}
    done = subprocess.run(
        [sys.executable, "-m", "policylang.cli", "eval", "rules", "examples/kunming-edge-family.json",
         "--date", "2023-08-01"], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
        env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["schema"] == "policylang.decisions/1"
    p2 = next(d for d in data["households"][0]["decisions"]
              if d["program"] == "dibao" and d["subject"] == {"kind": "member", "id": "p2"})
    assert p2["amount"]["value"] == "800.00"
    bad = subprocess.run(
        [sys.executable, "-m", "policylang.cli", "eval", "rules", "examples/kunming-edge-family.json",
         "--date", "2023-13-01"], cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
        env=env, timeout=60)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_check_quiet_counts_the_notes_without_printing_them(run):
    code, out, err = run("check", "--quiet", "rules")
    assert code == 0 and out.startswith("ok: 15 files")
    assert err.strip() == "0 errors, 0 warnings, 22 notes (not shown)"
    code, _, err = run("check", "rules")
    assert "note[PL068]" in err and err.strip().endswith("22 notes")
