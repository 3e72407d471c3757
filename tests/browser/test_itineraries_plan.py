"""Itineraries and Plan my route in Chromium: routes on the map, clicks, optimising, downloads."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date

import gpxpy
import icalendar
from playwright.sync_api import Page, Request, expect

from itinerary import counts, seed, store
from itinerary.counts import figures
from tests.browser.conftest import AppServer, Traffic, map_frame, pins, screenshot, wait_ready
from tests.browser.test_voice import figures_when
from tests.conftest import DATA

SHIPPED = seed.load_dir(DATA)
MUST_GO = [s.landmark_id for s in SHIPPED.stops if s.itinerary_id == "shenzhen-must-go"]


def route_stops(page: Page, expected: int) -> list[str]:
    frame = map_frame(page)
    locator = frame.locator(".cp-num")  # type: ignore[attr-defined]
    expect(locator).to_have_count(expected, timeout=20_000)
    return [locator.nth(i).get_attribute("data-landmark-id") or "" for i in range(expected)]


def test_itinerary_route_draws_in_order(page: Page, app_server: AppServer, traffic: Traffic) -> None:
    page.goto(app_server.url + "/itineraries?itinerary=shenzhen-must-go")
    wait_ready(page)
    assert route_stops(page, 8) == MUST_GO
    frame = map_frame(page)
    assert frame.locator(".cp-arrow").count() == 7  # type: ignore[attr-defined]  # one per leg
    expect(page.get_by_text("Inclusive experience", exact=False).first).to_be_visible()
    screenshot(page, "itinerary-must-go-desktop")
    assert traffic.outside == [] and traffic.failed == [] and traffic.app_errors() == []


def test_switching_to_transit_then_customise(page: Page, app_server: AppServer) -> None:
    page.goto(app_server.url + "/itineraries?itinerary=shenzhen-must-go&mode=walk")
    wait_ready(page)
    page.get_by_role("radio", name="Public transport").click()
    wait_ready(page)
    expect(page.get_by_text("by public transport (estimate)").first).to_be_visible()
    page.get_by_role("link", name="Customise in Plan my route").click()
    wait_ready(page)
    assert "/plan?" in page.url and "stops=" + "%2C".join(MUST_GO) in page.url.replace(",", "%2C")
    assert "mode=transit" in page.url
    assert route_stops(page, 8) == MUST_GO


def test_a_pin_click_adds_a_stop(page: Page, app_server: AppServer) -> None:
    page.set_viewport_size({"width": 1440, "height": 1300})
    page.goto(app_server.url + "/plan?city=seattle&stops=pike-place-market")
    wait_ready(page)
    pins(page, 7)
    frame = map_frame(page)
    page.locator("iframe[data-testid='stCustomComponentV1']").first.scroll_into_view_if_needed()
    frame.evaluate(  # type: ignore[attr-defined]
        """() => new Promise((done) => {
            window.__cpMaps[0].eachLayer((layer) => {
              if (layer.getLayers && layer._featureGroup) {
                const m = layer.getLayers().find((x) => x.options.landmarkId === "space-needle");
                layer.zoomToShowLayer(m, () => setTimeout(done, 300));
              }
            });
        })"""
    )
    frame.locator(".cp-pin >> xpath=..").locator("xpath=self::*[@data-landmark-id='space-needle']").click()  # type: ignore[attr-defined]
    # the click reaches the server as the map component's value, which may start the rerun later
    # than wait_ready's quiet time on a loaded machine: wait for the link to change first
    page.wait_for_function("() => location.search.includes('space-needle')", timeout=30_000)
    wait_ready(page)
    assert (
        "stops=pike-place-market%2Cspace-needle" in page.url
        or "stops=pike-place-market,space-needle" in page.url
    )
    assert route_stops(page, 2) == ["pike-place-market", "space-needle"]


def test_optimise_changes_order_and_url(page: Page, app_server: AppServer) -> None:
    zigzag = [
        "shenzhen-guomao-building",
        "oct-loft",
        "huaqiang-north",
        "shenzhen-bay-park",
        "lianhuashan-park",
    ]
    page.goto(app_server.url + "/plan?stops=" + ",".join(zigzag) + "&date=2026-12-01&mode=transit")
    wait_ready(page)
    assert route_stops(page, 5) == zigzag
    page.get_by_role("button", name="Optimise order").click()
    wait_ready(page)
    expect(page.get_by_text("New order: about")).to_be_visible()
    new = route_stops(page, 5)
    assert new[0] == zigzag[0] and new != zigzag and sorted(new) == sorted(zigzag)
    assert ",".join(new) in page.url.replace("%2C", ",")


def test_downloads_are_valid_files(page: Page, app_server: AppServer) -> None:
    page.goto(
        app_server.url + "/plan?stops=oct-loft,huaqiang-north,ping-an-finance-center&date=2026-12-01&lang=zh"
    )
    wait_ready(page)
    database = store.Store(f"sqlite:///{app_server.data_dir.parent / 'browser.db'}")
    before = exports_counted(database)
    files: dict[str, bytes] = {}
    for label in (
        "GPX（地图应用）",
        "日历（.ics）",
        "GeoJSON 数据",
        "表格（CSV）",
        "KML（谷歌地球）",
        "打印版页面",
        "二维码（PNG）",
    ):
        with page.expect_download() as info:
            page.get_by_role("button", name=label).click()
        download = info.value
        path = download.path()
        files[download.suggested_filename.rsplit(".", 1)[-1]] = open(path, "rb").read()  # noqa: SIM115
    gpx = gpxpy.parse(files["gpx"].decode())
    assert [w.name for w in gpx.waypoints][1].startswith("华强北") or "Huaqiang" in gpx.waypoints[1].name
    assert len(gpx.routes[0].points) == 3
    cal = icalendar.Calendar.from_ical(files["ics"])
    assert len([c for c in cal.walk("VEVENT")]) == 3
    geo = json.loads(files["geojson"])
    assert geo["type"] == "FeatureCollection" and geo["features"][0]["geometry"]["coordinates"][0] > 100
    rows = list(csv.DictReader(io.StringIO(files["csv"].decode("utf-8-sig"))))
    assert rows[1]["name_zh"] == "华强北"
    ET.fromstring(files["kml"])
    assert b"<script" not in files["html"] and "华强北".encode() in files["html"]
    assert files["png"].startswith(b"\x89PNG")
    # each file fetched counts one export of its format (Curate's Reach), with no rerun of the page
    formats = ("gpx", "ics", "geojson", "csv", "kml", "html")
    after = figures_when(database, lambda _: all(exports_counted(database)[f] > before[f] for f in formats))
    assert {f: exports_counted(database)[f] - before[f] for f in formats} == dict.fromkeys(formats, 1), after
    database.engine.dispose()
    screenshot(page, "plan-zh-desktop")


def exports_counted(database: store.Store) -> Counter[str]:
    """Plan exports counted so far, per format (the figures Curate's Reach reads)."""
    frame = figures.read(database, ["shenzhen"], date(2000, 1, 1), date(2100, 1, 1))
    exported = frame[frame["event"] == counts.EXPORT]
    return Counter({str(k): int(n) for k, n in exported.groupby("key")["n"].sum().items()})


def test_deep_link_to_plan_in_a_new_session(page: Page, app_server: AppServer, traffic: Traffic) -> None:
    # a QR code opens /plan directly: Streamlit runs pages/plan.py without app.py
    page.goto(app_server.url + "/plan?stops=oct-loft&lang=zh")
    wait_ready(page)
    expect(page.get_by_role("heading", name="规划深圳路线")).to_be_visible()
    sidebar = page.locator("[data-testid='stSidebar']")
    for label in ("探索", "精选行程", "规划我的路线"):
        expect(sidebar.get_by_text(label, exact=True)).to_be_visible()
    expect(sidebar.get_by_text("app", exact=True)).to_have_count(0)  # no raw file names
    assert traffic.failed == [] and traffic.app_errors() == []


def test_plan_on_a_phone(page: Page, app_server: AppServer) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(app_server.url + "/plan?stops=oct-loft,huaqiang-north&date=2026-12-01")
    wait_ready(page)
    route_stops(page, 2)
    screenshot(page, "plan-phone-en")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_visitor_journey_must_go_to_calendar_gpx_and_qr(page: Page, app_server: AppServer) -> None:
    """The issue's 'done when': open the must-go itinerary, switch to transit, customise it,
    optimise it, and leave with a QR code, a calendar and a GPX file that other programs open."""
    import zxingcpp
    from PIL import Image

    page.set_viewport_size({"width": 1440, "height": 1000})
    page.goto(app_server.url + "/itineraries")
    wait_ready(page)
    # the must-go card's own button: a click on "the first button" could land on the next card's
    # when the list still moves under a loaded machine
    must_go = page.locator(".st-key-show_shenzhen-must-go").get_by_role("button", name="Show this itinerary")
    must_go.click()
    wait_ready(page)
    assert "itinerary=shenzhen-must-go" in page.url
    page.get_by_role("radio", name="Public transport").click()
    wait_ready(page)
    page.get_by_role("link", name="Customise in Plan my route").click()
    wait_ready(page)
    page.get_by_role("button", name="Optimise order").click()
    wait_ready(page)
    # the curated order is already the shortest: said so, not "100 min instead of 100 min" (#17)
    expect(page.get_by_text("This order is already the shortest: about")).to_be_visible()
    link = page.locator(".cp-share-link").first.inner_text().strip()
    assert "/plan?city=shenzhen&stops=" in link and "mode=transit" in link
    got: dict[str, bytes] = {}
    for label in ("Calendar (.ics)", "GPX (maps apps)", "QR code (PNG)"):
        with page.expect_download() as info:
            page.get_by_role("button", name=label).click()
        got[label] = open(info.value.path(), "rb").read()  # noqa: SIM115
    events = list(icalendar.Calendar.from_ical(got["Calendar (.ics)"]).walk("VEVENT"))
    assert len(events) == 8
    assert str(events[0]["DTSTART"].dt.tzinfo) == "Asia/Shanghai"
    assert len(gpxpy.parse(got["GPX (maps apps)"].decode()).waypoints) == 8
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(got["QR code (PNG)"])))
    assert [d.text for d in decoded] == [link]


