"""``python -m bench.kiosk_soak [--advances 2000] [--interval 0.25] [--out bench/out/kiosk_soak.md]``.

A soak test of the kiosk page: runs the attract loop accelerated through thousands of advances
in headless Chromium and measures whether the server or the browser grows.

- Starts its own ``streamlit run app.py`` (a copy of data/ in a temp dir, a fresh SQLite database,
  ``CITYPLUS_KIOSK_INTERVAL=<interval>``, ``CITYPLUS_KIOSK_IDLE=<idle>``) with the browser tests'
  ``start_server``.
- Opens ``/kiosk?city=shenzhen`` at 1920x1080 with touch; every request that is not to the app is
  aborted (map tiles too: the kiosk must run without them).
- An init script in the page counts every change of the card's ``data-kiosk-step`` into
  ``window.__advances`` (a MutationObserver; the step wraps, so changes are counted, not values),
  and every Leaflet map created in any frame into ``window.top.__cpMapsTotal`` (the browser
  tests' ``LEAFLET_HOOK`` keeps ``window.__cpMaps`` per frame).
- About every 500 advances a visitor taps a route button, looks at it for a while, and then
  leaves it alone until the idle reset brings the loop back.
- Measures the server's VmRSS/VmHWM (``/proc/<pid>/status``), the page's JS heap
  (``performance.memory`` and CDP ``Performance.getMetrics``, raw and after a forced GC), DOM
  nodes and documents, and the RSS of Chromium's renderer processes (found by scanning /proc for
  descendants of this process whose command line holds ``--type=renderer``); counts console and
  page errors, keeping failed loads of the aborted tiles and Streamlit's two 404 probes apart.

Prints a Markdown table and writes it to ``--out`` (bench/out/ is git-ignored). Bounded by the
number of advances and a wall-clock limit; the server and the browser are always stopped.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlparse

from playwright.sync_api import CDPSession, ConsoleMessage, Frame, Page, ViewportSize, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LEAFLET_HOOK, AppServer, start_server
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "kiosk_soak.md"
KIOSK_PATH = "/kiosk?city=shenzhen"
VIEWPORT: ViewportSize = {"width": 1920, "height": 1080}
VISITOR_BUTTON = re.compile("Inclusive experience")
WARMUP_ADVANCES = 50
RSS_GROWTH_TARGET_MB = 50.0
STALL_S = 60.0  # no advance for this long (outside a visitor's turn): give up
KEEP_UP = 1.1  # the loop keeps up if the median advance period is within 10 % of the interval
PROBE_PATHS = ("/kiosk/_stcore/health", "/kiosk/_stcore/host-config")

# Runs in every frame after LEAFLET_HOOK. In the top window: counts changes of the card's step.
# In every frame: wraps the hook's `L` setter so each Leaflet map created anywhere is also counted
# in the top window (a remounted map iframe starts a fresh window.__cpMaps of its own).
SOAK_HOOK = """
(() => {
  const d = Object.getOwnPropertyDescriptor(window, "L");
  if (d && d.set) {
    Object.defineProperty(window, "L", {
      configurable: true,
      get: d.get,
      set(value) {
        d.set.call(window, value);
        if (value && value.Map && !value.__cpSoakHooked) {
          value.__cpSoakHooked = true;
          value.Map.addInitHook(function () {
            try { window.top.__cpMapsTotal = (window.top.__cpMapsTotal || 0) + 1; } catch (e) {}
          });
        }
      },
    });
  }
  if (window.top !== window) return;
  // the kiosk reloads itself now and then (CITYPLUS_KIOSK_RELOAD): the counts live in
  // sessionStorage, which a reload keeps; times are on one clock across reloads (Date.now)
  const kept = JSON.parse(sessionStorage.getItem("cpSoak") || '{"advances":0,"log":[],"gone":0,"loads":0,"maps":0}');
  kept.loads++;
  window.__advances = kept.advances;
  window.__stepLog = kept.log;
  window.__cardGone = kept.gone;
  window.__loads = kept.loads;
  window.__cpMapsTotal = kept.maps;
  let last = kept.last === undefined ? null : kept.last;
  const save = () => sessionStorage.setItem("cpSoak", JSON.stringify({advances: window.__advances,
    log: window.__stepLog, gone: window.__cardGone, loads: window.__loads, maps: window.__cpMapsTotal || 0, last}));
  addEventListener("pagehide", save);
  save();
  const check = () => {
    const card = document.querySelector("[data-kiosk-step]");
    if (!card) {
      if (last !== null && document.querySelector("[data-kiosk-itinerary]")) window.__cardGone++;
      return;
    }
    const value = card.getAttribute("data-kiosk-step");
    if (value !== last) {
      if (last !== null) window.__advances++;
      last = value;
      window.__stepLog.push([Date.now(), Number(value)]);
      save();
    }
  };
  const start = () => {
    new MutationObserver(check).observe(document.documentElement, {
      subtree: true, childList: true, characterData: false,
      attributes: true, attributeFilter: ["data-kiosk-step"],
    });
    check();
  };
  if (document.documentElement) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
"""

STATE_JS = (
    "() => ({advances: window.__advances, maps: window.__cpMapsTotal || 0, loads: window.__loads || 1})"
)
HEAP_JS = "() => performance.memory ? performance.memory.usedJSHeapSize : null"
MAP_IFRAME = "streamlit_folium"
FRAME_JS = """
() => {
  const map = (window.__cpMaps || [])[0];
  const panes = document.querySelectorAll(".leaflet-marker-pane *, .leaflet-overlay-pane *, .leaflet-shadow-pane *");
  return {
    nodes: document.getElementsByTagName("*").length,
    layers: map ? Object.keys(map._layers).length : null,
    panes: panes.length,
    styles: document.querySelectorAll("style").length,
    featureGroups: Array.isArray(window.feature_group) ? window.feature_group.length : null,
  };
}
"""


def status_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process in MB (10^6 bytes); empty if it is gone."""
    fields: dict[str, float] = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return fields
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) * 1024 / 1e6  # the kernel reports kB (KiB)
    return fields


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def chromium_cpu_s() -> float:
    """CPU seconds of all Chromium processes started by this process."""
    total = 0.0
    for pid in descendants(os.getpid()):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"chrom" in cmdline.split(b"\0", 1)[0]:
            total += cpu_s(pid)
    return total


def descendants(root: int) -> list[int]:
    """Pids of all processes below ``root``, by walking the PPid fields of /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def renderer_rss_mb() -> tuple[float, int, float]:
    """(sum of RSS, number, largest RSS) of Chromium renderer processes started by this process."""
    sizes: list[float] = []
    for pid in descendants(os.getpid()):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"--type=renderer" in cmdline:
            rss = status_mb(pid).get("VmRSS")
            if rss is not None:
                sizes.append(rss)
    return sum(sizes), len(sizes), max(sizes, default=0.0)


@dataclass
class BrowserMemory:
    """One reading of the page's memory."""

    perf_heap_mb: float | None  # performance.memory.usedJSHeapSize, main page
    cdp_heap_mb: float  # CDP JSHeapUsedSize, before a forced GC
    cdp_heap_gc_mb: float  # CDP JSHeapUsedSize, after HeapProfiler.collectGarbage
    nodes: int
    documents: int
    frames: int
    listeners: int
    renderer_mb: float
    renderers: int
    renderer_max_mb: float
    page_nodes: int  # elements in the main document
    frame_nodes: int | None  # elements in the map frame's document
    map_layers: int | None  # layers on the map frame's Leaflet map
    map_panes_children: int | None  # elements in the map's marker and overlay panes
    frame_styles: int | None  # <style> elements in the map frame
    feature_groups: int | None  # length of streamlit-folium's window.feature_group in the map frame


def browser_memory(page: Page, cdp: CDPSession) -> BrowserMemory:
    """Read the page's JS heap (raw and after a GC), DOM counters and renderer RSS."""
    perf = page.evaluate(HEAP_JS)

    def metrics() -> dict[str, float]:
        return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}

    before = metrics()
    cdp.send("HeapProfiler.collectGarbage")
    after = metrics()
    total, count, largest = renderer_rss_mb()
    page_nodes = int(page.evaluate("() => document.getElementsByTagName('*').length"))
    frame = map_frame(page)
    inside: dict[str, Any] = {}
    if frame is not None:
        with contextlib.suppress(PlaywrightError):
            inside = frame.evaluate(FRAME_JS)
    return BrowserMemory(
        perf_heap_mb=None if perf is None else perf / 1e6,
        cdp_heap_mb=before["JSHeapUsedSize"] / 1e6,
        cdp_heap_gc_mb=after["JSHeapUsedSize"] / 1e6,
        nodes=int(after["Nodes"]),
        documents=int(after["Documents"]),
        frames=int(after["Frames"]),
        listeners=int(after["JSEventListeners"]),
        renderer_mb=total,
        renderers=count,
        renderer_max_mb=largest,
        page_nodes=page_nodes,
        frame_nodes=inside.get("nodes"),
        map_layers=inside.get("layers"),
        map_panes_children=inside.get("panes"),
        frame_styles=inside.get("styles"),
        feature_groups=inside.get("featureGroups"),
    )


