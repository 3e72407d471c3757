"""Plan URLs: parsing what links carry and building share links that round-trip."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import shutil
from datetime import date, time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from itinerary import exports, plans, routing, store
from itinerary.catalog import Catalog
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


# --- notes, access and warnings of an itinerary's stops --------------------------------------


def test_note_zh_falls_back_to_note() -> None:
    stops = pd.DataFrame(
        {
            "landmark_id": ["a", "b", "c", "d", "e"],
            "note": ["Reached by lift.", "Step-free.", "", None, "  "],
            "note_zh": ["可乘电梯。", "", "仅中文", float("nan"), None],
        }
    )
    assert plans.stop_notes(stops, "zh") == {"a": "可乘电梯。", "b": "Step-free.", "c": "仅中文"}
    assert plans.stop_notes(stops, "en") == {"a": "Reached by lift.", "b": "Step-free."}


@pytest.fixture
def must_go_catalog(tmp_path: Path, db_url: str) -> Catalog:
    """The real data, with the Chinese note of Huaqiang North left empty, in a real database."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "itinerary_stops.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if (row["itinerary_id"], row["landmark_id"]) == ("shenzhen-must-go", "huaqiang-north"):
            row["note_zh"] = ""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    db = store.open_store(db_url)
    store.ensure_seeded(db, data)
    return Catalog(db)


def _must_go_plan(catalog: Catalog, day: date, lang: str) -> tuple[list[Any], Any]:
    landmarks = catalog.landmarks("shenzhen", include_drafts=True)
    stops = catalog.stops("shenzhen-must-go")
    ids = list(stops["landmark_id"])
    dwell = dict(zip(ids, stops["dwell_minutes"].astype(float), strict=True))
    days = plans.plan_days(
        plans.places_for(landmarks, ids, dwell=dwell),
        day=day,
        start_time=time(9),
        mode="transit",
        city_id="shenzhen",
        timezone="Asia/Shanghai",
    )
    plan = plans.export_plan(
        title="Must-go",
        city_name="Shenzhen",
        timezone="Asia/Shanghai",
        mode="transit",
        url="",
        landmarks=landmarks,
        days=days,
        lang=lang,
        notes=plans.stop_notes(stops, lang),
    )
    return [visit for d in days for visit in d.visits], plan


def test_the_must_go_stops_carry_their_notes_from_the_database(must_go_catalog: Catalog) -> None:
    stops = must_go_catalog.stops("shenzhen-must-go")
    english, chinese = plans.stop_notes(stops, "en"), plans.stop_notes(stops, "zh")
    assert len(english) == len(chinese) == 8
    assert english["shenzhen-guomao-building"].endswith("the restaurant is reached by lift.")
    assert chinese["shenzhen-guomao-building"].endswith("可乘电梯直达餐厅。")
    assert chinese["huaqiang-north"] == english["huaqiang-north"]  # its note_zh is empty
    assert "use the market lifts" in chinese["huaqiang-north"]


def test_export_plan_carries_notes_access_warnings_and_whole_minutes(must_go_catalog: Catalog) -> None:
    monday = date(2026, 12, 7)  # Shenzhen Museum is closed on Mondays
    visits, plan = _must_go_plan(must_go_catalog, monday, "en")
    by_id = {stop.id: stop for stop in plan.stops}
    assert by_id["shenzhen-guomao-building"].note.endswith("reached by lift.")
    assert [s.access for s in plan.stops].count("Partly accessible") == 2
    assert by_id["shenzhen-museum"].warnings == ("Closed on this date",)
    assert all(not s.warnings for s in plan.stops if s.id != "shenzhen-museum")
    # the schedule has seconds (09:11:10); the files say what the timeline says (HH:MM)
    assert any(v.start.second or v.start.microsecond for v in visits)
    for visit, stop in zip(visits, plan.stops, strict=True):
        assert (stop.arrive.second, stop.arrive.microsecond, stop.depart.second) == (0, 0, 0)
        assert stop.arrive.strftime("%H:%M") == visit.start.strftime("%H:%M")
        assert stop.depart.strftime("%H:%M") == visit.depart.strftime("%H:%M")
    _, chinese = _must_go_plan(must_go_catalog, monday, "zh")
    museum = next(s for s in chinese.stops if s.id == "shenzhen-museum")
    assert (museum.access, museum.warnings) == ("轮椅可达", ("当日不开放",))
    assert museum.note.startswith("凭证件免费入馆")


