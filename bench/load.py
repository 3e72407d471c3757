"""``python -m bench.load``: many visitors at once, at Streamlit's protocol level.

Visitors (``bench/load_client.py``: Streamlit's websocket and protobuf messages, cookies kept
per visitor) play a visit again and again: open Explore, change a theme, search, open a card
from the list, open Itineraries and an itinerary, then Plan: six stops picked and added one by
one, optimise, download the GPX file. Between two actions a visitor thinks for ``--think``
seconds (0.5 to 1.5 times, at random). Each series raises the number of visitors level by level
(bounded: ``--hold`` seconds per level, and it stops after a level whose p95 is over 3 s) and
reports per level and step p50, p95, p99, errors, the servers' CPU and RSS.

Series: ``one`` (one app process behind nginx) and ``pair`` (two behind nginx, sticky by its
cookie), both on one PostgreSQL schema of their own (``--db-url``). Before the load, on the one
process: memory per idle session (``--idle`` sessions opened and left alone), what comes back
after they are abandoned (connections dropped; Streamlit's ``disconnectedSessionTTL`` is set to
``--ttl`` seconds for this), and a profile of every script run (``bench/load_profile.py``).
A few real Chromium sessions (``--browsers``) run beside the load at one level and time the
same step as the protocol client, to check that the two agree.

Writes bench/out/load.md (the figures), load.json (every number) and load.svg plus
load.vl.json (latency against concurrent visitors, as an image and as a Vega-Lite spec).
Figures, never a pass/fail exit status.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import pstats
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.load_client import Visitor, selection
from bench.load_report import write_report
from itinerary import cluster
from itinerary.settings import PROJECT_ROOT

OUT = PROJECT_ROOT / "bench" / "out"
PG_URL = os.environ.get("CITYPLUS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CITY = "shenzhen"
TERMS = ("museum", "park", "bay", "art", "temple", "tower")
OVERLOAD_P95_S = 3.0
TICK = os.sysconf("SC_CLK_TCK")


# --- the servers' CPU and memory, and the machine's load, from /proc ------------------------


def proc_sample(pids: list[int]) -> dict[str, float]:
    cpu, rss = 0.0, 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / TICK
            rss += int(fields[21]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    cores = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    busy = sum(int(x) for i, x in enumerate(cores[:8]) if i not in (3, 4)) / TICK
    total = sum(int(x) for x in cores[:8]) / TICK
    load1 = float(Path("/proc/loadavg").read_text().split()[0])
    return {
        "t": time.monotonic(),
        "cpu_s": cpu,
        "rss_mb": rss,
        "machine_busy_s": busy,
        "machine_s": total,
        "load1": load1,
    }


@dataclass
class Sampler:
    pids: list[int]
    samples: list[dict[str, float]] = field(default_factory=list)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.samples.append(proc_sample(self.pids))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)


def window(samples: list[dict[str, float]], start: float, end: float) -> dict[str, float]:
    inside = [s for s in samples if start <= s["t"] <= end]
    if len(inside) < 2:
        return {}
    a, b = inside[0], inside[-1]
    span = b["t"] - a["t"]
    machine = (b["machine_busy_s"] - a["machine_busy_s"]) / max(b["machine_s"] - a["machine_s"], 1e-9)
    return {
        "server_cpu_pct": 100 * (b["cpu_s"] - a["cpu_s"]) / span,  # 100 = one core
        "machine_busy_pct": 100 * machine,  # of all cores
        "rss_mb": b["rss_mb"],
        "load1": max(s["load1"] for s in inside),
    }


# --- one visit ----------------------------------------------------------------------------


@dataclass
class Run:
    """What a series' visitors share: the current level, the log of steps, the stop flag."""

    level: int = 0
    stopping: bool = False
    log: list[dict[str, Any]] = field(default_factory=list)

    def record(self, step: Any) -> None:
        self.log.append(
            {"level": self.level, "step": step.name, "seconds": step.seconds, "ok": step.ok,
             "bytes": step.bytes, "detail": step.detail, "t": time.monotonic()}
        )  # fmt: skip


