"""The report of ``python -m bench.load``: bench/out/load.md, load.json, and latency against
concurrent visitors as load.svg (drawn here: no plotting library is installed) and load.vl.json
(the same data as a Vega-Lite spec, for any Vega-Lite viewer)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

COLOURS = {"one": "#b00c26", "pair": "#1f5fa8"}


def _f(x: Any, digits: int = 2) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def crossing(levels: list[dict[str, Any]], target: float) -> float | None:
    """Visitors at which p95 first reaches ``target``, interpolated between the two levels around
    it; None when no level reached it (then at least the last level's visitors are served)."""
    previous = None
    for lv in levels:
        if lv["p95"] > target or lv["errors"]:
            if previous is None:
                return 0.0
            (v0, p0), v1 = previous, lv["visitors"]
            return v0 + (v1 - v0) * (target - p0) / (lv["p95"] - p0) if lv["p95"] > p0 else float(v0)
        previous = (lv["visitors"], lv["p95"])
    return None


def markdown(r: dict[str, Any]) -> str:
    m, a = r["memory"], r["args"]
    lines = [
        f"# Load: {r['started']}, {r['minutes']:.1f} minutes, {r['cores']} cores",
        "",
        f"Think time {a['think']} s (0.5–1.5×), {a['hold']} s measured per level; a visit: open Explore, theme,"
        " search, card, Itineraries, an itinerary, Plan, 6 × (pick, add), optimise, GPX.",
        f"Machine busy over the run: {_f(r['machine_busy_pct'], 0)} % of all cores (other work included).",
        "",
        f"**Served at p95 ≤ {a['target']} s, no errors:** one process {r['capacity_one']} visitors; "
        f"two processes behind nginx {r['capacity_pair']} visitors"
        + (f" ({r['capacity_pair'] / r['capacity_one']:.2f}×)." if r["capacity_one"] else "."),
        "",
        _crossings(r),
        "",
        f"**Memory:** {m['sessions']} idle sessions took the process from {m['rss_before_mb']:.0f} to "
        f"{m['rss_idle_mb']:.0f} MB: {m['idle_mb_per_session']:.2f} MB each. Abandoned (connections dropped) and"
        f" past Streamlit's TTL ({a['ttl']:.0f} s): {m['rss_abandoned_mb']:.0f} MB; as many new sessions then"
        f" added {m['again_mb_per_session']:.2f} MB each ({m['rss_again_mb']:.0f} MB).",
        "",
    ]
    for name in ("one", "pair"):
        lines += [f"## {name}", "", "| visitors | steps | errors | p50 s | p95 s | p99 s | server CPU % | machine % | load | RSS MB | MB/session | websockets |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
        for lv in r[name]["levels"]:
            lines.append(
                f"| {lv['visitors']} | {lv['steps']} | {lv['errors']} | {_f(lv['p50'])} | {_f(lv['p95'])} | "
                f"{_f(lv['p99'])} | {_f(lv.get('server_cpu_pct'), 0)} | {_f(lv.get('machine_busy_pct'), 0)} | "
                f"{_f(lv.get('load1'), 1)} | {_f(lv.get('rss_mb'), 0)} | {_f(lv['active_mb_per_session'])} | "
                f"{'+'.join(str(w) for w in lv.get('websockets', []))} |"
            )
        lines.append("")
        for lv in r[name]["levels"]:
            lines += [
                f"{lv['visitors']} visitors, per step:",
                "",
                "| step | n | errors | p50 s | p95 s | p99 s | kB |",
                "|---|---|---|---|---|---|---|",
            ]
            for step, s in lv["per_step"].items():
                lines.append(
                    f"| {step} | {s['n']} | {s['errors']} | {_f(s['p50'])} | {_f(s['p95'])} | {_f(s['p99'])} | {_f(s['kb'], 0)} |"
                )
            if lv.get("error_details"):
                lines.append("")
                lines += [f"- error: `{d}`" for d in lv["error_details"]]
            if lv.get("browser"):
                b = lv["browser"]
                proto = lv["per_step"].get("theme", {}).get("p50")
                lines += ["", f"Chromium beside the load: theme change p50 {_f(b.get('p50'))} s over {b.get('n')} clicks"
                          f" (protocol client: {_f(proto)} s){' ' + b['error'] if b.get('error') else ''}."]  # fmt: skip
            lines.append("")
    p = r["profile"]
    lines += [f"## Profile (heaviest step: {p['heaviest_step']})", ""]
    if p.get("top"):
        lines += [f"Script runs profiled per page: {p.get('runs', '').replace(chr(10), ', ')}.", "",
                  "| function | calls | own s | cumulative s |", "|---|---|---|---|"]  # fmt: skip
        lines += [
            f"| `{t['function']}` | {t['calls']} | {t['tottime_s']:.2f} | {t['cumtime_s']:.2f} |"
            for t in p["top"]
        ]
    return "\n".join(lines) + "\n"


def _crossings(r: dict[str, Any]) -> str:
    target = r["args"]["target"]
    one, pair = (crossing(r[n]["levels"], target) for n in ("one", "pair"))
    text = "p95 reaches {t} s at about {a} visitors on one process and {b} on the pair (interpolated between levels)".format(
        t=target, a="–" if one is None else f"{one:.0f}", b="–" if pair is None else f"{pair:.0f}"
    )
    return text + (f": {pair / one:.2f}×." if one and pair else ".")


def svg(r: dict[str, Any], width: int = 720, height: int = 420) -> str:
    left, right, top, bottom = 60, 20, 30, 50
    series = {n: [(lv["visitors"], lv["p50"], lv["p95"]) for lv in r[n]["levels"]] for n in ("one", "pair")}
    xs = [v for s in series.values() for v, _, _ in s] or [1]
    ys = [y for s in series.values() for _, a, b in s for y in (a, b) if not math.isnan(y)] or [1]
    xmax = math.ceil(max(xs) * 1.05 / 10) * 10  # ticks at fifths: whole numbers of visitors
    ymax = math.ceil(max(max(ys) * 1.1, r["args"]["target"] * 1.2) * 2) / 2

    def x(v: float) -> float:
        return left + (width - left - right) * v / xmax

    def y(v: float) -> float:
        return height - bottom - (height - top - bottom) * v / ymax

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="{left}" y="18" font-size="14">Step latency against concurrent visitors (think {r["args"]["think"]} s)</text>',
           f'<line x1="{left}" y1="{y(0)}" x2="{width - right}" y2="{y(0)}" stroke="#333"/>',
           f'<line x1="{left}" y1="{y(0)}" x2="{left}" y2="{top}" stroke="#333"/>',
           f'<line x1="{left}" y1="{y(r["args"]["target"])}" x2="{width - right}" y2="{y(r["args"]["target"])}" stroke="#888" stroke-dasharray="4 3"/>',
           f'<text x="{width - right - 4}" y="{y(r["args"]["target"]) - 4}" text-anchor="end" fill="#555">target p95 {r["args"]["target"]} s</text>',
           f'<text x="{(left + width) / 2}" y="{height - 12}" text-anchor="middle">concurrent visitors</text>',
           f'<text x="16" y="{(top + height) / 2}" transform="rotate(-90 16 {(top + height) / 2})" text-anchor="middle">seconds</text>']  # fmt: skip
    for i in range(6):
        v = ymax * i / 5
        out.append(f'<text x="{left - 6}" y="{y(v) + 4}" text-anchor="end">{v:.1f}</text>')
        xv = xmax * i / 5
        out.append(f'<text x="{x(xv)}" y="{y(0) + 16}" text-anchor="middle">{xv:.0f}</text>')
    for k, (name, points) in enumerate(series.items()):
        colour = COLOURS[name]
        for idx, dash in ((1, ""), (2, ' stroke-dasharray="6 3"')):
            pts = " ".join(f"{x(p[0]):.1f},{y(p[idx]):.1f}" for p in points if not math.isnan(p[idx]))
            out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
            out += [
                f'<circle cx="{x(p[0]):.1f}" cy="{y(p[idx]):.1f}" r="3" fill="{colour}"/>'
                for p in points
                if not math.isnan(p[idx])
            ]
        label = "one process" if name == "one" else "two processes + nginx"
        out.append(
            f'<text x="{left + 10}" y="{top + 16 + 16 * k}" fill="{colour}">{label}: p50 solid, p95 dashed</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def vega_lite(r: dict[str, Any]) -> dict[str, Any]:
    values = [{"series": n, "visitors": lv["visitors"], "quantile": q, "seconds": lv[q]}
              for n in ("one", "pair") for lv in r[n]["levels"] for q in ("p50", "p95", "p99")]  # fmt: skip
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "data": {"values": values},
            "mark": {"type": "line", "point": True},
            "encoding": {"x": {"field": "visitors", "type": "quantitative", "title": "concurrent visitors"},
                         "y": {"field": "seconds", "type": "quantitative", "title": "step latency (s)"},
                         "color": {"field": "series"}, "strokeDash": {"field": "quantile"}}}  # fmt: skip


def write_report(r: dict[str, Any], out: Path) -> str:
    text = markdown(r)
    (out / "load.md").write_text(text)
    slim = {**r, "one": {k: v for k, v in r["one"].items() if k != "samples"},
            "pair": {k: v for k, v in r["pair"].items() if k != "samples"}}  # fmt: skip
    (out / "load.json").write_text(json.dumps(slim, indent=1, default=str))
    (out / "load-samples.json").write_text(json.dumps({n: r[n]["samples"] for n in ("one", "pair")}))
    (out / "load.svg").write_text(svg(r))
    (out / "load.vl.json").write_text(json.dumps(vega_lite(r), indent=1))
    return text + f"\nWritten: {out / 'load.md'}, load.json, load.svg, load.vl.json\n"


if __name__ == "__main__":  # python -m bench.load_report: the report again from bench/out/load*.json
    import sys

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "out"
    data = json.loads((folder / "load.json").read_text())
    samples = json.loads((folder / "load-samples.json").read_text())
    for name in ("one", "pair"):
        data[name]["samples"] = samples[name]
    print(write_report(data, folder))
