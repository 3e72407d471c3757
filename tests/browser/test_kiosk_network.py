"""The kiosk's network step in Chromium at both screen orientations: the loop comes to the
world map with an arc per partner city, beside the join timeline, in large type, with nothing
to scroll and no link off the kiosk.

Nothing here sleeps: the test waits for the network's card and its arcs to be on the page
together (one check in the page, the map's frame being of the same origin), with an upper bound.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from itinerary import seed
from tests.browser.conftest import (
    LEAFLET_HOOK,
    AppServer,
    Traffic,
    screenshot,
    start_server,
    stop_server,
    wait_ready,
    watch,
)
from tests.conftest import DATA

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
WAIT_MS = 90_000  # an upper bound of the wait for the loop to come round, not a delay

# The network step as the page shows it at one moment: the card, the arcs and markers in the
# map's frame, whether the page would scroll, every link, and the smallest button and text.
STATE_JS = """() => {
  const card = document.querySelector("[data-kiosk-network]");
  const frame = [...document.querySelectorAll("iframe")].map((f) => f.contentDocument)
    .find((d) => d && d.querySelector(".leaflet-container"));
  if (!card || !frame) return null;
  const main = document.querySelector("[data-testid='stMain']");
  const hrefs = [document, frame].flatMap((d) => [...d.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")));
  const buttons = [...document.querySelectorAll("button")].map((b) => b.getBoundingClientRect().height).filter((h) => h > 0);
  const texts = [...card.querySelectorAll("li, p, h2")].map((e) => parseFloat(getComputedStyle(e).fontSize));
  const box = card.getBoundingClientRect();
  return {
    announced: Number(card.getAttribute("data-kiosk-network")),
    arcs: frame.querySelectorAll("path.cp-arc").length,
    cities: [...frame.querySelectorAll(".cp-num[data-city]")].map((e) => e.getAttribute("data-city")),
    rows: [...card.querySelectorAll("li[data-city]")].map((e) => e.getAttribute("data-city")),
    scrolls: main.scrollHeight > main.clientHeight + 2,
    hrefs: hrefs.filter((h) => !h.startsWith("#")),
    smallestButton: Math.min(...buttons),
    smallestText: Math.min(...texts),
    inView: box.top >= 0 && box.bottom <= window.innerHeight,
  };
}"""


@pytest.fixture(scope="session")  # a server: see the conftest docstring
def kiosk_server(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[AppServer]:
    tmp = tmp_path_factory.mktemp("kiosk-network")
    shutil.copytree(DATA, tmp / "data")
    server = start_server(tmp, tmp / "data", {"CITYPLUS_KIOSK_INTERVAL": "2", "CITYPLUS_KIOSK_IDLE": "600"})
    yield server
    stop_server(server)


@pytest.mark.parametrize("orientation", list(SIZES))
def test_the_kiosk_loop_shows_the_network_with_an_arc_per_partner_city(
    browser: Browser, kiosk_server: AppServer, orientation: str
) -> None:
    width, height = SIZES[orientation]
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True)
    context.add_init_script(LEAFLET_HOOK)
    traffic = Traffic()
    watch(context, (kiosk_server.url,), traffic)  # offline: tiles and everything else fail
    page = context.new_page()
    page.on("pageerror", lambda e: traffic.console_errors.append(str(e)))
    served = seed.load_dir(kiosk_server.data_dir)
    partners = [c for c in served.cities if c.partnership != "home"]
    try:
        page.goto(kiosk_server.url + "/kiosk?city=tsukuba")  # 4 stops, then the network
        wait_ready(page)
        # the card and every arc drawn, seen at one moment (the loop moves on every 2 s)
        handle_ = page.wait_for_function(
            f"() => {{ const s = ({STATE_JS})(); return s && s.arcs === {len(partners)} ? s : null; }}",
            timeout=WAIT_MS,
        )
        state = handle_.json_value()
        screenshot(page, f"kiosk-network-{orientation}", whole=False)
        assert state["announced"] == state["arcs"] == len(partners)  # an arc per partner city
        assert sorted(state["cities"]) == sorted(c.id for c in served.cities)  # a marker per city
        assert state["rows"] == [c.id for c in sorted(served.cities, key=lambda c: c.join_order or 99)]
        assert not state["scrolls"], "the page would need scrolling"
        assert state["hrefs"] == []  # no link leads off the kiosk, in the page or the map
        assert state["smallestButton"] >= 64  # touch targets at kiosk size
        assert state["smallestText"] >= 28  # the kiosk's root size: readable from 2 m
        assert state["inView"]
        assert traffic.console_errors == []
    finally:
        context.close()


# /network's type and touch targets as a visitor meets them: the timeline's and the twin themes'
# links, the expanders, and where the timeline is (beside the map, or under it in portrait).
PAGE_JS = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  const targets = [...main.querySelectorAll("[data-testid='stPageLink'] a, summary")]
    .map((e) => e.getBoundingClientRect()).filter((b) => b.height > 0);
  const frame = main.querySelector("iframe").getBoundingClientRect();
  const timeline = [...main.querySelectorAll("h3")].find((h) => h.textContent.includes("When each account joined"));
  return {
    smallestTarget: Math.min(...targets.map((b) => b.height)),
    text: parseFloat(getComputedStyle(document.documentElement).fontSize),  // body text is 1rem
    under: timeline.getBoundingClientRect().top >= frame.bottom,
  };
}"""


@pytest.mark.parametrize(
    ("size", "big", "under"),
    [((1920, 1080), True, False), ((1080, 1920), True, True), ((1280, 900), False, False)],
)
def test_the_network_page_is_large_and_touch_friendly_at_kiosk_sizes(
    browser: Browser, kiosk_server: AppServer, size: tuple[int, int], big: bool, under: bool
) -> None:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, has_touch=True)
    context.add_init_script(LEAFLET_HOOK)  # offline, like every context of the suite
    page = context.new_page()
    try:
        page.goto(kiosk_server.url + "/network?city=tsukuba")
        wait_ready(page)
        page.locator("iframe").first.wait_for()
        state = page.evaluate(PAGE_JS)
        if big:  # a kiosk-size screen: read from a step away, touched by a finger
            assert state["smallestTarget"] >= 64 and state["text"] >= 24, state
        else:  # a laptop keeps the ordinary page
            assert state["smallestTarget"] < 64 and state["text"] < 24, state
        assert state["under"] is under  # in portrait the map takes the width, the timeline under it
        if big:
            screenshot(page, f"network-{size[0]}x{size[1]}", whole=False)
    finally:
        context.close()
