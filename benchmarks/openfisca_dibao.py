"""Baseline: OpenFisca's single-household time for the dibao (低保) rule.

policylang's benchmark (benchmarks/interpreter.py) prints its own interpreter
latency; this script gives the figure to put beside it: the same household
rule written for OpenFisca, timed as one would call it for one household
(build a simulation from a JSON-like dict, compute ``dibao_amount``).

openfisca-core is not a dependency of policylang. Run this script in a virtual
environment of its own:

    python3 -m venv /tmp/venv-openfisca && /tmp/venv-openfisca/bin/pip install openfisca-core
    /tmp/venv-openfisca/bin/python benchmarks/openfisca_dibao.py [--repeat N] [--json]

The tax-benefit system below is written here from scratch and is deliberately
minimal: two entities, two parameters, six variables. OpenFisca parameters vary
with time, not with place, so each system models one place: the national
reference standard (700 CNY a month) is recorded but not used; the Kunming
system uses 800 and the Changzhou-like one 1000.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

PERIOD = "2023-08"
NATIONAL_DIBAO_STANDARD = 700.0  # CNY per person per month; reference only, see the docstring
ASSET_LIMIT_MONTHS = 24
PLACE_STANDARDS = {"kunming": 800.0, "changzhou": 1000.0}

HOUSEHOLDS = {
    # Per-capita income 3000 / 3 = 1000 >= 800: not eligible, amount 0.
    "kunming": {
        "place": "kunming",
        "members": {"p1": 3000.0, "p2": 0.0, "p3": 0.0},
        "assets": 10000.0,
        "monthly_rigid_expenses": 0.0,
    },
    # (1800 - 400) / 2 = 700 < 1000: eligible, amount (1000 - 700) * 2 = 600.00.
    "changzhou": {
        "place": "changzhou",
        "members": {"a": 1800.0, "b": 0.0},
        "assets": 5000.0,
        "monthly_rigid_expenses": 400.0,
    },
}

try:
    import numpy as np
    import openfisca_core
    from openfisca_core.entities import build_entity
    from openfisca_core.parameters import ParameterNode
    from openfisca_core.periods import DateUnit
    from openfisca_core.simulations import SimulationBuilder
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable
except ImportError:  # the script must still say something useful without it
    openfisca_core = None


def openfisca_version() -> str:
    """The installed openfisca-core version, so a reported figure names what it measured."""
    from importlib.metadata import version

    return version("openfisca-core")


def build_entities() -> list:
    """Person, and Household whose single role ``member`` holds everyone in it.

    The dibao rule treats all members alike, so one role is enough.
    """
    person = build_entity(
        key="person", plural="persons", label="A person", is_person=True,
    )
    household = build_entity(
        key="household",
        plural="households",
        label="A household applying for dibao",
        roles=[{"key": "member", "plural": "members", "label": "Member"}],
    )
    return [person, household]


def build_parameters(standard: float) -> ParameterNode:
    """The two parameters the rule reads, in force from 2022-01-01."""
    return ParameterNode("", data={
        "dibao_standard": {
            "description": "Dibao standard of the one place this system models, CNY per person per month",
            "unit": "currency",
            "values": {"2022-01-01": {"value": standard}},
        },
        "dibao_asset_limit_months": {
            "description": "Financial assets may not exceed this many months of the standard per member",
            "values": {"2022-01-01": {"value": ASSET_LIMIT_MONTHS}},
        },
    })


def build_variables(person, household) -> list[type]:
    """The input and computed variables of the dibao rule, all monthly."""

    class monthly_income(Variable):
        value_type = float
        entity = person
        definition_period = DateUnit.MONTH
        label = "Monthly income of a person"

    class assets(Variable):
        value_type = float
        entity = household
        definition_period = DateUnit.MONTH
        label = "Financial assets of the household"

    class monthly_rigid_expenses(Variable):
        value_type = float
        entity = household
        definition_period = DateUnit.MONTH
        label = "Rigid expenses (medical, education...) deducted from income"

    class unit_size(Variable):
        value_type = int
        entity = household
        definition_period = DateUnit.MONTH
        label = "Number of members"

        def formula(household, period):
            return household.nb_persons()

    class countable_income(Variable):
        value_type = float
        entity = household
        definition_period = DateUnit.MONTH
        label = "Per-capita countable income, never below 0"

        def formula(household, period):
            total = household.sum(household.members("monthly_income", period))
            net = total - household("monthly_rigid_expenses", period)
            return np.maximum(0.0, net / household("unit_size", period))

    class dibao_eligible(Variable):
        value_type = bool
        entity = household
        definition_period = DateUnit.MONTH
        label = "Passes the income test and the asset test"

        def formula(household, period, parameters):
            p = parameters(period)
            size = household("unit_size", period)
            income_ok = household("countable_income", period) < p.dibao_standard
            asset_limit = p.dibao_asset_limit_months * p.dibao_standard * size
            return income_ok * (household("assets", period) <= asset_limit)

    class dibao_amount(Variable):
        value_type = float
        entity = household
        definition_period = DateUnit.MONTH
        label = "Monthly dibao for the household, CNY"

        def formula(household, period, parameters):
            standard = parameters(period).dibao_standard
            gap = (standard - household("countable_income", period)) * household("unit_size", period)
            # Half-up to 0.01 like policylang's rule; np.round would round half to even.
            rounded = np.floor(gap * 100 + 0.5) / 100
            return np.where(household("dibao_eligible", period), rounded, 0.0)

    return [monthly_income, assets, monthly_rigid_expenses, unit_size,
            countable_income, dibao_eligible, dibao_amount]


def build_system(standard: float) -> TaxBenefitSystem:
    """A complete tax-benefit system for one place whose dibao standard is ``standard``."""
    person, household = build_entities()
    system = TaxBenefitSystem([person, household])
    system.parameters = build_parameters(standard)
    system.add_variables(*build_variables(person, household))
    return system


def situation(household: dict) -> dict:
    """The JSON-like input OpenFisca's web API would receive for one household."""
    return {
        "persons": {pid: {"monthly_income": {PERIOD: income}}
                    for pid, income in household["members"].items()},
        "households": {"h": {
            "members": list(household["members"]),
            "assets": {PERIOD: household["assets"]},
            "monthly_rigid_expenses": {PERIOD: household["monthly_rigid_expenses"]},
        }},
    }


