"""Browser tests: Playwright drives Debian's Chromium against a real `streamlit run`.

Only the app's own address is reached: Chromium runs as on a machine without internet
(``bench.a11y.OFFLINE``: no host name resolves), so map tiles and anything else outside fail at
once. Tests record what a page asked for outside (``watch``), and can assert there was nothing
but tiles; a test that wants tiles to load answers them with a blank one (``answer_tiles``).

A server a test module starts for itself is a session fixture, not a module one: pytest-xdist
hands a worker a module's tests in several batches, between other modules' tests, and a
module-scoped server was stopped and started again between them (three extra starts a run).
"""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from bench.a11y import CHROMIUM_ARGS, settle
from itinerary import accounts as acc
from itinerary import counts, store
from itinerary.i18n import t
from itinerary.voice import Inbox, Message, session_bucket
from tests.conftest import DATA, ROOT

CHROMIUM = os.environ.get("CITYPLUS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
# a 1x1 transparent PNG, what answer_tiles serves for every tile (the map shows its plain background)
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg=="
)
TILE_HOSTS = ("tile.openstreetmap.org",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Under --dist loadgroup, pytest-xdist appends "@group" to a grouped test's id, and its
    scheduler keeps a group on one worker by it. Where that no longer holds (pytest 9.2 with
    pytest-xdist 3.8, pytest-dev/pytest-xdist#1386), each worker would start the group's costly
    servers for itself: such a test fails, saying so."""
    grouped = getattr(item.config.option, "loadgroup", False) and item.get_closest_marker("xdist_group")
    if grouped and "@" not in item.nodeid:
        pytest.fail("--dist loadgroup does not group this test (pytest-dev/pytest-xdist#1386)")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        message = (
            f"Chromium not found at {CHROMIUM}: install it with 'apt-get install chromium' (make browser)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class AppServer:
    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    log: Path


def launch_server(tmp: Path, data_dir: Path, extra_env: dict[str, str] | None = None) -> AppServer:
    """Start ``streamlit run`` on a free port without waiting for it (see ``wait_healthy``)."""
    port = free_port()
    env = {
        **os.environ,
        "CITYPLUS_DATA_DIR": str(data_dir),
        "CITYPLUS_DB_URL": f"sqlite:///{tmp / 'browser.db'}",
        **(extra_env or {}),
    }
    log = tmp / "streamlit.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return AppServer(f"http://127.0.0.1:{port}", data_dir, process, log)


def wait_healthy(server: AppServer, timeout: float = 60) -> AppServer:
    """Poll ``/_stcore/health`` until the server answers (servers started together start in
    parallel)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"streamlit exited: {server.log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)  # poll interval while the server starts
    server.process.kill()
    raise RuntimeError(f"streamlit did not become healthy: {server.log.read_text(errors='replace')}")


def start_server(tmp: Path, data_dir: Path, extra_env: dict[str, str] | None = None) -> AppServer:
    return wait_healthy(launch_server(tmp, data_dir, extra_env))


# A test-only city with hostile text: it must show as text and run no script.
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_CITY = "testville,Testville,测试城,Nowhere,10.00000,10.00000,13,UTC\n"
HOSTILE_LANDMARKS = (
    f'hostile-one,testville,"{HOSTILE_NAME}",,10.00100,10.00100,culture,Old <b>Town</b>,'
    '"1 <script>alert(2)</script> St",<script>alert(3)</script> Summary,,30,24/7,yes,free,'
    "https://example.org/?q=a&b=c,published\n"
    "plain-two,testville,Plain Two,,10.00500,10.00600,food,Old Town,,,,30,24/7,yes,free,,published\n"
)


HOSTILE_COLUMNS = [  # the columns of HOSTILE_LANDMARKS; the file may have more (left empty)
    "id",
    "city_id",
    "name",
    "name_zh",
    "lat",
    "lon",
    "themes",
    "district",
    "address",
    "summary",
    "summary_zh",
    "visit_minutes",
    "opening_hours",
    "wheelchair",
    "price",
    "website",
    "status",
]


def add_hostile_city(data_dir: Path) -> None:
    with (data_dir / "cities.csv").open("a", encoding="utf-8") as f:
        f.write(HOSTILE_CITY)
    path = data_dir / "landmarks.csv"
    with path.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    rows = [
        dict(zip(HOSTILE_COLUMNS, cells, strict=True)) for cells in csv.reader(io.StringIO(HOSTILE_LANDMARKS))
    ]
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fieldnames=header, restval="", lineterminator="\n").writerows(rows)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[AppServer]:
    tmp = tmp_path_factory.mktemp("server")
    data_dir = tmp / "data"
    shutil.copytree(DATA, data_dir)
    add_hostile_city(data_dir)
    server = start_server(tmp, data_dir)
    yield server
    stop_server(server)


def stop_server(server: AppServer) -> None:
    """Kill the server: it keeps nothing worth a graceful stop, which took up to 5 s (its
    sessions' timers), and the tests read its database only while it runs."""
    server.process.kill()
    server.process.wait(10)


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    # a busy 2-core CI machine reruns Streamlit scripts slowly: wait longer than the 5 s default
    expect.set_options(timeout=15_000)

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@dataclass
class Traffic:
    """What a page asked for outside the app, and what it logged as errors."""

    outside: list[str] = field(default_factory=list)
    tiles: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # the app's own URLs that answered >= 400
    headers: list[str] = field(default_factory=list)  # every outside request with its headers

    def app_errors(self) -> list[str]:
        """Console errors other than failed loads: tiles that cannot load (no network here) and
        HTTP errors, which ``failed`` lists with their URLs."""
        return [e for e in self.console_errors if not e.startswith("Failed to load resource")]


def watch_handler(app_urls: tuple[str, ...], traffic: Traffic) -> Callable[[object], None]:
    """A "request" listener that records in ``traffic`` every request to outside the app at
    ``app_urls``: tiles in ``tiles``, the rest in ``outside``, and every one of them with its
    headers in ``headers``. The browser is offline (``CHROMIUM_ARGS``): they all fail."""

    def seen(request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        if url.startswith(app_urls) or url.startswith(("data:", "blob:", "about:")):
            return
        if urlparse(url).netloc.endswith(TILE_HOSTS):
            traffic.tiles.append(url)
        else:
            traffic.outside.append(url)
        traffic.headers.append(f"{url} {request.headers}")  # type: ignore[attr-defined]

    return seen


def watch(target: object, app_urls: tuple[str, ...], traffic: Traffic) -> None:
    """Record in ``traffic`` every request of a page or context (its frames' too) to outside the
    app at ``app_urls`` (``watch_handler``)."""
    target.on("request", watch_handler(app_urls, traffic))  # type: ignore[attr-defined]


def answer_tiles(target: object) -> None:
    """Answer a page's or context's tile requests with a blank tile, as a tile server would (the
    map then shows its plain background). This routes, which turns that page's cache off."""
    target.route(  # type: ignore[attr-defined]
        re.compile(r"^https?://[^/]*(?:" + "|".join(re.escape(h) for h in TILE_HOSTS) + ")/"),
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_TILE),
    )


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


class Contexts:
    """Browser contexts kept for the whole session, one per viewport and locale: ``contexts(width,
    height, locale)`` is one of them, and ``with contexts.tab(width, height, locale) as page``
    lends a test that context's own page.

    A context keeps Streamlit's scripts (several MB) in its cache and compiled, so the next page
    does not fetch and compile them again (a page load took 3.4 s in a new context, 2.7 s in a
    used one). The app keeps nothing in the browser (no cookies, no storage): its state is the
    session's, and a new document is a new session. Every context runs LEAFLET_HOOK and
    RUNS_HOOK. Nothing routes requests here (the browser is offline), which keeps the cache on.

    Each context keeps one page open for good, and lends it to one test at a time: opening the
    app again in a page that had it open costs Chromium about 40 % less CPU than in a new page
    (6 Explore loads: 6.3-7.6 s of CPU against 11.6-13.6 s; a page opened by the kept page, in
    its renderer process, cost as much as a new one: 3 December 2026). And once a context's last
    page closed, the next page cost about a quarter more again. After the test the page is
    emptied (``about:blank``), its routes dropped and its viewport put back; what a navigation
    does not undo (an init script of the page) a test does on a page of its own
    (``contexts(...).new_page()``), and listeners are removed by whoever added them."""

    def __init__(self, browser: object) -> None:
        from playwright.sync_api import Browser, BrowserContext, Page

        assert isinstance(browser, Browser)
        self.browser = browser
        self.made: dict[tuple[int, int, str], BrowserContext] = {}
        self.kept: dict[tuple[int, int, str], Page] = {}

    def __call__(self, width: int, height: int, locale: str = "en-US") -> Any:
        key = (width, height, locale)
        if key not in self.made:
            context = self.browser.new_context(viewport={"width": width, "height": height}, locale=locale)
            context.add_init_script(LEAFLET_HOOK)
            context.add_init_script(RUNS_HOOK)
            self.made[key] = context
            self.kept[key] = context.new_page()
        return self.made[key]

    @contextlib.contextmanager
    def tab(self, width: int, height: int, locale: str = "en-US") -> Iterator[Any]:
        """The kept page of the context for (width, height, locale), blank, for one test."""
        context = self(width, height, locale)
        key = (width, height, locale)
        if self.kept[key].is_closed():  # the test before closed it
            self.kept[key] = context.new_page()
        page = self.kept[key]
        try:
            yield page
        finally:
            if not page.is_closed():
                page.unroute_all(behavior="ignoreErrors")
                page.goto("about:blank")  # ends the app's session in it
                if page.viewport_size != {"width": width, "height": height}:
                    page.set_viewport_size({"width": width, "height": height})

    def close(self) -> None:
        for context in self.made.values():
            context.close()


@pytest.fixture(scope="session")
def contexts(browser: object) -> Iterator[Contexts]:
    """The session's kept browser contexts and their pages (``Contexts``)."""
    made = Contexts(browser)
    yield made
    made.close()


@pytest.fixture
def page(contexts: Contexts, app_server: AppServer, traffic: Traffic) -> Iterator[object]:
    """The desktop context's page for this test (``Contexts.tab``), watched: outside requests,
    dialogs (dismissed), the app's failed responses, console errors and page errors go to
    ``traffic``."""
    from playwright.sync_api import Response

    app_host = urlparse(app_server.url).netloc

    def on_response(response: Response) -> None:
        path = urlparse(response.url).path
        # opened at /itineraries, Streamlit's frontend first probes /itineraries/_stcore/...
        probe = "/_stcore/" in path and not path.startswith("/_stcore/")
        if response.status >= 400 and urlparse(response.url).netloc == app_host and not probe:
            traffic.failed.append(f"{response.status} {response.url}")

    listeners = {
        "request": watch_handler((app_server.url,), traffic),
        "dialog": lambda d: (traffic.dialogs.append(d.message), d.dismiss()),
        "response": on_response,
        "console": lambda m: traffic.console_errors.append(m.text) if m.type == "error" else None,
        "pageerror": lambda e: traffic.console_errors.append(str(e)),
    }
    with contexts.tab(1366, 900) as pg:
        for event, listener in listeners.items():
            pg.on(event, listener)
        try:
            yield pg
        finally:
            for event, listener in listeners.items():
                pg.remove_listener(event, listener)


# Runs in every frame before its scripts: registers each Leaflet map as it is created, so a test
# can walk the map's layers (folium declares the map inside a script a test cannot reach).
LEAFLET_HOOK = """
(() => {
  let leaflet;
  Object.defineProperty(window, "L", {
    configurable: true,
    get() { return leaflet; },
    set(value) {
      leaflet = value;
      if (value && value.Map && !value.__cpHooked) {
        value.__cpHooked = true;
        value.Map.addInitHook(function () { (window.__cpMaps = window.__cpMaps || []).push(this); });
      }
    },
  });
})();
"""

# Runs in the page before its scripts: counts the script runs Streamlit starts (full reruns and
# fragment runs both turn stApp's data-test-script-state to "running") and when the state last
# changed, so a test can wait for a run instead of sleeping.
RUNS_HOOK = """
(() => {
  if (window.top !== window) return;
  const runs = (window.__cpRuns = { started: 0, seen: 0, changed: performance.now() });
  let watched = null;
  const observer = new MutationObserver(() => {
    runs.changed = performance.now();
    if (watched.getAttribute("data-test-script-state") === "running") runs.started += 1;
  });
  const watch = () => {
    const app = document.querySelector("[data-testid='stApp']");
    if (app && app !== watched) {
      watched = app;
      runs.changed = performance.now();
      if (app.getAttribute("data-test-script-state") === "running") runs.started += 1;
      observer.disconnect();
      observer.observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
    }
  };
  new MutationObserver(watch).observe(document, { childList: true, subtree: true });
})();
"""

# Landmark ids of the pins on the first map of a frame, looking inside marker-cluster groups, and
# those a layer drawn by view represents (its clusters count their members).
PINS_JS = """
() => {
  const map = (window.__cpMaps || [])[0];
  if (!map) return null;
  const ids = [];
  map.eachLayer((layer) => {
    if (layer.getLayers && layer._featureGroup) {  // a marker-cluster group
      layer.getLayers().forEach((m) => { if (m.options.landmarkId) ids.push(m.options.landmarkId); });
    }
  });
  if (map.cpIndexed) ids.push(...map.cpIndexed.shownIds());  // drawn by view: itinerary/map_index.py
  return ids.sort();
}
"""


# Whether any frame of the page (iframes in iframes too; other origins are skipped) satisfies
# a predicate ``(win, arg) => bool``: to wait on what a map's frame holds from the page itself.
IN_SOME_FRAME_JS = """
([predicate, arg]) => {
  const test = new Function("return " + predicate)();
  const frames = (w) => {
    const out = [w];
    for (let i = 0; i < w.frames.length; i++) {
      try { out.push(...frames(w.frames[i])); } catch (e) { /* another origin */ }
    }
    return out;
  };
  return frames(window).some((w) => { try { return !!test(w, arg); } catch (e) { return false; } });
}
"""
HAS_MAP = "(w) => (w.__cpMaps || []).length > 0"
HAS_N_PINS = (
    "(w, n) => { const ids = []; w.__cpMaps[0].eachLayer((l) => { if (l.getLayers && l._featureGroup) "
    "l.getLayers().forEach((m) => { if (m.options.landmarkId) ids.push(m); }); }); "
    "return ids.length + (w.__cpMaps[0].cpIndexed ? w.__cpMaps[0].cpIndexed.shownIds().length : 0) === n; }"
)


def wait_in_some_frame(page: object, predicate: str, arg: object = None, timeout: float = 30.0) -> None:
    """Wait until some frame of the page satisfies ``predicate`` (see IN_SOME_FRAME_JS)."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.wait_for_function(IN_SOME_FRAME_JS, arg=[predicate, arg], timeout=timeout * 1000, polling=100)


def map_frame(page: object, timeout: float = 30.0) -> object:
    """The frame of the st_folium map, once its Leaflet map exists."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate("() => (window.__cpMaps || []).length") > 0:
                    return frame
            except Exception:  # a frame navigating away; try again
                pass
        wait_in_some_frame(page, HAS_MAP, timeout=max(deadline - time.monotonic(), 0.1))
    raise AssertionError("no Leaflet map appeared")


def pins(page: object, expected: int | None = None, timeout: float = 30.0) -> list[str]:
    """Landmark ids on the map; waits until there are ``expected`` of them if given."""
    from playwright.sync_api import Error, Page

    assert isinstance(page, Page)
    deadline = time.monotonic() + timeout
    ids: list[str] = []
    while time.monotonic() < deadline:
        frame = map_frame(page, timeout)
        ids = frame.evaluate(PINS_JS) or []  # type: ignore[attr-defined]
        if expected is None or len(ids) == expected:
            return ids
        try:  # until a map holds that many, then read them again
            wait_in_some_frame(page, HAS_N_PINS, expected, timeout=max(deadline - time.monotonic(), 0.1))
        except Error:  # timed out: the caller's assertion shows what there is
            break
    return ids


# Ready: the script is not running and either a run started since the last time the page was
# ready (the one the last action asked for) and 100 ms passed without a new one, or, when none
# started, nothing changed for 300 ms since the call (an action that asked for no run: Streamlit
# shows a requested rerun only once the server starts it). Without RUNS_HOOK: 300 ms after the call.
READY_JS = """
([called, quiet, settle]) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
  const now = performance.now();
  const runs = window.__cpRuns;
  if (!runs) return now - called >= quiet;
  if (runs.started > runs.seen) {
    if (now - runs.changed < settle) return false;
    runs.seen = runs.started;
    return true;
  }
  return now - called >= quiet && now - runs.changed >= quiet;
}
"""


def script_runs(page: object) -> int:
    """How many script runs (reruns and fragment runs) the page has seen (RUNS_HOOK)."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    return int(page.evaluate("() => window.__cpRuns ? window.__cpRuns.started : -1"))


def wait_ready(page: object, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished the script run that the last action started."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    called = page.evaluate("() => performance.now()")
    page.wait_for_function(READY_JS, arg=[called, 300, 100], timeout=timeout, polling=50)


# Resolves once the layout (the main area, the sidebar, every iframe) stays the same for two
# animation frames: after a scroll or a change of viewport, before measuring or a screenshot.
SETTLED_JS = """
() => new Promise((done) => {
  const shape = () => [...document.querySelectorAll("[data-testid=stMain], [data-testid=stSidebar], iframe")]
    .map((e) => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height, e.scrollHeight]; })
    .join(";");
  let last = shape(), same = 0;
  const tick = () => {
    const now = shape();
    same = now === last ? same + 1 : 0;
    last = now;
    if (same >= 2) done(true); else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})
