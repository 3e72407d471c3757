"""Counting what visitors use, without counting visitors: daily aggregates in ``usage_counts``.

``count(store, event, city_id=..., key=..., lang=...)`` adds one to the row of that day (in the
city's time zone), city, event, key and language: one ``INSERT ... ON CONFLICT DO UPDATE`` on
SQLite and PostgreSQL alike, so processes share the rows without losing counts. Nothing about
the person is kept, no cookie is set, no address or user agent read: a row is a number per day.
Pages count a page view once per browser session (``ui/counting.py``), so a count of visits per
session is the most detailed figure there is. ``CITYPLUS_COUNTS=off`` stops every count.

Counting never breaks a page: a database error is logged and the count dropped.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from itinerary import settings
from itinerary import store as storage

log = logging.getLogger(__name__)

PAGE_VIEW: Final = "page_view"  # key: the page (explore, itineraries, plan, kiosk, programme, ...)
ITINERARY_OPEN: Final = "itinerary_open"  # key: the itinerary id
PROGRAMME_OPEN: Final = "programme_open"  # key: the programme id
EXPORT: Final = "export"  # key: the format (gpx, ics, geojson, csv, kml, print)
QR_HANDOFF: Final = "qr_handoff"  # key: the page the kiosk's QR code opened
KIOSK_TOUCH: Final = "kiosk_touch"  # key: the hour, "00" to "23", in the city's time zone
KIOSK_RESET: Final = "kiosk_reset"  # key: the hour, as above
SEARCH_EMPTY: Final = "search_empty"  # key: the search text, normalised (normalise_search)
EVENTS: Final = (
    PAGE_VIEW,
    ITINERARY_OPEN,
    PROGRAMME_OPEN,
    EXPORT,
    QR_HANDOFF,
    KIOSK_TOUCH,
    KIOSK_RESET,
    SEARCH_EMPTY,
)
HOURLY: Final = frozenset({KIOSK_TOUCH, KIOSK_RESET})
MAX_KEY: Final = 128
MAX_SEARCH: Final = 60  # characters of a search kept: a query, not a message
SOURCE_PARAM: Final = "src"  # the kiosk's QR links carry src=kiosk; the page counts and drops it
KIOSK_SOURCE: Final = "kiosk"
_PUNCTUATION: Final = re.compile(r"[\W_]+", re.UNICODE)

_table = storage.usage_counts


def normalise_search(text: str) -> str:
    """A search as counted: NFKC, case folded, punctuation to spaces, one space, cut short.

    "  Museum!! " and "museum" count as one; digits that look like a telephone number or a
    code are kept as typed (the counts show only what many searched, see ``figures``)."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(_PUNCTUATION.sub(" ", folded).split())[:MAX_SEARCH].strip()


def day_and_hour(at: datetime, timezone: str) -> tuple[str, str]:
    """The day (YYYY-MM-DD) and hour ("00"-"23") of ``at`` in ``timezone`` (UTC if unknown)."""
    try:
        zone = ZoneInfo(timezone)
    except (ValueError, KeyError, OSError):
        zone = ZoneInfo("UTC")
    local = at.astimezone(zone)
    return local.date().isoformat(), f"{local.hour:02d}"


def count(
    store: storage.Store,
    event: str,
    *,
    city_id: str,
    key: str = "",
    lang: str = "",
    timezone: str = "UTC",
    at: datetime | None = None,
    by: int = 1,
) -> bool:
    """Add ``by`` to today's count of ``event`` (``EVENTS``) for ``city_id``, ``key``, ``lang``.

    Whether it was counted: not when counting is off, the event unknown, the search empty, or
    the database failed (logged). Hourly events (``HOURLY``) take the hour as their key."""
    if not settings.counts_enabled() or event not in EVENTS or by < 1:
        return False
    day, hour = day_and_hour(at or settings.utc_now(), timezone)
    if event in HOURLY:
        key = hour
    elif event == SEARCH_EMPTY:
        key = normalise_search(key)
        if not key:
            return False
    row = {"day": day, "city_id": city_id[:64], "event": event, "key": key[:MAX_KEY], "lang": lang[:8]}
    try:
        with store.engine.begin() as conn:
            insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
            statement = insert(_table).values(**row, n=by)
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=list(row), set_={"n": _table.c.n + statement.excluded.n}
                )
            )
    except sa.exc.SQLAlchemyError:
        log.exception("usage count %s dropped", event)
        return False
    return True
