"""Offline tiles: tile math, the forbidden-server rule, and filling a folder from a real local server.

``TileStandin`` is a stdlib HTTP tile server on 127.0.0.1 (background thread) that answers real
PNG tiles, records every request and can be scripted per path (404, 500, 429, redirects). Time
is faked through ``fill_tiles``'s clock and sleep seams: no test depends on the real clock.
"""

from __future__ import annotations

import itertools
import socket
import struct
import subprocess
import sys
import threading
import urllib.error
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

from itinerary import maps, seed, store, tiles
from itinerary.cli import tiles as tiles_cli
from itinerary.tiles import FillReport, TileServerRefused
from tests.conftest import MINI, ROOT

SHENZHEN = (22.543, 114.058)
TINY = tiles.city_bbox(*SHENZHEN, 1.0)  # 1 tile at z12 and z13, 2 at z14 (see test_tiny_area)


# --- helpers: a real PNG, a fake clock, the tile server stand-in -----------------------------


def png(text: str = "") -> bytes:
    """A valid 1x1 PNG; ``text`` goes in a tEXt chunk so each tile's bytes are its own."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Comment\x00" + text.encode())
        + chunk(b"IDAT", zlib.compress(b"\x00\xff"))
        + chunk(b"IEND", b"")
    )


class FakeClock:
    """A clock that moves only when slept on (or ``advance``d); records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Reply:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"<html><body>error</body></html>"


@dataclass(frozen=True)
class Seen:
    path: str
    user_agent: str


class TileStandin:
    """A tile server on 127.0.0.1: ``/{z}/{x}/{y}.png`` answers ``png(path)`` unless scripted.

    ``scripted[path]`` is a queue of replies for that path (then normal tiles again);
    ``always`` (if set) answers every request; ``requests`` records what arrived.
    """

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self.scripted: dict[str, list[Reply]] = {}
        self.always: Reply | None = None
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def template(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def __enter__(self) -> TileStandin:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                standin._answer(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02})
        self._thread.daemon = True
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests.append(Seen(handler.path, handler.headers.get("User-Agent", "")))
            queue = self.scripted.get(handler.path)
            reply = queue.pop(0) if queue else self.always
        if reply is None:
            reply = Reply(200, {"Content-Type": "image/png"}, png(handler.path))
        handler.send_response(reply.status)
        handler.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(reply.body)


@pytest.fixture
def standin() -> Iterator[TileStandin]:
    with TileStandin() as server:
        yield server


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CITYPLUS_CONTACT", "CITYPLUS_PUBLIC_URL", "CITYPLUS_DB_URL"):
        monkeypatch.delenv(name, raising=False)
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)  # requests go to 127.0.0.1 directly


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def never_fetch(url: str) -> bytes:
    raise AssertionError(f"no request may be made, but {url} was fetched")


# --- tile math -------------------------------------------------------------------------------

WORLD = (-85.05, -180.0, 85.05, 180.0)