"""


def settled(page: object) -> None:
    """Wait until nothing on the page moves any more (see SETTLED_JS)."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.evaluate(SETTLED_JS)


def screenshot(page: object, name: str, *, whole: bool = True) -> Path:
    """Save a screenshot to test-artifacts/. Streamlit scrolls its main container rather than
    the document, so for the whole page the viewport is stretched to the content's height."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size
    if whole and size:
        height = page.evaluate(
            "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stSidebar]')]"
            ".map((e) => e.scrollHeight), window.innerHeight)"
        )
        page.set_viewport_size({"width": size["width"], "height": min(int(height), 6000)})
        settled(page)
    page.screenshot(path=str(path))
    if whole and size:
        page.set_viewport_size(size)
    return path


def read_qr(image: object, expected: str, timeout: float = 20.0) -> list[str]:
    """The texts of the QR codes in an image element, read from what the browser shows.

    Reads again until they are ``[expected]`` or ``timeout`` seconds have passed: after a rerun,
    Streamlit may still show the element faded as stale, or the new image may not be decoded
    yet. Returns the last reading, so the caller's assertion shows what was seen."""
    import io

    import zxingcpp
    from PIL import Image
    from playwright.sync_api import Locator

    assert isinstance(image, Locator)
    deadline = time.monotonic() + timeout
    while True:
        image.evaluate("(img) => img.decode ? img.decode().catch(() => null) : null")
        texts = [d.text for d in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.screenshot())))]
        if texts == [expected] or time.monotonic() > deadline:
            return texts
        image.page.wait_for_timeout(200)  # the next reading, not a wait for the answer


