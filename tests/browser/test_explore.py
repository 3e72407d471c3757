"""Explore in headless Chromium: the map offline, pins, clicks, cards, hostile text, screenshots."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from itinerary import seed
from tests.browser.conftest import (
    HOSTILE_NAME,
    AppServer,
    Traffic,
    answer_tiles,
    map_frame,
    pins,
    screenshot,
    settled,
    wait_ready,
)
from tests.conftest import DATA

SHIPPED = seed.load_dir(DATA)


def published(city: str, theme: str | None = None) -> list[str]:
    return sorted(
        lm.id
        for lm in SHIPPED.landmarks
        if lm.city_id == city and lm.status == "published" and (theme is None or theme in lm.themes)
    )


def test_map_renders_offline_with_every_landmark(page: Page, app_server: AppServer, traffic: Traffic) -> None:
    answer_tiles(page)  # a tile server that answers: the map's tiles load
    page.goto(app_server.url + "/")
    wait_ready(page)
    expected = published("shenzhen")
    assert pins(page, len(expected)) == expected
    expect(page.get_by_text(f"{len(expected)} landmarks", exact=True)).to_be_visible()
    # only the app itself and (answered locally) tiles were asked for
    assert traffic.outside == []
    assert traffic.tiles, "the map asked for no tiles at all"
    assert traffic.app_errors() == []
    # every asset the map loads (Leaflet, plugins, fonts, images) is served by the app
    assert traffic.failed == []
    frame = map_frame(page)
    fa = frame.evaluate(  # type: ignore[attr-defined]
        "async () => { await document.fonts.ready; return [...document.fonts]"
        ".some((f) => f.family.includes('Font Awesome') && f.status === 'loaded'); }"
    )
    assert fa, "Font Awesome (the theme icons) did not load"


def test_map_works_when_tiles_cannot_load(page: Page, app_server: AppServer, traffic: Traffic) -> None:
    # an event hall without network: the browser reaches nothing outside (conftest), tiles included
    page.goto(app_server.url + "/?city=seattle")
    wait_ready(page)
    assert pins(page, len(published("seattle"))) == published("seattle")
    page.get_by_role("button", name="Food", exact=True).click()
    wait_ready(page)
    assert pins(page, len(published("seattle", "food"))) == published("seattle", "food")
    assert traffic.tiles and traffic.outside == []


def test_theme_in_the_url_filters_the_pins(page: Page, app_server: AppServer, traffic: Traffic) -> None:
    page.goto(app_server.url + "/?theme=green")
    wait_ready(page)
    expected = published("shenzhen", "green")
    assert 0 < len(expected) < len(published("shenzhen"))
    assert pins(page, len(expected)) == expected
    expect(
        page.get_by_text(f"{len(expected)} of {len(published('shenzhen'))} landmarks match")
    ).to_be_visible()


def test_choosing_a_theme_redraws_the_pins_without_reloading_the_map(
    page: Page, app_server: AppServer
) -> None:
    page.goto(app_server.url + "/?city=seattle")
    wait_ready(page)
    frame = map_frame(page)
    frame.evaluate("() => { window.__marker = 'still here'; }")  # survives only if the map is kept
    assert pins(page, len(published("seattle"))) == published("seattle")
    page.get_by_role("button", name="Food", exact=True).click()
    wait_ready(page)
    assert pins(page, len(published("seattle", "food"))) == published("seattle", "food")
    assert map_frame(page).evaluate("() => window.__marker") == "still here"
    assert map_frame(page).evaluate("() => window.feature_group.length") == 1  # old layers released
    assert "theme=food" in page.url


def test_clicking_a_pin_opens_its_card(page: Page, app_server: AppServer, traffic: Traffic) -> None:
    page.goto(app_server.url + "/?city=seattle")
    wait_ready(page)
    pins(page, len(published("seattle")))
    frame = map_frame(page)
    # Streamlit scrolls its main container, not the document: put the map in view first, since
    # Playwright's own scrolling of an element inside the map's iframe misplaces the click
    page.locator("iframe[data-testid='stCustomComponentV1']").scroll_into_view_if_needed()
    # bring the pin out of its cluster, then click it like a visitor
    frame.evaluate(
        """() => new Promise((done) => {
            const map = window.__cpMaps[0];
            map.eachLayer((layer) => {
              if (layer.getLayers && layer._featureGroup) {
                const m = layer.getLayers().find((x) => x.options.landmarkId === "space-needle");
                layer.zoomToShowLayer(m, () => setTimeout(done, 300));
              }
            });
        })"""
    )
    frame.locator('[data-landmark-id="space-needle"]').click()  # type: ignore[attr-defined]
    wait_ready(page)
    expect(page.get_by_role("heading", name="Space Needle")).to_be_visible()
    assert "landmark=space-needle" in page.url
    assert traffic.app_errors() == []


def test_choosing_in_the_list_opens_the_card(page: Page, app_server: AppServer) -> None:
    page.goto(app_server.url + "/?city=seattle")
    wait_ready(page)
    grid = page.locator("[data-testid='stDataFrame']")
    first = sorted(lm.name for lm in SHIPPED.landmarks if lm.city_id == "seattle")[0]
    # the grid draws on a canvas, and writes its cells into a table behind it once it has drawn
    # them: wait for row 1's name there, and for the page to stop moving, before aiming a click
    # (CI once clicked a grid that was visible but had not drawn its rows yet)
    expect(grid.get_by_test_id("glide-cell-1-0")).to_have_text(first)
    grid.scroll_into_view_if_needed()
    settled(page)
    # the first column of a selectable dataframe holds the row checkboxes; click row 1's
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    wait_ready(page)
    expect(page.get_by_role("heading", name=first)).to_be_visible()


def test_hostile_text_shows_as_text_and_runs_no_script(
    page: Page, app_server: AppServer, traffic: Traffic
) -> None:
    page.goto(app_server.url + "/?city=testville&landmark=hostile-one")
    wait_ready(page)
    expect(page.get_by_role("heading", name=HOSTILE_NAME)).to_be_visible()
    expect(page.get_by_text("<script>alert(3)</script> Summary")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Old <b>Town</b>"))).to_be_visible()
    assert pins(page, 2) == ["hostile-one", "plain-two"]
    frame = map_frame(page)
    pin = frame.locator('[data-landmark-id="hostile-one"]')  # type: ignore[attr-defined]
    pin.hover()
    expect(frame.locator(".leaflet-tooltip")).to_have_text(HOSTILE_NAME)  # type: ignore[attr-defined]
    assert page.locator("img[src='x']").count() == 0
    assert frame.locator("img[src='x']").count() == 0  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")  # every image and script loaded or failed by now
    assert traffic.dialogs == []


@pytest.mark.parametrize(("name", "width", "height"), [("phone", 390, 844), ("desktop", 1440, 900)])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_screenshots(
    page: Page, app_server: AppServer, name: str, width: int, height: int, lang: str
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(app_server.url + f"/?lang={lang}&theme=innovation&landmark=ping-an-finance-center")
    wait_ready(page)
    pins(page, len(published("shenzhen", "innovation")))
    settled(page)
    path = screenshot(page, f"explore-{name}-{lang}")
    assert path.stat().st_size > 10_000
    # nothing sticks out sideways on a phone
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
