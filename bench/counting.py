"""``python -m bench.counting [--reruns N]``: what counting usage adds to a rerun (issue 13).

Runs the real ``app.py`` (Explore, the shipped data) in ``streamlit.testing.v1.AppTest`` on a
fresh SQLite database, and times reruns with ``CITYPLUS_COUNTS`` on and off, interleaved (on,
off, on, ...) so that drift of a shared machine falls on both alike:

- filter reruns (the theme pills toggled): what a visitor does most; counting then costs a
  set lookup (the page view was counted once for the session);
- reruns that each search for a new text that finds nothing: the worst case, one database
  upsert (``usage_counts``) per rerun.

Then the bare cost of one ``counts.count`` upsert on SQLite. Prints a Markdown table; figures
are measurements, never a pass/fail exit status.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.server_side import ROOT, app_env
from itinerary import counts, store

DATA = ROOT / "data"


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def time_reruns(data_dir: Path, db_path: Path, reruns: int) -> dict[str, list[float]]:
    """Rerun times (ms) per scenario and setting: "filter on", "filter off", "search on", ..."""
    from streamlit.testing.v1 import AppTest

    times: dict[str, list[float]] = {f"{k} {s}": [] for k in ("filter", "search") for s in ("on", "off")}
    with app_env(data_dir, db_path):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.run()  # warm-up: seeding, the catalog, the first page view counted
        for i in range(reruns * 2):
            setting = "on" if i % 2 == 0 else "off"
            os.environ["CITYPLUS_COUNTS"] = setting
            at.pills(key="explore_themes").set_value(["food"] if (i // 2) % 2 == 0 else [])
            started = time.perf_counter()
            at.run()
            times[f"filter {setting}"].append((time.perf_counter() - started) * 1000)
        at.pills(key="explore_themes").set_value([])
        at.run()
        for i in range(reruns * 2):
            setting = "on" if i % 2 == 0 else "off"
            os.environ["CITYPLUS_COUNTS"] = setting
            at.text_input(key="explore_q").set_value(f"zzqx nothing {i}")  # a new empty search each time
            started = time.perf_counter()
            at.run()
            times[f"search {setting}"].append((time.perf_counter() - started) * 1000)
            if at.exception:
                raise RuntimeError(f"rerun failed: {[e.message for e in at.exception]}")
        os.environ.pop("CITYPLUS_COUNTS", None)
    return times


def time_upserts(db_path: Path, n: int) -> list[float]:
    """Milliseconds of each of ``n`` ``counts.count`` calls (an upsert each) on SQLite."""
    db = store.open_store(f"sqlite:///{db_path}")
    out = []
    for i in range(n):
        started = time.perf_counter()
        counts.count(db, counts.SEARCH_EMPTY, city_id="shenzhen", key=f"q{i % 20}", timezone="Asia/Shanghai")
        out.append((time.perf_counter() - started) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=20, help="reruns per scenario and setting")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        shutil.copytree(DATA, data_dir)
        times = time_reruns(data_dir, Path(tmp) / "bench.db", args.reruns)
        upserts = time_upserts(Path(tmp) / "bench.db", 200)
    print(f"Explore reruns in AppTest, {args.reruns} per row, interleaved; Python {sys.version.split()[0]}\n")
    print("| rerun | counts on, median ms | counts off, median ms | difference ms |")
    print("|---|---|---|---|")
    for scenario in ("filter", "search"):
        on, off = _median(times[f"{scenario} on"]), _median(times[f"{scenario} off"])
        label = (
            "theme filter toggled (a set lookup)"
            if scenario == "filter"
            else "a new empty search (one upsert)"
        )
        print(f"| {label} | {on:.1f} | {off:.1f} | {on - off:+.1f} |")
    print(
        f"\nOne counts.count upsert on SQLite: median {_median(upserts):.2f} ms, max {max(upserts):.2f} ms (200 calls)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
