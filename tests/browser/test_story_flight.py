"""A story's map flies from one chapter's place to the next (``itinerary.map_motion``): many
frames of movement, the zoom passing out and back in; with ``prefers-reduced-motion: reduce``
it jumps. The page opens at its chapter without a flight. Waits on the map's state, never sleeps."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import LEAFLET_HOOK, AppServer, map_frame, wait_ready
from tests.browser.test_cityaccounts import NEAR_JS, place

# the zoom at every move of the story's map from now on, and whether a move has ended
RECORD_JS = """() => { const m = window.__cpMaps[window.__cpMaps.length - 1]; window.__moves = [];
  m.on("move", () => window.__moves.push(m.getZoom())); m.on("moveend", () => { window.__ended = true; }); }"""


@pytest.mark.parametrize(("motion", "flies"), [("no-preference", True), ("reduce", False)])
def test_the_story_map_flies_to_the_next_chapter_unless_less_motion_is_asked(
    browser: Browser, app_server: AppServer, motion: str, flies: bool
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion=motion)
    context.add_init_script(LEAFLET_HOOK)  # offline, like every context of the suite: no tiles
    page = context.new_page()
    try:
        page.goto(f"{app_server.url}/city?city=shenzhen&story=shenzhen-speed&chapter=2")
        wait_ready(page)
        frame = map_frame(page)
        frame.wait_for_function(NEAR_JS, arg=list(place(2)), timeout=30_000)  # type: ignore[attr-defined]
        frame.evaluate(RECORD_JS)  # type: ignore[attr-defined]
        page.get_by_role("button", name="Next").click()
        wait_ready(page)
        expect(page).to_have_url(re.compile(r"chapter=3"))
        frame.wait_for_function(NEAR_JS, arg=list(place(3)), timeout=30_000)  # type: ignore[attr-defined]
        frame.wait_for_function("() => window.__ended === true", timeout=30_000)  # type: ignore[attr-defined]
        zooms = frame.evaluate("() => window.__moves")  # type: ignore[attr-defined]
        if flies:  # a flight: many frames, zooming out on the way and back in at the place
            assert len(zooms) > 10 and min(zooms) < zooms[-1], zooms
        else:  # a jump: the view set once
            assert 1 <= len(zooms) <= 2 and len(set(zooms)) == 1, zooms
    finally:
        context.close()


def test_the_page_opens_at_its_chapter_without_a_flight(browser: Browser, app_server: AppServer) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # record every move from the map's creation: opening at chapter 4 is one view, not a flight
    context.add_init_script(LEAFLET_HOOK)
    context.add_init_script(
        """(() => { const hook = setInterval(() => { const L = window.L;
          if (!L || !L.Map || L.__cpMoves) return; L.__cpMoves = true; clearInterval(hook);
          L.Map.addInitHook(function () { const m = this; window.__moves = [];
            m.on("move", () => window.__moves.push(m.getZoom())); }); }, 0); })();"""
    )
    page = context.new_page()
    try:
        page.goto(f"{app_server.url}/city?city=shenzhen&story=shenzhen-speed&chapter=4")
        wait_ready(page)
        frame = map_frame(page)
        frame.wait_for_function(NEAR_JS, arg=list(place(4)), timeout=30_000)  # type: ignore[attr-defined]
        zooms = frame.evaluate("() => window.__moves || []")  # type: ignore[attr-defined]
        assert len(zooms) <= 3, zooms  # the first view and st_folium's, no frames of a flight
    finally:
        context.close()
