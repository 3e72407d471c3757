"""Place search: typed coordinates, the city's own landmarks, then geopy's Nominatim.

``Geocoder.search`` never raises for network trouble and never waits longer than about its
``timeout``: it answers with local results (coordinates, landmarks) plus whatever the server
found, and a message *code* the UI translates (no UI text here). Network lookups go through a
rate limit per server (Nominatim's policy: at most one request per second), a cache (successful
answers only), and can be switched off with ``CITYPLUS_GEOCODER=off``. ``geocode_address`` is
the staff helper (curation page): an address near a city, never raising.

Cache and rate limit, two levels:

- ``Geocoder()``: an in-memory cache per instance, and a rate limit shared by every instance and
  every thread of the process (all sessions of one Streamlit server), per server domain.
- ``Geocoder.for_store(store)``: answers cached in the database's ``geocode_cache`` table
  (``DbGeocodeCache``) and the one-request-a-second slot kept in a row of that table
  (``DbRateLimit``), so every process using the database (several app servers, a kiosk, the
  CLI) shares both. If the database fails, a search logs it and falls back to the cache miss /
  the process-wide limit; it never fails because of the database.

Configuration (environment, read when a ``Geocoder`` is built; each has a constructor keyword
that wins over it):

``CITYPLUS_NOMINATIM_DOMAIN`` (``domain=``)
    The Nominatim server: host, host:port and optional path, or a whole URL
    (``https://nominatim.example.org/``). Default ``nominatim.openstreetmap.org``, whose usage
    policy allows at most one request per second and requires an identifying User-Agent.
``CITYPLUS_NOMINATIM_SCHEME`` (``scheme=``)
    ``https`` (default) or ``http`` (a self-hosted server on the local network).
``CITYPLUS_GEOCODER_USER_AGENT`` (``user_agent=``)
    The whole User-Agent header. Default ``CityPlus-Explorer/0.1 (+contact)``, the contact taken
    from ``CITYPLUS_CONTACT`` (an e-mail or URL) or else ``CITYPLUS_PUBLIC_URL``. geopy's default
    and the sample agents from geopy's docs are refused (the public server blocks them).
``CITYPLUS_GEOCODER`` (``enabled=``)
    ``off`` (or ``0``, ``false``, ``no``, ``disabled``, ``none``): no network lookups at all;
    searches answer from typed coordinates and landmarks with the code ``"offline"``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import re
import socket
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Literal, Protocol, get_args
from urllib.error import URLError
from urllib.parse import urlsplit

import pandas as pd
import sqlalchemy as sa
from geopy.adapters import AdapterHTTPError, RequestsAdapter, URLLibAdapter
from geopy.exc import GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable
from geopy.geocoders import Nominatim
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from itinerary import settings
from itinerary.settings import utc_now
from itinerary.store import Store, geocode_cache

__all__ = [
    "MESSAGE_CODES",
    "BBox",
    "DbGeocodeCache",
    "DbRateLimit",
    "GeocodeCache",
    "GeocodeOutcome",
    "GeocodeResult",
    "Geocoder",
    "MemoryCache",
    "MessageCode",
    "Place",
    "ProcessRateLimit",
    "RateLimit",
    "Source",
    "bbox_around",
    "classify_error",
    "default_user_agent",
    "geocode_address",
    "match_landmarks",
    "parse_coordinates",
]

log = logging.getLogger(__name__)

Source = Literal["nominatim", "landmark", "coordinates", "cache"]
MessageCode = Literal["", "offline", "timeout", "rate_limited", "not_found", "service_error"]
MESSAGE_CODES: Final[tuple[MessageCode, ...]] = (
    "",
    "offline",
    "timeout",
    "rate_limited",
    "not_found",
    "service_error",
)
BBox = tuple[float, float, float, float]  # (south, west, north, east): min lat, min lon, max lat, max lon

DEFAULT_DOMAIN: Final = "nominatim.openstreetmap.org"
APP_NAME: Final = "CityPlus-Explorer"
APP_VERSION: Final = "0.1"
_OFF_VALUES: Final = frozenset({"off", "0", "false", "no", "disabled", "none"})
# The sample strings geopy's Nominatim rejects (only for the public server); geopy's own
# default ("geopy/<version>") is refused by prefix.
_SAMPLE_AGENTS: Final = frozenset(
    {"my-application", "my_app/1", "my_user_agent/1.0", "specify_your_app_name_here"}
)
_MAX_QUERY_CHARS: Final = 255  # longer queries are typing accidents; they also risk HTTP 414
_MAX_LIMIT: Final = 40  # Nominatim's own maximum
_RATE_LIMITED_BACKOFF: Final = 30.0  # seconds to stay away after a 429 without Retry-After
_MAX_BACKOFF: Final = 600.0


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """One place found: WGS84 degrees, where it came from, and the landmark id for our own."""

    label: str
    lat: float
    lon: float
    source: Source
    landmark_id: str | None = None


Place = GeocodeResult


@dataclass(frozen=True, slots=True)
class GeocodeOutcome:
    """What a search returns: results best first, and a code saying how the online lookup went.

    ``code`` is ``""`` when nothing went wrong (or no lookup was needed). Any other code is about
    the online lookup only; ``results`` may still hold local matches (coordinates, landmarks).
    ``used_fallback`` is true when the online lookup gave nothing (off, failed or empty), so
    ``results`` are local only.
    """

    results: tuple[GeocodeResult, ...] = ()
    code: MessageCode = ""
    used_fallback: bool = False

    @property
    def ok(self) -> bool:
        return self.code == ""


# --- cache -----------------------------------------------------------------------------------


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


# --- database cache --------------------------------------------------------------------------


def _as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored here is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sha256(text: str) -> str:
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
                        table.c.key_sha256 == _sha256(key)
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
            "key_sha256": _sha256(key),
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


# --- rate limit: per process, or shared through the database ----------------------------------


class RateLimit(Protocol):
    """Start-to-start spacing of requests to each server.

    ``reserve`` books the next free slot for ``domain`` and returns how many seconds to sleep
    before the request may start, or ``None`` when that slot is more than ``max_wait`` away (the
    caller gives up instead of queueing). ``hold_off`` keeps everyone away for ``seconds`` (after
    a 429).
    """

    def reserve(self, domain: str, *, min_delay: float, max_wait: float) -> float | None: ...

    def hold_off(self, domain: str, seconds: float) -> None: ...


class _SlotLimiter:
    """Start-to-start spacing of requests to one server, shared by every caller in the process.

    Unlike geopy's ``RateLimiter`` (see ``Geocoder``), a caller *reserves* the next free slot
    under the lock and then sleeps outside it, and is refused when that slot is further away
    than it can wait, so a queue of sessions never turns into a hang.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next_free = -math.inf

    def reserve(self, now: float, *, min_delay: float, max_wait: float) -> float | None:
        """Seconds to sleep before the reserved request may start, or ``None`` (no slot in time)."""
        with self._lock:
            start = max(now, self._next_free)
            wait = start - now
            if wait > max_wait:
                return None
            self._next_free = start + min_delay
            return wait

    def hold_off(self, until: float) -> None:
        """No request before ``until`` (the server said 429)."""
        with self._lock:
            self._next_free = max(self._next_free, until)


