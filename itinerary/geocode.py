"""Place search: typed coordinates, the city's own landmarks, then geopy's Nominatim.

``Geocoder.search`` never raises for network trouble and never waits longer than about its
``timeout``: it answers with local results (coordinates, landmarks) plus whatever the server
found, and a message *code* the UI translates (no UI text here). Network lookups go through one
process-wide rate limit per server (Nominatim's policy: at most one request per second), a cache
(successful answers only), and can be switched off with ``CITYPLUS_GEOCODER=off``.

Configuration (read when a ``Geocoder`` is built): ``CITYPLUS_NOMINATIM_DOMAIN`` (a self-hosted
server, e.g. ``nominatim.example.org`` or ``10.0.0.5:8080``), ``CITYPLUS_NOMINATIM_SCHEME``,
``CITYPLUS_CONTACT`` (an e-mail or URL for the User-Agent; else ``CITYPLUS_PUBLIC_URL``),
``CITYPLUS_GEOCODER=off``.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import os
import re
import socket
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Final, Literal, Protocol
from urllib.error import URLError
from urllib.parse import urlsplit

import pandas as pd
from geopy.adapters import AdapterHTTPError, RequestsAdapter, URLLibAdapter
from geopy.exc import GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable
from geopy.geocoders import Nominatim

__all__ = [
    "MESSAGE_CODES",
    "BBox",
    "GeocodeCache",
    "GeocodeOutcome",
    "GeocodeResult",
    "Geocoder",
    "MemoryCache",
    "MessageCode",
    "Place",
    "Source",
    "classify_error",
    "default_user_agent",
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


# --- process-wide rate limit -------------------------------------------------------------------


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
    contact = (
        os.environ.get("CITYPLUS_CONTACT", "").strip() or os.environ.get("CITYPLUS_PUBLIC_URL", "").strip()
    )
    return f"{APP_NAME}/{APP_VERSION} (+{contact})" if contact else f"{APP_NAME}/{APP_VERSION}"


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
    ignores Retry-After. Instead every instance for the same ``domain`` (and clock) shares a
    ``_SlotLimiter``: a search reserves the next slot (``min_delay_seconds`` start to start),
    sleeps through ``sleep`` until it, and answers "rate_limited" at once when the slot is too
    far away; after a 429 the server is left alone for its Retry-After (or 30 s).

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
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        enabled: bool | None = None,
        client: _GeopyGeocoder | None = None,
    ) -> None:
        domain = (domain or os.environ.get("CITYPLUS_NOMINATIM_DOMAIN", "") or DEFAULT_DOMAIN).strip()
        if "://" in domain:  # a URL was given: take its scheme unless one is set explicitly
            parts = urlsplit(domain)
            scheme = scheme or parts.scheme
            domain = parts.netloc + parts.path
        self.domain = domain.strip("/")
        self.scheme = (scheme or os.environ.get("CITYPLUS_NOMINATIM_SCHEME", "") or "https").strip().lower()
        if self.scheme not in ("http", "https"):
            raise ValueError(f"scheme must be http or https, not {self.scheme!r}")
        self.user_agent = (user_agent or default_user_agent()).strip()
        if not self.user_agent or self.user_agent in _SAMPLE_AGENTS or self.user_agent.startswith("geopy/"):
            raise ValueError("Nominatim needs this application's own User-Agent, not geopy's or a sample")
        if timeout <= 0 or min_delay_seconds < 0 or cache_ttl_seconds <= 0:
            raise ValueError("timeout and cache_ttl_seconds must be positive, min_delay_seconds >= 0")
        self.timeout = float(timeout)
        self.min_delay_seconds = float(min_delay_seconds)
        self.cache_ttl_seconds = float(cache_ttl_seconds)
        if enabled is None:
            enabled = os.environ.get("CITYPLUS_GEOCODER", "").strip().lower() not in _OFF_VALUES
        self.enabled = enabled
        self._clock = clock
        self._sleep = sleep
        self._cache: GeocodeCache = cache if cache is not None else MemoryCache(clock=clock)
        self._limiter = _limiter_for(self.domain, clock)
        self._client: _GeopyGeocoder | None = client
        if self._client is None and self.enabled:
            self._client = Nominatim(
                domain=self.domain,
                scheme=self.scheme,
                user_agent=self.user_agent,
                timeout=self.timeout,
                adapter_factory=_no_retry_adapter(),
            )

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
        wait = self._limiter.reserve(
            self._clock(), min_delay=self.min_delay_seconds, max_wait=self.timeout - min_request
        )
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
                self._limiter.hold_off(self._clock() + _backoff_seconds(error))
            return (), code
        return found, "" if found else "not_found"

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