@pytest.mark.parametrize(
    ("box", "zoom", "expected"),
    [
        (WORLD, 0, (0, 0, 0, 0)),  # zoom 0: one tile for the whole world
        ((-90.0, -180.0, 90.0, 180.0), 0, (0, 0, 0, 0)),  # poles clamp to Mercator's edge
        (WORLD, 1, (0, 1, 0, 1)),
        (WORLD, 3, (0, 7, 0, 7)),
        ((10.0, 10.0, 80.0, 170.0), 1, (1, 1, 0, 0)),  # north-east quarter
        ((-80.0, -170.0, -10.0, -10.0), 1, (0, 0, 1, 1)),  # south-west quarter
        # Shenzhen's centre at zoom 12 (n = 4096), by hand:
        #   x = (114.058 + 180) / 360 * 4096 = 0.81683 * 4096 = 3345.73 -> 3345
        #   lat 22.543 deg: tan = 0.41509, sec = 1.08273, asinh(tan) = ln(tan + sec) = 0.40401
        #   y = (1 - 0.40401 / pi) / 2 * 4096 = (1 - 0.12860) / 2 * 4096 = 1784.6 -> 1784
        ((*SHENZHEN, *SHENZHEN), 12, (3345, 3345, 1784, 1784)),
        # Shenzhen's geocoding box (south 22.39, west 113.75, north 22.87, east 114.65) at zoom 12:
        #   x: (293.75 / 360) * 4096 = 3342.2 -> 3342;  (294.65 / 360) * 4096 = 3352.5 -> 3352
        #   north 22.87: ln(0.42180 + 1.08532) = 0.41020, (1 - 0.13057) / 2 * 4096 = 1780.6 -> 1780
        #   south 22.39: ln(0.41197 + 1.08153) = 0.40112, (1 - 0.12768) / 2 * 4096 = 1786.5 -> 1786
        ((22.39, 113.75, 22.87, 114.65), 12, (3342, 3352, 1780, 1786)),
        ((51.5074, -0.1278, 51.5074, -0.1278), 10, (511, 511, 340, 340)),  # London, a well-known tile
        ((0.0, 180.0, 0.0, 180.0), 2, (3, 3, 2, 2)),  # the east edge stays on the map
    ],
)
def test_tile_range(box: tiles.BBox, zoom: int, expected: tuple[int, int, int, int]) -> None:
    assert tiles.tile_range(*box, zoom) == expected


@pytest.mark.parametrize(
    ("box", "zoom", "message"),
    [
        ((23.0, 114.0, 22.0, 115.0), 10, "south <= north"),
        ((22.0, 115.0, 23.0, 114.0), 10, "west <= east"),  # across the antimeridian: unsupported
        ((22.0, 114.0, 23.0, 200.0), 10, "west <= east"),
        ((22.0, 114.0, 23.0, 115.0), -1, "zoom"),
        ((22.0, 114.0, 23.0, 115.0), 23, "zoom"),
    ],
)
def test_tile_range_rejects(box: tiles.BBox, zoom: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        tiles.tile_range(*box, zoom)


def test_tiles_for_bbox_lists_every_tile_once_lowest_zoom_first() -> None:
    box = (22.39, 113.75, 22.87, 114.65)
    listed = list(tiles.tiles_for_bbox(box, [12, 10, 11, 12]))
    assert len(listed) == len(set(listed)) == tiles.count_tiles(box, [10, 11, 12])
    assert [z for z, _, _ in listed] == sorted(z for z, _, _ in listed)
    assert sum(1 for z, _, _ in listed if z == 12) == 11 * 7  # x 3342..3352, y 1780..1786
    for z, x, y in listed:
        x_min, x_max, y_min, y_max = tiles.tile_range(*box, z)
        assert x_min <= x <= x_max and y_min <= y <= y_max


def test_tiny_area() -> None:
    assert list(tiles.tiles_for_bbox(TINY, range(12, 15))) == [
        (12, 3345, 1784),
        (13, 6691, 3569),
        (14, 13382, 7138),
        (14, 13383, 7138),
    ]


@pytest.mark.parametrize(
    ("zooms", "expected"),
    [((0,), 1), (range(10, 13), 2 + 6 + 20), (range(10, 16), 1078), ((18,), 45582)],
)
def test_count_tiles_for_shenzhen_15_km(zooms: tuple[int, ...], expected: int) -> None:
    assert tiles.count_tiles(tiles.city_bbox(*SHENZHEN, 15.0), zooms) == expected


@pytest.mark.parametrize(
    ("lat", "lon", "radius_km", "expected"),
    [
        # 15 km is 15 / 6371.0088 rad = 0.13490 deg of latitude; / cos(22.543 deg) = 0.14606 deg of longitude
        (22.543, 114.058, 15.0, (22.40810, 113.91194, 22.67790, 114.20406)),
        (0.0, 0.0, 111.195, (-1.0, -1.0, 1.0, 1.0)),  # one degree at the equator
        (0.0, 179.9, 111.195, (-1.0, 178.9, 1.0, 180.0)),  # clipped at the antimeridian
        (85.0, 10.0, 100.0, (84.10068, -0.31854, tiles.MAX_LATITUDE, 20.31854)),  # and at Mercator's edge
    ],
)
def test_city_bbox(lat: float, lon: float, radius_km: float, expected: tiles.BBox) -> None:
    assert tiles.city_bbox(lat, lon, radius_km) == pytest.approx(expected, abs=1e-5)


@pytest.mark.parametrize(
    ("lat", "lon", "radius_km"), [(22.5, 114.0, 0.0), (22.5, 114.0, -1.0), (91.0, 0.0, 5.0)]
)
def test_city_bbox_rejects(lat: float, lon: float, radius_km: float) -> None:
    with pytest.raises(ValueError):
        tiles.city_bbox(lat, lon, radius_km)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("10-15", (10, 11, 12, 13, 14, 15)), ("12", (12,)), ("10,12, 14-15", (10, 12, 14, 15)), ("3-3", (3,))],
)
def test_parse_zooms(text: str, expected: tuple[int, ...]) -> None:
    assert tiles.parse_zooms(text) == expected


