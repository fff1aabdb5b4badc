"""Baseline: the dibao rules as a data engineer would hand-write them in Polars.

The population-screening benchmark compares policylang's compiled batch engine
with what a practitioner would write without it. This module is that practitioner:
`dibao` (the household decision and Kunming's single-person exception) and
`dibao_edge`, exactly as `rules/dibao.policy`, `rules/tekun.policy` and
`rules/child_basic_living.policy` decide them, written for speed — one lazy plan,
group_by + join, exact Decimal money (no float touches an amount).

It is the practical limit for *clean* data, not a reference: a household with a
null or invalid value in any column used here (a missing income, a disability grade
outside 0–4, a negative amount, an unknown place) is dropped, where policylang
would answer `unknown` or report the bad fact. A null `deceased_on` means alive.
Facts no decision here reads (hukou, relation, …) are not checked, nor are member ids
for duplicates, so a few households policylang rejects are decided here.

    python benchmarks/hand_polars.py [--persons 1000000] [--openfisca] [--repeat 5]
    python benchmarks/hand_polars.py --check [--persons 10000] [--date 2023-08-01 ...]

The population comes from `policylang.tools.synth.generate`. Timing prints JSON: the median
and best of `--repeat` runs of `dibao_by_hand` on tables already in memory, and with
`--openfisca` the same for benchmarks/openfisca_screen.py run in its own venv on the
clean households (its persons/s counts those persons only). `--check` compares the
decisions with OpenFisca's and with policylang's own (`RuleSet.screen`) per household,
and exits 1 on any disagreement.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
OPENFISCA_PYTHON = "/work/venv-openfisca/bin/python"
MONEY = pl.Decimal(18, 2)
# Polars gives a Decimal product the larger scale of its operands and rounds there
# (1196.01 × 1.5 → 1794.02), so a product with a fractional factor is taken at 4 places.
WIDE = pl.Decimal(38, 4)

# --------------------------------------------------------------- parameters
# Transcribed from rules/places.policy, dibao.policy and tekun.policy on purpose: a
# baseline is an independent implementation, and --check compares it with OpenFisca's
# transcription (and policylang's own) on dates either side of every change.
PLACE_PARENTS = {
    "national": None, "yunnan": "national", "kunming": "yunnan", "kunming.guandu": "kunming",
    "jiangsu": "national", "changzhou": "jiangsu", "donghai": "jiangsu",
    "zhejiang": "national", "hangzhou": "zhejiang",
}
D = dt.date
# name: [(place, in force from, in force until (inclusive), value)]; None = open-ended.
PARAMETER_VALUES = {
    "dibao_standard": [
        ("national", None, None, Decimal(700)),
        ("kunming", D(2022, 1, 1), None, Decimal(800)),
        ("changzhou", None, D(2022, 12, 31), Decimal(950)),
        ("changzhou", D(2023, 1, 1), None, Decimal(1000)),
        ("donghai", D(2022, 1, 1), None, Decimal(850)),
        ("hangzhou", D(2023, 7, 1), None, Decimal(1196)),
    ],
    "dibao_asset_limit_months": [("national", None, None, 24)],
    "dibao_edge_factor": [("national", None, None, Decimal("1.5"))],
    "tekun_minor_age_limit": [
        ("national", None, D(2021, 6, 30), 16),
        ("national", D(2021, 7, 1), None, 18),
        ("kunming", None, D(2021, 12, 31), 16),
        ("kunming", D(2022, 1, 1), None, 18),
    ],
    # Not a parameter but scoped the same way: `exception single_person … applies in
    # kunming from 2022-01-01` covers Kunming and the places within it.
    "single_person_in_force": [("national", None, None, False),
                               ("kunming", D(2022, 1, 1), None, True)],
}
ELDERLY_AGE = 60  # tekun's category "age >= 60"
CHILD_AGE_LIMIT = 18  # child_basic_living's "age < 18"


def value_on(name: str, place: str, date: dt.date):
    """The value of a parameter in force for `place` on `date`, falling back to the parent.

    >>> value_on("dibao_standard", "kunming.guandu", D(2023, 8, 1))
    Decimal('800')
    >>> value_on("dibao_standard", "hangzhou", D(2023, 6, 30))
    Decimal('700')
    """
    while place is not None:
        for where, start, end, value in PARAMETER_VALUES[name]:
            if where == place and (start is None or start <= date) and (end is None or date <= end):
                return value
        place = PLACE_PARENTS[place]
    raise LookupError(f"no value of {name} on {date}")


def born_by(date: dt.date, years: int) -> dt.date:
    """The latest birth date of someone aged at least `years` full years (周岁) on `date`.

    Comparing birth dates with it replaces an age column: `age >= 60` is
    `birth_date <= born_by(date, 60)`, `age < 18` is `birth_date > born_by(date, 18)`.
    Someone born on 29 February has their birthday on 1 March in other years.

    >>> born_by(D(2023, 8, 1), 60), born_by(D(2024, 2, 29), 1)
    (datetime.date(1963, 8, 1), datetime.date(2023, 2, 28))
    """
    if (date.month, date.day) == (2, 29) and not _leap(date.year - years):
        return D(date.year - years, 2, 28)
    return date.replace(year=date.year - years)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def parameters_on(date: dt.date) -> pl.LazyFrame:
    """One row per place: the parameters in force there on `date`, joined to households.

    >>> parameters_on(D(2023, 8, 1)).filter(pl.col("jurisdiction") == "hangzhou") \\
    ...     .select("dibao_standard", "single_person_in_force").collect().row(0)
    (Decimal('1196.00'), False)
    """
    places = list(PLACE_PARENTS)
    return pl.LazyFrame({
        "jurisdiction": places,
        "dibao_standard": [value_on("dibao_standard", p, date) for p in places],
        "asset_limit_months": [value_on("dibao_asset_limit_months", p, date) for p in places],
        "edge_factor": [value_on("dibao_edge_factor", p, date) for p in places],
        "minor_born_after": [born_by(date, value_on("tekun_minor_age_limit", p, date))
                             for p in places],
        "single_person_in_force": [value_on("single_person_in_force", p, date) for p in places],
    }, schema_overrides={"dibao_standard": MONEY, "asset_limit_months": pl.Int32,
                         "edge_factor": WIDE})


# --------------------------------------------------------------- the rules
HOUSEHOLD_FACTS = ["id", "jurisdiction", "assets", "monthly_rigid_expenses"]
MEMBER_FACTS = ["household_id", "id", "birth_date", "monthly_income", "can_work",
                "has_able_supporter", "disability_grade", "serious_illness", "orphan",
                "hiv_infected", "factually_unsupported"]  # deceased_on may be null: alive


class DibaoDecisions(NamedTuple):
    """What `dibao_by_hand` decides, for the clean households only."""

    households: pl.DataFrame  # household_id, dibao, amount (null unless dibao), dibao_edge
    # household_id, member_id, eligible, amount (null unless eligible): the members who
    # could be covered alone — severe disability or serious illness, where the exception is
    # in force. Every other member is not eligible, and is not listed.
    single_person: pl.DataFrame


def dibao_by_hand(households: pl.DataFrame, members: pl.DataFrame,
                  date: dt.date) -> DibaoDecisions:
    """Decide dibao, dibao_edge and the single-person exception for every clean household.

    The plan: members grouped by household once (unit size and income, and whether the
    household must be dropped); households joined to their place's parameters and to
    that; then the few hardship members joined to their household's dibao_edge decision.
    No join of every member to its household: see `_unit_by_household`.

    >>> households, members = read_example_facts(["examples/changzhou-dibao.json"])
    >>> dibao_by_hand(households, members, D(2023, 8, 1)).households.row(0)
    ('changzhou-dibao', True, Decimal('600.00'), False)
    """
    parameters = parameters_on(date)
    minor_cutoffs = sorted(set(parameters.collect()["minor_born_after"]))
    # countable_income × unit_size, compared and subtracted as totals: the rules' per-person
    # quotient (income − expenses) / unit_size would be rounded to 2 places by a Polars
    # Decimal division, and (1000 − 1400/3) × 3 would come out 1599.99 instead of 1600.00.
    standard_total = pl.col("dibao_standard") * pl.col("unit_size")
    countable_total = (pl.col("unit_income") - pl.col("monthly_rigid_expenses")).clip(0)
    asset_test = pl.col("assets") <= pl.col("asset_limit_months") * standard_total
    someone_in_unit = pl.col("unit_size") > 0
    dibao = someone_in_unit & (countable_total < standard_total) & asset_test
    edge_limit = pl.col("edge_factor") * pl.col("dibao_standard").cast(WIDE) * pl.col("unit_size")
    decided = (
        households.lazy()
        .filter(pl.all_horizontal(pl.col(HOUSEHOLD_FACTS).is_not_null()),
                pl.col("assets") >= 0, pl.col("monthly_rigid_expenses") >= 0)
        .join(parameters, on="jurisdiction")  # an unknown place drops here
        .join(_unit_by_household(members, date, minor_cutoffs), left_on="id",
              right_on="household_id", how="left")  # a household may have no members
        .filter(pl.col("facts_valid").fill_null(True))
        .with_columns(unit_size=pl.col("size_before_minor_clause").fill_null(0) - pl.coalesce(
            *(pl.when(pl.col("minor_born_after") == cutoff).then(f"young_tekun_{i}")
              for i, cutoff in enumerate(minor_cutoffs)), 0),
            unit_income=pl.col("unit_income").fill_null(0))
        .with_columns(dibao=dibao)
        .with_columns(
            amount=pl.when("dibao").then(_cents(standard_total - countable_total)),
            dibao_edge=~pl.col("dibao") & someone_in_unit & (countable_total < edge_limit)
            & asset_test,
        )
        .rename({"id": "household_id"})
        .collect()
    )
    in_unit_everywhere, no_means = _dibao_unit_tests(date)
    single_person = (
        members.lazy()
        .filter(pl.col("disability_grade").is_in([1, 2]) | pl.col("serious_illness"))
        .join(decided.lazy().filter("single_person_in_force").select(
            "household_id", "dibao_edge", "dibao_standard", "minor_born_after"),
            on="household_id")  # members of dropped households drop here
        .with_columns(eligible=pl.col("dibao_edge") & in_unit_everywhere
                      & ~(no_means & (pl.col("birth_date") > pl.col("minor_born_after")))
                      & (pl.col("monthly_income") < pl.col("dibao_standard")))
        .select("household_id", "eligible", member_id="id", amount=pl.when("eligible").then(
            _cents(pl.col("dibao_standard") - pl.col("monthly_income"))))
        .collect()
    )
    return DibaoDecisions(decided.select("household_id", "dibao", "amount", "dibao_edge"),
                          single_person.select("household_id", "member_id", "eligible", "amount"))


def _unit_by_household(members: pl.DataFrame, date: dt.date,
                       minor_cutoffs: list[dt.date]) -> pl.LazyFrame:
    """Per household: whether its member facts are usable, and its dibao unit.

    Two members sharing an id are not looked for: no decision depends on the id, which
    only labels single-person decisions, and counting distinct ids per household would
    cost a third of the whole plan (policylang rejects such a household, PL107).

    The unit is `alive and not (tekun or child_basic_living)`, and one clause of it
    depends on the household's place: tekun's `age < tekun_minor_age_limit`. Joining every
    member to its household for that one limit would be the costliest step of the plan
    (a hash join of a million string keys), so members are grouped as they come: the size of the unit before
    that clause, and for each minor age limit in force somewhere on the date (usually
    one) how many members it would take out (`young_tekun_<i>`); the household picks
    its count once it knows its place. Those members have no income (tekun needs
    none), so the unit income does not depend on the place.
    """
    in_unit_everywhere, no_means = _dibao_unit_tests(date)
    born = pl.col("birth_date")
    young_tekun = {f"young_tekun_{i}": (in_unit_everywhere & no_means & (born > cutoff)).sum()
                   for i, cutoff in enumerate(minor_cutoffs)}
    return members.lazy().group_by("household_id").agg(
        facts_valid=_member_facts_valid().all(),
        size_before_minor_clause=in_unit_everywhere.sum(),
        unit_income=pl.when(in_unit_everywhere).then("monthly_income").sum(),
        **young_tekun,
    )


def _dibao_unit_tests(date: dt.date) -> tuple[pl.Expr, pl.Expr]:
    """The dibao unit's membership, as (what holds in every place, tekun's means test).

    A member is in the unit when `in_unit_everywhere` and not (`no_means` and younger
    than the place's tekun minor age limit). tekun yields to child_basic_living, but the
    unit leaves out members of either, so the priority does not matter here; both need
    `alive`, which the unit asks anyway. Ages are compared as birth dates (`born_by`).
    """
    alive = pl.col("deceased_on").is_null() | (pl.col("deceased_on") > date)
    born = pl.col("birth_date")
    no_means = (~pl.col("can_work") & (pl.col("monthly_income") == 0)
                & ~pl.col("has_able_supporter"))
    tekun_elderly_or_disabled = no_means & (
        (born <= born_by(date, ELDERLY_AGE)) | pl.col("disability_grade").is_in([1, 2]))
    child_basic_living = (
        (born > born_by(date, CHILD_AGE_LIMIT))
        & (pl.col("orphan") | pl.col("hiv_infected") | pl.col("factually_unsupported"))
    )
    return alive & ~tekun_elderly_or_disabled & ~child_basic_living, no_means


def _cents(amount: pl.Expr) -> pl.Expr:
    """`rounded half_up to 0.01` (Polars rounds half to even unless told; amounts are >= 0)."""
    return amount.round(2, mode="half_away_from_zero")


def _member_facts_valid() -> pl.Expr:
    """No used fact unknown, income not negative, disability grade in 0–4."""
    return (pl.all_horizontal(pl.col(MEMBER_FACTS).is_not_null())
            & (pl.col("monthly_income") >= 0) & pl.col("disability_grade").is_between(0, 4))


# --------------------------------------------------------------- populations
def read_example_facts(paths: list[str | Path]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Household facts files (CONTRACT §1 JSON, as in examples/) as the two input tables.

    >>> households, members = read_example_facts(["examples/changzhou-dibao.json",
    ...     "examples/kunming-edge-family.json", "examples/donghai-orphan.json"])
    >>> decided = dibao_by_hand(households, members, D(2023, 8, 1))
    >>> decided.households.sort("household_id").rows()  # doctest: +NORMALIZE_WHITESPACE
    [('changzhou-dibao', True, Decimal('600.00'), False),
     ('donghai-orphan', False, None, False), ('kunming-edge-family', False, None, True)]
    >>> decided.single_person.filter("eligible").rows()
    [('kunming-edge-family', 'p2', True, Decimal('800.00'))]
    """
    facts = [json.loads((ROOT / path).read_text()) for path in paths]
    households = pl.DataFrame([{k: h[k] for k in HOUSEHOLD_FACTS} for h in facts])
    members = pl.DataFrame([{"household_id": h["id"], **m} for h in facts for m in h["members"]],
                           schema_overrides={"deceased_on": pl.String})
    money = ["assets", "monthly_rigid_expenses"]
    return (households.with_columns(pl.col(money).cast(MONEY)),
            members.with_columns(pl.col("monthly_income").cast(MONEY),
                                 pl.col("birth_date", "deceased_on").str.to_date()))


def population(persons: int, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The benchmark population: households and members from policylang's generator."""
    from policylang.tools.synth import generate

    generated = generate(persons, seed)
    return generated.households, generated.members


# --------------------------------------------------------------- OpenFisca hand-over
def write_openfisca_input(households: pl.DataFrame, members: pl.DataFrame,
                          kept: pl.Series, date: dt.date, path: Path) -> pl.DataFrame:
    """Write the kept households' facts as NumPy arrays to `path` (.npz) for openfisca_screen.

    OpenFisca's venv has NumPy but neither Polars nor pyarrow, so the columns travel as
    plain arrays: money as float64 (OpenFisca computes in floats), places as codes into
    `places`, each person's household as an index into the household arrays. Returns
    the members in the order written, to match OpenFisca's per-person results back.
    """
    kept_households = (households.join(kept.to_frame("id"), on="id", maintain_order="right")
                       .with_row_index("household_index"))
    people = (members.join(kept_households.select(household_id="id", household_index=pl.col(
        "household_index")), on="household_id").sort("household_index", maintain_order=True))
    places = list(PLACE_PARENTS)
    place_code = pl.col("jurisdiction").replace_strict(places, list(range(len(places))))

    def floats(frame, column):
        return frame[column].cast(pl.Float64).to_numpy()

    def flags(frame, column):
        return frame[column].to_numpy()

    np.savez(
        path, date=np.datetime64(date, "D"), places=np.array(places),
        household_place=kept_households.select(place_code).to_series().to_numpy(),
        assets=floats(kept_households, "assets"),
        monthly_rigid_expenses=floats(kept_households, "monthly_rigid_expenses"),
        person_household=people["household_index"].to_numpy(),
        birth_date=people["birth_date"].to_numpy(),
        deceased_on=people["deceased_on"].to_numpy(),  # NaT: alive
        monthly_income=floats(people, "monthly_income"),
        disability_grade=people["disability_grade"].to_numpy(),
        **{name: flags(people, name) for name in (
            "can_work", "has_able_supporter", "serious_illness", "orphan", "hiv_infected",
            "factually_unsupported")},
    )
    return people.select("household_id", member_id="id")


def run_openfisca(input_path: Path, output_path: Path, python: str = OPENFISCA_PYTHON) -> dict:
    """Run openfisca_screen.py in its own venv; its timing JSON (results go to output_path)."""
    done = subprocess.run(
        [python, str(ROOT / "benchmarks" / "openfisca_screen.py"), str(input_path),
         "--output", str(output_path)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"openfisca_screen.py failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def openfisca_decisions(output_path: Path, kept: pl.Series,
                        people: pl.DataFrame) -> DibaoDecisions:
    """OpenFisca's float results in `dibao_by_hand`'s shape, amounts rounded to 0.01.

    Like `dibao_by_hand`, single-person decisions are listed for the members with a
    severe disability or a serious illness where the exception is in force.
    """
    result = np.load(output_path)

    def cents(values, eligible):
        return pl.Series(values).round(2).cast(MONEY).to_frame("a").select(
            pl.when(pl.Series(eligible)).then("a")).to_series()

    households = pl.DataFrame({
        "household_id": kept, "dibao": result["dibao"],
        "amount": cents(result["dibao_amount"], result["dibao"]),
        "dibao_edge": result["dibao_edge"]})
    members = people.with_columns(
        eligible=pl.Series(result["single_person"]),
        amount=cents(result["single_person_amount"], result["single_person"]),
    ).filter(pl.Series(result["single_person_in_force"] & result["hardship"]))
    return DibaoDecisions(households, members)


# --------------------------------------------------------------- agreement
def disagreements(mine: DibaoDecisions, theirs: DibaoDecisions) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Households and members on which two sets of decisions differ (amounts to 0.01).

    Both sides must cover the same households; a household only one side decided is
    a disagreement too. Members are compared where either side finds them eligible.
    """
    keys = ["household_id"]
    households = mine.households.join(theirs.households, on=keys, how="full", coalesce=True,
                                      suffix="_theirs").filter(
        pl.any_horizontal(
            pl.col(c).ne_missing(pl.col(f"{c}_theirs")) for c in ("dibao", "amount", "dibao_edge")))
    members_keys = ["household_id", "member_id"]
    members = (mine.single_person.filter("eligible").select(*members_keys, "amount")
               .join(theirs.single_person.filter("eligible").select(*members_keys, "amount"),
                     on=members_keys, how="full", coalesce=True, suffix="_theirs")
               .filter(pl.col("amount").ne_missing(pl.col("amount_theirs"))))
    return households, members


def policylang_decisions(households: pl.DataFrame, members: pl.DataFrame,
                         date: dt.date) -> DibaoDecisions:
    """policylang's own answers (`RuleSet.screen`, its batch engine) in `dibao_by_hand`'s
    shape. Households it could not decide (unknown or bad facts) are left out."""
    import policylang

    rules = policylang.load(ROOT / "rules")
    rows = rules.screen(households, members, date=date, programs=["dibao", "dibao_edge"])
    rows = rows.lazy() if isinstance(rows, pl.DataFrame) else rows
    decided = rows.filter(pl.col("outcome").is_in(["eligible", "not_eligible"]))
    household_rows = decided.filter(pl.col("subject_kind") == "household")
    flag = (pl.col("outcome") == "eligible")
    dibao = household_rows.filter(pl.col("program") == "dibao").select(
        "household_id", dibao=flag, amount=pl.when(flag).then(
            pl.col("amount_value").cast(MONEY)))
    edge = household_rows.filter(pl.col("program") == "dibao_edge").select(
        "household_id", dibao_edge=flag)
    single_person = decided.filter(pl.col("subject_kind") == "member",
                                   pl.col("program") == "dibao").select(
        "household_id", member_id="subject_id", eligible=flag,
        amount=pl.when(flag).then(pl.col("amount_value").cast(MONEY)))
    both, single = pl.collect_all([dibao.join(edge, on="household_id"), single_person])
    return DibaoDecisions(both, single)


def counts(decisions: DibaoDecisions) -> dict:
    table = decisions.households
    return {"households": table.height, "dibao": table["dibao"].sum(),
            "dibao_edge": table["dibao_edge"].sum(),
            "single_person": decisions.single_person["eligible"].sum(),
            "dibao_amount_total": str(table["amount"].sum())}


def only(decisions: DibaoDecisions, household_ids: pl.DataFrame) -> DibaoDecisions:
    """The decisions about the households listed in `household_ids` only."""
    return DibaoDecisions(*(table.join(household_ids, on="household_id", how="semi")
                            for table in decisions))


def check(persons: int, seed: int, dates: list[dt.date], openfisca_python: str) -> int:
    """Hand-written Polars agrees with OpenFisca and with policylang, household by household.

    OpenFisca gets the households kept here; policylang gets the whole population and is
    compared on the households both decided (it decides some dropped here, as unknown
    or not, and rejects a few kept here, such as those with an unknown hukou).
    """
    households, members = population(persons, seed)
    found = 0
    for date in dates:
        mine = dibao_by_hand(households, members, date)
        kept = mine.households["household_id"]
        with tempfile.TemporaryDirectory() as tmp:
            given, taken = Path(tmp) / "input.npz", Path(tmp) / "output.npz"
            people = write_openfisca_input(households, members, kept, date, given)
            run_openfisca(given, taken, openfisca_python)
            openfisca = openfisca_decisions(taken, kept, people)
        screened = policylang_decisions(households, members, date)
        common = screened.households.join(mine.households, on="household_id",
                                          how="semi").select("household_id")
        print(f"{date}: {persons:,} persons, {len(households):,} households, "
              f"{len(kept):,} clean; hand-written Polars {counts(mine)}")
        for name, ours, theirs in (("openfisca", mine, openfisca),
                                   ("policylang", only(mine, common), only(screened, common))):
            bad_households, bad_members = disagreements(ours, theirs)
            found += bad_households.height + bad_members.height
            verdict = ("agree" if bad_households.height + bad_members.height == 0 else
                       f"DISAGREE on {bad_households.height} households, {bad_members.height} members")
            print(f"  {name:<10} {verdict} on {theirs.households.height:,} households; "
                  f"{counts(theirs)}")
            for table in (bad_households, bad_members):
                if table.height:
                    print(table.head(10))
    return 1 if found else 0


# --------------------------------------------------------------- timing
def time_hand_polars(households: pl.DataFrame, members: pl.DataFrame, date: dt.date,
                     repeat: int) -> dict:
    """Median and best wall seconds, and median CPU seconds, of `dibao_by_hand` after a
    warm-up (tables in memory).

    On a shared 2-core machine other people's work slows some runs: the best run is the
    figure least disturbed, and CPU time (all of Polars' threads) shows how much of
    the wall time was spent computing.
    """
    dibao_by_hand(households, members, date)
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        dibao_by_hand(households, members, date)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    seconds = statistics.median(wall)
    return {"seconds": seconds, "best_seconds": min(wall), "cpu_seconds": statistics.median(cpu),
            "persons_per_s": len(members) / seconds,
            "best_persons_per_s": len(members) / min(wall), "runs": repeat}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int,
                        help="population size (default 10^6, or 10^4 with --check)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--date", type=D.fromisoformat, action="append",
                        help="evaluation date (repeatable with --check; default 2023-08-01)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of the Polars plan")
    parser.add_argument("--openfisca", action="store_true",
                        help="also time openfisca_screen.py on the same clean population")
    parser.add_argument("--openfisca-python", default=OPENFISCA_PYTHON)
    parser.add_argument("--check", action="store_true",
                        help="compare with OpenFisca (and policylang) on --persons (default 10^4)")
    args = parser.parse_args(argv)
    dates = args.date or [D(2023, 8, 1)]
    if args.check:
        return check(args.persons or 10_000, args.seed, dates, args.openfisca_python)

    households, members = population(args.persons or 1_000_000, args.seed)
    timing = time_hand_polars(households, members, dates[0], args.repeat)
    decided = dibao_by_hand(households, members, dates[0])
    result = {"persons": len(members), "households": len(households),
              "clean_households": decided.households.height, "date": str(dates[0]),
              "load_average": os.getloadavg()[0],
              "hand_polars": timing | {"polars": pl.__version__}}
    if args.openfisca:
        with tempfile.TemporaryDirectory() as tmp:
            given, taken = Path(tmp) / "input.npz", Path(tmp) / "output.npz"
            kept = decided.households["household_id"]
            people = write_openfisca_input(households, members, kept, dates[0], given)
            timing = run_openfisca(given, taken, args.openfisca_python)
        # OpenFisca only sees the clean persons; its rate is counted on those.
        result["openfisca"] = timing | {"clean_persons": len(people)}
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
