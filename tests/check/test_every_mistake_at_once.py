"""One syntax error does not hide the other files' mistakes: `check` reports the syntax error
and the errors of the files that parsed which do not depend on the broken file — and no
error that only the broken file's missing declarations would cause."""

import shutil

import pytest

from conftest import RULES, ROOT
import policylang.cli.main


@pytest.fixture
def broken_rules(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    dibao = folder / "dibao.policy"  # declares dibao, which six other files use
    dibao.write_text(dibao.read_text(encoding="utf-8").replace("condition", "condtion", 1),
                     encoding="utf-8")
    tekun = folder / "tekun.policy"  # uses nothing of dibao.policy
    tekun.write_text(tekun.read_text(encoding="utf-8").replace(
        "age < tekun_minor_age_limit", "age < tekun_minor_age_limt"), encoding="utf-8")
    return folder


def test_a_syntax_error_and_a_typo_in_another_file(broken_rules, capsys):
    with pytest.raises(SystemExit) as exit_:
        policylang.cli.main.cli.main(["check", str(broken_rules)], standalone_mode=False)
    assert exit_.value.code == 1
    out = capsys.readouterr()
    text = out.out + out.err
    assert "dibao.policy:55:3: error[PL001]" in text
    assert "tekun.policy:25:54: error[PL010]: unknown name `tekun_minor_age_limt`" in text
    assert "2 errors" in text  # nothing about `dibao` being unknown in the files that use it