@pytest.mark.parametrize("text", ["", "ten", "15-10", "10-", "0-23", "-1"])
def test_parse_zooms_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        tiles.parse_zooms(text)


# --- which servers ---------------------------------------------------------------------------

OSM_SERVERS = [
    "tile.openstreetmap.org",
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "https://a.tile.openstreetmap.org/{z}/{x}/{y}.png",
    "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
    "http://tile.osm.org/{z}/{x}/{y}.png",
    "https://TILE.OpenStreetMap.ORG/{z}/{x}/{y}.png",
    "https://tile.openstreetmap.org.:443/{z}/{x}/{y}.png",
    "https://user@tile.openstreetmap.org/{z}/{x}/{y}.png",
    "https://a.tile.openstreetmap.fr/hot/{z}/{x}/{y}.png",
    "https://tile.openstreetmap.de/{z}/{x}/{y}.png",
    "//tile.openstreetmap.org/{z}/{x}/{y}.png",
]


@pytest.mark.parametrize("server", OSM_SERVERS)
def test_openstreetmap_servers_are_refused_without_a_request(server: str, tmp_path: Path) -> None:
    with pytest.raises(TileServerRefused, match="tile usage policy") as refused:
        tiles.check_server(server)
    assert tiles.TILE_USAGE_POLICY in str(refused.value)
    assert isinstance(refused.value, ValueError)
    with pytest.raises(TileServerRefused):
        tiles.fill_tiles(server, TINY, [12], tmp_path, fetch=never_fetch)
    assert files_under(tmp_path) == []


@pytest.mark.parametrize(
    "server",
    [
        "http://127.0.0.1:8080/{z}/{x}/{y}.png",
        "https://tiles.example.org/styles/basic/{z}/{x}/{y}.png",
        "https://{s}.tiles.example.org/{z}/{x}/{y}@2x.png?key=abc",
        "HTTPS://tiles.example.org/{z}/{x}/{y}.png",
        "https://notopenstreetmap.org/{z}/{x}/{y}.png",  # a look-alike name is someone else's
        "https://tile.openstreetmap.org.example.com/{z}/{x}/{y}.png",
    ],
)
def test_other_servers_are_allowed(server: str) -> None:
    tiles.check_server(server)