@dataclass
class Errors:
    """Console and page errors, with the expected failed loads kept apart."""

    console: Counter[str] = field(default_factory=Counter)  # errors that count
    page: Counter[str] = field(default_factory=Counter)
    tile_loads: int = 0  # "Failed to load resource" for aborted outside requests (tiles)
    probe_404s: int = 0  # Streamlit's /kiosk/_stcore/{health,host-config} probes
    other_failed_loads: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)

    def on_console(self, msg: ConsoleMessage, app_host: str) -> None:
        text = msg.text
        if msg.type == "warning":
            self.warnings[text[:160]] += 1
            return
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        parsed = urlparse(url)
        if text.startswith("Failed to load resource"):
            if parsed.netloc != app_host:
                self.tile_loads += 1
            elif parsed.path in PROBE_PATHS:
                self.probe_404s += 1
            else:
                self.other_failed_loads[f"{text} ({url})"] += 1
            return
        frame = msg.page.main_frame.url if msg.page else ""
        where = "" if not url or url.startswith(frame) else f" [{url}]"
        self.console[text[:300] + where] += 1


@dataclass
class Visit:
    """One simulated visitor: tap a route, look, leave; the idle reset brings the loop back."""

    at_advance: int
    shown_s: float | None = None  # tap until the route card showed
    loop_stopped: bool | None = None  # no advance while the visitor looked
    reset_s: float | None = None  # tap until the loop card was back
    error: str = ""


