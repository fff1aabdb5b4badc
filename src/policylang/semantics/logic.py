"""Three-valued joins: conditions are joined by *and*, triggers by *or*.

A value is True, False, an `Unknown` (naming the facts it needs) or absent (an optional
fact that is not there). The decisive value settles a join whatever the others are; else
an unknown makes the join unknown; else the join takes the other value. An absent value
is never decisive and never unknown: an absent condition does not fail, an absent
trigger does not fire.

>>> from policylang.core.values import Unknown
>>> joined([True, Unknown(frozenset({"assets"}))], ALL_OF)
('unknown', ('assets',))
>>> joined([False, Unknown(frozenset({"assets"}))], ALL_OF)
('not_eligible', ())
>>> joined([False, True], ANY_OF)
('eligible', ())
"""

from __future__ import annotations

from typing import Iterable

import attrs

from ..core.values import Unknown, unknown_in


@attrs.frozen
class Join:
    """A way of joining yes/no values: `decisive` is the value that settles it."""

    name: str
    decisive: bool

    @property
    def absent_counts_as(self) -> bool:
        """What an absent value counts as: the value that does not settle the join."""
        return not self.decisive


ALL_OF = Join("all of", decisive=False)  # a program's or an exception's conditions
ANY_OF = Join("any of", decisive=True)  # a program's triggers


def joined(values: Iterable, join: Join) -> tuple[str, tuple[str, ...]]:
    """The outcome of `values` joined by `join`, and the facts an unknown outcome needs."""
    values = list(values)
    if any(v is join.decisive for v in values):
        return ("eligible" if join.decisive else "not_eligible"), ()
    unknown = unknown_in(*values)
    if unknown is not None:
        return "unknown", tuple(sorted(unknown.missing))
    return ("not_eligible" if join.decisive else "eligible"), ()


def first_unknown(names_and_values) -> str | None:
    """The name of the first clause whose value is unknown, as a reason names it."""
    return next((name for name, value in names_and_values if isinstance(value, Unknown)), None)
