"""The embedding API: compile rules once into an immutable `RuleSet`, then
evaluate households against it as often as needed, from any thread."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

import attrs

from . import ir
from .interpret.decisions import HouseholdDecisions
from .results import Decisions
from .interpret.evaluate import Evaluation
from .facts.load import LoadedHousehold, load_household, read_facts_file, refuse_repeated_ids
from .pipeline import compile_paths, digest
from .core.values import Record

if TYPE_CHECKING:
    import polars


@attrs.frozen
class RuleSet:
    """Checked rules, ready to evaluate. Immutable: share one between threads.

    >>> import policylang, datetime
    >>> rules = policylang.load("rules")
    >>> facts = policylang.read_facts("examples/changzhou-dibao.json", rules)
    >>> result = rules.evaluate(facts, datetime.date(2023, 8, 1))
    >>> d = result[0].find("dibao")
    >>> d.outcome, str(d.amount.value)
    ('eligible', '600.00')
    """

    path: str
    digest: str
    rules: ir.CheckedRules
    texts: dict[str, str]

    @property
    def programs(self) -> tuple[str, ...]:
        return tuple(self.rules.programs)

    def evaluate(self, facts: Any, date: dt.date | str, programs: Iterable[str] | None = None,
                 previous: Any = None, why_not: bool = True) -> Decisions:
        """Decide every program for every subject of each household on `date`.

        `facts` is a household dict (CONTRACT §1), a list of them, or what
        `read_facts` returned. Households with bad facts come back with errors,
        never an exception — also facts that are not a dict or a list at all, or field
        names that are not texts; only a path given instead of facts is a TypeError (read it
        with `read_facts`, which also refuses two households with one id, PL107). `programs`
        limits the decisions to some programs (the programs they use are still evaluated as
        needed). `previous` holds the households' previous snapshots, in the same forms as
        `facts`, matched by household id (a snapshot with errors, or whose id two snapshots
        have, is left out); programs that `needs previous` are not_applicable for a household
        without one. `why_not` adds, to each not_eligible decision, how far its failing numeric
        conditions are from holding and the sets of fact changes that would grant it (each
        checked by deciding the household again: it costs time; `Decision.why_not`).
        """
        date = dt.date.fromisoformat(date) if isinstance(date, str) else date
        chosen = self._programs(programs)
        before = {h.id: h.record for h in refuse_repeated_ids(self._loaded(previous))
                  if h.record is not None} if previous is not None else {}
        households = [self.evaluate_one(h, date, chosen, before.get(h.id), why_not)
                      for h in self._loaded(facts)]
        return Decisions(date, self.path, self.digest, tuple(households), self.texts, self.rules)

    def evaluate_one(self, household: LoadedHousehold, date: dt.date,
                     programs: tuple[str, ...] | None = None,
                     previous: Record | None = None, why_not: bool = True) -> HouseholdDecisions:
        if household.record is None:
            return HouseholdDecisions(household.id, (), household.errors,
                                      kind=self.rules.schema.root.name)
        evaluation = Evaluation(self.rules, household.record, date, previous)
        evaluation.why_not = why_not
        return attrs.evolve(evaluation.run(household.id, programs), record=household.record)

    def screen(self, households: Any, members: Any = None, events: Any = None, *,
               date: dt.date | str, programs: Iterable[str] | None = None,
               engine: str = "batch", tables: Mapping[str, Any] | None = None,
               ) -> "polars.DataFrame":
        """Decide every record of the top entity of a population given as tables (CONTRACT §4).

        `households` is the top entity's table: one row per household (per family, … in
        other rule books). `tables` maps each list of the top entity to its table
        (`tables={"persons": …, "incidents": …}`); `members` and `events` are the same for
        the lists `members` and `events` of the bundled rules. Each table is a Polars
        DataFrame or LazyFrame, or the path of a Parquet or CSV file; a list table names each
        row's top-entity record in the column `<top entity>_id` (`household_id`).

        A list without a table is unknown for every record (without `events`, every
        household's events are unknown), except the lists whose records programs decide for
        (`members`), which must be given. A table for a list the rules do not have, or a list
        table without its `<top entity>_id` column, is a ValueError naming what is wrong.

        Returns one row per (subject, program), or an `error` row for a record with bad data,
        as `policylang screen` writes them. `engine="interpreter"` gives the same rows
        through the reference interpreter, slowly.
        """
        import polars as pl

        from .batch.capabilities import refuse_what_batch_cannot_screen
        from .batch.screen import screen as run
        from .batch.tables import (Tables, list_tables, parent_column, read_table, relations,
                                   require_links)

        def lazy(table):
            if table is None or isinstance(table, pl.LazyFrame):
                return table
            return table.lazy() if isinstance(table, pl.DataFrame) else read_table(table)

        given = {name: table for name, table in (tables or {}).items() if table is not None}
        for name, table in (("members", members), ("events", events)):
            if table is not None:
                if name in given:
                    raise ValueError(f"the table of the list `{name}` is given twice: as "
                                     f"`{name}=` and in `tables`")
                given[name] = table
        schema = self.rules.schema
        how = "pass each list's table in `tables`: tables={" + ", ".join(
            f"{name!r}: …" for name in relations(schema)) + "}"
        lists = list_tables(self.rules, given, how)
        frames = Tables(lazy(households), {name: lazy(table) for name, table in lists.items()},
                        parent_column(schema))
        require_links(frames)
        date = dt.date.fromisoformat(date) if isinstance(date, str) else date
        if engine == "batch":
            refuse_what_batch_cannot_screen(self.rules, date)  # PolicyError, PL070
        chunks = [c.rows for c in run(self, frames, date, self._programs(programs), engine)]
        return pl.concat(chunks).drop("__h")

    def _programs(self, programs: Iterable[str] | None) -> tuple[str, ...] | None:
        if programs is None:
            return None
        chosen = tuple(programs)
        unknown = [p for p in chosen if p not in self.rules.programs]
        if unknown:
            raise ValueError(f"unknown programs: {', '.join(unknown)}; "
                             f"the rules have {', '.join(self.rules.programs)}")
        return chosen

    def _loaded(self, facts: Any) -> list[LoadedHousehold]:
        """The households of `facts` as given to `evaluate`: anything that is not a list of
        households is one household, which the loader refuses with a diagnostic if it is not
        a household object (a number, None …)."""
        if isinstance(facts, LoadedHousehold):
            return [facts]
        if isinstance(facts, (str, bytes, Path)):
            raise TypeError("evaluate() takes household facts (a dict, a list of them, or what "
                            "read_facts returned), not a path: use read_facts(path, rules)")
        if isinstance(facts, Mapping) or not isinstance(facts, Iterable):
            return [load_household(facts, self.rules.schema)]
        return [item if isinstance(item, LoadedHousehold) else
                load_household(item, self.rules.schema, "<facts>", f"[{i}]")
                for i, item in enumerate(facts)]


def load(path: str | Path | Iterable[str | Path], reforms: Iterable[str | Path] = ()) -> RuleSet:
    """Read, parse and check a rules folder or file(s), changed by `reforms` (folders or
    files, applied in order); raise `PolicyError` on errors."""
    paths = [Path(path)] if isinstance(path, (str, Path)) else [Path(p) for p in path]
    reforms = tuple(Path(r) for r in reforms)
    rules, sources = compile_paths(paths, reforms)
    shown = ", ".join(str(p) for p in paths) + "".join(f" + {r}" for r in reforms)
    return RuleSet(shown, digest(sources), rules, {s.path: s.text for s in sources})


def read_facts(path: str | Path, ruleset: RuleSet) -> list[LoadedHousehold]:
    """Read and validate a facts file (`.json` or `.jsonl`) against the rules' schema."""
    return read_facts_file(Path(path), ruleset.rules.schema)