async def visit(v: Visitor, think: float, rng: random.Random, run: Run) -> None:
    """One visitor's whole visit, each step recorded as it ends; stops early when the run stops."""

    async def pause() -> None:
        if run.stopping:
            raise asyncio.CancelledError
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))

    await v.open(f"city={CITY}")
    await pause()
    themes = [o.content for o in v.widget("explore_themes").proto.options]
    await v.set("theme", "explore_themes", string_array_value=[rng.choice(themes)])
    await pause()
    await v.set("search", "explore_q", string_value=rng.choice(TERMS))
    if not v.has("explore_list"):  # nothing matched both: search all themes
        await pause()
        await v.set("search", "explore_themes", string_array_value=[])
    if v.has("explore_list"):
        await pause()
        await v.set("card", "explore_list", string_value=selection(0))
    await pause()
    await v.navigate("itineraries", "Itineraries", f"city={CITY}")
    await pause()
    shows = [key for key in v.widgets if "-show_" in key]
    await v.set("itinerary", rng.choice(shows), trigger_value=True)
    await pause()
    await v.navigate("plan", "Plan my route", f"city={CITY}")
    for _ in range(6):
        await pause()
        options = list(v.widget("plan_add").proto.options)
        await v.set("plan_pick", "plan_add", string_value=rng.choice(options))
        await pause()
        await v.set("plan_add", "plan_add_button", trigger_value=True)
    await pause()
    await v.set("optimise", "plan_optimise", trigger_value=True)
    await pause()
    await v.download("gpx", "dl_gpx")
    await pause()


async def visitor_loop(base: str, think: float, seed: int, run: Run) -> None:
    """Visits one after another (each a new session, the same browser's cookies) until the run stops."""
    rng = random.Random(seed)
    cookies: dict[str, str] = {}
    while not run.stopping:
        v = Visitor(base, cookies=cookies, record=run.record)
        try:
            await visit(v, think, rng, run)
        except asyncio.CancelledError:
            await v.close()
            return
        except Exception as exc:  # every failure is a figure: a failed step
            run.log.append({"level": run.level, "step": "error", "seconds": 0.0, "ok": False, "bytes": 0,
                            "detail": repr(exc)[:300], "t": time.monotonic()})  # fmt: skip
            v.abandon()
            await asyncio.sleep(think)
        else:
            await v.close()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def summarize(steps: list[dict[str, Any]]) -> dict[str, Any]:
    times = [s["seconds"] for s in steps if s["ok"] and s["step"] != "error"]
    per_step: dict[str, Any] = {}
    for name in sorted({s["step"] for s in steps}):
        mine = [s for s in steps if s["step"] == name]
        ok = [s["seconds"] for s in mine if s["ok"]]
        per_step[name] = {"n": len(mine), "errors": len(mine) - len(ok), "p50": percentile(ok, 50),
                          "p95": percentile(ok, 95), "p99": percentile(ok, 99),
                          "kb": sum(s["bytes"] for s in mine) / max(len(mine), 1) / 1e3}  # fmt: skip
    errors = [s for s in steps if not s["ok"]]
    return {"steps": len(steps), "errors": len(errors), "error_details": sorted({s["detail"] for s in errors})[:5],
            "p50": percentile(times, 50), "p95": percentile(times, 95), "p99": percentile(times, 99),
            "per_step": per_step}  # fmt: skip


async def series(name: str, base: str, pids: list[int], levels: list[int], args: argparse.Namespace,
                 during: Any = None, ports: list[int] | None = None) -> dict[str, Any]:  # fmt: skip
    """Raise the visitors level by level; a level's figures are the steps that end in its hold."""
    sampler, stop = Sampler(pids), asyncio.Event()
    sampling = asyncio.create_task(sampler.run(stop))
    for _ in range(2 * len(pids)):  # every process's first runs of each page, before measuring
        warm = Visitor(base)
        with contextlib.suppress(Exception):
            await warm.open(f"city={CITY}")
            await warm.navigate("itineraries", "Itineraries", f"city={CITY}")
            await warm.navigate("plan", "Plan my route", f"city={CITY}")
        await warm.close()
    await asyncio.sleep(2)
    rss_before = proc_sample(pids)["rss_mb"]
    run, tasks, results = Run(), [], []
    for level in levels:
        run.level = level
        new = level - len(tasks)
        for _ in range(new):  # new visitors arrive spread over one think time
            seed = len(tasks) + 7919 * len(name)
            tasks.append(asyncio.create_task(visitor_loop(base, args.think, seed, run)))
            await asyncio.sleep(args.think / new)
        t0 = time.monotonic()
        side = asyncio.create_task(during(level)) if during is not None else None
        await asyncio.sleep(args.hold)
        t1 = time.monotonic()
        websockets = [cluster.established(port) for port in ports or []]
        figures = summarize([s for s in run.log if t0 <= s["t"] <= t1])
        figures |= {"visitors": level, "websockets": websockets, **window(sampler.samples, t0, t1)}
        figures["active_mb_per_session"] = (figures.get("rss_mb", rss_before) - rss_before) / level
        if side is not None:
            figures["browser"] = await side
        results.append(figures)
        print(f"  {name}: {level} visitors: p50 {figures['p50']:.2f} s, p95 {figures['p95']:.2f} s, "
              f"{figures['steps']} steps, {figures['errors']} errors, server CPU "
              f"{figures.get('server_cpu_pct', 0):.0f} %, machine {figures.get('machine_busy_pct', 0):.0f} %, "
              f"load {figures.get('load1', 0):.1f}", flush=True)  # fmt: skip
        if not figures["p95"] <= OVERLOAD_P95_S:
            break
    run.stopping = True
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    stop.set()
    await sampling
    return {"name": name, "rss_before_mb": rss_before, "levels": results, "samples": sampler.samples}


