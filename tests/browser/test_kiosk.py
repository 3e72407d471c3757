"""The kiosk in Chromium at both screen orientations: loop, touch, QR hand-off, idle reset, lock-down.

Nothing here sleeps: each step waits for what it expects to see (the loop's step counter
changing, script runs happening, the route card going), with generous upper bounds. Two servers:
one whose idle reset never comes during the test (a slow machine must not reset the kiosk in the
middle of it), and one that resets after a few seconds, for the idle reset itself.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    LEAFLET_HOOK,
    RUNS_HOOK,
    AppServer,
    Traffic,
    launch_server,
    map_frame,
    outside_of,
    read_qr,
    screenshot,
    script_runs,
    stop_server,
    wait_healthy,
    wait_ready,
)
from tests.conftest import DATA

PUBLIC = "https://visit.example.org"
INTERVAL_S = 1.0
LONG_IDLE_S = 600.0  # never reached during the test
SHORT_IDLE_S = 5.0  # long enough to see the route before it resets, on a loaded 2-core machine
WAIT_MS = 60_000  # upper bounds of waits for the loop and the reset, not delays
SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


@pytest.fixture(scope="module")
def kiosk_servers(
    tmp_path_factory: pytest.TempPathFactory, chromium_path: str
) -> Iterator[tuple[AppServer, AppServer]]:
    """The kiosk with an idle reset that never comes during the test, and one that soon comes."""
    servers = []
    for idle in (LONG_IDLE_S, SHORT_IDLE_S):
        tmp = tmp_path_factory.mktemp("kiosk")
        shutil.copytree(DATA, tmp / "data")
        env = {
            "CITYPLUS_PUBLIC_URL": PUBLIC,
            "CITYPLUS_KIOSK_INTERVAL": str(INTERVAL_S),
            "CITYPLUS_KIOSK_IDLE": str(idle),
        }
        servers.append(launch_server(tmp, tmp / "data", env))  # both start at once
    try:
        yield wait_healthy(servers[0]), wait_healthy(servers[1])
    finally:
        for server in servers:
            stop_server(server)


@pytest.fixture
def kiosk(
    browser: Browser, kiosk_servers: tuple[AppServer, AppServer], request: pytest.FixtureRequest
) -> Iterator[Page]:
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=True)
    context.add_init_script(LEAFLET_HOOK)
    context.add_init_script(RUNS_HOOK)
    traffic = Traffic()
    request.node.traffic = traffic
    kiosk_server = kiosk_servers[0]
    allowed = tuple(server.url for server in kiosk_servers)

    def handle(route):  # type: ignore[no-untyped-def]
        url = route.request.url
        if url.startswith(allowed) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:  # the network cable is pulled: tiles and everything else are refused
            traffic.outside.append(url)
            route.abort()

    context.route(outside_of(*allowed), handle)
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
def test_kiosk_loop_touch_qr_and_idle_reset(
    kiosk: Page, kiosk_servers: tuple[AppServer, AppServer], request: pytest.FixtureRequest
) -> None:
    page = kiosk
    name = request.node.callspec.params["kiosk"]
    traffic = request.node.traffic
    # meanwhile, in another tab, a visitor will choose a route on the kiosk that resets soon, in
    # Chinese, and walk away: checked at the end, so that its wait overlaps the rest
    left = page.context.new_page()
    left.on("pageerror", lambda e: traffic.console_errors.append(str(e)))
    left.goto(kiosk_servers[1].url + "/kiosk?city=shenzhen&lang=zh", wait_until="commit")

    # full screen: no sidebar, header or toolbar, nothing to scroll
    for testid in ("stSidebar", "stHeader", "stToolbar"):
        expect(page.locator(f"[data-testid='{testid}']")).to_be_hidden()
    first = step(page)
    # the attract loop advances by itself
    expect(page.locator("[data-kiosk-step]")).not_to_have_attribute(
        "data-kiosk-step", str(first), timeout=WAIT_MS
    )
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

    wait_ready(left)
    left.locator(".st-key-kiosk_route_shenzhen-must-go button").tap()
    wait_ready(left)
    expect(left.locator("[data-kiosk-itinerary='shenzhen-must-go']")).to_be_visible()
    expect(left.get_by_text("扫码带走")).to_be_visible()

    # a touch stops the loop and shows the route with its QR code
    page.get_by_role("button", name="Inclusive experience: 8 must-go places").tap()
    wait_ready(page)
    card = page.locator("[data-kiosk-itinerary='shenzhen-must-go']")
    expect(card).to_be_visible()
    # the loop stays stopped while the visitor looks: two more runs of the loop's fragment later
    page.wait_for_function("(n) => window.__cpRuns.started >= n", arg=script_runs(page) + 2, timeout=WAIT_MS)
    wait_ready(page)
    expect(card).to_be_visible()
    expect(page.locator("[data-kiosk-step]")).to_have_count(0)
    link = f"{PUBLIC}/itineraries?city=shenzhen&itinerary=shenzhen-must-go"
    assert read_qr(page.locator("[data-testid='stImage'] img").first, link) == [link]
    expect(map_frame(page).locator(".cp-num")).to_have_count(8)  # type: ignore[attr-defined]
    expect(card.locator("li").first).to_contain_text("09:00")  # the route's timeline
    screenshot(page, f"kiosk-{name}-visitor", whole=False)
    assert main.evaluate("(e) => e.scrollHeight <= e.clientHeight + 2")

    # the language switch keeps the choice and turns to Chinese
    page.get_by_role("button", name="中文").tap()
    wait_ready(page)
    expect(page.get_by_text("扫码带走")).to_be_visible(timeout=15_000)
    assert read_qr(page.locator("[data-testid='stImage'] img").first, f"{link}&lang=zh") == [
        f"{link}&lang=zh"
    ]

    # left alone, the other kiosk cleared the choice and returned to the loop
    expect(left.locator("[data-kiosk-itinerary]")).to_have_count(0, timeout=WAIT_MS)
    step(left)
    screenshot(left, f"kiosk-{name}-reset", whole=False)
    assert traffic.console_errors == []
    assert all("tile" in u or "openstreetmap" in u for u in traffic.outside)  # only tiles were tried