@pytest.mark.parametrize(
    ("server", "message"),
    [
        ("ftp://tiles.example.org/{z}/{x}/{y}.png", "http"),
        ("file:///srv/tiles/{z}/{x}/{y}.png", "http"),
        ("static/tiles/{z}/{x}/{y}.png", "http"),
        ("https://tiles.example.org/{z}/{x}.png", r"lacks \{y\}"),
        ("https://tiles.example.org/tile.png", r"lacks \{z\}, \{x\}, \{y\}"),
        ("https://tiles.example.org/{z}/{x}/{y}.png?key={apikey}", r"unknown placeholder.*\{apikey\}"),
    ],
)
def test_malformed_templates_are_rejected(server: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as rejected:
        tiles.check_server(server)
    assert not isinstance(rejected.value, TileServerRefused)


def test_subdomains_are_chosen_from_x_and_y_deterministically(tmp_path: Path, clock: FakeClock) -> None:
    asked: list[str] = []

    def fetch(url: str) -> bytes:
        asked.append(url)
        return png(url)

    template = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    tiles.fill_tiles(template, TINY, range(12, 15), tmp_path, fetch=fetch, clock=clock, sleep=clock.sleep)
    assert asked == [
        "https://c.tiles.example.org/12/3345/1784.png",  # (3345 + 1784) % 3 = 2 -> c
        "https://a.tiles.example.org/13/6691/3569.png",  # 10260 % 3 = 0 -> a
        "https://a.tiles.example.org/14/13382/7138.png",  # 20520 % 3 = 0 -> a
        "https://b.tiles.example.org/14/13383/7138.png",  # 20521 % 3 = 1 -> b
    ]
    assert (tmp_path / "14/13383/7138.png").read_bytes() == png(asked[-1])


# --- filling a folder from the local server --------------------------------------------------

EXPECTED_FILES = ["12/3345/1784.png", "13/6691/3569.png", "14/13382/7138.png", "14/13383/7138.png"]


def fill(standin: TileStandin, out: Path, clock: FakeClock, **options: Any) -> FillReport:
    return tiles.fill_tiles(
        standin.template, TINY, range(12, 15), out, clock=clock, sleep=clock.sleep, **options
    )


def test_fill_writes_each_tile_then_resumes_without_requests(
    standin: TileStandin, tmp_path: Path, clock: FakeClock
) -> None:
    out = tmp_path / "tiles"
    first = fill(standin, out, clock, user_agent="CityPlus-Explorer/0.1 test (+ops@example.org)")
    assert (first.fetched, first.skipped_existing, first.failed) == (4, 0, [])
    assert first.ok
    assert first.elapsed == pytest.approx(1.5)  # 4 requests at 2/s (the fake clock moves only in sleeps)
    assert files_under(out) == EXPECTED_FILES  # no temporary files left behind
    for name in EXPECTED_FILES:
        assert (out / name).read_bytes() == png("/" + name)
    assert standin.paths() == ["/" + name for name in EXPECTED_FILES]
    assert {r.user_agent for r in standin.requests} == {"CityPlus-Explorer/0.1 test (+ops@example.org)"}

    second = fill(standin, out, clock)
    assert (second.fetched, second.skipped_existing, second.failed) == (0, 4, [])
    assert len(standin.requests) == 4  # resume: nothing asked again


def test_default_user_agent_names_the_app_and_contact(
    standin: TileStandin, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITYPLUS_CONTACT", "ops@example.org")
    fill(standin, tmp_path, clock)
    assert {r.user_agent for r in standin.requests} == {
        "CityPlus-Explorer/0.1 tile-prefetch (+ops@example.org)"
    }


def test_an_empty_file_left_behind_is_fetched_again(
    standin: TileStandin, tmp_path: Path, clock: FakeClock
) -> None:
    (tmp_path / "12/3345").mkdir(parents=True)
    (tmp_path / "12/3345/1784.png").write_bytes(b"")
    (tmp_path / "13/6691").mkdir(parents=True)
    (tmp_path / "13/6691/3569.png").write_bytes(png("kept"))
    report = fill(standin, tmp_path, clock)
    assert (report.fetched, report.skipped_existing) == (3, 1)
    assert (tmp_path / "12/3345/1784.png").read_bytes() == png("/12/3345/1784.png")
    assert (tmp_path / "13/6691/3569.png").read_bytes() == png("kept")


@pytest.mark.parametrize(
    ("replies", "reason"),
    [
        ([Reply(404)], "HTTP 404 Not Found"),
        ([Reply(500)], "HTTP 500 Internal Server Error"),
        ([Reply(503, {"Retry-After": "5"})], "HTTP 503 Service Unavailable"),
        ([Reply(200, {"Content-Type": "text/html"}, b"<html>maintenance</html>")], "not an image"),
        ([Reply(429, {"Retry-After": "1"}), Reply(429, {"Retry-After": "1"})], "HTTP 429"),
    ],
)
def test_a_failed_tile_is_recorded_and_the_run_goes_on(
    standin: TileStandin, tmp_path: Path, clock: FakeClock, replies: list[Reply], reason: str
) -> None:
    standin.scripted["/13/6691/3569.png"] = list(replies)
    report = fill(standin, tmp_path, clock)
    assert report.fetched == 3
    assert [(z, x, y) for z, x, y, _ in report.failed] == [(13, 6691, 3569)]
    assert reason in report.failed[0][3]
    assert not report.ok and not report.aborted
    assert files_under(tmp_path) == [n for n in EXPECTED_FILES if n != "13/6691/3569.png"]
    assert standin.paths().count("/13/6691/3569.png") == len(replies)  # 429: retried once, no more

    again = fill(standin, tmp_path, clock)  # the next run asks only for what is missing
    assert (again.fetched, again.skipped_existing, again.failed) == (1, 3, [])
    assert files_under(tmp_path) == EXPECTED_FILES


@pytest.mark.parametrize(
    ("retry_after", "wait"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "0"}, 0.5),  # still no faster than the rate
        ({"Retry-After": "3600"}, 60.0),  # bounded
        ({"Retry-After": "Thu, 01 Jan 1970 00:00:00 GMT"}, 0.5),  # a date in the past: no wait
        ({"Retry-After": "soon"}, 10.0),  # unreadable: the default
        ({}, 10.0),
    ],
)
def test_429_waits_for_retry_after_then_retries_once(
    standin: TileStandin, tmp_path: Path, clock: FakeClock, retry_after: dict[str, str], wait: float
) -> None:
    standin.scripted["/13/6691/3569.png"] = [Reply(429, retry_after)]
    report = fill(standin, tmp_path, clock)
    assert (report.fetched, report.failed) == (4, [])
    assert standin.paths() == ["/" + n for n in EXPECTED_FILES[:2]] + ["/" + n for n in EXPECTED_FILES[1:]]
    # 0.5 s before the 2nd request, the wait before the retry, 0.5 s before each of the last two
    assert clock.sleeps == pytest.approx([0.5, wait, 0.5, 0.5])


