"""Baseline: the dibao screening rules as an OpenFisca tax-benefit system, vectorised.

The population-screening benchmark sets policylang's batch engine beside OpenFisca
run the way OpenFisca runs a population: a simulation built from NumPy arrays
(SimulationBuilder's create_entities / declare_person_entity / declare_entity /
join_with_persons, then set_input per variable), not from JSON dicts, which take
~0.6 ms a household (benchmarks/openfisca_dibao.py). The rules are those of `rules/dibao.policy`: `dibao` (with the
tekun / child_basic_living members left out of the unit), `dibao_edge`, and Kunming's
single-person exception, decided on one date.

openfisca-core is not a dependency of policylang, and OpenFisca's venv has NumPy but
neither Polars nor pyarrow, so benchmarks/hand_polars.py cleans the population
(households with a null or invalid fact dropped) and writes the columns used here to
an .npz file; this script reads it, times "build the population + compute" and prints
the timing as JSON on stdout, and with --output writes the decisions back:

    /work/venv-openfisca/bin/python benchmarks/openfisca_screen.py INPUT.npz [--output OUT.npz] [--repeat N]

Modelling choices, each forced by OpenFisca:

- **Places.** OpenFisca parameters vary by date, not by place. Each place is a child
  node whose dated history already holds what it inherits (OpenFisca has no place
  hierarchy: Guandu repeats Kunming, the provinces repeat the national values). A
  household's value is looked up once per place on the date and spread over
  households with NumPy indexing (`by_place`). OpenFisca's own fancy indexing,
  `node[jurisdiction]`, gives the same array but walks every household in a Python
  loop: 0.37 s per parameter for 3 × 10⁵ households here, against 1.5 ms.
- **Dates.** Every variable is defined per day (the decision date is the period), so
  parameters are read on that very date; money variables still hold monthly amounts.
  Birth and death dates are ETERNITY inputs; "not deceased" is 9999-12-31.
- **Money** is a float, as OpenFisca computes: a `float` variable is stored as
  float32, and NumPy computes between stores. Amounts are rounded half-up to 0.01
  with floor(x × 100 + 0.5) / 100. On random cents the decisions agree with exact
  decimal arithmetic (hand_polars.py --check), but a household exactly on a threshold
  can fall either side: in Kunming, incomes 2577.66 + 753.51 less rigid expenses
  1731.17 leave exactly 800.00 a head for two, not below the standard of 800, yet
  OpenFisca finds 799.99994 and grants dibao of 0.00 instead of dibao_edge.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from importlib.metadata import version

import numpy
from openfisca_core.entities import build_entity
from openfisca_core.indexed_enums import Enum
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import DateUnit
from openfisca_core.periods import period as to_period
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

NOT_DECEASED = date(9999, 12, 31)
OUTPUTS = {  # variable: name in the output file
    "dibao_eligible": "dibao", "dibao_amount": "dibao_amount", "dibao_edge_eligible": "dibao_edge",
    "single_person_eligible": "single_person", "single_person_amount": "single_person_amount",
    "single_person_in_force": "single_person_in_force", "special_hardship": "hardship",
}


class Jurisdiction(Enum):
    """The places of rules/places.policy (an Enum name cannot hold the dot of kunming.guandu)."""

    national = "全国"
    yunnan = "云南省"
    kunming = "昆明市"
    kunming_guandu = "昆明市官渡区"
    jiangsu = "江苏省"
    changzhou = "常州市"
    donghai = "东海县"
    zhejiang = "浙江省"
    hangzhou = "杭州市"


# ------------------------------------------------------------------ parameters
# Transcribed from rules/dibao.policy and rules/tekun.policy; a place's history includes
# what it inherits from its parents (see the module docstring).
SINCE_EVER = "1900-01-01"
STANDARD_NATIONAL = {SINCE_EVER: 700}
STANDARD_KUNMING = {SINCE_EVER: 700, "2022-01-01": 800}
MINOR_AGE_NATIONAL = {SINCE_EVER: 16, "2021-07-01": 18}
MINOR_AGE_KUNMING = {SINCE_EVER: 16, "2022-01-01": 18}
SINGLE_PERSON_KUNMING = {SINCE_EVER: False, "2022-01-01": True}  # applies in kunming from 2022-01-01


def per_place(history: dict, **places: dict) -> dict:
    """A node with one child per place: `history` for every place not named in `places`."""
    return {place.name: {"values": {day: {"value": value}
                                    for day, value in places.get(place.name, history).items()}}
            for place in Jurisdiction}


PARAMETERS = {
    "dibao": {
        "standard": per_place(STANDARD_NATIONAL, kunming=STANDARD_KUNMING,
                              kunming_guandu=STANDARD_KUNMING,
                              changzhou={SINCE_EVER: 950, "2023-01-01": 1000},
                              donghai={SINCE_EVER: 700, "2022-01-01": 850},
                              hangzhou={SINCE_EVER: 700, "2023-07-01": 1196}),
        "asset_limit_months": {"values": {SINCE_EVER: {"value": 24}}},
        "edge_factor": {"values": {SINCE_EVER: {"value": 1.5}}},
        "single_person_in_force": per_place({SINCE_EVER: False}, kunming=SINGLE_PERSON_KUNMING,
                                            kunming_guandu=SINGLE_PERSON_KUNMING),
    },
    "tekun": {
        "minor_age_limit": per_place(MINOR_AGE_NATIONAL, kunming=MINOR_AGE_KUNMING,
                                     kunming_guandu=MINOR_AGE_KUNMING),
        "elderly_age": {"values": {SINCE_EVER: {"value": 60}}},
    },
    "child_basic_living": {"age_limit": {"values": {SINCE_EVER: {"value": 18}}}},
}


def by_place(node, household, period):
    """The value of a per-place parameter node for each household's place.

    `household` is the household population, or a person's household (`person.household`),
    which gives the value for each person.
    """
    values = numpy.array([node[place.name] for place in Jurisdiction])
    return values[numpy.asarray(household("jurisdiction", period))]


def half_up_cents(amount):
    """Round half-up to 0.01, as the rules say (numpy.round rounds half to even).

    >>> half_up_cents(numpy.array([0.125, 1599.994, 2.5])).tolist()
    [0.13, 1599.99, 2.5]
    """
    return numpy.floor(amount * 100 + 0.5) / 100


def full_years(born, on):
    """Age in full years (周岁) on date `on` of people born on `born` (datetime64[D]).

    >>> born = numpy.array(["2005-08-01", "2005-08-02", "2004-02-29"], dtype="datetime64[D]")
    >>> full_years(born, date(2023, 8, 1)).tolist(), full_years(born[2:], date(2023, 2, 28)).tolist()
    ([18, 17, 19], [18])
    """
    def year_month_day(days):
        months = days.astype("datetime64[M]")
        years = months.astype("datetime64[Y]")
        return (years.astype(int) + 1970, months.astype(int) % 12 + 1,
                (days - months).astype(int) + 1)

    born_year, born_month, born_day = year_month_day(born)
    on_year, on_month, on_day = year_month_day(numpy.datetime64(on, "D"))
    before_birthday = (on_month * 100 + on_day) < (born_month * 100 + born_day)
    return on_year - born_year - before_birthday


# ------------------------------------------------------------------ entities and variables
person = build_entity(key="person", plural="persons", label="A household member", is_person=True)
household = build_entity(key="household", plural="households", label="A household screened",
                         roles=[{"key": "member", "plural": "members", "label": "Member"}])


def _input(name, value_type, entity, unit=DateUnit.DAY, **extra):
    """An input variable: facts set from the population arrays."""
    return type(name, (Variable,), {"value_type": value_type, "entity": entity,
                                    "definition_period": unit, "label": name, **extra})


INPUTS = [
    _input("jurisdiction", Enum, household, DateUnit.ETERNITY, possible_values=Jurisdiction,
           default_value=Jurisdiction.national),
    _input("assets", float, household),
    _input("monthly_rigid_expenses", float, household),
    _input("birth_date", date, person, DateUnit.ETERNITY),
    _input("deceased_on", date, person, DateUnit.ETERNITY, default_value=NOT_DECEASED),
    _input("monthly_income", float, person),
    _input("disability_grade", int, person),
    *(_input(name, bool, person) for name in (
        "can_work", "has_able_supporter", "serious_illness", "orphan", "hiv_infected",
        "factually_unsupported")),
]


class dibao_standard(Variable):
    value_type = float
    entity = household
    definition_period = DateUnit.DAY
    label = "Dibao standard of the household's place, per person per month"

    def formula(household, period, parameters):
        return by_place(parameters(period).dibao.standard, household, period)


class tekun_minor_age_limit(Variable):
    value_type = int
    entity = household
    definition_period = DateUnit.DAY
    label = "Tekun covers minors under this age in the household's place"

    def formula(household, period, parameters):
        return by_place(parameters(period).tekun.minor_age_limit, household, period)


class single_person_in_force(Variable):
    value_type = bool
    entity = person
    definition_period = DateUnit.DAY
    label = "Kunming's single-person exception is in force where the person's household lives"

    def formula(person, period, parameters):
        node = parameters(period).dibao.single_person_in_force
        return by_place(node, person.household, period)


class age(Variable):
    value_type = int
    entity = person
    definition_period = DateUnit.DAY
    label = "Age in full years on the date"

    def formula(person, period):
        return full_years(person("birth_date", period), period.start)


class alive(Variable):
    value_type = bool
    entity = person
    definition_period = DateUnit.DAY
    label = "Not deceased on or before the date"

    def formula(person, period):
        return person("deceased_on", period) > numpy.datetime64(period.start, "D")


class child_basic_living_eligible(Variable):
    value_type = bool
    entity = person
    definition_period = DateUnit.DAY
    label = "Orphan, HIV-infected or factually unsupported child (child_basic_living)"

    def formula(person, period, parameters):
        minor = person("age", period) < parameters(period).child_basic_living.age_limit
        category = (person("orphan", period) | person("hiv_infected", period)
                    | person("factually_unsupported", period))
        return person("alive", period) & minor & category


class tekun_eligible(Variable):
    value_type = bool
    entity = person
    definition_period = DateUnit.DAY
    label = "Extreme-poverty support (tekun); yields to child_basic_living"

    def formula(person, period, parameters):
        age = person("age", period)
        grade = person("disability_grade", period)
        category = ((age >= parameters(period).tekun.elderly_age) | (grade == 1) | (grade == 2)
                    | (age < person.household("tekun_minor_age_limit", period)))
        return (person("alive", period) & ~person("can_work", period)
                & (person("monthly_income", period) == 0)
                & ~person("has_able_supporter", period) & category
                & ~person("child_basic_living_eligible", period))


class in_dibao_unit(Variable):
    value_type = bool
    entity = person
    definition_period = DateUnit.DAY
    label = "Alive and supported neither by tekun nor by child_basic_living"

    def formula(person, period):
        return (person("alive", period) & ~person("tekun_eligible", period)
                & ~person("child_basic_living_eligible", period))


class unit_size(Variable):
    value_type = int
    entity = household
    definition_period = DateUnit.DAY
    label = "Members of the dibao unit"

    def formula(household, period):
        return household.sum(household.members("in_dibao_unit", period))


class countable_income(Variable):
    value_type = float
    entity = household
    definition_period = DateUnit.DAY
    label = "max(0, (unit income − rigid expenses) / unit size); 0 for an empty unit"

    def formula(household, period):
        in_unit = household.members("in_dibao_unit", period)
        income = household.sum(household.members("monthly_income", period) * in_unit)
        size = household("unit_size", period)
        net = income - household("monthly_rigid_expenses", period)
        return numpy.maximum(0.0, net / numpy.maximum(size, 1))


class asset_test(Variable):
    value_type = bool
    entity = household
    definition_period = DateUnit.DAY
    label = "Assets within the limit of so many months of the standard per unit member"

    def formula(household, period, parameters):
        limit = (parameters(period).dibao.asset_limit_months
                 * household("dibao_standard", period) * household("unit_size", period))
        return household("assets", period) <= limit


class dibao_eligible(Variable):
    value_type = bool
    entity = household
    definition_period = DateUnit.DAY
    label = "Minimum living guarantee (dibao) for the household"

    def formula(household, period):
        return ((household("unit_size", period) > 0)
                & (household("countable_income", period) < household("dibao_standard", period))
                & household("asset_test", period))


class dibao_amount(Variable):
    value_type = float
    entity = household
    definition_period = DateUnit.DAY
    label = "(standard − countable income) × unit size, half-up to 0.01; 0 when not eligible"

    def formula(household, period):
        gap = household("dibao_standard", period) - household("countable_income", period)
        amount = half_up_cents(gap * household("unit_size", period))
        return numpy.where(household("dibao_eligible", period), amount, 0.0)


class dibao_edge_eligible(Variable):
    value_type = bool
    entity = household
    definition_period = DateUnit.DAY
    label = "Near-poor household: not dibao, income under 1.5 × the standard, assets within"

    def formula(household, period, parameters):
        limit = parameters(period).dibao.edge_factor * household("dibao_standard", period)
        return (~household("dibao_eligible", period) & (household("unit_size", period) > 0)
                & (household("countable_income", period) < limit)
                & household("asset_test", period))


class special_hardship(Variable):
    value_type = bool
    entity = person
    definition_period = DateUnit.DAY
    label = "Severe disability (grade 1 or 2) or serious illness"

    def formula(person, period):
        grade = person("disability_grade", period)
        return (grade == 1) | (grade == 2) | person("serious_illness", period)


class single_person_eligible(Variable):
    value_type = bool
    entity = person
    definition_period = DateUnit.DAY
    label = "Kunming: a severely disabled or seriously ill member of a near-poor household"

    def formula(person, period):
        standard = person.household("dibao_standard", period)
        return (person("single_person_in_force", period)
                & person.household("dibao_edge_eligible", period)
                & person("in_dibao_unit", period) & person("special_hardship", period)
                & (person("monthly_income", period) < standard))


class single_person_amount(Variable):
    value_type = float
    entity = person
    definition_period = DateUnit.DAY
    label = "Standard − own income, half-up to 0.01; 0 when not eligible"

    def formula(person, period):
        gap = person.household("dibao_standard", period) - person("monthly_income", period)
        return numpy.where(person("single_person_eligible", period), half_up_cents(gap), 0.0)


COMPUTED = [dibao_standard, tekun_minor_age_limit, single_person_in_force, age, alive,
            child_basic_living_eligible, tekun_eligible, in_dibao_unit, unit_size,
            countable_income, asset_test, dibao_eligible, dibao_amount, dibao_edge_eligible,
            special_hardship, single_person_eligible, single_person_amount]


def build_system() -> TaxBenefitSystem:
    """The tax-benefit system: two entities, the parameters above, the variables above."""
    system = TaxBenefitSystem([person, household])
    system.parameters = ParameterNode("", data=PARAMETERS)
    system.add_variables(*INPUTS, *COMPUTED)
    return system


# ------------------------------------------------------------------ the vectorised run
def build_simulation(system: TaxBenefitSystem, population, period):
    """A simulation of every household at once, from arrays (no per-household dicts)."""
    builder = SimulationBuilder()
    builder.create_entities(system)
    person_household = population["person_household"]
    builder.declare_person_entity("person", numpy.arange(len(person_household)))
    households = builder.declare_entity("household", numpy.arange(len(population["assets"])))
    builder.join_with_persons(households, person_household,
                              numpy.zeros(len(person_household), dtype=int))  # role: member
    simulation = builder.build(system)

    place_index = numpy.array([Jurisdiction[name.replace(".", "_")].index
                               for name in population["places"]])
    simulation.set_input("jurisdiction", period, place_index[population["household_place"]])
    deceased_on = population["deceased_on"]
    simulation.set_input("deceased_on", period,
                         numpy.where(numpy.isnat(deceased_on), numpy.datetime64(NOT_DECEASED), deceased_on))
    for name in ("assets", "monthly_rigid_expenses", "birth_date", "monthly_income",
                 "disability_grade", "can_work", "has_able_supporter", "serious_illness",
                 "orphan", "hiv_infected", "factually_unsupported"):
        simulation.set_input(name, period, population[name])
    return simulation


def screen(system: TaxBenefitSystem, population) -> tuple[dict, dict]:
    """Build and compute; the decisions and the seconds each step took."""
    period = to_period(str(population["date"]))
    start, start_cpu = time.perf_counter(), time.process_time()
    simulation = build_simulation(system, population, period)
    built = time.perf_counter()
    decisions = {name: simulation.calculate(variable, period)
                 for variable, name in OUTPUTS.items()}
    done = time.perf_counter()
    return decisions, {"build_seconds": built - start, "compute_seconds": done - built,
                       "cpu_seconds": time.process_time() - start_cpu}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help=".npz written by benchmarks/hand_polars.py")
    parser.add_argument("--output", help="write the decisions here (.npz)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs after a warm-up")
    args = parser.parse_args(argv)
    with numpy.load(args.input) as stored:  # reading the file is not timed
        population = {name: stored[name] for name in stored.files}
    system = build_system()  # once per process, as policylang loads rules/ once
    decisions, _ = screen(system, population)  # warm-up
    runs = [screen(system, population)[1] for _ in range(max(1, args.repeat))]
    timing = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    persons = len(population["person_household"])
    totals = [run["build_seconds"] + run["compute_seconds"] for run in runs]
    seconds = statistics.median(totals)
    if args.output:
        numpy.savez(args.output, **decisions)
    print(json.dumps({"persons": persons, "households": len(population["assets"]),
                      "date": str(population["date"]), **timing, "seconds": seconds,
                      "best_seconds": min(totals), "persons_per_s": persons / seconds,
                      "best_persons_per_s": persons / min(totals), "runs": len(runs),
                      "openfisca_core": version("openfisca-core")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
