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
import queue
import re
import threading
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


def _row(
    event: str, city_id: str, key: str, lang: str, timezone: str, at: datetime | None
) -> dict[str, str] | None:
    """The row an event adds to, or None when it is not counted (off, unknown, empty search)."""
    if not settings.counts_enabled() or event not in EVENTS:
        return None
    day, hour = day_and_hour(at or settings.utc_now(), timezone)
    if event in HOURLY:
        key = hour
    elif event == SEARCH_EMPTY:
        key = normalise_search(key)
        if not key:
            return None
    return {"day": day, "city_id": city_id[:64], "event": event, "key": key[:MAX_KEY], "lang": lang[:8]}


def _add(store: storage.Store, rows: list[tuple[dict[str, str], int]]) -> bool:
    """Add each row's number in one transaction; False (logged) when the database failed."""
    try:
        with store.engine.begin() as conn:
            insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
            for row, by in rows:
                statement = insert(_table).values(**row, n=by)
                conn.execute(
                    statement.on_conflict_do_update(
                        index_elements=list(row), set_={"n": _table.c.n + statement.excluded.n}
                    )
                )
    except sa.exc.SQLAlchemyError:
        log.exception("%d usage counts dropped", len(rows))
        return False
    return True


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
    """Add ``by`` to today's count of ``event`` (``EVENTS``) for ``city_id``, ``key``, ``lang``,
    now, in this thread (``count_soon`` is the pages' way: it leaves the write to a thread).

    Whether it was counted: not when counting is off, the event unknown, the search empty, or
    the database failed (logged). Hourly events (``HOURLY``) take the hour as their key."""
    row = _row(event, city_id, key, lang, timezone, at)
    if row is None or by < 1:
        return False
    return _add(store, [(row, by)])


# --- counting off the page's run --------------------------------------------------------------
# A database write costs a rerun a few milliseconds, and a commit on a busy disk up to a tenth
# of a second (bench/counting.py). Pages therefore hand their counts to one thread per process,
# which writes what has gathered in one transaction. A count still queued when the process ends
# is lost: a figure, never content.

_pending: queue.Queue[tuple[storage.Store, dict[str, str]]] = queue.Queue()
_writer: threading.Thread | None = None
_writer_lock = threading.Lock()
MAX_BATCH: Final = 500
ROW_KEYS: Final = ("day", "city_id", "event", "key", "lang")


def _write_pending() -> None:
    while True:
        batch = [_pending.get()]
        while len(batch) < MAX_BATCH:
            try:
                batch.append(_pending.get_nowait())
            except queue.Empty:
                break
        try:
            by_store: dict[int, tuple[storage.Store, dict[tuple[str, ...], int]]] = {}
            for store, row in batch:
                _, sums = by_store.setdefault(id(store), (store, {}))
                sums[tuple(row.values())] = sums.get(tuple(row.values()), 0) + 1
            for store, sums in by_store.values():
                _add(store, [(dict(zip(ROW_KEYS, values, strict=True)), n) for values, n in sums.items()])
        finally:
            for _ in batch:
                _pending.task_done()


def count_soon(
    store: storage.Store,
    event: str,
    *,
    city_id: str,
    key: str = "",
    lang: str = "",
    timezone: str = "UTC",
    at: datetime | None = None,
) -> bool:
    """Like ``count`` (one), written by the process's count writer a moment later; whether it
    will be counted (False when off, unknown or an empty search)."""
    global _writer
    row = _row(event, city_id, key, lang, timezone, at)
    if row is None:
        return False
    _pending.put((store, row))
    with _writer_lock:
        if _writer is None or not _writer.is_alive():
            _writer = threading.Thread(target=_write_pending, name="usage-counts", daemon=True)
            _writer.start()
    return True


def flush() -> None:
    """Wait until every count handed to ``count_soon`` is written (tests, benchmarks, exit)."""
    _pending.join()
