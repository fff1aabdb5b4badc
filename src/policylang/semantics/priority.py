"""Which exception decides when several fire (Catala's default logic).

The exception of highest declared priority wins; an exception without a priority has
priority 0. Two that fire together with the same priority are a conflict (PL204): the
rules must say which wins, the engine never picks one silently.

>>> from types import SimpleNamespace as E
>>> [e.name for e in highest_first([E(name="a", priority=None), E(name="b", priority=2)])]
['b', 'a']
>>> clashing([E(name="a", priority=1), E(name="b", priority=1)])
True
"""

from __future__ import annotations

from typing import Sequence


def rank(exception) -> int:
    return exception.priority or 0


def highest_first(exceptions: Sequence) -> list:
    """The exceptions in the order they are tried, highest priority first (stable)."""
    return sorted(exceptions, key=lambda e: -rank(e))


def clash(a, b) -> bool:
    """Whether two exceptions, firing together, conflict."""
    return a.priority == b.priority


def clashing(fired: Sequence) -> bool:
    """Whether any two of the exceptions that fired conflict."""
    return any(clash(a, b) for i, a in enumerate(fired) for b in fired[i + 1:])