def capacity(result: dict[str, Any], target_s: float) -> int:
    """The most visitors of a level whose p95 stayed within ``target_s`` and had no errors."""
    ok = [lv["visitors"] for lv in result["levels"] if lv["p95"] <= target_s and lv["errors"] == 0]
    return max(ok, default=0)


# --- memory per idle session, and after abandoned ones --------------------------------------


async def idle_memory(base: str, pid: int, count: int, ttl: float) -> dict[str, float]:
    warm = Visitor(base)
    await warm.open(f"city={CITY}")
    await warm.close()
    await asyncio.sleep(ttl + 5)
    rss0 = proc_sample([pid])["rss_mb"]
    idle = []
    for _ in range(count):  # one after another, as the 12 Chromium sessions of the issue were
        v = Visitor(base)
        await v.open(f"city={CITY}")
        idle.append(v)
    await asyncio.sleep(5)
    rss_idle = proc_sample([pid])["rss_mb"]
    for v in idle:
        v.abandon()
    await asyncio.sleep(ttl + 15)  # Streamlit drops a disconnected session after its TTL
    rss_abandoned = proc_sample([pid])["rss_mb"]
    again = []
    for _ in range(count):
        v = Visitor(base)
        await v.open(f"city={CITY}")
        again.append(v)
    await asyncio.sleep(5)
    rss_again = proc_sample([pid])["rss_mb"]
    for v in again:
        await v.close()
    return {"sessions": count, "rss_before_mb": rss0, "rss_idle_mb": rss_idle, "rss_abandoned_mb": rss_abandoned,
            "rss_again_mb": rss_again, "idle_mb_per_session": (rss_idle - rss0) / count,
            "again_mb_per_session": (rss_again - rss_abandoned) / count}  # fmt: skip


# --- set-up -------------------------------------------------------------------------------


