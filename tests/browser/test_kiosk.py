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

from bench import a11y
from tests.browser.conftest import (
    LEAFLET_HOOK,
    RUNS_HOOK,
    AppServer,
    Traffic,
    launch_server,
    map_frame,
    read_qr,
    screenshot,
    script_runs,
    settled,
    stop_server,
    wait_healthy,
    wait_ready,
    watch,
)
from tests.browser.test_accessibility import WAIVERS, axe_source  # noqa: F401 (a fixture)
from tests.conftest import DATA

# every test here on one worker (make test runs the browser tests with --dist loadgroup): one pair
# of kiosk servers for them all, not a pair per worker
pytestmark = pytest.mark.xdist_group("kiosk")

PUBLIC = "https://visit.example.org"
INTERVAL_S = 1.0
LONG_IDLE_S = 600.0  # never reached during the test
SHORT_IDLE_S = 5.0  # long enough to see the route before it resets, on a loaded 2-core machine
WAIT_MS = 60_000  # upper bounds of waits for the loop and the reset, not delays
SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


@pytest.fixture(scope="session")  # a server: see the conftest docstring
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
    # the network cable is pulled (the suite's browser is offline): tiles and all else fail
    watch(context, tuple(server.url for server in kiosk_servers), traffic)
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
    # then makes the text larger, turns on high contrast and changes the language (each a touch:
    # the reset comes after the last; tests/app/test_kiosk.py checks each step on its own)
    for key in ("kiosk_text_large", "kiosk_contrast_on", "kiosk_lang_en"):
        left.locator(f".st-key-{key} button").tap()
        wait_ready(left)

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
    # src=kiosk: counted as a hand-off when a phone opens it, then dropped (test_voice.py)
    assert read_qr(page.locator("[data-testid='stImage'] img").first, f"{link}&src=kiosk") == [
        f"{link}&src=kiosk"
    ]
    expect(map_frame(page).locator(".cp-num")).to_have_count(8)  # type: ignore[attr-defined]
    expect(card.locator("li").first).to_contain_text("09:00")  # the route's timeline
    screenshot(page, f"kiosk-{name}-visitor", whole=False)
    assert main.evaluate("(e) => e.scrollHeight <= e.clientHeight + 2")

    # the language switch keeps the choice and turns to Chinese
    page.get_by_role("button", name="中文").tap()
    wait_ready(page)
    expect(page.get_by_text("扫码带走")).to_be_visible(timeout=15_000)
    assert read_qr(page.locator("[data-testid='stImage'] img").first, f"{link}&lang=zh&src=kiosk") == [
        f"{link}&lang=zh&src=kiosk"
    ]

    # left alone, the other kiosk cleared the choice and returned to the loop, in its own
    # language (it was opened in Chinese), at the standard text size, without high contrast
    expect(left.locator("[data-kiosk-itinerary]")).to_have_count(0, timeout=WAIT_MS)
    step(left)
    expect(left.get_by_role("heading", name="发现深圳")).to_be_visible(timeout=WAIT_MS)
    left.wait_for_function(ROOT_SIZE_IS, arg="28px")
    left.wait_for_function(f"() => ({BACKGROUND_JS})() !== 'rgb(0, 0, 0)'")
    assert left.evaluate("() => document.documentElement.lang") == "zh-Hans"
    screenshot(left, f"kiosk-{name}-reset", whole=False)
    assert traffic.console_errors == []
    assert traffic.outside == []  # only tiles were tried


ROOT_SIZE_IS = "(px) => getComputedStyle(document.documentElement).fontSize === px"
BACKGROUND_JS = "() => getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor"

# Every text the kiosk shows outside the map frame, with its size: the smallest and a few of
# those under ``least`` px.
TEXT_SIZES_JS = """
(least) => {
  const walker = document.createTreeWalker(document.querySelector("[data-testid=stMain]"), NodeFilter.SHOW_TEXT);
  let smallest = Infinity;
  const small = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!node.textContent.trim() || !element || element.closest("[hidden], style, script")) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    smallest = Math.min(smallest, size);
    if (size < least) small.push([element.className, node.textContent.trim().slice(0, 40), size]);
  }
  return {smallest, small: small.slice(0, 8)};
}
"""

# Boxes of the controls: every button of the page, the map frame, and inside it its controls and
# markers (placed by the frame's own box), and the route card that scrolls its stops.
CONTROLS_JS = """
() => {
  const box = (e, dy = 0) => { const r = e.getBoundingClientRect(); return {top: r.top + dy, bottom: r.bottom + dy, width: r.width, height: r.height}; };
  const buttons = [...document.querySelectorAll("button")].map((b) => ({...box(b), name: b.innerText.trim()}))
    .filter((b) => b.width > 0 && b.height > 0);
  const frame = document.querySelector('iframe[data-testid="stCustomComponentV1"]');
  const map = frame ? box(frame) : null;
  let inside = [];
  if (frame && frame.contentDocument) {
    const items = frame.contentDocument.querySelectorAll(".leaflet-control a, .leaflet-marker-icon");
    inside = [...items].map((e) => ({...box(e, map.top), name: e.getAttribute("aria-label") || e.title || "",
      control: !!e.closest(".leaflet-control")}))
      .filter((e) => e.width > 0 && e.top >= map.top && e.bottom <= map.bottom);
  }
  const card = document.querySelector(".cp-kiosk-route");
  const labels = [...document.querySelectorAll(".st-key-kiosk_routes button, .st-key-kiosk_settings button")].map((b) => {
    const p = b.querySelector("p") || b;
    return {name: b.innerText.trim(), cut: p.scrollWidth > p.clientWidth + 1 || b.scrollHeight > b.clientHeight + 1};
  });
  return {buttons, map, inside, card: card ? box(card) : null, labels};
}
"""


