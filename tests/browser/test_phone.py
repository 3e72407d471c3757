"""The visitor's phone (390x844, touch): a tapped pin's card in view, the sidebar that closes
after a link and takes no focus when collapsed, city and language on the page, Explore's list
that fits, the map frame's title, and a card's "Add to my route" into Plan (issue 17, "A phone
flow that works"; issue 10, section 2). Each test keeps its screenshots in test-artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from itinerary import seed
from tests.browser.conftest import (
    ARTIFACTS,
    LEAFLET_HOOK,
    RUNS_HOOK,
    AppServer,
    map_frame,
    pins,
    screenshot,
    settled,
    wait_ready,
)
from tests.conftest import DATA

WIDTH, HEIGHT = 390, 844
HEADER = 64  # Streamlit's header over the top of the page (scroll-margin-top of a card: 4rem)
SHIPPED = seed.load_dir(DATA)
SEATTLE = sorted(lm.id for lm in SHIPPED.landmarks if lm.city_id == "seattle" and lm.status == "published")
NAMES = {lm.id: lm.name for lm in SHIPPED.landmarks}
MAP_FRAME = "iframe[data-testid='stCustomComponentV1']"


@pytest.fixture
def phone(browser: Browser, app_server: AppServer) -> Iterator[Page]:
    """A touch screen of 390x844 that reaches only the app (offline, like every context here)."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, has_touch=True, locale="en-US")
    context.add_init_script(LEAFLET_HOOK)
    context.add_init_script(RUNS_HOOK)
    page = context.new_page()
    yield page
    context.close()


