"""Synthetic populations: many plausible households to run the rules on at scale.

Real assistance files hold personal data, so benchmarks, the batch engine and demonstrations
need made-up households instead. They are only useful if they look like the cases the rules
decide on: poor and near-poor families, elderly people with no one to support them, orphans,
severely disabled members, recent deaths, emergencies, in every place the rules name. Real
files also carry unknown facts and broken rows, so a few of each are put in on purpose, at the
rates set below, each broken household broken in exactly one way.

Every column is drawn for all rows at once with numpy (no loop per person or household), so
ten million persons take seconds, and one seed always gives the same population.

>>> population = generate(persons=1000, seed=7)
>>> population.members.height, set(PLACES) <= set(population.households["jurisdiction"])
(1000, True)
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import numpy as np
import polars as pl


@attrs.frozen
class Lognormal:
    """A positive amount, skewed like incomes: half fall below `median`; `spread` is the
    standard deviation of its logarithm (0.5: most within ×0.4 … ×2.7 of the median)."""

    median: float
    spread: float

    def draw(self, count: int, rng: np.random.Generator) -> np.ndarray:
        return rng.lognormal(np.log(self.median), self.spread, count)


REFERENCE_DATE = np.datetime64("2023-08-01", "D")  # ages and event windows are set against it
DAYS_PER_YEAR = 365.25

PLACES = ("kunming", "kunming.guandu", "changzhou", "donghai", "hangzhou")
PLACE_SHARES = (0.25, 0.15, 0.25, 0.15, 0.20)  # households per place (illustrative)
NEIGHBOUR_OF = np.array([1, 0, 2, 3, 4])  # kunming <-> kunming.guandu, a city and its district
#   that records mix up; the other places have no neighbour and map to themselves
HOME_HUKOU_RATE = 0.92  # members registered where they live; the rest are migrants
UNKNOWN_PLACE = "atlantis"  # a place no rule knows, for broken rows

RELATIONS = ("head", "spouse", "child", "parent", "grandchild", "grandparent", "sibling", "other")
CARE_DEPENDENCY = ("none", "mild", "moderate", "severe")
EVENT_KINDS = ("disaster", "accident", "stranded", "job_loss_without_support")

AGE_BANDS = {  # full years on REFERENCE_DATE, both ends included
    "minor": (0, 17),
    "minor_without_parents": (0, 17),  # lives with neither parent: may be orphaned or unsupported
    "parenting": (25, 54),  # an adult raising minors
    "adult": (18, 59),
    "elderly": (60, 95),  # drawn with fewer people at higher ages
}
SPOUSE_AGE_GAP_YEARS = 3.0  # spread of a spouse's age around the head's

HOUSEHOLD_TEMPLATES = (  # (share of households in %, members as relation:age band, head first)
    (7.0, "head:adult"),
    (6.5, "head:elderly"),
    (0.3, "head:minor_without_parents"),
    (12.0, "head:adult spouse:adult"),
    (9.0, "head:elderly spouse:elderly"),
    (4.0, "head:parenting child:minor"),
    (1.5, "head:elderly grandchild:minor_without_parents"),
    (0.3, "head:adult sibling:minor_without_parents"),
    (0.7, "head:adult parent:elderly"),
    (1.0, "head:adult grandparent:elderly"),
    (18.0, "head:parenting spouse:parenting child:minor"),
    (4.0, "head:adult spouse:adult parent:elderly"),
    (2.0, "head:elderly spouse:elderly grandchild:minor_without_parents"),
    (2.0, "head:elderly spouse:elderly child:adult"),
    (1.0, "head:parenting child:minor child:minor"),
    (10.0, "head:parenting spouse:parenting child:minor child:minor"),
    (6.0, "head:parenting spouse:parenting child:minor parent:elderly"),
    (1.0, "head:adult spouse:adult child:adult other:adult"),
    (5.0, "head:parenting spouse:parenting child:minor parent:elderly parent:elderly"),
    (4.0, "head:parenting spouse:parenting child:minor child:minor parent:elderly"),
    (3.0, "head:parenting spouse:parenting child:minor child:minor parent:elderly parent:elderly"),
    (2.0, "head:elderly spouse:elderly child:adult other:adult grandchild:minor grandchild:minor"),
)

# Health, per person.
DISABILITY_GRADE_SHARES = (0.94, 0.01, 0.015, 0.015, 0.02)  # grade 0 (none), 1, 2, 3, 4
SERIOUS_ILLNESS_RATE = 0.02  # a listed serious illness (重特大疾病)
ELDERLY_CARE_DEPENDENCY_SHARES = (0.80, 0.10, 0.06, 0.04)  # none, mild, moderate, severe
HIV_RATE = 0.002  # rare, but it decides child_basic_living for children

# Work and income, per person, in yuan per month.
ADULT_CANNOT_WORK_RATE = 0.05  # besides severe disability and serious illness
LOW_EARNER_RATE = 0.12  # workers in informal or part-time jobs, paid uniformly 0 … the ceiling
LOW_EARNER_CEILING = 1500.0
REGULAR_WAGE = Lognormal(5500.0, 0.5)  # the other workers
ELDERLY_PENSION_SHARES = (0.10, 0.25, 0.65)  # none at all, rural basic pension, employee pension
BASIC_PENSION_RANGE = (150.0, 400.0)  # the rural basic pension, uniform in this range
EMPLOYEE_PENSION = Lognormal(2800.0, 0.5)

# Support, per person.
SUPPORTER_ELSEWHERE_RATE = 0.85  # an able legal supporter outside the household (children away)
ORPHAN_RATE = 0.25  # of minors living without parents
UNSUPPORTED_RATE = 0.25  # of the other minors living without parents (parents jailed, missing …)
UNSUPPORTED_CHILD_RATE = 0.003  # of children living with a parent who cannot raise them
INSTITUTIONAL_RATE = 0.20  # of people who cannot work and have no able supporter

# Deaths in 2023 (before REFERENCE_DATE), per person.
ELDERLY_DEATH_RATE = 0.015
OTHER_DEATH_RATE = 0.001
NATIONAL_FUNERAL_GRANT_RATE = 0.30  # of the deceased
FIRST_DEATH_DAY = np.datetime64("2023-01-01", "D")

# Household money, in yuan.
SMALL_SAVINGS_CEILING = 8000.0  # every household: uniformly 0 … this
SAVINGS_MONTHS = Lognormal(4.0, 1.0)  # plus this many months of the household's income
LARGE_ASSETS_RATE = 0.05  # plus, for a few, property or savings far above any asset test
LARGE_ASSETS = Lognormal(300_000.0, 0.8)
MEDICAL_SELF_PAY_RATE = 0.12  # households with yearly self-pay, besides the seriously ill
MEDICAL_SELF_PAY = Lognormal(3000.0, 1.0)  # per year
SERIOUS_ILLNESS_SELF_PAY = Lognormal(30_000.0, 0.7)  # per year, with a seriously ill member
OTHER_RIGID_EXPENSE_RATE = 0.08  # education or care costs, on top of medical costs
OTHER_RIGID_EXPENSE = Lognormal(600.0, 0.6)  # per month

# Events, per household.
EVENT_RATE = 0.07  # households with at least one event
SECOND_EVENT_RATE = 0.30  # of those, households with two
EVENT_KIND_SHARES = (0.30, 0.30, 0.15, 0.25)  # in the order of EVENT_KINDS
FIRST_EVENT_DAY = np.datetime64("2022-09-01", "D")  # events fall in this day … REFERENCE_DATE
EVENT_AT_HOME_RATE = 0.85  # the event happened in the household's own place
EVENT_AT_NEIGHBOUR_RATE = 0.10  # kunming / kunming.guandu only: recorded in the other one

# Unknown facts: share of rows whose value is null, i.e. not verified yet.
UNKNOWN_RATES = {
    ("members", "monthly_income"): 0.008,  # income not declared yet
    ("members", "can_work"): 0.006,  # work ability not assessed
    ("members", "has_able_supporter"): 0.007,  # supporters not traced
    ("members", "disability_grade"): 0.005,  # disability assessment pending
    ("households", "assets"): 0.008,  # bank check not returned
}

BAD_HOUSEHOLD_RATE = 0.001  # households with one broken fact, to exercise validation


@attrs.frozen
class Defect:
    """One way a household's record can be broken: `column` of `table` set to `value`.

    `target` says which row: the household's own row, its head, its last member (only in
    households of two or more, so the head is never the one renamed), or an added event row.
    """

    name: str
    table: str
    column: str
    value: object
    target: str


DEFECTS = (  # those needing two members last: one-person households draw among the others
    Defect("negative_assets", "households", "assets", Decimal("-5000.00"), "household"),
    Defect("unknown_jurisdiction", "households", "jurisdiction", UNKNOWN_PLACE, "household"),
    Defect("negative_income", "members", "monthly_income", Decimal("-800.00"), "head"),
    Defect("disability_grade_7", "members", "disability_grade", 7, "head"),
    Defect("unknown_hukou", "members", "hukou", UNKNOWN_PLACE, "head"),
    Defect("unknown_event_kind", "events", "kind", "flood", "event"),
    Defect("relation_cousin", "members", "relation", "cousin", "last"),
    Defect("duplicate_member_id", "members", "id", "p1", "last"),
)
SINGLE_MEMBER_DEFECTS = sum(defect.target != "last" for defect in DEFECTS)
FLOOD = next(row for row, defect in enumerate(DEFECTS) if defect.target == "event")

MONEY = pl.Decimal(18, 2)


@attrs.frozen(eq=False)  # frames compare element-wise; use DataFrame.equals
class Population:
    """A synthetic population: one row per household, per member and per event."""

    households: pl.DataFrame
    members: pl.DataFrame
    events: pl.DataFrame

    def tables(self) -> dict[str, pl.DataFrame]:
        """The three tables by the name their files get."""
        return {"households": self.households, "members": self.members, "events": self.events}


@attrs.frozen(eq=False)
class Layout:
    """Who lives where, as parallel arrays: per household, and per member (head first)."""

    template: np.ndarray  # per household: its row in HOUSEHOLD_TEMPLATES
    size: np.ndarray  # per household
    first_member: np.ndarray  # per household: the member row of its head
    household_of: np.ndarray  # per member: its household's row
    position: np.ndarray  # per member: 0 for the head, then in template order


def _parse_templates():
    """HOUSEHOLD_TEMPLATES as arrays: weights, sizes, and relation and band codes per slot."""
    bands = list(AGE_BANDS)
    relations = np.full((len(HOUSEHOLD_TEMPLATES), 6), -1)
    age_bands = np.full((len(HOUSEHOLD_TEMPLATES), 6), -1)
    for row, (_, members) in enumerate(HOUSEHOLD_TEMPLATES):
        for slot, member in enumerate(members.split()):
            relation, band = member.split(":")
            relations[row, slot] = RELATIONS.index(relation)
            age_bands[row, slot] = bands.index(band)
    weights = np.array([share for share, _ in HOUSEHOLD_TEMPLATES])
    return weights / weights.sum(), (relations >= 0).sum(axis=1), relations, age_bands


TEMPLATE_WEIGHTS, TEMPLATE_SIZES, TEMPLATE_RELATIONS, TEMPLATE_AGE_BANDS = _parse_templates()
# A day's margin at each end keeps the full-year age inside the band whatever the leap years.
BAND_FIRST_DAY = np.array([int(low * DAYS_PER_YEAR) + 2 for low, _ in AGE_BANDS.values()])
BAND_LAST_DAY = np.array([int((high + 1) * DAYS_PER_YEAR) - 2 for _, high in AGE_BANDS.values()])
MINOR_BANDS = [list(AGE_BANDS).index("minor"), list(AGE_BANDS).index("minor_without_parents")]
WITHOUT_PARENTS_BAND = list(AGE_BANDS).index("minor_without_parents")
ELDERLY_BAND = list(AGE_BANDS).index("elderly")


def generate(persons: int, seed: int) -> Population:
    """A population of exactly `persons` members, the same for the same seed.

    >>> a, b = generate(500, seed=1), generate(500, seed=1)
    >>> a.members.equals(b.members), a.members.height
    (True, 500)
    """
    if persons < 1:
        raise ValueError(f"expected at least 1 person, got {persons}")
    rng = np.random.default_rng(seed)
    layout = _draw_layout(persons, rng)
    place = _draw_category(PLACE_SHARES, len(layout.size), rng)
    people = _draw_members(layout, place, rng)
    money = _draw_household_money(layout, people, rng)
    defect = _choose_defects(layout, rng)
    events = _draw_events(place, defect, rng)
    tables = _frames(layout, place, money, people, events)
    tables = _blank_unknowns(tables, rng)
    return Population(**_break(tables, defect, layout))


# ------------------------------------------------------------------ layout
def _draw_layout(persons: int, rng: np.random.Generator) -> Layout:
    """Household templates whose sizes add up to exactly `persons`; the last one is cut short."""
    template = _draw_enough_templates(persons, rng)
    ends = np.cumsum(TEMPLATE_SIZES[template])
    count = int(np.searchsorted(ends, persons)) + 1
    template, size = template[:count], TEMPLATE_SIZES[template[:count]].copy()
    size[-1] -= ends[count - 1] - persons
    first_member = np.cumsum(size) - size
    household_of = np.repeat(np.arange(count), size)
    position = np.arange(persons) - np.repeat(first_member, size)
    return Layout(template, size, first_member, household_of, position)


def _draw_enough_templates(persons: int, rng: np.random.Generator) -> np.ndarray:
    """Templates drawn in batches until they hold at least `persons` people (one batch, nearly
    always: it has room for about 1.5 × `persons`)."""
    batches, people = [], 0
    while people < persons:
        batch = rng.choice(len(TEMPLATE_WEIGHTS), size=persons // 2 + 16, p=TEMPLATE_WEIGHTS)
        batches.append(batch)
        people += int(TEMPLATE_SIZES[batch].sum())
    return np.concatenate(batches)


def _draw_category(shares, count: int, rng: np.random.Generator) -> np.ndarray:
    """Codes 0 … len(shares) - 1, each drawn with its share (shares need not sum to 1)."""
    cumulative = np.cumsum(shares) / np.sum(shares)
    cumulative[-1] = 1.0
    return np.searchsorted(cumulative, rng.random(count), side="right")


def _draw_sometimes(rate: float, amount: Lognormal, count: int,
                    rng: np.random.Generator) -> np.ndarray:
    """Zero in most rows, `amount` in a `rate` share of them. Drawing only the rows that need
    a value is what keeps ten million rows fast."""
    values = np.zeros(count)
    chosen = np.flatnonzero(rng.random(count) < rate)
    values[chosen] = amount.draw(len(chosen), rng)
    return values


def _per_household(values: np.ndarray, layout: Layout) -> np.ndarray:
    """The sum of a member column over each household."""
    return np.bincount(layout.household_of, weights=values, minlength=len(layout.size))


# ------------------------------------------------------------------ members
def _draw_members(layout: Layout, place: np.ndarray, rng: np.random.Generator) -> dict:
    """Every member column as a numpy array (codes for text, yuan for money, days for dates)."""
    template = np.repeat(layout.template, layout.size)
    people = {"relation": TEMPLATE_RELATIONS[template, layout.position],
              "band": TEMPLATE_AGE_BANDS[template, layout.position]}
    people["age_days"] = _draw_age_days(layout, people, rng)
    people.update(_draw_health(people["band"], rng))
    people.update(_draw_work_and_income(people, rng))
    people.update(_draw_support(layout, people, rng))
    people.update(_draw_deaths(people["band"], rng))
    people["hukou"] = _draw_elsewhere(place[layout.household_of], HOME_HUKOU_RATE, 0.0, rng)
    return people


def _draw_age_days(layout: Layout, people: dict, rng: np.random.Generator) -> np.ndarray:
    """Age in days on REFERENCE_DATE: uniform in the band, fewer very old; spouses near the head."""
    band = people["band"]
    share = rng.random(len(band))
    elderly = band == ELDERLY_BAND
    share[elderly] = 1 - np.sqrt(1 - share[elderly])  # density falling linearly from 60 to 95
    first, last = BAND_FIRST_DAY[band], BAND_LAST_DAY[band]
    days = first + ((last - first) * share).astype(np.int64)
    spouses = np.flatnonzero(people["relation"] == RELATIONS.index("spouse"))
    head_days = days[layout.first_member[layout.household_of[spouses]]]
    gap = rng.normal(0, SPOUSE_AGE_GAP_YEARS * DAYS_PER_YEAR, len(spouses)).astype(np.int64)
    days[spouses] = np.clip(head_days + gap, first[spouses], last[spouses])
    return days


def _draw_health(band: np.ndarray, rng: np.random.Generator) -> dict:
    """Disability grade and serious illness for anyone; care dependency only among the elderly."""
    elderly = np.flatnonzero(band == ELDERLY_BAND)
    care = np.zeros(len(band), dtype=np.int64)
    care[elderly] = _draw_category(ELDERLY_CARE_DEPENDENCY_SHARES, len(elderly), rng)
    return {
        "disability_grade": _draw_category(DISABILITY_GRADE_SHARES, len(band), rng),
        "serious_illness": rng.random(len(band)) < SERIOUS_ILLNESS_RATE,
        "care_dependency": care,
        "hiv_infected": rng.random(len(band)) < HIV_RATE,
    }


def _draw_work_and_income(people: dict, rng: np.random.Generator) -> dict:
    """Working-age adults work unless disabled or ill, the elderly may have a pension, no one
    else has an income."""
    band = people["band"]
    working_age = ~np.isin(band, MINOR_BANDS) & (band != ELDERLY_BAND)
    unable = np.isin(people["disability_grade"], [1, 2]) | people["serious_illness"]
    can_work = working_age & ~unable & (rng.random(len(band)) >= ADULT_CANNOT_WORK_RATE)
    income = np.zeros(len(band))
    workers, elderly = np.flatnonzero(can_work), np.flatnonzero(band == ELDERLY_BAND)
    income[workers] = _draw_wage(len(workers), rng)
    income[elderly] = _draw_pension(len(elderly), rng)
    return {"can_work": can_work, "monthly_income": np.round(income, 2)}


def _draw_wage(count: int, rng: np.random.Generator) -> np.ndarray:
    """Monthly wage of a worker: most regular, some low (informal or part-time work)."""
    wage = REGULAR_WAGE.draw(count, rng)
    low = np.flatnonzero(rng.random(count) < LOW_EARNER_RATE)
    wage[low] = rng.uniform(0, LOW_EARNER_CEILING, len(low))
    return wage


def _draw_pension(count: int, rng: np.random.Generator) -> np.ndarray:
    """Monthly pension of an elderly person: none, the small rural basic one, or an employee's."""
    kind = _draw_category(ELDERLY_PENSION_SHARES, count, rng)
    pension = np.zeros(count)
    basic, employee = np.flatnonzero(kind == 1), np.flatnonzero(kind == 2)
    pension[basic] = rng.uniform(*BASIC_PENSION_RANGE, len(basic))
    pension[employee] = EMPLOYEE_PENSION.draw(len(employee), rng)
    return pension


