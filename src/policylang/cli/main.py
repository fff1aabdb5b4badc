"""The `policylang` command: check, eval, explain, test, schema, screen, synth, ….

Exit codes: 0 ok, 1 errors in the rules or the facts, 2 a usage error, 130 Ctrl-C, 141 the
reader of the output went away (a closed pipe). No Python traceback reaches the user: an unexpected exception prints one line
saying it is a bug (set POLICYLANG_DEBUG=1 to see the traceback).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import click

from .. import __version__
from ..api import RuleSet, load, read_facts
from ..core.diagnostics import PolicyError
from ..core.diagnostic_formats import render_all_json, render_all_sarif, render_all_text
from .exits import echo_all, run_guarded
from .options import DATE, EXISTING, REFORMS, ListTable


def _colour(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def _report(error: PolicyError, texts=None) -> None:
    click.echo(render_all_text(error.diagnostics, texts, _colour(sys.stderr)), err=True)


def _load(rules, reforms=()) -> RuleSet:
    """The rules (a path, or several), changed by the reforms given with `--reform`."""
    return load(rules, reforms)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policylang")
def cli() -> None:
    """policylang: write social-assistance rules, check them, explain every decision."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=EXISTING)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text")
@click.option("--strict", is_flag=True, help="warnings are errors (notes stay notes)")
@click.option("-q", "--quiet", is_flag=True, help="count the notes, do not print them")
def check(paths, fmt, strict, quiet):
    """Check policy files or folders: names, types and units, dates, coverage, cycles, lints."""
    try:
        ruleset = load(list(paths))
        findings, texts = list(ruleset.rules.warnings), ruleset.texts  # with PL070
    except PolicyError as error:
        ruleset, findings, texts = None, list(error.diagnostics), None
    if strict:
        import attrs
        findings = [attrs.evolve(d, severity="error") if d.severity == "warning" else d
                    for d in findings]
    failed = ruleset is None or any(d.is_error for d in findings)
    if fmt == "json":
        echo_all(render_all_json(findings))
    elif fmt == "sarif":
        echo_all(render_all_sarif(findings, __version__))
    elif findings:
        click.echo(render_all_text(findings, texts, _colour(sys.stderr), not quiet), err=True)
    if fmt == "text" and not failed:
        rules = ruleset.rules
        click.echo(f"ok: {len(ruleset.texts)} files, {len(rules.programs)} programs, "
                   f"{len(rules.parameters)} parameters, {len(rules.definitions)} definitions, "
                   f"{len(rules.examples)} examples")
    sys.exit(1 if failed else 0)


def _evaluate(rules, facts: Path, date: dt.date, previous: Path | None = None,
              why_not: bool = True, reforms=()):
    ruleset = _load(rules, reforms)
    households = read_facts(facts, ruleset)
    before = _previous(previous, ruleset, households) if previous else None
    return ruleset, ruleset.evaluate(households, date, previous=before, why_not=why_not)


def _previous(path: Path, ruleset: RuleSet, households):
    """The previous snapshot; its errors stop the run (exit 1), and a household without a
    previous record is named on stderr rather than silently not monitored."""
    before = read_facts(path, ruleset)
    problems = [d for h in before for d in h.errors]
    if problems:
        raise PolicyError(problems)
    known = {h.id for h in before}
    kind = ruleset.rules.schema.root.name
    for record in households:
        if record.id not in known:
            click.echo(f"note: {path} has no {kind} `{record.id}`: programs that need "
                       "the previous snapshot are not_applicable for it", err=True)
    return before


PREVIOUS = click.option("--previous", type=EXISTING, default=None,
                        help="the households' previous snapshot (facts file), for monitoring rules")
WHY_NOT = click.option("--why-not/--no-why-not", "why_not", default=True, show_default=True,
                       help="for decisions not eligible, search the changes to the facts that "
                       "would grant them, each checked (bounded per household)")


@cli.command("eval")
@click.argument("rules", nargs=-1, required=True, type=EXISTING)
@click.argument("facts", type=EXISTING)
@click.option("--date", "date", type=DATE, required=True, help="evaluation date, YYYY-MM-DD")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en",
              help="language of the explanations in the JSON")
@click.option("--explanation/--no-explanation", "explained", default=True, show_default=True,
              help="give each decision its explanation; without, decisions only (outcome, "
              "amount, reason, citations, missing facts), and no why-not search")
@click.option("--compact", is_flag=True, help="JSON on one line, without indentation")
@PREVIOUS
@WHY_NOT
@REFORMS
def eval_(rules, facts, date, fmt, lang, explained, compact, previous, why_not, reforms):
    """Decide every program for the households in FACTS on DATE (RULES: one or more files
    or folders)."""
    ruleset, decisions = _evaluate(list(rules), facts, date, previous, why_not and explained,
                                   reforms)
    if fmt == "json":
        echo_all(decisions.dumps(lang, explained, compact))
    else:
        for record in decisions:
            click.echo(f"{record.household}")
            for error in record.errors:
                click.echo(f"  error at {error.json_path}: {error.message}")
            for d in record.decisions:
                amount = f" {d.amount.written} {d.amount.unit}/{d.amount.per}" if d.amount else ""
                by = f" by {d.by}" if d.by else ""
                click.echo(f"  {d.program:<20} {d.subject_kind} {d.subject_id:<12} {d.outcome}{amount}{by}")
    sys.exit(1 if decisions.has_errors else 0)


