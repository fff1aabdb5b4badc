"""Golden diagnostics: each `tests/golden/diagnostics/<name>.policy` holds one kind of mistake.

Every case is checked as a rules folder of its own: copies of the shared declarations
(`schema`, `places`, `sources`) plus the one bad file, loaded through the relative path
`rules/` so the rendered locations do not depend on the temporary folder. The rendered
text is compared with `<name>.expected` beside it.

Regenerate the expected files after an intended change with

    POLICYLANG_REGEN=1 python -m pytest tests/test_golden_diagnostics.py

and review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import policylang
from policylang.core.diagnostic_formats import render_all_text

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "diagnostics"
SHARED = ("schema.policy", "places.policy", "sources.policy")
CASES = sorted(p.stem for p in GOLDEN.glob("*.policy"))
REGENERATE = os.environ.get("POLICYLANG_REGEN") == "1"

# The one diagnostic code each case is about (the file must produce it, and only errors of it).
CODES = {
    "unknown_name": "PL010", "unknown_parameter": "PL010", "month_vs_year": "PL021",
    "stock_vs_month": "PL021", "not_yes_no": "PL022", "bad_date": "PL005",
    "unclosed_program": "PL003", "unexpected_token": "PL001", "unexpected_character": "PL002",
    "missing_citation": "PL042", "unknown_source": "PL015", "cycle": "PL040",
    "conflicting_exceptions": "PL041", "amount_without_rounding": "PL043",
    "overlapping_periods": "PL031", "coverage_gap": "PL030", "duplicate_declaration": "PL011",
    "unknown_jurisdiction": "PL014", "unknown_program": "PL016", "too_deep": "PL004",
    "full_width_colon": "PL002", "curly_quotes": "PL002", "misspelt_keyword": "PL001",
}


def case_folder(tmp_path: Path, name: str) -> Path:
    """A rules folder with the shared declarations and the one bad file; returns its parent."""
    rules = tmp_path / "rules"
    rules.mkdir()
    for shared in SHARED:
        shutil.copyfile(ROOT / "rules" / shared, rules / shared)
    shutil.copyfile(GOLDEN / f"{name}.policy", rules / f"{name}.policy")
    return tmp_path


def rendered(tmp_path: Path, name: str, monkeypatch) -> tuple[str, policylang.PolicyError]:
    monkeypatch.chdir(case_folder(tmp_path, name))
    with pytest.raises(policylang.PolicyError) as caught:
        policylang.load("rules")
    texts = {str(p): p.read_text(encoding="utf-8") for p in Path("rules").glob("*.policy")}
    return render_all_text(caught.value.diagnostics, texts) + "\n", caught.value


def test_every_case_has_a_code():
    assert len(CASES) >= 14
    assert set(CASES) == set(CODES), "add the new case's code to CODES"


def test_shared_declarations_alone_are_valid(tmp_path, monkeypatch):
    """The cases rely on the shared files being free of errors themselves."""
    rules = tmp_path / "rules"
    rules.mkdir()
    for shared in SHARED:
        shutil.copyfile(ROOT / "rules" / shared, rules / shared)
    monkeypatch.chdir(tmp_path)
    policylang.load("rules")


@pytest.mark.parametrize("name", CASES)
def test_golden_diagnostics(name, tmp_path, monkeypatch):
    text, error = rendered(tmp_path, name, monkeypatch)
    expected_file = GOLDEN / f"{name}.expected"
    if REGENERATE or not expected_file.exists():
        expected_file.write_text(text, encoding="utf-8")
        if not REGENERATE:
            pytest.fail(f"wrote {expected_file.name}; review it and run again")
    assert text == expected_file.read_text(encoding="utf-8")

    # Whatever the golden text says, these properties hold for every case.
    codes = {d.code for d in error.diagnostics}
    assert codes == {CODES[name]}, codes
    for diagnostic in error.diagnostics:
        assert diagnostic.span is not None
        assert diagnostic.span.file == f"rules/{name}.policy"
        assert diagnostic.span.line >= 1 and diagnostic.span.column >= 1
    assert re.search(rf"^rules/{name}\.policy:\d+:\d+: error\[PL\d\d\d\]: ", text, re.M)
    assert re.search(r"^  \d+ \| ", text, re.M), "the source line is quoted"
    assert re.search(r"^  +\| +\^+$", text, re.M), "a caret marks the column"
    assert "Traceback" not in text


def test_cli_check_reports_a_misspelt_name(tmp_path):
    folder = case_folder(tmp_path, "unknown_name")
    env = {k: v for k, v in os.environ.items() if k != "POLICYLANG_DEBUG"}
    done = subprocess.run(
        [sys.executable, "-m", "policylang.cli", "check", "rules"], cwd=folder,
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert re.search(r"rules/unknown_name\.policy:7:\d+: error\[PL010\]", output), output
    assert re.search(r"^ +\| +\^+$", output, re.M), output
    assert "did you mean `monthly_income`?" in output
    assert "Traceback" not in output
