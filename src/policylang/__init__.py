"""policylang — a checked, explainable language for social-assistance rules.

>>> import policylang
>>> rules = policylang.load("rules")
>>> "dibao" in rules.programs
True
"""

from .api import RuleSet, load, read_facts
from .interpret.decisions import Decision, HouseholdDecisions
from .results import Decisions
from .core.diagnostics import Diagnostic, PolicyError

__all__ = ["load", "read_facts", "RuleSet", "Decision", "Decisions", "HouseholdDecisions",
           "Diagnostic", "PolicyError"]
__version__ = "0.1.0"
