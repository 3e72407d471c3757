"""Values as CSV cell text, and cells a spreadsheet must not run: one home for both rules.

``cell_text`` is what the data contract's writers (exports, the editor's parsers) put in a cell;
``guard_formula`` keeps a text cell from being read as a formula by a spreadsheet program
(OWASP "CSV injection": a cell starting with = + - @, tab or carriage return, and their
full-width forms).
"""

from __future__ import annotations

import math
import re
from typing import Any, Final

FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def cell_text(value: Any) -> str:
    """A value as its data-contract cell: floats that parse back identical, yes/no, ';' lists."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):  # numpy floats too: their repr is "np.float64(...)"
        return repr(float(value)) if math.isfinite(value) else str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return ";".join(str(v) for v in value)
    return str(value)


_NUMBER: Final = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _needs_guard(text: str) -> bool:
    if text.startswith("'"):  # an apostrophe that a reader would take for our own guard
        return _needs_guard(text[1:])
    return text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text)


def guard_formula(text: str) -> str:
    """A cell a spreadsheet shows as text: a leading apostrophe before = + - @ (and tab, CR).

    Plain numbers (``-122.3``) are left alone: a spreadsheet reads them as numbers, never as a
    formula. Text that already starts with an apostrophe before such a character gets one more,
    so that ``unguard_formula`` gives back exactly the original text.
    """
    return "'" + text if _needs_guard(text) else text


def unguard_formula(text: str) -> str:
    """The text ``guard_formula`` was given: ``unguard_formula(guard_formula(s)) == s`` for all s."""
    return text[1:] if text.startswith("'") and _needs_guard(text[1:]) else text
