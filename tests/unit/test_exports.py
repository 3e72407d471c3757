"""Route exports, checked on real plans built from ``data/`` and parsed back by real readers.

The Shenzhen "must-go" plan (2026-12-05, from 09:00 Asia/Shanghai) is compared byte for byte with
the golden files in ``tests/fixtures/golden/must-go.*``. After an intended change of an export,
regenerate them, read the diff, and commit them with the change:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_exports.py

A Seattle plan over the end of daylight saving time (2026-10-31 and 2026-11-01) checks the
iCalendar time zones; a plan of hostile staff text checks escaping in every format.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import cache
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import gpxpy
import icalendar
import pytest
import zxingcpp
from PIL import Image, ImageDraw

from itinerary import exports, maps, plans, seed
from itinerary.exports import ExportPlan, ExportStop
from itinerary.routing import haversine_km
from tests.conftest import DATA, ROOT

GOLDEN = ROOT / "tests" / "fixtures" / "golden"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"
SHANGHAI = ZoneInfo("Asia/Shanghai")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
MUST_GO_URL = "https://explore.cityplus.example/plan?city=shenzhen&itinerary=shenzhen-must-go&date=2026-12-05&start=09:00"
TRAVEL_MINUTES = 20  # between consecutive stops, a simple fixed leg for the test plans
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_FORMULA = '=HYPERLINK("http://evil")'
HOSTILE_ACCESS = "<b>step-free</b> & <a href=x>lift</a>"
HOSTILE_WARNING = "=cmd|' /C calc'!A0"
KML = "{http://www.opengis.net/kml/2.2}"
GPX = "{http://www.topografix.com/GPX/1/1}"


def _plan_stops(itinerary_id: str, days: tuple[tuple[datetime, int], ...]) -> tuple[ExportStop, ...]:
    """The itinerary's stops from the real data; ``days`` gives each day's start and stop count."""
    data = seed.load_dir(DATA)
    landmarks = {landmark.id: landmark for landmark in data.landmarks}
    rows = sorted((s for s in data.stops if s.itinerary_id == itinerary_id), key=lambda s: s.position)
    assert sum(count for _, count in days) == len(rows)
    stops: list[ExportStop] = []
    rows_left = iter(rows)
    for start, count in days:
        clock = start
        for index in range(count):
            row = next(rows_left)
            landmark = landmarks[row.landmark_id]
            travel, km = 0.0, 0.0
            if index:  # the first stop of each day starts the day; every other one follows a leg
                km = round(float(haversine_km(stops[-1].lat, stops[-1].lon, landmark.lat, landmark.lon)), 2)
                travel = float(TRAVEL_MINUTES)
                clock += timedelta(minutes=TRAVEL_MINUTES)
            depart = clock + timedelta(minutes=row.dwell_minutes or landmark.visit_minutes)
            stops.append(
                ExportStop(
                    id=landmark.id,
                    name=landmark.name,
                    name_zh=landmark.name_zh,
                    lat=landmark.lat,
                    lon=landmark.lon,
                    arrive=clock,
                    depart=depart,
                    address=landmark.address,
                    note=row.note,
                    access=plans.access_label(landmark, "en"),
                    travel_minutes=travel,
                    distance_km=km,
                )
            )
            clock = depart
    return tuple(stops)


@cache
def must_go() -> ExportPlan:
    stops = _plan_stops("shenzhen-must-go", ((datetime(2026, 12, 5, 9, 0, tzinfo=SHANGHAI), 8),))
    return ExportPlan(
        title="Inclusive experience: 8 must-go places",
        city_name="Shenzhen",
        timezone="Asia/Shanghai",
        mode="transit",
        url=MUST_GO_URL,
        stops=stops,
    )


@cache
def seattle() -> ExportPlan:
    """Two days either side of the end of daylight saving time (02:00 PDT -> 01:00 PST on 2026-11-01)."""
    days = (
        (datetime(2026, 10, 31, 9, 0, tzinfo=LOS_ANGELES), 3),
        (datetime(2026, 11, 1, 9, 0, tzinfo=LOS_ANGELES), 3),
    )
    return ExportPlan(
        title="Seattle Icons on Foot",
        city_name="Seattle",
        timezone="America/Los_Angeles",
        mode="walk",
        url="https://explore.cityplus.example/plan?city=seattle&itinerary=seattle-highlights",
        stops=_plan_stops("seattle-highlights", days),
    )


def hostile() -> ExportPlan:
    """Staff text that tries markup, spreadsheet formulas, control characters and a javascript: link."""
    base = must_go()
    first = replace(
        base.stops[0],
        name=HOSTILE_NAME,
        name_zh=HOSTILE_FORMULA,
        address="+1 Main St & <b>Co</b>",
        note='</desc></wpt><script>alert("x")</script>\x0b @SUM(A1)',
    )
    second = replace(
        base.stops[1],
        name="-2+3",
        name_zh="@cmd",
        note="=1+1\nline two",
        access=HOSTILE_ACCESS,
        warnings=(HOSTILE_WARNING, "<script>alert(2)</script>"),
    )
    return replace(
        base,
        title='Plan "<script>alert(1)</script>" & more',
        url="javascript:alert(1)",
        stops=(first, second, *base.stops[2:]),
    )


# ------------------------------------------------------------------ golden files and determinism

GOLDEN_EXPORTS: dict[str, Callable[[ExportPlan], str]] = {
    "must-go.gpx": exports.to_gpx,
    "must-go.ics": exports.to_ics,
    "must-go.geojson": exports.to_geojson,
    "must-go.csv": exports.to_csv,
    "must-go.kml": exports.to_kml,
    "must-go.html": exports.to_print_html,
}


@pytest.mark.parametrize("filename", sorted(GOLDEN_EXPORTS))
def test_export_matches_golden_file(filename: str) -> None:
    text = GOLDEN_EXPORTS[filename](must_go())
    path = GOLDEN / filename
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))  # bytes: keep CRLF of .ics and .csv as they are
    assert path.read_bytes().decode("utf-8") == text


@pytest.mark.parametrize("plan", [must_go(), seattle(), hostile()], ids=["must-go", "seattle", "hostile"])
def test_exports_are_byte_identical_for_the_same_plan(plan: ExportPlan) -> None:
    first = exports.all_exports(plan)
    again = exports.all_exports(replace(plan, stops=tuple(replace(stop) for stop in plan.stops)))
    assert first == again
    assert [ext for ext, _, _ in first] == ["gpx", "ics", "geojson", "csv", "kml", "html"]


# ------------------------------------------------------------------ GPX


def test_gpx_parses_back_with_gpxpy() -> None:
    plan = must_go()
    gpx = gpxpy.parse(exports.to_gpx(plan))
    assert (gpx.version, gpx.creator, gpx.name) == ("1.1", "CityPlus Explorer", plan.title)
    assert gpx.link == MUST_GO_URL
    assert len(gpx.waypoints) == len(plan.stops) == 8
    assert len(gpx.routes) == 1 and len(gpx.routes[0].points) == 8
    for stop, waypoint, point in zip(plan.stops, gpx.waypoints, gpx.routes[0].points, strict=True):
        assert waypoint.name == point.name == f"{stop.name} / {stop.name_zh}"
        assert (waypoint.latitude, waypoint.longitude) == (point.latitude, point.longitude)
        assert waypoint.latitude == pytest.approx(stop.lat, abs=1e-6)
        assert waypoint.longitude == pytest.approx(stop.lon, abs=1e-6)
        assert waypoint.time == stop.arrive
        assert stop.arrive.strftime("%H:%M") in waypoint.description
    assert gpx.waypoints[0].name == "International Trade Center Building (Guomao) / 国贸大厦"
    assert 114 < gpx.waypoints[0].longitude < 115 and 22 < gpx.waypoints[0].latitude < 23


def test_gpx_is_gpx_1_1_in_schema_order() -> None:
    root = ET.fromstring(exports.to_gpx(must_go()))
    assert root.tag == f"{GPX}gpx" and root.get("version") == "1.1"
    assert [child.tag.removeprefix(GPX) for child in root] == ["metadata"] + ["wpt"] * 8 + ["rte"]
    metadata, first_wpt = root.find(f"{GPX}metadata"), root.find(f"{GPX}wpt")
    assert metadata is not None and first_wpt is not None
    assert [child.tag.removeprefix(GPX) for child in metadata] == ["name", "desc", "link", "bounds"]
    assert [child.tag.removeprefix(GPX) for child in first_wpt] == ["time", "name", "desc"]
    assert root.findtext(f"{GPX}wpt/{GPX}time") == "2026-12-05T01:00:00Z"  # 09:00 in Shenzhen


# ------------------------------------------------------------------ iCalendar


def _ics_events(text: str) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(text).walk("VEVENT"))


@pytest.mark.parametrize("plan", [must_go(), seattle()], ids=["shenzhen", "seattle"])
def test_ics_events_keep_the_local_times_and_time_zone(plan: ExportPlan) -> None:
    text = exports.to_ics(plan)
    events = _ics_events(text)
    assert len(events) == len(plan.stops)
    for stop, event in zip(plan.stops, events, strict=True):
        assert event["DTSTART"].params["TZID"] == event["DTEND"].params["TZID"] == plan.timezone
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert (start, end) == (stop.arrive, stop.depart)  # the same instants
        assert start.replace(tzinfo=None) == stop.arrive.replace(tzinfo=None)  # the same wall clock
        assert start.utcoffset() == stop.arrive.utcoffset()
    calendar = icalendar.Calendar.from_ical(text)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == [plan.timezone]
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"] == exports.PRODID


def test_ics_seattle_crosses_the_end_of_daylight_saving_time() -> None:
    text = exports.to_ics(seattle())
    starts = [line for line in text.split("\r\n") if line.startswith("DTSTART;")]
    assert starts[0] == "DTSTART;TZID=America/Los_Angeles:20261031T090000"
    assert starts[3] == "DTSTART;TZID=America/Los_Angeles:20261101T090000"
    offsets = [event.decoded("DTSTART").utcoffset() for event in _ics_events(text)]
    assert offsets == [timedelta(hours=-7)] * 3 + [timedelta(hours=-8)] * 3
    (vtimezone,) = icalendar.Calendar.from_ical(text).walk("VTIMEZONE")
    observances = {sub.name: sub for sub in vtimezone.subcomponents}
    assert set(observances) == {"STANDARD", "DAYLIGHT"}
    assert "DTSTART:20261101T020000\r\nTZNAME:PST\r\nTZOFFSETFROM:-0700\r\nTZOFFSETTO:-0800" in text
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")  # defined before use


def test_ics_fields_of_an_event() -> None:
    plan = must_go()
    event = _ics_events(exports.to_ics(plan))[0]
    stop = plan.stops[0]
    assert event["SUMMARY"] == "International Trade Center Building (Guomao) / 国贸大厦"
    assert event["LOCATION"] == f"{stop.address}, Shenzhen"
    assert event["URL"] == MUST_GO_URL
    assert str(event["DESCRIPTION"]).startswith(stop.note) and MUST_GO_URL in event["DESCRIPTION"]
    geo = event.decoded("GEO")
    assert geo == (stop.lat, stop.lon)
    assert event.decoded("DTSTAMP") == datetime(2026, 12, 5, 1, 0, tzinfo=UTC)  # first arrival, in UTC
    stamped = _ics_events(exports.to_ics(plan, stamp=datetime(2026, 11, 1, 12, 0, tzinfo=SHANGHAI)))[0]
    assert stamped.decoded("DTSTAMP") == datetime(2026, 11, 1, 4, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="timezone-aware"):
        exports.to_ics(plan, stamp=datetime(2026, 11, 1, 12, 0))


def test_ics_instant_stop_has_no_dtend() -> None:
    # RFC 5545 3.8.2.2: DTEND must be later than DTSTART; an event without it ends when it starts
    plan = must_go()
    instant = replace(plan, stops=(replace(plan.stops[0], depart=plan.stops[0].arrive), *plan.stops[1:]))
    events = _ics_events(exports.to_ics(instant))
    assert "DTEND" not in events[0] and "DTEND" in events[1]


def test_ics_uids_are_unique_and_stable() -> None:
    plan = must_go()
    uids = [str(event["UID"]) for event in _ics_events(exports.to_ics(plan))]
    assert len(set(uids)) == 8 and all(uid.endswith("@cityplus-explorer") for uid in uids)
    rebuilt = must_go.__wrapped__()  # the same plan, built again from the data
    assert [str(event["UID"]) for event in _ics_events(exports.to_ics(rebuilt))] == uids
    next_week = replace(
        plan,
        stops=tuple(
            replace(s, arrive=s.arrive + timedelta(days=7), depart=s.depart + timedelta(days=7))
            for s in plan.stops
        ),
    )
    assert not set(uids) & {str(event["UID"]) for event in _ics_events(exports.to_ics(next_week))}


@pytest.mark.parametrize("plan", [must_go(), seattle(), hostile()], ids=["must-go", "seattle", "hostile"])
def test_ics_lines_are_crlf_and_folded_at_75_octets(plan: ExportPlan) -> None:
    raw = exports.to_ics(plan).encode("utf-8")
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"") and b"\r" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # long Chinese notes were folded
    for line in lines:
        line.decode("utf-8")  # no multi-octet character split across a fold


# ------------------------------------------------------------------ GeoJSON


def test_geojson_is_a_feature_collection_longitude_first() -> None:
    plan = must_go()
    text = exports.to_geojson(plan)
    assert "国贸大厦" in text  # ensure_ascii=False: Chinese as characters, not \\u escapes
    data = json.loads(text)
    assert data["type"] == "FeatureCollection"
    points = [f for f in data["features"] if f["geometry"]["type"] == "Point"]
    (line,) = [f for f in data["features"] if f["geometry"]["type"] == "LineString"]
    assert len(points) == 8 and len(line["geometry"]["coordinates"]) == 8
    lon, lat = points[0]["geometry"]["coordinates"]
    assert 114 < lon < 115 and 22 < lat < 23
    assert line["geometry"]["coordinates"] == [p["geometry"]["coordinates"] for p in points]
    first = points[0]["properties"]
    assert (first["position"], first["id"], first["name_zh"]) == (1, "shenzhen-guomao-building", "国贸大厦")
    assert datetime.fromisoformat(first["arrive"]) == plan.stops[0].arrive
    assert first["arrive"] == "2026-12-05T09:00:00+08:00"
    west, south, east, north = data["bbox"]
    assert all(west <= p["geometry"]["coordinates"][0] <= east for p in points)
    assert all(south <= p["geometry"]["coordinates"][1] <= north for p in points)
    for number in re.findall(r"-?\d+\.\d+", json.dumps([f["geometry"] for f in data["features"]])):
        assert len(number.split(".")[1]) <= 6


def test_geojson_of_a_single_stop_has_no_line() -> None:
    plan = replace(must_go(), stops=must_go().stops[:1])
    data = json.loads(exports.to_geojson(plan))
    assert [f["geometry"]["type"] for f in data["features"]] == ["Point"]


# ------------------------------------------------------------------ CSV


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_parses_back_with_chinese_and_a_bom_for_excel() -> None:
    plan = must_go()
    text = exports.to_csv(plan)
    assert text.split("\r\n")[0] == ",".join(exports.CSV_COLUMNS)
    rows = _csv_rows(text)
    assert len(rows) == 8
    assert rows[0]["name_zh"] == "国贸大厦" and rows[0]["position"] == "1"
    assert (float(rows[0]["lat"]), float(rows[0]["lon"])) == (plan.stops[0].lat, plan.stops[0].lon)
    assert rows[1]["travel_minutes"] == "20" and float(rows[1]["distance_km"]) == plan.stops[1].distance_km
    assert datetime.fromisoformat(rows[-1]["depart"]) == plan.stops[-1].depart
    raw = exports.csv_bytes(plan)
    assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig") == text


def test_csv_leaves_negative_coordinates_as_numbers() -> None:
    row = _csv_rows(exports.to_csv(seattle()))[0]
    assert row["lon"] == "-122.341400" and row["lat"] == "47.609100"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        (HOSTILE_FORMULA, "'" + HOSTILE_FORMULA),
        ("+86 755 1234", "'+86 755 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("＝1+1", "'＝1+1"),
        ("国贸大厦", "国贸大厦"),
        ("Shenzhen = great", "Shenzhen = great"),
        ("", ""),
    ],
)
def test_guard_formula(cell: str, expected: str) -> None:
    assert exports.guard_formula(cell) == expected


def test_csv_guards_hostile_staff_text() -> None:
    rows = _csv_rows(exports.to_csv(hostile()))
    assert rows[0]["name"] == HOSTILE_NAME  # markup is harmless in a spreadsheet
    assert rows[0]["name_zh"] == "'" + HOSTILE_FORMULA
    assert rows[0]["address"] == "'+1 Main St & <b>Co</b>"
    assert (rows[1]["name"], rows[1]["name_zh"], rows[1]["note"]) == ("'-2+3", "'@cmd", "'=1+1\nline two")
    for row in rows:
        for key in ("id", "name", "name_zh", "address", "note", "access", "warnings"):
            assert not row[key].startswith(("=", "+", "-", "@")), (key, row[key])
    assert rows[1]["access"] == HOSTILE_ACCESS  # markup is harmless in a spreadsheet, a formula is not
    assert rows[1]["warnings"] == "'" + HOSTILE_WARNING + "; <script>alert(2)</script>"


# ------------------------------------------------------------------ KML


def test_kml_parses_back() -> None:
    plan = must_go()
    root = ET.fromstring(exports.to_kml(plan))
    assert root.tag == f"{KML}kml"
    placemarks = root.findall(f"{KML}Document/{KML}Placemark")
    assert len(placemarks) == 9
    first = placemarks[0]
    assert first.findtext(f"{KML}name") == "1. International Trade Center Building (Guomao) / 国贸大厦"
    lon, lat = map(float, (first.findtext(f"{KML}Point/{KML}coordinates") or "").split(","))
    assert (lat, lon) == (plan.stops[0].lat, plan.stops[0].lon)
    assert first.findtext(f"{KML}TimeSpan/{KML}begin") == "2026-12-05T09:00:00+08:00"
    coordinates = (placemarks[-1].findtext(f"{KML}LineString/{KML}coordinates") or "").split()
    assert len(coordinates) == 8 and coordinates[0].startswith("114.")


# ------------------------------------------------------------------ printable page


class _Page(HTMLParser):
    """Tags, attributes and text of a page, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(tag, name, value) for name, value in attrs]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)


