"""Limits that keep untrusted policy files and facts from exhausting the machine."""

MAX_POLICY_BYTES = 2_000_000
MAX_EXPRESSION_DEPTH = 120
MAX_FACTS_BYTES = 50_000_000
MAX_LIST_ENTRIES = 1_000  # entries of one list of one record (`has … : list of …`), any list
MAX_JSON_DEPTH = 20
