"""The checker: parsed modules → the checked program (`ir.CheckedRules`), every error of the
rule set at once.

One entry, `check`. Its steps run in this order (`declarations._Checker.run`), each
collecting every error it finds; the later ones run only when the earlier found none:

1. declarations (`declarations.py`): every name declared once; entities, facts and lists
   into the schema; sources; parameters with their dated, per-place values;
2. expressions (`expressions.py`): each definition and condition resolved and typed —
   names, units, periods, dates;
3. programs (`programs.py`): subjects, conditions, exceptions and priorities, amounts;
4. the place fact: a place to look parameters up wherever programs need one;
5. graph (`graph.py`): no program or definition depends on itself; every parameter has a
   value wherever and whenever a program reads it;
6. examples: each `example` names programs and subjects that exist.

Lints (`lint.py`, with `prove.py` for overlapping exceptions) run after, as a pass of their
own: they warn, they never stop the rules from loading.

>>> from policylang.syntax.parse import parse_text
>>> rules = check([parse_text('''entity household "家庭" / "household"
...   key id : text
...   fact assets "金融资产" / "assets" : money
... end
... ''', "tiny.policy")])
>>> list(rules.schema.entities), rules.schema.root.key
(['household'], 'id')
"""

from .declarations import check

__all__ = ["check"]
