"""Every setting the app reads from the environment, in one place, typed, with its default.

Each setting is declared once in ``SETTINGS`` (name, default, one-line meaning); the functions
below read it at call time, so a test or a kiosk can change the environment without reloading
modules. ``tests/unit/test_settings.py`` checks that the README's configuration table lists
exactly these names. Nothing else in the code base reads ``os.environ`` for a ``CITYPLUS_``
variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

PROJECT_ROOT: Final = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH: Final = PROJECT_ROOT / "var" / "cityplus.db"
DEFAULT_DATA_DIR: Final = PROJECT_ROOT / "data"

APP_NAME: Final = "CityPlus-Explorer"
APP_VERSION: Final = "0.1"
OFF_VALUES: Final = frozenset({"off", "0", "false", "no", "disabled", "none"})


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: str  # as the README shows it
    meaning: str


SETTINGS: Final = (
    Setting("CITYPLUS_DATA_DIR", "`data/`", "folder of content CSV files to seed from"),
    Setting("CITYPLUS_DB_URL", "`sqlite:///var/cityplus.db`", "SQLAlchemy database URL"),
    Setting("CITYPLUS_TILES", "OpenStreetMap", "map tile URL template"),
    Setting("CITYPLUS_TILES_ATTRIBUTION", "OpenStreetMap contributors", "attribution shown for the tiles"),
    Setting("CITYPLUS_HOME_CITY", "`shenzhen`", "city shown first and by default"),
    Setting("CITYPLUS_PUBLIC_URL", "the browser's address", "public base URL for share links and QR codes"),
    Setting("CITYPLUS_NOW", "the real time", "pins the clock (ISO 8601 with offset)"),
    Setting("CITYPLUS_NOMINATIM_DOMAIN", "`nominatim.openstreetmap.org`", "geocoding server"),
    Setting("CITYPLUS_NOMINATIM_SCHEME", "`https`", "`https` or `http` for that server"),
    Setting("CITYPLUS_GEOCODER_USER_AGENT", "`CityPlus-Explorer/0.1 (+contact)`", "User-Agent for geocoding"),
    Setting("CITYPLUS_CONTACT", "none", "contact sent in the geocoder's and tile fetcher's user agent"),
    Setting("CITYPLUS_GEOCODER", "on", "`off` disables address look-ups"),
    Setting("CITYPLUS_KIOSK_INTERVAL", "`8`", "seconds between steps of the kiosk's attract loop"),
    Setting("CITYPLUS_KIOSK_IDLE", "`90`", "seconds without a touch before the kiosk resets"),
    Setting("CITYPLUS_KIOSK_RELOAD", "`400`", "advances after which an unused kiosk reloads (0: never)"),
    Setting("CITYPLUS_TRUSTED_PROXIES", "`0`", "reverse proxies in front of the app (sign-in throttling)"),
    Setting(
        "CITYPLUS_STEP_FREE_WALK_M",
        "`500`",
        "legs on foot longer than this (metres) are flagged in step-free plans",
    ),
    Setting(
        "CITYPLUS_SEATED_BREAK_MINUTES",
        "`120`",
        "minutes of walking and visiting without a stop with seating before a step-free plan flags the day",
    ),
    Setting(
        "CITYPLUS_PROGRAMME_LINK_DAYS",
        "`14`",
        "days after an unlisted programme's last day that its private link still opens it",
    ),
    Setting("CITYPLUS_COUNTS", "on", "`off` stops the usage counts (Curate's Reach)"),
    Setting(
        "CITYPLUS_VOICE_PURGE_DAYS",
        "`90`",
        "days after which visitors' rejected reports and spam are deleted",
    ),
)
NAMES: Final = frozenset(s.name for s in SETTINGS)


def _raw(name: str) -> str:
    if name not in NAMES:  # a typo here would silently read nothing
        raise KeyError(f"{name} is not a declared setting")
    return os.environ.get(name, "").strip()


def _positive(name: str, default: float) -> float:
    """A positive, finite number, else ``default``."""
    text = _raw(name)
    try:
        value = float(text) if text else default
    except ValueError:
        return default
    return value if value > 0 and value < float("inf") else default


def _seconds(name: str, default: float) -> float:
    return _positive(name, default)


def data_dir() -> Path:
    return Path(_raw("CITYPLUS_DATA_DIR") or DEFAULT_DATA_DIR)


def db_url() -> str:
    return _raw("CITYPLUS_DB_URL") or f"sqlite:///{DEFAULT_DB_PATH}"


def tiles_url() -> str:
    """The tile URL template; empty means the default (OpenStreetMap)."""
    return _raw("CITYPLUS_TILES")


def tiles_attribution() -> str:
    return _raw("CITYPLUS_TILES_ATTRIBUTION")


def home_city() -> str:
    return _raw("CITYPLUS_HOME_CITY") or "shenzhen"


def public_url() -> str:
    """The configured public base URL without a trailing slash, or ''."""
    return _raw("CITYPLUS_PUBLIC_URL").rstrip("/")


def pinned_now() -> datetime | None:
    """``CITYPLUS_NOW`` as an aware datetime, or None for the real clock."""
    text = _raw("CITYPLUS_NOW")
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def nominatim_domain() -> str:
    return _raw("CITYPLUS_NOMINATIM_DOMAIN")


def nominatim_scheme() -> str:
    return _raw("CITYPLUS_NOMINATIM_SCHEME").lower()


def geocoder_user_agent() -> str:
    return _raw("CITYPLUS_GEOCODER_USER_AGENT")


def geocoder_enabled() -> bool:
    return _raw("CITYPLUS_GEOCODER").lower() not in OFF_VALUES


def contact() -> str:
    """Who to contact about this app's requests: ``CITYPLUS_CONTACT``, else the public URL."""
    return _raw("CITYPLUS_CONTACT") or public_url()


