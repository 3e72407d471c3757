"""Offline map tiles for the kiosk: tile math, a polite tile fetcher (``python -m itinerary tiles``
is ``itinerary.cli.tiles``).

At promotion events the kiosk runs with the network cable pulled, so its map tiles come from
``CITYPLUS_TILES`` pointing at ``./static/tiles`` (served by Streamlit at ``/app/static/tiles``).
Operators fill that folder beforehand, for a city's area and zoom range, from a tile server they
are allowed to use. OpenStreetMap's public tile servers forbid bulk downloads
(https://operations.osmfoundation.org/policies/tiles/): ``check_server`` refuses them by name,
before any request and on redirects. Every fill is capped (``max_tiles``) and rate limited.

Tile numbers are OpenStreetMap's slippy-map scheme (Web Mercator, x east, y south):
https://wiki.openstreetmap.org/wiki/Slippy_map_tilenames
"""

from __future__ import annotations

import email.utils
import fnmatch
import http.client
import math
import os
import re
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from typing import IO, Final
from urllib.parse import urlsplit

from itinerary import geodesy, settings

__all__ = [
    "FORBIDDEN_HOSTS",
    "BBox",
    "FillReport",
    "TileServerRefused",
    "check_server",
    "city_bbox",
    "count_tiles",
    "counts_by_zoom",
    "default_user_agent",
    "fill_tiles",
    "parse_zooms",
    "tile_path",
    "tile_present",
    "tile_range",
    "tile_url",
    "tiles_env_value",
    "tiles_for_bbox",
    "too_many_message",
]

BBox = tuple[float, float, float, float]  # (south, west, north, east): min lat, min lon, max lat, max lon
Tile = tuple[int, int, int]  # (z, x, y)
Fetch = Callable[[str], bytes]

MAX_ZOOM: Final = 22
MAX_LATITUDE: Final = 85.0511287798066  # Web Mercator's limit: atan(sinh(pi)) in degrees
EARTH_RADIUS_KM: Final = geodesy.EARTH_RADIUS_KM
SUBDOMAINS: Final = "abc"  # what ``{s}`` stands for, as in Leaflet's default
STATIC_URL: Final = "/app/static"  # where Streamlit serves ./static (same as maps.STATIC_URL)
PROJECT_ROOT: Final = settings.PROJECT_ROOT
TILE_USAGE_POLICY: Final = "https://operations.osmfoundation.org/policies/tiles/"

# Host name patterns (fnmatch, matched case-insensitively) of OpenStreetMap's public tile
# servers: tile.openstreetmap.org and its {s}/a/b/c aliases, tile.osm.org, and the community
# servers of OpenStreetMap France (incl. the HOT and CyclOSM styles) and Germany, whose policies
# also rule out bulk downloading. Whole domains are listed: no host there is meant for it.
FORBIDDEN_HOSTS: Final[tuple[str, ...]] = (
    "openstreetmap.org",
    "*.openstreetmap.org",
    "osm.org",
    "*.osm.org",
    "openstreetmap.fr",
    "*.openstreetmap.fr",
    "openstreetmap.de",
    "*.openstreetmap.de",
)

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_KNOWN_PLACEHOLDERS: Final = frozenset({"z", "x", "y", "s"})
_RETRY_AFTER_DEFAULT: Final = 10.0  # seconds to wait after a 429 without Retry-After
_RETRY_AFTER_MAX: Final = 60.0  # a longer Retry-After is cut to this (then the tile is retried once)
_MAX_TILE_BYTES: Final = 4 * 1024 * 1024
_IMAGE_SIGNATURES: Final = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


class TileServerRefused(ValueError):
    """The tile server's usage policy forbids bulk downloads (OpenStreetMap's public servers)."""


# --- tile math -------------------------------------------------------------------------------


def _check_zoom(zoom: int) -> None:
    if not 0 <= zoom <= MAX_ZOOM:
        raise ValueError(f"zoom must be between 0 and {MAX_ZOOM}, not {zoom}")


def _tile_x(lon: float, n: int) -> int:
    return min(max(math.floor((lon + 180.0) / 360.0 * n), 0), n - 1)


def _tile_y(lat: float, n: int) -> int:
    lat_rad = math.radians(min(max(lat, -MAX_LATITUDE), MAX_LATITUDE))
    y = (1.0 - math.asinh(math.tan(lat_rad)) / math.pi) / 2.0 * n
    return min(max(math.floor(y), 0), n - 1)


