"""The checker: parsed modules → the checked program (`ir.CheckedRules`), every error of the
rule set at once. One entry, `check`.

Its sub-passes are the ordered steps of one class, `declarations._Checker.run`, not separate
passes: they share the checker's tables (the schema, the definitions typed so far, what each
program uses), and expressions are checked where the declaration holding them is. In order:

1. declarations (`declarations.py`: `_collect`, `_build_schema`, `_parameter`): every name
   declared once; entities, facts and lists into the schema, one top entity; sources;
   parameters with their dated, per-place values. With no entity at all, it stops here.
2. definitions (`declarations.py` `definition_type`, with `expressions.py`): each body
   resolved and typed — names, units, periods, dates;
3. programs (`programs.py` `check_program`, with `expressions.py`): subjects, conditions,
   triggers, exceptions and priorities, amounts, reports, notes;
4. the place fact (`_check_place_fact`): a place to look parameters up wherever programs
   need one — only if steps 1–3 found no error;
5. graph (`graph.py`: `check_cycles`, `check_coverage`): no program or definition depends on
   itself; every parameter has a value wherever and whenever a program reads it — only if
   no step found an error so far;
6. examples (`examples.py`): each `example` names programs and exceptions that exist,
   and changes (`with …`) facts and lists the schema has.

`check` raises the errors of all steps together; warnings stay in `CheckedRules.warnings`.
Lints (`lint.py`, with `prove.py`) are the pipeline's next pass, not a step of this one.
"""

from __future__ import annotations

from ..syntax import nodes
from .. import ir
from ..core.diagnostics import PolicyError
from .declarations import _Checker

__all__ = ["check"]


def check(modules: list[nodes.Module]) -> ir.CheckedRules:
    """Check parsed modules as one rule set (the steps above, in order); raise `PolicyError`
    listing every error.

    >>> from policylang.syntax.parse import parse_text
    >>> rules = check([parse_text('''entity household "家庭" / "household"
    ...   key id : text
    ...   fact assets "金融资产" / "assets" : money
    ... end
    ... definition poor "贫困" / "poor" of household = assets < 1000
    ... ''', "tiny.policy")])
    >>> poor = rules.definitions[("household", "poor")]
    >>> list(rules.schema.entities), rules.schema.root.key, str(poor.type)
    (['household'], 'id', 'bool')
    >>> try:
    ...     check([parse_text('''entity household "家庭"
    ...   fact assets "金融资产" : money
    ... end
    ... definition poor "贫困" of household = asets < 1000
    ... definition rich "富裕" of household = assets > "a lot"
    ... ''', "typo.policy")])
    ... except PolicyError as error:  # both errors, not only the first
    ...     [(d.code, d.span.line) for d in error.diagnostics]
    [('PL010', 4), ('PL020', 5)]
    """
    checker = _Checker(modules)
    rules = checker.run()
    errors = [d for d in checker.diagnostics if d.is_error]
    if errors:
        raise PolicyError(errors)
    return rules
