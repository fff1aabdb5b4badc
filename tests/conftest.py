"""Shared fixtures: the bundled rules, compiled once per test session, and the sample households."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import policylang

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "rules"
EXAMPLES = ROOT / "examples"


def example_household(name: str) -> dict:
    """A fresh copy of one of `examples/*.json`, safe to change in a test."""
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def ruleset() -> policylang.RuleSet:
    return policylang.load(RULES)


@pytest.fixture(scope="session")
def schema(ruleset):
    return ruleset.rules.schema


@pytest.fixture
def kunming() -> dict:
    return example_household("kunming-edge-family")


@pytest.fixture
def changzhou() -> dict:
    return example_household("changzhou-dibao")


@pytest.fixture
def donghai() -> dict:
    return example_household("donghai-orphan")