def user_agent(purpose: str = "") -> str:
    """This app's User-Agent for outside servers, e.g. ``CityPlus-Explorer/0.1 tile-prefetch (+contact)``."""
    agent = f"{APP_NAME}/{APP_VERSION}" + (f" {purpose}" if purpose else "")
    who = contact()
    return f"{agent} (+{who})" if who else agent


def kiosk_interval_seconds() -> float:
    return _seconds("CITYPLUS_KIOSK_INTERVAL", 8.0)


def kiosk_idle_seconds() -> float:
    return _seconds("CITYPLUS_KIOSK_IDLE", 90.0)


def kiosk_reload_advances() -> int:
    """Advances of the attract loop after which the kiosk reloads its page at the loop's start,
    when nobody is using it (0: never); bounds the browser's memory on a kiosk running for days."""
    text = _raw("CITYPLUS_KIOSK_RELOAD")
    return int(text) if text.isdigit() else 400


def trusted_proxies() -> int:
    """How many reverse proxies in front of the app append to ``X-Forwarded-For`` (0: ignore it)."""
    text = _raw("CITYPLUS_TRUSTED_PROXIES")
    return int(text) if text.isdigit() else 0


def step_free_walk_m() -> float:
    """The longest leg on foot (metres, estimated) a step-free plan leaves unflagged."""
    return _positive("CITYPLUS_STEP_FREE_WALK_M", 500.0)


def seated_break_minutes() -> float:
    """The most minutes of walking and visiting a step-free plan allows without seating."""
    return _positive("CITYPLUS_SEATED_BREAK_MINUTES", 120.0)


def programme_link_days() -> int:
    """Days after a programme's last day (in its city's time zone) that its token link works."""
    text = _raw("CITYPLUS_PROGRAMME_LINK_DAYS")
    return int(text) if text.isdigit() else 14


def counts_enabled() -> bool:
    """Whether usage is counted (``CITYPLUS_COUNTS=off`` stops every count)."""
    return _raw("CITYPLUS_COUNTS").lower() not in OFF_VALUES


def voice_purge_days() -> float:
    """Days a rejected or spam report is kept after its decision."""
    return _positive("CITYPLUS_VOICE_PURGE_DAYS", 90.0)


def utc_now() -> datetime:
    """The real clock, in UTC (the default ``clock`` of every writer; tests pass their own)."""
    return datetime.now(UTC)