@cli.command()
@click.argument("rules", nargs=-1, required=True, type=EXISTING)
@click.argument("facts", type=EXISTING)
@click.option("--date", "date", type=DATE, required=True, help="evaluation date, YYYY-MM-DD")
@click.option("--subject", default=None, help="only this member (or household) id")
@click.option("--program", default=None, help="only this program")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "html", "json"]), default="text")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", help="language of the explanation")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="write to FILE")
@PREVIOUS
@WHY_NOT
@REFORMS
def explain(rules, facts, date, subject, program, fmt, lang, output, previous, why_not, reforms):
    """Explain each decision: what is granted and how it was computed, why not and what would change it, what is missing."""
    from ..explain.text import render_text
    from ..explain.markup import render_html, render_markdown
    from ..explain.model import report
    ruleset, decisions = _evaluate(list(rules), facts, date, previous, why_not, reforms)
    if program and program not in ruleset.programs:
        raise click.BadParameter(f"no program `{program}`; programs: {', '.join(ruleset.programs)}",
                                 param_hint="--program")
    if subject and not any(d.subject_id == subject for h in decisions for d in h.decisions):
        raise click.BadParameter(f"no decision is about `{subject}` in these facts",
                                 param_hint="--subject")
    model = report(decisions, ruleset.texts, ruleset.rules, lang, subject, program)
    renderers = {"text": lambda m: render_text(m, output is None and _colour(sys.stdout)),
                 "md": render_markdown, "html": render_html,
                 "json": lambda m: json.dumps(m, ensure_ascii=False, indent=2) + "\n"}
    rendered = renderers[fmt](model)
    if output:
        output.write_text(rendered, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        echo_all(rendered, nl=False)
    sys.exit(1 if decisions.has_errors else 0)


@cli.command()
@click.argument("rules", type=EXISTING)
@click.option("--strict", is_flag=True, help="clauses no example exercised are errors")
@click.option("--facts-root", "facts_roots", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="a folder examples may read facts files from, besides the rules folder "
              "and its parent (repeat for more)")
@REFORMS
def test(rules, strict, facts_roots, reforms):
    """Run the examples written beside the rules, and report clause coverage."""
    from ..tools.coverage import uncovered_clauses
    from ..tools.examples import run_examples
    from ..pipeline import rules_folder
    ruleset = _load(rules, reforms)
    folder = rules_folder(rules).resolve()
    reform_folders = [rules_folder(Path(r)).resolve() for r in reforms]
    results = run_examples(ruleset, [folder, folder.parent, *reform_folders, *facts_roots])
    for result in results:
        mark = "✓" if result.passed else "✗"
        click.echo(f"{mark} {result.span.location()} {result.title}")
        for failure in result.failures:
            click.echo(f"    {failure}")
    uncovered = uncovered_clauses(ruleset.rules, results)  # warnings; --strict fails on them
    if uncovered:
        click.echo(render_all_text(uncovered, ruleset.texts, _colour(sys.stderr)), err=True)
    failed = sum(not r.passed for r in results)
    click.echo(f"coverage: {len(uncovered)} clause{'s' * (len(uncovered) != 1)} not exercised"
               + (" (--strict: the run fails)" if uncovered and strict else ""))
    click.echo(f"examples: {len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed or not results or (strict and uncovered) else 0)


@cli.command()
@click.argument("rules", type=EXISTING)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None)
def schema(rules, output):
    """Print the facts schema of the rules as JSON Schema."""
    from ..facts.json_schema import facts_json_schema
    text = json.dumps(facts_json_schema(_load(rules).rules.schema), ensure_ascii=False, indent=2)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        echo_all(text)


@cli.command()
@click.argument("rules", type=EXISTING)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="folder to write the Markdown catalogue into")
def docs(rules, output):
    """Write a Markdown catalogue of the programs: one page each, and an index."""
    from ..tools.catalogue import write_catalogue
    ruleset = _load(rules)
    try:
        written = write_catalogue(ruleset, output)
    except PolicyError as error:  # a program whose page cannot be a file of its own
        _report(error, ruleset.texts)
        sys.exit(1)
    click.echo(f"wrote {len(written)} pages to {output}")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=EXISTING)
@click.option("--check", "check_only", is_flag=True,
              help="change nothing; show a diff and exit 1 if a file is not formatted")