def _draw_support(layout: Layout, people: dict, rng: np.random.Generator) -> dict:
    """Orphans and unsupported children among minors without parents; supporters; institutions.

    Someone has an able supporter when another member earns, or else often one living
    elsewhere; orphans and unsupported children never do. Those who can neither work nor
    count on anyone are the ones sometimes living in an institution.
    """
    count, band = len(people["band"]), people["band"]
    without_parents = band == WITHOUT_PARENTS_BAND
    orphan = without_parents & (rng.random(count) < ORPHAN_RATE)
    minor_child = (people["relation"] == RELATIONS.index("child")) & np.isin(band, MINOR_BANDS)
    unsupported = (without_parents & ~orphan & (rng.random(count) < UNSUPPORTED_RATE)) | (
        minor_child & (rng.random(count) < UNSUPPORTED_CHILD_RATE))
    earner = people["can_work"] & (people["monthly_income"] > 0)
    other_earners = _per_household(earner, layout)[layout.household_of] - earner
    supporter = (other_earners > 0) | (rng.random(count) < SUPPORTER_ELSEWHERE_RATE)
    supporter &= ~orphan & ~unsupported
    in_care = ~supporter & ~people["can_work"] & (rng.random(count) < INSTITUTIONAL_RATE)
    return {"orphan": orphan, "factually_unsupported": unsupported,
            "has_able_supporter": supporter, "institutional_care": in_care}


