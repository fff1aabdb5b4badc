"""Rules that once hung, crashed or were wrongly accepted by `check` (issue #18): each is
now a diagnostic with a code and a place, found in bounded time."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

import policylang
from policylang.core.diagnostics import PolicyError
from policylang.core.limits import MAX_RULE_DEPTH

FAMILY = Path(__file__).resolve().parents[1] / "rulebooks" / "family"


def family_with(tmp_path: Path, extra: str, *, replace: tuple[str, str] | None = None) -> Path:
    """The family rule book's schema and places, plus `extra` rules, in a fresh folder."""
    for name in ("schema.policy", "places.policy"):
        shutil.copy(FAMILY / name, tmp_path / name)
    if replace:
        places = (tmp_path / "places.policy").read_text(encoding="utf-8")
        (tmp_path / "places.policy").write_text(places.replace(*replace), encoding="utf-8")
    (tmp_path / "extra.policy").write_text(extra, encoding="utf-8")
    return tmp_path


def errors_of(path: Path) -> list:
    with pytest.raises(PolicyError) as raised:
        policylang.load(path)
    return raised.value.diagnostics


ENTITIES_HOLDING_EACH_OTHER = '''entity aa "a" / "a"
  key id : text
  has bs "b" / "b" : list of bb
end
entity bb "b" / "b"
  key id : text
  has as_ "a" / "a" : list of aa
end
definition x "x" / "x" of aa = 1
'''


def test_entities_that_hold_each_other_are_refused_at_once(tmp_path):
    (tmp_path / "a.policy").write_text(ENTITIES_HOLDING_EACH_OTHER, encoding="utf-8")
    started = time.monotonic()
    found = errors_of(tmp_path)
    assert time.monotonic() - started < 5  # it looped forever, growing to gigabytes
    assert [(d.code, d.span.line) for d in found] == [("PL012", 5)]
    assert "hold each other: bb → aa → bb" in found[0].message


def test_places_within_each_other_are_refused(tmp_path):
    path = family_with(tmp_path, "", replace=(
        'jurisdiction country "全国" / "the country"',
        'jurisdiction country "全国" / "the country" within south'))
    found = errors_of(path)
    assert [d.code for d in found] == ["PL012"]
    assert "lie within each other: country → south → country" in found[0].message


def test_a_program_in_force_until_before_it_starts_is_pl005(tmp_path):
    path = family_with(tmp_path, '''program p "p" / "p"
  applies in country from 2024-01-01 until 2023-01-01
  cite illustrative "a period that ends before it starts"
  condition c "c" / "c": family_size > 0
end
''')
    found = errors_of(path)
    assert [(d.code, d.span.line) for d in found] == [("PL005", 2)]
    assert found[0].message == "the period ends (2023-01-01) before it starts (2024-01-01)"


def chain(n: int, step: str = "d{prev} + 1") -> str:
    lines = ['definition d0 "d0" / "d0" of family = count(persons)']
    lines += [f'definition d{i} "d{i}" / "d{i}" of family = ' + step.format(prev=i - 1)
              for i in range(1, n)]
    return "\n".join(lines) + f'''
program p "p" / "p"
  applies in country
  cite illustrative "a long chain"
  condition c "c" / "c": d{n - 1} > 0
end
'''


@pytest.mark.parametrize("length", [120, 400, 20_000])
def test_definition_chains_deeper_than_the_engines_recurse_are_pl004(tmp_path, length):
    found = errors_of(family_with(tmp_path, chain(length)))
    assert [d.code for d in found] == ["PL004"]  # once, not once per link
    assert f"at most {MAX_RULE_DEPTH}" in found[0].message or "more than" in found[0].message


def test_a_chain_within_the_limit_is_decided(tmp_path):
    rules = policylang.load(family_with(tmp_path, chain(60)))
    facts = (FAMILY / "north-family.json").read_text(encoding="utf-8")
    import datetime as dt
    import json
    decided = rules.evaluate(json.loads(facts), dt.date(2023, 8, 1))
    assert decided.households[0].find("p").outcome == "eligible"


def test_many_definitions_check_in_linear_time(tmp_path):
    """39,445 one-line definitions took 430 s (`visible_names` rebuilt per name looked up)."""
    many = "\n".join(f'definition e{i} "" of family = e{i + 1} + savings' for i in range(20_000))
    started = time.monotonic()
    found = errors_of(family_with(tmp_path, many + "\n"))
    assert time.monotonic() - started < 30
    assert {d.code for d in found} == {"PL004", "PL010"}  # too deep; `e20000` is unknown
