"""Where successful online answers are kept: in memory per process, or in the database."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Protocol, get_args

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from itinerary.geocode.results import GeocodeResult, Source
from itinerary.settings import utc_now
from itinerary.store import Store, geocode_cache

log = logging.getLogger(__name__)  # a child of "itinerary.geocode": configure that one


class GeocodeCache(Protocol):
    """Where successful online answers are kept; a database-backed one can implement this.

    Keys are short JSON strings; ``get`` returns ``None`` when absent or expired.
    """

    def get(self, key: str) -> tuple[GeocodeResult, ...] | None: ...

    def set(self, key: str, results: tuple[GeocodeResult, ...], *, ttl_seconds: float) -> None: ...


class MemoryCache:
    """A thread-safe in-memory LRU with per-entry expiry (``clock`` seconds, monotonic)."""

    def __init__(self, *, max_entries: int = 512, clock: Callable[[], float] = time.monotonic) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._max = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[float, tuple[GeocodeResult, ...]]] = OrderedDict()

    def get(self, key: str) -> tuple[GeocodeResult, ...] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, results = entry
            if self._clock() >= expires:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return results

    def set(self, key: str, results: tuple[GeocodeResult, ...], *, ttl_seconds: float) -> None:
        with self._lock:
            self._entries[key] = (self._clock() + ttl_seconds, results)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


def _as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored here is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def sha256_hex(text: str) -> str:
    """The hex SHA-256 of a key: the ``geocode_cache`` primary key (keys can be long)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _encode_results(results: tuple[GeocodeResult, ...]) -> str:
    return json.dumps(
        [
            {"label": r.label, "lat": r.lat, "lon": r.lon, "source": r.source, "landmark_id": r.landmark_id}
            for r in results
        ],
        ensure_ascii=False,
    )


_SOURCES: Final = frozenset(get_args(Source))


def _decode_results(text: str) -> tuple[GeocodeResult, ...]:
    """The inverse of ``_encode_results``; raises ``ValueError`` for anything else."""
    found = []
    for item in json.loads(text):
        if not isinstance(item, dict) or item.get("source") not in _SOURCES:
            raise ValueError("not a cached geocoding result")
        lat, lon, landmark_id = float(item["lat"]), float(item["lon"]), item.get("landmark_id")
        if not (math.isfinite(lat) and math.isfinite(lon)):
            raise ValueError("cached coordinates are not finite")
        found.append(
            GeocodeResult(
                str(item["label"]),
                lat,
                lon,
                item["source"],
                None if landmark_id is None else str(landmark_id),
            )
        )
    return tuple(found)


def _upsert(conn: sa.Connection, values: dict[str, Any]) -> None:
    """Insert or replace one ``geocode_cache`` row; safe when another process writes the same key."""
    table = geocode_cache
    changes = {k: v for k, v in values.items() if k != "key_sha256"}
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        statement = (sqlite_insert if dialect == "sqlite" else postgresql_insert)(table).values(**values)
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=[table.c.key_sha256],
                set_={name: statement.excluded[name] for name in changes},
            )
        )
        return
    where = table.c.key_sha256 == values["key_sha256"]  # other databases: update, else insert
    if conn.execute(table.update().where(where).values(**changes)).rowcount:
        return
    try:
        with conn.begin_nested():
            conn.execute(table.insert().values(**values))
    except sa.exc.IntegrityError:  # inserted by someone else meanwhile: theirs is as good
        conn.execute(table.update().where(where).values(**changes))


class DbGeocodeCache:
    """``GeocodeCache`` on the database's ``geocode_cache`` table, shared by every process.

    Rows are keyed by the SHA-256 of the ``Geocoder``'s cache key (which starts with the server's
    domain, so two servers never share answers); the key itself is kept in ``query`` and checked
    on reading. ``expires_at`` is UTC; expired rows read as a miss and are deleted by
    ``purge_expired``, which ``set`` runs at most every ``purge_every_seconds``. A database error
    is logged and reads as a miss (or a lost write): it never reaches the caller.
    """

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], datetime] = utc_now,
        purge_every_seconds: float = 3600.0,
    ) -> None:
        self._engine = store.engine
        self._clock = clock
        self._purge_every = timedelta(seconds=purge_every_seconds)
        self._last_purge: datetime | None = None
        self._purge_lock = threading.Lock()

    def _now(self) -> datetime:
        return _as_utc(self._clock())

    def get(self, key: str) -> tuple[GeocodeResult, ...] | None:
        table = geocode_cache
        try:
            with self._engine.connect() as conn:
                row = conn.execute(
                    sa.select(table.c.query, table.c.results, table.c.expires_at).where(
                        table.c.key_sha256 == sha256_hex(key)
                    )
                ).first()
            if row is None or row.query != key or _as_utc(row.expires_at) <= self._now():
                return None
            return _decode_results(row.results)
        except Exception as error:  # the database or a damaged row: a miss, never a failed search
            log.warning("geocode cache read failed: %s", error)
            return None

    def set(self, key: str, results: tuple[GeocodeResult, ...], *, ttl_seconds: float) -> None:
        now = self._now()
        values = {
            "key_sha256": sha256_hex(key),
            "query": key,
            "results": _encode_results(results),
            "expires_at": now + timedelta(seconds=ttl_seconds),
        }
        try:
            with self._engine.begin() as conn:
                _upsert(conn, values)
        except Exception as error:
            log.warning("geocode cache write failed: %s", error)
            return
        with self._purge_lock:
            due = self._last_purge is None or now - self._last_purge >= self._purge_every
            if due:
                self._last_purge = now
        if due:
            self.purge_expired()

    def purge_expired(self) -> int:
        """Delete expired answers; returns how many (0 after a logged database error)."""
        table = geocode_cache
        try:
            with self._engine.begin() as conn:
                return int(conn.execute(table.delete().where(table.c.expires_at <= self._now())).rowcount)
        except Exception as error:
            log.warning("geocode cache purge failed: %s", error)
            return 0
