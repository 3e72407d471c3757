"""The shipped content meets what the city accounts promised (data/)."""

from __future__ import annotations

from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from itinerary import seed
from itinerary.routing import haversine_km
from tests.conftest import DATA

DATASET = seed.load_dir(DATA)
CITIES = {c.id: c for c in DATASET.cities}
PARTNERS = ["the-hague", "brisbane", "seattle", "cape-town", "tsukuba", "liege", "plovdiv", "sharjah"]
ZONES = {
    "shenzhen": "Asia/Shanghai",
    "the-hague": "Europe/Amsterdam",
    "brisbane": "Australia/Brisbane",
    "seattle": "America/Los_Angeles",
    "cape-town": "Africa/Johannesburg",
    "tsukuba": "Asia/Tokyo",
    "liege": "Europe/Brussels",
    "plovdiv": "Europe/Sofia",
    "sharjah": "Asia/Dubai",
}


def landmarks(city: str) -> list[seed.Landmark]:
    return [lm for lm in DATASET.landmarks if lm.city_id == city and lm.status == "published"]


def stops(itinerary: str) -> list[str]:
    return [s.landmark_id for s in DATASET.stops if s.itinerary_id == itinerary]


def test_cities_and_time_zones() -> None:
    assert {c: CITIES[c].timezone for c in ZONES} == ZONES
    for zone in ZONES.values():
        ZoneInfo(zone)


def test_shenzhen_has_forty_complete_published_landmarks() -> None:
    sz = landmarks("shenzhen")
    assert len(sz) >= 40
    for lm in sz:
        for field in ("name", "name_zh", "summary", "summary_zh", "district", "address", "opening_hours"):
            assert getattr(lm, field), f"{lm.id}: {field} is empty"
        assert lm.themes and lm.visit_minutes > 0 and lm.wheelchair in ("yes", "limited", "no", "unknown")
    priced = [lm for lm in sz if lm.price]
    assert len(priced) >= len(sz) - 1  # one exhibition venue's price depends on the event


def test_themes_cover_the_promised_ones() -> None:
    required = {"innovation", "green", "food", "culture", "history", "nature", "shopping", "family"}
    assert required <= {t.id for t in DATASET.themes}
    used = Counter(t for lm in landmarks("shenzhen") for t in lm.themes)
    assert all(used[t] >= 4 for t in required), used


def test_must_go_itinerary() -> None:
    must = stops("shenzhen-must-go")
    assert len(must) == 8
    assert {"shenzhen-guomao-building", "huaqiang-north", "ping-an-finance-center", "oct-loft"} <= set(must)
    names = {lm.id: lm.name for lm in DATASET.landmarks}
    assert "International Trade" in names["shenzhen-guomao-building"]


@pytest.mark.parametrize("theme", ["innovation", "green", "food"])
def test_themed_itineraries(theme: str) -> None:
    themed = [i for i in DATASET.itineraries if i.city_id == "shenzhen" and i.theme_id == theme]
    assert themed and all(len(stops(i.id)) >= 4 for i in themed)


def test_qianhai_cooperation_tour() -> None:
    tour = stops("shenzhen-qianhai")
    assert tour[:3] == ["qianhai-exhibition-hall", "qianhai-e-hub", "qianhai-stone-park"]
    assert "shenzhen-bay-park" in tour


@pytest.mark.parametrize("city", PARTNERS)
def test_partner_cities(city: str) -> None:
    assert len(landmarks(city)) >= 6
    assert any(i.city_id == city and i.status == "published" for i in DATASET.itineraries)


@pytest.mark.parametrize("city", list(ZONES))
def test_landmarks_lie_near_their_city(city: str) -> None:
    centre = CITIES[city]
    far = [
        lm.id for lm in landmarks(city) if float(haversine_km(centre.lat, centre.lon, lm.lat, lm.lon)) > 70
    ]
    assert far == []


def test_no_two_landmarks_share_a_spot() -> None:
    # two markers within 20 m of each other are almost surely a copy-paste of coordinates
    spots = [(lm.id, lm.lat, lm.lon) for lm in DATASET.landmarks]
    close = [
        (a, b)
        for i, (a, la, lo) in enumerate(spots)
        for (b, lb, lob) in spots[i + 1 :]
        if float(haversine_km(la, lo, lb, lob)) < 0.02
    ]
    assert close == []
