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

from pathlib import Path

import numpy as np

from .synth_tables import Layout, Population, blank_unknowns, broken_rows, frames
from .synth_model import (ADULT_CANNOT_WORK_RATE, AGE_BANDS, BAD_HOUSEHOLD_RATE,
                          BASIC_PENSION_RANGE, DAYS_PER_YEAR, DEFECTS,
                          DISABILITY_GRADE_SHARES, ELDERLY_CARE_DEPENDENCY_SHARES,
                          ELDERLY_DEATH_RATE, ELDERLY_PENSION_SHARES, EMPLOYEE_PENSION,
                          EVENT_AT_HOME_RATE, EVENT_AT_NEIGHBOUR_RATE, EVENT_KINDS,
                          EVENT_KIND_SHARES, EVENT_RATE, FIRST_DEATH_DAY, FIRST_EVENT_DAY,
                          FLOOD, HIV_RATE, HOME_HUKOU_RATE, HOUSEHOLD_TEMPLATES,
                          INSTITUTIONAL_RATE, LARGE_ASSETS, LARGE_ASSETS_RATE,
                          LOW_EARNER_CEILING, LOW_EARNER_RATE, Lognormal, MEDICAL_SELF_PAY,
                          MEDICAL_SELF_PAY_RATE, NATIONAL_FUNERAL_GRANT_RATE, NEIGHBOUR_OF,
                          ORPHAN_RATE, OTHER_DEATH_RATE, OTHER_RIGID_EXPENSE,
                          OTHER_RIGID_EXPENSE_RATE, PLACES, PLACE_SHARES, REFERENCE_DATE,
                          REGULAR_WAGE, RELATIONS, SAVINGS_MONTHS, SECOND_EVENT_RATE,
                          SERIOUS_ILLNESS_RATE, SERIOUS_ILLNESS_SELF_PAY,
                          SINGLE_MEMBER_DEFECTS, SMALL_SAVINGS_CEILING, SPOUSE_AGE_GAP_YEARS,
                          SUPPORTER_ELSEWHERE_RATE, UNSUPPORTED_CHILD_RATE, UNSUPPORTED_RATE)




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
    tables = frames(layout, place, money, people, events)
    tables = blank_unknowns(tables, rng)
    return Population(**broken_rows(tables, defect, layout))


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
