"""The city accounts in a browser: a story stepped by button and by keyboard moves the map, and
the network map draws an arc for every partner city and opens a city's page from its marker."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from itinerary import seed
from tests.browser.conftest import (
    LEAFLET_HOOK,
    AppServer,
    Contexts,
    Traffic,
    map_frame,
    screenshot,
    settled,
    start_server,
    stop_server,
    wait_ready,
)
from tests.conftest import DATA

SHIPPED = seed.load_dir(DATA)
LANDMARKS = {lm.id: lm for lm in SHIPPED.landmarks}
STORY = sorted((c for c in SHIPPED.chapters if c.story_id == "shenzhen-speed"), key=lambda c: c.position)

CENTER_JS = """() => { const maps = window.__cpMaps || []; const m = maps[maps.length - 1];
  if (!m) return null; const c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; }"""
NEAR_JS = """([lat, lon]) => { const maps = window.__cpMaps || []; const m = maps[maps.length - 1];
  if (!m) return false; const c = m.getCenter(); return Math.abs(c.lat - lat) < 1e-3 && Math.abs(c.lng - lon) < 1e-3; }"""


def place(n: int) -> tuple[float, float]:
    """Where chapter ``n`` (1-based) of the Shenzhen story is."""
    lm = LANDMARKS[STORY[n - 1].landmark_id]
    return lm.lat, lm.lon


def wait_map_at(page: Page, n: int) -> None:
    frame = map_frame(page)
    frame.wait_for_function(NEAR_JS, arg=list(place(n)), timeout=30_000)  # type: ignore[attr-defined]


def test_stepping_through_a_story_by_button_and_keyboard_moves_the_map(
    page: Page, app_server: AppServer, traffic: Traffic
) -> None:
    page.goto(f"{app_server.url}/city?city=shenzhen&story=shenzhen-speed")
    wait_ready(page)
    wait_map_at(page, 1)
    expect(page.get_by_role("status")).to_contain_text(f"Chapter 1 of {len(STORY)}: {STORY[0].title}")

    page.get_by_role("button", name="Next").click()
    wait_ready(page)
    expect(page).to_have_url(re.compile(r"chapter=2"))
    expect(page.get_by_role("heading", name=STORY[1].title)).to_be_visible()
    wait_map_at(page, 2)

    page.locator("body").press("ArrowRight")  # the keyboard, anywhere on the page but in a field
    wait_ready(page)
    expect(page).to_have_url(re.compile(r"chapter=3"))
    wait_map_at(page, 3)
    screenshot(page, "story-chapter-3")

    page.keyboard.press("ArrowLeft")
    wait_ready(page)
    expect(page).to_have_url(re.compile(r"chapter=2"))
    wait_map_at(page, 2)
    expect(page.get_by_role("status")).to_contain_text(f"Chapter 2 of {len(STORY)}")
    assert traffic.app_errors() == []


def test_a_story_link_opens_its_chapter_and_the_chapter_map(page: Page, app_server: AppServer) -> None:
    page.goto(f"{app_server.url}/city?city=shenzhen&story=shenzhen-speed&chapter=4&lang=zh")
    wait_ready(page)
    expect(page.get_by_role("heading", name=STORY[3].title_zh)).to_be_visible()
    wait_map_at(page, 4)
    expect(page.get_by_role("button", name="下一章")).to_be_disabled()


ARCS_JS = "() => document.querySelectorAll('path.cp-arc').length"


def open_network(page: Page, app_server: AppServer) -> tuple[object, seed.Dataset]:
    """Open /network and wait until its map has drawn an arc for every partner city; the map's
    frame, and the cities the server was seeded with (the shipped ones and the hostile one)."""
    page.goto(f"{app_server.url}/network")
    wait_ready(page)
    frame = map_frame(page)
    served = seed.load_dir(app_server.data_dir)
    partners = [c for c in served.cities if c.partnership != "home"]
    frame.wait_for_function(f"() => ({ARCS_JS})() === {len(partners)}", timeout=30_000)  # type: ignore[attr-defined]
    return frame, served


def test_the_network_draws_an_arc_for_every_partner_and_a_marker_opens_the_city(
    page: Page, app_server: AppServer, traffic: Traffic
) -> None:
    frame, served = open_network(page, app_server)
    partners = [c for c in served.cities if c.partnership != "home"]
    assert frame.evaluate(ARCS_JS) == len(partners)  # type: ignore[attr-defined]
    kinds = frame.evaluate(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll('path.cp-arc')].map((p) => p.getAttribute('class'))"
    )
    assert sum("cp-arc-sister-city" in k for k in kinds) == sum(
        c.partnership == "sister-city" for c in partners
    )
    screenshot(page, "network")

    frame.locator("[data-city='seattle']").click()  # type: ignore[attr-defined]
    wait_ready(page)
    expect(page).to_have_url(re.compile(r"city=seattle"))
    card = page.locator(".st-key-scroll_network")
    expect(card.get_by_role("heading", name="Seattle")).to_be_visible()
    card.get_by_role("link", name="About Seattle: the city account").click()
    wait_ready(page)
    expect(page).to_have_url(re.compile(r"/city\?city=seattle"))
    expect(page.get_by_role("heading", name="Seattle", level=1)).to_be_visible()
    assert traffic.app_errors() == []


# Every marker's city with the margins that place it, and the pairs of markers whose boxes overlap
# by more than 2 px each way.
MARKERS_JS = """() => [...document.querySelectorAll('.leaflet-marker-icon')].map((e) => ({
  city: e.querySelector('[data-city]').dataset.city, margins: [e.style.marginLeft, e.style.marginTop]}))"""
COVERING_JS = """() => {
  const boxes = [...document.querySelectorAll('.leaflet-marker-icon')].map((e) =>
    [e.querySelector('[data-city]').dataset.city, e.getBoundingClientRect()]);
  const pairs = [];
  boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
    if (Math.min(p.right, q.right) - Math.max(p.left, q.left) > 2
        && Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 2) { pairs.push([a, b]); }
  }));
  return pairs;
}"""
# Zoom the map on the page (a late render of the frame makes a new map: the last one still in the
# document) to [lat, lon] at zoom, without animation: true once it is there (the markers are spread
# again on its zoomend, at once), else it sets the view and is asked again.
ZOOMED_JS = """([lat, lon, zoom]) => {
  const map = (window.__cpMaps || []).filter((m) => m.getContainer().isConnected).pop();
  if (!map) { return false; }
  if (map.getZoom() === zoom) { return true; }
  map.setView([lat, lon], zoom, {animate: false});
  return false;
}"""


def zoom(frame: object, lat: float, lon: float, level: int) -> None:
    frame.wait_for_function(ZOOMED_JS, arg=[lat, lon, level], timeout=15_000)  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)])
def test_no_marker_of_the_network_covers_another_and_the_hague_opens_its_city(
    contexts: Contexts, app_server: AppServer, size: tuple[int, int]
) -> None:
    with contexts.tab(*size) as page:
        frame, served = open_network(page, app_server)
        assert sorted(m["city"] for m in frame.evaluate(MARKERS_JS)) == sorted(c.id for c in served.cities)  # type: ignore[attr-defined]
        # Liège and The Hague are a few pixels apart at this zoom: once the map has its view
        # (streamlit-folium sets it after drawing the layer), no marker covers another
        frame.wait_for_function(f"() => ({COVERING_JS})().length === 0", timeout=15_000)  # type: ignore[attr-defined]
        settled(page)  # a late render of the frame would set the first view again over the zoom below
        # zoomed in on the Low Countries, both markers are back on their cities
        zoom(frame, 51.4, 4.9, 7)
        placed = {m["city"]: m["margins"] for m in frame.evaluate(MARKERS_JS)}  # type: ignore[attr-defined]
        assert placed["the-hague"] == placed["liege"] == ["-15px", "-15px"]
        zoom(frame, 30, 60, 1)
        assert frame.evaluate(COVERING_JS) == []  # type: ignore[attr-defined]
        # Playwright's own scrolling of an element inside the map's frame misplaces the click
        # (on a phone the map is below the fold): the frame is brought into view first
        page.locator("iframe[data-testid='stCustomComponentV1']").scroll_into_view_if_needed()
        settled(page)
        frame.locator("[data-city='the-hague']").click()  # type: ignore[attr-defined]  # under Liège's, once
        wait_ready(page)
        expect(page).to_have_url(re.compile(r"city=the-hague"))
        expect(
            page.locator(".st-key-scroll_network").get_by_role("heading", name="The Hague")
        ).to_be_in_viewport()


# --- the kiosk's loop runs the city's stories too --------------------------------------------------


@pytest.fixture(scope="session")  # a server: see the conftest docstring
def kiosk_server(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[AppServer]:
    tmp = tmp_path_factory.mktemp("kiosk-story")
    shutil.copytree(DATA, tmp / "data")
    server = start_server(tmp, tmp / "data", {"CITYPLUS_KIOSK_INTERVAL": "1", "CITYPLUS_KIOSK_IDLE": "600"})
    yield server
    stop_server(server)


def test_the_kiosk_loop_includes_a_story(browser: Browser, kiosk_server: AppServer) -> None:
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.add_init_script(LEAFLET_HOOK)
    page = context.new_page()
    try:
        page.goto(kiosk_server.url + "/kiosk?city=tsukuba")  # 4 stops, then a story of 3 chapters
        story = next(s for s in SHIPPED.stories if s.city_id == "tsukuba")
        first = sorted((c for c in SHIPPED.chapters if c.story_id == story.id), key=lambda c: c.position)[0]
        card = page.locator(f"[data-kiosk-story='{story.id}'][data-kiosk-chapter='1']")
        expect(card).to_be_visible(timeout=60_000)  # an upper bound of the wait, not a delay
        expect(card.locator("h2")).to_have_text(first.title)
        lm = LANDMARKS[first.landmark_id]
        map_frame(page).wait_for_function(NEAR_JS, arg=[lm.lat, lm.lon], timeout=30_000)  # type: ignore[attr-defined]
        screenshot(page, "kiosk-story")
    finally:
        context.close()


SWIPE_JS = """([dx]) => {
  const view = document.querySelector(".st-key-story_view");
  const box = view.getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + 40;
  const touch = (cx) => new Touch({identifier: 1, target: view, clientX: cx, clientY: y});
  view.dispatchEvent(new TouchEvent("touchstart", {touches: [touch(x)], changedTouches: [touch(x)], bubbles: true}));
  view.dispatchEvent(new TouchEvent("touchend", {touches: [], changedTouches: [touch(x + dx)], bubbles: true}));
}"""


def test_a_swipe_on_a_phone_turns_the_chapter(browser: Browser, app_server: AppServer) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    context.add_init_script(LEAFLET_HOOK)
    page = context.new_page()
    try:
        page.goto(f"{app_server.url}/city?city=shenzhen&story=shenzhen-speed&lang=zh")
        wait_ready(page)
        wait_map_at(page, 1)
        page.evaluate(SWIPE_JS, [-150])  # right to left: the next chapter
        wait_ready(page)
        expect(page).to_have_url(re.compile(r"chapter=2"))
        wait_map_at(page, 2)
        page.evaluate(SWIPE_JS, [150])  # left to right: back
        wait_ready(page)
        expect(page).not_to_have_url(re.compile(r"chapter="))
        wait_map_at(page, 1)
    finally:
        context.close()
