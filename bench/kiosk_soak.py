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
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlparse

from playwright.sync_api import CDPSession, Page, ViewportSize, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from bench.kiosk_measure import (
    WARMUP_ADVANCES,
    Sample,
    Soak,
    Visit,
    browser_memory,
    chromium_cpu_s,
    cpu_s,
    map_frame_count,
    renderer_rss_mb,
    report,
    status_mb,
)
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LEAFLET_HOOK, AppServer, start_server
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "kiosk_soak.md"
KIOSK_PATH = "/kiosk?city=shenzhen"
VIEWPORT: ViewportSize = {"width": 1920, "height": 1080}
VISITOR_BUTTON = re.compile("Inclusive experience")
STALL_S = 60.0  # no advance for this long (outside a visitor's turn): give up

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
