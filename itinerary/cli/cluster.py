"""``python -m itinerary cluster``: N app processes behind nginx on one database, until Ctrl-C;
``--config`` prints the nginx configuration for app processes on other machines instead."""

from __future__ import annotations

import argparse
import contextlib
import time
from pathlib import Path

from itinerary import settings

HELP = "run N app processes behind nginx (sticky sessions) on one database"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--processes", type=int, default=2, help="app processes (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="the proxy's port (default 8080)")
    parser.add_argument(
        "--app-port",
        type=int,
        default=8081,
        help="the first app process's port, the others follow (default 8081)",
    )
    parser.add_argument("--db-url", help="default: $CITYPLUS_DB_URL; one PostgreSQL for all processes")
    parser.add_argument(
        "--run-dir", default="var/cluster", help="nginx's configuration, logs and pid; app logs"
    )
    parser.add_argument(
        "--config",
        nargs="+",
        metavar="HOST:PORT",
        help="only print nginx's configuration for app processes at these addresses",
    )
    parser.add_argument("--listen", default="", help="with --config: the proxy's address (default: --port)")


def run(args: argparse.Namespace) -> int:
    from itinerary import cluster

    run_dir = Path(args.run_dir)
    if args.config:
        print(cluster.nginx_config(args.config, args.listen or str(args.port), run_dir), end="")
        return 0
    if args.processes < 1:
        print("--processes must be at least 1")
        return 2
    db_url = args.db_url or settings.db_url()
    if db_url.startswith("sqlite"):
        print(
            f"note: {db_url} is SQLite; several processes on one machine can share it, several machines cannot"
        )
    env = {"CITYPLUS_DB_URL": db_url}
    with cluster.Cluster(
        range(args.app_port, args.app_port + args.processes), args.port, run_dir, env
    ) as running:
        print(f"{running.url}: nginx in front of {', '.join(a.url for a in running.apps)}; Ctrl-C stops all")
        with contextlib.suppress(KeyboardInterrupt):
            while all(a.process.poll() is None for a in running.apps):
                time.sleep(1)  # until Ctrl-C or a process ends
            print("an app process ended: stopping the others")
    return 0
