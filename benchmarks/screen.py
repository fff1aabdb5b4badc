"""Population screening: persons per second of policylang's batch engine and its baselines.

One process, one generated population per size (`policylang.tools.synth`), the same date:

- policylang batch engine, the dibao rules (`dibao`, its single-person exception, and
  `dibao_edge` — with `tekun` and `child_basic_living`, which decide the dibao unit);
- policylang batch engine, the whole bundled library (15 programs);
- the interpreter (the reference) on the same two jobs, on a sample of households only:
  its rate does not depend on the population's size, and 10^6 persons would take hours;
- hand-written Polars for the dibao rules (benchmarks/hand_polars.py): the practical limit;
- OpenFisca's vectorised pipeline for the same dibao rules (benchmarks/openfisca_screen.py,
  run in its own virtual environment, building the population and computing).

Figures are wall-clock persons per second, tables already in memory (reading files is
not timed, writing the output table is not timed). policylang and hand-written Polars are
counted on every input person; OpenFisca on the persons of the households it is given
(the clean ones, about 90 %). The ratios at the end are the design targets' terms.

    python benchmarks/screen.py [--sizes 100000,1000000,10000000] [--openfisca-python PATH]

Without an OpenFisca environment (see benchmarks/run) its column says "skipped".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

import policylang
from policylang.batch.screen import screen
from policylang.tools.synth import generate
from policylang.batch.tables import Tables

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hand_polars import (OPENFISCA_PYTHON, dibao_by_hand, run_openfisca,  # noqa: E402
                         time_hand_polars, write_openfisca_input)

ROOT = Path(__file__).resolve().parents[1]
DATE = dt.date(2023, 8, 1)
DIBAO = ("dibao", "dibao_edge")
INTERPRETER_SAMPLE = 1_500  # households given to the interpreter


def timed(run, repeat: int) -> float:
    """Median wall seconds of `run()` over `repeat` runs (after one warm-up when repeating)."""
    if repeat > 1:
        run()
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def tables_of(population) -> Tables:
    return Tables(population.households.lazy(), {"members": population.members.lazy(),
                                                 "events": population.events.lazy()})


def screening(ruleset, tables: Tables, programs, engine: str = "batch"):
    def run():
        for _ in screen(ruleset, tables, DATE, programs, engine):
            pass
    return run


def sample(population, households: int) -> tuple[Tables, int]:
    """The first `households` households with their members and events, and its persons."""
    chosen = population.households.head(households)
    ids = chosen.get_column("id").implode()
    members = population.members.filter(pl.col("household_id").is_in(ids))
    events = population.events.filter(pl.col("household_id").is_in(ids))
    return Tables(chosen.lazy(), {"members": members.lazy(), "events": events.lazy()}), members.height


def openfisca_rate(population, python: str) -> float | None:
    """OpenFisca's persons per second on the clean households (None without its venv)."""
    if not Path(python).exists():
        return None
    decided = dibao_by_hand(population.households, population.members, DATE)
    with tempfile.TemporaryDirectory() as tmp:
        given, taken = Path(tmp) / "input.npz", Path(tmp) / "output.npz"
        kept = decided.households.get_column("household_id")
        people = write_openfisca_input(population.households, population.members, kept, DATE,
                                       given)
        timing = run_openfisca(given, taken, python)
    return len(people) / timing["seconds"]


def measure(ruleset, persons: int, seed: int, openfisca_python: str, interpreter: bool) -> dict:
    started = time.perf_counter()
    population = generate(persons, seed)
    print(f"\n{persons:,} persons, {population.households.height:,} households "
          f"(generated in {time.perf_counter() - started:.1f} s)", file=sys.stderr)
    repeat = 3 if persons <= 1_000_000 else 1
    tables = tables_of(population)
    rates = {
        "batch, dibao rules": persons / timed(screening(ruleset, tables, DIBAO), repeat),
        "batch, whole library": persons / timed(screening(ruleset, tables, None), repeat),
        "hand-written Polars, dibao rules": time_hand_polars(
            population.households, population.members, DATE, 5 if repeat > 1 else 1)["persons_per_s"],
        "OpenFisca vectorised, dibao rules": openfisca_rate(population, openfisca_python),
    }
    if interpreter:
        small, small_persons = sample(population, INTERPRETER_SAMPLE)
        for label, programs in (("dibao rules", DIBAO), ("whole library", None)):
            seconds = timed(screening(ruleset, small, programs, "interpreter"), 1)
            rates[f"interpreter, {label}"] = small_persons / seconds
    for name, rate in rates.items():
        print(f"  {name:<36} {'skipped' if rate is None else f'{rate:>13,.0f} persons/s'}",
              file=sys.stderr)
    return rates


def ratios(results: dict[int, dict], interpreter_rates: dict) -> list[tuple[str, str, float | None]]:
    """(what, target, measured) for each size, in the design brief's terms."""
    found = []
    for persons, rates in results.items():
        batch = rates["batch, dibao rules"]
        openfisca = rates["OpenFisca vectorised, dibao rules"]
        hand = rates["hand-written Polars, dibao rules"]
        interpreted = interpreter_rates.get("interpreter, dibao rules")
        found += [
            (f"{persons:,}: batch / OpenFisca (dibao rules)", "≥ 5", openfisca and batch / openfisca),
            (f"{persons:,}: hand-written Polars / batch (dibao rules)", "≤ 2", hand / batch),
            (f"{persons:,}: batch / interpreter (dibao rules)", "≥ 100",
             interpreted and batch / interpreted),
            (f"{persons:,}: batch / interpreter (whole library)", "≥ 100",
             interpreter_rates.get("interpreter, whole library") and
             rates["batch, whole library"] / interpreter_rates["interpreter, whole library"]),
        ]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000,10000000",
                        help="comma-separated population sizes (persons)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--openfisca-python", default=os.environ.get(
        "OPENFISCA_PYTHON", str(ROOT / "benchmarks" / ".venv-openfisca" / "bin" / "python")))
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args(argv)
    if not Path(args.openfisca_python).exists() and Path(OPENFISCA_PYTHON).exists():
        args.openfisca_python = OPENFISCA_PYTHON
    ruleset = policylang.load(ROOT / "rules")
    sizes = [int(size) for size in args.sizes.split(",")]
    results = {size: measure(ruleset, size, args.seed, args.openfisca_python,
                             interpreter=size == sizes[0]) for size in sizes}
    interpreter_rates = {k: v for k, v in results[sizes[0]].items() if k.startswith("interpreter")}
    print(f"\nThe interpreter ran on {INTERPRETER_SAMPLE:,} households of the "
          f"{sizes[0]:,}-person population only (its rate does not depend on size).")
    print(f"load average {os.getloadavg()[0]:.2f}, polars {pl.__version__}\n")
    names = list(results[sizes[0]])
    print(f"{'persons/s':<38}" + "".join(f"{size:>16,}" for size in sizes))
    for name in names:
        cells = [results[size].get(name) for size in sizes]
        print(f"{name:<38}" + "".join(f"{'—' if c is None else f'{c:,.0f}':>16}" for c in cells))
    print()
    for what, target, value in ratios(results, interpreter_rates):
        shown = "skipped" if value is None else f"{value:,.1f}×"
        print(f"{what:<60} {shown:>10}   (target {target})")
    if args.json:
        print(json.dumps({str(k): v for k, v in results.items()}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
