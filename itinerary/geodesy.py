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

Also the other plain geometry on degrees that several modules need: typed coordinates parsed
by ``parse_coordinates`` (decimal, DMS, N/S/E/W, full-width digits, 北纬/东经; the geocoder and
the staff page both use it, ``parse_coordinate_pair`` is the same function), and the one box
around a point, ``bbox_around`` (geocoding near a city, map tiles for a city, imports).
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Final

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG), what haversine approximations use


def haversine_km(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Great-circle distance in km; arguments broadcast like numpy arrays."""
    p1, p2 = np.radians(np.asarray(lat1, dtype=float)), np.radians(np.asarray(lat2, dtype=float))
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


__all__ = [
    "BBox",
    "bbox_around",
    "gcj02_offset_metres",
    "gcj02_to_wgs84",
    "great_circle",
    "outside_china",
    "parse_coordinate_pair",
    "parse_coordinates",
    "wgs84_to_gcj02",
]

BBox = tuple[float, float, float, float]  # (south, west, north, east): min lat, min lon, max lat, max lon

_A: Final = 6378245.0  # Krasovsky 1940 semi-major axis (metres), as the GCJ-02 formula uses
_EE: Final = 0.00669342162296594323  # Krasovsky 1940 first eccentricity squared
_TOLERANCE_DEG: Final = 1e-10  # about 0.01 mm: the inversion stops once the forward image matches
_MAX_ITERATIONS: Final = 30  # it converges in 3-5 (the offset varies slowly with position)


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
    return float(haversine_km(lat, lon, g_lat, g_lon)) * 1000.0


# --- a box around a point ---------------------------------------------------------------------


def bbox_around(lat: npt.ArrayLike, lon: npt.ArrayLike, *, radius_km: float = 50.0) -> BBox:
    """``(south, west, north, east)`` reaching ``radius_km`` from a point, clamped to valid degrees.

    The one box computation (geocoding near a city, a city's map tiles, imports). Given arrays
    of points (a city's landmarks), the box reaches ``radius_km`` beyond every one of them.
    A spherical approximation, good to a fraction of a percent for city-sized radii; a box
    reaching a pole spans every longitude. Raises ``ValueError`` for no points, a point out of
    range, or a radius not above 0.
    """
    lats = np.atleast_1d(np.asarray(lat, dtype=float))
    lons = np.atleast_1d(np.asarray(lon, dtype=float))
    if lats.size == 0 or lats.shape != lons.shape:
        raise ValueError(f"need as many longitudes as latitudes, at least one: {lat!r}, {lon!r}")
    if not (np.all(np.abs(lats) <= 90.0) and np.all(np.abs(lons) <= 180.0)):  # NaN fails too
        raise ValueError(f"not a coordinate: {lat!r}, {lon!r}")
    if not radius_km > 0:
        raise ValueError(f"radius_km must be positive, not {radius_km}")
    d_lat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = np.cos(np.radians(lats))
    d_lon = np.where(cos_lat < 1e-9, 180.0, np.minimum(d_lat / np.maximum(cos_lat, 1e-9), 180.0))
    return (
        max(float(lats.min()) - d_lat, -90.0),
        max(float((lons - d_lon).min()), -180.0),
        min(float(lats.max()) + d_lat, 90.0),
        min(float((lons + d_lon).max()), 180.0),
    )


# --- typed coordinates ------------------------------------------------------------------------

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


parse_coordinate_pair = parse_coordinates  # "(lat, lon) | None" from typed text; one parser only


def great_circle(
    lat1: float, lon1: float, lat2: float, lon2: float, *, steps: int = 64
) -> list[tuple[float, float]]:
    """Points along the great circle from point 1 to point 2 (both included, ``steps`` legs).

    Longitudes are unwrapped from the start's (they may pass 180 or -180), so that a line drawn
    through them crosses the antimeridian instead of running back round the whole world; the
    end's longitude is the unwrapped one, where a marker should stand beside the line's end.
    """
    p1, l1, p2, l2 = map(math.radians, (lat1, lon1, lat2, lon2))
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
    angle = 2 * math.asin(math.sqrt(min(1.0, max(0.0, a))))
    if angle < 1e-12:
        return [(lat1, lon1), (lat2, lon2)]
    x1, y1, z1 = math.cos(p1) * math.cos(l1), math.cos(p1) * math.sin(l1), math.sin(p1)
    x2, y2, z2 = math.cos(p2) * math.cos(l2), math.cos(p2) * math.sin(l2), math.sin(p2)
    points: list[tuple[float, float]] = []
    previous = lon1
    for i in range(steps + 1):
        f = i / steps
        s1, s2 = math.sin((1 - f) * angle) / math.sin(angle), math.sin(f * angle) / math.sin(angle)
        x, y, z = s1 * x1 + s2 * x2, s1 * y1 + s2 * y2, s1 * z1 + s2 * z2
        lat = math.degrees(math.atan2(z, math.hypot(x, y)))
        lon = math.degrees(math.atan2(y, x))
        lon += 360 * round((previous - lon) / 360)  # the nearest turn to the point before
        points.append((lat, lon))
        previous = lon
    return points