def test_a_redirect_to_openstreetmap_is_refused(
    standin: TileStandin, tmp_path: Path, clock: FakeClock
) -> None:
    standin.always = Reply(302, {"Location": "https://tile.openstreetmap.org/12/3345/1784.png"})
    with pytest.raises(TileServerRefused, match="tile usage policy"):
        fill(standin, tmp_path, clock)
    assert files_under(tmp_path) == []


def test_an_unreachable_server_stops_the_run(tmp_path: Path, clock: FakeClock) -> None:
    with socket.socket() as sock:  # a port on which nothing listens: connection refused at once
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    report = tiles.fill_tiles(
        f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png",
        tiles.city_bbox(*SHENZHEN, 5.0),
        [14],
        tmp_path,
        clock=clock,
        sleep=clock.sleep,
        max_consecutive_failures=3,
    )
    assert report.fetched == 0 and len(report.failed) == 3
    assert all("network error" in reason for *_, reason in report.failed)
    assert "3 tiles in a row" in report.aborted
    assert report.not_attempted == tiles.count_tiles(tiles.city_bbox(*SHENZHEN, 5.0), [14]) - 3


def test_http_errors_do_not_stop_the_run(standin: TileStandin, tmp_path: Path, clock: FakeClock) -> None:
    standin.always = Reply(404)
    report = fill(standin, tmp_path, clock, max_consecutive_failures=2)
    assert len(report.failed) == 4 and report.aborted == "" and report.not_attempted == 0


