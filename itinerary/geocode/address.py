"""Staff: position a landmark from its address, near its city; never raises."""

from __future__ import annotations

import logging

from itinerary.geocode.nominatim import Geocoder, viewbox_of
from itinerary.geocode.results import BBox, GeocodeOutcome
from itinerary.geodesy import bbox_around

log = logging.getLogger(__name__)  # a child of "itinerary.geocode": configure that one


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
            viewbox_of(box)
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