@dataclass
class Sample:
    """A reading taken while the loop ran."""

    t: float
    advances: int
    rss_mb: float
    hwm_mb: float
    renderer_mb: float = 0.0  # sum of the renderers' RSS
    loads: int = 1  # page loads so far (the kiosk reloads itself now and then)


@dataclass
class Soak:
    """Everything measured in one run."""

    interval: float
    idle: float
    target: int
    limit_s: float
    visit_every: int = 500
    advances: int = 0
    duration_s: float = 0.0
    loop_s: float = 0.0  # from the warm-up point to the end
    stopped_by: str = ""
    rss_idle: dict[str, float] = field(default_factory=dict)  # server healthy, no session yet
    rss_first: dict[str, float] = field(default_factory=dict)  # first card shown
    rss_start: dict[str, float] = field(default_factory=dict)  # after WARMUP_ADVANCES
    rss_end: dict[str, float] = field(default_factory=dict)
    mem_first: BrowserMemory | None = None
    mem_start: BrowserMemory | None = None
    mem_end: BrowserMemory | None = None
    samples: list[Sample] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    errors: Errors = field(default_factory=Errors)
    maps_total: int = 0
    loads: int = 1  # page loads: the first and each reload of the kiosk itself
    maps_in_frame: int | None = None
    map_frames_attached: int = 0
    websockets: int = 0
    aborted: Counter[str] = field(default_factory=Counter)
    periods_ms: list[float] = field(default_factory=list)
    skips: int = 0
    sequence_len: int = 0
    card_gone: int = 0
    server_log_errors: list[str] = field(default_factory=list)
    cpu_server_s: float | None = None  # CPU seconds used after warm-up
    cpu_browser_s: float | None = None