def query(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def in_viewport(page: Page, selector: str) -> dict[str, float]:
    """The box of ``selector`` once scrolling has stopped."""
    settled(page)
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box


def tap_pin(page: Page, landmark_id: str) -> None:
    """Tap a landmark's pin like a visitor: the map in view, the pin out of its cluster."""
    frame = map_frame(page)
    page.locator(MAP_FRAME).first.scroll_into_view_if_needed()
    frame.evaluate(  # type: ignore[attr-defined]
        """(id) => new Promise((done) => {
            window.__cpMaps[0].eachLayer((layer) => {
              if (layer.getLayers && layer._featureGroup) {
                const m = layer.getLayers().find((x) => x.options.landmarkId === id);
                layer.zoomToShowLayer(m, () => setTimeout(done, 300));
              }
            });
        })""",
        landmark_id,
    )
    frame.locator(f'[data-landmark-id="{landmark_id}"]').tap()  # type: ignore[attr-defined]
    wait_ready(page)


def expect_sidebar(page: Page, *, collapsed: bool) -> None:
    """Wait until Streamlit's sidebar is collapsed (or open)."""
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", str(collapsed).lower())


def test_a_tapped_pin_shows_its_card_in_view(phone: Page, app_server: AppServer) -> None:
    phone.goto(app_server.url + "/?city=seattle")
    wait_ready(phone)
    assert pins(phone, len(SEATTLE)) == SEATTLE
    tap_pin(phone, "space-needle")
    expect(phone.get_by_role("heading", name="Space Needle")).to_be_visible()
    assert query(phone)["landmark"] == "space-needle"
    card = in_viewport(phone, ".st-key-scroll_card")
    # below the 560 px map before the tap (the report saw it at y=938); now on the screen, whole
    # if it fits below the header, else from its top
    assert card["y"] >= 0
    assert card["y"] + min(card["height"], HEIGHT - HEADER) <= HEIGHT + 1
    close = phone.locator(".st-key-scroll_card").get_by_role("button", name="Close")
    assert close.bounding_box() is not None
    screenshot(phone, "phone-card-tapped-en", whole=False)
    close.tap()
    wait_ready(phone)
    expect(phone.get_by_role("heading", name="Space Needle")).to_have_count(0)
    assert "landmark" not in query(phone)


@pytest.mark.parametrize(("lang", "name"), [("en", "Seattle"), ("zh", "西雅图")])
def test_a_city_tapped_on_the_network_map_shows_its_card_in_view(
    phone: Page, app_server: AppServer, lang: str, name: str
) -> None:
    phone.goto(app_server.url + f"/network?lang={lang}")
    wait_ready(phone)
    frame = map_frame(phone)
    marker = frame.locator("[data-city='seattle']")  # type: ignore[attr-defined]
    expect(marker).to_have_count(1)
    phone.locator(MAP_FRAME).first.scroll_into_view_if_needed()
    settled(phone)
    marker.tap()
    # the tap's rerun may start after wait_ready has seen the page idle (CI): wait for its URL
    expect(phone).to_have_url(re.compile(r"[?&]city=seattle"))
    wait_ready(phone)
    assert query(phone)["city"] == "seattle"
    card = phone.locator(".st-key-scroll_network")
    expect(card.get_by_role("heading", name=name)).to_be_visible()
    box = in_viewport(phone, ".st-key-scroll_network")  # below the map and its legend before the tap
    assert box["y"] >= 0
    assert box["y"] + min(box["height"], HEIGHT - HEADER) <= HEIGHT + 1
    screenshot(phone, f"phone-network-tapped-{lang}", whole=False)


def test_the_sidebar_closes_after_choosing_a_page(phone: Page, app_server: AppServer) -> None:
    phone.goto(app_server.url + "/?city=seattle&lang=zh")
    wait_ready(phone)
    expect_sidebar(phone, collapsed=True)  # Streamlit starts it collapsed on a phone
    phone.get_by_role("button", name="Expand sidebar").tap()
    expect(phone.get_by_test_id("stSidebar").get_by_role("link", name="精选行程")).to_be_visible()
    expect_sidebar(phone, collapsed=False)
    screenshot(phone, "phone-sidebar-open-zh", whole=False)
    phone.get_by_test_id("stSidebar").get_by_role("link", name="精选行程").tap()
    expect(phone.get_by_role("heading", name="西雅图精选行程")).to_be_visible()
    wait_ready(phone)
    settled(phone)
    expect_sidebar(phone, collapsed=True)
    expect(phone.get_by_test_id("stSidebar").get_by_role("link", name="探索")).not_to_be_visible()
    assert query(phone) == {"city": "seattle", "lang": "zh"}  # city and language kept
    screenshot(phone, "phone-after-navigation-zh", whole=False)


def test_the_collapsed_sidebar_takes_no_focus(phone: Page, app_server: AppServer) -> None:
    phone.goto(app_server.url + "/?city=seattle")
    wait_ready(phone)
    pins(phone, len(SEATTLE))
    expect_sidebar(phone, collapsed=True)
    focused = []
    for _ in range(12):  # past the header, the page's pickers and the search box
        phone.keyboard.press("Tab")
        focused.append(
            phone.evaluate(
                "() => { const e = document.activeElement; return [e.getAttribute('aria-label') "
                "|| e.textContent.trim().slice(0, 20), !!e.closest('[data-testid=stSidebar]')]; }"
            )
        )
    assert [name for name, in_sidebar in focused if in_sidebar] == []
    names = [name for name, _ in focused]
    assert "City" in names and "English" in names  # the page's own pickers come first
    # opened, the sidebar's controls take focus again
    phone.get_by_role("button", name="Expand sidebar").tap()
    link = phone.get_by_test_id("stSidebar").get_by_role("link", name="Plan my route")
    expect(link).to_be_visible()
    link.focus()
    assert phone.evaluate("() => !!document.activeElement.closest('[data-testid=stSidebar]')")


def test_city_and_language_switch_on_the_page(phone: Page, app_server: AppServer) -> None:
    phone.goto(app_server.url + "/itineraries?city=shenzhen")
    wait_ready(phone)
    main = phone.get_by_test_id("stMain")
    expect_sidebar(phone, collapsed=True)
    expect(main.get_by_role("radio", name="中文")).to_be_visible()
    expect(main.get_by_role("combobox", name="City")).to_be_visible()
    screenshot(phone, "phone-pickers-en", whole=False)
    main.get_by_role("radio", name="中文").tap()
    expect(phone.get_by_role("heading", name="深圳精选行程")).to_be_visible()
    wait_ready(phone)
    assert query(phone) == {"city": "shenzhen", "lang": "zh"}
    main.get_by_role("combobox", name="城市").tap()
    phone.get_by_role("option", name="西雅图").tap()
    expect(phone.get_by_role("heading", name="西雅图精选行程")).to_be_visible()
    wait_ready(phone)
    assert query(phone) == {"city": "seattle", "lang": "zh"}  # the language kept
    screenshot(phone, "phone-pickers-zh-seattle", whole=False)
    main.get_by_role("radio", name="English").tap()
    expect(phone.get_by_role("heading", name="Itineraries in Seattle")).to_be_visible()
    wait_ready(phone)
    assert query(phone) == {"city": "seattle"}  # English is the default: no lang= in the link
    expect_sidebar(phone, collapsed=True)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_list_columns_fit_a_phone(phone: Page, app_server: AppServer, lang: str) -> None:
    phone.goto(app_server.url + f"/?city=shenzhen&lang={lang}")
    wait_ready(phone)
    grid = phone.get_by_test_id("stDataFrame")
    expect(grid).to_be_visible()
    grid.scroll_into_view_if_needed()
    settled(phone)
    # the grid draws on a canvas: its scroller is as wide as its columns, which must not scroll
    scroller = grid.locator(".dvn-scroller").first
    widths = scroller.evaluate("(e) => [e.scrollWidth, e.clientWidth]")
    assert widths[0] <= widths[1], f"the list scrolls sideways: columns {widths[0]} px in {widths[1]} px"
    box = grid.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    ARTIFACTS.mkdir(exist_ok=True)
    grid.screenshot(path=str(ARTIFACTS / f"phone-list-{lang}.png"))
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= WIDTH


@pytest.mark.parametrize(
    ("path", "lang", "title"),
    [
        ("/?city=shenzhen", "en", "Map of Shenzhen: Explore"),
        ("/?city=shenzhen", "zh", "深圳地图：探索"),
        ("/plan?city=seattle&stops=space-needle", "zh", "西雅图地图：规划我的路线"),
    ],
)
def test_the_map_frame_has_a_title_in_the_page_language(
    phone: Page, app_server: AppServer, path: str, lang: str, title: str
) -> None:
    phone.goto(app_server.url + f"{path}&lang={lang}")
    wait_ready(phone)
    map_frame(phone)
    expect(phone.locator(MAP_FRAME).first).to_have_attribute("title", title)


def test_add_to_my_route_opens_plan_with_the_stop(phone: Page, app_server: AppServer) -> None:
    phone.goto(app_server.url + "/?city=seattle")
    wait_ready(phone)
    pins(phone, len(SEATTLE))
    tap_pin(phone, "space-needle")
    add = phone.locator(".st-key-scroll_card").get_by_role("link", name="Add to my route")
    expect(add).to_be_visible()
    add.tap()
    expect(phone.get_by_role("heading", name="Plan my route in Seattle")).to_be_visible()
    wait_ready(phone)
    assert query(phone) == {"city": "seattle", "stops": "space-needle"}
    expect(phone.get_by_test_id("stMain").get_by_text(NAMES["space-needle"]).first).to_be_visible()
    route = map_frame(phone).locator(".cp-num")  # type: ignore[attr-defined]
    expect(route).to_have_count(1)
    screenshot(phone, "phone-plan-from-card-en")

    # back to Explore through the sidebar, a second landmark: it joins the same plan
    phone.get_by_role("button", name="Expand sidebar").tap()
    phone.get_by_test_id("stSidebar").get_by_role("link", name="Explore").tap()
    expect(phone.get_by_role("heading", name="Explore Seattle")).to_be_visible()
    wait_ready(phone)
    pins(phone, len(SEATTLE))
    tap_pin(phone, "pike-place-market")
    phone.locator(".st-key-scroll_card").get_by_role("link", name="Add to my route").tap()
    expect(phone.get_by_role("heading", name="Plan my route in Seattle")).to_be_visible()
    wait_ready(phone)
    assert query(phone) == {"city": "seattle", "stops": "space-needle,pike-place-market"}
    expect(map_frame(phone).locator(".cp-num")).to_have_count(2)  # type: ignore[attr-defined]

    # a landmark already in the plan: the card says so and the plan is unchanged
    phone.get_by_role("button", name="Expand sidebar").tap()
    phone.get_by_test_id("stSidebar").get_by_role("link", name="Explore").tap()
    wait_ready(phone)
    tap_pin(phone, "space-needle")
    phone.locator(".st-key-scroll_card").get_by_role("link", name="In my route: open the plan").tap()
    expect(phone.get_by_role("heading", name="Plan my route in Seattle")).to_be_visible()
    wait_ready(phone)
    assert query(phone)["stops"] == "space-needle,pike-place-market"