def bench_db_url(base_url: str) -> str:
    """A schema of the benchmark's own (``bench_load``) on the given PostgreSQL, emptied first."""
    engine = sa.create_engine(base_url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS bench_load CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA bench_load"))
    engine.dispose()
    return (
        sa.make_url(base_url)
        .update_query_dict({"options": "-csearch_path=bench_load"})
        .render_as_string(False)
    )


def start_cluster(
    ports: list[int], proxy: int, db_url: str, args: argparse.Namespace, tag: str
) -> cluster.Cluster:
    env = {"CITYPLUS_DB_URL": db_url, "CITYPLUS_GEOCODER": "off",
           "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(int(args.ttl))}  # fmt: skip
    return cluster.Cluster(ports, proxy, Path(args.run_dir) / tag, env).start()


def profile_server(port: int, db_url: str, args: argparse.Namespace, visitors: int, seconds: float) -> Path:
    """Run the one process under bench/load_profile.py with a few busy visitors; its stats file."""
    out = Path(args.run_dir) / "profile" / "runs.prof"
    out.parent.mkdir(parents=True, exist_ok=True)
    for old in out.parent.glob("runs.*"):
        old.unlink()
    env = {**os.environ, "CITYPLUS_DB_URL": db_url, "CITYPLUS_GEOCODER": "off"}
    command = [sys.executable, "-m", "bench.load_profile", str(out), "--", "streamlit", "run", "app.py",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]  # fmt: skip
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=(out.parent / "server.log").open("wb"),
                               stderr=subprocess.STDOUT)  # fmt: skip
    try:
        cluster.Cluster._wait(
            f"http://127.0.0.1:{port}", process, out.parent / "server.log", time.monotonic() + 120
        )
        quick = argparse.Namespace(**{**vars(args), "think": 1.0, "hold": seconds})
        asyncio.run(series("profile", f"http://127.0.0.1:{port}", [process.pid], [visitors], quick))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(300)  # writing the statistics takes a while
        except subprocess.TimeoutExpired:
            process.kill()
    return out


def top_functions(path: Path, limit: int = 14) -> list[dict[str, Any]]:
    stats = pstats.Stats(str(path))
    rows = []
    for (file, line, func), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append({"function": f"{Path(file).as_posix().split('site-packages/')[-1].replace(str(PROJECT_ROOT) + '/', '')}:{line}({func})",
                     "calls": calls, "tottime_s": tottime, "cumtime_s": cumtime})  # fmt: skip
    return sorted(rows, key=lambda r: -r["cumtime_s"])[:limit]


# --- the whole run ------------------------------------------------------------------------


def levels(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--think", type=float, default=10.0, help="seconds between a visitor's actions (default 10)"
    )
    p.add_argument("--hold", type=float, default=40.0, help="seconds measured at each level (default 40)")
    p.add_argument(
        "--one",
        type=levels,
        default=levels("10,15,20,30,40,50,75,100,130"),
        help="visitor levels, one process",
    )
    p.add_argument(
        "--pair",
        type=levels,
        default=levels("10,20,30,40,50,75,100,150,200,250"),
        help="visitor levels, the pair",
    )
    p.add_argument("--idle", type=int, default=40, help="idle sessions for the memory figure")
    p.add_argument("--ttl", type=float, default=20.0, help="Streamlit's disconnectedSessionTTL for the run")
    p.add_argument("--browsers", type=int, default=2, help="Chromium sessions beside the load (0: none)")
    p.add_argument("--target", type=float, default=1.0, help="p95 step latency that counts as served (s)")
    p.add_argument("--db-url", default=PG_URL, help="PostgreSQL; the run uses a schema bench_load of its own")
    p.add_argument("--run-dir", default=str(PROJECT_ROOT / "var" / "load"), help="nginx and server logs")
    p.add_argument("--ports", default="8720,8721,8722,8730,8731,8714",
                   help="one app, pair apps (2), one proxy, pair proxy, profiled app")  # fmt: skip
    p.add_argument("--no-profile", action="store_true", help="skip the profile phase")
    p.add_argument("--quick", action="store_true", help="a short run: levels 5,10 and 10,20, hold 20 s")
    return p


def browser_side(base: str, args: argparse.Namespace, at: int) -> Any:
    async def during(level: int) -> dict[str, float] | None:
        if args.browsers <= 0 or level != at:
            return None
        from bench.load_browser import theme_change_times

        clicks = max(1, int(args.hold / max(args.think, 1.0)) - 2)
        try:
            return await asyncio.to_thread(theme_change_times, base, args.browsers, clicks, args.think)
        except Exception as exc:  # reported; the load figures stand without it
            return {"n": 0, "p50": float("nan"), "error": repr(exc)[:200]}  # type: ignore[dict-item]

    return during


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.quick:
        args.one, args.pair, args.hold, args.idle = [5, 10], [10, 20], 20.0, 10
    one_app, pair_a, pair_b, one_proxy, pair_proxy, profiled = (int(x) for x in args.ports.split(","))
    OUT.mkdir(parents=True, exist_ok=True)
    started, load_start = time.time(), proc_sample([])
    db_url = bench_db_url(args.db_url)
    print(
        f"bench.load: think {args.think} s, hold {args.hold} s, one {args.one}, pair {args.pair}", flush=True
    )

    one = start_cluster([one_app], one_proxy, db_url, args, "one")
    try:
        pid = one.apps[0].process.pid
        print("  memory per idle session ...", flush=True)
        memory = asyncio.run(idle_memory(one.url, pid, args.idle, args.ttl))
        print(f"  idle: {memory['idle_mb_per_session']:.2f} MB per session; after abandoning: "
              f"{memory['rss_abandoned_mb']:.0f} MB of {memory['rss_idle_mb']:.0f}", flush=True)  # fmt: skip
        at = args.one[min(1, len(args.one) - 1)]
        side = browser_side(one.url, args, at)
        result_one = asyncio.run(series("one", one.url, [pid], args.one, args, side, ports=[one_app]))
    finally:
        one.stop()

    pair = start_cluster([pair_a, pair_b], pair_proxy, db_url, args, "pair")
    try:
        pids, ports = [a.process.pid for a in pair.apps], [a.port for a in pair.apps]
        result_pair = asyncio.run(series("pair", pair.url, pids, args.pair, args, ports=ports))
    finally:
        pair.stop()

    first = result_one["levels"][0]["per_step"]
    heaviest = max((s for s in first if s != "error"), key=lambda s: first[s]["p50"])
    profile: dict[str, Any] = {"heaviest_step": heaviest}
    if not args.no_profile:
        print(f"  profile (heaviest step: {heaviest}) ...", flush=True)
        path = profile_server(profiled, db_url, args, visitors=4, seconds=min(60.0, args.hold * 1.5))
        if path.exists():
            profile["top"] = top_functions(path)
            profile["runs"] = (
                path.with_suffix(".runs").read_text() if path.with_suffix(".runs").exists() else ""
            )

    report = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(started)),
        "minutes": (time.time() - started) / 60,
        "args": {k: v for k, v in vars(args).items()},
        "cores": os.cpu_count(),
        "machine_busy_pct": window([load_start, proc_sample([])], 0, float("inf")).get("machine_busy_pct"),
        "memory": memory,
        "one": result_one,
        "pair": result_pair,
        "capacity_one": capacity(result_one, args.target),
        "capacity_pair": capacity(result_pair, args.target),
        "profile": profile,
    }
    print(write_report(report, OUT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
