"""Several app processes behind nginx on one database: the proxy's configuration and a runner.

Streamlit keeps a visitor's session (its widgets, its plan, its download files) in the process
that opened its websocket, so every request of one browser has to reach the same process. Every
local client, and every visitor behind one corporate NAT, shares an address, so the proxy routes
by a cookie of its own (``NODE_COOKIE``): open-source nginx hashes it (``hash ... consistent``)
and sets it, to a fresh ``$request_id``, on the first answer to a browser that has none. Killing
a process moves only the visitors it held (their sessions are lost: Streamlit sessions live in
memory); nginx sends them, and every new visitor, to the processes that answer.

Everything the processes share lives in the database (content, accounts, staff sessions, the
geocoder's rate-limit slot, sign-in throttling), so any number of them can run on one
PostgreSQL, on one machine (``python -m itinerary cluster``) or several (``nginx_config`` with
the app hosts' addresses; docs/architecture.md, "Several processes").
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Final

from itinerary import settings

NODE_COOKIE: Final = "cityplus_node"
NGINX: Final = "/usr/sbin/nginx"
UPLOAD_LIMIT_MB: Final = 50  # .streamlit/config.toml maxUploadSize; nginx's default is 1 MB

_CONFIG = """\
# Written by itinerary/cluster.py: {count} app process(es) behind one nginx, sticky by cookie.
worker_processes 1;
daemon off;
pid {run}/nginx.pid;
error_log {run}/error.log warn;

events {{
    worker_connections 4096;
}}

http {{
    client_body_temp_path {run}/tmp/body;
    proxy_temp_path {run}/tmp/proxy;
    fastcgi_temp_path {run}/tmp/fastcgi;
    uwsgi_temp_path {run}/tmp/uwsgi;
    scgi_temp_path {run}/tmp/scgi;
    client_max_body_size {upload_mb}m;
    server_tokens off;

    # one line per request once answered (a websocket's when it closes): which process served it
    log_format cityplus '$time_iso8601 $status "$request" upstream=$upstream_addr node=$cityplus_node';
    access_log {run}/access.log cityplus;

    # websockets: pass the upgrade on; other requests close their connection to the app
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        "" close;
    }}

    # stickiness: the {cookie} cookie, or for a browser without one a new id (set below)
    map $cookie_{cookie} $cityplus_node {{
        "" $request_id;
        default $cookie_{cookie};
    }}
    map $cookie_{cookie} $cityplus_set_node {{
        "" "{cookie}=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}

    upstream cityplus_app {{
        hash $cityplus_node consistent;
{servers}
    }}

    server {{
        listen {listen};

        location / {{
            proxy_pass http://cityplus_app;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 3s;
            proxy_next_upstream error timeout;
            # a visitor's websocket stays open while the page is; Streamlit pings it
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            add_header Set-Cookie $cityplus_set_node always;
        }}
    }}
}}
"""


def nginx_config(apps: Sequence[str], listen: str, run_dir: Path | str) -> str:
    """nginx's configuration for the app processes at ``apps`` (``host:port`` each), listening
    on ``listen`` (``host:port`` or a port), keeping its pid, logs and buffers in ``run_dir``."""
    if not apps:
        raise ValueError("at least one app process")
    servers = "\n".join(f"        server {app} max_fails=1 fail_timeout=5s;" for app in apps)
    return _CONFIG.format(
        count=len(apps),
        run=Path(run_dir).resolve(),
        upload_mb=UPLOAD_LIMIT_MB,
        cookie=NODE_COOKIE,
        servers=servers,
        listen=listen,
    )


def established(port: int) -> int:
    """Open TCP connections whose local end is ``port`` on this machine (Linux ``/proc``): for an
    app process behind the proxy, its websockets (the proxy closes every other connection)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local, state = fields[1], fields[3]
                if state == "01" and int(local.rsplit(":", 1)[1], 16) == port:
                    count += 1
    return count


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


@dataclass
class App:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


@dataclass
class Cluster:
    """App processes on ``app_ports`` of 127.0.0.1 (one each) and nginx on ``proxy_port`` in
    front of them; a context manager that stops them all."""

    app_ports: Sequence[int]
    proxy_port: int
    run_dir: Path
    env: Mapping[str, str] = field(default_factory=dict)
    apps: list[App] = field(default_factory=list)
    proxy: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    @property
    def access_log(self) -> Path:
        return self.run_dir / "access.log"

    def start(self, timeout: float = 120.0) -> Cluster:
        if not Path(NGINX).exists():
            raise FileNotFoundError(f"nginx not found at {NGINX}: apt-get install nginx (make nginx)")
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.run_dir / "tmp" / name).mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)  # the app processes' environment: this one's, and
        env |= {"CITYPLUS_TRUSTED_PROXIES": "1", **self.env}  # behind one proxy
        for port in self.app_ports:
            self.apps.append(self._launch_app(port, env))
        deadline = time.monotonic() + timeout
        for app in self.apps:
            self._wait(app.url, app.process, app.log, deadline)
        conf = self.run_dir / "nginx.conf"
        conf.write_text(
            nginx_config([a.address for a in self.apps], f"127.0.0.1:{self.proxy_port}", self.run_dir)
        )
        check = subprocess.run(
            [NGINX, "-t", "-q", "-c", str(conf), "-e", str(self.run_dir / "error.log")],
            capture_output=True,
            text=True,
            check=False,
        )
        if check.returncode != 0:
            raise RuntimeError(f"nginx refused {conf}: {check.stderr}")
        self.proxy = subprocess.Popen(
            [NGINX, "-c", str(conf), "-e", str(self.run_dir / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=(self.run_dir / "nginx.out").open("wb"),
        )
        self._wait(self.url, self.proxy, self.run_dir / "error.log", deadline)
        return self

    def _launch_app(self, port: int, env: Mapping[str, str]) -> App:
        log = self.run_dir / f"app-{port}.log"
        command = [sys.executable, "-m", "streamlit", "run", str(settings.PROJECT_ROOT / "app.py")]
        command += ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]
        process = subprocess.Popen(
            command, cwd=settings.PROJECT_ROOT, env=dict(env), stdout=log.open("wb"), stderr=subprocess.STDOUT
        )
        return App(port, process, log)

    @staticmethod
    def _wait(url: str, process: subprocess.Popen[bytes], log: Path, deadline: float) -> None:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                text = log.read_text(errors="replace") if log.exists() else ""
                raise RuntimeError(f"{url} exited with {process.returncode}: {text[-2000:]}")
            if healthy(url):
                return
            time.sleep(0.2)  # poll interval while a process starts
        raise RuntimeError(f"{url} did not answer /_stcore/health in time")

    def kill(self, index: int) -> None:
        """Kill app process ``index`` at once, as a crash would."""
        app = self.apps[index]
        app.process.kill()
        app.process.wait(10)

    def stop(self) -> None:
        if self.proxy is not None and self.proxy.poll() is None:
            # nginx's fast stop: a graceful one (SIGQUIT) waits for every open websocket, up to
            # the timeout below, and the apps behind it are killed next anyway
            self.proxy.send_signal(signal.SIGTERM)
            try:
                self.proxy.wait(10)
            except subprocess.TimeoutExpired:
                self.proxy.kill()
        for app in self.apps:
            if app.process.poll() is None:
                app.process.kill()  # a session keeps nothing the database does not hold
                app.process.wait(10)
        tmp = self.run_dir / "tmp"
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
