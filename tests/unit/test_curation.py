"""Unit tests of itinerary/curation.py: validation, saves, permissions, history, restore, concurrency.

Pure validation and helpers run against a hand-built ``Context`` that mirrors tests/fixtures/mini
(a test checks that ``context_for`` on a seeded database gives the same); everything that writes
runs on a real database seeded from the mini fixture, on SQLite and on PostgreSQL (``mini_db_url``).
Time comes from a stepping fake clock: no sleeps, no timing.
"""

from __future__ import annotations

import contextlib
import json
import math
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa

from itinerary import curation as cu
from itinerary import store as storage
from itinerary.accounts import ADMIN, EDITOR, Account
from itinerary.catalog import Catalog
from itinerary.models import Itinerary, Landmark, Stop
from itinerary.permissions import Refused
from itinerary.routing import EARTH_RADIUS_KM

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)

EDDIE = Account("eddie", EDITOR, frozenset({"shenzhen"}))
ADA = Account("ada", ADMIN, frozenset({"*"}))
SAM = Account("sam", EDITOR, frozenset({"seattle"}))  # an editor of another city
GUS = Account("gus", EDITOR, frozenset({"shenzhen"}), disabled=True)

SHENZHEN_LANDMARKS = {
    "ping-an-finance-center": "published",
    "lianhuashan-park": "published",
    "huaqiang-north": "published",
    "oct-loft": "published",
    "shenzhen-museum-draft": "draft",
    "dongmen-night-snacks": "published",
}
CTX = cu.Context(
    city_id="shenzhen",
    city_name="Shenzhen",
    city_lat=22.5431,
    city_lon=114.0579,
    theme_ids=frozenset(
        {"innovation", "green", "food", "culture", "history", "nature", "shopping", "family"}
    ),
    landmark_ids=frozenset({*SHENZHEN_LANDMARKS, "space-needle", "pike-place-market"}),
    city_landmarks=SHENZHEN_LANDMARKS,
    itinerary_ids=frozenset({"shenzhen-mini", "shenzhen-hidden", "seattle-mini"}),
)
MINI_STOPS = ["lianhuashan-park", "ping-an-finance-center", "huaqiang-north"]  # shenzhen-mini, in order


class SteppingClock:
    """NOW, then one minute later at every call."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> datetime:
        self.calls += 1
        return NOW + timedelta(minutes=self.calls - 1)


@pytest.fixture
def db(mini_db_url: str, mini_dir: Path) -> Iterator[storage.Store]:
    store = storage.open_store(mini_db_url)
    assert storage.ensure_seeded(store, mini_dir) == "unchanged"  # a copy seeded from these files
    yield store
    store.engine.dispose()


@pytest.fixture
def curator(db: storage.Store) -> cu.Curator:
    return cu.Curator(db, clock=SteppingClock())


def landmark_form(**overrides: Any) -> dict[str, Any]:
    """A valid new Shenzhen landmark as a form would send it (floats, ints, a list)."""
    form: dict[str, Any] = {
        "id": "shenzhen-bay-park",
        "name": "Shenzhen Bay Park",
        "name_zh": "深圳湾公园",
        "lat": 22.5235,
        "lon": 113.9428,
        "themes": ["nature", "green"],
        "district": "Nanshan",
        "address": "Binhai Boulevard",
        "summary": "A long seaside promenade.",
        "summary_zh": "滨海长廊。",
        "visit_minutes": 90,
        "opening_hours": "Mo-Su 06:00-23:00",
        "wheelchair": "yes",
        "price": "free",
        "website": "https://example.org/bay",
        "status": "draft",
    }
    form.update(overrides)
    return form


def itinerary_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "id": "art-walk",
        "title": "Art walk",
        "title_zh": "艺术漫步",
        "theme_id": "culture",
        "summary": "Galleries and towers.",
        "summary_zh": "画廊与高楼。",
        "mode": "walk",
        "start_time": "10:30",
        "featured": False,
        "status": "published",
    }
    form.update(overrides)
    return form


def stop_form(landmark_id: str, **overrides: Any) -> dict[str, Any]:
    return {"landmark_id": landmark_id, "dwell_minutes": None, "note": "", "note_zh": "", **overrides}


def new_landmark(**overrides: Any) -> Landmark:
    return cu.parse_landmark(landmark_form(**overrides), CTX, new=True)


def new_itinerary(stops: list[str], **overrides: Any) -> tuple[Itinerary, list[Stop]]:
    return cu.parse_itinerary(itinerary_form(**overrides), [stop_form(s) for s in stops], CTX, new=True)


def field_errors(call: Any, *args: Any, **kwargs: Any) -> dict[str, str]:
    with pytest.raises(cu.FieldErrors) as caught:
        call(*args, **kwargs)
    return caught.value.errors


def history_rows(db: storage.Store) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(storage.changes)).scalar_one())


def stored_stops(db: storage.Store, itinerary_id: str) -> list[tuple[int, str, int | None, str, str]]:
    t = storage.itinerary_stops
    with db.engine.connect() as conn:
        rows = conn.execute(
            sa.select(t.c.position, t.c.landmark_id, t.c.dwell_minutes, t.c.note, t.c.note_zh)
            .where(t.c.itinerary_id == itinerary_id)
            .order_by(t.c.position)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def state(db: storage.Store) -> tuple[Any, ...]:
    """Everything a refused save must leave alone: content, versions, history, data version."""
    with db.engine.connect() as conn:
        tables = tuple(
            sorted(tuple(r) for r in conn.execute(sa.select(t)).all())
            for t in (storage.landmarks, storage.itineraries, storage.itinerary_stops)
        )
        changes = conn.execute(sa.select(storage.changes.c.id).order_by(storage.changes.c.id)).scalars().all()
    return (*tables, tuple(changes), db.data_version())


def north_of(lat: float, metres: float) -> float:
    """The latitude ``metres`` north of ``lat`` on the sphere the module's haversine uses."""
    return lat + math.degrees(metres / (EARTH_RADIUS_KM * 1000))


# --- parse_landmark --------------------------------------------------------------------------------


def test_context_for_a_seeded_database_matches_the_fixture(db: storage.Store) -> None:
    assert cu.context_for(db, "shenzhen") == CTX
    with pytest.raises(cu.NotFound):
        cu.context_for(db, "atlantis")


