"""The embedding API: load once, evaluate many times, from many threads."""

import json
from concurrent.futures import ThreadPoolExecutor

import attrs
import pytest

import policylang
from policylang.explain.decisions_json import household_json


@pytest.fixture(scope="module")
def rules():
    return policylang.load("rules")


def household(name):
    with open(f"examples/{name}.json", encoding="utf-8") as f:
        return json.load(f)


def test_ruleset_is_immutable(rules):
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        rules.path = "elsewhere"


def test_same_answers_from_many_threads(rules):
    names = ["kunming-edge-family", "changzhou-dibao", "donghai-orphan"] * 20
    expected = {n: rules.evaluate(household(n), "2023-08-01").to_json() for n in set(names)}
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda n: (n, rules.evaluate(household(n), "2023-08-01").to_json()), names))
    for name, result in results:
        assert result == expected[name]


def test_evaluate_accepts_dicts_lists_and_loaded_households(rules):
    data = household("changzhou-dibao")
    from_dict = rules.evaluate(data, "2023-08-01")
    from_list = rules.evaluate([data, data], "2023-08-01")
    loaded = policylang.read_facts("examples/changzhou-dibao.json", rules)
    from_loaded = rules.evaluate(loaded, "2023-08-01")
    assert len(from_dict) == 1 and len(from_list) == 2 and len(from_loaded) == 1
    def outcomes(household):
        return [(d.program, d.subject_id, d.outcome, d.amount) for d in household.decisions]
    assert household_json(from_dict[0]) == household_json(from_loaded[0])
    # read from a list, fact paths in explanations start with the household's index
    assert outcomes(from_dict[0]) == outcomes(from_list[1])


def test_only_some_programs(rules):
    result = rules.evaluate(household("kunming-edge-family"), "2023-08-01", programs=["dibao_edge"])
    assert {d.program for d in result[0].decisions} == {"dibao_edge"}
    with pytest.raises(ValueError, match="unknown programs: nope"):
        rules.evaluate(household("kunming-edge-family"), "2023-08-01", programs=["nope"])


def test_decisions_json_follows_the_contract(rules):
    data = rules.evaluate(household("kunming-edge-family"), "2023-08-01").to_json()
    assert data["schema"] == "policylang.decisions/1"
    assert data["date"] == "2023-08-01"
    assert data["rules"]["digest"].startswith("sha256:")
    (hh,) = data["households"]
    assert hh["household"] == "kunming-edge-family" and hh["errors"] == []
    for decision in hh["decisions"]:
        assert decision["outcome"] in ("eligible", "not_eligible", "unknown", "not_applicable")
        assert decision["subject"]["kind"] in ("household", "member")
        assert set(decision["rule"]) >= {"id", "file", "line"}
        assert decision["citations"] and decision["explanation"]["schema"]
        if "amount" in decision:
            assert decision["amount"]["unit"] in ("CNY", "kWh")
            assert decision["amount"]["value"].count(".") == 1
            assert len(decision["amount"]["value"].split(".")[1]) == 2


def test_a_bad_household_does_not_stop_the_others(rules):
    bad = household("changzhou-dibao")
    bad["members"][0]["monthly_income"] = 1800.5
    result = rules.evaluate([household("donghai-orphan"), bad], "2023-08-01")
    assert result[0].decisions and not result[0].errors
    assert not result[1].decisions
    assert [e.json_path for e in result[1].errors] == ["[1].members[0].monthly_income"]
    assert result.has_errors


def test_policy_errors_carry_diagnostics(tmp_path):
    (tmp_path / "bad.policy").write_text('program x "x"\n  condition c: nope > 1\nend\n', encoding="utf-8")
    with pytest.raises(policylang.PolicyError) as caught:
        policylang.load(tmp_path)
    assert [d.code for d in caught.value.diagnostics] == ["PL012"]  # no entities at all
    import shutil
    for name in ("schema", "places", "sources"):
        shutil.copy(f"rules/{name}.policy", tmp_path)
    with pytest.raises(policylang.PolicyError) as caught:
        policylang.load(tmp_path)
    assert {d.code for d in caught.value.diagnostics} == {"PL010", "PL042"}
