"""Browser tests of visitors' voice and the counts (issue 13): a visitor reports wrong hours and
an editor accepts the correction into the landmark; a kiosk QR link opened counts one hand-off
and leaves a clean URL; Reach draws its charts with Streamlit's own Vega, offline."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from datetime import date

import pandas as pd
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from itinerary import accounts as acc
from itinerary import counts, store
from itinerary.counts import figures
from itinerary.curation import Curator
from tests.browser.conftest import (
    LEAFLET_HOOK,
    RUNS_HOOK,
    AppServer,
    Traffic,
    screenshot,
    start_server,
    stop_server,
    wait_ready,
    watch,
)
from tests.conftest import DATA

PASSWORD = "correct horse battery"
HOURS = "Tu-Su 09:30-17:30"


@pytest.fixture(scope="session")  # a server: see the conftest docstring
def voice_server(
    tmp_path_factory: pytest.TempPathFactory, chromium_path: str
) -> Iterator[tuple[AppServer, store.Store]]:
    """A server of its own, with an editor of Shenzhen (the suite's server has no accounts)."""
    tmp = tmp_path_factory.mktemp("voice")
    shutil.copytree(DATA, tmp / "data")
    database = store.open_store(f"sqlite:///{tmp / 'browser.db'}")
    store.ensure_seeded(database, tmp / "data")
    acc.AccountStore(database).add("eddie", PASSWORD, acc.EDITOR, ["shenzhen"])
    server = start_server(tmp, tmp / "data")
    yield server, database
    stop_server(server)


@pytest.fixture
def context(
    browser: Browser, voice_server: tuple[AppServer, store.Store]
) -> Iterator[tuple[BrowserContext, list[str]]]:
    """A fresh browser (a new session) that reaches nothing outside the app (offline, like every
    context of the suite): the requests it tried other than tiles."""
    server, _ = voice_server
    traffic = Traffic()
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    watch(ctx, (server.url,), traffic)
    ctx.add_init_script(LEAFLET_HOOK)
    ctx.add_init_script(RUNS_HOOK)
    yield ctx, traffic.outside
    ctx.close()


def figures_when(database: store.Store, ready: Callable[[pd.DataFrame], bool]) -> pd.DataFrame:
    """The server's counts once ``ready`` holds: its count writer writes a moment after the run."""
    deadline = time.monotonic() + 30
    while True:
        frame = figures.read(database, ["shenzhen"], date(2000, 1, 1), date(2100, 1, 1))
        if ready(frame) or time.monotonic() > deadline:
            return frame
        time.sleep(0.1)  # polling the database for a state, not waiting for a time


def sign_in(page: Page, server: AppServer) -> None:
    page.goto(f"{server.url}/curate?city=shenzhen")
    wait_ready(page)
    page.get_by_role("textbox", name="User name").fill("eddie")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Curate content")).to_be_visible()
    wait_ready(page)


def test_a_visitor_reports_wrong_hours_and_an_editor_accepts_them_into_the_landmark(
    browser: Browser, voice_server: tuple[AppServer, store.Store], context: tuple[BrowserContext, list[str]]
) -> None:
    server, database = voice_server
    ctx, outside = context
    visitor = ctx.new_page()
    visitor.goto(f"{server.url}/?city=shenzhen&landmark=oct-loft")
    wait_ready(visitor)
    report = visitor.locator(".st-key-vo_report")
    report.get_by_text("Report a problem").click()
    expect(report.get_by_text("Kept: only your text, the time and the page")).to_be_visible()
    report.get_by_role("radio", name="Wrong opening hours").check(force=True)
    report.get_by_role("textbox", name="Tell us briefly").fill("<b>Opens</b> at half past nine now")
    report.get_by_role("textbox", name="The correct value").fill(HOURS)
    report.get_by_role("textbox", name="The correct value").press("Tab")
    wait_ready(visitor)
    report.get_by_role("button", name="Send to the city's staff").click()
    expect(report.get_by_text("Thank you. The city's staff will check it")).to_be_visible()
    screenshot(visitor, "voice-report-sent", whole=False)

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US").new_page()
    try:
        sign_in(staff, server)
        expect(staff.get_by_test_id("stSidebar").get_by_text("1 new from visitors")).to_be_visible()
        staff.get_by_role("radio", name="Inbox (1)").click()
        wait_ready(staff)
        expect(staff.get_by_text("Wrong opening hours: OCT Loft")).to_be_visible()
        expect(
            staff.get_by_text("<b>Opens</b> at half past nine now", exact=False)
        ).to_be_visible()  # as text
        assert staff.locator("b", has_text="Opens").count() == 0
        screenshot(staff, "voice-inbox", whole=False)
        staff.get_by_role("button", name="Accept: open in the editor").click()
        wait_ready(staff)
        hours = staff.locator(".st-key-lm_f_opening_hours input")
        expect(hours).to_have_value(HOURS)
        expect(staff.get_by_text("A visitor's correction (Wrong opening hours) is filled in")).to_be_visible()
        outline = hours.evaluate("(e) => getComputedStyle(e).outlineStyle")
        assert outline == "solid"  # the proposed value is marked
        screenshot(staff, "voice-editor-proposal", whole=False)
        staff.get_by_role("button", name="Save").click()
        wait_ready(staff)
        expect(staff.get_by_text("Saved", exact=False).first).to_be_visible()
    finally:
        staff.context.close()
    lm, _ = Curator(database).landmark("oct-loft")
    assert lm.opening_hours == HOURS
    assert Curator(database).history("landmark", "oct-loft")[0].username == "eddie"
    assert outside == []


def test_a_kiosk_qr_link_counts_one_hand_off_and_leaves_a_clean_url(
    voice_server: tuple[AppServer, store.Store], context: tuple[BrowserContext, list[str]]
) -> None:
    server, database = voice_server
    ctx, outside = context
    phone = ctx.new_page()
    clean = f"{server.url}/itineraries?city=shenzhen&itinerary=shenzhen-must-go"
    phone.goto(f"{clean}&src=kiosk")
    wait_ready(phone)
    phone.wait_for_url(clean)  # the marker is gone from the link the visitor keeps (and shares)
    phone.reload()  # the same link again: no marker, no hand-off
    wait_ready(phone)
    assert phone.url == clean
    frame = figures_when(database, lambda f: int(f.loc[f["event"] == counts.ITINERARY_OPEN, "n"].sum()) >= 2)
    handoffs = frame[frame["event"] == counts.QR_HANDOFF]
    assert handoffs[["key", "n"]].values.tolist() == [["itineraries", 1]]
    opens = frame[(frame["event"] == counts.ITINERARY_OPEN) & (frame["key"] == "shenzhen-must-go")]
    assert int(opens["n"].sum()) == 2  # once per browser session: the reload is a new one
    assert outside == []


def test_reach_draws_its_charts_offline(
    voice_server: tuple[AppServer, store.Store], context: tuple[BrowserContext, list[str]]
) -> None:
    server, database = voice_server
    for fmt, n in (("gpx", 3), ("ics", 1)):
        counts.count(database, counts.EXPORT, city_id="shenzhen", key=fmt, by=n, timezone="Asia/Shanghai")
    ctx, outside = context
    staff = ctx.new_page()
    sign_in(staff, server)
    staff.get_by_role("radio", name="Reach").click()
    wait_ready(staff)
    charts = staff.get_by_test_id("stVegaLiteChart")
    expect(charts.first).to_be_visible()
    expect(charts.first.locator("canvas, svg").first).to_be_visible()
    screenshot(staff, "voice-reach")
    assert outside == []