def test_parse_landmark_builds_the_landmark_from_form_values() -> None:
    lm = new_landmark()
    assert lm == Landmark(
        id="shenzhen-bay-park",
        city_id="shenzhen",
        name="Shenzhen Bay Park",
        name_zh="深圳湾公园",
        lat=22.5235,
        lon=113.9428,
        themes=("nature", "green"),
        district="Nanshan",
        address="Binhai Boulevard",
        summary="A long seaside promenade.",
        summary_zh="滨海长廊。",
        visit_minutes=90,
        opening_hours="Mo-Su 06:00-23:00",
        wheelchair="yes",
        price="free",
        website="https://example.org/bay",
        status="draft",
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id", "Bad Id", "is not a lowercase slug"),
        ("id", "bay--park", "is not a lowercase slug"),
        ("id", "-bay", "is not a lowercase slug"),
        ("id", "", "must not be empty"),
        ("id", None, "must not be empty"),
        ("name", "", "must not be empty"),
        ("name", "   ", "must not be empty"),
        ("lat", 90.5, "out of range (-90 to 90)"),
        ("lat", -91, "out of range (-90 to 90)"),
        ("lat", "north", "is not a decimal number"),
        ("lat", float("nan"), "out of range"),
        ("lat", "", "must not be empty"),
        ("lon", 180.01, "out of range (-180 to 180)"),
        ("lon", "114,05", "is not a decimal number"),
        ("lon", float("inf"), "out of range"),
        ("lon", None, "must not be empty"),
        ("themes", ["nature", "sports"], "unknown theme 'sports'"),
        ("themes", ["Nature"], "is not a lowercase slug"),
        ("themes", ["food", "food"], "lists a theme twice"),
        ("visit_minutes", 4, "out of range (5 to 1440)"),
        ("visit_minutes", 1441, "out of range (5 to 1440)"),
        ("visit_minutes", "ninety", "is not a whole number"),
        ("visit_minutes", 90.5, "is not a whole number"),
        ("opening_hours", "sometimes", "is not OpenStreetMap opening_hours syntax"),
        ("opening_hours", "Mo-Su 25:00-26:00", "is not OpenStreetMap opening_hours syntax"),
        ("price", "60 yuan", "is not 'free', 'CNY 60' or 'CNY 80-150'"),
        ("price", "cny 60", "is not 'free'"),
        ("website", "ftp://example.org", "is not an http(s) URL"),
        ("website", "www.example.org", "is not an http(s) URL"),
        ("website", "javascript:alert(1)", "is not an http(s) URL"),
        ("wheelchair", "sometimes", "is not one of yes, limited, no, unknown"),
        ("status", "deleted", "is not one of published, draft, archived"),
    ],
)
def test_parse_landmark_rejects_each_bad_field(field: str, value: Any, message: str) -> None:
    errors = field_errors(cu.parse_landmark, landmark_form(**{field: value}), CTX, new=True)
    assert list(errors) == [field]
    assert message in errors[field]


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        (47.6062, -122.3321, "km from Shenzhen: lat and lon swapped or mistyped?"),  # Seattle's position
        (22.5431, -114.0579, "km from Shenzhen: lat and lon swapped or mistyped?"),  # the wrong sign
        (-22.5431, 114.0579, "km from Shenzhen: lat and lon swapped or mistyped?"),
        (22.5431 + 1.5, 114.0579, "km from Shenzhen: lat and lon swapped or mistyped?"),  # about 167 km
        (114.0579, 22.5431, "out of range (-90 to 90)"),  # swapped: lat is out of range first
    ],
)
def test_parse_landmark_refuses_a_position_far_from_the_city(lat: float, lon: float, message: str) -> None:
    errors = field_errors(cu.parse_landmark, landmark_form(lat=lat, lon=lon), CTX, new=True)
    assert list(errors) == ["lat"]
    assert message in errors["lat"]


def test_parse_landmark_accepts_a_position_within_150_km() -> None:
    assert cu.parse_landmark(landmark_form(lat=22.5431 + 1.3, lon=114.0579), CTX, new=True).lat == 23.8431


def test_parse_landmark_distance_check_names_the_distance() -> None:
    errors = field_errors(cu.parse_landmark, landmark_form(lat=22.5431, lon=-114.0579), CTX, new=True)
    assert errors["lat"].startswith("(22.5431, -114.0579) is ")
    assert "km from Shenzhen" in errors["lat"]


def test_parse_landmark_reports_every_bad_field_at_once() -> None:
    form = landmark_form(id="Bay Park", name="", lat=95, website="bay.example.org", price="cheap")
    errors = field_errors(cu.parse_landmark, form, CTX, new=True)
    assert set(errors) == {"id", "name", "lat", "website", "price"}
    assert "Bay Park" in str(cu.FieldErrors(errors))


def test_parse_landmark_refuses_an_id_taken_by_any_city_for_a_new_landmark() -> None:
    assert "is taken" in field_errors(cu.parse_landmark, landmark_form(id="oct-loft"), CTX, new=True)["id"]
    # ids are global: a Seattle landmark's id is taken too
    assert (
        "is taken" in field_errors(cu.parse_landmark, landmark_form(id="space-needle"), CTX, new=True)["id"]
    )


def test_parse_landmark_edit_needs_a_landmark_of_this_city() -> None:
    assert cu.parse_landmark(landmark_form(id="oct-loft"), CTX, new=False).id == "oct-loft"
    errors = field_errors(cu.parse_landmark, landmark_form(id="no-such-place"), CTX, new=False)
    assert errors == {"id": "no landmark 'no-such-place' in this city"}
    errors = field_errors(cu.parse_landmark, landmark_form(id="space-needle"), CTX, new=False)
    assert errors == {"id": "no landmark 'space-needle' in this city"}


def test_parse_landmark_accepts_the_types_forms_send() -> None:
    lm = cu.parse_landmark(
        landmark_form(
            lat=22,  # an int
            lon=" 114.0 ",  # text with spaces
            themes=("food",),  # a tuple
            visit_minutes="45",  # text
            wheelchair=True,  # a checkbox
            name_zh=None,
            district=None,
            opening_hours=None,
            price=None,
            website=None,
        ),
        CTX,
        new=True,
    )
    assert (lm.lat, lm.lon, lm.themes, lm.visit_minutes, lm.wheelchair) == (22.0, 114.0, ("food",), 45, "yes")
    assert (lm.name_zh, lm.district, lm.opening_hours, lm.price, lm.website) == ("", "", "", "", "")
    assert cu.parse_landmark(landmark_form(wheelchair=False), CTX, new=True).wheelchair == "no"
    assert cu.parse_landmark(landmark_form(themes="food; culture"), CTX, new=True).themes == (
        "food",
        "culture",
    )


def test_parse_landmark_fills_defaults_for_empty_optional_fields() -> None:
    lm = cu.parse_landmark(
        landmark_form(themes=[], visit_minutes=None, wheelchair="", status=None), CTX, new=True
    )
    assert (lm.themes, lm.visit_minutes, lm.wheelchair, lm.status) == ((), 60, "unknown", "published")


def test_parse_landmark_takes_the_city_from_the_context_and_strips_text() -> None:
    lm = cu.parse_landmark(landmark_form(city_id="seattle", name="  Bay Park  "), CTX, new=True)
    assert (lm.city_id, lm.name) == ("shenzhen", "Bay Park")
    # minimal form: only the required fields
    lm = cu.parse_landmark({"id": "bay", "name": "Bay", "lat": 22.52, "lon": 113.94}, CTX, new=True)
    assert (lm.id, lm.status, lm.themes) == ("bay", "published", ())


def test_parse_landmark_accepts_numpy_floats_from_a_dataframe_row() -> None:
    lm = cu.parse_landmark(landmark_form(lat=np.float64(22.5235), lon=np.float64(113.9428)), CTX, new=True)
    assert (lm.lat, lm.lon) == (22.5235, 113.9428)


# --- parse_itinerary -------------------------------------------------------------------------------


def test_parse_itinerary_builds_the_itinerary_and_numbered_stops() -> None:
    it, stops = cu.parse_itinerary(
        itinerary_form(featured=True),
        [
            stop_form("oct-loft", dwell_minutes=45, note="Coffee first.", note_zh="先喝咖啡。"),
            stop_form("huaqiang-north", dwell_minutes="", position=9),
        ],
        CTX,
        new=True,
    )
    assert it == Itinerary(
        id="art-walk",
        city_id="shenzhen",
        title="Art walk",
        title_zh="艺术漫步",
        theme_id="culture",
        summary="Galleries and towers.",
        summary_zh="画廊与高楼。",
        mode="walk",
        start_time="10:30",
        featured=True,
        status="published",
    )
    assert stops == [
        Stop("art-walk", 1, "oct-loft", 45, "Coffee first.", "先喝咖啡。"),
        Stop("art-walk", 2, "huaqiang-north", None, "", ""),
    ]


