"""Explanations: how long one household's explanation takes, and how large the decisions
JSON is per person — this engine against an earlier one, measured in the same run.

    python benchmarks/explain.py [--baseline 6c240e9] [--persons 300] [--repeat 3]

The baseline is the commit's `src/` checked out into a temporary git worktree and imported
in a subprocess; both runs decide the same households (the examples
and a sample of `policylang synth`), decided on 2023-08-01; each engine reads `rules/` as it
was at its commit (the same programs; the labels and grammar may have grown). Timed per household, after a
warm-up: deciding with the why-not search and writing the explanation as JSON
(`explanations()`), and as text (`explain()`). Sizes per person: the decisions JSON as `eval`
writes it (`dumps()`, indented), the same compact, and compact without explanations where the
engine can leave them out (`eval --no-explanation`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATE = "2023-08-01"


def households(count: int) -> list[dict]:
    """The example households, then synthetic ones (the same seed in both runs)."""
    from policylang.tools.synth import generate

    found = []
    for path in sorted((ROOT / "examples").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found += data if isinstance(data, list) else [data]
    return found + households_of(generate(count, 0))


def households_of(population) -> list[dict]:
    """A synthetic population's tables as household facts (CONTRACT §1)."""
    tables = population.tables()
    homes, members, events = (tables[name].to_dicts() for name in ("households", "members", "events"))
    by_home = {h["id"]: {**{k: v for k, v in h.items() if v is not None},
                         "members": [], "events": []} for h in homes}
    for row in members:
        by_home[row.pop("household_id")]["members"].append(
            {k: v for k, v in row.items() if v is not None})
    for row in events:
        by_home[row.pop("household_id")]["events"].append(
            {k: v for k, v in row.items() if v is not None})
    return [_jsonable(h) for h in by_home.values()]


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


def measure(facts: list[dict], rules: Path, repeat: int) -> dict:
    """Run inside the engine under test (its `policylang` first on sys.path)."""
    import policylang

    ruleset = policylang.load(rules)
    for household in facts[:3]:  # warm-up
        ruleset.evaluate([household], DATE).explanations()
    json_ms, text_ms, size, compact, bare, persons = [], [], 0, 0, 0, 0
    for household in facts:
        for _ in range(repeat):
            start = time.perf_counter()
            ruleset.evaluate([household], DATE).explanations()
            json_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            ruleset.evaluate([household], DATE).explain()
            text_ms.append((time.perf_counter() - start) * 1000)
        decided = ruleset.evaluate([household], DATE)
        size += len(decided.dumps().encode())
        compact += len(json.dumps(decided.to_json(), ensure_ascii=False,
                                  separators=(",", ":")).encode())
        try:
            bare_data = ruleset.evaluate([household], DATE, why_not=False).to_json(
                explanations=False)
            bare += len(json.dumps(bare_data, ensure_ascii=False, separators=(",", ":")).encode())
        except TypeError:  # an engine without decisions-only JSON
            bare = None
        persons += len(household.get("members", []))
    return {"version": policylang.__version__, "households": len(facts), "persons": persons,
            "explain_json_ms": _percentiles(json_ms), "explain_text_ms": _percentiles(text_ms),
            "kb_per_person": size / 1024 / persons,
            "kb_per_person_compact": compact / 1024 / persons,
            "kb_per_person_bare": None if bare is None else bare / 1024 / persons}


def _percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"p50": statistics.median(ordered), "p99": ordered[int(0.99 * (len(ordered) - 1))]}


def in_engine(tree: Path, facts_file: Path, repeat: int) -> dict:
    """`measure` in a subprocess that imports `policylang` from `tree/src` and loads the
    rules of `tree/rules` (an earlier engine reads the rules as they were written for it)."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    out = subprocess.run([sys.executable, __file__, "--measure", str(facts_file),
                          "--rules", str(tree / "rules"), "--repeat", str(repeat)],
                         env=env, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        sys.exit(f"the engine in {tree} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def baseline_tree(commit: str, into: Path) -> Path:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(into), commit],
                   check=True, capture_output=True)
    return into


def report(now: dict, before: dict, commit: str) -> None:
    rows = [("explain, JSON: p50 ms", lambda r: r["explain_json_ms"]["p50"]),
            ("explain, JSON: p99 ms", lambda r: r["explain_json_ms"]["p99"]),
            ("explain, text: p50 ms", lambda r: r["explain_text_ms"]["p50"]),
            ("explain, text: p99 ms", lambda r: r["explain_text_ms"]["p99"]),
            ("decisions JSON, KB per person", lambda r: r["kb_per_person"]),
            ("  compact", lambda r: r["kb_per_person_compact"]),
            ("  compact, without explanations", lambda r: r["kb_per_person_bare"])]
    print(f"{now['households']} households, {now['persons']} persons, date {DATE}, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'':34}{'now':>12}{'baseline ' + commit:>20}")
    for name, get in rows:
        cells = [get(r) for r in (now, before)]
        print(f"{name:34}" + "".join(f"{'—' if c is None else f'{c:.2f}':>{w}}"
                                     for c, w in zip(cells, (12, 20))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="6c240e9")
    parser.add_argument("--persons", type=int, default=300,
                        help="synthetic persons, beside the example households")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--rules", type=Path, default=ROOT / "rules", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        facts = json.loads(args.measure.read_text(encoding="utf-8"))
        print(json.dumps(measure(facts, args.rules, args.repeat)))
        return
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as work:
        facts_file = Path(work) / "households.json"
        facts_file.write_text(json.dumps(households(args.persons)), encoding="utf-8")
        now = in_engine(ROOT, facts_file, args.repeat)
        tree = Path(work) / "baseline"
        try:
            before = in_engine(baseline_tree(args.baseline, tree), facts_file, args.repeat)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           capture_output=True)
    report(now, before, args.baseline)


if __name__ == "__main__":
    main()