def test_progress_is_reported_for_every_tile(standin: TileStandin, tmp_path: Path, clock: FakeClock) -> None:
    (tmp_path / "12/3345").mkdir(parents=True)
    (tmp_path / "12/3345/1784.png").write_bytes(png())
    seen: list[tuple[int, int]] = []
    fill(standin, tmp_path, clock, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


# --- rate limit and size limit ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "fetch_seconds", "expected_sleep"),
    [
        (2.0, 0.0, 0.5),
        (5.0, 0.0, 0.2),
        (0.5, 0.0, 2.0),
        (2.0, 0.1, 0.4),  # the request's own time counts towards the interval
        (2.0, 1.0, None),  # a slow server is already slower than the limit: no sleeping
    ],
)
def test_requests_never_exceed_the_rate(
    tmp_path: Path, clock: FakeClock, rate: float, fetch_seconds: float, expected_sleep: float | None
) -> None:
    starts: list[float] = []

    def fetch(url: str) -> bytes:
        starts.append(clock.now)
        clock.advance(fetch_seconds)
        return png(url)

    box = tiles.city_bbox(*SHENZHEN, 5.0)
    report = tiles.fill_tiles(
        "https://tiles.example.org/{z}/{x}/{y}.png",
        box,
        [14],
        tmp_path,
        rate_per_second=rate,
        fetch=fetch,
        clock=clock,
        sleep=clock.sleep,
    )
    assert report.fetched == len(starts) == tiles.count_tiles(box, [14]) == 30
    assert clock.sleeps == pytest.approx([] if expected_sleep is None else [expected_sleep] * 29)
    for first in starts:  # every window of one second holds at most `rate` request starts
        assert sum(first <= t < first + 1.0 for t in starts) <= max(rate, 1.0)
    for a, b in itertools.pairwise(starts):
        assert b - a >= 1.0 / rate - 1e-9
    assert report.elapsed == pytest.approx(clock.now - 1000.0)


@pytest.mark.parametrize(
    ("zooms", "max_tiles", "hint"),
    [
        (range(10, 19), 50_000, "zooms 10-17 would be 15550 tiles"),
        (range(10, 16), 1000, "zooms 10-14 would be 294 tiles"),
        ([16], 1000, "even zoom 16 alone is 2916 tiles"),
    ],
)
def test_too_many_tiles_are_refused_before_any_request(
    tmp_path: Path, zooms: range | list[int], max_tiles: int, hint: str
) -> None:
    box = tiles.city_bbox(*SHENZHEN, 15.0)
    with pytest.raises(ValueError, match="exceed max_tiles") as refused:
        tiles.fill_tiles(
            "https://tiles.example.org/{z}/{x}/{y}.png",
            box,
            zooms,
            tmp_path,
            max_tiles=max_tiles,
            fetch=never_fetch,
        )
    assert hint in str(refused.value)
    assert "Narrow the zoom range" in str(refused.value)


def test_exactly_max_tiles_is_allowed(tmp_path: Path, clock: FakeClock) -> None:
    report = tiles.fill_tiles(
        "https://tiles.example.org/{z}/{x}/{y}.png",
        TINY,
        range(12, 15),
        tmp_path,
        max_tiles=4,
        fetch=png,
        clock=clock,
        sleep=clock.sleep,
    )
    assert report.fetched == 4