def test_parse_itinerary_defaults() -> None:
    it, stops = cu.parse_itinerary({"id": "walk", "title": "Walk"}, [stop_form("oct-loft")], CTX, new=True)
    assert (it.theme_id, it.mode, it.start_time, it.featured, it.status) == (
        "",
        "walk",
        "09:00",
        False,
        "published",
    )
    assert stops[0].dwell_minutes is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id", "Art Walk", "is not a lowercase slug"),
        ("title", "", "must not be empty"),
        ("title", None, "must not be empty"),
        ("theme_id", "sports", "unknown theme 'sports'"),
        ("theme_id", "Culture", "is not a lowercase slug"),
        ("mode", "fly", "is not one of walk, bike, transit, drive"),
        ("start_time", "9:00", "is not a 24-hour time HH:MM"),
        ("start_time", "24:00", "is not a 24-hour time HH:MM"),
        ("start_time", "noon", "is not a 24-hour time HH:MM"),
        ("featured", "maybe", "is not yes or no"),
        ("status", "hidden", "is not one of published, draft, archived"),
    ],
)
def test_parse_itinerary_rejects_each_bad_field(field: str, value: Any, message: str) -> None:
    errors = field_errors(
        cu.parse_itinerary, itinerary_form(**{field: value}), [stop_form("oct-loft")], CTX, new=True
    )
    assert list(errors) == [field]
    assert message in errors[field]


def test_parse_itinerary_keys_stop_errors_by_position_and_field() -> None:
    stops = [
        stop_form("oct-loft"),
        stop_form("huaqiang-north", dwell_minutes="long"),
        stop_form(""),
        stop_form("Bad Id"),
        stop_form("lianhuashan-park", dwell_minutes=1441),
        stop_form("nowhere"),
        stop_form("space-needle"),  # another city's landmark
    ]
    errors = field_errors(cu.parse_itinerary, itinerary_form(title=""), stops, CTX, new=True)
    assert set(errors) == {
        "title",
        "stops.2.dwell_minutes",
        "stops.3.landmark_id",
        "stops.4.landmark_id",
        "stops.5.dwell_minutes",
        "stops.6.landmark_id",
        "stops.7.landmark_id",
    }
    assert "is not a whole number" in errors["stops.2.dwell_minutes"]
    assert errors["stops.3.landmark_id"] == "must not be empty"
    assert "is not a lowercase slug" in errors["stops.4.landmark_id"]
    assert "out of range (0 to 1440)" in errors["stops.5.dwell_minutes"]
    assert errors["stops.6.landmark_id"] == "no landmark 'nowhere' in this city"
    assert errors["stops.7.landmark_id"] == "no landmark 'space-needle' in this city"


def test_parse_itinerary_refuses_an_archived_landmark_in_any_itinerary() -> None:
    ctx = replace(CTX, city_landmarks={**SHENZHEN_LANDMARKS, "oct-loft": "archived"})
    for status in ("published", "draft"):
        errors = field_errors(
            cu.parse_itinerary,
            itinerary_form(status=status),
            [stop_form("huaqiang-north"), stop_form("oct-loft")],
            ctx,
            new=True,
        )
        assert errors == {"stops.2.landmark_id": "landmark 'oct-loft' is archived"}


def test_parse_itinerary_allows_a_draft_landmark_only_in_a_draft_itinerary() -> None:
    errors = field_errors(
        cu.parse_itinerary, itinerary_form(), [stop_form("shenzhen-museum-draft")], CTX, new=True
    )
    assert errors == {"stops.1.landmark_id": "landmark 'shenzhen-museum-draft' is a draft: publish it first"}
    _, stops = cu.parse_itinerary(
        itinerary_form(status="draft"), [stop_form("shenzhen-museum-draft")], CTX, new=True
    )
    assert [s.landmark_id for s in stops] == ["shenzhen-museum-draft"]


def test_parse_itinerary_a_published_itinerary_needs_a_stop_a_draft_does_not() -> None:
    errors = field_errors(cu.parse_itinerary, itinerary_form(), [], CTX, new=True)
    assert errors == {"stops": "a published itinerary needs at least one stop"}
    it, stops = cu.parse_itinerary(itinerary_form(status="draft"), [], CTX, new=True)
    assert (it.status, stops) == ("draft", [])


def test_parse_itinerary_refuses_a_taken_id_for_a_new_itinerary() -> None:
    for taken in ("shenzhen-mini", "seattle-mini"):
        errors = field_errors(
            cu.parse_itinerary, itinerary_form(id=taken), [stop_form("oct-loft")], CTX, new=True
        )
        assert errors == {"id": f"id {taken!r} is taken; ids are stable forever, choose another"}
    it, _ = cu.parse_itinerary(itinerary_form(id="shenzhen-mini"), [stop_form("oct-loft")], CTX, new=False)
    assert it.id == "shenzhen-mini"


# --- likely_duplicates -----------------------------------------------------------------------------

OCT = {"id": "oct-loft", "name": "OCT Loft", "name_zh": "华侨城创意文化园", "lat": 22.5402, "lon": 113.9987}
PARK = {"id": "lianhuashan-park", "name": "Lianhuashan Park", "name_zh": "", "lat": 22.5539, "lon": 114.0552}


def test_duplicates_by_english_name_ignoring_case_and_spaces() -> None:
    found = cu.likely_duplicates([OCT, PARK], name="oct  LOFT", lat=22.60, lon=114.10)
    assert found == [("oct-loft", "OCT Loft", "same name")]


def test_duplicates_by_chinese_name_ignoring_spaces() -> None:
    found = cu.likely_duplicates(
        [OCT, PARK], name="Creative park", name_zh="华侨城 创意文化园", lat=22.6, lon=114.1
    )
    assert found == [("oct-loft", "OCT Loft", "same name")]


def test_duplicates_empty_chinese_names_do_not_match() -> None:
    assert cu.likely_duplicates([PARK], name="Other", name_zh="", lat=22.60, lon=114.10) == []


def test_duplicates_within_30_m_but_not_at_31_m() -> None:
    near = north_of(OCT["lat"], 29.9)
    assert cu.likely_duplicates([OCT, PARK], name="Cafe", lat=near, lon=OCT["lon"]) == [
        ("oct-loft", "OCT Loft", "30 m away")
    ]
    assert cu.likely_duplicates([OCT], name="Cafe", lat=north_of(OCT["lat"], 12), lon=OCT["lon"]) == [
        ("oct-loft", "OCT Loft", "12 m away")
    ]
    assert cu.likely_duplicates([OCT], name="Cafe", lat=north_of(OCT["lat"], 31), lon=OCT["lon"]) == []
    assert cu.likely_duplicates([OCT], name="Cafe", lat=north_of(OCT["lat"], 500), lon=OCT["lon"]) == []


def test_duplicate_reasons_in_chinese() -> None:
    """The reason goes into a Chinese sentence on the page: it must be Chinese too."""
    found = cu.likely_duplicates([OCT], name="oct loft", lat=22.60, lon=114.10, lang="zh")
    assert found == [("oct-loft", "OCT Loft", "名称相同")]
    near = north_of(OCT["lat"], 12)
    assert cu.likely_duplicates([OCT], name="Cafe", lat=near, lon=OCT["lon"], lang="zh")[0][2] == "相距 12 米"


