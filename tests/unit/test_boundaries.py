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
