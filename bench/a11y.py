"""Accessibility audit: axe-core's WCAG 2.2 A and AA rules on every page, in both languages.

``python -m bench.a11y`` starts the app on the shipped data, opens each page view in headless
Chromium at desktop (1280x900) and phone width (390x844), in English and in Chinese, runs
axe-core in the page and inside every frame (the map is an iframe), and prints the violating
elements per rule and per view; the report also lands in ``bench/out/a11y.md``. It prints
figures and passes or fails nothing: the browser suite's own audit is what fails a build.

axe-core comes from the npm registry through ``make axe`` (``tools/axe/package.json``, pinned),
never from a CDN.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.servers import ROOT, start_server

AXE_JS = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
OUT = ROOT / "bench" / "out"
# Chromium as on a machine without internet: no host name resolves but the app's own address
# (an IP, which needs no name), so a request for a map tile or anything else outside fails at
# once. Tests watch requests (``page.on("request")``) rather than route them: any route turns the
# browser's cache off and holds every request for the driver, which made a page load about 30 %
# slower in wall time and 40 % in CPU (measured on Explore and Plan, 2 December 2026).
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    OFFLINE,
]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
VIEWS = {
    "explore": "/?city=shenzhen",
    "card": "/?city=shenzhen&landmark=oct-loft",  # Explore with a landmark's card open
    "itineraries": "/itineraries?city=shenzhen",
    "must-go": "/itineraries?city=shenzhen&itinerary=shenzhen-must-go",
    "plan": "/plan?city=shenzhen&stops=ping-an-finance-center,huaqiang-north,oct-loft",
    # the step-free switch on: marks, swaps (links on Itineraries, buttons on Plan), long legs
    "must-go-stepfree": "/itineraries?city=shenzhen&itinerary=shenzhen-must-go&stepfree=1",
    "plan-stepfree": "/plan?city=shenzhen&stops=ping-an-finance-center,huaqiang-north,oct-loft&mode=walk&stepfree=1",
    "explore-needs": "/?city=shenzhen&need=step_free&free=1",
    "city": "/city?city=the-hague",  # a city account's page (issue 11)
    "story": "/city?city=shenzhen&story=shenzhen-speed&chapter=2",  # a story's chapter and its map
    "network": "/network",  # the network of city accounts: the world map, the timeline
    "kiosk": "/kiosk?city=shenzhen",
    "kiosk-route": "/kiosk?city=shenzhen",  # then a route is chosen: CLICKS
    "curate": "/curate",
    "programme": "/programme?city=shenzhen&programme=the-hague-city-promotion-2018",  # a public programme
    # visitors' voice (issue 13): the card's "Report a problem" and Explore's "Suggest a place", opened
    "report": "/?city=shenzhen&landmark=oct-loft",
    "suggest": "/?city=shenzhen",
}
# views reached by a tap after opening their URL (Streamlit gives a widget with key K the class st-key-K)
CLICKS = {
    "kiosk-route": ".st-key-kiosk_route_shenzhen-must-go button",
    "report": ".st-key-vo_report summary",
    "suggest": (".st-key-vo_suggest summary", ".st-key-vo_s_show_map label"),
}


@dataclass(frozen=True)
class Waiver:
    """A rule that does not apply to some elements, with the reason: the finding is wrong there.

    ``within`` is a CSS selector; a violating element inside a match of it is not counted (and
    is reported as waived). Only the browser suite passes waivers; the audit counts everything.
    """

    rule: str
    within: str
    reason: str


@dataclass(frozen=True)
class Finding:
    view: str
    size: str
    lang: str
    frame: str
    rule: str
    impact: str
    nodes: int
    example: str
    targets: tuple[str, ...] = ()
    summary: str = ""  # axe's failure summary of the first element: what to change


# axe in one frame; the violations' elements inside a waiver's ``within`` are dropped.
_RUN_AXE = """
([tags, waivers]) => axe.run(document, {runOnly: {type: 'tag', values: tags}, iframes: false,
                                          elementRef: true}).then((r) => r.violations.map((v) => {
  const waived = (n) => waivers.some((w) => w.rule === v.id && n.element && n.element.closest(w.within));
  const nodes = v.nodes.filter((n) => !waived(n));
  return {id: v.id, impact: v.impact, nodes: nodes.length, waived: v.nodes.length - nodes.length,
          targets: nodes.map((n) => n.target.join(' ')),
          summary: nodes.length ? (nodes[0].failureSummary || '') : ''};
}).filter((v) => v.nodes > 0))
"""


def run_axe(frame: Any, source: str, waivers: Sequence[Waiver] = ()) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A and AA rules in one frame (a Playwright Frame); its violations."""
    frame.evaluate(source)  # defines window.axe in that frame
    return list(frame.evaluate(_RUN_AXE, [TAGS, [w.__dict__ for w in waivers]]))