def fmt(paths, check_only):
    """Rewrite policy files in the one canonical layout (comments kept)."""
    import difflib

    from ..syntax.formatter import format_text
    from ..pipeline import read_sources
    unformatted, problems = [], []
    for source in read_sources(list(paths)):  # regular UTF-8 files inside the paths given
        try:
            formatted = format_text(source.text, source.path)
        except PolicyError as error:
            problems.extend(error.diagnostics)
            continue
        if formatted == source.text:
            continue
        unformatted.append(source.path)
        if check_only:
            echo_all("".join(difflib.unified_diff(
                source.text.splitlines(keepends=True), formatted.splitlines(keepends=True),
                fromfile=source.path, tofile=f"{source.path} (formatted)")), nl=False)
        else:
            Path(source.path).write_text(formatted, encoding="utf-8")
    if problems:
        raise PolicyError(problems)
    verb = "would reformat" if check_only else "reformatted"
    click.echo(f"{verb} {len(unformatted)} file{'s' * (len(unformatted) != 1)}", err=True)
    sys.exit(1 if check_only and unformatted else 0)


@cli.command()
@click.argument("rules", type=EXISTING)
@click.option("--households", "households", type=EXISTING, required=True,
              help="the top entity's table, one row per household (.parquet or .csv)")
@click.option("--members", "members", type=EXISTING, default=None,
              help="the table of the list `members` (the bundled rules' persons)")
@click.option("--events", "events", type=EXISTING, default=None,
              help="the table of the list `events`; without it every household's events "
              "are unknown")
@click.option("--table", "lists", type=ListTable(), multiple=True,
              help="the table of a list of the rules' top entity, e.g. persons=persons.csv "
              "(repeat for more)")
@click.option("--date", "date", type=DATE, required=True, help="evaluation date, YYYY-MM-DD")
@click.option("--program", "programs", multiple=True, help="only this program (repeat for more)")
@click.option("--engine", type=click.Choice(["batch", "interpreter"]), default="batch",
              help="batch: the compiled plan (default); interpreter: the reference, slower")
@click.option("--chunk", "chunk", type=click.IntRange(1), default=None,
              help="households per chunk (memory is bounded by the chunk)")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="decisions table to write (.parquet or .csv)")
@click.option("--summary", is_flag=True, help="then print the statistics of the table (as `stats`)")
@REFORMS
def screen(rules, households, members, events, lists, date, programs, engine, chunk, output,
           summary, reforms):
    """Screen a population: decide every program for every household of the tables."""
    from ..batch.job import run_screen
    given: dict[str, Path] = {}
    for name, path, option in ([("members", members, "--members"), ("events", events, "--events")]
                               + [(n, p, f"--table {n}=…") for n, p in lists]):
        if path is None:
            continue
        if name in given:
            raise click.UsageError(f"the table of the list `{name}` is given twice "
                                   f"(the second time with {option})")
        given[name] = path
    ruleset = _load(rules, reforms)
    try:
        done = run_screen(ruleset, households, given, date, programs or None, engine, chunk, output)
    except ValueError as error:  # unreadable tables, unknown lists or programs, …
        raise click.UsageError(str(error)) from None
    if summary:
        echo_all(population_summary(output, households, "text", ruleset.rules.schema.place_fact),
                 nl=False)
    sys.exit(0 if done.households_out == done.households_in else 1)


@cli.command()
@click.option("--persons", type=click.IntRange(1), required=True, help="how many persons")
@click.option("--seed", type=int, default=0, show_default=True, help="same seed, same population")
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="folder to write households, members and events tables into")
def synth(persons, seed, fmt, output):
    """Generate a synthetic population (with some unknown facts and some bad rows)."""
    from ..tools.synth import generate, write
    paths = write(generate(persons, seed), output, fmt)
    for name, path in paths.items():
        click.echo(f"{name}: {path}", err=True)


@cli.command("lsp")
def lsp():
    """Run the language server over stdio, for editors (needs `pip install 'policylang[lsp]'`)."""
    try:
        from ..lsp.server import main as serve
    except ImportError:
        click.echo("policylang lsp needs pygls: pip install 'policylang[lsp]'", err=True)
        sys.exit(2)
    serve()


@cli.command("explain-code")
@click.argument("code")
def explain_code_cmd(code):
    """Explain a diagnostic code (PL012): what it means, a bad example, and the fix."""
    from ..tools.codes import explain_code
    try:
        click.echo(explain_code(code), nl=False)
    except KeyError as error:
        raise click.BadParameter(error.args[0], param_hint="CODE") from None


from .household_commands import timeline_command  # noqa: E402  (it uses the helpers above)
from .population_commands import (outreach_command, population_summary,  # noqa: E402
                                  stats_command, verify_command)

cli.add_command(timeline_command)
cli.add_command(outreach_command)
cli.add_command(stats_command)
cli.add_command(verify_command)


def main() -> None:
    """Entry point: run the CLI, turning every failure into a message and an exit code
    (`exits.py`: a closed pipe is 141, quietly; Ctrl-C is 130)."""
    sys.exit(run_guarded(lambda: _invoke(sys.argv[1:]), _report))


def _invoke(args: list[str]) -> None:
    """Run the command `args` name without click's own error handling, which would turn a
    closed pipe into status 1 and Ctrl-C into `Abort` (status 2)."""
    with cli.make_context("policylang", list(args)) as ctx:
        cli.invoke(ctx)
