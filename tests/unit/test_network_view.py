"""The network's view for a map set by centre and zoom (the kiosk's): the box of every arc fits
at the zoom found and not at the next one, and the arcs' box holds every point of every arc."""

from __future__ import annotations

import math

import pytest

from itinerary import network, seed
from tests.conftest import DATA

SHIPPED = seed.load_dir(DATA)


def pixels(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates (Leaflet's, 256 px tiles)."""
    scale = 256 * 2**zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * scale, (1 - y / math.pi) / 2 * scale


def test_the_extent_holds_every_point_of_every_arc() -> None:
    home = network.home_city(SHIPPED.cities)
    assert home is not None
    found = network.arcs(SHIPPED.cities)
    (south, west), (north, east) = network.extent(found, home)
    points = [p for a in found for p in a.points]
    assert all(south <= lat <= north and west <= lon <= east for lat, lon in points)
    assert north > max(a.end[0] for a in found)  # a great circle bows north of its ends


@pytest.mark.parametrize("size", [(1000, 420), (1100, 540), (600, 600), (2000, 1200)])
def test_the_view_fits_the_network_at_its_zoom_and_not_at_the_next(size: tuple[int, int]) -> None:
    home = network.home_city(SHIPPED.cities)
    assert home is not None
    box = network.extent(network.arcs(SHIPPED.cities), home)
    (lat, lon), zoom = network.fit_view(box, *size, pad=40)
    width, height = size

    def fits(z: int) -> bool:
        cx, cy = pixels(lat, lon, z)
        corners = [pixels(box[0][0], box[0][1], z), pixels(box[1][0], box[1][1], z)]
        return all(
            abs(x - cx) <= width / 2 - 40 + 1e-6 and abs(y - cy) <= height / 2 - 40 + 1e-6 for x, y in corners
        )

    assert fits(zoom)
    assert not fits(zoom + 1)
    assert box[0][0] < lat < box[1][0] and box[0][1] < lon < box[1][1]
