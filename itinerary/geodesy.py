"""GCJ-02 <-> WGS84: coordinates copied from Chinese map apps, converted before they are stored.

Chinese web maps (AMap/Gaode, Tencent, Apple and Google Maps inside mainland China) publish
GCJ-02 coordinates: WGS84 shifted by a published-by-leak obfuscation formula, about 300-600 m
around Shenzhen. Our data is WGS84 (what OpenStreetMap tiles use), so a staff member who pastes
a point from such an app converts it first with ``gcj02_to_wgs84``. Baidu's BD-09 is a further
transform on top of GCJ-02 and is not handled here.

``wgs84_to_gcj02`` is the standard forward formula (Krasovsky 1940 ellipsoid constants, as in
the leaked original and the eviltransform/coordtransform projects). There is no closed-form
inverse: ``gcj02_to_wgs84`` inverts it by fixed-point iteration to about a millimetre, where the
common one-step approximation (subtract the offset computed at the GCJ-02 point) is off by up to
a few metres.

Typed coordinates are parsed by ``itinerary.geocode.parse_coordinates`` (decimal, DMS, N/S/E/W,
full-width digits, 北纬/东经); ``parse_coordinate_pair`` here is the same function.
"""

from __future__ import annotations

import math
from typing import Final

from itinerary.geocode import parse_coordinates

__all__ = [
    "gcj02_offset_metres",
    "gcj02_to_wgs84",
    "outside_china",
    "parse_coordinate_pair",
    "wgs84_to_gcj02",
]

_A: Final = 6378245.0  # Krasovsky 1940 semi-major axis (metres), as the GCJ-02 formula uses
_EE: Final = 0.00669342162296594323  # Krasovsky 1940 first eccentricity squared
_TOLERANCE_DEG: Final = 1e-10  # about 0.01 mm: the inversion stops once the forward image matches
_MAX_ITERATIONS: Final = 30  # it converges in 3-5 (the offset varies slowly with position)

parse_coordinate_pair = parse_coordinates  # "(lat, lon) | None" from typed text; one parser only


def outside_china(lat: float, lon: float) -> bool:
    """True where the standard algorithm applies no shift: outside its rectangle around China.

    The rectangle (lon 72.004-137.8347, lat 0.8293-55.8271) is the one every common
    implementation uses; it is coarse, so parts of neighbouring countries are shifted too. It
    includes Hong Kong, Macau and Taiwan. Conventions there differ: AMap and Tencent publish
    GCJ-02 for Hong Kong and Macau, while Google and Apple show Hong Kong, Macau and Taiwan in
    plain WGS84. So a point copied from Google or Apple Maps in Hong Kong needs no conversion,
    one from AMap does; the staff page offers the conversion as a choice rather than guessing.
    """
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _offset(lat: float, lon: float) -> tuple[float, float]:
    """The GCJ-02 shift (degrees of latitude, degrees of longitude) at a WGS84 point."""
    x, y = lon - 105.0, lat - 35.0
    common = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    d_lat += common
    d_lat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    d_lat += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    d_lon += common
    d_lon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    d_lon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return d_lat, d_lon


def _check(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"not a coordinate pair in degrees: {lat}, {lon}")


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """The GCJ-02 ``(lat, lon)`` a Chinese map app shows for a WGS84 point (unchanged outside China)."""
    _check(lat, lon)
    if outside_china(lat, lon):
        return lat, lon
    d_lat, d_lon = _offset(lat, lon)
    return lat + d_lat, lon + d_lon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """The WGS84 ``(lat, lon)`` of a point copied from a Chinese map app (unchanged outside China).

    Solves ``wgs84_to_gcj02(w) == g`` by iterating ``w <- w - (wgs84_to_gcj02(w) - g)``: the shift
    changes by well under 1 % across the ~500 m it spans, so each step cuts the error about a
    hundredfold. The result maps forward to the input within ``1e-10`` degrees (about 0.01 mm).
    Raises ``ValueError`` for values that are not degrees in range.
    """
    _check(lat, lon)
    if outside_china(lat, lon):
        return lat, lon
    w_lat, w_lon = lat, lon
    for _ in range(_MAX_ITERATIONS):
        g_lat, g_lon = wgs84_to_gcj02(w_lat, w_lon)
        e_lat, e_lon = g_lat - lat, g_lon - lon
        if abs(e_lat) < _TOLERANCE_DEG and abs(e_lon) < _TOLERANCE_DEG:
            break
        w_lat, w_lon = w_lat - e_lat, w_lon - e_lon
    return w_lat, w_lon


def gcj02_offset_metres(lat: float, lon: float) -> float:
    """How far (metres, haversine) GCJ-02 moves a WGS84 point: 0 outside China, ~500 in Shenzhen.

    Handy for the staff page ("this will move the point by about 540 m").
    """
    g_lat, g_lon = wgs84_to_gcj02(lat, lon)
    return _haversine_m(lat, lon, g_lat, g_lon)


def _haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(min(1.0, math.sqrt(h)))
