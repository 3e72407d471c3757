"""The domain package never imports the UI."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_itinerary_does_not_import_streamlit() -> None:
    code = (
        "import pkgutil, importlib, sys, itinerary\n"
        "for m in pkgutil.iter_modules(itinerary.__path__):\n"
        "    importlib.import_module('itinerary.' + m.name)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] == 'streamlit'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_store_module_has_one_alias() -> None:
    """``itinerary.store`` is imported as ``store``, or as ``storage`` where a ``store`` parameter
    would shadow it; never under another name (st, st_ and storage were all in use)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    aliases = set()
    for path in [
        *root.glob("itinerary/**/*.py"),
        *root.glob("ui/*.py"),
        *root.glob("pages/*.py"),
        *root.glob("tests/**/*.py"),
    ]:
        aliases |= set(
            re.findall(
                r"^\s*from itinerary import[^\n]*\bstore as (\w+)",
                path.read_text(encoding="utf-8"),
                flags=re.M,
            )
        )
    assert aliases <= {"storage"}
