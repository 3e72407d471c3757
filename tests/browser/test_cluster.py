"""Two app processes behind a real nginx on one PostgreSQL (``itinerary.cluster``), in Chromium.

Each test starts its own set-up: nginx from Debian's packages, two ``streamlit run`` processes,
one PostgreSQL schema. Which process holds a browser's session is read from the machine itself:
the proxy closes every connection to an app but a websocket, so the open connections on each
app's port are its sessions (``cluster.established``). Which process the proxy picks for a node
cookie is read from the proxy's access log, as an operator would.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from itinerary import accounts as acc
from itinerary import cluster, store
from itinerary import curation as cu
from tests.browser.conftest import free_port, wait_ready
from tests.browser.test_curate import type_into
from tests.conftest import DATA, ROOT, copied_pg_url

PASSWORD = "correct horse battery"
STOPS = "ping-an-finance-center,shenzhen-museum,huaqiang-north,lianhuashan-park,shuiwei-1368,shenzhen-civic-center"
BAD_IMPORT = ROOT / "tests" / "fixtures" / "imports" / "excel-bad-row" / "landmarks.csv"


@pytest.fixture
def pair(tmp_path: Path, pg_schemas: object, chromium_path: str) -> Iterator[cluster.Cluster]:
    if not Path(cluster.NGINX).exists():
        message = f"nginx not found at {cluster.NGINX}: install it with 'apt-get install nginx' (make nginx)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    data_dir = tmp_path / "data"
    shutil.copytree(DATA, data_dir)
    db_url = copied_pg_url(pg_schemas, data_dir)  # type: ignore[arg-type]
    database = store.open_store(db_url)
    acc.AccountStore(database).add("eddie", PASSWORD, acc.EDITOR, ["shenzhen"])
    env = {"CITYPLUS_DB_URL": db_url, "CITYPLUS_DATA_DIR": str(data_dir), "CITYPLUS_GEOCODER": "off"}
    with cluster.Cluster([free_port(), free_port()], free_port(), tmp_path / "run", env) as running:
        yield running


def logged_port(pair: cluster.Cluster, node: str, timeout: float = 10) -> int:
    """The app port of the access log's line for ``node`` (nginx writes it just after answering)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in reversed(pair.access_log.read_text().splitlines()):
            if f"node={node}" in line:
                return int(re.search(r"upstream=[\d.]+:(\d+)", line).group(1))  # type: ignore[union-attr]
        time.sleep(0.05)  # polling the log file
    raise AssertionError(f"no access log line for node {node}")


def node_cookies(pair: cluster.Cluster) -> dict[int, str]:
    """A node cookie the proxy sends to each app port: asked for as a new browser would, and the
    port read from the access log's line for that request."""
    found: dict[int, str] = {}
    for _ in range(40):  # each new cookie lands on either process: 2^-40 to miss one
        with urllib.request.urlopen(pair.url + "/_stcore/health", timeout=10) as answer:
            cookies = answer.headers.get_all("Set-Cookie") or []
        value = next(c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith(cluster.NODE_COOKIE))
        port = logged_port(pair, value)
        found.setdefault(port, value)
        if len(found) == len(pair.apps):
            return found
    raise AssertionError(f"the proxy sent 40 new browsers to {sorted(found)} only")


def visitor(browser: Browser, pair: cluster.Cluster, node: str | None) -> BrowserContext:
    """A browser context with its own cookies (the node cookie if given), offline like every one."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    if node is not None:
        context.add_cookies([{"name": cluster.NODE_COOKIE, "value": node, "url": pair.url}])
    return context


def served(pair: cluster.Cluster, node: str) -> list[tuple[str, int]]:
    """(path, app port) of every request the access log holds for a node cookie: the port that
    finally answered (after a failed one, nginx logs both). A websocket's line comes when it closes."""
    out = []
    for line in pair.access_log.read_text().splitlines():
        if line.endswith(f"node={node}"):
            path = line.split('"')[1].split()[1]
            ports = re.findall(r"[\d.]+:(\d+)", line.split("upstream=")[1])
            out.append((path, int(ports[-1])))
    return out


def node_of(context: BrowserContext) -> str:
    return next(c["value"] for c in context.cookies() if c["name"] == cluster.NODE_COOKIE)


