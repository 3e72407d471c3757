"""GCJ-02 <-> WGS84 (published reference pairs, round trips, no shift outside China), the one box
around a point, and the coordinate parser being the geocoder's."""

from __future__ import annotations

import math

import pytest

from itinerary import geodesy
from itinerary.geocode import parse_coordinates
from itinerary.geodesy import (
    bbox_around,
    gcj02_offset_metres,
    gcj02_to_wgs84,
    outside_china,
    parse_coordinate_pair,
    wgs84_to_gcj02,
)


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Haversine distance, computed here independently of the module under test."""
    (lat1, lon1), (lat2, lon2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


# (WGS84 lat, lon) -> (GCJ-02 lat, lon), from the eviltransform project's test suite:
# github.com/googollee/eviltransform, python/test.py (commit 3416646abc64972e899118271bd98030224d9d6c),
# the same three pairs as in its PHP and other language tests.
REFERENCE = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),  # Shanghai
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),  # Shenzhen (Nanshan)
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),  # Beijing
]

SHENZHEN = [
    (22.53640, 114.05045),  # Ping An Finance Center (data/landmarks.csv)
    (22.54750, 114.08360),  # Huaqiang North
    (22.54300, 114.05800),  # city centre (data/cities.csv)
    (22.4818, 113.9118),  # Shekou
    (22.7200, 114.2500),  # Longgang
]


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_forward_matches_published_pairs(wgs: tuple[float, float], gcj: tuple[float, float]) -> None:
    lat, lon = wgs84_to_gcj02(*wgs)
    assert lat == pytest.approx(gcj[0], abs=1e-9) and lon == pytest.approx(gcj[1], abs=1e-9)


@pytest.mark.parametrize(("wgs", "gcj"), REFERENCE)
def test_inverse_recovers_published_pairs(wgs: tuple[float, float], gcj: tuple[float, float]) -> None:
    assert metres(gcj02_to_wgs84(*gcj), wgs) < 0.01


@pytest.mark.parametrize("point", SHENZHEN)
def test_round_trip_in_shenzhen_is_far_below_half_a_metre(point: tuple[float, float]) -> None:
    gcj = wgs84_to_gcj02(*point)
    assert metres(gcj02_to_wgs84(*gcj), point) < 0.01  # the brief asks < 0.5 m
    assert metres(wgs84_to_gcj02(*gcj02_to_wgs84(*point)), point) < 0.01


@pytest.mark.parametrize("point", SHENZHEN)
def test_inverse_beats_the_one_step_approximation(point: tuple[float, float]) -> None:
    gcj = wgs84_to_gcj02(*point)
    shift = (gcj[0] - point[0], gcj[1] - point[1])
    # the common shortcut: subtract the shift computed at the GCJ-02 point instead
    shortcut_shift = (wgs84_to_gcj02(*gcj)[0] - gcj[0], wgs84_to_gcj02(*gcj)[1] - gcj[1])
    shortcut = (gcj[0] - shortcut_shift[0], gcj[1] - shortcut_shift[1])
    assert metres(shortcut, point) > 10 * metres(gcj02_to_wgs84(*gcj), point)
    assert shift != (0.0, 0.0)


@pytest.mark.parametrize("point", SHENZHEN)
def test_offset_around_shenzhen_is_hundreds_of_metres(point: tuple[float, float]) -> None:
    offset = metres(point, wgs84_to_gcj02(*point))
    # about 600 m in central Shenzhen (the first design's "about 500 m" was a round figure)
    assert 300 < offset < 700
    assert gcj02_offset_metres(*point) == pytest.approx(offset, rel=1e-3)
    lat, lon = wgs84_to_gcj02(*point)
    assert lat < point[0] and lon > point[1]  # GCJ-02 in Shenzhen: south and east of WGS84


@pytest.mark.parametrize(
    "point",
    [
        (51.5007, -0.1246),  # London
        (-33.8568, 151.2153),  # Sydney
        (35.6586, 139.7454),  # Tokyo: east of the rectangle
        (0.5, 110.0),  # south of the rectangle
        (60.0, 100.0),  # north of it
        (40.0, 70.0),  # west of it
    ],
)
def test_outside_china_nothing_moves(point: tuple[float, float]) -> None:
    assert outside_china(*point)
    assert wgs84_to_gcj02(*point) == point
    assert gcj02_to_wgs84(*point) == point
    assert gcj02_offset_metres(*point) == 0.0


def test_the_standard_rectangle_is_coarse() -> None:
    # Singapore lies inside it and is shifted, as in every common implementation; recorded so
    # that changing the rectangle is a conscious decision
    assert not outside_china(1.2834, 103.8607)


@pytest.mark.parametrize(
    "point",
    [(22.5431, 114.0579), (22.2793, 114.1628), (22.1987, 113.5439), (25.0330, 121.5654), (39.9042, 116.4074)],
    ids=["shenzhen", "hong-kong", "macau", "taipei", "beijing"],
)
def test_inside_the_rectangle_including_hong_kong_macau_taiwan(point: tuple[float, float]) -> None:
    # the standard algorithm shifts all of these; whether a copied point needs converting
    # depends on the app it came from (see outside_china's docstring)
    assert not outside_china(*point)
    assert gcj02_offset_metres(*point) > 100


@pytest.mark.parametrize(
    "bad", [(math.nan, 114.0), (22.5, math.inf), (91.0, 114.0), (22.5, 181.0), (-91.0, 0.0)]
)
def test_invalid_degrees_are_refused(bad: tuple[float, float]) -> None:
    with pytest.raises(ValueError):
        wgs84_to_gcj02(*bad)
    with pytest.raises(ValueError):
        gcj02_to_wgs84(*bad)


def test_edges_of_the_rectangle_do_not_crash() -> None:
    for point in [(0.8293, 72.004), (55.8271, 137.8347), (0.83, 137.83), (55.82, 72.01)]:
        wgs = gcj02_to_wgs84(*point)
        assert all(math.isfinite(v) for v in wgs)


def test_parse_coordinate_pair_is_the_geocoder_parser() -> None:
    assert parse_coordinate_pair is parse_coordinates is geodesy.parse_coordinates
    assert parse_coordinate_pair("22.5431, 114.0579") == (22.5431, 114.0579)
    assert parse_coordinate_pair("北纬22.5431 东经114.0579") == (22.5431, 114.0579)
    assert parse_coordinate_pair("Shenzhen Bay Hotel") is None


def test_paste_from_a_chinese_app_then_convert() -> None:
    # what the staff page does: parse the pasted GCJ-02 text, convert, store WGS84
    gcj_text = "22.540796131694766,113.9171764808363"  # the Shenzhen reference pair's GCJ-02 side
    parsed = parse_coordinate_pair(gcj_text)
    assert parsed is not None
    assert metres(gcj02_to_wgs84(*parsed), (22.543847, 113.912316)) < 0.01


# --- the one box around a point -------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "radius_km", "expected"),
    [
        # 15 km is 15 / 6371.0088 rad = 0.13490 deg of latitude; / cos(22.543 deg) = 0.14606 deg of longitude
        (22.543, 114.058, 15.0, (22.40810, 113.91194, 22.67790, 114.20406)),
        (0.0, 0.0, 111.195, (-1.0, -1.0, 1.0, 1.0)),  # one degree at the equator
        (0.0, 179.9, 111.195, (-1.0, 178.9, 1.0, 180.0)),  # clamped at the antimeridian
        (
            89.5,
            10.0,
            111.195,
            (88.5, -104.59293, 90.0, 124.59293),
        ),  # clamped at the pole; 1 deg / cos(89.5 deg)
        (-90.0, 0.0, 10.0, (-90.0, -180.0, -89.91007, 180.0)),  # at the pole itself
    ],
)
def test_bbox_around(lat: float, lon: float, radius_km: float, expected: tuple[float, ...]) -> None:
    assert bbox_around(lat, lon, radius_km=radius_km) == pytest.approx(expected, abs=1e-5)


def test_bbox_around_defaults_to_a_city_sized_box() -> None:
    south, west, north, east = bbox_around(22.543, 114.058)
    assert north - south == pytest.approx(2 * math.degrees(50 / 6371.0088))
    assert south < 22.543 < north and west < 114.058 < east


def test_bbox_around_points_reaches_past_every_one() -> None:
    # two Shenzhen landmarks (data/landmarks.csv): the box is the union of the box around each
    points = [(22.5364, 114.0505), (22.4818, 113.9118)]
    union = bbox_around([p[0] for p in points], [p[1] for p in points], radius_km=5.0)
    boxes = [bbox_around(lat, lon, radius_km=5.0) for lat, lon in points]
    assert union == (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    assert bbox_around([22.5364], [114.0505], radius_km=5.0) == boxes[0]


@pytest.mark.parametrize(
    ("lat", "lon", "radius_km"),
    [
        ([], [], 5.0),
        ([22.5, 22.6], [114.0], 5.0),
        ([22.5, 95.0], [114.0, 114.0], 5.0),
        (22.5, 114.0, 0.0),
        (22.5, 114.0, -1.0),
        (91.0, 0.0, 5.0),
        (0.0, 181.0, 5.0),
        (math.nan, 0.0, 5.0),
    ],
)
def test_bbox_around_rejects(lat: float | list[float], lon: float | list[float], radius_km: float) -> None:
    with pytest.raises(ValueError):
        bbox_around(lat, lon, radius_km=radius_km)