_LIMITERS: dict[tuple[str, Hashable], _SlotLimiter] = {}
_LIMITERS_LOCK = threading.Lock()


def _limiter_for(domain: str, clock: Hashable) -> _SlotLimiter:
    # Keyed by clock too: times from different clocks cannot be compared. In production every
    # instance uses time.monotonic, so all instances for one server share one limiter.
    key = (domain.lower(), clock)
    with _LIMITERS_LOCK:
        limiter = _LIMITERS.get(key)
        if limiter is None:
            limiter = _LIMITERS[key] = _SlotLimiter()
        return limiter


class ProcessRateLimit:
    """The default ``RateLimit``: module-level state, so every ``Geocoder`` and every thread of
    the process (every session of one Streamlit server) shares one slot per server domain.

    It does not reach other processes. For one app server that is the whole app; with several
    processes on one database, use ``DbRateLimit``.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock

    def reserve(self, domain: str, *, min_delay: float, max_wait: float) -> float | None:
        return _limiter_for(domain, self._clock).reserve(
            self._clock(), min_delay=min_delay, max_wait=max_wait
        )

    def hold_off(self, domain: str, seconds: float) -> None:
        _limiter_for(domain, self._clock).hold_off(self._clock() + seconds)


_SLOT_ATTEMPTS: Final = 20


class DbRateLimit:
    """A ``RateLimit`` shared by every process on the database: one row of ``geocode_cache``.

    The row (key ``"rate-limit slot <domain>"``, never a cache key: those are JSON lists) holds
    the next free start time as wall-clock epoch seconds in ``results``. A reservation reads it
    and moves it on with a compare-and-set ``UPDATE ... WHERE results = <what was read>``: one
    atomic statement on SQLite and PostgreSQL alike, no lock held while anyone sleeps; a lost
    race just reads again. A stored time further ahead than any legitimate hold-off (the wall
    clock stepped back) is ignored. Database errors propagate: ``Geocoder`` logs them and falls
    back to the process-wide limit for that search.
    """

    def __init__(self, store: Store, *, clock: Callable[[], float] = time.time) -> None:
        self._engine = store.engine
        self._clock = clock

    def reserve(self, domain: str, *, min_delay: float, max_wait: float) -> float | None:
        for _ in range(_SLOT_ATTEMPTS):
            now = self._clock()
            next_free, seen = self._read(domain, now)
            start = max(now, next_free)
            wait = start - now
            if wait > max_wait:
                return None
            if self._swap(domain, seen, start + min_delay):
                return wait
        return None  # lost the race every time: as busy as a full queue

    def hold_off(self, domain: str, seconds: float) -> None:
        for _ in range(_SLOT_ATTEMPTS):
            now = self._clock()
            next_free, seen = self._read(domain, now)
            if next_free >= now + seconds or self._swap(domain, seen, now + seconds):
                return

    def _key(self, domain: str) -> tuple[str, str]:
        text = f"rate-limit slot {domain.lower()}"
        return _sha256(text), text

    def _read(self, domain: str, now: float) -> tuple[float, str | None]:
        """The next free time (``-inf`` if none or implausible) and the raw text seen."""
        sha, _ = self._key(domain)
        with self._engine.connect() as conn:
            seen = conn.execute(
                sa.select(geocode_cache.c.results).where(geocode_cache.c.key_sha256 == sha)
            ).scalar()
        try:
            next_free = float(json.loads(seen)["next_free"]) if seen is not None else -math.inf
        except (TypeError, ValueError, KeyError):
            next_free = -math.inf
        if not math.isfinite(next_free) or next_free > now + _MAX_BACKOFF + 60:
            next_free = -math.inf
        return next_free, seen

    def _swap(self, domain: str, seen: str | None, next_free: float) -> bool:
        """Store ``next_free`` if the row still holds ``seen``; False when someone was faster."""
        sha, text = self._key(domain)
        values = {
            "results": json.dumps({"next_free": next_free}),
            # kept well past its use, so purging expired answers never drops a live slot
            "expires_at": datetime.fromtimestamp(next_free, UTC) + timedelta(days=1),
        }
        table = geocode_cache
        try:
            with self._engine.begin() as conn:
                if seen is None:
                    conn.execute(table.insert().values(key_sha256=sha, query=text, **values))
                    return True
                updated = conn.execute(
                    table.update().where(table.c.key_sha256 == sha, table.c.results == seen).values(**values)
                )
                return bool(updated.rowcount == 1)
        except sa.exc.IntegrityError:  # another process created the row first
            return False


# --- local answers ---------------------------------------------------------------------------


def _normalize(text: str) -> str:
    """Case-, width- and spacing-insensitive form (full-width letters and digits fold to ASCII)."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


