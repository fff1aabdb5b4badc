"""Limits that keep untrusted policy files and facts from exhausting the machine."""

MAX_POLICY_BYTES = 2_000_000
MAX_RULESET_BYTES = 20_000_000  # all the .policy files of one rule set together (PL004)
MAX_EXPRESSION_DEPTH = 120
# Levels one evaluation nests through the definitions and decisions it reads (PL004): deep
# enough for any real chain, shallow enough for the engines' recursion.
MAX_RULE_DEPTH = 200
MAX_FACTS_BYTES = 50_000_000
# Amounts and numbers in facts (PL108 over it): at most 15 digits before the point and 6
# after (leading and trailing zeros do not count). Why these: a whole number below 10^15 is
# exact in a double and a JavaScript number (2^53 ≈ 9.007e15), so whoever reads the JSON we
# write reads it exactly; sums of up to 100,000 such amounts stay within the 20 integer
# digits of the batch engine's Decimal(38, 18) columns (and the 36 of Parquet Decimal(38, 2)
# outputs); a product of two facts has at most 12 places, within the 18 (PLACES) both engines
# keep, so it is exact too. Int facts are bounded alike (|n| < 10^15, within Int64).
MAX_AMOUNT_DIGITS = 15
MAX_AMOUNT_PLACES = 6
MAX_ID_CHARS = 200  # the key of a household, member … (`key id`): ids are repeated in every decision
MAX_TEXT_CHARS = 2_000  # any other text in facts (text, enum and place values, field names)
MAX_FACT_ERRORS = 100  # diagnostics kept per household; then one "… and N more"
MAX_KEYED_ENTRIES = 200  # records with a key (`key id`) in one list: the people decided for
MAX_LIST_ENTRIES = 1_000  # records without a key (events) in one list
# Why-not re-evaluates a household once per fact it tries to change (whynot.py), and each
# run costs about one unit per record: a household may spend this many record-evaluations
# on why-not, then its remaining decisions say how far they are from holding but propose no
# change. Small households never reach it (the bundled examples use under 100); a household
# of 200 members gets about 10 probes instead of 1,000 (25 s).
WHY_NOT_BUDGET = 2_000
# Digits before the point of any value the rules compute (PL208 at 10^20 or more): the batch
# engine's Decimal(38, 18) columns hold 20, and below it everything computed from bounded
# facts and rule numbers is exact in both engines.
MAX_COMPUTED_DIGITS = 20


def list_limit(entity) -> int:
    """How many records one list of `entity` may hold: a keyed record is a subject that
    decisions (and why-not probes) are made for, so fewer of them.

    >>> from types import SimpleNamespace as Entity
    >>> list_limit(Entity(key="id")), list_limit(Entity(key=None))
    (200, 1000)
    """
    return MAX_KEYED_ENTRIES if entity.key is not None else MAX_LIST_ENTRIES
MAX_JSON_DEPTH = 20