def test_duplicates_exclude_the_landmark_itself() -> None:
    assert (
        cu.likely_duplicates([OCT], name="OCT Loft", lat=OCT["lat"], lon=OCT["lon"], exclude_id="oct-loft")
        == []
    )


def test_duplicates_accept_dataframe_records_with_text_positions() -> None:
    row = {**OCT, "lat": "22.5402", "lon": "113.9987", "name_zh": None}
    assert cu.likely_duplicates([row], name="x", lat=22.5402, lon=113.9987) == [
        ("oct-loft", "OCT Loft", "0 m away")
    ]


# --- diff and snapshots ----------------------------------------------------------------------------


def test_diff_lists_changed_fields_in_order() -> None:
    before = {"a": 1, "b": 2, "gone": "x"}
    after = {"b": 3, "a": 1, "new": None, "added": [1]}
    assert cu.diff(before, after) == [
        cu.FieldChange("b", 2, 3),
        cu.FieldChange("added", None, [1]),
        cu.FieldChange("gone", "x", None),
    ]
    assert cu.diff(after, after) == []
    assert cu.diff(None, {"a": 1}) == [cu.FieldChange("a", None, 1)]
    assert cu.diff({"a": 1}, None) == [cu.FieldChange("a", 1, None)]
    assert cu.diff(None, None) == []


def test_landmark_snapshot_round_trips_through_json() -> None:
    lm = new_landmark()
    snap = json.loads(json.dumps(cu.landmark_snapshot(lm)))
    assert snap["themes"] == ["nature", "green"]
    assert cu.landmark_from_snapshot(snap) == lm
    # bookkeeping keys are ignored
    assert cu.landmark_from_snapshot({**snap, "version": 7, "stops": []}) == lm


def test_itinerary_snapshot_round_trips_through_json_with_stops_in_order() -> None:
    it, stops = new_itinerary(["oct-loft", "huaqiang-north"])
    stops = [replace(stops[0], note_zh="先喝咖啡。", dwell_minutes=30), stops[1]]
    snap = json.loads(json.dumps(cu.itinerary_snapshot(it, stops[::-1])))  # sorted by position
    assert snap["stops"] == [
        {"landmark_id": "oct-loft", "dwell_minutes": 30, "note": "", "note_zh": "先喝咖啡。"},
        {"landmark_id": "huaqiang-north", "dwell_minutes": None, "note": "", "note_zh": ""},
    ]
    assert cu.itinerary_from_snapshot(snap) == (it, stops)


# --- saves -----------------------------------------------------------------------------------------


def test_create_a_landmark_is_version_1_with_a_create_history_row(
    db: storage.Store, curator: cu.Curator
) -> None:
    lm = new_landmark()
    assert curator.save_landmark(EDDIE, lm, base_version=None) == 1
    assert curator.landmark(lm.id) == (lm, 1)
    [change] = curator.history(cu.LANDMARK, lm.id)
    assert (change.entity, change.entity_id, change.city_id, change.version) == (
        "landmark",
        lm.id,
        "shenzhen",
        1,
    )
    assert (change.action, change.username, change.at, change.before) == ("create", "eddie", NOW, None)
    assert cu.landmark_from_snapshot(change.after) == lm
    assert sorted(c.field for c in change.changed) == sorted(cu.LANDMARK_FIELDS)


def test_edit_bumps_the_version_and_records_exactly_the_changed_fields(
    db: storage.Store, curator: cu.Curator
) -> None:
    lm, version = curator.landmark("oct-loft")
    assert version == 1
    edited = replace(lm, name="OCT Loft Creative Park", visit_minutes=150)
    assert curator.save_landmark(EDDIE, edited, base_version=1) == 2
    assert curator.landmark("oct-loft") == (edited, 2)
    change = curator.history(cu.LANDMARK, "oct-loft")[0]
    assert (change.version, change.action, change.username, change.at) == (2, "edit", "eddie", NOW)
    assert change.before == cu.landmark_snapshot(lm) and change.after == cu.landmark_snapshot(edited)
    assert sorted(change.changed, key=lambda c: c.field) == [
        cu.FieldChange("name", "OCT Loft", "OCT Loft Creative Park"),
        cu.FieldChange("visit_minutes", 120, 150),
    ]
    assert curator.save_landmark(EDDIE, replace(edited, themes=("culture",)), base_version=2) == 3
    change = curator.history(cu.LANDMARK, "oct-loft")[0]
    assert change.changed == [cu.FieldChange("themes", ["culture", "food"], ["culture"])]
    assert change.at == NOW + timedelta(minutes=1)


def test_saving_an_unchanged_landmark_or_itinerary_writes_no_version_and_no_history(
    db: storage.Store, curator: cu.Curator
) -> None:
    lm, version = curator.landmark("oct-loft")
    assert curator.save_landmark(EDDIE, lm, base_version=version) == version
    assert curator.landmark("oct-loft") == (lm, version)
    assert curator.history(cu.LANDMARK, "oct-loft") == []
    it, stops, version = curator.itinerary("shenzhen-mini")
    assert curator.save_itinerary(EDDIE, it, stops, base_version=version) == version
    assert curator.itinerary("shenzhen-mini") == (it, stops, version)
    assert history_rows(db) == 0


def test_saving_an_unchanged_landmark_keeps_the_data_version(
    db: storage.Store, curator: cu.Curator, mini_dir: Path
) -> None:
    lm, version = curator.landmark("oct-loft")
    before = db.data_version()
    curator.save_landmark(EDDIE, lm, base_version=version)
    assert db.data_version() == before
    # the files change: with no edit in the database, they are loaded again
    (mini_dir / "themes.csv").write_text((mini_dir / "themes.csv").read_text() + "\n", encoding="utf-8")
    assert storage.ensure_seeded(db, mini_dir) == "seeded"


def test_a_real_save_bumps_the_data_version_once(db: storage.Store, curator: cu.Curator) -> None:
    lm, version = curator.landmark("oct-loft")
    before = db.data_version()
    curator.save_landmark(EDDIE, replace(lm, price="CNY 20"), base_version=version)
    assert db.data_version() == before + 1
    it, stops, version = curator.itinerary("shenzhen-mini")
    curator.save_itinerary(EDDIE, replace(it, start_time="08:00"), stops, base_version=version)
    assert db.data_version() == before + 2


def test_a_save_based_on_a_stale_version_is_a_conflict_that_names_the_other_editor(
    db: storage.Store, curator: cu.Curator
) -> None:
    lm, v1 = curator.landmark("huaqiang-north")
    curator.save_landmark(ADA, replace(lm, summary="Electronics everywhere."), base_version=v1)
    untouched = state(db)
    with pytest.raises(cu.Conflict) as caught:
        curator.save_landmark(EDDIE, replace(lm, name="Huaqiang Bei"), base_version=v1)
    conflict = caught.value
    assert (conflict.entity, conflict.entity_id) == ("landmark", "huaqiang-north")
    assert (conflict.base_version, conflict.current_version) == (1, 2)
    assert conflict.by == "ada"
    assert conflict.changes == [
        cu.FieldChange("summary", "The world's largest electronics market.", "Electronics everywhere.")
    ]
    assert "was saved by ada since you opened it (version 1 -> 2; changed: summary)" in str(conflict)
    assert state(db) == untouched
    assert curator.landmark("huaqiang-north")[0].name == "Huaqiang North"