@pytest.mark.parametrize("rate", [0.0, -1.0])
def test_rate_must_be_positive(tmp_path: Path, rate: float) -> None:
    with pytest.raises(ValueError, match="rate_per_second"):
        tiles.fill_tiles(
            "https://tiles.example.org/{z}/{x}/{y}.png",
            TINY,
            [12],
            tmp_path,
            rate_per_second=rate,
            fetch=never_fetch,
        )


# --- command line ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("out", "expected"),
    [
        ("static/tiles", "/app/static/tiles/{z}/{x}/{y}.png"),
        ("static/tiles/shenzhen", "/app/static/tiles/shenzhen/{z}/{x}/{y}.png"),
        ("static", "/app/static/{z}/{x}/{y}.png"),
        ("var/tiles", None),
    ],
)
def test_tiles_env_value(tmp_path: Path, out: str, expected: str | None) -> None:
    assert tiles.tiles_env_value(tmp_path / out, static_dirs=[tmp_path / "static"]) == expected


def test_static_url_matches_the_maps_module() -> None:
    assert tiles.STATIC_URL == maps.STATIC_URL


def test_main_dry_run_prints_the_count_and_fetches_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tiles"
    code = tiles_cli.main(
        [
            *("shenzhen", "--center", "22.543,114.058", "--zooms", "10-15", "--radius-km", "15"),
            *("--server", "http://127.0.0.1:9/{z}/{x}/{y}.png", "--out", str(out), "--dry-run"),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert "shenzhen: 1078 tiles" in printed
    assert "z10: 2, z11: 6, z12: 20, z13: 56, z14: 210, z15: 784" in printed
    assert "0 already in" in printed and "1078 to fetch: about 9 min at 2/s" in printed
    assert not out.exists()


def test_python_m_itinerary_tiles_is_the_same_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from itinerary.__main__ import main

    argv = ["shenzhen", "--center", "22.543,114.058", "--zooms", "10-11", "--radius-km", "15"]
    argv += ["--server", "http://127.0.0.1:9/{z}/{x}/{y}.png", "--out", str(tmp_path / "t"), "--dry-run"]
    assert tiles_cli.main(argv) == 0
    alone = capsys.readouterr().out
    assert main(["tiles", *argv]) == 0
    assert capsys.readouterr().out == alone
    assert "shenzhen: 8 tiles" in alone


def test_main_fills_the_folder_and_names_the_setting(
    standin: TileStandin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = ["shenzhen", "--center", "22.543,114.058", "--zooms", "12-14", "--radius-km", "1"]
    argv += ["--server", standin.template, "--out", "static/tiles", "--rate", "50"]
    assert tiles_cli.main(argv) == 0
    printed = capsys.readouterr().out
    assert files_under(tmp_path / "static/tiles") == EXPECTED_FILES
    assert "fetched 4, already present 0, failed 0" in printed
    assert "CITYPLUS_TILES=/app/static/tiles/{z}/{x}/{y}.png" in printed

    assert tiles_cli.main([*argv, "--dry-run"]) == 0
    assert "4 already in static/tiles, 0 to fetch: about 0 s at 50/s" in capsys.readouterr().out
    assert len(standin.requests) == 4


def test_main_exits_1_when_tiles_failed(
    standin: TileStandin, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    standin.scripted["/14/13383/7138.png"] = [Reply(404)]
    argv = ["x", "--center", "22.543,114.058", "--zooms", "12-14", "--radius-km", "1"]
    argv += ["--server", standin.template, "--out", str(tmp_path), "--rate", "50"]
    assert tiles_cli.main(argv) == 1
    printed = capsys.readouterr().out
    assert "failed 1" in printed and "failed 14/13383/7138: HTTP 404 Not Found" in printed
    assert "Streamlit serves only ./static" in printed


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--server", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"], "tile usage policy"),
        (["--server", "https://{s}.tile.osm.org/{z}/{x}/{y}.png", "--dry-run"], "tile usage policy"),
        (["--server", "https://tiles.example.org/{z}/{x}.png"], r"lacks {y}"),
        (["--server", "https://tiles.example.org/{z}/{x}/{y}.png", "--max-tiles", "100"], "exceed max_tiles"),
        (
            ["--server", "https://tiles.example.org/{z}/{x}/{y}.png", "--max-tiles", "100", "--dry-run"],
            "exceed",
        ),
        (["--server", "https://tiles.example.org/{z}/{x}/{y}.png", "--rate", "0"], "--rate must be positive"),
        (["--server", "https://tiles.example.org/{z}/{x}/{y}.png", "--rate", "-1", "--dry-run"], "--rate"),
        (["--server", "https://tiles.example.org/{z}/{x}/{y}.png", "--radius-km", "0"], "radius_km"),
    ],
)
def test_main_refuses_with_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    argv = [
        "shenzhen",
        "--center",
        "22.543,114.058",
        "--zooms",
        "10-15",
        "--out",
        str(tmp_path / "t"),
        *extra,
    ]
    assert tiles_cli.main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "t").exists()


