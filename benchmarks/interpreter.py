"""Benchmark: parse+check time of rules/ and interpreter latency per household.

Prints figures; asserts nothing. The baseline is measured in the same run:
OpenFisca's single-household time for the same dibao rule (benchmarks/openfisca_dibao.py,
run in its own virtual environment, never a dependency of policylang).

    python benchmarks/interpreter.py [--repeat N] [--openfisca-python PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import policylang

ROOT = Path(__file__).resolve().parents[1]
DATE = "2023-08-01"


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def time_compile(repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        policylang.load(ROOT / "rules")
        samples.append(time.perf_counter() - start)
    return samples


def time_households(rules, repeat: int, programs=None, why_not=False) -> list[float]:
    households = [h for f in sorted((ROOT / "examples").glob("*.json"))
                  for h in policylang.read_facts(f, rules)]
    for household in households:  # warm up
        rules.evaluate(household, DATE, programs, why_not=why_not)
    samples = []
    for _ in range(repeat):
        for household in households:
            start = time.perf_counter()
            rules.evaluate(household, DATE, programs, why_not=why_not)
            samples.append(time.perf_counter() - start)
    return samples


def openfisca_baseline(python: str | None, repeat: int) -> dict | None:
    if not python:
        return None
    script = ROOT / "benchmarks" / "openfisca_dibao.py"
    done = subprocess.run([python, str(script), "--json", "--repeat", str(repeat)],
                          capture_output=True, text=True)
    if done.returncode != 0 or not done.stdout.strip().startswith("{"):
        print(f"openfisca baseline unavailable: {done.stdout.strip()} {done.stderr.strip()[-300:]}")
        return None
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--openfisca-python", default=None,
                        help="python of a venv with openfisca-core (see benchmarks/run)")
    args = parser.parse_args()

    compile_p50, compile_p99 = percentiles(time_compile(max(5, args.repeat // 30)))
    print(f"parse+check rules/            p50 {compile_p50 * 1e3:8.1f} ms   p99 {compile_p99 * 1e3:8.1f} ms")

    rules = policylang.load(ROOT / "rules")
    all_p50, all_p99 = percentiles(time_households(rules, args.repeat))
    print(f"one household, all programs   p50 {all_p50 * 1e6:8.0f} µs   p99 {all_p99 * 1e6:8.0f} µs"
          f"   (trace on; {len(rules.programs)} programs)")
    why_p50, why_p99 = percentiles(time_households(rules, max(20, args.repeat // 10), why_not=True))
    print(f"  … with why-not distances      p50 {why_p50 * 1e6:8.0f} µs   p99 {why_p99 * 1e6:8.0f} µs"
          "   (re-evaluates to find the fact changes)")
    one_p50, one_p99 = percentiles(time_households(rules, args.repeat, ["dibao"]))
    print(f"one household, dibao only     p50 {one_p50 * 1e6:8.0f} µs   p99 {one_p99 * 1e6:8.0f} µs")

    baseline = openfisca_baseline(args.openfisca_python, args.repeat)
    if baseline:
        print(f"OpenFisca, dibao, one household p50 {baseline['p50_us']:8.0f} µs   "
              f"p99 {baseline['p99_us']:8.0f} µs   (build simulation from a dict + compute)")
        print(f"ratio OpenFisca / policylang (dibao only, p50): {baseline['p50_us'] / (one_p50 * 1e6):.1f}×")
    else:
        print("OpenFisca baseline skipped (run benchmarks/run to include it)")


if __name__ == "__main__":
    sys.exit(main())