def view_url(base_url: str, view: str, lang: str) -> str:
    sep = "&" if "?" in VIEWS[view] else "?"
    return f"{base_url}{VIEWS[view]}{sep}lang={lang}"


# What the page looks like, in a few numbers: Streamlit's script state, and for the page and each
# frame of the app's own origin (the map, frames in frames) its load state, how many elements it
# holds, how many Streamlit shows as stale, how many expanders are open and inputs checked, how
# tall its scrolling area is, and every frame's height. Equal shapes a moment apart: nothing moved.
_SHAPE_JS = """
() => {
  const app = document.querySelector("[data-testid='stApp']");
  const docs = [];
  const walk = (d) => {
    docs.push(d);
    for (const f of d.querySelectorAll("iframe")) {
      try { if (f.contentDocument) walk(f.contentDocument); } catch (e) { /* another origin */ }
    }
  };
  walk(document);
  const main = document.querySelector("[data-testid='stMain']");
  return [app ? app.getAttribute("data-test-script-state") : "none", main ? main.scrollHeight : 0,
    ...docs.map((d) => [d.readyState, d.getElementsByTagName("*").length,
      d.querySelectorAll("[data-stale='true']").length, d.querySelectorAll("details[open]").length,
      d.querySelectorAll("input:checked").length].join(",")),
    ...[...document.querySelectorAll("iframe")].map((f) => Math.round(f.getBoundingClientRect().height)),
  ].join(";");
}
"""

# True once the page has held still for ``looks`` looks in a row (the same shape each time, looks
# 100 ms apart; counted, not timed, so a long task that blocks the page, such as compiling a
# large script Streamlit fetched for a new element, cannot pass for stillness), Streamlit's
# script is not running, every map frame on screen has drawn its map (st_folium draws after the
# script run, then sizes its frame) and, after an action, the shape is no longer the one from
# before it (``before``; the action's rerun may start a moment after the click).
_STILL_JS = (
    """
([looks, before]) => {
  const shape = ("""
    + _SHAPE_JS
    + """)();
  const app = document.querySelector("[data-testid='stApp']");
  const idle = app && app.getAttribute("data-test-script-state") === "notRunning";
  const maps = [...document.querySelectorAll("iframe[src*='st_folium']")].filter((f) => f.offsetParent);
  const drawn = maps.every((f) => {
    try { return f.contentDocument.querySelector(".leaflet-container") && f.offsetHeight > 0; }
    catch (e) { return true; }
  });
  const last = window.__cpStill;
  if (shape !== before) window.__cpMoved = true;
  if (!last || last.shape !== shape || !idle || !drawn || !window.__cpMoved) {
    window.__cpStill = { shape, same: 0 };
    return false;
  }
  last.same += 1;
  return last.same >= looks;
}
"""
)
STILL_LOOKS = 6  # about 600 ms: Streamlit adds a map's frame a moment after its run has ended


def shape(page: Any) -> str:
    """The page's shape now (``_SHAPE_JS``): pass it to ``settle`` after an action (``settle_after`` does both)."""
    return str(page.evaluate(_SHAPE_JS))


def settle(page: Any, before: str | None = None, timeout_ms: float = 60_000) -> None:
    """Wait until the script has run, every map frame has drawn (it draws after the run) and the
    page has stopped changing; after an action, pass the page's ``shape`` from before it, and
    this waits until the page has changed as well. It waits on the page's state, not a time."""
    page.evaluate("(moved) => { window.__cpStill = null; window.__cpMoved = moved; }", before is None)
    page.wait_for_function(_STILL_JS, arg=[STILL_LOOKS, before], timeout=timeout_ms, polling=100)