def test_a_conflict_says_when_the_other_save_was_made_in_utc(db: storage.Store, curator: cu.Curator) -> None:
    lm, v1 = curator.landmark("huaqiang-north")
    curator.save_landmark(ADA, replace(lm, summary="Electronics everywhere."), base_version=v1)
    with pytest.raises(cu.Conflict) as caught:
        curator.save_landmark(EDDIE, replace(lm, name="Huaqiang Bei"), base_version=v1)
    assert caught.value.at is not None
    assert caught.value.at.utcoffset() == timedelta(0)
    assert caught.value.at == NOW


def test_a_conflict_over_several_versions_lists_every_change_and_the_last_editor(
    db: storage.Store, curator: cu.Curator
) -> None:
    lm, v1 = curator.landmark("huaqiang-north")
    v2 = curator.save_landmark(ADA, replace(lm, price="CNY 5"), base_version=v1)
    curator.save_landmark(EDDIE, replace(lm, price="CNY 5", district="Futian!"), base_version=v2)
    with pytest.raises(cu.Conflict) as caught:
        curator.save_landmark(ADA, replace(lm, visit_minutes=30), base_version=v1)
    assert caught.value.by == "eddie"
    assert caught.value.current_version == 3
    assert sorted(c.field for c in caught.value.changes) == ["district", "price"]
    # based on version 2, only eddie's change shows
    with pytest.raises(cu.Conflict) as caught:
        curator.save_landmark(ADA, replace(lm, visit_minutes=30), base_version=v2)
    assert [c.field for c in caught.value.changes] == ["district"]


def test_a_stale_itinerary_save_is_a_conflict_and_writes_nothing(
    db: storage.Store, curator: cu.Curator
) -> None:
    it, stops, v1 = curator.itinerary("shenzhen-mini")
    curator.save_itinerary(ADA, it, stops[::-1], base_version=v1)
    untouched = state(db)
    with pytest.raises(cu.Conflict) as caught:
        curator.save_itinerary(EDDIE, replace(it, title="Mine"), stops, base_version=v1)
    assert [c.field for c in caught.value.changes] == ["stops"]
    assert caught.value.by == "ada"
    assert state(db) == untouched


def test_creating_an_existing_id_or_editing_a_missing_one_is_a_conflict(
    db: storage.Store, curator: cu.Curator
) -> None:
    untouched = state(db)
    with pytest.raises(cu.Conflict) as caught:
        curator.save_landmark(EDDIE, replace(new_landmark(), id="oct-loft"), base_version=None)
    assert (caught.value.base_version, caught.value.current_version) == (None, 1)
    assert "already exists" in str(caught.value)
    it, stops = new_itinerary(["oct-loft"])
    with pytest.raises(cu.Conflict):
        curator.save_itinerary(EDDIE, replace(it, id="shenzhen-mini"), stops, base_version=None)
    with pytest.raises(cu.Conflict) as caught:
        curator.save_landmark(EDDIE, new_landmark(id="vanished"), base_version=3)
    assert (caught.value.base_version, caught.value.current_version) == (3, None)
    assert "no longer exists" in str(caught.value)
    assert state(db) == untouched


def test_moving_a_landmark_or_itinerary_to_another_city_is_refused(
    db: storage.Store, curator: cu.Curator
) -> None:
    untouched = state(db)
    lm, version = curator.landmark("oct-loft")
    errors = field_errors(curator.save_landmark, ADA, replace(lm, city_id="seattle"), base_version=version)
    assert errors == {"id": "id 'oct-loft' belongs to a landmark of shenzhen"}
    it, stops, version = curator.itinerary("shenzhen-mini")
    errors = field_errors(
        curator.save_itinerary, ADA, replace(it, city_id="seattle"), stops, base_version=version
    )
    assert errors == {"id": "id 'shenzhen-mini' belongs to an itinerary of shenzhen"}
    assert state(db) == untouched


# --- permissions -----------------------------------------------------------------------------------


@pytest.mark.parametrize("account", [SAM, GUS], ids=["editor-of-another-city", "disabled"])
def test_accounts_without_the_city_may_not_write_and_nothing_is_written(
    db: storage.Store, curator: cu.Curator, account: Account
) -> None:
    untouched = state(db)
    lm, lv = curator.landmark("oct-loft")
    it, stops, iv = curator.itinerary("shenzhen-mini")
    with pytest.raises(PermissionError, match=f"{account.username} may not edit shenzhen"):
        curator.save_landmark(account, replace(lm, name="Mine"), base_version=lv)
    with pytest.raises(PermissionError):
        curator.save_landmark(account, new_landmark(), base_version=None)
    with pytest.raises(PermissionError):
        curator.save_itinerary(account, replace(it, title="Mine"), stops, base_version=iv)
    with pytest.raises(PermissionError):
        curator.archive_landmark(account, "dongmen-night-snacks", base_version=1)
    with pytest.raises(PermissionError):
        curator.archive_itinerary(account, "shenzhen-mini", base_version=iv)
    assert state(db) == untouched


def test_an_editor_writes_in_their_city_and_an_admin_in_every_city(
    db: storage.Store, curator: cu.Curator
) -> None:
    assert curator.save_landmark(EDDIE, new_landmark(), base_version=None) == 1
    needle, version = curator.landmark("space-needle")
    with pytest.raises(PermissionError):
        curator.save_landmark(EDDIE, replace(needle, price="USD 40"), base_version=version)
    assert curator.save_landmark(SAM, replace(needle, price="USD 40"), base_version=version) == 2

    for landmark_id in ("oct-loft", "space-needle"):
        lm, version = curator.landmark(landmark_id)
        assert (
            curator.save_landmark(ADA, replace(lm, summary="Checked."), base_version=version) == version + 1
        )
    it, stops, version = curator.itinerary("seattle-mini")
    assert curator.save_itinerary(ADA, replace(it, featured=False), stops, base_version=version) == 2
    assert [c.username for c in curator.recent("seattle")] == ["ada", "ada", "sam"]


# --- archiving -------------------------------------------------------------------------------------


def test_a_landmark_used_by_a_published_itinerary_cannot_be_archived(
    db: storage.Store, curator: cu.Curator
) -> None:
    untouched = state(db)
    errors = field_errors(curator.archive_landmark, EDDIE, "ping-an-finance-center", base_version=1)
    assert list(errors) == ["status"]
    assert "used by published itineraries: shenzhen-mini" in errors["status"]
    lm, version = curator.landmark("huaqiang-north")
    errors = field_errors(curator.save_landmark, EDDIE, replace(lm, status="archived"), base_version=version)
    assert "shenzhen-mini" in errors["status"]
    assert state(db) == untouched


def test_archiving_hides_a_landmark_from_visitors_and_keeps_it_for_staff(
    db: storage.Store, curator: cu.Curator
) -> None:
    catalog = Catalog(db)
    assert "dongmen-night-snacks" in catalog.landmarks("shenzhen").index
    assert curator.archive_landmark(EDDIE, "dongmen-night-snacks", base_version=1) == 2
    lm, version = curator.landmark("dongmen-night-snacks")
    assert (lm.status, version) == ("archived", 2)
    change = curator.history(cu.LANDMARK, "dongmen-night-snacks")[0]
    assert (change.action, change.changed) == ("archive", [cu.FieldChange("status", "published", "archived")])
    assert "dongmen-night-snacks" not in catalog.landmarks("shenzhen").index
    staff_view = catalog.landmarks("shenzhen", include_drafts=True)
    assert staff_view.loc["dongmen-night-snacks", "status"] == "archived"