def streams_logged(pair: cluster.Cluster, node: str, websockets: int) -> list[tuple[str, int]]:
    """Every request of ``node`` once the log holds ``websockets`` websocket lines for it."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        requests = served(pair, node)
        if sum(path.startswith("/_stcore/stream") for path, _ in requests) >= websockets:
            return requests
        time.sleep(0.1)  # polling the log file
    raise AssertionError(f"{websockets} websocket(s) of {node} never closed: {served(pair, node)}")


def closed(pair: cluster.Cluster, context: BrowserContext, websockets: int) -> list[tuple[str, int]]:
    """Close a visitor's browser and wait for its ``websockets`` sessions' lines in the log."""
    node = node_of(context)
    context.close()
    return streams_logged(pair, node, websockets)


def sign_in_on(page: Page, url: str) -> None:
    page.goto(url + "/curate")
    wait_ready(page)
    page.get_by_role("textbox", name="User name").fill("eddie")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_ready(page)
    expect(page.get_by_role("heading", name="Curate content")).to_be_visible()


def pick_landmark(page: Page, name: str) -> None:
    """Pick a landmark on Curate by typing its name into the list (a long list shows only its top)."""
    box = page.get_by_label("Landmark", exact=True)
    box.click()
    page.keyboard.type(name)
    page.get_by_role("option", name=name).first.click()
    wait_ready(page)


def test_a_session_stays_on_its_process_and_an_edit_through_one_shows_through_the_other(
    browser: Browser, pair: cluster.Cluster
) -> None:
    nodes = node_cookies(pair)
    first, second = (app.port for app in pair.apps)

    # a visitor on the first process: reruns (mode changes) and downloads keep to it
    travelling = visitor(browser, pair, nodes[first])
    traveller = travelling.new_page()
    traveller.goto(f"{pair.url}/plan?city=shenzhen&stops={STOPS}&mode=walk")
    wait_ready(traveller)
    for mode in ("Public transport", "Walk", "Public transport"):
        traveller.get_by_role("radio", name=mode).click()
        wait_ready(traveller)
    with traveller.expect_download() as info:  # the file lives in the session's process only
        traveller.get_by_role("button", name="GPX (maps apps)").click()
    assert info.value.failure() is None and b"<gpx" in Path(info.value.path()).read_bytes()
    requests = closed(pair, travelling, 1)
    assert {port for _, port in requests} == {first}  # every request, the download's too
    assert [p for p, _ in requests if p.startswith("/_stcore/stream")] == ["/_stcore/stream"]  # one session
    assert any(p.startswith("/media/") for p, _ in requests)

    # staff on the first process rename a landmark; an upload goes through the proxy (XSRF)
    staffing = visitor(browser, pair, nodes[first])
    staff = staffing.new_page()
    sign_in_on(staff, pair.url)
    pick_landmark(staff, "Shenzhen Museum")
    type_into(staff, "Name (English)", "Shenzhen Museum of the Proxy Test")
    staff.get_by_role("button", name="Save").click()
    wait_ready(staff)
    expect(staff.get_by_text("Saved.", exact=True)).to_be_visible()
    staff.get_by_role("radio", name="Import / export").click()
    wait_ready(staff)
    staff.locator("input[type=file]").set_input_files(str(BAD_IMPORT))
    wait_ready(staff)
    staff.get_by_role("button", name="Check and preview").click()
    wait_ready(staff)
    expect(staff.get_by_text("5 problem(s): nothing can be imported")).to_be_visible()
    requests = closed(pair, staffing, 1)
    assert {port for _, port in requests} == {first}
    assert any(p.startswith("/_stcore/upload_file/") for p, _ in requests)

    # a visitor on the second process sees the new name at once
    looking = visitor(browser, pair, nodes[second])
    other = looking.new_page()
    other.goto(f"{pair.url}/?city=shenzhen&q=Proxy+Test")
    wait_ready(other)
    expect(other.get_by_text("Shenzhen Museum of the Proxy Test").first).to_be_attached()  # the list
    assert {port for _, port in closed(pair, looking, 1)} == {second}


def test_killing_one_process_loses_only_its_sessions(browser: Browser, pair: cluster.Cluster) -> None:
    nodes = node_cookies(pair)
    first, second = (app.port for app in pair.apps)
    curator = cu.Curator(store.open_store(str(pair.env["CITYPLUS_DB_URL"])))

    on_first = visitor(browser, pair, nodes[first]).new_page()
    on_first.goto(f"{pair.url}/plan?city=shenzhen&stops={STOPS}")
    wait_ready(on_first)
    staying = visitor(browser, pair, nodes[second])
    on_second = staying.new_page()
    on_second.goto(f"{pair.url}/plan?city=shenzhen&stops={STOPS}")
    wait_ready(on_second)
    # an edit through the first process, just before it dies
    staff = visitor(browser, pair, nodes[first]).new_page()
    sign_in_on(staff, pair.url)
    pick_landmark(staff, "Huaqiang North")
    type_into(staff, "Name (English)", "Huaqiang North Before The Crash")
    staff.get_by_role("button", name="Save").click()
    wait_ready(staff)
    expect(staff.get_by_text("Saved.", exact=True)).to_be_visible()
    staff.context.close()
    changes_before = curator.recent("shenzhen", limit=1000)
    assert changes_before and cluster.established(first) > 0

    pair.kill(0)
    # the first process's two websockets (the staff's, closed above, and on_first's, cut by the
    # kill) are logged when they close: wait for both lines, so what follows is after the kill
    lines_at_kill = len(streams_logged(pair, nodes[first], 2))

    # the second process's visitor goes on: a rerun answers, on the same session
    on_second.get_by_role("radio", name="Public transport").click()
    wait_ready(on_second)
    expect(on_second.get_by_text("by public transport (estimate)").first).to_be_visible()
    # a new visitor, and a returning one whose cookie names the dead process, reach the second
    arriving = visitor(browser, pair, None)
    returning = visitor(browser, pair, nodes[first])
    for context in (arriving, returning):
        page = context.new_page()
        page.goto(f"{pair.url}/?city=shenzhen&q=Before+The+Crash")
        wait_ready(page)  # and they see the edit made through the dead process
        expect(page.get_by_text("Huaqiang North Before The Crash").first).to_be_attached()
    assert {port for _, port in closed(pair, arriving, 1)} == {second}
    after_kill = closed(pair, returning, 1)[lines_at_kill:]
    assert after_kill and {port for _, port in after_kill} == {second}
    kept = closed(pair, staying, 1)  # one websocket from before the kill to now: the same session
    assert [p for p, _ in kept if p.startswith("/_stcore/stream")] == ["/_stcore/stream"]
    assert {port for _, port in kept} == {second}

    assert curator.landmark("huaqiang-north")[0].name == "Huaqiang North Before The Crash"
    assert curator.recent("shenzhen", limit=1000) == changes_before
