"""Limits that keep untrusted policy files and facts from exhausting the machine."""

MAX_POLICY_BYTES = 2_000_000
MAX_EXPRESSION_DEPTH = 120
MAX_FACTS_BYTES = 50_000_000
MAX_KEYED_ENTRIES = 200  # records with a key (`key id`) in one list: the people decided for
MAX_LIST_ENTRIES = 1_000  # records without a key (events) in one list


def list_limit(entity) -> int:
    """How many records one list of `entity` may hold: a keyed record is a subject that
    decisions (and why-not probes) are made for, so fewer of them.

    >>> from types import SimpleNamespace as Entity
    >>> list_limit(Entity(key="id")), list_limit(Entity(key=None))
    (200, 1000)
    """
    return MAX_KEYED_ENTRIES if entity.key is not None else MAX_LIST_ENTRIES
MAX_JSON_DEPTH = 20
