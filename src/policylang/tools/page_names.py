"""Which file each page of the programs catalogue goes to, and the names that cannot have one.

A program's page is `<program id>.md` beside `index.md`. Rules may come from anyone, and a
program named `index` would overwrite the index; `Dibao` and `dibao` are one file on macOS
and Windows; `con.md` is the console on Windows. `policylang docs` refuses such names (PL006
at the program) before it writes anything.
"""

from __future__ import annotations

import re
import unicodedata

from ..core.diagnostics import Diagnostic
from .catalogue_text import page_name

INDEX = "index.md"
# Names Windows keeps for devices, with any extension: `con.md` there is the console.
DEVICE_NAMES = {"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt")
                                               for n in range(1, 10))}
MAX_FILE_NAME_BYTES = 255  # the limit of most file systems


def page_name_problems(programs) -> list[Diagnostic]:
    """PL006 for each program whose page cannot be a file of its own: one named like the
    index (`program index` would overwrite it), two names that are one file once case and
    Unicode forms are folded (as on macOS and Windows), a device name of Windows, a name too
    long for a file system, or anything but letters, digits and `_`. Nothing is written then.

    >>> from types import SimpleNamespace as P
    >>> [d.message for d in page_name_problems([P(name="Index", span=None)])]
    ['the catalogue page of program `Index` would be the same file as the index (`index.md`)']
    """
    taken, problems = {_folded(INDEX): f"the index (`{INDEX}`)"}, []
    for program in programs:
        name = page_name(program.name)
        key = _folded(name)
        if not re.fullmatch(r"\w+", program.name):
            problem = "is not a safe file name (letters, digits and `_` only)"
        elif key in taken:
            problem = f"would be the same file as {taken[key]}"
        elif key.removesuffix(".md") in DEVICE_NAMES:
            problem = f"would be `{name}`, a device name on Windows"
        elif len(name.encode("utf-8")) > MAX_FILE_NAME_BYTES:
            problem = f"would have a file name longer than {MAX_FILE_NAME_BYTES} bytes"
        else:
            taken[key] = f"the page of program `{program.name}`"
            continue
        problems.append(Diagnostic("PL006", f"the catalogue page of program `{program.name}` "
                                   + problem, program.span, hint="rename the program"))
    return problems


def _folded(name: str) -> str:
    """The name as a case-insensitive, normalising file system sees it."""
    return unicodedata.normalize("NFC", name).casefold()
