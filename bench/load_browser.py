"""Real Chromium sessions beside the protocol-level load (``python -m bench.load``): the same
step, a theme change on Explore, timed as a person sees it, from the click until Streamlit's
page says the run it started is over. Only the app's own address is reached."""

from __future__ import annotations

import statistics
import time
from urllib.parse import urlparse

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"]
# counts the runs the page starts (stApp's data-test-script-state turning "running")
RUNS_HOOK = """
(() => {
  if (window.top !== window) return;
  const runs = (window.__cpRuns = { started: 0 });
  let watched = null;
  const observer = new MutationObserver(() => {
    if (watched.getAttribute("data-test-script-state") === "running") runs.started += 1;
  });
  new MutationObserver(() => {
    const app = document.querySelector("[data-testid='stApp']");
    if (app && app !== watched) {
      watched = app;
      observer.disconnect();
      observer.observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
    }
  }).observe(document, { childList: true, subtree: true });
})();
"""
DONE_JS = """(before) => window.__cpRuns.started > before && document.querySelector(
  "[data-testid='stApp']").getAttribute("data-test-script-state") !== "running" """


def theme_change_times(base: str, sessions: int, clicks: int, think: float) -> dict[str, float]:
    """Open ``sessions`` Explore pages and toggle a theme ``clicks`` times in each, ``think``
    seconds apart; the seconds from click to the end of its run."""
    from playwright.sync_api import sync_playwright

    host = urlparse(base).netloc
    times: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        pages = []
        for _ in range(sessions):
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
            context.route(lambda url: urlparse(url).netloc != host, lambda route: route.abort())
            context.add_init_script(RUNS_HOOK)
            page = context.new_page()
            page.goto(f"{base}/?city=shenzhen")
            page.get_by_role("button", name="Culture").wait_for(timeout=60_000)
            page.wait_for_function(DONE_JS, arg=0, timeout=60_000)
            pages.append(page)
        for _ in range(clicks):
            for page in pages:
                before = page.evaluate("() => window.__cpRuns.started")
                started = time.perf_counter()
                page.get_by_role("button", name="Culture").click()
                page.wait_for_function(DONE_JS, arg=before, timeout=60_000, polling=20)
                times.append(time.perf_counter() - started)
            time.sleep(think)
        browser.close()
    return {
        "n": len(times),
        "p50": statistics.median(times) if times else float("nan"),
        "max": max(times, default=0.0),
    }