def test_a_start_point_has_no_note_access_or_warning() -> None:
    _, landmarks = city_and_landmarks("shenzhen")
    landmarks = landmarks.set_index("id", drop=False)
    origin = plans.parse_origin("22.5431,114.0579", "Hotel")
    assert origin is not None
    places = plans.places_for(landmarks, ["shenzhen-museum"], origin=origin.place)
    days = plans.plan_days(
        places,
        day=date(2026, 12, 7),
        start_time=time(9),
        mode="walk",
        city_id="shenzhen",
        timezone="Asia/Shanghai",
    )
    plan = plans.export_plan(
        title="t",
        city_name="Shenzhen",
        timezone="Asia/Shanghai",
        mode="walk",
        url="",
        landmarks=landmarks,
        days=days,
        lang="en",
        origin_label="Hotel",
        notes={"origin": "never shown", "shenzhen-museum": "Closed on Mondays."},
    )
    start, museum = plan.stops
    assert (start.name, start.note, start.access, start.warnings) == ("Hotel", "", "", ())
    assert (museum.note, museum.access, museum.warnings) == (
        "Closed on Mondays.",
        "Wheelchair accessible",
        ("Closed on this date",),
    )


@pytest.mark.parametrize(
    ("value", "label"),
    [("limited", "部分无障碍"), ("yes", "轮椅可达"), (None, "无障碍信息未知"), ("??", "无障碍信息未知")],
)
def test_access_label(value: str | None, label: str) -> None:
    assert plans.access_label({"wheelchair": value}, "zh") == label


# ------------------------------------------------------------------ plans that tell the truth


@pytest.mark.parametrize(
    ("raw", "key"),
    [("2026-02-30", "notice.no_such_date"), ("2026-13-01", "notice.no_such_date"), ("tomorrow", "notice.bad_date"),
     ("2026-2-3", "notice.bad_date")],
)  # fmt: skip
def test_a_date_that_does_not_exist_is_no_such_date(raw: str, key: str) -> None:
    assert plans.parse_day(raw) is None
    assert plans.day_notice(raw) == key


def test_a_few_unknown_ids_are_listed_and_many_are_counted() -> None:
    assert plans.unknown_notice(["atlantis", "space-needle"], "en") == (
        "Not in this city, dropped from the link: atlantis, space-needle"
    )
    many = [f"nowhere-{n}" for n in range(500)]
    text = plans.unknown_notice(many, "en")
    assert text == (
        "500 unknown stops were left out of the link: "
        "nowhere-0, nowhere-1, nowhere-2, nowhere-3, nowhere-4 and 495 more."
    )
    assert "nowhere-5" not in text
    assert plans.unknown_notice(many, "zh").startswith("链接中有 500 个未知站点已略去：nowhere-0")


def shenzhen() -> pd.DataFrame:
    return city_and_landmarks("shenzhen")[1].set_index("id", drop=False)


SZ = {"city_id": "shenzhen", "timezone": "Asia/Shanghai", "mode": "transit"}