def wait_for(page: Page, selector: str, timeout_s: float) -> float | None:
    """Seconds until ``selector`` is visible, or None after ``timeout_s``."""
    t0 = time.monotonic()
    try:
        page.wait_for_selector(selector, state="visible", timeout=timeout_s * 1000)
    except PlaywrightError:
        return None
    return time.monotonic() - t0


def visit(page: Page, soak: Soak, at: int) -> Visit:
    """A visitor taps the inclusive route, looks for a while, then walks away."""
    v = Visit(at_advance=at)
    t0 = time.monotonic()
    try:
        page.get_by_role("button", name=VISITOR_BUTTON).first.tap(timeout=15_000)
    except PlaywrightError as e:
        v.error = f"tap failed: {str(e).splitlines()[0]}"
        return v
    shown = wait_for(page, "[data-kiosk-itinerary]", 15)
    if shown is None:
        v.error = "the route card did not show"
        return v
    v.shown_s = time.monotonic() - t0
    before = page.evaluate(STATE_JS)["advances"]
    page.wait_for_timeout(int(min(soak.idle / 2, 3) * 1000))
    v.loop_stopped = page.evaluate(STATE_JS)["advances"] == before
    back = wait_for(page, "[data-kiosk-step]", soak.idle + 30 + 4 * soak.interval)
    if back is None:
        v.error = "the idle reset did not bring the loop back"
        return v
    v.reset_s = time.monotonic() - t0
    return v


def run(args: argparse.Namespace) -> Soak:
    """Start the server and the browser, drive the loop, and measure."""
    soak = Soak(
        interval=args.interval,
        idle=args.idle,
        target=args.advances,
        limit_s=args.time_limit,
        visit_every=args.visit_every,
    )
    started = time.monotonic()
    deadline = started + args.time_limit
    with tempfile.TemporaryDirectory(prefix="kiosk-soak-") as tmp_name:
        tmp = Path(tmp_name)
        shutil.copytree(DATA, tmp / "data")
        server: AppServer | None = None
        try:
            server = start_server(
                tmp,
                tmp / "data",
                {"CITYPLUS_KIOSK_INTERVAL": str(args.interval), "CITYPLUS_KIOSK_IDLE": str(args.idle)},
            )
            soak.rss_idle = status_mb(server.process.pid)
            drive(server, soak, deadline)
        finally:
            soak.duration_s = time.monotonic() - started
            if server is not None:
                stop_server(server)
                log = server.log.read_text(errors="replace")
                soak.server_log_errors = [
                    line for line in log.splitlines() if re.search(r"Traceback|Error|Exception", line)
                ]
    return soak