def settle_after(page: Any, action: Any) -> None:
    """Do ``action()`` (a tap, a click) and ``settle`` once the page has changed because of it."""
    before = shape(page)
    action()
    settle(page, before)


def open_view(page: Any, base_url: str, view: str, lang: str) -> None:
    """Open a view in ``lang``, tap what it needs tapped (``CLICKS``), and wait until it settles."""
    page.goto(view_url(base_url, view, lang))
    settle(page)
    if view in CLICKS:
        taps = CLICKS[view]
        for selector in (taps,) if isinstance(taps, str) else taps:
            settle_after(page, lambda selector=selector: page.click(selector))


def audit_page(
    page: Any,
    source: str,
    *,
    view: str,
    size: str,
    lang: str,
    waivers: Sequence[Waiver] = (),
    strict: bool = False,
) -> list[Finding]:
    """axe in the page and in every frame of an opened, settled page. A frame that cannot be
    audited is reported and skipped, or with ``strict`` (the browser suite) raises."""
    findings: list[Finding] = []
    for i, frame in enumerate(page.frames):
        name = "page" if i == 0 else f"frame {frame.name or i}"
        try:
            violations = run_axe(frame, source, waivers)
        except Exception as error:  # a frame that navigated away: say so, go on
            if strict:
                raise
            print(f"  {view} {size} {lang} {name}: not audited ({error})")
            continue
        for v in violations:
            targets = tuple(v["targets"])
            findings.append(
                Finding(
                    view,
                    size,
                    lang,
                    name,
                    v["id"],
                    v["impact"],
                    v["nodes"],
                    targets[0] if targets else "",
                    targets,
                    v["summary"],
                )
            )
    return findings


def audit(base_url: str, *, sizes: list[str], langs: list[str], views: list[str]) -> list[Finding]:
    from playwright.sync_api import sync_playwright

    source = AXE_JS.read_text(encoding="utf-8")
    findings: list[Finding] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for size in sizes:
            width, height = SIZES[size]
            for lang in langs:
                for view in views:
                    page = browser.new_page(viewport={"width": width, "height": height})  # offline
                    open_view(page, base_url, view, lang)
                    findings += audit_page(page, source, view=view, size=size, lang=lang)
                    page.close()
        browser.close()
    return findings


def report(findings: list[Finding]) -> str:
    by_rule: Counter[str] = Counter()
    by_view: Counter[str] = Counter()
    for f in findings:
        by_rule[f.rule] += f.nodes
        by_view[f"{f.view} {f.size} {f.lang}"] += f.nodes
    lines = [
        f"violating elements: {sum(by_rule.values())} under {len(by_rule)} rules",
        "",
        "| rule | elements |",
        "|---|---:|",
    ]
    lines += [f"| {rule} | {count} |" for rule, count in by_rule.most_common()]
    lines += ["", "| view | elements |", "|---|---:|"]
    lines += [f"| {view} | {count} |" for view, count in sorted(by_view.items())]
    lines += [
        "",
        "| view | size | lang | frame | rule | impact | elements | example |",
        "|---|---|---|---|---|---|---:|---|",
    ]
    lines += [
        f"| {f.view} | {f.size} | {f.lang} | {f.frame} | {f.rule} | {f.impact} | {f.nodes} | `{f.example[:60]}` |"
        for f in findings
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="desktop,phone")
    parser.add_argument("--langs", default="en,zh")
    parser.add_argument("--views", default=",".join(VIEWS))
    args = parser.parse_args(argv)
    if not AXE_JS.exists():
        print(f"axe-core is missing at {AXE_JS}: run 'make axe'")
        return 2
    with (
        tempfile.TemporaryDirectory() as tmp,
        start_server(
            "app.py", data_dir=ROOT / "data", db_path=Path(tmp) / "a11y.db", log=Path(tmp) / "server.log"
        ) as server,
    ):
        findings = audit(
            server.url, sizes=args.sizes.split(","), langs=args.langs.split(","), views=args.views.split(",")
        )
    text = report(findings)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "a11y.md").write_text(text, encoding="utf-8")
    (OUT / "a11y.json").write_text(json.dumps([f.__dict__ for f in findings], indent=1), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