def tile_range(south: float, west: float, north: float, east: float, zoom: int) -> tuple[int, int, int, int]:
    """``(x_min, x_max, y_min, y_max)``, inclusive, of the tiles covering the box at ``zoom``.

    OSM's formula: x = (lon + 180) / 360 * 2^z, y = (1 - asinh(tan(lat)) / pi) / 2 * 2^z,
    floored; y grows southwards, so the north edge gives ``y_min``. Latitudes beyond Web
    Mercator's +-85.0511 are clamped. Boxes across the antimeridian are not supported.
    """
    _check_zoom(zoom)
    if not (-90.0 <= south <= north <= 90.0):
        raise ValueError(f"need -90 <= south <= north <= 90, got south={south}, north={north}")
    if not (-180.0 <= west <= east <= 180.0):
        raise ValueError(f"need -180 <= west <= east <= 180, got west={west}, east={east}")
    n = 2**zoom
    return _tile_x(west, n), _tile_x(east, n), _tile_y(north, n), _tile_y(south, n)


def _zoom_list(zooms: Iterable[int]) -> list[int]:
    result = sorted(set(zooms))
    if not result:
        raise ValueError("no zoom levels given")
    for zoom in result:
        _check_zoom(zoom)
    return result


def tiles_for_bbox(bbox: BBox, zooms: Iterable[int]) -> Iterator[Tile]:
    """Every ``(z, x, y)`` covering ``bbox``, lowest zoom first, then by x and y."""
    for zoom in _zoom_list(zooms):
        x_min, x_max, y_min, y_max = tile_range(*bbox, zoom)
        for x in range(x_min, x_max + 1):
            for y in range(y_min, y_max + 1):
                yield zoom, x, y


def counts_by_zoom(bbox: BBox, zooms: Iterable[int]) -> dict[int, int]:
    counts = {}
    for zoom in _zoom_list(zooms):
        x_min, x_max, y_min, y_max = tile_range(*bbox, zoom)
        counts[zoom] = (x_max - x_min + 1) * (y_max - y_min + 1)
    return counts


def count_tiles(bbox: BBox, zooms: Iterable[int]) -> int:
    """How many tiles ``tiles_for_bbox`` yields, without listing them."""
    return sum(counts_by_zoom(bbox, zooms).values())


def city_bbox(lat: float, lon: float, radius_km: float) -> BBox:
    """The box ``radius_km`` around a centre, as ``(south, west, north, east)``, clipped to the
    latitudes Web Mercator tiles cover (``geodesy.bbox_around`` is the one box computation)."""
    south, west, north, east = geodesy.bbox_around(lat, lon, radius_km=radius_km)
    return (max(south, -MAX_LATITUDE), west, min(north, MAX_LATITUDE), east)


def parse_zooms(text: str) -> tuple[int, ...]:
    """``"10-15"``, ``"12"`` or ``"10,12,14-15"`` as sorted zoom levels."""
    zooms: set[int] = set()
    for part in text.replace(" ", "").split(","):
        low, sep, high = part.partition("-")
        try:
            first = int(low)
            last = int(high) if sep else first
        except ValueError:
            raise ValueError(f"zoom levels look like 10-15 or 12 or 10,12,14-15, not {text!r}") from None
        if first > last:
            raise ValueError(f"zoom range {part!r} runs backwards")
        zooms.update(range(first, last + 1))
    for zoom in zooms:
        _check_zoom(zoom)
    return tuple(sorted(zooms))


# --- the tile server -------------------------------------------------------------------------


def _host(url: str) -> str:
    parts = urlsplit(url if "//" in url else f"//{url}")
    try:
        host = parts.hostname or ""
    except ValueError:
        host = ""
    return host.rstrip(".").lower()


def _forbidden(host: str) -> bool:
    return any(fnmatch.fnmatchcase(host, pattern) for pattern in FORBIDDEN_HOSTS)


def _refusal(host: str) -> TileServerRefused:
    return TileServerRefused(
        f"{host} is one of OpenStreetMap's public tile servers; their tile usage policy "
        f"({TILE_USAGE_POLICY}) forbids bulk downloading (prefetching tiles for offline use). "
        "Use a tile server that allows it: your own, or a provider whose terms permit offline copies."
    )


def check_server(url_template: str) -> None:
    """Refuse a tile URL template that is not usable for a bulk download, before any request.

    Raises ``TileServerRefused`` for OpenStreetMap's public servers (``FORBIDDEN_HOSTS``) and
    ``ValueError`` for anything but an http(s) URL with ``{z}``, ``{x}`` and ``{y}`` (``{s}``,
    the a/b/c subdomain, is allowed).
    """
    host = _host(url_template.strip())
    if _forbidden(host):
        raise _refusal(host)
    parts = urlsplit(url_template.strip())
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise ValueError(f"the tile server must be an http(s) URL template, not {url_template!r}")
    names = set(_PLACEHOLDER.findall(url_template))
    missing = [f"{{{n}}}" for n in ("z", "x", "y") if n not in names]
    if missing:
        raise ValueError(f"the tile URL template lacks {', '.join(missing)}: {url_template!r}")
    unknown = sorted(names - _KNOWN_PLACEHOLDERS)
    if unknown:
        listed = ", ".join(f"{{{n}}}" for n in unknown)
        raise ValueError(f"unknown placeholder(s) {listed} in {url_template!r}; use {{z}} {{x}} {{y}} {{s}}")