_CJK_COORDS: Final = (("北纬", "N"), ("南纬", "S"), ("东经", "E"), ("西经", "W"), ("度", "°"), ("分", "'"))
_COORD = (
    r"(?P<{p}h1>[NSEW])?\s*"
    r"(?P<{p}deg>[+-]?\d+(?:\.\d+)?)\s*(?:[°º˚])?\s*"
    r"(?:(?P<{p}min>\d+(?:\.\d+)?)\s*['′’]\s*)?"
    r"(?:(?P<{p}sec>\d+(?:\.\d+)?)\s*(?:\"|″|”|''|′′|秒)\s*)?"
    r"(?P<{p}h2>[NSEW])?"
)
_COORD_MARK = re.compile(r"[.°º˚'′’\"″”秒NSEW]", re.IGNORECASE)
_PAIR = re.compile(
    rf"^\s*{_COORD.format(p='a')}\s*(?:[,;/]\s*|\s+){_COORD.format(p='b')}\s*$",
    re.IGNORECASE,
)


def _coordinate(match: re.Match[str], p: str) -> tuple[float, str]:
    """Signed decimal degrees and hemisphere letter ("" if none) of one half of a pair."""
    h1, h2 = match[f"{p}h1"], match[f"{p}h2"]
    if h1 and h2:
        raise ValueError("two hemisphere letters on one coordinate")
    hemisphere = (h1 or h2 or "").upper()
    deg_text, minutes, seconds = match[f"{p}deg"], match[f"{p}min"], match[f"{p}sec"]
    if (minutes or seconds) and ("." in deg_text or not minutes):
        raise ValueError("minutes and seconds need whole degrees and minutes")
    value = abs(float(deg_text))
    for part, scale in ((minutes, 60.0), (seconds, 3600.0)):
        if part:
            if float(part) >= 60:
                raise ValueError("minutes and seconds must be below 60")
            value += float(part) / scale
    negative = deg_text.startswith("-")
    if negative and hemisphere in ("S", "W"):
        raise ValueError("a minus sign and an S/W letter together are ambiguous")
    if negative or hemisphere in ("S", "W"):
        value = -value
    return value, hemisphere


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """``(lat, lon)`` from typed coordinates, or ``None`` when the text is not a coordinate pair.

    Accepts "22.5431, 114.0579", "22.5431 114.0579", "22.5431N 114.0579E", "N 22.5431, E 114.0579",
    "22°32'35\\"N 114°03'28\\"E", full-width digits, and "北纬22.5431 东经114.0579"; two bare
    integers are not taken as coordinates. Without letters the order is latitude, longitude. Raises ``ValueError`` when the text is shaped like
    coordinates but is not valid (out of range, contradictory letters).
    """
    folded = unicodedata.normalize("NFKC", text).strip()
    for chinese, ascii_form in _CJK_COORDS:
        folded = folded.replace(chinese, ascii_form)
    match = _PAIR.match(folded)
    if match is None or not _COORD_MARK.search(folded):
        return None  # two bare integers ("7 11") are more likely a name than a place at sea
    a, a_hem = _coordinate(match, "a")
    b, b_hem = _coordinate(match, "b")
    if a_hem in ("E", "W") or b_hem in ("N", "S"):
        (a, a_hem), (b, b_hem) = (b, b_hem), (a, a_hem)  # given as longitude, latitude
    if a_hem in ("E", "W") or b_hem in ("N", "S"):
        raise ValueError("both coordinates name the same axis")
    lat, lon = a, b
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise ValueError(f"latitude {lat} is outside -90..90")
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        raise ValueError(f"longitude {lon} is outside -180..180")
    return lat, lon