def _draw_deaths(band: np.ndarray, rng: np.random.Generator) -> dict:
    """A few deaths this year, mostly elderly: days before REFERENCE_DATE, -1 for the living."""
    rate = np.where(band == ELDERLY_BAND, ELDERLY_DEATH_RATE, OTHER_DEATH_RATE)
    deceased = np.flatnonzero(rng.random(len(band)) < rate)
    days = np.full(len(band), -1)
    this_year = int((REFERENCE_DATE - FIRST_DEATH_DAY).astype(int))
    days[deceased] = rng.integers(1, this_year + 1, len(deceased))
    grant = np.zeros(len(band), dtype=bool)
    grant[deceased] = rng.random(len(deceased)) < NATIONAL_FUNERAL_GRANT_RATE
    return {"deceased_days": days, "national_funeral_grant": grant}


def _draw_elsewhere(home: np.ndarray, home_rate: float, neighbour_rate: float,
                    rng: np.random.Generator) -> np.ndarray:
    """Place codes: mostly `home`, sometimes the neighbouring place, else another of PLACES."""
    draw = rng.random(len(home))
    away = np.flatnonzero(draw >= home_rate)
    other = (home[away] + rng.integers(1, len(PLACES), len(away))) % len(PLACES)
    neighbour = NEIGHBOUR_OF[home[away]]
    near = (neighbour != home[away]) & (draw[away] < home_rate + neighbour_rate)
    place = home.copy()
    place[away] = np.where(near, neighbour, other)
    return place