def tile_url(url_template: str, z: int, x: int, y: int) -> str:
    """The URL of one tile; ``{s}`` is a, b or c chosen from x + y, as Leaflet does (deterministic)."""
    values = {"z": z, "x": x, "y": y, "s": SUBDOMAINS[(x + y) % len(SUBDOMAINS)]}
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), url_template)


def default_user_agent() -> str:
    """This app's User-Agent for tile servers, with ``CITYPLUS_CONTACT`` (or the public URL) if set."""
    return settings.user_agent("tile-prefetch")


class _RefuseForbiddenRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects, except to a forbidden server: an allowed URL must not lead there."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        host = _host(newurl)
        if _forbidden(host):
            raise _refusal(host)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _urllib_fetch(*, user_agent: str, timeout: float) -> Fetch:
    opener = urllib.request.build_opener(_RefuseForbiddenRedirects)

    def fetch(url: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept": "image/*"})
        with opener.open(request, timeout=timeout) as response:
            data: bytes = response.read(_MAX_TILE_BYTES + 1)
        return data

    return fetch


# --- filling a folder ------------------------------------------------------------------------


@dataclass
class FillReport:
    """What ``fill_tiles`` did. ``failed`` holds ``(z, x, y, reason)``; ``elapsed`` is in seconds.

    ``aborted`` says why the run stopped early (the server unreachable or rate limiting for
    many tiles in a row); ``not_attempted`` tiles were then left for the next run.
    """

    fetched: int = 0
    skipped_existing: int = 0
    failed: list[tuple[int, int, int, str]] = field(default_factory=list)
    elapsed: float = 0.0
    aborted: str = ""
    not_attempted: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed and not self.aborted


class _Pacer:
    """Starts requests at least ``1 / rate`` seconds apart, sleeping (never spinning) until due."""

    def __init__(self, rate: float, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self._interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._next = -math.inf

    def wait(self) -> None:
        now = self._clock()
        if now < self._next:
            self._sleep(self._next - now)
            now = max(self._clock(), self._next)
        self._next = now + self._interval

    def hold_off(self, seconds: float) -> None:
        self._next = max(self._next, self._clock() + seconds)


def _retry_after_seconds(headers: Message | None) -> float:
    value = str((headers.get("Retry-After") if headers is not None else None) or "").strip()
    if not value:
        return _RETRY_AFTER_DEFAULT
    try:
        seconds = float(value)
    except ValueError:
        try:
            # an HTTP date: the wall clock is the only reference it has
            seconds = (email.utils.parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError):
            return _RETRY_AFTER_DEFAULT
    if math.isnan(seconds):
        return _RETRY_AFTER_DEFAULT
    return min(max(seconds, 0.0), _RETRY_AFTER_MAX)


def tile_path(out_dir: Path, z: int, x: int, y: int) -> Path:
    return out_dir / str(z) / str(x) / f"{y}.png"


def _write_atomically(path: Path, data: bytes) -> None:
    # a crash or Ctrl-C never leaves a half-written tile that a resumed run would skip
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def tile_present(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def too_many_message(counts: Mapping[int, int], max_tiles: int) -> str:
    total = sum(counts.values())
    zooms = sorted(counts)
    fitting, running = [], 0
    for zoom in zooms:
        running += counts[zoom]
        if running > max_tiles:
            break
        fitting.append(zoom)
    hint = (
        f"zooms {fitting[0]}-{fitting[-1]} would be {sum(counts[z] for z in fitting)} tiles"
        if fitting
        else f"even zoom {zooms[0]} alone is {counts[zooms[0]]} tiles: use a smaller radius"
    )
    return (
        f"{total} tiles exceed max_tiles={max_tiles} (zoom {zooms[-1]} alone: {counts[zooms[-1]]}). "
        f"Narrow the zoom range ({hint}) or the radius; raise max_tiles only if the server's terms allow it."
    )


def _attempt(fetch: Fetch, pacer: _Pacer, url: str) -> tuple[bytes | None, str, bool]:
    """One tile, retried once after a 429: (data, failure reason, whether the failure says the
    server is unreachable or refusing)."""
    for retried in (False, True):
        pacer.wait()
        try:
            data = fetch(url)
        except urllib.error.HTTPError as exc:
            if exc.code == 429:
                pacer.hold_off(_retry_after_seconds(exc.headers))
                if not retried:
                    continue
                return None, "HTTP 429 Too Many Requests (again after waiting)", True
            return None, f"HTTP {exc.code} {exc.reason}", False
        except (OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", None) or exc
            return None, f"network error: {reason}", True
        if len(data) > _MAX_TILE_BYTES:
            return None, f"larger than {_MAX_TILE_BYTES} bytes", False
        if not data.startswith(_IMAGE_SIGNATURES) and not (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
            return None, f"not an image (starts with {data[:16]!r})", False
        return data, "", False
    raise AssertionError("unreachable")


def fill_tiles(
    url_template: str,
    bbox: BBox,
    zooms: Iterable[int],
    out_dir: Path | str,
    *,
    rate_per_second: float = 2.0,
    max_tiles: int = 50_000,
    user_agent: str | None = None,
    timeout: float = 10.0,
    fetch: Fetch | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int, int], None] | None = None,
    max_consecutive_failures: int = 10,
) -> FillReport:
    """Download the tiles covering ``bbox`` at ``zooms`` into ``out_dir/z/x/y.png``.

    Refuses, before any request, forbidden or malformed servers (``check_server``) and more than
    ``max_tiles`` tiles (``ValueError`` saying how to narrow the zooms). Tiles already present
    are skipped, so an interrupted run resumes. Requests start at most ``rate_per_second`` per
    second (through ``clock`` and ``sleep``). An HTTP error or a response that is not an image
    is recorded in ``failed`` and the run goes on; after a 429 it waits for Retry-After (at most
    60 s, 10 s if absent) and retries that tile once. When ``max_consecutive_failures`` tiles in
    a row find the server unreachable or still rate limiting, the run stops (``aborted``).

    ``fetch(url) -> bytes`` replaces urllib (then ``user_agent`` and ``timeout`` are unused); it
    raises ``urllib.error.HTTPError`` for an HTTP error status and ``OSError`` for network trouble.
    A redirect to a forbidden server raises ``TileServerRefused``; a failed write raises ``OSError``.
    """
    check_server(url_template)
    if not rate_per_second > 0:
        raise ValueError(f"rate_per_second must be positive, not {rate_per_second}")
    counts = counts_by_zoom(bbox, zooms)
    total = sum(counts.values())
    if total > max_tiles:
        raise ValueError(too_many_message(counts, max_tiles))
    if fetch is None:
        fetch = _urllib_fetch(user_agent=user_agent or default_user_agent(), timeout=timeout)
    out = Path(out_dir)
    pacer = _Pacer(rate_per_second, clock, sleep)
    report = FillReport()
    start = clock()
    in_a_row = 0  # tiles in a row that found the server unreachable or rate limiting

    # the zooms from counts: ``zooms`` may have been a one-shot iterator
    for done, (z, x, y) in enumerate(tiles_for_bbox(bbox, counts), start=1):
        path = tile_path(out, z, x, y)
        if tile_present(path):
            report.skipped_existing += 1
        else:
            data, reason, server_trouble = _attempt(fetch, pacer, tile_url(url_template, z, x, y))
            if data is not None:
                _write_atomically(path, data)
                report.fetched += 1
            else:
                report.failed.append((z, x, y, reason))
            in_a_row = in_a_row + 1 if server_trouble else 0
        if progress is not None:
            progress(done, total)
        if in_a_row >= max_consecutive_failures:
            report.aborted = f"stopped after {in_a_row} tiles in a row failed: {report.failed[-1][3]}"
            report.not_attempted = total - done
            break
    report.elapsed = clock() - start
    return report


# --- command line ----------------------------------------------------------------------------


def tiles_env_value(out_dir: Path | str, *, static_dirs: Sequence[Path] | None = None) -> str | None:
    """The ``CITYPLUS_TILES`` value for tiles in ``out_dir``, or None when Streamlit does not serve it.

    Streamlit serves the ``static`` folder next to the app at ``/app/static``; by default that
    is ``./static`` or this project's ``static``.
    """
    if static_dirs is None:
        static_dirs = (Path.cwd() / "static", PROJECT_ROOT / "static")
    out = Path(out_dir).resolve()
    for static in static_dirs:
        try:
            rel = out.relative_to(static.resolve())
        except ValueError:
            continue
        prefix = f"{STATIC_URL}/{rel.as_posix()}" if rel.parts else STATIC_URL
        return f"{prefix}/{{z}}/{{x}}/{{y}}.png"
    return None
