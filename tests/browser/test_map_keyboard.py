"""The map without a mouse and without sight (issue 10): named markers, Tab and Enter."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import AppServer, Traffic, map_frame, pins, wait_ready

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || !el.classList.contains("leaflet-marker-icon")) { return null; }
  return {label: el.getAttribute("aria-label") || "", id: el.getAttribute("data-landmark-id") || "",
          stop: (el.querySelector("[data-stop]") || {dataset: {}}).dataset.stop || "",
          cluster: el.classList.contains("marker-cluster")};
}"""
UNNAMED = """() => [...document.querySelectorAll('.leaflet-marker-icon[role="button"]')]
  .filter((el) => !(el.getAttribute("aria-label") || "").trim()).length"""


def tab_to_marker(page: Page, frame: Any, *, want: str, presses: int = 150) -> dict[str, Any]:
    """Press Tab until a marker of the kind wanted ("pin", "cluster", "stop" or "any") has focus."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = frame.evaluate(FOCUSED)
        if not focused:
            continue
        kind = "cluster" if focused["cluster"] else "stop" if focused["stop"] else "pin"
        if want in ("any", kind):
            return dict(focused)
    raise AssertionError(f"no {want} marker reached with Tab")


def enter_opens_its_card(page: Page, focused: dict[str, Any]) -> None:
    """Enter on the focused pin (``tab_to_marker``'s answer) opens its landmark's card, and the
    URL names the landmark."""
    assert focused["id"] and focused["label"]
    name = focused["label"].split(",")[0]
    page.keyboard.press("Enter")
    wait_ready(page)
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    assert f"landmark={focused['id']}" in page.url


def test_keyboard_reaches_a_pin_and_enter_opens_its_card(
    page: Page, app_server: AppServer, traffic: Traffic
) -> None:
    page.goto(app_server.url + "/?city=seattle")
    wait_ready(page)
    pins(page, 7)
    frame = map_frame(page)
    assert frame.evaluate(UNNAMED) == 0  # type: ignore[attr-defined]
    focused = tab_to_marker(page, frame, want="any")
    while focused["cluster"]:  # Enter on a cluster zooms into it, like a tap
        assert "places here" in focused["label"]
        page.keyboard.press("Enter")
        page.wait_for_function("() => true")
        focused = tab_to_marker(page, frame, want="any")
    enter_opens_its_card(page, focused)
    assert traffic.app_errors() == []


def test_itinerary_stops_are_named_in_chinese_and_reachable_by_tab(page: Page, app_server: AppServer) -> None:
    page.goto(app_server.url + "/itineraries?city=shenzhen&itinerary=shenzhen-must-go&lang=zh")
    wait_ready(page)
    frame = map_frame(page)
    page.wait_for_function("() => true")
    stop = tab_to_marker(page, frame, want="stop")
    assert stop["label"].startswith(f"第 {stop['stop']} 站：")
    assert frame.evaluate(UNNAMED) == 0  # type: ignore[attr-defined]
    zoom = frame.evaluate(
        "() => document.querySelector('.leaflet-control-zoom-in').getAttribute('aria-label')"
    )  # type: ignore[attr-defined]
    assert zoom == "放大"
