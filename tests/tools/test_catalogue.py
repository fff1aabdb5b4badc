"""The Markdown catalogue of the bundled rules: pages, quotes, parameter tables, links, mkdocs."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from policylang.tools.catalogue import write_catalogue


@pytest.fixture
def catalogue(ruleset, tmp_path) -> Path:
    out = tmp_path / "catalogue"
    write_catalogue(ruleset, out)
    return out


def page(catalogue: Path, name: str) -> str:
    return (catalogue / name).read_text(encoding="utf-8")


def parameter_rows(text: str, parameter: str) -> list[list[str]]:
    """The rows of a parameter's table: the cells of each `| … |` line under its heading."""
    section = text.split(f"### {parameter}", 1)[1]
    rows = []
    for line in section.splitlines()[1:]:
        if line.startswith("#"):
            break
        if line.startswith("| ") and not line.startswith("| place") and "---" not in line:
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


def test_one_page_per_program_and_an_index(ruleset, tmp_path):
    written = write_catalogue(ruleset, tmp_path)
    names = sorted(p.name for p in written)
    assert names == sorted(["index.md"] + [f"{p}.md" for p in ruleset.rules.programs])
    assert sorted(p.name for p in tmp_path.iterdir()) == names


def test_output_is_deterministic(ruleset, tmp_path):
    first = {p.name: p.read_text(encoding="utf-8") for p in write_catalogue(ruleset, tmp_path / "a")}
    second = {p.name: p.read_text(encoding="utf-8") for p in write_catalogue(ruleset, tmp_path / "b")}
    assert first == second


def test_dibao_page(catalogue):
    text = page(catalogue, "dibao.md")
    assert text.startswith("# 最低生活保障 — Minimum living guarantee\n")
    assert "`countable_income < dibao_standard`" in text
    assert "### single_person — 参照单人户纳入低保" in text
    exception = text.split("### single_person", 1)[1].split("\n## ", 1)[0]
    assert "each member" in exception and "kunming, from 2022-01-01" in exception
    assert "`dibao_standard - monthly_income`" in exception
    assert "参照“单人户”纳入低保" in exception
    assert '> 000_b84007457b57f52c.txt: "对低保边缘家庭中的重度残疾人' in exception
    rows = parameter_rows(text, "dibao_standard")
    assert ["changzhou", "2023-01-01", "—", "1000 CNY per month",
            '001_e24c6c442843878f.txt: "市民政局将最低生活保障标准提高到每人每月1000元"'] in rows
    assert [r[0] for r in rows][:2] == ["national", "kunming"]  # tree order, not alphabetical
    assert any(r[0] == "national" and "(illustrative)" in r[3] for r in rows)
    assert ["national", "—", "—", "24 months (illustrative)"] == parameter_rows(
        text, "dibao_asset_limit_months")[0][:4]
    assert "- **asset_limit** of household — 金融资产上限: " \
           "`dibao_asset_limit_months * dibao_standard * unit_size`" in text


def test_tekun_page(catalogue):
    text = page(catalogue, "tekun.md")
    rows = parameter_rows(text, "tekun_minor_age_limit")
    kunming = [r[:4] for r in rows if r[0] == "kunming"]
    assert kunming == [["kunming", "—", "2021-12-31", "16"], ["kunming", "2022-01-01", "—", "18"]]
    assert "Yields to [`child_basic_living`](child_basic_living.md)" in text
    assert "tekun_minor_age_limit" in text.split("## Who is covered", 1)[1].split("## How much")[0]
    assert "Paid to the institution when `institutional_care`." in text
    assert "Takes precedence over [`tekun`](tekun.md)" in page(catalogue, "child_basic_living.md")


def test_index_lists_every_program(ruleset, catalogue):
    text = page(catalogue, "index.md")
    for program in ruleset.rules.programs.values():
        assert f"[`{program.name}`]({program.name}.md) | {program.label_zh} |" in text
    assert "| [`dibao_edge`](dibao_edge.md) |" in text
    assert re.search(r"\| \[`dibao_edge`\].*\| no amount \(status\) \|", text)


def test_every_link_points_to_a_written_file(ruleset, catalogue):
    links = {name: re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page(catalogue, name))
             for name in sorted(p.name for p in catalogue.glob("*.md"))}
    assert len(links["index.md"]) == len(ruleset.rules.programs)
    for name, targets in links.items():
        for target in targets:
            assert (catalogue / target).is_file(), f"{name} links to missing {target}"


@pytest.mark.skipif(importlib.util.find_spec("mkdocs") is None, reason="mkdocs is not installed")
def test_mkdocs_builds_the_catalogue_strictly(catalogue, tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: catalogue\ndocs_dir: {catalogue.name}\nsite_dir: site\n",
                      encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                             "-f", str(config)], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "site" / "dibao" / "index.html").read_text(encoding="utf-8")
    assert "<table>" in html and "<blockquote>" in html
    assert "春城热线|昆明兜牢兜住民生保障底线" in html  # a title with a pipe, not a table