def test_a_landmark_used_only_by_a_draft_itinerary_can_be_archived(
    db: storage.Store, curator: cu.Curator
) -> None:
    it, stops = new_itinerary(["oct-loft"], status="draft")
    curator.save_itinerary(EDDIE, it, stops, base_version=None)
    assert curator.archive_landmark(EDDIE, "oct-loft", base_version=1) == 2
    # ... and the draft itinerary can no longer be published with it
    ctx = cu.context_for(db, "shenzhen")
    errors = field_errors(cu.parse_itinerary, itinerary_form(), [stop_form("oct-loft")], ctx, new=False)
    assert errors == {"stops.1.landmark_id": "landmark 'oct-loft' is archived"}


def test_archiving_with_a_stale_version_is_a_conflict(db: storage.Store, curator: cu.Curator) -> None:
    lm, version = curator.landmark("dongmen-night-snacks")
    curator.save_landmark(ADA, replace(lm, price="CNY 40-90"), base_version=version)
    with pytest.raises(cu.Conflict):
        curator.archive_landmark(EDDIE, "dongmen-night-snacks", base_version=version)
    assert curator.landmark("dongmen-night-snacks")[0].status == "published"


def test_archive_itinerary_clears_featured_keeps_stops_and_frees_its_landmarks(
    db: storage.Store, curator: cu.Curator
) -> None:
    stops_before = stored_stops(db, "shenzhen-mini")
    assert curator.archive_itinerary(EDDIE, "shenzhen-mini", base_version=1) == 2
    it, _, version = curator.itinerary("shenzhen-mini")
    assert (it.status, it.featured, version) == ("archived", False, 2)
    assert stored_stops(db, "shenzhen-mini") == stops_before
    change = curator.history(cu.ITINERARY, "shenzhen-mini")[0]
    assert change.action == "archive"
    assert sorted(c.field for c in change.changed) == ["featured", "status"]
    assert "shenzhen-mini" not in Catalog(db).itineraries("shenzhen").index
    assert curator.archive_landmark(EDDIE, "ping-an-finance-center", base_version=1) == 2


def test_a_landmark_archived_after_parsing_does_not_end_up_in_a_published_itinerary(
    db: storage.Store, curator: cu.Curator
) -> None:
    it, stops = cu.parse_itinerary(
        itinerary_form(), [stop_form("oct-loft")], cu.context_for(db, "shenzhen"), new=True
    )
    curator.archive_landmark(ADA, "oct-loft", base_version=1)  # another editor, meanwhile
    with contextlib.suppress(cu.FieldErrors):  # the right outcome: refused
        curator.save_itinerary(EDDIE, it, stops, base_version=None)
    with db.engine.connect() as conn:
        assert cu.published_itineraries_using(conn, "oct-loft") == []


# --- itineraries -----------------------------------------------------------------------------------


def test_itinerary_stops_are_saved_in_order_numbered_from_1(db: storage.Store, curator: cu.Curator) -> None:
    it, _ = new_itinerary(["oct-loft"])
    stops = [
        Stop("whatever", 7, "oct-loft", 45, "Coffee first.", "先喝咖啡。"),
        Stop("whatever", 3, "huaqiang-north", None, "", "带现金。"),
        Stop("whatever", 3, "lianhuashan-park", 0, "Sunset.", ""),
    ]
    assert curator.save_itinerary(EDDIE, it, stops, base_version=None) == 1
    assert stored_stops(db, "art-walk") == [
        (1, "oct-loft", 45, "Coffee first.", "先喝咖啡。"),
        (2, "huaqiang-north", None, "", "带现金。"),
        (3, "lianhuashan-park", 0, "Sunset.", ""),
    ]
    saved, saved_stops, _ = curator.itinerary("art-walk")
    assert saved == it
    assert [(s.itinerary_id, s.position) for s in saved_stops] == [
        ("art-walk", 1),
        ("art-walk", 2),
        ("art-walk", 3),
    ]
    [change] = curator.history(cu.ITINERARY, "art-walk")
    assert (change.action, change.before, change.version) == ("create", None, 1)
    assert change.after["stops"][0]["note_zh"] == "先喝咖啡。"
    assert change.after["stops"][1]["dwell_minutes"] is None
    # a draft may lose every stop
    assert curator.save_itinerary(EDDIE, replace(it, status="draft"), [], base_version=1) == 2
    assert stored_stops(db, "art-walk") == []
    assert curator.itinerary("art-walk")[1] == []


def test_reordering_stops_is_recorded_as_a_stops_change(db: storage.Store, curator: cu.Curator) -> None:
    it, stops, version = curator.itinerary("shenzhen-mini")
    assert [s.landmark_id for s in stops] == MINI_STOPS
    reordered = [stops[2], stops[0], stops[1]]
    assert curator.save_itinerary(EDDIE, it, reordered, base_version=version) == 2
    _, saved, _ = curator.itinerary("shenzhen-mini")
    assert [(s.position, s.landmark_id) for s in saved] == [
        (1, "huaqiang-north"),
        (2, "lianhuashan-park"),
        (3, "ping-an-finance-center"),
    ]
    # the stop keeps its own dwell time and notes when it moves
    assert (saved[0].dwell_minutes, saved[0].note, saved[0].note_zh) == (45, "Bring cash.", "带现金。")
    assert saved[2].dwell_minutes is None
    [change] = [c for c in curator.history(cu.ITINERARY, "shenzhen-mini") if c.action == "edit"]
    assert [c.field for c in change.changed] == ["stops"]
    assert [s["landmark_id"] for s in change.changed[0].before] == MINI_STOPS
    assert [s["landmark_id"] for s in change.changed[0].after] == [s.landmark_id for s in reordered]


# --- history and restore ---------------------------------------------------------------------------


def test_history_is_newest_first_with_the_seeded_version_last(db: storage.Store, curator: cu.Curator) -> None:
    seeded, v1 = curator.landmark("lianhuashan-park")
    v2 = curator.save_landmark(EDDIE, replace(seeded, visit_minutes=80), base_version=v1)
    curator.save_landmark(ADA, replace(seeded, visit_minutes=80, price="CNY 1"), base_version=v2)
    history = curator.history(cu.LANDMARK, "lianhuashan-park")
    assert [(c.version, c.action, c.username) for c in history] == [
        (3, "edit", "ada"),
        (2, "edit", "eddie"),
        (1, "seeded", ""),
    ]
    assert [c.at for c in history] == [NOW + timedelta(minutes=1), NOW, None]
    first = history[-1]
    assert (first.id, first.before, first.city_id) == (0, None, "shenzhen")
    assert first.after == cu.landmark_snapshot(seeded) == history[-2].before
    assert [c.field for c in history[0].changed] == ["price"]


def test_history_of_a_created_item_has_no_seeded_entry(db: storage.Store, curator: cu.Curator) -> None:
    lm = new_landmark()
    curator.save_landmark(EDDIE, lm, base_version=None)
    curator.save_landmark(EDDIE, replace(lm, name="Bay"), base_version=1)
    assert [(c.version, c.action) for c in curator.history(cu.LANDMARK, lm.id)] == [
        (2, "edit"),
        (1, "create"),
    ]
    assert curator.history(cu.LANDMARK, "oct-loft") == []  # never edited: nothing recorded
    assert curator.history(cu.ITINERARY, lm.id) == []  # entities are kept apart


