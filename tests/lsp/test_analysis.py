"""What the language server checks, without the protocol: the open texts over the files on
disk, a file it cannot read named rather than crashing, and the names it indexes."""

import shutil

import policylang
from policylang.lsp.analysis import Analysis
from policylang.lsp.hover import hover_text
from policylang.lsp.symbols import SymbolIndex

from conftest import RULES


def test_an_unreadable_file_is_reported_and_the_rest_still_checked(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    (folder / "broken.policy").write_bytes(b"parameter x \xff\xfe : money\n")
    found = Analysis(folder).update({})
    broken = found[str((folder / "broken.policy").resolve())]
    assert [d.code for d in broken] == ["PL002"]
    assert all(not d.is_error for path, ds in found.items() if "broken" not in path for d in ds)


def test_an_open_text_replaces_the_file_on_disk(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    tekun = str((folder / "tekun.policy").resolve())
    text = (folder / "tekun.policy").read_text(encoding="utf-8")
    analysis = Analysis(folder)
    found = analysis.update({tekun: text + "\ndefinition extra of member = no_such_fact\n"})
    assert [d.code for d in found[tekun] if d.is_error] == ["PL010"]
    assert (folder / "tekun.policy").read_text(encoding="utf-8") == text  # nothing written


def test_every_use_of_a_fact_leads_to_its_declaration():
    ruleset = policylang.load(RULES)
    index = SymbolIndex(ruleset.rules, ruleset.texts)
    key = ("fact", "member", "monthly_income")
    declared = index.declarations[key]
    assert declared.file.endswith("schema.policy")
    for use in index.uses(key):
        assert index.at(use.file, use.line, use.column).key == key
    assert "evidence: 收入证明 / proof of income" in hover_text(ruleset.rules, ruleset.texts, key)
