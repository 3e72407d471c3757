"""Explore with many landmarks (issue 14): the map draws only what is in view, from an index.

A city of ``N`` landmarks (above ``map_index.INDEXED_FROM``), one with a hostile name, on its own
server. The map's markers are the clusters and pins of the view; what they represent is counted
truthfully (``data-cp-landmarks-shown``, ``map.cpIndexed.shownIds()``), and pins keep the
marker-cluster layer's clicks, names, keys and escaping.
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from bench import a11y
from bench.synthetic import make_city
from itinerary import map_index
from tests.browser.conftest import (
    HOSTILE_NAME,
    LEAFLET_HOOK,
    RUNS_HOOK,
    AppServer,
    Contexts,
    Traffic,
    map_frame,
    pins,
    start_server,
    stop_server,
    wait_ready,
    watch,
)
from tests.browser.test_accessibility import WAIVERS, _describe, _open, axe_source  # noqa: F401
from tests.browser.test_map_keyboard import UNNAMED, enter_opens_its_card, tab_to_marker

N = map_index.INDEXED_FROM + 500
HOSTILE = HOSTILE_NAME + " | pipe"  # the name separator of the payload, in a name
SHOWN = """() => { const c = document.querySelector('.leaflet-container');
  return [c.getAttribute('data-cp-landmarks'), c.getAttribute('data-cp-landmarks-shown')]; }"""
MARKERS = "() => document.querySelectorAll('.leaflet-marker-icon').length"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")  # a server: see the conftest docstring
def big_city(
    tmp_path_factory: pytest.TempPathFactory, chromium_path: str
) -> Iterator[tuple[AppServer, list]]:
    tmp = tmp_path_factory.mktemp("big-city")
    data_dir = make_city(tmp / "data", N)
    path = data_dir / "landmarks.csv"
    rows = _rows(path)
    rows[0]["name"] = HOSTILE
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    server = start_server(tmp, data_dir)
    yield server, rows
    stop_server(server)


@pytest.fixture
def big_page(browser: Browser, big_city: tuple[AppServer, list]) -> Iterator[tuple[Page, list[str]]]:
    server, _ = big_city
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    traffic = Traffic()  # offline, like every context of the suite: nothing leaves the machine
    errors: list[str] = []
    watch(context, (server.url,), traffic)
    context.add_init_script(LEAFLET_HOOK)
    context.add_init_script(RUNS_HOOK)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "/")
    wait_ready(page)
    yield page, errors
    context.close()
    assert traffic.outside == [], "only tiles may be asked outside"


def _view(frame: Any, lat: float, lon: float, zoom: int) -> None:
    frame.evaluate(
        """([lat, lon, zoom]) => new Promise((done) => {
            const map = window.__cpMaps[0];
            map.once("moveend", () => setTimeout(done, 50));
            map.setView([lat, lon], zoom, {animate: false});
        })""",
        [lat, lon, zoom],
    )


def test_every_landmark_is_represented_and_only_the_view_is_drawn(
    big_page: tuple[Page, list[str]], big_city: tuple[AppServer, list]
) -> None:
    page, errors = big_page
    _, rows = big_city
    expected = sorted(r["id"] for r in rows)
    assert pins(page, N) == expected  # clusters count their members
    frame = map_frame(page)
    assert frame.evaluate(SHOWN) == [str(N), str(N)]
    drawn = frame.evaluate(MARKERS)
    assert 0 < drawn < N / 5  # the view's clusters and pins are markers, not every landmark
    assert frame.locator(".marker-cluster").count() > 0  # type: ignore[attr-defined]
    assert frame.evaluate(UNNAMED) == 0  # type: ignore[attr-defined]
    # zoomed into one corner, the map represents only the landmarks there, and says so
    first = rows[1]
    _view(frame, float(first["lat"]), float(first["lon"]), 16)
    shown = frame.evaluate(SHOWN)
    represented = frame.evaluate("() => window.__cpMaps[0].cpIndexed.shownIds()")
    assert shown[0] == str(N) and int(shown[1]) == len(represented) < N
    assert first["id"] in represented
    assert errors == []


def test_a_pin_has_its_name_escaped_and_a_click_opens_its_card(
    big_page: tuple[Page, list[str]], big_city: tuple[AppServer, list]
) -> None:
    page, errors = big_page
    _, rows = big_city
    hostile = rows[0]
    frame = map_frame(page)
    page.locator("iframe[data-testid='stCustomComponentV1']").scroll_into_view_if_needed()
    _view(frame, float(hostile["lat"]), float(hostile["lon"]), 18)
    pin = frame.locator(f'[data-landmark-id="{hostile["id"]}"]')  # type: ignore[attr-defined]
    expect(pin).to_have_attribute("aria-label", re.compile("^" + re.escape(HOSTILE + ", ") + r"\w"))
    pin.hover()
    expect(frame.locator(".leaflet-tooltip")).to_have_text(HOSTILE)  # type: ignore[attr-defined]
    assert frame.locator("img[src='x']").count() == 0  # type: ignore[attr-defined]
    pin.click()
    wait_ready(page)
    expect(page.get_by_role("heading", name=HOSTILE)).to_be_visible()
    assert f"landmark={hostile['id']}" in page.url
    assert page.locator("img[src='x']").count() == 0
    # the rerun sent the layer again (with the chosen pin's ring): the frame kept its index
    frame.wait_for_function(
        "() => window.cpIndexTiming && !('index_ms' in window.cpIndexTiming) && window.__cpMaps[0].cpIndexed",
        polling=50,
    )
    assert hostile["id"] in frame.evaluate("() => window.__cpMaps[0].cpIndexed.shownIds()")
    assert errors == []


DRAWN_ZOOM = "() => Number(document.querySelector('.leaflet-container').getAttribute('data-cp-drawn-zoom'))"


def _zoomed_past(page: Page, frame: Any, zoom: float, timeout_s: float = 30.0) -> float:
    """The zoom the layer has drawn its markers for, once it is past ``zoom``: Leaflet's zoom
    ends (``getZoom``) a frame before its ``moveend``, when the markers of the new zoom come, and
    a Tab in between would reach a cluster about to go."""
    deadline = time.monotonic() + timeout_s
    while (now := float(frame.evaluate(DRAWN_ZOOM))) <= zoom:
        if time.monotonic() > deadline:  # an upper bound of the wait, not a measurement
            pytest.fail(f"the map stayed at zoom {now}")
        page.wait_for_timeout(50)  # the next look at the map's state
    return now


def test_keyboard_zooms_into_clusters_and_enter_on_a_pin_opens_its_card(
    big_page: tuple[Page, list[str]],
) -> None:
    page, errors = big_page
    frame = map_frame(page)
    zoom = frame.evaluate(DRAWN_ZOOM)
    focused = tab_to_marker(page, frame, want="any")
    while focused["cluster"]:  # Enter on a cluster zooms into it, like a tap, and opens no card
        assert "places here" in focused["label"]
        page.keyboard.press("Enter")
        zoom = _zoomed_past(page, frame, zoom)
        assert "landmark=" not in page.url
        focused = tab_to_marker(page, frame, want="any")
    enter_opens_its_card(page, focused)
    assert errors == []


def test_a_filter_below_the_threshold_brings_back_the_cluster_layer(
    big_page: tuple[Page, list[str]], big_city: tuple[AppServer, list]
) -> None:
    page, errors = big_page
    _, rows = big_city
    food = sorted(r["id"] for r in rows if "food" in r["themes"].split(";"))
    assert 0 < len(food) < map_index.INDEXED_FROM
    page.get_by_role("button", name="Food", exact=True).click()
    wait_ready(page)
    assert pins(page, len(food)) == food
    frame = map_frame(page)
    assert frame.evaluate("() => window.__cpMaps[0].cpIndexed === undefined")
    assert frame.evaluate(SHOWN) == [None, None]  # the indexed layer took its count with it
    assert errors == []


@pytest.mark.parametrize(("lang", "size"), [("en", "desktop"), ("zh", "phone")])
def test_the_map_drawn_by_view_has_no_wcag_22_aa_violation(
    contexts: Contexts,
    big_city: tuple[AppServer, list],
    axe_source: str,  # noqa: F811 (the fixture of test_accessibility)
    lang: str,
    size: str,
) -> None:
    """The axe audit of tests/browser/test_accessibility.py, on the map of many landmarks."""
    server, _ = big_city
    for page in _open(contexts, server, size):
        page.goto(f"{server.url}/?lang={lang}")
        a11y.settle(page)
        frame = map_frame(page)
        frame.wait_for_function(  # type: ignore[attr-defined]
            "() => document.querySelector('.leaflet-container[data-cp-landmarks-shown]')", polling=100
        )
        assert frame.locator(".marker-cluster").count() > 0  # type: ignore[attr-defined]
        findings = a11y.audit_page(
            page, axe_source, view="explore-many", size=size, lang=lang, waivers=WAIVERS, strict=True
        )
        assert not findings, f"axe-core finds WCAG 2.2 A/AA violations ({lang}, {size}):\n" + _describe(
            findings
        )
