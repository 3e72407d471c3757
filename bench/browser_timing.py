"""Headless Chromium timing of "every point is on the map", and the bytes the page receives.

An init script, run in every frame before any page script, turns ``window.L`` into an
accessor: when Leaflet assigns itself, ``L.Map.addInitHook`` records every map created in
that frame in ``window.__cpMaps``. The streamlit-folium iframe (title
``streamlit_folium.st_folium``) is then polled until one of its maps holds the expected
number of point layers: markers inside marker-cluster groups (``group.getLayers()``) plus
markers added directly (``L.Marker`` in ``map._layers``, not a cluster icon, not clustered),
plus, for a layer that draws only what is in view (``itinerary/map_index.py``), the landmarks
its markers on the map represent (its clusters count their members: the map container's
``data-cp-landmarks-shown``).

Only the app's own host is reached: tile requests get a local 1x1 PNG, anything else
outside is aborted and recorded.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urlparse

from playwright.sync_api import Browser, Error, Frame, Page, Playwright, Route, WebSocket, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"]
TILE_HOSTS = ("tile.openstreetmap.org",)
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
MAP_IFRAME = "iframe[data-testid='stCustomComponentV1']"
SCRIPT_DONE = "[data-testid='stApp'][data-test-script-state='notRunning']"

HOOK_JS = """
(function () {
  var current;
  Object.defineProperty(window, "L", {
    configurable: true,
    enumerable: true,
    get: function () { return current; },
    set: function (value) {
      current = value;
      if (value && value.Map && value.Map.addInitHook && !value.__cpHooked) {
        value.__cpHooked = true;
        value.Map.addInitHook(function () {
          (window.__cpMaps = window.__cpMaps || []).push(this);
          if (window.__cpMapCreated === undefined) { window.__cpMapCreated = Date.now(); }
        });
      }
    }
  });
  if (window.top === window) {
    // the main page: note when Streamlit first reports the script as finished after a run
    var sawRunning = false;
    new MutationObserver(function () {
      var app = document.querySelector("[data-testid='stApp']");
      var state = app && app.getAttribute("data-test-script-state");
      if (state === "running") { sawRunning = true; }
      if (state === "notRunning" && sawRunning && window.__cpScriptDone === undefined) {
        window.__cpScriptDone = performance.now();
      }
    }).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-test-script-state"],
                          childList: true});
  }
})();
"""

# The largest number of point layers on any Leaflet map of the frame (-1: no Leaflet yet).
COUNT_JS = """
() => {
  var L = window.L, maps = window.__cpMaps || [];
  if (!L || !L.Map) { return -1; }
  var best = 0;
  maps.forEach(function (map) {
    var layers = Object.values(map._layers), clustered = new Set(), n = 0;
    layers.forEach(function (layer) {
      if (L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) {
        layer.getLayers().forEach(function (m) { if (m.getLatLng) { clustered.add(m); n++; } });
      }
    });
    layers.forEach(function (layer) {
      var isClusterIcon = L.MarkerCluster && layer instanceof L.MarkerCluster;
      var indexed = layer.options && layer.options.cpIndexed;  // counted below, clusters with members
      if (layer instanceof L.Marker && !isClusterIcon && !indexed && !clustered.has(layer)) { n++; }
    });
    // a layer drawn by view (itinerary/map_index.py): the landmarks its markers represent
    n += Number(map.getContainer().getAttribute("data-cp-landmarks-shown") || 0);
    best = Math.max(best, n);
  });
  return best;
}
"""
# The wall-clock time (ms) at which the count was first seen reached, else false.
REACHED_JS = f"(expected) => ({COUNT_JS})() >= expected ? Date.now() : false"


@dataclass
class Load:
    """One page load in a fresh browser context."""

    expected: int
    elapsed_ms: float | None = None  # goto until every point is on the map; None: timed out
    points: int = -1  # point layers on the map at the end
    script_done_ms: float | None = None  # navigation start until the script first finished
    map_created_ms: float | None = None  # goto until the first Leaflet map was created
    ws_bytes: int = 0  # websocket payload bytes received from the server
    tiles: int = 0
    outside: list[str] = field(default_factory=list)  # refused requests to other hosts
    failed: list[str] = field(default_factory=list)  # HTTP responses >= 400
    console_errors: list[str] = field(default_factory=list)
    index_timing: dict[str, float] = field(
        default_factory=dict
    )  # a layer drawn by view: window.cpIndexTiming


class Chromium:
    """One headless Chromium for the whole benchmark; each load gets a fresh context."""

    def __init__(self) -> None:
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None

    def __enter__(self) -> Chromium:
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    @property
    def version(self) -> str:
        return self._browser.version if self._browser else ""

    def load(self, url: str, expected: int, *, timeout_s: float = 60.0) -> Load:
        """Open ``url`` and time it until a map in the st_folium iframe has ``expected`` points."""
        assert self._browser is not None, "use Chromium as a context manager"
        result = Load(expected=expected)
        context = self._browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
        context.add_init_script(HOOK_JS)
        app_host = urlparse(url).netloc

        def route(route: Route) -> None:
            request_url = route.request.url
            host = urlparse(request_url).netloc
            if host == app_host or request_url.startswith(("data:", "blob:", "about:")):
                route.continue_()
            elif host.endswith(TILE_HOSTS):
                result.tiles += 1
                route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)
            else:
                result.outside.append(request_url)
                route.abort()

        def on_websocket(ws: WebSocket) -> None:
            def received(payload: str | bytes) -> None:
                result.ws_bytes += len(payload.encode() if isinstance(payload, str) else payload)

            ws.on("framereceived", received)

        context.route("**/*", route)
        page = context.new_page()
        page.on("websocket", on_websocket)
        page.on("console", lambda m: result.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: result.console_errors.append(str(e)))
        page.on(
            "response", lambda r: result.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None
        )
        try:
            start, start_epoch_ms = time.perf_counter(), time.time() * 1000  # same instant, two clocks
            page.goto(url, wait_until="commit")
            result.elapsed_ms = _wait_for_points(page, expected, start_epoch_ms, start + timeout_s)
            if result.elapsed_ms is not None:
                _settle(page, result)
            result.points = _count(page)
            created = _evaluate_in_map(page, "() => window.__cpMapCreated")
            if isinstance(created, int | float):
                result.map_created_ms = created - start_epoch_ms
            timing = _evaluate_in_map(page, "() => window.cpIndexTiming || null")
            if isinstance(timing, dict):
                result.index_timing = {str(k): float(v) for k, v in timing.items()}
            done = page.evaluate("() => window.__cpScriptDone")
            result.script_done_ms = float(done) if done is not None else None
        finally:
            context.close()
        return result


def _map_frame(page: Page, timeout_ms: float) -> Frame:
    handle = page.wait_for_selector(MAP_IFRAME, state="attached", timeout=timeout_ms)
    frame = handle.content_frame() if handle else None
    if frame is None:
        raise Error("the map iframe has no frame yet")
    return frame


def _wait_for_points(page: Page, expected: int, start_epoch_ms: float, deadline: float) -> float | None:
    """Milliseconds from ``start_epoch_ms`` (wall clock) until the map shows ``expected`` points.

    The time is taken in the page when the count is first seen reached (browser and this
    process share the system clock), so Playwright's round trip is not counted. ``deadline``
    is a ``time.perf_counter()`` value; None on timeout.
    """
    while (remaining_ms := (deadline - time.perf_counter()) * 1000) > 0:
        try:
            frame = _map_frame(page, remaining_ms)
            remaining_ms = max(1.0, (deadline - time.perf_counter()) * 1000)
            reached = frame.wait_for_function(REACHED_JS, arg=expected, polling=20, timeout=remaining_ms)
            return float(reached.json_value()) - start_epoch_ms
        except PlaywrightTimeout:
            return None
        except Error:  # the iframe was replaced or navigated while we waited: look again
            page.wait_for_timeout(20)
    return None


def _evaluate_in_map(page: Page, expression: str) -> object:
    """Evaluate in the map iframe; None if there is none."""
    try:
        return _map_frame(page, 1000).evaluate(expression)
    except Error:
        return None


def _count(page: Page) -> int:
    """Point layers on the map now (-1 if there is no map)."""
    count = _evaluate_in_map(page, COUNT_JS)
    return int(count) if isinstance(count, int | float) else -1


def _settle(page: Page, result: Load, quiet_ms: int = 500, limit_ms: int = 15_000) -> None:
    """Wait until the script has finished and the websocket has been quiet for ``quiet_ms``."""
    try:
        page.wait_for_selector(SCRIPT_DONE, timeout=limit_ms)
    except PlaywrightTimeout:
        return
    waited, seen = 0, result.ws_bytes
    while waited < limit_ms:
        page.wait_for_timeout(quiet_ms)
        waited += quiet_ms
        if result.ws_bytes == seen:
            return
        seen = result.ws_bytes
