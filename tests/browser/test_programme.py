"""Browser tests of programmes (issue 12): the participants' page at phone size with "now" and
"next" at a pinned clock (``CITYPLUS_NOW``), its QR code decoding to the link, the token in no
outgoing request and in no log line, and the kiosk in event mode."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from itinerary import seed, store
from itinerary.programmes import files, tokens
from itinerary.programmes.records import Item, Programme, ProgrammeSet, Venue
from tests.browser.conftest import (
    LEAFLET_HOOK,
    RUNS_HOOK,
    AppServer,
    Traffic,
    map_frame,
    read_qr,
    screenshot,
    start_server,
    stop_server,
    wait_ready,
    watch,
)
from tests.conftest import DATA

NOW = "2023-01-18T11:20:00+08:00"  # the Qianhai tour, at the Talent Hub
PUBLIC = "https://explore.cityplus.example"
EXPO = ProgrammeSet(
    (
        Programme(
            "expo-2023",
            "shenzhen",
            "City Expo",
            "城市博览会",
            "A test-only public conference.",
            "",
            "conference",
            "2023-01-18",
            "2023-01-18",
            "",
            "",
            "walk",
            "public",
            600,
            "published",
        ),
    ),
    (Venue("expo-2023", "hall", "Expo hall", "展厅", 22.5400, 114.0570, "", "", ""),),
    (
        Item(
            "expo-2023",
            1,
            "2023-01-18",
            "11:00",
            "11:30",
            "meeting",
            "",
            "hall",
            "Keynote",
            "主旨演讲",
            "",
            "",
        ),
        Item(
            "expo-2023",
            2,
            "2023-01-18",
            "11:30",
            "12:00",
            "meeting",
            "",
            "hall",
            "News briefing",
            "新闻发布会",
            "",
            "",
        ),
    ),
)


@pytest.fixture(scope="session")  # a server: see the conftest docstring
def event_server(
    tmp_path_factory: pytest.TempPathFactory, chromium_path: str
) -> Iterator[tuple[AppServer, str]]:
    """The shipped data and a test-only public conference, the clock pinned on the tour's day,
    and a live private link of the tour (made before the app starts)."""
    tmp = tmp_path_factory.mktemp("programme")
    data_dir = tmp / "data"
    shutil.copytree(DATA, data_dir)
    shipped = seed.load_dir(data_dir).programmes
    both = ProgrammeSet(
        shipped.programmes + EXPO.programmes, shipped.venues + EXPO.venues, shipped.items + EXPO.items
    )
    for name, raw in files.write_files(both).items():
        (data_dir / name).write_bytes(raw)
    db = store.open_store(f"sqlite:///{tmp / 'browser.db'}")
    store.ensure_seeded(db, data_dir)
    token = tokens.issue(db, "qianhai-diplomats-2023", username="staff")
    db.engine.dispose()
    env = {
        "CITYPLUS_NOW": NOW,
        "CITYPLUS_PROGRAMME_LINK_DAYS": "36500",  # the tour is in the past: keep its link alive
        "CITYPLUS_PUBLIC_URL": PUBLIC,
        "CITYPLUS_KIOSK_INTERVAL": "2",
    }
    server = start_server(tmp, data_dir, env)
    try:
        yield server, token
    finally:
        stop_server(server)


def open_page(
    browser: Browser, server: AppServer, path: str, size: tuple[int, int], seen: Traffic, **extra: object
) -> Page:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, **extra)  # type: ignore[arg-type]
    context.add_init_script(LEAFLET_HOOK)
    context.add_init_script(RUNS_HOOK)
    watch(context, (server.url,), seen)  # every request that left the app, with its headers
    page = context.new_page()
    page.goto(server.url + path)
    wait_ready(page)
    return page


def test_phone_page_shows_now_and_next_at_the_pinned_clock_and_the_qr_decodes(
    browser: Browser, event_server: tuple[AppServer, str]
) -> None:
    server, token = event_server
    seen = Traffic()
    page = open_page(
        browser, server, f"/programme?token={token}", (390, 844), seen, has_touch=True, is_mobile=True
    )
    box = page.locator(".st-key-prog_now_next")
    expect(box).to_contain_text("Local time 2023-01-18 11:20")
    expect(box).to_contain_text("Now: 10:50–12:00 Qianhai International Talent Hub")
    expect(box).to_contain_text("Next: 12:00–13:30 Lunch")
    expect(page.locator(".st-key-prog_schedule")).to_contain_text("Xiangyunsha fashion show and group photo")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    map_frame(page)  # the day's map is drawn
    image = page.locator(".st-key-prog_qr img")
    image.scroll_into_view_if_needed()
    assert image.bounding_box()["width"] >= 300  # large enough for badges and handouts
    assert read_qr(image, f"{PUBLIC}/programme?token={token}&lang=en") == [
        f"{PUBLIC}/programme?token={token}&lang=en"
    ]
    screenshot(page, "programme-phone")
    assert seen.tiles, "the map asked for tiles"  # the check below saw the requests
    assert not [r for r in seen.headers if token in r]  # not in a URL, not in a Referer
    assert token not in server.log.read_text(errors="replace")


def test_a_wrong_token_is_the_same_plain_not_found(
    browser: Browser, event_server: tuple[AppServer, str]
) -> None:
    server, token = event_server
    texts = []
    for path in (
        f"/programme?token={token[:-3]}abc",
        "/programme?city=shenzhen&programme=qianhai-diplomats-2023",
        "/programme",
    ):
        page = open_page(browser, server, path, (390, 844), Traffic())
        expect(page.get_by_role("heading", name="Not found")).to_be_visible()
        # the whole page, not only its heading: the language switch above it may come after it
        expect(page.get_by_text("中文", exact=True)).to_be_visible()
        texts.append(page.locator("[data-testid='stMain']").inner_text())
        page.context.close()
    assert texts[0] == texts[1] == texts[2]


def test_the_kiosk_in_event_mode(browser: Browser, event_server: tuple[AppServer, str]) -> None:
    server, _ = event_server
    page = open_page(
        browser, server, "/kiosk?city=shenzhen&programme=expo-2023", (1920, 1080), Traffic(), has_touch=True
    )
    card = page.locator("[data-kiosk-event='expo-2023']")
    expect(card).to_be_visible(timeout=30_000)
    expect(card.locator("[data-kiosk-now='1']")).to_contain_text("Now 11:00–11:30")
    expect(card).to_contain_text("Keynote")
    expect(card.locator("[data-kiosk-next='2']")).to_contain_text("Next 11:30–12:00")
    link = f"{PUBLIC}/programme?city=shenzhen&programme=expo-2023&lang=en"
    assert read_qr(page.locator("[data-testid='stImage'] img").first, link) == [link]
    screenshot(page, "kiosk-event")
    # then the loop goes on with its own steps
    expect(page.locator("[data-kiosk-step]")).to_be_visible(timeout=30_000)
