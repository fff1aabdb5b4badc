"""The checked program (IR): what the checker produces and both engines consume.

`nodes` holds the resolved, typed nodes; `schema` the entities and facts the rules declare.
The nodes are the package's names, so code reads `ir.Program`, `ir.Condition`.
"""

from .nodes import *  # noqa: F401,F403  (the IR's node types are this package's vocabulary)
from .nodes import walk  # noqa: F401
