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

Modules: ``results`` (what a search returns), ``cache`` and ``ratelimit`` (the two levels
above), ``local`` (landmark matches), ``errors`` (message codes of geopy errors),
``nominatim`` (``Geocoder``), ``address`` (``geocode_address``). Typed coordinates are parsed
by ``itinerary.geodesy.parse_coordinates``, and boxes around a point are
``itinerary.geodesy.bbox_around``; both are re-exported here.
"""

from __future__ import annotations

from itinerary.geocode.address import geocode_address
from itinerary.geocode.cache import DbGeocodeCache, GeocodeCache, MemoryCache
from itinerary.geocode.errors import classify_error
from itinerary.geocode.local import match_landmarks
from itinerary.geocode.nominatim import DEFAULT_DOMAIN, Geocoder, default_user_agent
from itinerary.geocode.ratelimit import DbRateLimit, ProcessRateLimit, RateLimit
from itinerary.geocode.results import (
    MESSAGE_CODES,
    BBox,
    GeocodeOutcome,
    GeocodeResult,
    MessageCode,
    Place,
    Source,
)
from itinerary.geodesy import bbox_around, parse_coordinates

__all__ = [
    "DEFAULT_DOMAIN",
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