def match_landmarks(
    landmarks: pd.DataFrame | None, query: str, *, language: str = "en", limit: int = 5
) -> tuple[GeocodeResult, ...]:
    """The landmarks whose English or Chinese name contains the query (NFKC, case-insensitive).

    Exact names first, then names starting with the query, then the rest; labels are Chinese
    when ``language`` is Chinese and the landmark has a Chinese name.
    """
    needle = _normalize(query)
    if landmarks is None or landmarks.empty or not needle or limit < 1:
        return ()
    chinese = language.lower().startswith("zh")
    ranked: list[tuple[int, str, GeocodeResult]] = []
    for row in landmarks.to_dict("records"):
        name, name_zh = _text(row.get("name")), _text(row.get("name_zh"))
        ranks = [_rank(_normalize(n), needle) for n in (name, name_zh) if n]
        rank = min((r for r in ranks if r is not None), default=None)
        lat, lon = _float(row.get("lat")), _float(row.get("lon"))
        if rank is None or lat is None or lon is None:
            continue
        label = name_zh if chinese and name_zh else name or name_zh
        landmark_id = _text(row.get("id")) or None
        ranked.append((rank, label, GeocodeResult(label, lat, lon, "landmark", landmark_id)))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return tuple(result for _, _, result in ranked[:limit])


