"""The functions an expression may call, by name, and the functions of other languages a
policy officer may reach for (`month(…)`, `today()`, `round(…)`), each with what policylang
writes instead, for the hint of an unknown function (PL010).

>>> NOT_FUNCTIONS["today"]
'the date decided for is `evaluation_date`'
"""

COLLECTION_FUNCTIONS = {"count": 1, "sum": 2, "any": 2, "all": 2}
PERIOD_CONVERSIONS = {"per_month": "month", "per_quarter": "quarter", "per_year": "year"}
# A date in, a whole number out: full years since it, its month (1–12), its year.
DATE_FUNCTIONS = ("years_since", "month_of", "year_of")
# Functions of other languages a policy officer may reach for, and what policylang says instead.
_DATE_PARTS = ("a date's month is `month_of(date)` (1–12), its year `year_of(date)`; "
               "ages are `years_since(birth_date)`")
NOT_FUNCTIONS = {
    "month": _DATE_PARTS, "year": _DATE_PARTS, "day": _DATE_PARTS, "date": _DATE_PARTS,
    "today": "the date decided for is `evaluation_date`", "now": "the date decided for is "
    "`evaluation_date`", "age": "ages are `years_since(birth_date)`",
    "round": "an amount is rounded where it is paid: `amount … rounded half_up to 0.01`",
    "len": "the size of a list is `count(members)`", "length": "the size of a list is "
    "`count(members)`", "size": "the size of a list is `count(members)`",
    "if": "write `if … then … else …` without parentheses",
}