@pytest.mark.parametrize(
    "argv",
    [
        [
            "shenzhen",
            "--center",
            "22.5",
            "--zooms",
            "10-12",
            "--server",
            "https://t.example.org/{z}/{x}/{y}.png",
        ],
        [
            "shenzhen",
            "--center",
            "95,114",
            "--zooms",
            "10-12",
            "--server",
            "https://t.example.org/{z}/{x}/{y}.png",
        ],
        [
            "shenzhen",
            "--center",
            "22.5,114",
            "--zooms",
            "12-10",
            "--server",
            "https://t.example.org/{z}/{x}/{y}.png",
        ],
        ["shenzhen", "--center", "22.5,114", "--zooms", "10-12"],
    ],
)
def test_main_bad_arguments_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert tiles_cli.main(argv) == 2
    assert "error" in capsys.readouterr().err


def test_main_finds_the_city_centre_in_the_database(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store.open_store(sqlite_url).replace_all(seed.load_dir(MINI))
    common = ["--zooms", "12", "--radius-km", "1", "--db-url", sqlite_url, "--dry-run"]
    common += ["--server", "https://tiles.example.org/{z}/{x}/{y}.png", "--out", str(tmp_path / "t")]
    assert tiles_cli.main(["seattle", *common]) == 0
    # x = (180 - 122.3321 -+ 0.0133) / 360 * 4096 = 655.98 .. 656.28: two tiles side by side
    assert "seattle: 2 tiles within 1 km of 47.60620,-122.33210 (z12: 2)" in capsys.readouterr().out

    assert tiles_cli.main(["atlantis", *common]) == 2
    err = capsys.readouterr().err
    assert "unknown city 'atlantis'" in err and "seattle" in err and "--center" in err


def test_the_tile_module_needs_no_database_to_import() -> None:
    code = (
        "import sys, itinerary.tiles; print(sorted({'sqlalchemy', 'streamlit', 'pandas'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_fetch_errors_in_the_seam_contract(tmp_path: Path, clock: FakeClock) -> None:
    """A custom ``fetch`` reports HTTP statuses with urllib's HTTPError, like the default one."""

    def fetch(url: str) -> bytes:
        if url.endswith("/1784.png"):
            raise urllib.error.HTTPError(url, 410, "Gone", None, None)  # type: ignore[arg-type]
        return png(url)

    report = tiles.fill_tiles(
        "https://tiles.example.org/{z}/{x}/{y}.png",
        TINY,
        range(12, 15),
        tmp_path,
        fetch=fetch,
        clock=clock,
        sleep=clock.sleep,
    )
    assert report.failed == [(12, 3345, 1784, "HTTP 410 Gone")]
    assert report.fetched == 3