def test_recent_lists_a_citys_changes_newest_first(db: storage.Store, curator: cu.Curator) -> None:
    lm, _ = curator.landmark("oct-loft")
    curator.save_landmark(EDDIE, replace(lm, price="CNY 1"), base_version=1)
    curator.archive_itinerary(EDDIE, "shenzhen-mini", base_version=1)
    needle, _ = curator.landmark("space-needle")
    curator.save_landmark(SAM, replace(needle, price="USD 1"), base_version=1)
    assert [(c.entity_id, c.action) for c in curator.recent("shenzhen")] == [
        ("shenzhen-mini", "archive"),
        ("oct-loft", "edit"),
    ]
    assert [c.entity_id for c in curator.recent("shenzhen", limit=1)] == ["shenzhen-mini"]
    assert [c.entity_id for c in curator.recent("seattle")] == ["space-needle"]


def test_restore_the_seeded_version_and_a_later_one(db: storage.Store, curator: cu.Curator) -> None:
    seeded, _ = curator.landmark("lianhuashan-park")
    second = replace(seeded, visit_minutes=80, themes=("nature",))
    third = replace(second, price="CNY 1", summary="Changed.")
    curator.save_landmark(EDDIE, second, base_version=1)
    curator.save_landmark(EDDIE, third, base_version=2)

    assert curator.restore(ADA, cu.LANDMARK, "lianhuashan-park", 1, base_version=3) == 4
    assert curator.landmark("lianhuashan-park") == (seeded, 4)
    change = curator.history(cu.LANDMARK, "lianhuashan-park")[0]
    assert (change.version, change.action, change.username) == (4, "restore", "ada")
    assert change.before == cu.landmark_snapshot(third) and change.after == cu.landmark_snapshot(seeded)

    assert curator.restore(EDDIE, cu.LANDMARK, "lianhuashan-park", 2, base_version=4) == 5
    assert curator.landmark("lianhuashan-park") == (second, 5)
    assert [c.version for c in curator.history(cu.LANDMARK, "lianhuashan-park")] == [5, 4, 3, 2, 1]


def test_restore_with_a_stale_base_version_is_a_conflict(db: storage.Store, curator: cu.Curator) -> None:
    lm, _ = curator.landmark("oct-loft")
    curator.save_landmark(EDDIE, replace(lm, price="CNY 1"), base_version=1)
    curator.save_landmark(ADA, replace(lm, price="CNY 2"), base_version=2)
    untouched = state(db)
    with pytest.raises(cu.Conflict) as caught:
        curator.restore(EDDIE, cu.LANDMARK, "oct-loft", 1, base_version=2)
    assert (caught.value.by, caught.value.current_version) == ("ada", 3)
    assert state(db) == untouched


def test_restoring_a_version_whose_theme_was_deleted_is_refused(
    db: storage.Store, curator: cu.Curator
) -> None:
    lm, _ = curator.landmark("lianhuashan-park")  # nature;history;green
    curator.save_landmark(EDDIE, replace(lm, themes=("nature", "history")), base_version=1)
    with db.engine.begin() as conn:
        conn.execute(sa.delete(storage.themes).where(storage.themes.c.id == "green"))
    untouched = state(db)
    errors = field_errors(curator.restore, EDDIE, cu.LANDMARK, "lianhuashan-park", 1, base_version=2)
    assert errors == {"themes": "unknown theme 'green'"}
    assert state(db) == untouched


def test_restore_of_an_itinerary_brings_back_its_stops(db: storage.Store, curator: cu.Curator) -> None:
    it, stops, _ = curator.itinerary("shenzhen-mini")
    original = stored_stops(db, "shenzhen-mini")
    curator.save_itinerary(EDDIE, replace(it, title="Short"), [stops[1]], base_version=1)
    assert stored_stops(db, "shenzhen-mini") == [(1, "ping-an-finance-center", None, "", "")]
    assert curator.restore(EDDIE, cu.ITINERARY, "shenzhen-mini", 1, base_version=2) == 3
    assert stored_stops(db, "shenzhen-mini") == original
    restored, _, version = curator.itinerary("shenzhen-mini")
    assert (restored, version) == (it, 3)
    assert curator.history(cu.ITINERARY, "shenzhen-mini")[0].action == "restore"


def test_restore_of_an_itinerary_whose_landmark_was_archived_is_refused(
    db: storage.Store, curator: cu.Curator
) -> None:
    it, stops, _ = curator.itinerary("shenzhen-mini")
    curator.save_itinerary(EDDIE, it, stops[:2], base_version=1)  # without huaqiang-north
    curator.archive_landmark(EDDIE, "huaqiang-north", base_version=1)
    errors = field_errors(curator.restore, EDDIE, cu.ITINERARY, "shenzhen-mini", 1, base_version=2)
    assert errors == {"stops.3.landmark_id": "landmark 'huaqiang-north' is archived"}


def test_restore_refuses_an_unknown_version_or_item_and_other_cities_editors(
    db: storage.Store, curator: cu.Curator
) -> None:
    lm, _ = curator.landmark("oct-loft")
    curator.save_landmark(EDDIE, replace(lm, price="CNY 1"), base_version=1)
    untouched = state(db)
    with pytest.raises(PermissionError):
        curator.restore(SAM, cu.LANDMARK, "oct-loft", 1, base_version=2)
    with pytest.raises(PermissionError):
        curator.restore(GUS, cu.LANDMARK, "oct-loft", 1, base_version=2)
    with pytest.raises(cu.NotFound):
        curator.restore(EDDIE, cu.LANDMARK, "oct-loft", 9, base_version=2)
    with pytest.raises(cu.NotFound):
        curator.restore(EDDIE, cu.LANDMARK, "no-such-place", 1, base_version=1)
    with pytest.raises(cu.NotFound):
        curator.landmark("no-such-place")
    with pytest.raises(cu.NotFound):
        curator.itinerary("no-such-walk")
    assert state(db) == untouched


# --- atomicity -------------------------------------------------------------------------------------


def test_an_error_after_write_landmark_rolls_back_the_row_and_its_history(db: storage.Store) -> None:
    untouched = state(db)
    with pytest.raises(RuntimeError, match="crash"), db.transaction() as conn:
        lm, version = cu.read_landmark(conn, "oct-loft")  # type: ignore[misc]
        cu.write_landmark(
            conn,
            replace(lm, name="Half saved"),
            base_version=version,
            username="eddie",
            action="edit",
            at=NOW,
        )
        cu.write_landmark(conn, new_landmark(), base_version=None, username="eddie", action="create", at=NOW)
        raise RuntimeError("crash")
    assert state(db) == untouched
    assert cu.Curator(db).landmark("oct-loft")[0].name == "OCT Loft"


def test_an_error_after_write_itinerary_rolls_back_stops_and_history(db: storage.Store) -> None:
    untouched = state(db)
    with pytest.raises(RuntimeError, match="crash"), db.transaction() as conn:
        it, stops, version = cu.read_itinerary(conn, "shenzhen-mini")  # type: ignore[misc]
        cu.write_itinerary(
            conn,
            replace(it, title="Half"),
            stops[:1],
            base_version=version,
            username="eddie",
            action="edit",
            at=NOW,
        )
        raise RuntimeError("crash")
    assert state(db) == untouched


# --- concurrency -----------------------------------------------------------------------------------


