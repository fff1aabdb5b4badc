"""The shape of a synthetic population (synth.py draws it): places and their shares,
household templates, rates of disability, illness, work, pensions, deaths, savings,
expenses and events, and the unknown facts and broken rows put in on purpose. A declared
table of illustrative figures: change a number here, not in the drawing code.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import numpy as np


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
