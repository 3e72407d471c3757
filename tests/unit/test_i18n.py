"""Every UI string exists in English and Chinese, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from itinerary.i18n import LANGS, STRINGS, t


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_complete_in_every_language(key: str) -> None:
    entry = STRINGS[key]
    assert set(entry) == set(LANGS)
    assert all(entry[lang].strip() for lang in LANGS)
    assert fields(entry["zh"]) == fields(entry["en"])


def test_chinese_differs_from_english() -> None:
    same = [k for k, v in STRINGS.items() if v["zh"] == v["en"]]
    assert same == []


def test_t_formats_and_falls_back() -> None:
    assert t("home.stops", "en", count=8) == "8 stops"
    assert t("home.stops", "zh", count=8) == "8 站"
    assert t("home.stops", "fr", count=2) == "2 stops"


def test_every_key_used_in_code_exists() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    used: set[str] = set()
    for path in [
        root / "app.py",
        *root.glob("pages/*.py"),
        *root.glob("ui/*.py"),
        *root.glob("itinerary/**/*.py"),
    ]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    assert used, "no t() calls found"
    assert sorted(used - set(STRINGS)) == []


def test_every_schedule_warning_and_geocoder_message_is_translated() -> None:
    from itinerary.geocode import MESSAGE_CODES
    from itinerary.routing import WARNINGS

    assert all(f"warn.{code}" in STRINGS for code in WARNINGS)
    assert all(f"plan.geo.{code}" in STRINGS for code in MESSAGE_CODES if code)
