"""When a program or an exception is in force: its period, then its places.

A period `from`/`until` includes both ends. A place list holds where the household's
place, or a place above it in the jurisdiction tree, is listed. Both engines ask these
questions in this order and give these reasons.

>>> import datetime as dt
>>> from policylang.ir import Applicability
>>> dibao_kunming = Applicability(("kunming",), dt.date(2022, 1, 1), None)
>>> out_of_period(dibao_kunming, dt.date(2021, 6, 1))
True
>>> period_reason(dibao_kunming, dt.date(2021, 6, 1)).table_text()
'not in force on 2021-06-01'
>>> place_reason(dibao_kunming, "changzhou", ["changzhou", "jiangsu", "national"]).kind
'out_of_place'
"""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from .. import ir
from .reasons import Reason


def out_of_period(applies: ir.Applicability | None, date: dt.date) -> bool:
    """Whether `date` lies outside the clause's period (never, for a clause without one)."""
    return applies is not None and bool(
        applies.start and date < applies.start or applies.end and date > applies.end)


def period_reason(applies: ir.Applicability | None, date: dt.date) -> Reason | None:
    """Why a clause is not in force on `date`, or None when it is (as far as dates go)."""
    if not out_of_period(applies, date):
        return None
    return Reason("out_of_period", start=applies.start, end=applies.end, date=date)


def in_places(places: Sequence[str], chain: Sequence[str]) -> bool:
    """Whether a place with jurisdiction chain `chain` (itself first) is one of `places`."""
    return any(p in chain for p in places)


def place_reason(applies: ir.Applicability | None, place: str,
                 chain: Sequence[str]) -> Reason | None:
    """Why a clause does not apply at `place`, or None when it does (or lists no places)."""
    if applies is None or not applies.places or in_places(applies.places, chain):
        return None
    return Reason("out_of_place", place=place, places=tuple(applies.places))
