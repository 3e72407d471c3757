"""The kiosk in Chromium at both screen orientations: loop, touch, QR hand-off, idle reset, lock-down."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    LEAFLET_HOOK,
    AppServer,
    Traffic,
    map_frame,
    screenshot,
    start_server,
    stop_server,
    wait_ready,
)
from tests.conftest import DATA

PUBLIC = "https://visit.example.org"
INTERVAL_S, IDLE_S = 1.5, 10.0  # idle long enough for a loaded 2-core CI machine
SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


@pytest.fixture(scope="module")
def kiosk_server(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[AppServer]:
    tmp = tmp_path_factory.mktemp("kiosk")
    shutil.copytree(DATA, tmp / "data")
    server = start_server(
        tmp,
        tmp / "data",
        {
            "CITYPLUS_PUBLIC_URL": PUBLIC,
            "CITYPLUS_KIOSK_INTERVAL": str(INTERVAL_S),
            "CITYPLUS_KIOSK_IDLE": str(IDLE_S),
        },
    )
    yield server
    stop_server(server)


@pytest.fixture
def kiosk(browser: Browser, kiosk_server: AppServer, request: pytest.FixtureRequest) -> Iterator[Page]:
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True)
    context.add_init_script(LEAFLET_HOOK)
    traffic = Traffic()
    request.node.traffic = traffic

    def handle(route):  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith(kiosk_server.url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:  # the network cable is pulled: tiles and everything else are refused
            traffic.outside.append(url)
            route.abort()

    context.route("**/*", handle)
    page = context.new_page()
    page.on("pageerror", lambda e: traffic.console_errors.append(str(e)))
    page.goto(kiosk_server.url + "/kiosk?city=shenzhen")
    wait_ready(page)
    yield page
    context.close()


def step(page: Page) -> int:
    card = page.locator("[data-kiosk-step]")
    expect(card).to_be_visible(timeout=15_000)
    return int(card.get_attribute("data-kiosk-step") or -1)


@pytest.mark.parametrize("kiosk", list(SIZES), indirect=True)
def test_kiosk_loop_touch_qr_and_idle_reset(kiosk: Page, request: pytest.FixtureRequest) -> None:
    import zxingcpp
    from PIL import Image

    page = kiosk
    name = request.node.callspec.params["kiosk"]
    # full screen: no sidebar, header or toolbar, nothing to scroll
    for testid in ("stSidebar", "stHeader", "stToolbar"):
        expect(page.locator(f"[data-testid='{testid}']")).to_be_hidden()
    first = step(page)
    page.wait_for_timeout(int(INTERVAL_S * 2500))
    assert step(page) != first, "the attract loop did not advance"
    assert map_frame(page).evaluate("() => window.__cpMaps.length") == 1  # type: ignore[attr-defined]
    # advancing replaces the layers instead of piling them up (runs for days)
    assert map_frame(page).evaluate("() => (window.feature_group || []).length") <= 1  # type: ignore[attr-defined]
    main = page.locator("[data-testid='stMain']")
    assert main.evaluate("(e) => e.scrollHeight <= e.clientHeight + 2"), "the page would need scrolling"
    screenshot(page, f"kiosk-{name}-loop", whole=False)

    # no link leads off the kiosk page, in the page or in the map
    hrefs = page.eval_on_selector_all("a[href]", "(els) => els.map((a) => a.getAttribute('href'))")
    hrefs += map_frame(page).eval_on_selector_all(
        "a[href]", "(els) => els.map((a) => a.getAttribute('href'))"
    )  # type: ignore[attr-defined]
    assert [h for h in hrefs if not h.startswith("#")] == []
    expect(page.get_by_role("button", name="中文")).to_be_visible()
    heights = page.eval_on_selector_all("button", "(bs) => bs.map((b) => b.getBoundingClientRect().height)")
    visible = [h for h in heights if h > 0]  # hidden chrome (the menu button) has no box
    assert visible and min(visible) >= 48, heights  # touch targets

    # a touch stops the loop and shows the route with its QR code
    page.get_by_role("button", name="Inclusive experience: 8 must-go places").tap()
    wait_ready(page)
    card = page.locator("[data-kiosk-itinerary='shenzhen-must-go']")
    expect(card).to_be_visible()
    page.wait_for_timeout(int(INTERVAL_S * 2000))
    expect(card).to_be_visible()  # the loop stays stopped while the visitor looks
    qr = page.locator("[data-testid='stImage'] img").first
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert [d.text for d in decoded] == [f"{PUBLIC}/itineraries?city=shenzhen&itinerary=shenzhen-must-go"]
    expect(map_frame(page).locator(".cp-num")).to_have_count(8)  # type: ignore[attr-defined]
    expect(card.locator("li").first).to_contain_text("09:00")  # the route's timeline
    screenshot(page, f"kiosk-{name}-visitor", whole=False)
    assert main.evaluate("(e) => e.scrollHeight <= e.clientHeight + 2")

    # the language switch keeps the choice and turns to Chinese
    page.get_by_role("button", name="中文").tap()
    wait_ready(page)
    expect(page.get_by_text("扫码带走")).to_be_visible(timeout=15_000)
    decoded = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(page.locator("[data-testid='stImage'] img").first.screenshot()))
    )
    assert [d.text for d in decoded] == [
        f"{PUBLIC}/itineraries?city=shenzhen&itinerary=shenzhen-must-go&lang=zh"
    ]

    # left alone, it clears the choice and returns to the loop
    page.wait_for_timeout(int((IDLE_S + INTERVAL_S * 2) * 1000))
    expect(page.locator("[data-kiosk-itinerary]")).to_have_count(0)
    step(page)
    screenshot(page, f"kiosk-{name}-reset", whole=False)
    traffic = request.node.traffic
    assert traffic.console_errors == []
    assert all("tile" in u or "openstreetmap" in u for u in traffic.outside)  # only tiles were tried