def _rank(name: str, needle: str) -> int | None:
    if name == needle:
        return 0
    if name.startswith(needle):
        return 1
    return 2 if needle in name else None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


# --- errors ----------------------------------------------------------------------------------


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, its causes and contexts, and a URLError's reason."""
    seen: set[int] = set()
    todo: list[BaseException] = [error]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for linked in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(linked, BaseException):
                todo.append(linked)


def classify_error(error: BaseException) -> MessageCode:
    """The message code for an error raised by a geopy geocoder.

    The HTTP status wins where there is one: geopy maps 503 to ``GeocoderTimedOut``, but an
    overloaded server is a service error, not a slow one.
    """
    chain = list(_chain(error))
    for linked in chain:
        if isinstance(linked, AdapterHTTPError):
            status = int(linked.status_code)
            if status == 429:
                return "rate_limited"
            return "timeout" if status in (408, 504) else "service_error"
    if any(isinstance(e, GeocoderRateLimited) for e in chain):
        return "rate_limited"
    if any(isinstance(e, GeocoderTimedOut | TimeoutError) for e in chain):
        return "timeout"
    if any(isinstance(e, GeocoderUnavailable | ConnectionError | URLError | socket.gaierror) for e in chain):
        return "offline"
    return "service_error"


def _backoff_seconds(error: BaseException) -> float:
    retry_after = next(
        (e.retry_after for e in _chain(error) if isinstance(e, GeocoderRateLimited) and e.retry_after), None
    )
    seconds = _float(retry_after) or _RATE_LIMITED_BACKOFF
    return min(max(seconds, 1.0), _MAX_BACKOFF)


# --- the geocoder ----------------------------------------------------------------------------


class _GeopyGeocoder(Protocol):
    """The part of a geopy geocoder (e.g. ``geopy.geocoders.Nominatim``) used here."""

    def geocode(self, query: str, **options: Any) -> Any: ...


def default_user_agent() -> str:
    """This app's User-Agent, with a contact (``CITYPLUS_CONTACT`` or the public URL) if set."""
    return settings.user_agent()


def _no_retry_adapter() -> Callable[..., Any]:
    # geopy's RequestsAdapter defaults to urllib3 retries (max_retries=2): a slow server gets
    # three requests and the caller waits 3x the timeout, and a 429 with Retry-After is slept
    # through and retried. One request per search, so retries are off.
    if RequestsAdapter.is_available:
        return functools.partial(RequestsAdapter, max_retries=0)
    return URLLibAdapter  # type: ignore[no-any-return]