def test_optimise_judges_late_stops_on_the_final_schedule_days_included() -> None:
    """Happy Valley (6 h) cannot be made on the first day, and the solver, which sees one day's
    opening hours, says so; but the split into days puts it on Day 2 at 09:30, when it is open."""
    landmarks = shenzhen()
    ids = ["ping-an-finance-center", "huaqiang-north", "happy-valley-shenzhen", "shenzhen-museum"]
    saturday = date(2026, 12, 5)
    result = plans.optimise_order(plans.places_for(landmarks, ids), day=saturday, start_time=time(9), **SZ)
    days = plans.plan_days(plans.places_for(landmarks, result.ids), day=saturday, start_time=time(9), **SZ)
    assert len(days) == 2 and [v.place.id for v in days[1].visits] == ["happy-valley-shenzhen"]
    assert days[1].visits[0].start.strftime("%Y-%m-%d %H:%M") == "2026-12-06 09:30"
    assert result.late == [] == plans.late_stops(days)
    # the one-day view of the solver would have called it late
    places = plans.places_for(landmarks, result.ids)
    windows = routing.windows_from_hours(
        places,
        day=saturday,
        timezone="Asia/Shanghai",
        start=plans.start_at(saturday, time(9), "Asia/Shanghai"),
    )
    matrix = routing.travel_matrix_minutes(
        [p.lat for p in places], [p.lon for p in places], "transit", profiles=routing.profiles_for("shenzhen")
    )
    solver = routing.order_stops(matrix, windows=windows, dwell=[p.dwell_minutes for p in places])
    assert [places[i].id for i in solver.late] == ["happy-valley-shenzhen"]


def test_optimise_still_reports_a_stop_closed_that_day() -> None:
    monday = date(2026, 12, 7)  # Shenzhen Museum is closed on Mondays
    places = plans.places_for(shenzhen(), ["huaqiang-north", "shenzhen-museum", "ping-an-finance-center"])
    result = plans.optimise_order(places, day=monday, start_time=time(9), **SZ)
    assert result.late == ["shenzhen-museum"]


def test_optimise_says_when_the_order_was_already_the_best() -> None:
    landmarks = shenzhen()
    # a round trip through two stops is as long either way round
    places = plans.places_for(landmarks, ["huaqiang-north", "oct-loft", "lianhuashan-park"])
    saturday = date(2026, 12, 5)
    result = plans.optimise_order(places, day=saturday, start_time=time(9), round_trip=True, **SZ)
    assert result.already_best and result.ids == ["huaqiang-north", "oct-loft", "lianhuashan-park"]
    assert result.minutes_after == result.minutes_before
    zigzag = plans.places_for(
        landmarks, ["lianhuashan-park", "oct-loft", "huaqiang-north", "ping-an-finance-center"]
    )
    better = plans.optimise_order(zigzag, day=saturday, start_time=time(9), **SZ)
    assert not better.already_best and round(better.minutes_after) < round(better.minutes_before)


def test_fit_that_cannot_fit_changes_nothing_and_a_fit_says_what_it_left_out() -> None:
    landmarks = shenzhen()
    ids = ["lianhuashan-park", "oct-loft", "huaqiang-north", "ping-an-finance-center"]
    places = plans.places_for(landmarks, ids)
    failed = plans.fit_to_budget(places, budget_minutes=60, must={"oct-loft", "huaqiang-north"}, mode="drive",
                                 city_id="shenzhen")  # fmt: skip
    assert (failed.fits, failed.ids, failed.dropped) == (False, ids, [])
    fitted = plans.fit_to_budget(
        places, budget_minutes=300, must={"oct-loft"}, mode="drive", city_id="shenzhen"
    )
    assert fitted.fits and "oct-loft" in fitted.ids and fitted.dropped
    assert sorted(fitted.ids + fitted.dropped) == sorted(ids)


def _round_trip_plan(
    lang: str, *, round_trip: bool = True
) -> tuple[list[routing.Schedule], exports.ExportPlan]:
    landmarks = shenzhen()
    origin = plans.parse_origin("22.5431,114.0579", "Hotel")
    assert origin is not None
    places = plans.places_for(landmarks, ["shenzhen-museum", "lianhuashan-park"], origin=origin.place)
    days = plans.plan_days(places, day=date(2026, 12, 5), start_time=time(9), round_trip=round_trip, **SZ)
    plan = plans.export_plan(
        title="t", city_name="Shenzhen", timezone="Asia/Shanghai", mode="transit", url="", landmarks=landmarks,
        days=days, lang=lang, origin_label="Hotel",
    )  # fmt: skip
    return days, plan