def stop_server(server: AppServer) -> None:
    """Terminate the server, killing it if it does not stop."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(5)


def drive(server: AppServer, soak: Soak, deadline: float) -> None:
    """Open the kiosk and keep it running until the advances are done or time is up."""
    pid = server.process.pid
    app_host = urlparse(server.url).netloc
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, "--enable-precise-memory-info"],
            headless=True,
        )
        try:
            context = browser.new_context(viewport=VIEWPORT, has_touch=True, locale="en-US")
            context.add_init_script(LEAFLET_HOOK)
            context.add_init_script(SOAK_HOOK)

            def handle(route: Any) -> None:
                url = route.request.url
                if urlparse(url).netloc == app_host or url.startswith(("data:", "blob:", "about:")):
                    route.continue_()
                else:  # no network: tiles and everything else are refused
                    soak.aborted[urlparse(url).netloc] += 1
                    route.abort()

            context.route("**/*", handle)
            page = context.new_page()
            page.on("console", lambda m: soak.errors.on_console(m, app_host))
            page.on("pageerror", lambda e: soak.errors.page.update([str(e)[:300]]))
            page.on("websocket", lambda _ws: setattr(soak, "websockets", soak.websockets + 1))

            def attached(frame: Any) -> None:
                with contextlib.suppress(PlaywrightError):
                    if frame.parent_frame is not None:
                        soak.map_frames_attached += 1

            page.on("frameattached", attached)
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            page.goto(server.url + KIOSK_PATH)
            if wait_for(page, "[data-kiosk-step]", 60) is None:
                raise RuntimeError("the kiosk card never showed")
            soak.rss_first = status_mb(pid)
            soak.mem_first = browser_memory(page, cdp)
            loop(page, cdp, soak, pid, deadline)
            soak.rss_end = status_mb(pid)
            soak.mem_end = browser_memory(page, cdp)
            state = page.evaluate(STATE_JS)
            soak.maps_total = int(state["maps"])
            soak.loads = int(state["loads"])
            soak.maps_in_frame = map_frame_count(page)
            log = page.evaluate("() => window.__stepLog")
            soak.card_gone = int(page.evaluate("() => window.__cardGone"))
            cadence(soak, log)
        finally:
            browser.close()


def map_frame(page: Page) -> Frame | None:
    """The child frame holding a Leaflet map (the st_folium component), if any."""
    for frame in page.frames[1:]:
        with contextlib.suppress(PlaywrightError):
            if frame.evaluate("() => (window.__cpMaps || []).length") > 0:
                return frame
    return None


def map_frame_count(page: Page) -> int | None:
    """``window.__cpMaps.length`` in the st_folium frame (None: no such frame)."""
    frame = map_frame(page)
    if frame is None:
        return None
    with contextlib.suppress(PlaywrightError):
        return int(frame.evaluate("() => (window.__cpMaps || []).length"))
    return None


def loop(page: Page, cdp: CDPSession, soak: Soak, pid: int, deadline: float) -> None:
    """Poll the advance counter; take the start readings after warm-up; send visitors."""
    next_visit = soak.visit_every
    last_change = time.monotonic()
    last_advances = -1
    loop_started = 0.0
    cpu0 = (0.0, 0.0)
    while True:
        now = time.monotonic()
        try:
            state = page.evaluate(STATE_JS)
        except PlaywrightError:  # the kiosk is reloading itself: read again in a moment
            page.wait_for_timeout(500)
            continue
        advances = int(state["advances"])
        mem = status_mb(pid)
        if not mem:
            soak.stopped_by = "the server process died"
            break
        soak.samples.append(
            Sample(now, advances, mem["VmRSS"], mem["VmHWM"], renderer_rss_mb()[0], int(state["loads"]))
        )
        soak.advances = advances
        if advances != last_advances:
            last_advances, last_change = advances, now
        if not soak.rss_start and advances >= WARMUP_ADVANCES:
            soak.rss_start = mem
            soak.mem_start = browser_memory(page, cdp)
            loop_started = time.monotonic()
            cpu0 = (cpu_s(pid), chromium_cpu_s())
            print(f"warm-up done: {advances} advances, server RSS {mem['VmRSS']:.1f} MB", flush=True)
        if advances >= soak.target:
            soak.stopped_by = "advances done"
            break
        if now >= deadline:
            soak.stopped_by = "wall-clock limit"
            break
        if now - last_change > STALL_S:
            soak.stopped_by = f"no advance for {STALL_S:.0f} s"
            break
        if advances >= next_visit and soak.target - advances > 10:
            v = visit(page, soak, advances)
            soak.visits.append(v)
            print(
                f"visitor at {advances}: shown {v.shown_s}, stopped {v.loop_stopped}, "
                f"reset {v.reset_s} {v.error}",
                flush=True,
            )
            next_visit += soak.visit_every
            last_change = time.monotonic()
            continue
        if len(soak.samples) % 60 == 0:
            print(f"{advances} advances, server RSS {mem['VmRSS']:.1f} MB", flush=True)
        page.wait_for_timeout(500)
    if loop_started:
        soak.loop_s = time.monotonic() - loop_started
        soak.cpu_server_s = cpu_s(pid) - cpu0[0]
        soak.cpu_browser_s = chromium_cpu_s() - cpu0[1]


def cadence(soak: Soak, log: list[list[float]]) -> None:
    """Periods between advances (visitors' turns left out) and steps the browser never showed."""
    values = [int(v) for _, v in log]
    soak.sequence_len = max(values, default=-1) + 1
    n = soak.sequence_len or 1
    for (t0, v0), (t1, v1) in itertools.pairwise(log):
        period = t1 - t0
        if period < 4 * 1000 * max(soak.interval, 0.5):  # not a visitor's turn
            soak.periods_ms.append(period)
            if (int(v1) - int(v0)) % n != 1:
                soak.skips += 1


def keeps_up(soak: Soak) -> bool:
    """Whether the advances came at the interval: median period close to it, and no step skipped."""
    if not soak.periods_ms:
        return False
    return statistics.median(soak.periods_ms) <= KEEP_UP * soak.interval * 1000 and soak.skips == 0


def fmt(value: float | None, unit: str = "MB", digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f} {unit}"


def report(soak: Soak, command: str) -> str:
    """The Markdown report: the main table, then the RSS trend, visitors and details."""
    rows: list[tuple[str, str, str]] = []
    start, end, first = soak.rss_start, soak.rss_end, soak.rss_first
    growth = end.get("VmRSS", 0) - start.get("VmRSS", 0) if start and end else None
    ms_first, ms_start, ms_end = soak.mem_first, soak.mem_start, soak.mem_end
    rows.append(("Page loads (the first, then the kiosk's own reloads)", f"{soak.loads}", ""))
    rows.append(("Advances done", f"{soak.advances:,} (target {soak.target:,}; {soak.stopped_by})", ""))
    rows.append(
        ("Duration", f"{soak.duration_s / 60:.1f} min total, {soak.loop_s / 60:.1f} min after warm-up", "")
    )
    if soak.periods_ms:
        p = sorted(soak.periods_ms)
        rows.append(
            (
                f"Advance period (interval {soak.interval:.2f} s)",
                f"median {statistics.median(p):.0f} ms, p95 {p[int(0.95 * (len(p) - 1))]:.0f} ms, "
                f"max {p[-1]:.0f} ms; steps not shown: {soak.skips}",
                f"median ≤ {KEEP_UP * soak.interval * 1000:.0f} ms, no step skipped: "
                + ("yes" if keeps_up(soak) else "**no**"),
            )
        )
        quarter = max(len(soak.periods_ms) // 4, 1)
        medians = [
            statistics.median(soak.periods_ms[i : i + quarter])
            for i in range(0, quarter * 4, quarter)
            if soak.periods_ms[i : i + quarter]
        ]
        rows.append(
            ("Median advance period by quarter of the run", " / ".join(f"{m:.0f} ms" for m in medians), "")
        )
    rows.append(
        (
            "Server RSS first reading",
            f"{fmt(soak.rss_idle.get('VmRSS'))} healthy, no session; {fmt(first.get('VmRSS'))} first card",
            "",
        )
    )
    met = "" if growth is None else ("yes" if growth <= RSS_GROWTH_TARGET_MB else "**no**")
    rows.append(
        (
            "Server RSS start / end / growth",
            f"{fmt(start.get('VmRSS'))} / {fmt(end.get('VmRSS'))} / {fmt(growth)}",
            f"growth ≤ {RSS_GROWTH_TARGET_MB:.0f} MB: {met}",
        )
    )
    rows.append(("Server VmHWM start / end", f"{fmt(start.get('VmHWM'))} / {fmt(end.get('VmHWM'))}", ""))

    def pair(get: Callable[[BrowserMemory], float | None]) -> str:
        """First / start / end readings of one browser figure, in MB."""
        return " / ".join(fmt(None if m is None else get(m)) for m in (ms_first, ms_start, ms_end))

    rows.append(
        ("Browser JS heap, performance.memory (first / start / end)", pair(lambda m: m.perf_heap_mb), "")
    )
    rows.append(
        ("Browser JS heap, CDP JSHeapUsedSize (first / start / end)", pair(lambda m: m.cdp_heap_mb), "")
    )
    rows.append(
        ("Browser JS heap after forced GC (first / start / end)", pair(lambda m: m.cdp_heap_gc_mb), "")
    )
    rows.append(
        (
            "Renderer RSS, sum (first / start / end)",
            pair(lambda m: m.renderer_mb)
            + (
                f" ({ms_end.renderers} renderer processes; largest {ms_end.renderer_max_mb:.1f} MB)"
                if ms_end
                else ""
            ),
            "",
        )
    )
    if ms_start and ms_end:
        r_growth = ms_end.renderer_mb - ms_start.renderer_mb
        peak = max((x.renderer_mb for x in soak.samples), default=0.0)
        rows.append(
            (
                "Renderer RSS growth, start → end; largest sum during the run",
                f"{fmt(r_growth)}; {fmt(peak)}",
                f"growth ≤ {RSS_GROWTH_TARGET_MB:.0f} MB: {'yes' if r_growth <= RSS_GROWTH_TARGET_MB else '**no**'}",
            )
        )
    rows.append(
        (
            "DOM nodes / documents / frames / listeners (start → end)",
            " → ".join(
                "n/a" if m is None else f"{m.nodes:,} / {m.documents} / {m.frames} / {m.listeners:,}"
                for m in (ms_start, ms_end)
            ),
            "",
        )
    )
    rows.append(
        (
            "Elements in page / map frame; map layers; elements in map panes (start → end)",
            " → ".join(
                "n/a"
                if m is None
                else f"{m.page_nodes:,} / {m.frame_nodes} ; {m.map_layers} ; {m.map_panes_children}"
                for m in (ms_start, ms_end)
            ),
            "",
        )
    )
    rows.append(
        (
            "Map frame: <style> elements; window.feature_group length (first / start / end)",
            " / ".join(
                "n/a" if m is None else f"{m.frame_styles} ; {m.feature_groups}"
                for m in (ms_first, ms_start, ms_end)
            ),
            "",
        )
    )
    if soak.cpu_server_s is not None and soak.loop_s:
        rows.append(
            (
                "CPU after warm-up: server / Chromium (all processes)",
                f"{soak.cpu_server_s:.0f} s ({100 * soak.cpu_server_s / soak.loop_s:.0f} % of one core) / "
                f"{soak.cpu_browser_s:.0f} s ({100 * (soak.cpu_browser_s or 0) / soak.loop_s:.0f} %) "
                f"in {soak.loop_s:.0f} s; {os.cpu_count()} cores",
                "",
            )
        )
    console_n = sum(soak.errors.console.values()) + sum(soak.errors.other_failed_loads.values())
    rows.append(("Console errors", f"{console_n}", f"0: {'yes' if console_n == 0 else '**no**'}"))
    rows.append(("Page errors (uncaught)", f"{sum(soak.errors.page.values())}", "0"))
    rows.append(
        (
            "Ignored failed loads",
            f"{soak.errors.tile_loads} aborted outside requests (tiles), {soak.errors.probe_404s} probe 404s",
            "",
        )
    )
    rows.append(
        (
            "Leaflet maps created (all frames) / in the map frame",
            f"{soak.maps_total} / {soak.maps_in_frame}",
            f"{soak.loads} / 1 (one per page load)",
        )
    )
    rows.append(
        (
            "Child frames attached / websockets opened",
            f"{soak.map_frames_attached} / {soak.websockets}",
            f"{soak.loads} / {soak.loads} (one per page load)",
        )
    )
    ok_visits = sum(1 for v in soak.visits if not v.error)
    rows.append(("Visitors (tap → route → idle reset → loop)", f"{ok_visits} of {len(soak.visits)} ok", ""))

    lines = [
        "# Kiosk soak",
        "",
        f"`{command}`",
        "",
        f"Interval {soak.interval} s, idle reset {soak.idle} s, viewport 1920x1080, tiles aborted. "
        f"Start figures are taken after {WARMUP_ADVANCES} advances (warm-up); MB = 10^6 bytes.",
        "",
        "| Figure | Measured | Target |",
        "| --- | --- | --- |",
    ]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    lines += [
        "",
        "## Memory by advances",
        "",
        "| Advances | Server VmRSS | Server VmHWM | Renderers' RSS | Page loads |",
    ]
    lines.append("| --- | --- | --- | --- | --- |")
    marks = list(range(0, soak.target + 1, max(soak.target // 10, 1)))
    for mark in marks:
        sample = next((s for s in soak.samples if s.advances >= mark), None)
        if sample:
            lines.append(
                f"| {sample.advances:,} | {sample.rss_mb:.1f} MB | {sample.hwm_mb:.1f} MB | "
                f"{sample.renderer_mb:.1f} MB | {sample.loads} |"
            )
    if soak.visits:
        lines += ["", "## Visitors", "", "| At advance | Route shown | Loop stopped | Loop back | Error |"]
        lines.append("| --- | --- | --- | --- | --- |")
        for v in soak.visits:
            lines.append(
                f"| {v.at_advance:,} | {fmt(v.shown_s, 's', 2)} | {v.loop_stopped} | "
                f"{fmt(v.reset_s, 's', 2)} | {v.error or '–'} |"
            )
    details: list[str] = []
    details += [f"console error ×{n}: `{t}`" for t, n in soak.errors.console.most_common(10)]
    details += [f"failed load ×{n}: `{t}`" for t, n in soak.errors.other_failed_loads.most_common(10)]
    details += [f"page error ×{n}: `{t}`" for t, n in soak.errors.page.most_common(10)]
    details += [f"console warning ×{n}: `{t}`" for t, n in soak.errors.warnings.most_common(5)]
    details += [f"aborted requests to {host}: {n}" for host, n in soak.aborted.most_common()]
    details.append(f"sequence length (largest step + 1): {soak.sequence_len}")
    details += [f"server log: `{line[:200]}`" for line in soak.server_log_errors[:10]]
    lines += ["", "## Details", ""] + [f"- {d}" for d in details]
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--advances", type=int, default=2000, help="advances to drive (default 2000)")
    parser.add_argument("--interval", type=float, default=0.25, help="CITYPLUS_KIOSK_INTERVAL in seconds")
    parser.add_argument("--idle", type=float, default=5.0, help="CITYPLUS_KIOSK_IDLE in seconds")
    parser.add_argument("--visit-every", type=int, default=500, help="advances between visitors")
    parser.add_argument("--time-limit", type=float, default=20 * 60, help="wall-clock limit in seconds")
    parser.add_argument("--out", type=Path, default=OUT, help="the Markdown report (default %(default)s)")
    return parser.parse_args(argv)


def _terminate(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks that stop server and browser


def main(argv: list[str] | None = None) -> int:
    """Run the soak and print and write the report."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    command = " ".join(["python -m bench.kiosk_soak", *(argv if argv is not None else sys.argv[1:])])
    soak = run(args)
    text = report(soak, command)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