class Geocoder:
    """Place search for the app: coordinates, landmarks, cache, then one Nominatim request.

    Rate limit: geopy's ``RateLimiter`` is not used. Its state lives in one wrapper instance
    (we need one limit per server for the whole process, across sessions and instances), it
    waits for a free slot however long the queue (no way to give up: a hang under load), it
    retries every ``GeocoderServiceError`` including timeouts and 429 unless told not to, and it
    ignores Retry-After. Instead a ``RateLimit`` keeps one slot per server ``domain``: by
    default ``ProcessRateLimit`` (every instance and thread of the process, on ``clock``), or
    ``rate_limit=DbRateLimit(store)`` (every process on the database; on a database error the
    search falls back to the process-wide slot). A search reserves the next slot
    (``min_delay_seconds`` start to start), sleeps through ``sleep`` until it, and answers
    "rate_limited" at once when the slot is too far away; after a 429 the server is left alone
    for its Retry-After (or 30 s).

    Time: a search waits for a slot only while at least half the ``timeout`` (up to 1 s) is left
    for the request, and the request gets what remains, so a search takes about ``timeout`` at
    most. geopy passes the timeout to each connect and read, so a server trickling bytes could
    stretch that; nothing else blocks.
    """

    def __init__(
        self,
        *,
        domain: str | None = None,
        scheme: str | None = None,
        user_agent: str | None = None,
        timeout: float = 5.0,
        min_delay_seconds: float = 1.0,
        cache: GeocodeCache | None = None,
        cache_ttl_seconds: float = 24 * 3600.0,
        rate_limit: RateLimit | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        enabled: bool | None = None,
        client: _GeopyGeocoder | None = None,
    ) -> None:
        domain = (domain or settings.nominatim_domain() or DEFAULT_DOMAIN).strip()
        if "://" in domain:  # a URL was given: take its scheme unless one is set explicitly
            parts = urlsplit(domain)
            scheme = scheme or parts.scheme
            domain = parts.netloc + parts.path
        self.domain = domain.strip("/")
        self.scheme = (scheme or settings.nominatim_scheme() or "https").strip().lower()
        if self.scheme not in ("http", "https"):
            raise ValueError(f"scheme must be http or https, not {self.scheme!r}")
        self.user_agent = (user_agent or settings.geocoder_user_agent() or default_user_agent()).strip()
        if not self.user_agent or self.user_agent in _SAMPLE_AGENTS or self.user_agent.startswith("geopy/"):
            raise ValueError("Nominatim needs this application's own User-Agent, not geopy's or a sample")
        if timeout <= 0 or min_delay_seconds < 0 or cache_ttl_seconds <= 0:
            raise ValueError("timeout and cache_ttl_seconds must be positive, min_delay_seconds >= 0")
        self.timeout = float(timeout)
        self.min_delay_seconds = float(min_delay_seconds)
        self.cache_ttl_seconds = float(cache_ttl_seconds)
        if enabled is None:
            enabled = settings.geocoder_enabled()
        self.enabled = enabled
        self._clock = clock
        self._sleep = sleep
        self._cache: GeocodeCache = cache if cache is not None else MemoryCache(clock=clock)
        self._process_limit = ProcessRateLimit(clock)
        self._rate_limit: RateLimit = rate_limit if rate_limit is not None else self._process_limit
        self._client: _GeopyGeocoder | None = client
        if self._client is None and self.enabled:
            self._client = Nominatim(
                domain=self.domain,
                scheme=self.scheme,
                user_agent=self.user_agent,
                timeout=self.timeout,
                adapter_factory=_no_retry_adapter(),
            )

    @classmethod
    def for_store(cls, store: Store, **options: Any) -> Geocoder:
        """A geocoder whose cache and rate limit are shared through ``store``'s database.

        ``options`` are the constructor's keywords (``cache`` and ``rate_limit`` are set here).
        """
        return cls(cache=DbGeocodeCache(store), rate_limit=DbRateLimit(store), **options)

    def search(
        self,
        query: str,
        *,
        city_bbox: BBox | None = None,
        country_codes: str | None = None,
        language: str = "en",
        limit: int = 5,
        landmarks: pd.DataFrame | None = None,
    ) -> GeocodeOutcome:
        """Find places for what a visitor typed; never raises for network trouble.

        Typed coordinates are answered at once (out-of-range ones: "not_found", no request).
        Otherwise matching ``landmarks`` (columns id, name, name_zh, lat, lon) come first, then
        the server's answer (cached, or one rate-limited request) biased to and bounded by
        ``city_bbox`` (south, west, north, east). At most ``limit`` landmarks and ``limit``
        server results. Raises ``ValueError`` only for a malformed ``city_bbox`` (a programming
        error), never for what the visitor typed or what the network did.
        """
        text = " ".join(unicodedata.normalize("NFKC", query).split())[:_MAX_QUERY_CHARS]
        if not text:
            return GeocodeOutcome()
        limit = min(max(int(limit), 1), _MAX_LIMIT)
        try:
            point = parse_coordinates(text)
        except ValueError:
            return GeocodeOutcome((), "not_found", used_fallback=True)
        if point is not None:
            lat, lon = point
            return GeocodeOutcome((GeocodeResult(f"{lat:.5f}, {lon:.5f}", lat, lon, "coordinates"),))
        viewbox = _viewbox(city_bbox)
        local = match_landmarks(landmarks, text, language=language, limit=limit)
        if not self.enabled or self._client is None:
            return GeocodeOutcome(local, "offline", used_fallback=True)
        key = json.dumps(
            [
                self.domain.lower(),
                _normalize(text),
                viewbox,
                language.lower(),
                (country_codes or "").lower(),
                limit,
            ],
            ensure_ascii=False,
        )
        cached = self._cached(key)
        if cached:
            return GeocodeOutcome(local + tuple(replace(r, source="cache") for r in cached))
        found, code = self._ask_server(text, viewbox, country_codes, language, limit)
        if code:
            return GeocodeOutcome(local, code, used_fallback=True)
        self._store(key, found)
        return GeocodeOutcome(local + found)

    def _ask_server(
        self,
        text: str,
        viewbox: list[tuple[float, float]] | None,
        country_codes: str | None,
        language: str,
        limit: int,
    ) -> tuple[tuple[GeocodeResult, ...], MessageCode]:
        assert self._client is not None
        min_request = min(1.0, self.timeout / 2)
        wait = self._reserve(max_wait=self.timeout - min_request)
        if wait is None:
            return (), "rate_limited"
        if wait > 0:
            self._sleep(wait)
        try:
            raw = self._client.geocode(
                text,
                exactly_one=False,
                limit=limit,
                language=language,
                country_codes=country_codes or None,
                viewbox=viewbox,
                bounded=viewbox is not None,
                timeout=max(self.timeout - wait, min_request),
            )
            found = _results(raw)
        except Exception as error:  # geopy wraps network errors; a bad answer can escape raw
            code = classify_error(error)
            log.warning("geocoding at %s failed (%s): %s", self.domain, code, error)
            if code == "rate_limited":
                self._hold_off(_backoff_seconds(error))
            return (), code
        return found, "" if found else "not_found"

    def _reserve(self, *, max_wait: float) -> float | None:
        try:
            return self._rate_limit.reserve(self.domain, min_delay=self.min_delay_seconds, max_wait=max_wait)
        except Exception as error:  # a shared (database) limit that fails: this process's own
            log.warning("shared geocoding rate limit failed, using the process-wide one: %s", error)
            return self._process_limit.reserve(
                self.domain, min_delay=self.min_delay_seconds, max_wait=max_wait
            )

    def _hold_off(self, seconds: float) -> None:
        self._process_limit.hold_off(self.domain, seconds)
        if self._rate_limit is not self._process_limit:
            try:
                self._rate_limit.hold_off(self.domain, seconds)
            except Exception as error:
                log.warning("shared geocoding rate limit failed: %s", error)

    def _cached(self, key: str) -> tuple[GeocodeResult, ...] | None:
        try:
            return self._cache.get(key)
        except Exception:  # a broken cache must not break search
            log.exception("geocode cache read failed")
            return None

    def _store(self, key: str, found: tuple[GeocodeResult, ...]) -> None:
        try:
            self._cache.set(key, found, ttl_seconds=self.cache_ttl_seconds)
        except Exception:
            log.exception("geocode cache write failed")