# ------------------------------------------------------------------ households and events
def _draw_household_money(layout: Layout, people: dict, rng: np.random.Generator) -> dict:
    """Assets grow with income, a few are large; medical self-pay follows serious illness, and
    rigid expenses include it (BRIEF: "already includes medical costs")."""
    count = len(layout.size)
    income = _per_household(people["monthly_income"], layout)
    savings = income * SAVINGS_MONTHS.draw(count, rng)
    assets = (rng.uniform(0, SMALL_SAVINGS_CEILING, count) + savings
              + _draw_sometimes(LARGE_ASSETS_RATE, LARGE_ASSETS, count, rng))
    medical = _draw_sometimes(MEDICAL_SELF_PAY_RATE, MEDICAL_SELF_PAY, count, rng)
    ill = np.flatnonzero(_per_household(people["serious_illness"], layout) > 0)
    medical[ill] = SERIOUS_ILLNESS_SELF_PAY.draw(len(ill), rng)
    other = _draw_sometimes(OTHER_RIGID_EXPENSE_RATE, OTHER_RIGID_EXPENSE, count, rng)
    return {"assets": np.round(assets, 2), "medical_self_pay_in_catalogue": np.round(medical, 2),
            "monthly_rigid_expenses": np.round(medical / 12 + other, 2)}