def test_two_simultaneous_saves_from_one_version_one_wins_one_conflicts(db: storage.Store) -> None:
    lm, version = cu.Curator(db).landmark("oct-loft")
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def save(account: Account, name: str) -> None:
        curator = cu.Curator(db, clock=SteppingClock())
        barrier.wait()
        try:
            outcomes[account.username] = curator.save_landmark(
                account, replace(lm, name=name), base_version=version
            )
        except Exception as exc:
            outcomes[account.username] = exc

    threads = [
        threading.Thread(target=save, args=(EDDIE, "Eddie's loft")),
        threading.Thread(target=save, args=(ADA, "Ada's loft")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [name for name, outcome in outcomes.items() if outcome == 2]
    losers = [name for name, outcome in outcomes.items() if isinstance(outcome, cu.Conflict)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    [change] = cu.Curator(db).history(cu.LANDMARK, "oct-loft")[:-1]  # without the seeded entry
    assert change.username == winners[0]
    assert cu.Curator(db).landmark("oct-loft") == (
        replace(lm, name="Eddie's loft" if winners[0] == "eddie" else "Ada's loft"),
        2,
    )
    assert history_rows(db) == 1


def test_two_creations_of_one_id_racing_give_a_conflict(db: storage.Store) -> None:
    """The other editor's creation commits between this save's check and its INSERT.

    A statement hook runs that other save at the exact point (single thread, deterministic).
    """
    lm = new_landmark()
    fired = []

    def other_editor_creates_it(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not fired and statement.startswith("INSERT INTO landmarks"):
            fired.append(statement)
            cu.Curator(db).save_landmark(ADA, replace(lm, name="Ada's park"), base_version=None)

    sa.event.listen(db.engine, "before_cursor_execute", other_editor_creates_it)
    try:
        with pytest.raises(cu.Conflict):
            cu.Curator(db).save_landmark(EDDIE, lm, base_version=None)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", other_editor_creates_it)
    assert fired
    assert cu.Curator(db).landmark(lm.id)[0].name == "Ada's park"


def test_a_save_lost_on_sqlite_says_who_changed_what(sqlite_url: str, mini_dir: Path) -> None:
    """The other editor's save commits between this save's version check and its UPDATE.

    SQLite only: on PostgreSQL this save holds the row lock there, so the hook would wait forever.
    """
    db = storage.open_store(sqlite_url)
    storage.ensure_seeded(db, mini_dir)
    lm, version = cu.Curator(db).landmark("oct-loft")
    fired = []

    def other_editor_saves(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not fired and statement.startswith("UPDATE landmarks"):
            fired.append(statement)
            cu.Curator(db).save_landmark(ADA, replace(lm, price="CNY 5"), base_version=version)

    sa.event.listen(db.engine, "before_cursor_execute", other_editor_saves)
    try:
        with pytest.raises(cu.Conflict) as caught:
            cu.Curator(db).save_landmark(EDDIE, replace(lm, name="Mine"), base_version=version)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", other_editor_saves)
        db.engine.dispose()
    assert fired
    assert cu.Curator(db).landmark("oct-loft") == (replace(lm, price="CNY 5"), 2)  # never overwritten
    assert (caught.value.current_version, caught.value.by) == (2, "ada")
    assert [c.field for c in caught.value.changes] == ["price"]


def test_cities_are_saved_by_admins_with_history_and_conflicts(
    db: storage.Store, curator: cu.Curator
) -> None:
    shenzhen = curator.city("shenzhen")
    moved = replace(shenzhen, zoom=13)
    with pytest.raises(PermissionError):
        curator.save_city(EDDIE, moved, base=shenzhen)
    version = db.data_version()
    assert curator.save_city(ADA, shenzhen, base=shenzhen) == 1  # unchanged: nothing written
    assert db.data_version() == version and curator.history(cu.CITY, "shenzhen") == []
    assert curator.save_city(ADA, moved, base=shenzhen) == 2
    [edit, seeded] = curator.history(cu.CITY, "shenzhen")
    assert [c.field for c in edit.changed] == ["zoom"] and seeded.action == cu.SEEDED
    with pytest.raises(cu.Conflict) as caught:  # a form loaded before that save
        curator.save_city(ADA, replace(shenzhen, name="Shenzhen City"), base=shenzhen)
    assert [c.field for c in caught.value.changes] == ["zoom"] and caught.value.by == "ada"
    assert curator.city("shenzhen") == moved
    with pytest.raises(cu.Conflict):  # adding a city whose id exists
        curator.save_city(ADA, replace(shenzhen, name="Other"), base=None)
    with pytest.raises(cu.FieldErrors) as bad:
        cu.parse_city(
            {"id": "x", "name": "X", "lat": 1, "lon": 2, "timezone": "Mars/Olympus"},
            existing_ids=[],
            new=True,
        )
    assert set(bad.value.errors) == {"timezone"}


# --- conflicts and refusals as codes: English word for word as before, Chinese too -------------


def test_a_conflict_reads_in_both_languages_with_its_english_unchanged() -> None:
    gone = cu.Conflict("landmark", "oct-loft", base_version=3, current_version=None)
    assert str(gone) == gone.text("en") == "landmark 'oct-loft' no longer exists"
    assert gone.text("zh") == "地标“oct-loft”已不存在"
    exists = cu.Conflict("city", "liege", base_version=None, current_version=1)
    assert str(exists) == "city 'liege' already exists"
    assert exists.text("zh") == "城市“liege”已存在"
    saved = cu.Conflict(
        "itinerary",
        "walk",
        base_version=1,
        current_version=3,
        changes=[cu.FieldChange("title", "a", "b"), cu.FieldChange("stops", [], [])],
        by="ada",
    )
    assert str(saved) == (
        "itinerary 'walk' was saved by ada since you opened it (version 1 -> 3; changed: title, stops)"
    )
    assert saved.text("zh") == "你打开行程“walk”之后，ada 保存了它（版本 1 → 3；更改了：title, stops）"
    anonymous = cu.Conflict("landmark", "x", base_version=1, current_version=2)
    assert str(anonymous) == (
        "landmark 'x' was saved by someone since you opened it (version 1 -> 2; changed: nothing visible)"
    )
    assert "他人" in anonymous.text("zh") and "无可见字段" in anonymous.text("zh")


def test_a_conflict_from_the_database_reads_in_chinese(db: storage.Store, curator: cu.Curator) -> None:
    lm, v1 = curator.landmark("huaqiang-north")
    curator.save_landmark(ADA, replace(lm, summary="Electronics everywhere."), base_version=v1)
    with pytest.raises(cu.Conflict) as caught:
        curator.save_landmark(EDDIE, replace(lm, name="Huaqiang Bei"), base_version=v1)
    assert caught.value.text("zh") == (
        "你打开地标“huaqiang-north”之后，ada 保存了它（版本 1 → 2；更改了：summary）"
    )


def test_the_writers_refusals_read_in_both_languages(db: storage.Store, curator: cu.Curator) -> None:
    lm, version = curator.landmark("oct-loft")
    with pytest.raises(PermissionError) as caught:
        curator.save_landmark(SAM, replace(lm, name="Mine"), base_version=version)
    assert isinstance(caught.value, Refused)
    assert str(caught.value) == f"{SAM.username} may not edit shenzhen"
    assert caught.value.text("zh") == f"{SAM.username} 无权编辑 shenzhen"
    with pytest.raises(Refused) as city:
        curator.save_city(EDDIE, curator.city("shenzhen"), base=None)
    assert str(city.value) == "eddie may not manage cities"
    assert city.value.text("zh") == "eddie 无权管理城市"
    publish = Refused("may_not_publish", user="eddie", city_id="seattle")
    assert (str(publish), publish.text("zh")) == (
        "eddie may not publish in seattle",
        "eddie 无权在 seattle 发布内容",
    )
    imported = Refused("may_not_import", user="eddie", entity="landmark", entity_id="space-needle")
    assert str(imported) == "eddie may not import landmark 'space-needle'"
    assert imported.text("zh") == "eddie 无权导入地标“space-needle”"