def test_a_round_trip_ends_back_at_the_start_in_the_schedule_and_the_exports() -> None:
    days, plan = _round_trip_plan("en")
    back = days[-1].back
    assert back is not None and back.place.id == plans.ORIGIN_ID
    assert [s.kind for s in plan.stops] == ["start", "stop", "stop", "return"]
    assert exports.stop_marks(plan) == ["S", "1", "2", "S"]
    start, *_, home = plan.stops
    assert (home.lat, home.lon, home.name) == (start.lat, start.lon, "Hotel")
    assert home.arrive == home.depart == plans.to_minute(back.arrive)
    assert home.travel_minutes == round(back.travel_minutes, 1) > 0
    assert exports.marked_label("S", home, lang="en") == "S · Back at Hotel"
    _, chinese = _round_trip_plan("zh")
    assert exports.stop_marks(chinese) == ["起点", "1", "2", "起点"]
    assert exports.marked_label("起点", chinese.stops[0], lang="zh") == "起点：Hotel"


def test_a_one_way_plan_has_no_way_back() -> None:
    days, plan = _round_trip_plan("en", round_trip=False)
    assert days[-1].back is None
    assert [s.kind for s in plan.stops] == ["start", "stop", "stop"]
    assert exports.stop_marks(plan) == ["S", "1", "2"]


def _route_parts(group: Any) -> tuple[list[list[tuple[float, float]]], list[str], list[str]]:
    """(polyline coordinates, marker HTML, marker names) of a ``maps.route_group``."""
    import folium

    lines = [
        list(map(tuple, c.locations)) for c in group._children.values() if isinstance(c, folium.PolyLine)
    ]
    markers = [
        c
        for c in group._children.values()
        if isinstance(c, folium.Marker) and c.options.get("keyboard", True)
    ]
    return lines, [m.icon.options["html"] for m in markers], [m.options.get("alt", "") or "" for m in markers]


def test_the_map_marks_the_start_s_and_draws_the_way_back() -> None:
    from itinerary import maps

    route = [
        maps.RouteStop(plans.ORIGIN_ID, 22.53, 114.05, "Hotel", start=True),
        maps.RouteStop("a", 22.54, 114.06, "A"),
        maps.RouteStop("b", 22.55, 114.07, "B"),
    ]
    lines, icons, _ = _route_parts(maps.route_group(route, lang="en", round_trip=True))
    assert lines == [[(22.53, 114.05), (22.54, 114.06), (22.55, 114.07), (22.53, 114.05)]]
    assert [re.search(r'data-stop="([^"]+)"', html).group(1) for html in icons] == ["start", "1", "2"]  # type: ignore[union-attr]
    assert [re.search(r">([^<]*)</div>$", html).group(1) for html in icons] == ["S", "1", "2"]  # type: ignore[union-attr]
    fmap = maps.base_map(center=(22.5, 114.0), zoom=12, tiles=maps.TileConfig())
    maps.route_group(route, lang="zh").add_to(fmap)
    page = str(fmap.get_root().render())
    assert json.dumps("起点：Hotel") in page and json.dumps("第 1 站：A") in page  # their names
    assert "起点：Hotel" in page and "1. A" in page  # their tooltips
    one_way, _, _ = _route_parts(maps.route_group(route, lang="en"))
    assert one_way == [[(22.53, 114.05), (22.54, 114.06), (22.55, 114.07)]]


def test_notices_list_names_with_the_languages_own_separator() -> None:
    assert "a, b, c" in plans.unknown_notice(["a", "b", "c"], "en")
    assert "a、b、c" in plans.unknown_notice(["a", "b", "c"], "zh")
    many = [f"x{i}" for i in range(500)]
    assert "x0、x1、x2、x3、x4" in plans.unknown_notice(many, "zh")
    assert "x0, x1, x2, x3, x4" in plans.unknown_notice(many, "en")