def _choose_defects(layout: Layout, rng: np.random.Generator) -> np.ndarray:
    """Per household, its row in DEFECTS, or -1 for a sound household."""
    choices = np.where(layout.size >= 2, len(DEFECTS), SINGLE_MEMBER_DEFECTS)
    kind = rng.integers(0, choices)
    return np.where(rng.random(len(layout.size)) < BAD_HOUSEHOLD_RATE, kind, -1)


def _draw_events(place: np.ndarray, defect: np.ndarray, rng: np.random.Generator) -> dict:
    """One or two events for a few households in the year before REFERENCE_DATE; then one
    event of an unknown kind for each household broken that way."""
    with_events = np.flatnonzero(rng.random(len(place)) < EVENT_RATE)
    household = np.repeat(with_events, 1 + (rng.random(len(with_events)) < SECOND_EVENT_RATE))
    flooded = np.flatnonzero(defect == FLOOD)
    span = int((REFERENCE_DATE - FIRST_EVENT_DAY).astype(int))
    kind = _draw_category(EVENT_KIND_SHARES, len(household), rng)
    where = _draw_elsewhere(place[household], EVENT_AT_HOME_RATE, EVENT_AT_NEIGHBOUR_RATE, rng)
    return {
        "household": np.concatenate([household, flooded]),
        "kind": np.concatenate([kind, np.full(len(flooded), len(EVENT_KINDS))]),
        "days": rng.integers(0, span + 1, len(household) + len(flooded)),
        "place": np.concatenate([where, place[flooded]]),
    }


