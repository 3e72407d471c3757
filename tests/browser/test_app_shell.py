"""The app in a real browser: start page, language, pickers, deep links."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import AppServer, Traffic, screenshot, wait_ready


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
    expect(page.get_by_role("combobox", name="城市")).to_be_visible()
    screenshot(page, "start-zh-seattle")
    assert traffic.outside == []
