"""The geocoder: typed coordinates, landmarks, cache, then one rate-limited Nominatim request."""

from __future__ import annotations

import functools
import json
import logging
import time
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Final, Protocol
from urllib.parse import urlsplit

import pandas as pd
from geopy.adapters import RequestsAdapter, URLLibAdapter
from geopy.geocoders import Nominatim

from itinerary import settings
from itinerary.geocode.cache import DbGeocodeCache, GeocodeCache, MemoryCache
from itinerary.geocode.errors import backoff_seconds, classify_error
from itinerary.geocode.local import finite_float, match_landmarks, normalize_query
from itinerary.geocode.ratelimit import DbRateLimit, ProcessRateLimit, RateLimit
from itinerary.geocode.results import BBox, GeocodeOutcome, GeocodeResult, MessageCode
from itinerary.geodesy import parse_coordinates
from itinerary.store import Store

log = logging.getLogger(__name__)  # a child of "itinerary.geocode": configure that one

DEFAULT_DOMAIN: Final = "nominatim.openstreetmap.org"
# The sample strings geopy's Nominatim rejects (only for the public server); geopy's own
# default ("geopy/<version>") is refused by prefix.
_SAMPLE_AGENTS: Final = frozenset(
    {"my-application", "my_app/1", "my_user_agent/1.0", "specify_your_app_name_here"}
)
_MAX_QUERY_CHARS: Final = 255  # longer queries are typing accidents; they also risk HTTP 414
_MAX_LIMIT: Final = 40  # Nominatim's own maximum


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
        viewbox = viewbox_of(city_bbox)
        local = match_landmarks(landmarks, text, language=language, limit=limit)
        if not self.enabled or self._client is None:
            return GeocodeOutcome(local, "offline", used_fallback=True)
        key = json.dumps(
            [
                self.domain.lower(),
                normalize_query(text),
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
        slot_limit, wait = self._reserve(max_wait=self.timeout - min_request)
        if wait is None:
            return (), "rate_limited"
        if wait > 0:
            self._sleep(wait)
        extra = self._begin(slot_limit)  # the request before this one started late: as much later
        if extra > 0:
            self._sleep(extra)
            wait += extra
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
                self._hold_off(backoff_seconds(error))
            return (), code
        return found, "" if found else "not_found"

    def _reserve(self, *, max_wait: float) -> tuple[RateLimit, float | None]:
        """The limit that gave the slot (``begin`` goes to the same), and the wait for it."""
        try:
            return self._rate_limit, self._rate_limit.reserve(
                self.domain, min_delay=self.min_delay_seconds, max_wait=max_wait
            )
        except Exception as error:  # a shared (database) limit that fails: this process's own
            log.warning("shared geocoding rate limit failed, using the process-wide one: %s", error)
            return self._process_limit, self._process_limit.reserve(
                self.domain, min_delay=self.min_delay_seconds, max_wait=max_wait
            )

    def _begin(self, limit: RateLimit) -> float:
        try:
            return limit.begin(self.domain, min_delay=self.min_delay_seconds)
        except Exception as error:  # the reservation's own spacing still holds
            log.warning("shared geocoding rate limit failed: %s", error)
            return 0.0

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


def viewbox_of(bbox: BBox | None) -> list[tuple[float, float]] | None:
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
        lat, lon = finite_float(place.get("lat")), finite_float(place.get("lon"))
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        found.append(GeocodeResult(str(location.address or f"{lat:.5f}, {lon:.5f}"), lat, lon, "nominatim"))
    if locations and not found:
        raise ValueError("the server's answer held no usable coordinates")
    return tuple(found)