# ------------------------------------------------------------------ tables
def _frames(layout: Layout, place, money: dict, people: dict, events: dict) -> dict:
    """The drawn arrays as the three Polars tables, every fact known and sound so far."""
    count = len(layout.size)
    ids = pl.select(pl.format("h{}", pl.int_range(1, count + 1).cast(pl.String).str.zfill(7)))
    ids = ids.to_series()
    return {"households": _households_frame(ids, place, money),
            "members": _members_frame(ids, layout, people),
            "events": _events_frame(ids, events)}


def _blank_unknowns(tables: dict, rng: np.random.Generator) -> dict:
    """Set a few facts to null (unknown), at UNKNOWN_RATES."""
    for (table, column), rate in UNKNOWN_RATES.items():
        rows = np.flatnonzero(rng.random(tables[table].height) < rate)
        tables[table] = _overwrite(tables[table], column, rows, None)
    return tables


def _break(tables: dict, defect: np.ndarray, layout: Layout) -> dict:
    """Write each household's defect in; after the unknowns, so that no defect is blanked."""
    for row, broken in enumerate(DEFECTS):
        if broken.table == "events":
            continue  # its rows were added by _draw_events
        rows = _defect_rows(broken, np.flatnonzero(defect == row), layout)
        tables[broken.table] = _overwrite(tables[broken.table], broken.column, rows, broken.value)
    return tables


