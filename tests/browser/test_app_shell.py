"""The app in a real browser: start page, language, pickers, deep links."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from itinerary import seed
from tests.browser.conftest import AppServer, Traffic, map_frame, screenshot, settled, wait_ready
from tests.conftest import DATA

SHIPPED = seed.load_dir(DATA)


def test_start_page_renders(page: Page, app_server: AppServer, traffic: Traffic) -> None:
    page.goto(app_server.url + "/")
    wait_ready(page)
    expect(page.get_by_role("heading", name="Explore Shenzhen")).to_be_visible()
    assert page.title() == "Explore · CityPlus Explorer"
    screenshot(page, "start-en")
    assert traffic.outside == []
    assert traffic.app_errors() == []


def test_chinese_deep_link_for_a_partner_city(page: Page, app_server: AppServer, traffic: Traffic) -> None:
    page.goto(app_server.url + "/?city=seattle&lang=zh")
    wait_ready(page)
    expect(page.get_by_role("heading", name="探索西雅图")).to_be_visible()
    # the sidebar's picker: the page's own (for phones) is hidden at this width by a style rule,
    # which CI once saw not yet applied, both pickers in view for a moment (strict mode failed)
    expect(page.get_by_test_id("stSidebar").get_by_role("combobox", name="城市")).to_be_visible()
    screenshot(page, "start-zh-seattle")
    assert traffic.outside == []


def test_readme_screenshot_of_a_chinese_itinerary_with_its_notes(page: Page, app_server: AppServer) -> None:
    """docs/itinerary-zh.png: the must-go itinerary in Chinese, each stop with its curated note
    and access (copied from test-artifacts/ when the page changes)."""
    page.set_viewport_size({"width": 1280, "height": 1400})
    page.goto(
        app_server.url + "/itineraries?city=shenzhen&itinerary=shenzhen-must-go&lang=zh&date=2026-12-02"
    )
    wait_ready(page)
    map_frame(page)
    first = next(s for s in SHIPPED.stops if s.itinerary_id == "shenzhen-must-go" and s.position == 1)
    expect(page.get_by_text(first.note_zh)).to_be_visible()
    settled(page)
    path = screenshot(page, "readme-itinerary-zh", whole=False)
    assert path.stat().st_size > 10_000