def _viewbox(bbox: BBox | None) -> list[tuple[float, float]] | None:
    """geopy's viewbox (two corner points) from (south, west, north, east); checks the ranges."""
    if bbox is None:
        return None
    south, west, north, east = (float(v) for v in bbox)
    if not (-90 <= south <= north <= 90 and -180 <= west <= east <= 180):
        raise ValueError(f"city_bbox must be (south, west, north, east) in range, got {bbox}")
    return [(round(south, 6), round(west, 6)), (round(north, 6), round(east, 6))]


def _results(raw: Any) -> tuple[GeocodeResult, ...]:
    """Our results from geopy's answer: ``None`` when empty, else a list of ``Location``."""
    if raw is None:
        return ()
    locations = raw if isinstance(raw, list) else [raw]
    found = []
    for location in locations:
        # From the raw answer: geopy turns a place without lat/lon into Point(0, 0), not an error.
        place = location.raw if isinstance(location.raw, dict) else {}
        lat, lon = _float(place.get("lat")), _float(place.get("lon"))
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        found.append(GeocodeResult(str(location.address or f"{lat:.5f}, {lon:.5f}"), lat, lon, "nominatim"))
    if locations and not found:
        raise ValueError("the server's answer held no usable coordinates")
    return tuple(found)


# --- staff: position a landmark from its address -----------------------------------------------


