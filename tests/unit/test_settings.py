"""Settings are declared once (itinerary/settings.py) and the README documents exactly those."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from itinerary import settings

ROOT = Path(__file__).resolve().parents[2]


def readme_settings() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(CITYPLUS_[A-Z_]+)` \|", section, flags=re.M)


def test_readme_table_lists_exactly_the_declared_settings() -> None:
    documented = readme_settings()
    assert len(documented) == len(set(documented)), "a setting is listed twice"
    assert sorted(documented) == sorted(settings.NAMES)


def test_no_other_module_reads_a_cityplus_variable() -> None:
    readers = []
    for path in [
        ROOT / "app.py",
        *ROOT.glob("pages/*.py"),
        *ROOT.glob("ui/*.py"),
        *ROOT.glob("itinerary/**/*.py"),
    ]:
        if path.name == "settings.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"(os\.environ|getenv)\b[^\n]*CITYPLUS_", text):
            readers.append(path.relative_to(ROOT).as_posix())
    assert readers == []


def test_an_undeclared_name_is_refused() -> None:
    with pytest.raises(KeyError):
        settings._raw("CITYPLUS_NOPE")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, 8.0),
        ({"CITYPLUS_KIOSK_INTERVAL": "2.5"}, 2.5),
        ({"CITYPLUS_KIOSK_INTERVAL": "x"}, 8.0),
        ({"CITYPLUS_KIOSK_INTERVAL": "-1"}, 8.0),
        ({"CITYPLUS_KIOSK_INTERVAL": "inf"}, 8.0),
    ],
)
def test_seconds_fall_back_to_the_default_on_bad_values(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: float
) -> None:
    monkeypatch.delenv("CITYPLUS_KIOSK_INTERVAL", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert settings.kiosk_interval_seconds() == expected


def test_defaults_and_values(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in settings.NAMES:
        monkeypatch.delenv(name, raising=False)
    assert settings.db_url() == f"sqlite:///{settings.DEFAULT_DB_PATH}"
    assert settings.data_dir() == settings.DEFAULT_DATA_DIR
    assert settings.home_city() == "shenzhen"
    assert settings.pinned_now() is None
    assert settings.geocoder_enabled()
    assert settings.user_agent() == "CityPlus-Explorer/0.1"
    monkeypatch.setenv("CITYPLUS_PUBLIC_URL", "https://explore.example.org/")
    assert settings.public_url() == "https://explore.example.org"
    assert (
        settings.user_agent("tile-prefetch")
        == "CityPlus-Explorer/0.1 tile-prefetch (+https://explore.example.org)"
    )
    monkeypatch.setenv("CITYPLUS_CONTACT", "ops@example.org")
    assert settings.contact() == "ops@example.org"
    monkeypatch.setenv("CITYPLUS_GEOCODER", " OFF ")
    assert not settings.geocoder_enabled()
    monkeypatch.setenv("CITYPLUS_NOW", "2026-12-01T10:00:00+08:00")
    assert settings.pinned_now() == datetime(2026, 12, 1, 10, tzinfo=timezone(timedelta(hours=8)))
    monkeypatch.setenv("CITYPLUS_NOW", "2026-12-01T10:00:00")
    assert settings.pinned_now() == datetime(2026, 12, 1, 10, tzinfo=UTC)
