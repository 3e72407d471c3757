"""Catalog frames and filters on a real seeded database (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from itinerary import store
from itinerary.catalog import (
    Catalog,
    LandmarkFilter,
    filter_landmarks,
    localized,
    localized_value,
    order_itineraries,
)
from itinerary.seed import load_dir
from tests.conftest import DATA
from tests.unit.test_seed import edit_cell

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def catalog(mini_dir: Path, mini_db_url: str) -> Catalog:
    db = store.open_store(mini_db_url)
    store.ensure_seeded(db, mini_dir)
    return Catalog(db)


def ids(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["id"])


def test_cities_home_first(catalog: Catalog) -> None:
    assert list(catalog.cities()["id"]) == ["shenzhen", "seattle"]


def test_published_landmarks_only(catalog: Catalog) -> None:
    frame = catalog.landmarks("shenzhen")
    assert "shenzhen-museum-draft" not in frame.index
    assert len(frame) == 5
    assert "shenzhen-museum-draft" in catalog.landmarks("shenzhen", include_drafts=True).index
    assert frame.loc["huaqiang-north", "themes"] == ("innovation", "shopping")


# (criteria, expected ids) on Shenzhen's five published fixture landmarks
FILTER_CASES = [
    (
        LandmarkFilter(),
        ["dongmen-night-snacks", "huaqiang-north", "lianhuashan-park", "oct-loft", "ping-an-finance-center"],
    ),
    (LandmarkFilter(themes=frozenset({"food"})), ["dongmen-night-snacks", "oct-loft"]),
    (
        LandmarkFilter(themes=frozenset({"food", "nature"})),
        ["dongmen-night-snacks", "lianhuashan-park", "oct-loft"],
    ),
    (LandmarkFilter(wheelchair="yes"), ["huaqiang-north", "ping-an-finance-center"]),
    (
        LandmarkFilter(wheelchair="limited"),
        ["huaqiang-north", "lianhuashan-park", "oct-loft", "ping-an-finance-center"],
    ),
    (LandmarkFilter(free_only=True), ["huaqiang-north", "lianhuashan-park", "oct-loft"]),
    (LandmarkFilter(districts=frozenset({"Nanshan", "Luohu"})), ["dongmen-night-snacks", "oct-loft"]),
    (LandmarkFilter(query="market"), ["huaqiang-north"]),  # summary: "electronics market"
    (LandmarkFilter(query="华强"), ["huaqiang-north"]),
    (LandmarkFilter(query="公园"), ["lianhuashan-park"]),
    (LandmarkFilter(query="DENG xiaoping"), ["lianhuashan-park"]),  # all terms, any case
    (LandmarkFilter(query="ＯＣＴ"), ["oct-loft"]),  # full-width letters typed on a Chinese keyboard
    (LandmarkFilter(query="deng market"), []),
    (LandmarkFilter(themes=frozenset({"innovation"}), free_only=True), ["huaqiang-north"]),
]


@pytest.mark.parametrize(("criteria", "expected"), FILTER_CASES)
def test_filters(catalog: Catalog, criteria: LandmarkFilter, expected: list[str]) -> None:
    frame = catalog.landmarks("shenzhen")
    assert ids(filter_landmarks(frame, criteria, timezone="Asia/Shanghai")) == expected


OPEN_CASES = [
    # Monday 2026-11-23: OCT Loft is closed on Mondays
    (
        datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI),
        ["huaqiang-north", "lianhuashan-park", "ping-an-finance-center"],
    ),
    (
        datetime(2026, 11, 24, 11, 0, tzinfo=SHANGHAI),
        ["huaqiang-north", "lianhuashan-park", "oct-loft", "ping-an-finance-center"],
    ),
    # 01:30 after midnight: only the night snacks (18:00-02:00) are open
    (datetime(2026, 11, 24, 1, 30, tzinfo=SHANGHAI), ["dongmen-night-snacks"]),
    # the same instant given in UTC (Mon 17:30 UTC = Tue 01:30 Shenzhen)
    (datetime(2026, 11, 23, 17, 30, tzinfo=ZoneInfo("UTC")), ["dongmen-night-snacks"]),
]


@pytest.mark.parametrize(("at", "expected"), OPEN_CASES)
def test_open_at_uses_city_time_zone(catalog: Catalog, at: datetime, expected: list[str]) -> None:
    frame = catalog.landmarks("shenzhen")
    assert ids(filter_landmarks(frame, LandmarkFilter(open_at=at), timezone="Asia/Shanghai")) == expected


def test_open_at_across_daylight_saving(catalog: Catalog) -> None:
    frame = catalog.landmarks("seattle")
    la = ZoneInfo("America/Los_Angeles")
    # Pike Place 09:00-18:00 local: 16:30 UTC is 09:30 PDT in July, 08:30 PST in January
    july = LandmarkFilter(open_at=datetime(2026, 7, 1, 16, 30, tzinfo=ZoneInfo("UTC")))
    january = LandmarkFilter(open_at=datetime(2026, 1, 7, 16, 30, tzinfo=ZoneInfo("UTC")))
    assert "pike-place-market" in filter_landmarks(frame, july, timezone=la.key).index
    assert "pike-place-market" not in filter_landmarks(frame, january, timezone=la.key).index


def test_localized_falls_back_to_english(catalog: Catalog) -> None:
    frame = catalog.landmarks("seattle")
    names = localized(frame, "summary", "zh")
    assert names["pike-place-market"] == "Public market since 1907."  # no Chinese summary
    assert names["space-needle"].startswith("1962年")
    assert localized(frame, "name", "en")["space-needle"] == "Space Needle"
    assert localized_value(frame.loc["pike-place-market"], "summary", "zh") == "Public market since 1907."
    assert localized_value(frame.loc["space-needle"], "name", "zh") == "太空针塔"


def test_itineraries_and_stops(catalog: Catalog) -> None:
    its = catalog.itineraries("shenzhen")
    assert list(its["id"]) == ["shenzhen-mini"]  # the draft is hidden
    assert its.loc["shenzhen-mini", "stop_count"] == 3
    stops = catalog.stops("shenzhen-mini")
    assert list(stops["landmark_id"]) == ["lianhuashan-park", "ping-an-finance-center", "huaqiang-north"]
    # an empty dwell time falls back to the landmark's visit time
    assert list(stops["dwell_minutes"]) == [60, 90, 45]
    assert stops.loc[0, "name_zh"] == "莲花山公园"


def test_cache_refreshes_after_a_write(catalog: Catalog, mini_dir: Path) -> None:
    first = catalog.landmarks("shenzhen")
    assert catalog.landmarks("shenzhen") is first  # cached while nothing changed
    edit_cell(mini_dir, "landmarks.csv", "oct-loft", "name", "OCT Loft Creative Park")
    store.ensure_seeded(catalog.store, mini_dir)
    assert catalog.landmarks("shenzhen").loc["oct-loft", "name"] == "OCT Loft Creative Park"


def test_districts(catalog: Catalog) -> None:
    assert catalog.districts("shenzhen") == ["Futian", "Luohu", "Nanshan"]


def itinerary_frame(city_id: str) -> pd.DataFrame:
    """The real itineraries of a city (data/), as ``Catalog.itineraries`` indexes them."""
    rows = [dataclasses.asdict(it) for it in load_dir(DATA).itineraries if it.city_id == city_id]
    return pd.DataFrame(rows).set_index("id", drop=False)


def test_order_itineraries_featured_then_general_then_title() -> None:
    frame = itinerary_frame("shenzhen").sample(frac=1.0, random_state=3)  # any order in
    assert list(order_itineraries(frame)["id"]) == [
        "shenzhen-must-go",  # featured, no theme: "Inclusive experience: 8 must-go places"
        "shenzhen-green",  # featured, themed, by title: "Green Shenzhen", "Innovation City", "Taste of"
        "shenzhen-innovation",
        "shenzhen-food",
        "shenzhen-qianhai",  # not featured
    ]
    assert list(order_itineraries(frame).columns) == list(frame.columns)  # nothing added


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], []),
        ([("b", "", False, "B"), ("a", "", False, "A")], ["a", "b"]),  # none featured: by title
        ([("t", "food", True, "A"), ("g", "", True, "Z"), ("n", "", False, "A")], ["g", "t", "n"]),
        ([("x", "food", False, "Same"), ("y", "food", False, "Same")], ["x", "y"]),  # ties keep their order
    ],
)
def test_order_itineraries_table(rows: list[tuple[str, str, bool, str]], expected: list[str]) -> None:
    frame = pd.DataFrame(rows, columns=["id", "theme_id", "featured", "title"]).set_index("id", drop=False)
    assert list(order_itineraries(frame)["id"]) == expected


def test_catalog_itineraries_in_visitor_order(catalog: Catalog) -> None:
    assert list(order_itineraries(catalog.itineraries("shenzhen", include_drafts=True))["id"]) == [
        "shenzhen-mini",
        "shenzhen-hidden",
    ]
