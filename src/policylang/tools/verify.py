"""`policylang verify`: each `invariant` of the rules searched for a counterexample among
households generated from the facts schema (hypothesis), and, when one is found, shrunk to
the smallest household that breaks it — a facts file ready for an example.

The search is not a proof: "not refuted in 300 households" says how far it looked. What a
claim means, for the decisions of its program on the date:

- `amount of P >= k` (or `<=`): every amount P pays is at least (at most) k;
- `P monotone decreasing in F` (or `increasing`): raising the number fact F of one record
  never raises (never lowers) what P gives any subject — its amount, or 1 for a grant with
  no amount, 0 when not eligible;
- `no cliff in P for F above t`: raising F by d never lowers the total P pays the household
  by more than d + t — a household never loses more than it gains.

Also `verify OLD --against NEW --program P`: a household the two rule sets decide P
differently for, or none found.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import attrs

from ..check.invariants import invariant_fact
from ..syntax.written import claim_text
from .verify_households import households_of, ladder, raised, with_value

SEARCHED = 300


@attrs.frozen
class Verdict:
    name: str
    claim: str
    refuted: bool
    searched: int
    household: dict | None = None  # the counterexample, just before the change that breaks it
    text: str = ""  # what it breaks, in words


def verify(ruleset, date: dt.date, examples: int = SEARCHED) -> list[Verdict]:
    """Every invariant of the rule set, searched on `date` (the same households each run)."""
    return [_verify(ruleset, invariant, date, examples) for invariant in ruleset.rules.invariants]


def _verify(ruleset, invariant, date, examples) -> Verdict:
    from hypothesis import strategies as st

    program = ruleset.rules.programs[invariant.program]
    schema = ruleset.rules.schema
    base = households_of(schema, program, date)
    if invariant.kind == "amount_bound":
        strategy = base.map(lambda h: (h, None))
        broken = lambda case: _amount_breaks(ruleset, invariant, date, case[0])  # noqa: E731
    else:
        entity, fact = invariant_fact(schema, program, invariant.fact)
        strategy = base.flatmap(lambda h: st.tuples(st.just(h), raised(schema, h, entity, fact)))
        check = _monotone_breaks if invariant.kind == "monotone" else _cliff_breaks
        broken = lambda case: check(ruleset, invariant, date, *case)  # noqa: E731
    found = _smallest(strategy, lambda case: broken(case) is not None, examples)
    if found is None:
        return Verdict(invariant.name, claim_text(invariant), False, examples)
    text, household = broken(found)
    return Verdict(invariant.name, claim_text(invariant), True, examples, household, text)


def equivalent(old, new, program: str, date: dt.date, examples: int = SEARCHED) -> Verdict:
    """A household `old` and `new` decide `program` differently for, searched."""
    base = households_of(old.rules.schema, old.rules.programs[program], date)

    def differs(household):
        a, b = _decided(old, household, date, program), _decided(new, household, date, program)
        if a is None or b is None:
            return None
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return f"{program} for {key[0]} {key[1]}: {_said(a.get(key))} → {_said(b.get(key))}"
        return None

    found = _smallest(base, lambda h: differs(h) is not None, examples)
    claim = f"{program} decided the same by both rule sets"
    if found is None:
        return Verdict("equivalent", claim, False, examples)
    return Verdict("equivalent", claim, True, examples, found, differs(found))


def _smallest(strategy, breaks, examples: int):
    """The smallest case that `breaks`, found and shrunk by hypothesis (derandomized: the
    same cases every run), or None."""
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis.errors import NoSuchExample

    options = settings(max_examples=examples, database=None, derandomize=True, deadline=None,
                       phases=[Phase.generate, Phase.target, Phase.shrink],
                       suppress_health_check=list(HealthCheck))
    try:
        return find(strategy, breaks, settings=options)
    except NoSuchExample:
        return None


def _decided(ruleset, household: dict, date, program: str) -> dict | None:
    """(kind, id) → (outcome, amount) of `program`'s decisions, or None if the household is
    refused (a generated value the rules' checks on facts do not allow)."""
    (decided,) = ruleset.evaluate([household], date, programs=[program], why_not=False)
    if decided.errors:
        return None
    return {(d.subject_kind, d.subject_id): (d.outcome, d.amount.value if d.amount else None)
            for d in decided.decisions if d.program == program}


def _benefit(state) -> Decimal:
    if state is None or state[0] != "eligible":
        return Decimal(0)
    return state[1] if state[1] is not None else Decimal(1)


def _amount_breaks(ruleset, invariant, date, household) -> str | None:
    decided = _decided(ruleset, household, date, invariant.program) or {}
    for (kind, id_), (outcome, amount) in sorted(decided.items()):
        if amount is None:
            continue
        if (amount < invariant.bound) if invariant.bound_op == ">=" else (amount > invariant.bound):
            return f"{invariant.program} pays {kind} {id_} {amount}", household
    return None


def _monotone_breaks(ruleset, invariant, date, household, change) -> str | None:
    """Along the ladder of values from `before` to the drawn `after`, the first step at
    which what P gives some subject moves the wrong way."""
    path, before, after, _ = change
    states = _along(ruleset, invariant, date, household, path, ladder(before, after))
    for (x, a), (y, b) in zip(states, states[1:]):
        for key in sorted(set(a) & set(b)):
            old, new = _benefit(a[key]), _benefit(b[key])
            wrong = new > old if invariant.direction == "decreasing" else new < old
            if wrong and {a[key][0], b[key][0]} <= {"eligible", "not_eligible"}:
                return (f"raising {path} from {x} to {y} changes {invariant.program} for "
                        f"{key[0]} {key[1]} from {_said(a[key])} to {_said(b[key])}",
                        _at(household, path, x))
    return None


def _cliff_breaks(ruleset, invariant, date, household, change) -> str | None:
    """Along the ladder, a step that loses the household more than it gains; narrowed by
    halving to the fen where the cliff is."""
    path, before, after, _ = change
    states = _along(ruleset, invariant, date, household, path, ladder(before, after))
    worst = None
    for (x, a), (y, b) in zip(states, states[1:]):
        excess = _total(a) - _total(b) - (Decimal(y) - Decimal(x))
        worst = excess if worst is None or excess > worst else worst
        if excess > invariant.bound:
            x, y, lost = _narrowed(ruleset, invariant, date, household, path, x, y, a, b)
            return (f"raising {path} by {Decimal(y) - Decimal(x)} (from {x} to {y}) lowers what "
                    f"{invariant.program} pays the household by {lost}", _at(household, path, x))
    if worst is not None:
        _aim(float(worst), "lost more than gained")
    return None


def _narrowed(ruleset, invariant, date, household, path, x, y, a, b):
    """Halve [x, y] while one half still holds the drop: the cliff to within a fen."""
    while Decimal(y) - Decimal(x) > Decimal("0.01"):
        middle = f"{((Decimal(x) + Decimal(y)) / 2).quantize(Decimal('0.01')):.2f}"
        if middle in (x, y):
            break
        (_, m), = _along(ruleset, invariant, date, household, path, [middle])
        if _total(a) - _total(m) > Decimal(middle) - Decimal(x) + invariant.bound:
            y, b = middle, m
        else:
            x, a = middle, m
    return x, y, _total(a) - _total(b)


def _along(ruleset, invariant, date, household, path, values) -> list[tuple]:
    """(value, decisions) for the fact at `path` set to each value (refused values left out)."""
    prefix, _, name = path.rpartition(".")
    found = []
    for value in values:
        decided = _decided(ruleset, with_value(household, prefix + "." if prefix else "", name,
                                               value), date, invariant.program)
        if decided is not None:
            found.append((value, decided))
    return found


def _at(household: dict, path: str, value) -> dict:
    """The household with the fact at `path` set to `value`: the counterexample as it is
    just before the change that breaks the invariant."""
    prefix, _, name = path.rpartition(".")
    return with_value(household, prefix + "." if prefix else "", name, value)


def _total(decided: dict) -> Decimal:
    return sum(map(_benefit, decided.values()), Decimal(0))


def _aim(score: float, label: str) -> None:
    """Steer the search towards larger `score` (hypothesis's targeted search), where it can."""
    from hypothesis import target
    try:
        target(score, label=label)
    except Exception:  # noqa: BLE001 — outside a search (the final report), nothing to steer
        pass


def _said(state) -> str:
    if state is None:
        return "no decision"
    return state[0] + (f" {state[1]}" if state[1] is not None else "")


def verdict_text(verdict: Verdict, date: dt.date) -> str:
    if not verdict.refuted:
        return (f"✓ {verdict.name} ({verdict.claim}): not refuted in {verdict.searched} "
                f"households on {date}")
    facts = json.dumps(verdict.household, ensure_ascii=False, indent=2)
    return (f"✗ {verdict.name} ({verdict.claim}): refuted on {date}\n    {verdict.text}\n"
            f"    the smallest household found:\n" + "\n".join("    " + line for line in facts.splitlines()))
