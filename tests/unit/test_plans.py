"""Plan URLs: parsing what links carry and building share links that round-trip."""

from __future__ import annotations

import dataclasses
from datetime import date, time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from itinerary import plans
from itinerary.seed import load_dir
from tests.conftest import DATA


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", []), (None, []), ("a,b,,c", ["a", "b", "c"]), (" a , b ", ["a", "b"])],
)
def test_parse_id_list(raw: str | None, expected: list[str]) -> None:
    assert plans.parse_id_list(raw) == expected


def test_split_known_keeps_order_and_drops_repeats() -> None:
    assert plans.split_known(["c", "x", "a", "c", "y"], {"a", "b", "c"}) == (["c", "a"], ["x", "y"])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("09:30", time(9, 30)),
        ("9:05", time(9, 5)),
        ("23:59", time(23, 59)),
        ("24:00", None),
        ("9h", None),
        ("", None),
    ],
)
def test_parse_hhmm(raw: str, expected: time | None) -> None:
    assert plans.parse_hhmm(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2026-12-05", date(2026, 12, 5)), ("2026-02-30", None), ("tomorrow", None), (None, None)],
)
def test_parse_day(raw: str | None, expected: date | None) -> None:
    assert plans.parse_day(raw) == expected


def test_parse_mode() -> None:
    assert [plans.parse_mode(m) for m in ("walk", "transit", "teleport", None)] == [
        "walk",
        "transit",
        None,
        None,
    ]


def test_public_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITYPLUS_PUBLIC_URL", raising=False)
    assert plans.public_base_url("http://localhost:8501/plan?stops=a") == "http://localhost:8501"
    assert plans.public_base_url(None) == "http://localhost:8501"
    monkeypatch.setenv("CITYPLUS_PUBLIC_URL", "https://explore.example.org/cityplus/")
    assert plans.public_base_url("http://localhost:8501/kiosk") == "https://explore.example.org/cityplus"


def test_share_url_round_trip() -> None:
    params = {
        "city": "shenzhen",
        "stops": "oct-loft,huaqiang-north",
        "mode": "transit",
        "start": "09:30",
        "date": "2026-12-05",
        "lang": "zh",
        "empty": "",
    }
    url = plans.share_url("https://x.org/app", "plan", params)
    assert url.startswith("https://x.org/app/plan?city=shenzhen&stops=oct-loft,huaqiang-north&")
    parsed = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert parsed == {k: v for k, v in params.items() if v}
    assert plans.share_url("https://x.org", "/itineraries/", {}) == "https://x.org/itineraries"


# --- the start point in the link, and where an address search looks ------------------------------


@pytest.mark.parametrize(
    ("raw", "name", "expected"),
    [
        ("22.543100,114.057900", "Hotel 酒店", (22.5431, 114.0579, "Hotel 酒店")),
        ("22.5431,114.0579", None, (22.5431, 114.0579, "22.54310, 114.05790")),
        ("22.5431,114.0579", "", (22.5431, 114.0579, "22.54310, 114.05790")),
        (" -33.9 , 18.4 ", None, (-33.9, 18.4, "-33.90000, 18.40000")),
        ("90,180", None, (90.0, 180.0, "90.00000, 180.00000")),
        ("91,0", None, None),  # out of range
        ("0,-181", None, None),
        ("nan,0", None, None),
        ("22.5", None, None),  # not a pair
        ("1,2,3", None, None),
        ("north,east", None, None),
        ("", None, None),
        (None, "Hotel", None),
    ],
)
def test_parse_origin(raw: str | None, name: str | None, expected: tuple[float, float, str] | None) -> None:
    origin = plans.parse_origin(raw, name)
    if expected is None:
        assert origin is None
    else:
        assert origin is not None
        assert (origin.place.lat, origin.place.lon, origin.label) == expected
        assert (origin.place.id, origin.place.dwell_minutes) == (plans.ORIGIN_ID, 0.0)


def test_origin_params_round_trip() -> None:
    params = plans.origin_params(22.5431, 114.0579, "Shenzhen Bay Hotel " * 10)
    assert params["origin"] == "22.543100,114.057900" and len(params["origin_name"]) == 80
    origin = plans.parse_origin(params["origin"], params["origin_name"])
    assert origin is not None and origin.label == params["origin_name"]
    assert (origin.place.lat, origin.place.lon) == (22.5431, 114.0579)


def city_and_landmarks(city_id: str) -> tuple[dict[str, Any], pd.DataFrame]:
    data = load_dir(DATA)
    city = next(c for c in data.cities if c.id == city_id)
    rows = [dataclasses.asdict(lm) for lm in data.landmarks if lm.city_id == city_id]
    return dataclasses.asdict(city), pd.DataFrame(rows)


@pytest.mark.parametrize("city_id", ["shenzhen", "the-hague", "brisbane", "plovdiv"])
def test_search_box_reaches_past_every_landmark_and_not_much_further(city_id: str) -> None:
    city, landmarks = city_and_landmarks(city_id)
    south, west, north, east = plans.search_box(city, landmarks)
    lats, lons = landmarks["lat"], landmarks["lon"]
    # at least the box the page searched before (0.1 degree past the landmarks), at most 0.2
    assert lats.max() + 0.1 <= north <= lats.max() + 0.2 and lats.min() - 0.2 <= south <= lats.min() - 0.1
    assert lons.max() + 0.1 <= east <= lons.max() + 0.2 and lons.min() - 0.2 <= west <= lons.min() - 0.1


def test_search_box_of_a_city_without_landmarks_is_around_its_centre() -> None:
    city, landmarks = city_and_landmarks("shenzhen")
    south, west, north, east = plans.search_box(city, landmarks.iloc[0:0])
    assert south < city["lat"] < north and west < city["lon"] < east
    assert north - south == pytest.approx(2 * 0.1007, abs=1e-4)
