"""Server-side figures: rerun time after a filter change (AppTest), seeding, validation.

The rerun benchmark runs the real ``app.py`` in ``streamlit.testing.v1.AppTest`` against a
data folder and a fresh SQLite database, warms it up with one run, then toggles the theme
filter (the ``explore_themes`` pills) on and off and times each ``AppTest.run()``: the whole
script run, including marshalling every element, as the server does it for a browser.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bench.payload import ComponentArgs, record_component_args
from itinerary import seed

if TYPE_CHECKING:
    from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def app_env(data_dir: Path, db_path: Path) -> Iterator[None]:
    """Point the app at a data folder and database (env vars and cwd), then restore."""
    saved = {k: os.environ.get(k) for k in ("CITYPLUS_DATA_DIR", "CITYPLUS_DB_URL")}
    cwd = Path.cwd()
    os.environ["CITYPLUS_DATA_DIR"] = str(data_dir)
    os.environ["CITYPLUS_DB_URL"] = f"sqlite:///{db_path}"
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(cwd)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dataclass
class Reruns:
    """Timings of the warm-up run and of each rerun after a filter change."""

    first_run_s: float  # the first run of a fresh session and database (includes seeding)
    times_ms: list[float] = field(default_factory=list)
    counts: list[str] = field(default_factory=list)  # the page's "N of M landmarks" line per rerun
    map_args: ComponentArgs | None = None  # component arguments of the unfiltered map

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def filtered_ms(self) -> list[float]:
        """Reruns that turned the theme filter on (the 1st, 3rd, ...)."""
        return self.times_ms[0::2]

    @property
    def unfiltered_ms(self) -> list[float]:
        """Reruns that turned it off again: every landmark back on the map (the 2nd, 4th, ...)."""
        return self.times_ms[1::2]

    @property
    def p90_ms(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def _count_line(at: AppTest) -> str:
    """The page's landmark count line ("N of M landmarks match"), to check a rerun filtered."""
    for md in at.markdown:
        if "landmarks" in str(md.value):
            return str(md.value).strip("*")
    return "?"


def time_filter_reruns(data_dir: Path, db_path: Path, *, reruns: int, theme: str = "food") -> Reruns:
    """Warm up ``app.py`` once, then time ``reruns`` runs toggling the ``theme`` filter on and off."""
    from streamlit.testing.v1 import AppTest

    with app_env(data_dir, db_path), record_component_args() as calls:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        started = time.perf_counter()
        at.run()
        result = Reruns(first_run_s=time.perf_counter() - started)
        if at.exception:
            raise RuntimeError(f"app.py failed: {[e.message for e in at.exception]}")
        result.map_args = calls[0] if calls else None
        for i in range(reruns):
            pills = at.pills(key="explore_themes")
            pills.set_value([theme] if i % 2 == 0 else [])
            started = time.perf_counter()
            at.run()
            result.times_ms.append((time.perf_counter() - started) * 1000)
            if at.exception:
                raise RuntimeError(f"rerun failed: {[e.message for e in at.exception]}")
            result.counts.append(_count_line(at))
    return result


def time_seed_cli(data_dir: Path, db_path: Path) -> float:
    """Seconds of ``python -m itinerary seed DIR --db-url ...`` on a fresh database."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "itinerary", "seed", str(data_dir), "--db-url", f"sqlite:///{db_path}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def time_validation(data_dir: Path) -> tuple[float, int]:
    """Seconds to load and validate a data folder, and its number of landmarks."""
    started = time.perf_counter()
    dataset = seed.load_dir(data_dir)
    return time.perf_counter() - started, len(dataset.landmarks)