def _defect_rows(defect: Defect, households: np.ndarray, layout: Layout) -> np.ndarray:
    """The rows of `defect.table` that the defect breaks in these households."""
    if defect.target == "household":
        return households
    if defect.target == "head":
        return layout.first_member[households]
    return layout.first_member[households] + layout.size[households] - 1


def _overwrite(frame: pl.DataFrame, column: str, rows: np.ndarray, value) -> pl.DataFrame:
    """`frame` with `column` set to `value` (None for unknown) in the given rows. The frame
    passed in is left as it was: the change is made on a copy of the column."""
    values = pl.repeat(value, len(rows), dtype=frame.schema[column], eager=True)
    return frame.with_columns(frame[column].clone().scatter(rows, values))


def _households_frame(ids: pl.Series, place: np.ndarray, money: dict) -> pl.DataFrame:
    return pl.DataFrame([
        ids.alias("id"),
        _labels("jurisdiction", (*PLACES, UNKNOWN_PLACE), place),
        _money("assets", money["assets"]),
        _money("monthly_rigid_expenses", money["monthly_rigid_expenses"]),
        _money("medical_self_pay_in_catalogue", money["medical_self_pay_in_catalogue"]),
    ])


def _members_frame(ids: pl.Series, layout: Layout, people: dict) -> pl.DataFrame:
    member_ids = tuple(f"p{number}" for number in range(1, 7))
    living = np.flatnonzero(people["deceased_days"] < 0)
    return pl.DataFrame([
        ids.gather(layout.household_of).alias("household_id"),
        _labels("id", member_ids, layout.position),
        _dates("birth_date", people["age_days"]),
        _labels("relation", (*RELATIONS, "cousin"), people["relation"]),
        _labels("hukou", (*PLACES, UNKNOWN_PLACE), people["hukou"]),
        _money("monthly_income", people["monthly_income"]),
        pl.Series("can_work", people["can_work"]),
        pl.Series("has_able_supporter", people["has_able_supporter"]),
        pl.Series("disability_grade", people["disability_grade"], dtype=pl.Int64),
        pl.Series("serious_illness", people["serious_illness"]),
        _labels("care_dependency", CARE_DEPENDENCY, people["care_dependency"]),
        pl.Series("orphan", people["orphan"]),
        pl.Series("hiv_infected", people["hiv_infected"]),
        pl.Series("factually_unsupported", people["factually_unsupported"]),
        pl.Series("institutional_care", people["institutional_care"]),
        _dates("deceased_on", people["deceased_days"]).scatter(living, None),
        pl.Series("national_funeral_grant", people["national_funeral_grant"]),
    ])


