"""UI strings in English and Chinese: ``t(key, lang, **values)``.

The strings live in one module per area (``visitor``, ``staff``, ``problems``, ...); a key is
defined in exactly one of them (importing this package fails otherwise). Content (names,
summaries) is not here: it comes from the data with ``_zh`` columns that fall back to English
(``catalog.localized``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from itinerary.i18n import (
    access,
    accounts,
    chinese,
    cityaccounts,
    content,
    errors,
    kiosk,
    kiosknetwork,
    maps,
    phone,
    plan,
    problems,
    programmes,
    staff,
    stepfree,
    visitor,
    voice,
)

LANGS = ("en", "zh")
LANG_NAMES = {"en": "English", "zh": "中文"}


def _merge(*tables: Mapping[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        twice = merged.keys() & table.keys()
        if twice:
            raise ValueError(f"i18n keys defined twice: {sorted(twice)}")
        merged.update(table)
    return merged


AREAS = (
    visitor,
    staff,
    problems,
    content,
    accounts,
    errors,
    maps,
    access,
    phone,
    stepfree,
    plan,
    chinese,
    kiosk,
    programmes,
    voice,
    cityaccounts,
    kiosknetwork,
)  # one module per area of the app
STRINGS: dict[str, dict[str, str]] = _merge(*(area.STRINGS for area in AREAS))


def t(key: str, lang: str = "en", /, **values: object) -> str:
    """The UI text ``key`` in ``lang`` (English if the language is unknown), formatted."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


LIST_SEPARATORS = {"en": ", ", "zh": "、"}  # Chinese lists names with the enumeration comma


def join_list(items: Iterable[str], lang: str = "en", /) -> str:
    """Names as a list in ``lang``: "a, b, c" in English, "a、b、c" in Chinese."""
    return LIST_SEPARATORS.get(lang, ", ").join(items)