def _page(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


def test_print_page_is_standalone_and_printable() -> None:
    plan = must_go()
    text = exports.to_print_html(plan)
    page = _page(text)
    assert text.startswith("<!DOCTYPE html>")
    assert "@page { size: A4; margin: 15mm }" in page.style
    assert "script" not in page.tags and "img" not in page.tags
    assert "url(" not in page.style and "@import" not in page.style
    links = [(tag, value) for tag, name, value in page.attrs if name in ("src", "href", "xlink:href")]
    assert links == [("a", MUST_GO_URL)]  # the share link, and no resource to fetch
    assert not [name for _, name, _ in page.attrs if name.startswith("on")]
    words = " ".join(page.text)
    assert "Inclusive experience: 8 must-go places" in words and "Sat 5 Dec 2026" in words
    assert "Public transport" in words and MUST_GO_URL in words
    for stop in plan.stops:
        assert stop.name_zh in words and stop.address in words
    assert page.tags.count("tr") == 9  # heading row and one per stop
    assert "svg" in page.tags  # the QR code of the share link, inline


def test_print_page_in_chinese_and_with_label_overrides() -> None:
    plan = replace(must_go(), lang="zh")
    words = " ".join(_page(exports.to_print_html(plan)).text)
    for heading in ("到达", "离开", "前往用时", "地址", "备注", "2026年12月5日（周六）", "公共交通"):
        assert heading in words
    custom = _page(exports.to_print_html(plan, labels={"arrive": "抵达 <b>", "note": "&"}))
    assert custom.tags.count("b") == 0 and "抵达 <b>" in " ".join(custom.text)


def test_print_page_without_qr_and_times_of_a_two_day_plan() -> None:
    page = _page(exports.to_print_html(seattle(), with_qr=False))
    assert "svg" not in page.tags
    words = " ".join(page.text)
    assert "Sat 31 Oct 2026 – Sun 1 Nov 2026" in words and "11-01 09:00" in words


# ------------------------------------------------------------------ hostile text, every format


# what the printable page may contain: no img, script, a (the hostile link is javascript:), svg
DOCUMENT_TAGS = ("html", "head", "meta", "title", "style", "body", "header", "div", "h1", "p", "footer")
PAGE_TAGS = {*DOCUMENT_TAGS, "table", "thead", "tbody", "tr", "th", "td", "strong", "span", "br"}


def test_hostile_text_is_escaped_in_html() -> None:
    text = exports.to_print_html(hostile())
    page = _page(text)
    assert set(page.tags) <= PAGE_TAGS
    assert "<img" not in text and "<script" not in text and "javascript:" not in text
    words = " ".join(page.text)
    assert (
        HOSTILE_NAME in words
        and HOSTILE_FORMULA in words
        and '</desc></wpt><script>alert("x")</script>' in words
    )
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_hostile_text_is_escaped_in_kml() -> None:
    text = exports.to_kml(hostile())
    assert "<img" not in text and "<script" not in text and "javascript:" not in text
    placemark = ET.fromstring(text).findall(f"{KML}Document/{KML}Placemark")[0]
    assert placemark.findtext(f"{KML}name") == f"1. {HOSTILE_NAME} / {HOSTILE_FORMULA}"
    # the description is HTML for KML viewers: its markup is ours, the staff text stays escaped
    description = placemark.findtext(f"{KML}description") or ""
    assert "&lt;/desc&gt;&lt;/wpt&gt;&lt;script&gt;" in description and "<script" not in description
    assert placemark.findtext(f"{KML}address") == "+1 Main St & <b>Co</b>, Shenzhen"


def test_hostile_text_is_escaped_in_gpx() -> None:
    text = exports.to_gpx(hostile())
    assert "<img" not in text and "<script" not in text and "javascript:" not in text and "\x0b" not in text
    gpx = gpxpy.parse(text)
    assert gpx.name == 'Plan "<script>alert(1)</script>" & more' and gpx.link is None
    assert gpx.waypoints[0].name == f"{HOSTILE_NAME} / {HOSTILE_FORMULA}"
    assert '</desc></wpt><script>alert("x")</script> @SUM(A1)' in gpx.waypoints[0].description
    assert len(gpx.waypoints) == len(gpx.routes[0].points) == 8


def test_hostile_text_survives_ics_and_geojson_as_plain_text() -> None:
    plan = hostile()
    event = _ics_events(exports.to_ics(plan))[0]
    assert event["SUMMARY"] == f"{HOSTILE_NAME} / {HOSTILE_FORMULA}"
    assert "URL" not in event and "javascript" not in str(event["DESCRIPTION"])
    feature = json.loads(exports.to_geojson(plan))["features"][0]
    assert (feature["properties"]["name"], feature["properties"]["name_zh"]) == (
        HOSTILE_NAME,
        HOSTILE_FORMULA,
    )


def test_hostile_access_and_warnings_are_text_in_html_kml_and_gpx() -> None:
    page = exports.to_print_html(hostile())
    assert "<a href=x>" not in page and "<b>step-free" not in page
    assert (
        '<span class="access">&lt;b&gt;step-free&lt;/b&gt; &amp; &lt;a href=x&gt;lift&lt;/a&gt;</span>'
        in page
    )
    assert '<span class="warning">Warning: &lt;script&gt;alert(2)&lt;/script&gt;</span>' in page
    kml = ET.fromstring(exports.to_kml(hostile())).findall(f"{KML}Document/{KML}Placemark")[1]
    description = kml.findtext(f"{KML}description") or ""
    assert "&lt;a href=x&gt;lift&lt;/a&gt;" in description and "<a " not in description
    gpx = gpxpy.parse(exports.to_gpx(hostile()))
    assert f"{HOSTILE_ACCESS}\nWarning: {HOSTILE_WARNING}\n" in gpx.waypoints[1].description


# ------------------------------------------------------------------ notes, access and warnings


def with_warning() -> ExportPlan:
    """The must-go plan on a day its museum is closed (as the schedule warns on a Monday)."""
    base = must_go()
    stops = list(base.stops)
    stops[3] = replace(stops[3], warnings=("Closed on this date",))
    return replace(base, stops=tuple(stops))


def test_note_access_and_warnings_reach_every_export() -> None:
    plan = with_warning()
    museum = plan.stops[3]
    assert museum.note.startswith("Free entry with a passport") and museum.access == "Wheelchair accessible"
    lines = (museum.note, "Wheelchair accessible", "Warning: Closed on this date")
    gpx = gpxpy.parse(exports.to_gpx(plan)).waypoints[3].description
    assert gpx.endswith("\n".join(lines))
    event = _ics_events(exports.to_ics(plan))[3]
    assert str(event["DESCRIPTION"]).startswith("\n".join(lines) + "\n\nTravel before: 20 min")
    row = _csv_rows(exports.to_csv(plan))[3]
    assert (row["note"], row["access"], row["warnings"]) == (
        museum.note,
        "Wheelchair accessible",
        "Closed on this date",
    )
    placemark = ET.fromstring(exports.to_kml(plan)).findall(f"{KML}Document/{KML}Placemark")[3]
    assert (placemark.findtext(f"{KML}description") or "").endswith("<br>".join(lines))
    properties = json.loads(exports.to_geojson(plan))["features"][3]["properties"]
    assert (
        properties["warnings"] == ["Closed on this date"] and properties["access"] == "Wheelchair accessible"
    )
    page = exports.to_print_html(plan)
    assert (
        '<span class="access">Wheelchair accessible</span><span class="warning">Warning: Closed on this date</span></td>'
        in page
    )


def test_warnings_are_labelled_in_chinese() -> None:
    plan = replace(with_warning(), lang="zh")
    assert "注意：Closed on this date" in gpxpy.parse(exports.to_gpx(plan)).waypoints[3].description
    assert '<span class="warning">注意：Closed on this date</span>' in exports.to_print_html(plan)


def test_export_stop_keeps_warnings_as_a_tuple() -> None:
    stop = replace(must_go().stops[0], warnings=["Closed on this date"])  # type: ignore[arg-type]
    assert stop.warnings == ("Closed on this date",)
    assert hash(stop)  # frozen and hashable: the page caches exports per plan


# ------------------------------------------------------------------ QR codes

QR_URLS = [
    MUST_GO_URL,
    "http://localhost:8501/plan?city=seattle",
    "https://explore.cityplus.example/plan?title=%E6%B7%B1%E5%9C%B3&stops=" + ",".join(["oct-loft"] * 30),
]


def _decode(image: Image.Image) -> zxingcpp.Barcode:
    (barcode,) = zxingcpp.read_barcodes(image)
    return barcode


@pytest.mark.parametrize("url", QR_URLS)
def test_qr_png_decodes_to_the_exact_url(url: str) -> None:
    image = Image.open(io.BytesIO(exports.qr_png(url)))
    barcode = _decode(image)
    assert (barcode.text, barcode.format, barcode.ec_level) == (url, zxingcpp.BarcodeFormat.QRCode, "M")
    assert image.width % 8 == 0
    assert image.convert("L").getpixel((4 * 8 - 1, 4 * 8 - 1)) == 255  # quiet zone: 4 modules of 8 px


def _rasterise_segno_svg(svg: str) -> Image.Image:
    """Draw the SVG's one path the way a renderer would: segno writes 1-module strokes along rows."""
    root = ET.fromstring(svg)
    (path,) = root.iter("{http://www.w3.org/2000/svg}path")
    scale = float(re.fullmatch(r"scale\((\d+)\)", path.get("transform", "scale(1)")).group(1))  # type: ignore[union-attr]
    assert path.get("stroke") == "#000" and path.get("fill") is None
    image = Image.new("L", (int(root.get("width", "0")), int(root.get("height", "0"))), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, dx, dy in re.findall(r"([Mmhv])(-?[\d.]+)(?: (-?[\d.]+))?", path.get("d", "")):
        if command in "Mm":
            x, y = (float(dx), float(dy)) if command == "M" else (x + float(dx), y + float(dy))
        elif command == "h":
            draw.rectangle(
                [x * scale, (y - 0.5) * scale, (x + float(dx)) * scale - 1, (y + 0.5) * scale - 1], fill=0
            )
            x += float(dx)
        else:
            raise AssertionError(f"unexpected path command {command}")
    return image


@pytest.mark.parametrize("url", QR_URLS)
def test_qr_svg_is_well_formed_and_decodes_to_the_exact_url(url: str) -> None:
    svg = exports.qr_svg(url)
    assert svg.startswith('<?xml version="1.0" encoding="utf-8"?>')
    barcode = _decode(_rasterise_segno_svg(svg))
    assert (barcode.text, barcode.ec_level) == (url, "M")


def test_qr_svg_and_png_draw_the_same_symbol() -> None:
    png = Image.open(io.BytesIO(exports.qr_png(MUST_GO_URL))).convert("L")
    svg = _rasterise_segno_svg(exports.qr_svg(MUST_GO_URL))
    assert png.size == svg.size and png.tobytes() == svg.tobytes()


@pytest.mark.parametrize(
    "url", ["", "javascript:alert(1)", "data:text/html,x", "/plan?x=1", 'https://x/"><b>']
)
def test_qr_refuses_links_that_are_not_http(url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        exports.qr_png(url)
    with pytest.raises(ValueError, match="http"):
        exports.qr_svg(url)


# ------------------------------------------------------------------ input checks and helpers


@pytest.mark.parametrize(
    "url",
    [
        MUST_GO_URL,
        " https://a.example/x ",
        "HTTP://A.EXAMPLE",
        "javascript:alert(1)",
        "ftp://x",
        "",
        "https://a b",
    ],
)
def test_share_link_follows_maps_safe_url(url: str) -> None:
    assert exports.share_link(url) == maps.safe_url(url)


@pytest.mark.parametrize(
    ("name", "name_zh", "lang", "expected"),
    [
        ("Guomao Building", "国贸大厦", "en", "Guomao Building / 国贸大厦"),
        ("Guomao Building", "国贸大厦", "zh", "国贸大厦 / Guomao Building"),
        ("Kerry Park", "", "zh", "Kerry Park"),
        ("", "国贸大厦", "en", "国贸大厦"),
        ("Same", "Same", "en", "Same"),
        ("  two\n lines ", " 名\t称 ", "en", "two lines / 名 称"),
    ],
)
def test_stop_label(name: str, name_zh: str, lang: str, expected: str) -> None:
    stop = replace(must_go().stops[0], name=name, name_zh=name_zh)
    assert exports.stop_label(stop, lang=lang) == expected


NAIVE = datetime(2026, 12, 5, 9, 0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"arrive": NAIVE}, "arrive must be a timezone-aware datetime"),
        ({"depart": NAIVE + timedelta(hours=1)}, "depart must be a timezone-aware datetime"),
        ({"depart": datetime(2026, 12, 5, 8, 0, tzinfo=SHANGHAI)}, "depart is before arrive"),
        ({"lat": 91.0}, "lat 91.0 is not in -90..90"),
        ({"lon": float("nan")}, "lon nan is not in -180..180"),
        ({"travel_minutes": -1.0}, "travel_minutes must be a number >= 0"),
    ],
)
def test_export_stop_rejects_bad_values(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        replace(must_go().stops[0], **change)


def test_export_plan_reports_every_problem() -> None:
    with pytest.raises(ValueError) as error:
        replace(must_go(), timezone="Mars/Olympus", stops=(), lang="fr")
    assert str(error.value) == (
        "unknown time zone 'Mars/Olympus'; a plan needs at least one stop; lang must be one of en, zh, not 'fr'"
    )


def test_stops_in_another_time_zone_are_shown_in_the_city_time() -> None:
    plan = must_go()
    in_utc = replace(
        plan,
        stops=tuple(
            replace(s, arrive=s.arrive.astimezone(UTC), depart=s.depart.astimezone(UTC)) for s in plan.stops
        ),
    )
    assert exports.to_ics(in_utc) == exports.to_ics(plan)
    assert exports.to_print_html(in_utc) == exports.to_print_html(plan)


def test_the_must_go_plan_is_built_from_the_real_data() -> None:
    assert (
        must_go().stops[0].id == "shenzhen-guomao-building"
        and must_go().stops[-1].id == "shenzhen-talent-park"
    )
    assert [s.arrive.strftime("%H:%M") for s in must_go().stops][:3] == ["09:00", "10:35", "12:10"]


# ------------------------------------------------------------------ the start's mark and the way back


def start_and_back(lang: str = "en") -> ExportPlan:
    """The first two must-go stops from a hotel and back to it: marked S, 1, 2, S everywhere."""
    first, second = must_go().stops[:2]
    hotel = replace(first, id="origin", name="Hotel <Lido>", name_zh="", address="", note="", access="",
                    lat=22.5431, lon=114.0579, kind=exports.START,
                    arrive=first.arrive - timedelta(minutes=20), depart=first.arrive - timedelta(minutes=20))  # fmt: skip
    home = replace(hotel, kind=exports.RETURN, arrive=second.depart + timedelta(minutes=25),
                   depart=second.depart + timedelta(minutes=25), travel_minutes=25.0, distance_km=4.1)  # fmt: skip
    return replace(must_go(), stops=(hotel, first, second, home), lang=lang)


def test_the_start_and_the_way_back_are_marked_in_every_export() -> None:
    plan = start_and_back()
    assert exports.stop_marks(plan) == ["S", "1", "2", "S"]
    rows = _csv_rows(exports.to_csv(plan))
    assert [r["position"] for r in rows] == ["S", "1", "2", "S"]
    assert (rows[0]["name"], rows[-1]["name"], rows[-1]["travel_minutes"]) == (
        "Hotel <Lido>",
        "Back at Hotel <Lido>",
        "25",
    )
    gpx = gpxpy.parse(exports.to_gpx(plan))
    names = [w.name for w in gpx.waypoints]
    assert names[0] == "S · Hotel <Lido>" and names[-1] == "S · Back at Hotel <Lido>"
    assert names[1] == f"{plan.stops[1].name} / {plan.stops[1].name_zh}"  # stops: their order is their number
    route = gpx.routes[0].points
    assert len(route) == 4 and (route[0].latitude, route[0].longitude) == (
        route[-1].latitude,
        route[-1].longitude,
    )
    events = list(icalendar.Calendar.from_ical(exports.to_ics(plan)).walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events][::3] == ["S · Hotel <Lido>", "S · Back at Hotel <Lido>"]
    kml = ET.fromstring(exports.to_kml(plan))
    marks = kml.findall(f".//{KML}Placemark")
    assert [m.get("id") for m in marks] == ["start", "stop-1", "stop-2", "return", "route"]
    assert marks[1].findtext(f"{KML}name", "").startswith("1. ")
    assert marks[3].findtext(f"{KML}name") == "S · Back at Hotel <Lido>"
    line = marks[-1].findtext(f".//{KML}coordinates", "").split()
    assert len(line) == 4 and line[0] == line[-1]
    geo = json.loads(exports.to_geojson(plan))
    points = [f["properties"] for f in geo["features"] if f["geometry"]["type"] == "Point"]
    assert [(p["kind"], p["position"], p["mark"]) for p in points] == [
        ("start", None, "S"), ("stop", 1, "1"), ("stop", 2, "2"), ("return", None, "S"),
    ]  # fmt: skip
    coordinates = geo["features"][-1]["geometry"]["coordinates"]
    assert len(coordinates) == 4 and coordinates[0] == coordinates[-1]
    html_text = exports.to_print_html(plan)
    assert re.findall(r'<td class="num">(.*?)</td>', html_text) == ["S", "1", "2", "S"]
    assert "<strong>Back at Hotel &lt;Lido&gt;</strong>" in html_text


def test_the_start_is_marked_in_chinese() -> None:
    plan = start_and_back("zh")
    assert exports.stop_marks(plan) == ["起点", "1", "2", "起点"]
    assert [r["position"] for r in _csv_rows(exports.to_csv(plan))] == ["起点", "1", "2", "起点"]
    assert gpxpy.parse(exports.to_gpx(plan)).waypoints[-1].name == "起点：回到Hotel <Lido>"


def test_a_start_comes_first_and_a_return_last() -> None:
    plan = start_and_back()
    with pytest.raises(ValueError, match="a start comes first and a return last"):
        replace(plan, stops=(plan.stops[1], plan.stops[0]))
    with pytest.raises(ValueError, match="kind must be one of start, stop, return"):
        replace(plan.stops[1], kind="detour")