def check_kiosk_view(page: Page, name: str, *, text_px: int) -> None:
    """What every view of the kiosk keeps: it fits the screen, type readable from 2 m, touch
    targets of 48 px at least, whole route titles, and in portrait every control in reach."""
    wait_ready(page)
    settled(page)
    screenshot(page, f"kiosk-{name}", whole=False)
    width, height = page.viewport_size["width"], page.viewport_size["height"]  # type: ignore[index]
    main = page.locator("[data-testid='stMain']")
    assert main.evaluate("(e) => e.scrollHeight <= e.clientHeight + 2"), (
        f"{name}: the page would need scrolling"
    )
    texts = page.evaluate(TEXT_SIZES_JS, text_px)
    assert texts["smallest"] >= text_px, f"{name}: text under {text_px} px: {texts['small']}"
    found = page.evaluate(CONTROLS_JS)
    small = [b for b in found["buttons"] if b["width"] < 48 or b["height"] < 48]
    assert found["buttons"] and not small, f"{name}: touch targets under 48 px: {small}"
    cut = [label["name"] for label in found["labels"] if label["cut"]]
    assert len(found["labels"]) >= 8 and not cut, f"{name}: cut-off button titles: {cut}"
    assert found["map"] is not None and found["inside"], f"{name}: no map or nothing on it"
    controls = [c for c in found["inside"] if c["control"]]  # the map's zoom buttons
    small = [c for c in controls if c["width"] < 48 or c["height"] < 48]
    assert controls and not small, f"{name}: map controls under 48 px: {small}"
    if height > width:  # portrait: within reach from a wheelchair
        third = height / 3
        high = [b["name"] for b in found["buttons"] + found["inside"] if b["top"] < third]
        assert not high, f"{name}: controls in the upper third: {high}"
        assert found["map"]["top"] >= third
        if found["card"]:  # the route card reaches down into reach: a strip to scroll it by
            assert found["card"]["bottom"] >= third + 120, found["card"]


def tap(page: Page, key: str) -> None:
    page.locator(f".st-key-{key} button").tap()
    wait_ready(page)


@pytest.mark.parametrize("kiosk", list(SIZES), indirect=True)
def test_kiosk_for_everyone_text_size_contrast_reach_and_whole_titles(
    kiosk: Page,
    request: pytest.FixtureRequest,
    axe_source: str,  # noqa: F811 (the fixture)
) -> None:
    page = kiosk
    size = request.node.callspec.params["kiosk"]
    map_frame(page)
    step(page)
    check_kiosk_view(page, f"{size}-loop-standard", text_px=28)
    tap(page, "kiosk_route_shenzhen-must-go")
    expect(page.locator("[data-kiosk-itinerary='shenzhen-must-go']")).to_be_visible()
    check_kiosk_view(page, f"{size}-route-standard", text_px=28)

    tap(page, "kiosk_text_large")
    page.wait_for_function(ROOT_SIZE_IS, arg="34px")
    check_kiosk_view(page, f"{size}-route-large", text_px=34)

    tap(page, "kiosk_contrast_on")
    page.wait_for_function(f"() => ({BACKGROUND_JS})() === 'rgb(0, 0, 0)'")
    expect(page.get_by_role("button", name="✓ High contrast")).to_be_visible()
    check_kiosk_view(page, f"{size}-route-large-contrast", text_px=34)
    findings = a11y.audit_page(
        page, axe_source, view="kiosk-route", size=size, lang="en", waivers=WAIVERS, strict=True
    )
    assert not findings, [(f.rule, f.frame, f.targets[:3]) for f in findings]

    tap(page, "kiosk_back")
    step(page)
    check_kiosk_view(page, f"{size}-loop-large-contrast", text_px=34)
    findings = a11y.audit_page(
        page, axe_source, view="kiosk", size=size, lang="en", waivers=WAIVERS, strict=True
    )
    assert not findings, [(f.rule, f.frame, f.targets[:3]) for f in findings]
    tap(page, "kiosk_contrast_on")
    tap(page, "kiosk_text_standard")
    page.wait_for_function(ROOT_SIZE_IS, arg="28px")
    page.wait_for_function(f"() => ({BACKGROUND_JS})() !== 'rgb(0, 0, 0)'")
    # the map's style sheet of the theme stays one element however often the loop advances
    assert map_frame(page).evaluate(THEME_STYLES_JS) == 1  # type: ignore[attr-defined]


THEME_STYLES_JS = """() => [...document.head.querySelectorAll("style")]
  .filter((s) => s.textContent.includes("--primary-color")).length"""
