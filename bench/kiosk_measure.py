"""The kiosk soak's measurements and report (``python -m bench.kiosk_soak``): the server's and
the browser's memory and CPU, console errors, the figures of one run, and its Markdown table."""

from __future__ import annotations

import contextlib
import os
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from playwright.sync_api import CDPSession, ConsoleMessage, Frame, Page
from playwright.sync_api import Error as PlaywrightError

WARMUP_ADVANCES = 50
RSS_GROWTH_TARGET_MB = 50.0
KEEP_UP = 1.1  # the loop keeps up if the median advance period is within 10 % of the interval
PROBE_PATHS = ("/kiosk/_stcore/health", "/kiosk/_stcore/host-config")

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
