"""Start and stop ``streamlit run`` servers for the benchmark, and read their memory.

Each server gets its own data folder (``CITYPLUS_DATA_DIR``) and a fresh SQLite database
(``CITYPLUS_DB_URL``), runs from the project root (so .streamlit/config.toml applies) and
listens on a free port of 127.0.0.1, like the browser tests' servers.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[1]
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # runs in the child, between fork and exec
    """Linux: have the kernel send SIGTERM to the server if the benchmark process dies."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running ``streamlit run`` process; a context manager that stops it on exit."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    started: float  # time.perf_counter() just before the process was launched
    healthy_after_s: float = 0.0  # seconds from launch until /_stcore/health answered

    @property
    def pid(self) -> int:
        return self.process.pid

    def memory_mb(self) -> tuple[float, float]:
        """(VmRSS, VmHWM) of the server process in MB (10^6 bytes)."""
        fields: dict[str, float] = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                fields[name] = int(value.split()[0]) * 1024 / 1e6  # the kernel reports kB (KiB)
        return fields["VmRSS"], fields["VmHWM"]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def start_server(
    script: str,
    *,
    data_dir: Path,
    db_path: Path,
    log: Path,
    extra_env: dict[str, str] | None = None,
    timeout_s: float = 90.0,
) -> Server:
    """Launch ``streamlit run script`` (relative to the project root) and wait until healthy."""
    port = free_port()
    env = {
        **os.environ,
        "CITYPLUS_DATA_DIR": str(data_dir),
        "CITYPLUS_DB_URL": f"sqlite:///{db_path}",
        **(extra_env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.enableStaticServing",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    server = Server(url=f"http://127.0.0.1:{port}", process=process, log=log, started=started)
    deadline = started + timeout_s
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited: {log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    server.healthy_after_s = time.perf_counter() - started
                    return server
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"streamlit did not become healthy: {log.read_text(errors='replace')}")