NO_CLIPBOARD_API = "Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });"


def test_copy_link_copies_the_plan_link_and_says_so(
    page: Page, app_server: AppServer, traffic: Traffic
) -> None:
    """Plan's link in full, with a button that copies it: to the clipboard and "Link copied" read
    out; where the Clipboard API is missing (a page on a plain-HTTP address), the link is
    selected and copied by the browser's copy command. No code block: the page never fetches the
    syntax highlighter (ui/sharelink.py)."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_server.url)
    fetched: list[str] = []

    def fetch(request: Request) -> None:
        fetched.append(request.url)

    page.on("request", fetch)
    page.goto(app_server.url + "/plan?city=shenzhen&stops=oct-loft,huaqiang-north&date=2026-12-01")
    wait_ready(page)
    shown = page.locator(".cp-share-link")
    expect(shown).to_have_count(1)
    link = shown.inner_text().strip()
    assert "/plan?city=shenzhen&stops=oct-loft,huaqiang-north&" in link and "date=2026-12-01" in link
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status").filter(has_text="Link copied")).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == link
    assert not [u for u in fetched if "SyntaxHighlighter" in u]
    page.remove_listener("request", fetch)

    # a page of its own without the Clipboard API: an init script stays with its page, and the
    # fixture's page goes on to the next test (conftest.Contexts)
    bare = page.context.new_page()
    bare.on("pageerror", lambda e: traffic.console_errors.append(str(e)))
    bare.on("console", lambda m: traffic.console_errors.append(m.text) if m.type == "error" else None)
    try:
        bare.add_init_script(NO_CLIPBOARD_API)
        bare.goto(app_server.url + "/plan?city=shenzhen&stops=oct-loft&date=2026-12-01&lang=zh")
        wait_ready(bare)
        bare.get_by_role("button", name="复制链接").click()
        expect(bare.get_by_role("status").filter(has_text="链接已复制")).to_be_visible()
        assert (
            bare.evaluate("() => window.getSelection().toString()")
            == bare.locator(".cp-share-link").inner_text()
        )
    finally:
        bare.close()
    assert traffic.app_errors() == []


# A stop's row at 390 px (it was about 230 px a stop): its name and must-see box beside one line
# of ↑ ↓ × buttons, 60 px measured; a name that wraps to two lines makes it 86 px.
PHONE_ROW_PX = 64
PHONE_ROW_TWO_LINES_PX = 96
SHORT_NAMES = ("huaqiang-north", "lianhuashan-park")


def test_plan_rows_are_one_line_on_a_phone(page: Page, app_server: AppServer) -> None:
    """At 390x844 each stop is one row: its name and must-see box beside its ↑ ↓ × buttons, on
    one line, which keep their names and at least 24 px targets; the start has its row, marked S."""
    ids = ["oct-loft", "huaqiang-north", "shenzhen-museum", "lianhuashan-park"]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(
        app_server.url + f"/plan?stops={','.join(ids)}&date=2026-12-01&origin=22.54,114.05&origin_name=Hotel"
    )
    wait_ready(page)
    route_stops(page, len(ids) + 1)
    heights = []
    for number, lid in enumerate(ids, start=1):
        row = page.locator(f".st-key-plan_row_{lid}")
        expect(row).to_be_visible()
        box = row.bounding_box()
        assert box is not None
        heights.append(box["height"])
        expect(row).to_contain_text(f"{number}. ")
        tops = set()
        for name in ("Move up", "Move down", "Remove"):
            target = row.get_by_role("button", name=name).bounding_box()
            assert target is not None and min(target["width"], target["height"]) >= 24, (lid, name, target)
            assert box["y"] <= target["y"] and target["y"] + target["height"] <= box["y"] + box["height"]
            tops.add(round(target["y"]))
        assert len(tops) == 1, (lid, tops)  # ↑ ↓ × on one line
        expect(row.get_by_role("checkbox", name="Must-see")).to_be_visible()
        assert box["height"] <= (PHONE_ROW_PX if lid in SHORT_NAMES else PHONE_ROW_TWO_LINES_PX), (lid, box)
    print("plan row heights at 390 px:", heights)
    page.locator(f".st-key-plan_row_{ids[0]}").scroll_into_view_if_needed()
    screenshot(page, "plan-phone-rows-en", whole=False)
    expect(page.get_by_text("S · Hotel", exact=True).first).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_the_date_picker_follows_the_browser_language(browser: object, app_server: AppServer) -> None:
    """Streamlit's calendar takes its month and day names from the browser's language
    (``navigator.language``), not from the page's: st.date_input has no locale parameter
    (streamlit/streamlit#12699). A phone set to Chinese gets a Chinese calendar on ?lang=zh;
    an English browser gets an English one, even there. This test notices when that changes."""
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    for locale, month in (("zh-CN", "十二月"), ("en-US", "December")):
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale=locale)  # offline
        try:
            page = context.new_page()
            page.goto(app_server.url + "/plan?lang=zh&date=2026-12-05&stops=oct-loft")
            wait_ready(page)
            page.locator("[data-testid=stDateInput] button").first.click()
            expect(page.get_by_text(month, exact=False).first).to_be_visible()
            screenshot(page, f"plan-date-picker-{locale}", whole=False)
        finally:
            context.close()


def test_a_round_trip_from_a_hotel_is_numbered_alike_on_the_map_the_timeline_and_the_files(
    page: Page, app_server: AppServer
) -> None:
    ids = ["shenzhen-museum", "huaqiang-north", "lianhuashan-park"]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(
        app_server.url + f"/plan?stops={','.join(ids)}&date=2026-12-05"
        "&origin=22.5331,114.0579&origin_name=Hotel%20Lido&round_trip=1"
    )
    wait_ready(page)
    marks = map_frame(page).locator(".cp-num")  # type: ignore[attr-defined]
    expect(marks).to_have_count(4)
    assert [marks.nth(i).inner_text() for i in range(4)] == ["S", "1", "2", "3"]
    assert [marks.nth(i).get_attribute("data-landmark-id") for i in range(4)] == ["origin", *ids]
    expect(page.get_by_text("S · Back at Hotel Lido", exact=True)).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="Spreadsheet (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(open(info.value.path(), "rb").read().decode("utf-8-sig"))))  # noqa: SIM115
    assert [(r["position"], r["id"]) for r in rows] == [
        ("S", "origin"), ("1", ids[0]), ("2", ids[1]), ("3", ids[2]), ("S", "origin"),
    ]  # fmt: skip
    assert rows[-1]["name"] == "Back at Hotel Lido" and float(rows[-1]["travel_minutes"]) > 0
    with page.expect_download() as info:
        page.get_by_role("button", name="GPX (maps apps)").click()
    gpx = gpxpy.parse(open(info.value.path(), encoding="utf-8").read())  # noqa: SIM115
    assert len(gpx.routes[0].points) == 5 and gpx.waypoints[0].name == "S · Hotel Lido"
    screenshot(page, "plan-round-trip-desktop")
