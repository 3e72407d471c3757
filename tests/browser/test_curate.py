"""Curate in headless Chromium: sign in, add a landmark by clicking the map, publish it, and
see it on Explore. Runs its own server and database: it changes content."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from itinerary import accounts as acc
from itinerary import curation as cu
from itinerary import seed, store
from tests.browser.conftest import (
    AppServer,
    Traffic,
    map_frame,
    pins,
    screenshot,
    settled,
    start_server,
    stop_server,
    wait_in_some_frame,
    wait_ready,
)
from tests.conftest import DATA, ROOT

PASSWORD = "correct horse battery"
IMPORTS = ROOT / "tests" / "fixtures" / "imports"


@pytest.fixture(scope="session")  # a server: see the conftest docstring
def app_server(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[AppServer]:
    tmp = tmp_path_factory.mktemp("curate")
    data_dir = tmp / "data"
    shutil.copytree(DATA, data_dir)
    database = store.open_store(f"sqlite:///{tmp / 'browser.db'}")
    store.ensure_seeded(database, data_dir)
    acc.AccountStore(database).add("eddie", PASSWORD, acc.EDITOR, ["shenzhen"])
    server = start_server(tmp, data_dir)
    yield server
    stop_server(server)


def type_into(page: Page, label: str, value: str) -> None:
    """Type into a text field and commit it (Tab); again if a rerun in between reset it."""
    box = page.get_by_role("textbox", name=label)
    for _ in range(3):
        box.fill(value)
        box.press("Tab")
        wait_ready(page)
        if box.input_value() == value:
            return
    raise AssertionError(f"{label!r} did not keep {value!r}")


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit selectbox labelled ``label``.

    A rerun that lands just after the click (the map reporting its view, say) closes the list
    again, as it would for a person, who would open it again: so does this."""
    for _ in range(3):
        wait_ready(page)
        page.get_by_label(label, exact=True).click()
        item = page.get_by_role("option", name=option).first
        try:
            item.wait_for(timeout=5_000)
            item.click()
            break
        except PlaywrightTimeout:
            continue
    else:
        raise AssertionError(f"option {option!r} of {label!r} never showed")
    wait_ready(page)


def sign_in(page: Page, url: str) -> None:
    page.goto(url + "/curate")
    wait_ready(page)
    page.get_by_role("textbox", name="User name").fill("eddie")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_ready(page)
    expect(page.get_by_role("heading", name="Curate content")).to_be_visible()


def test_sign_in_add_a_landmark_by_map_click_publish_and_see_it_on_explore(
    page: Page, app_server: AppServer, traffic: Traffic, tmp_path: Path
) -> None:
    # a new browser session opening /curate directly sees nothing but the sign-in form
    page.goto(app_server.url + "/curate")
    wait_ready(page)
    expect(page.get_by_role("heading", name="Staff sign-in")).to_be_visible()
    expect(page.get_by_text("Landmark", exact=True)).to_have_count(0)
    page.get_by_label("User name").fill("eddie")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_ready(page)
    expect(page.get_by_role("heading", name="Curate content")).to_be_visible()

    choose(page, "Landmark", "+ New landmark")
    type_into(page, "Id (stable, used in links)", "talent-park")
    type_into(page, "Name (English)", "Talent Park")
    type_into(page, "Name (Chinese)", "人才公园")
    lat_box = page.get_by_role("spinbutton", name="Latitude (WGS84)")
    before = lat_box.input_value()

    # click the map somewhere south-west of its centre: the position follows the click
    frame = map_frame(page)
    element = frame.frame_element()  # type: ignore[attr-defined]
    element.scroll_into_view_if_needed()
    settled(page)
    box = element.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.35, box["y"] + box["height"] * 0.65)
    wait_ready(page)
    expect(page.get_by_text("Position set from the map click.")).to_be_visible()
    # the message can show before the same run has redrawn the field below it: wait for the field
    expect(lat_box).not_to_have_value(before)
    wait_ready(page)
    after_lat = float(lat_box.input_value())
    assert after_lat != float(before) and after_lat < float(before)

    choose(page, "Status", "published")
    screenshot(page, "curate-landmark-new")
    page.get_by_role("button", name="Save").click()
    wait_ready(page)
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()

    database = store.open_store(f"sqlite:///{app_server.data_dir.parent / 'browser.db'}")
    lm, version = cu.Curator(database).landmark("talent-park")
    assert (lm.status, lm.name_zh, version) == ("published", "人才公园", 1)
    assert abs(lm.lat - after_lat) < 1e-6

    # a visitor's Explore shows it
    page.goto(app_server.url + "/?city=shenzhen")
    wait_ready(page)
    assert "talent-park" in pins(page)
    assert traffic.outside == [] and traffic.app_errors() == []