def _events_frame(ids: pl.Series, events: dict) -> pl.DataFrame:
    return pl.DataFrame([
        ids.gather(events["household"]).alias("household_id"),
        _labels("kind", (*EVENT_KINDS, "flood"), events["kind"]),
        _dates("date", events["days"]),
        _labels("jurisdiction", PLACES, events["place"]),
    ])


def _labels(name: str, labels: tuple[str, ...], codes: np.ndarray) -> pl.Series:
    """Text column from codes: gathering from the few labels is much cheaper than formatting."""
    return pl.Series(name, labels, dtype=pl.String).gather(codes)


def _money(name: str, yuan: np.ndarray) -> pl.Series:
    """Decimal(18, 2) from yuan already rounded to cents: the cast rounds back to the exact cent."""
    return pl.Series(name, yuan).cast(MONEY)


def _dates(name: str, days_before_reference: np.ndarray) -> pl.Series:
    return pl.Series(name, REFERENCE_DATE - days_before_reference.astype("timedelta64[D]"))


# ------------------------------------------------------------------ files
def write(population: Population, directory: Path, fmt: str = "parquet") -> dict[str, Path]:
    """Write households, members and events as `<table>.<fmt>` files in `directory`.

    Parquet keeps the exact types for the batch engine. CSV is for reading by eye and by other
    tools: a header row, an empty cell for unknown, dates as YYYY-MM-DD, money with two
    decimals, booleans as true/false.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = write(generate(50, seed=3), Path(folder) / "out", fmt="csv")
    ...     sorted(path.name for path in paths.values())
    ['events.csv', 'households.csv', 'members.csv']
    """
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unknown format {fmt!r}: expected 'parquet' or 'csv'")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, frame in population.tables().items():
        paths[name] = directory / f"{name}.{fmt}"
        if fmt == "csv":
            frame.write_csv(paths[name])
        else:
            frame.write_parquet(paths[name])
    return paths