def decide(system: TaxBenefitSystem, input_dict: dict) -> tuple[bool, float]:
    """The timed unit of work: build a simulation from the dict and compute the rule."""
    simulation = SimulationBuilder().build_from_entities(system, input_dict)
    amount = simulation.calculate("dibao_amount", PERIOD)
    eligible = simulation.calculate("dibao_eligible", PERIOD)
    return bool(eligible[0]), float(amount[0])


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p99, computed the way benchmarks/interpreter.py computes its own."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def measure(repeat: int = 300) -> dict:
    """Time ``decide`` for each household ``repeat`` times after a warm-up.

    Building the tax-benefit systems is left out, as policylang's benchmark
    leaves out loading the rules: both are done once per process.
    """
    if openfisca_core is None:
        raise RuntimeError("openfisca-core is not installed: pip install openfisca-core")
    systems = {place: build_system(standard) for place, standard in PLACE_STANDARDS.items()}
    cases = [(name, systems[h["place"]], situation(h)) for name, h in HOUSEHOLDS.items()]
    results = {name: decide(system, input_dict) for name, system, input_dict in cases}  # warm-up
    samples = []
    for _ in range(repeat):
        for _name, system, input_dict in cases:
            start = time.perf_counter()
            decide(system, input_dict)
            samples.append(time.perf_counter() - start)
    p50, p99 = percentiles(samples)
    return {
        "p50_us": p50 * 1e6,
        "p99_us": p99 * 1e6,
        "amounts": {name: amount for name, (_eligible, amount) in results.items()},
        "eligible": {name: eligible for name, (eligible, _amount) in results.items()},
        "standards": {name: PLACE_STANDARDS[h["place"]] for name, h in HOUSEHOLDS.items()},
        "samples": len(samples),
        "openfisca_core": openfisca_version(),
    }


def report(result: dict) -> str:
    """Human-readable lines for a terminal."""
    lines = [f"openfisca-core {result['openfisca_core']}, period {PERIOD}, "
             f"{result['samples']} samples (build simulation from a dict + compute dibao_amount)",
             f"p50 {result['p50_us']:8.0f} µs   p99 {result['p99_us']:8.0f} µs"]
    for name, amount in result["amounts"].items():
        verdict = "eligible" if result["eligible"][name] else "not eligible"
        lines.append(f"  {name:<10} standard {result['standards'][name]:7.2f}   "
                     f"{verdict:<12} dibao_amount {amount:8.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300, help="timed rounds per household (default 300)")
    parser.add_argument("--json", action="store_true", help="print the measure() dict as JSON")
    args = parser.parse_args(argv)
    if openfisca_core is None:
        print("openfisca-core is not installed in this Python; install it with "
              "`pip install openfisca-core` (in a separate venv) to run this baseline")
        return 0
    result = measure(max(1, args.repeat))
    print(json.dumps(result) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
