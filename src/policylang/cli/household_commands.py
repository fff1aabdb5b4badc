"""Commands about one household over time: `timeline`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..api import load, read_facts
from .exits import echo_all
from .options import DATE, EXISTING


@click.command("timeline")
@click.argument("rules", type=EXISTING)
@click.argument("facts", type=EXISTING)
@click.option("--from", "start", type=DATE, required=True, help="first date, YYYY-MM-DD")
@click.option("--to", "end", type=DATE, required=True, help="last date, YYYY-MM-DD")
@click.option("--program", "programs", multiple=True, help="only this program (repeat for more)")
@click.option("--subject", default=None, help="only the decisions about this member (or household) id")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="write to FILE")
def timeline_command(rules, facts, start, end, programs, subject, fmt, lang, output):
    """The dates between --from and --to on which a decision of the household changes, and
    why: a standard taking effect, a rule's period, a birthday, an event's window."""
    from ..explain.timeline_said import timeline_json, timeline_markdown, timeline_text
    from ..tools.timeline import timeline

    if end < start:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    ruleset = load(rules)
    households = read_facts(facts, ruleset)
    if len(households) != 1:
        raise click.BadParameter(f"{facts} holds {len(households)} households; a timeline is of one",
                                 param_hint="FACTS")
    (household,) = households
    if household.record is None:
        for error in household.errors:
            click.echo(f"error at {error.json_path}: {error.message}", err=True)
        sys.exit(1)
    try:
        changes = timeline(ruleset, household, start, end, tuple(programs) or None)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--program") from None
    if subject:
        changes = [c for c in changes if c.subject_id == subject]
    rules_, record = ruleset.rules, household.record
    if fmt == "json":
        rendered = json.dumps(timeline_json(changes, rules_, record, lang, start, end),
                              ensure_ascii=False, indent=2) + "\n"
    elif fmt == "md":
        rendered = timeline_markdown(changes, rules_, record, lang, start, end)
    else:
        rendered = timeline_text(changes, rules_, record, lang, start, end) + "\n"
    if output:
        output.write_text(rendered, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        echo_all(rendered, nl=False)