def bbox_around(lat: float, lon: float, *, radius_km: float = 50.0) -> BBox:
    """(south, west, north, east) about ``radius_km`` around a point, clamped to valid degrees."""
    d_lat = radius_km / 111.32
    d_lon = radius_km / (111.32 * max(math.cos(math.radians(lat)), 0.01))
    return (
        max(lat - d_lat, -90.0),
        max(lon - d_lon, -180.0),
        min(lat + d_lat, 90.0),
        min(lon + d_lon, 180.0),
    )


def geocode_address(
    geocoder: Geocoder,
    address: str,
    *,
    city_bbox: BBox | None = None,
    city_centre: tuple[float, float] | None = None,
    radius_km: float = 50.0,
    language: str = "en",
    country_codes: str | None = None,
    limit: int = 5,
) -> GeocodeOutcome:
    """Where an address is, for staff placing a landmark; never raises.

    Searches near the city: within ``city_bbox`` (south, west, north, east), else within
    ``radius_km`` of ``city_centre`` (lat, lon), else anywhere. Typed coordinates are answered
    without a request (source "coordinates"; GCJ-02 conversion is the page's separate choice,
    ``itinerary.geodesy.gcj02_to_wgs84``). Landmarks are not searched: staff want the street
    address. ``code``: "" found (results from "nominatim" or "cache"); "not_found" nothing found
    or invalid typed coordinates; "timeout" the server did not answer in time; "service_error"
    it answered with an error or garbage; "rate_limited" too many requests right now (ours
    queued beyond the timeout, or the server's 429); "offline" lookups switched off or server
    unreachable. A malformed box or centre is logged and ignored; anything unexpected is logged
    and reported as "service_error".
    """
    box = city_bbox
    if box is None and city_centre is not None:
        try:
            box = bbox_around(float(city_centre[0]), float(city_centre[1]), radius_km=radius_km)
        except (TypeError, ValueError, IndexError):
            log.warning("ignoring a malformed city centre: %r", city_centre)
    if box is not None:
        try:
            _viewbox(box)
        except (TypeError, ValueError):
            log.warning("ignoring a malformed city box: %r", box)
            box = None
    try:
        return geocoder.search(
            address, city_bbox=box, country_codes=country_codes, language=language, limit=limit
        )
    except Exception:
        log.exception("address search failed unexpectedly")
        return GeocodeOutcome((), "service_error", used_fallback=True)
