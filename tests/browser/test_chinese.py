"""Chinese pages in Chinese (issue 17), what only a browser shows: the map's scale bar and
attribution as Leaflet draws them, and a card's opening hours in words, at phone width too."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import AppServer, Traffic, map_frame, screenshot, wait_ready

CONTROLS = """() => ({
  scale: [...document.querySelectorAll('.leaflet-control-scale-line')].map((e) => e.textContent),
  attribution: (document.querySelector('.leaflet-control-attribution') || {}).textContent || "",
})"""


def test_the_maps_scale_and_attribution_read_in_chinese(
    page: Page, app_server: AppServer, traffic: Traffic
) -> None:
    page.goto(app_server.url + "/?city=shenzhen&lang=zh")
    wait_ready(page)
    controls = map_frame(page).evaluate(CONTROLS)  # type: ignore[attr-defined]
    assert controls["scale"] and all(re.fullmatch(r"\d+ (米|公里)", s) for s in controls["scale"]), controls
    assert "OpenStreetMap 贡献者" in controls["attribution"] and "contributors" not in controls["attribution"]
    assert traffic.app_errors() == []


def test_the_scale_stays_english_on_english_pages(page: Page, app_server: AppServer) -> None:
    page.goto(app_server.url + "/?city=shenzhen")
    wait_ready(page)
    scale = map_frame(page).evaluate(CONTROLS)["scale"]  # type: ignore[attr-defined]
    assert (
        len(scale) == 2 and re.fullmatch(r"\d+ (m|km)", scale[0]) and re.fullmatch(r"\d+ (ft|mi)", scale[1])
    )


def test_a_chinese_card_on_a_phone_shows_its_hours_in_words(page: Page, app_server: AppServer) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(app_server.url + "/?city=shenzhen&lang=zh&landmark=shenzhen-museum")
    wait_ready(page)
    line = page.get_by_text("开放时间：周二至周日 10:00–18:00，周一闭馆")
    expect(line).to_be_visible()
    assert "Tu-Su" not in page.get_by_test_id("stMain").inner_text()
    line.scroll_into_view_if_needed()
    screenshot(page, "zh-card-hours-phone", whole=False)
