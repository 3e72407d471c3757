"""A local stand-in for Nominatim's HTTP search API, for tests (stdlib only).

``with NominatimStandin() as server:`` serves ``GET /search`` on ``127.0.0.1`` at a free port in a
background thread; point a geocoder at ``server.domain`` with scheme ``http``. Answers come from
``KNOWN_PLACES`` in Nominatim's ``format=json`` shape (lat/lon as strings). ``server.behaviour``
switches how it answers, per test; ``server.requests`` records what arrived (path, query
parameters, User-Agent, arrival time), so tests can assert what geopy really sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

Behaviour = Literal["normal", "slow", "failing", "rate_limited", "empty", "malformed"]


def _place(place_id: int, name: str, lat: float, lon: float, kind: tuple[str, str]) -> dict[str, Any]:
    return {
        "place_id": place_id,
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
        "osm_type": "way",
        "osm_id": place_id * 10,
        "lat": f"{lat:.7f}",
        "lon": f"{lon:.7f}",
        "class": kind[0],
        "type": kind[1],
        "place_rank": 30,
        "importance": 0.35,
        "addresstype": kind[1],
        "name": name.split(",")[0],
        "display_name": name,
        "boundingbox": [
            f"{lat - 0.0005:.7f}",
            f"{lat + 0.0005:.7f}",
            f"{lon - 0.0005:.7f}",
            f"{lon + 0.0005:.7f}",
        ],
    }


# Known queries (matched case-insensitively after trimming) and their answers.
KNOWN_PLACES: dict[str, list[dict[str, Any]]] = {
    "shenzhen bay hotel": [
        _place(
            101,
            "Shenzhen Bay Hotel, 9009 Shennan Boulevard, Nanshan District, Shenzhen, Guangdong, 518053, China",
            22.5313,
            113.9868,
            ("tourism", "hotel"),
        )
    ],
    "hilton shenzhen shekou": [
        _place(
            102,
            "Hilton Shenzhen Shekou Nanhai, 1177 Wanghai Road, Shekou, Nanshan District, Shenzhen, China",
            22.4818,
            113.9118,
            ("tourism", "hotel"),
        ),
        _place(
            103,
            "Hilton Garden Inn Shenzhen Shekou, Nanshan District, Shenzhen, China",
            22.4869,
            113.9201,
            ("tourism", "hotel"),
        ),
    ],
    "huaqiang north": [
        _place(
            104,
            "Huaqiang North Road, Huaqiangbei Subdistrict, Futian District, Shenzhen, China",
            22.5461,
            114.0851,
            ("highway", "pedestrian"),
        )
    ],
}


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the stand-in saw it."""

    path: str
    params: Mapping[str, str]  # last value of each query parameter
    user_agent: str
    at: float  # time.monotonic() on arrival


class NominatimStandin:
    """The stand-in server; a context manager. Switch ``behaviour`` at any time."""

    def __init__(
        self,
        *,
        behaviour: Behaviour = "normal",
        places: Mapping[str, Any] | None = None,
        slow_seconds: float = 3.0,
        failing_status: int = 500,
        retry_after: str | None = None,
    ) -> None:
        self.behaviour: Behaviour = behaviour
        self.places: dict[str, Any] = dict(KNOWN_PLACES if places is None else places)
        self.slow_seconds = slow_seconds
        self.failing_status = failing_status
        self.retry_after = retry_after  # Retry-After header sent with 429, if any
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._server is not None, "the stand-in is not running"
        return int(self._server.server_address[1])

    @property
    def domain(self) -> str:
        """What to pass as a geocoder's ``domain`` (with ``scheme="http"``)."""
        return f"127.0.0.1:{self.port}"

    def search_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == "/search"]

    def __enter__(self) -> NominatimStandin:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                standin._answer(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output quiet

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False  # a "slow" handler must not hold up the test's exit
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="nominatim-standin",
            daemon=True,
        )
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        params = {key: values[-1] for key, values in parse_qs(url.query, keep_blank_values=True).items()}
        with self._lock:
            self.requests.append(
                RecordedRequest(url.path, params, handler.headers.get("User-Agent", ""), time.monotonic())
            )
        if url.path != "/search":
            self._send(handler, 404, b'{"error": "not found"}')
            return
        behaviour = self.behaviour
        if behaviour == "slow":
            self._stopping.wait(self.slow_seconds)
            behaviour = "normal"
        if behaviour == "failing":
            self._send(handler, self.failing_status, b"<html><body>Internal error</body></html>", "text/html")
        elif behaviour == "rate_limited":
            headers = {"Retry-After": self.retry_after} if self.retry_after is not None else {}
            self._send(handler, 429, b"<html><body>Too Many Requests</body></html>", "text/html", headers)
        elif behaviour == "empty":
            self._send(handler, 200, b"[]")
        elif behaviour == "malformed":
            self._send(handler, 200, b'[{"place_id": 1, "lat": "22.5')
        else:
            found: Any = self.places.get(params.get("q", "").strip().casefold(), [])
            if isinstance(found, list):  # other shapes (an error object) are sent as they are
                found = found[: int(params.get("limit", "10") or 10)]
            self._send(handler, 200, json.dumps(found, ensure_ascii=False).encode())

    def _send(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        content_type: str = "application/json; charset=utf-8",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            pass  # the client gave up (timed out) and closed the connection
