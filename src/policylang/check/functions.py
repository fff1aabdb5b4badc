"""The functions an expression may call, by name, and the functions of other languages a
policy officer may reach for (`month(…)`, `today()`, `round(…)`), each with what policylang
writes instead, for the hint of an unknown function (PL010).

>>> NOT_FUNCTIONS["today"]
'the date decided for is `evaluation_date`'
"""

COLLECTION_FUNCTIONS = {"count": 1, "sum": 2, "any": 2, "all": 2}
PERIOD_CONVERSIONS = {"per_month": "month", "per_quarter": "quarter", "per_year": "year"}
# Functions of other languages a policy officer may reach for, and what policylang says instead.
_DATE_PARTS = ("policylang compares and shifts whole dates: `date > evaluation_date - 3 months`; "
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