def test_curate_on_a_phone_shows_the_sign_in_form(page: Page, app_server: AppServer) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(app_server.url + "/curate?lang=zh")
    wait_ready(page)
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    screenshot(page, "curate-signin-phone-zh")


def test_import_a_spreadsheet_with_a_bad_row_shows_exactly_what_is_wrong(
    page: Page, app_server: AppServer
) -> None:
    sign_in(page, app_server.url)
    page.get_by_role("radio", name="Import / export").click()
    wait_ready(page)
    page.locator("input[type=file]").set_input_files(str(IMPORTS / "excel-bad-row" / "landmarks.csv"))
    wait_ready(page)
    page.get_by_role("button", name="Check and preview").click()
    wait_ready(page)
    expect(page.get_by_text("5 problem(s): nothing can be imported")).to_be_visible()
    report = page.locator("[data-testid=stCode]").inner_text()
    assert "landmarks.csv:4: visit_minutes: 'sixty' is not a whole number" in report
    assert "landmarks.csv:4: lat: '22,5445' is not a decimal number" in report
    screenshot(page, "curate-import-bad-row")
    database = store.open_store(f"sqlite:///{app_server.data_dir.parent / 'browser.db'}")
    with pytest.raises(cu.NotFound):
        cu.Curator(database).landmark("civic-center")


CLICK_PIN_JS = """(id) => new Promise((done) => {
    const map = window.__cpMaps[window.__cpMaps.length - 1];
    map.eachLayer((layer) => {
      if (layer.getLayers && layer._featureGroup) {
        const m = layer.getLayers().find((x) => x.options.landmarkId === id);
        layer.zoomToShowLayer(m, () => setTimeout(done, 300));
      }
    });
})"""


def pins_frame(page: Page) -> Frame:
    """The frame of the map with landmark pins (the preview map beside it has only the route)."""
    map_frame(page)
    for _ in range(100):
        for frame in page.frames:
            try:
                if frame.evaluate(HAS_PINS_JS):
                    return frame
            except Exception:  # a frame navigating away; try again
                pass
        wait_in_some_frame(page, HAS_PINS_IN)
    raise AssertionError("no map with pins")


HAS_PINS_JS = """() => {
    let found = false;
    (window.__cpMaps || []).forEach((map) => map.eachLayer((l) => { found = found || !!l._featureGroup; }));
    return found;
}"""
HAS_PINS_IN = "(w) => (w.__cpMaps || []).some((map) => { let f = false; map.eachLayer((l) => { f = f || !!l._featureGroup; }); return f; })"


def test_stops_are_added_by_clicking_pins_on_the_itinerary_map(
    page: Page, app_server: AppServer, traffic: Traffic
) -> None:
    sign_in(page, app_server.url)
    page.get_by_role("radio", name="Itineraries").click()
    wait_ready(page)
    choose(page, "Itinerary", "+ New itinerary")
    names = {lm.id: lm.name for lm in seed.load_dir(DATA).landmarks}
    for n, landmark_id in enumerate(["oct-loft", "huaqiang-north"], start=1):
        frame = pins_frame(page)
        # the whole map in view first: Playwright scrolling inside the map's iframe misplaces clicks
        frame.frame_element().evaluate("(e) => e.scrollIntoView({block: 'center'})")
        settled(page)
        frame.evaluate(CLICK_PIN_JS, landmark_id)
        frame.locator(f'[data-landmark-id="{landmark_id}"]').click()
        wait_ready(page)
        expect(page.get_by_text(f"{n}. {names[landmark_id]}", exact=True).first).to_be_visible()
    type_into(page, "Id (stable, used in links)", "click-walk")
    type_into(page, "Title (English)", "Click walk")
    screenshot(page, "curate-itinerary-editor")
    assert traffic.app_errors() == [] and traffic.failed == []
    page.get_by_role("button", name="Save").click()
    wait_ready(page)
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    database = store.open_store(f"sqlite:///{app_server.data_dir.parent / 'browser.db'}")
    _, stops, _ = cu.Curator(database).itinerary("click-walk")
    assert [s.landmark_id for s in stops] == ["oct-loft", "huaqiang-north"]