# --- a server with an admin account (test_accessibility.py, test_access.py) -----------------------

STAFF_PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")  # a server: see the conftest docstring
def staff_server(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[AppServer]:
    """A server of its own with an admin account (the suite's server has none: its sign-in page
    shows how to create the first one, which test_accessibility.py audits). Here, not in a test
    module: a fixture imported into a second module is a second fixture, and started a second
    server on the same worker."""
    tmp = tmp_path_factory.mktemp("a11y-staff")
    shutil.copytree(DATA, tmp / "data")
    database = store.open_store(f"sqlite:///{tmp / 'browser.db'}")
    store.ensure_seeded(database, tmp / "data")
    acc.AccountStore(database).add("ada", STAFF_PASSWORD, acc.ADMIN, [])
    seed_voice(database)
    server = start_server(tmp, tmp / "data")
    yield server
    stop_server(server)


def seed_voice(database: store.Store) -> None:
    """One visitor's report in the Inbox and a few counts for Reach, so both sections show it all."""
    message = Message(
        city_id="shenzhen",
        kind="correction",
        topic="hours",
        landmark_id="oct-loft",
        text="<b>Opens</b> at nine",
        proposed="Tu-Su 09:00-18:00",
        page="explore",
    )
    Inbox(database).send(message, session=session_bucket("a11y"), landmarks={"oct-loft"}, themes=())
    for event, key, n in (
        (counts.PAGE_VIEW, "explore", 5),
        (counts.ITINERARY_OPEN, "shenzhen-must-go", 3),
        (counts.EXPORT, "gpx", 2),
        (counts.KIOSK_TOUCH, "", 4),
        (counts.SEARCH_EMPTY, "ferry", 2),
    ):
        counts.count(database, event, city_id="shenzhen", key=key, by=n, timezone="Asia/Shanghai")


def sign_in_admin(page: object, server: AppServer, lang: str) -> None:
    """Sign in as the staff server's admin on Curate in ``lang``."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{server.url}/curate?lang={lang}")
    settle(page)
    page.get_by_role("textbox", name=t("cur.signin.user", lang)).fill("ada")
    page.get_by_role("textbox", name=t("cur.signin.password", lang)).fill(STAFF_PASSWORD)
    page.get_by_role("button", name=t("cur.signin.submit", lang)).click()
    expect(page.get_by_role("heading", name=t("cur.title", lang))).to_be_visible()
