"""The app in a real browser: start page, language, pickers, deep links."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import AppServer, Traffic, screenshot, wait_ready


def test_start_page_renders(page: Page, app_server: AppServer, traffic: Traffic) -> None:
    page.goto(app_server.url + "/")
    wait_ready(page)
    expect(page.get_by_role("heading", name="CityPlus Explorer")).to_be_visible()
    expect(page.get_by_text("Landmarks and itineraries of Shenzhen")).to_be_visible()
    screenshot(page, "start-en")
    assert traffic.outside == []
    assert traffic.console_errors == []


def test_chinese_deep_link_for_a_partner_city(page: Page, app_server: AppServer, traffic: Traffic) -> None:
    page.goto(app_server.url + "/?city=seattle&lang=zh")
    wait_ready(page)
    expect(page.get_by_role("heading", name="城市+ 探索")).to_be_visible()
    expect(page.get_by_text("西雅图的地标与行程")).to_be_visible()
    screenshot(page, "start-zh-seattle")
    assert traffic.outside == []
