"""``python -m itinerary tiles CITY_ID``: fill a local tile folder for a city (kiosks without network)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from itinerary import tiles

HELP = "fill a local tile folder for a city (kiosks without network)"


def _zooms_arg(text: str) -> tuple[int, ...]:
    try:
        return tiles.parse_zooms(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _center_arg(text: str) -> tuple[float, float]:
    try:
        lat_text, lon_text = text.split(",")
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--center takes LAT,LON (e.g. 22.543,114.058), not {text!r}"
        ) from None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise argparse.ArgumentTypeError(f"not a coordinate: {text!r}")
    return lat, lon


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``python -m itinerary tiles`` (for a subcommand parser too)."""
    parser.add_argument("city_id", metavar="CITY_ID", help="the city whose area to fill, e.g. shenzhen")
    parser.add_argument("--zooms", required=True, type=_zooms_arg, help="zoom levels, e.g. 10-15")
    parser.add_argument("--radius-km", type=float, default=15.0, help="area around the centre (default 15)")
    parser.add_argument(
        "--server",
        required=True,
        metavar="URL_TEMPLATE",
        help="a tile server that allows bulk downloads, e.g. https://tiles.example.org/{z}/{x}/{y}.png",
    )
    parser.add_argument("--out", default="static/tiles", help="folder to fill (default static/tiles)")
    parser.add_argument("--center", type=_center_arg, metavar="LAT,LON", help="default: the city's centre")
    parser.add_argument("--db-url", help="content database for the city's centre (default $CITYPLUS_DB_URL)")
    parser.add_argument("--rate", type=float, default=2.0, help="requests per second at most (default 2)")
    parser.add_argument("--max-tiles", type=int, default=50_000, help="refuse larger fills (default 50000)")
    parser.add_argument("--dry-run", action="store_true", help="print the tile count and stop")


def _city_center(city_id: str, db_url: str | None) -> tuple[float, float] | str:
    """The city's centre from the content database, or an error message."""
    from itinerary import store  # only here: the tile math and fetcher need no database

    cities = store.open_store(db_url).dataset().cities
    for city in cities:
        if city.id == city_id:
            return city.lat, city.lon
    known = ", ".join(c.id for c in cities) or "none: run `python -m itinerary seed` first"
    return f"unknown city {city_id!r} (known: {known}); or pass --center LAT,LON"


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 2:
        return f"about {seconds:.0f} s"
    return f"about {minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"about {minutes} min"


def _progress_printer(stream: IO[str]) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        if done == total or done % max(1, total // 20) == 0:
            print(f"  {done}/{total} tiles", file=stream, flush=True)

    return show


def run(args: argparse.Namespace) -> int:
    """``python -m itinerary tiles``: 0 done, 1 some tiles failed, 2 refused or bad arguments."""
    if args.center is not None:
        center = args.center
    else:
        found = _city_center(args.city_id, args.db_url)
        if isinstance(found, str):
            print(f"error: {found}", file=sys.stderr)
            return 2
        center = found
    try:
        tiles.check_server(args.server)
        if not args.rate > 0:
            raise ValueError(f"--rate must be positive, not {args.rate:g}")
        bbox = tiles.city_bbox(center[0], center[1], args.radius_km)
        counts = tiles.counts_by_zoom(bbox, args.zooms)
    except ValueError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    total = sum(counts.values())
    per_zoom = ", ".join(f"z{z}: {n}" for z, n in counts.items())
    print(
        f"{args.city_id}: {total} tiles within {args.radius_km:g} km of {center[0]:.5f},{center[1]:.5f} "
        f"({per_zoom})"
    )
    if args.dry_run:
        present = sum(
            tiles.tile_present(tiles.tile_path(Path(args.out), *t))
            for t in tiles.tiles_for_bbox(bbox, args.zooms)
        )
        missing = total - present
        print(
            f"{present} already in {args.out}, {missing} to fetch: {_duration(missing / args.rate)} at {args.rate:g}/s"
        )
        if total > args.max_tiles:
            print(f"refused: {tiles.too_many_message(counts, args.max_tiles)}", file=sys.stderr)
            return 2
        return 0
    try:
        report = tiles.fill_tiles(
            args.server,
            bbox,
            args.zooms,
            args.out,
            rate_per_second=args.rate,
            max_tiles=args.max_tiles,
            progress=_progress_printer(sys.stderr),
        )
    except ValueError as exc:  # TileServerRefused too (a redirect to a forbidden server)
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: the tiles written so far are kept; run again to resume", file=sys.stderr)
        return 130
    except OSError as exc:  # network errors are recorded per tile; this is the disk
        print(f"error: could not write tiles to {args.out}: {exc}", file=sys.stderr)
        return 1
    print(
        f"fetched {report.fetched}, already present {report.skipped_existing}, "
        f"failed {len(report.failed)}, in {report.elapsed:.1f} s"
    )
    for z, x, y, reason in report.failed[:10]:
        print(f"  failed {z}/{x}/{y}: {reason}")
    if len(report.failed) > 10:
        print(f"  ... and {len(report.failed) - 10} more; run again to retry them")
    if report.aborted:
        print(f"{report.aborted}; {report.not_attempted} tiles not attempted, run again to resume")
    env_value = tiles.tiles_env_value(args.out)
    if env_value is not None:
        print(f"CITYPLUS_TILES={env_value}")
        print("Set CITYPLUS_TILES_ATTRIBUTION to the attribution your tile server's terms require.")
    else:
        print(
            f"Streamlit serves only ./static (at {tiles.STATIC_URL}): put {args.out} under it for CITYPLUS_TILES."
        )
    return 0 if report.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; ``argv`` are the arguments after ``tiles`` (CITY_ID first)."""
    parser = argparse.ArgumentParser(
        prog="python -m itinerary tiles",
        description="Fill a folder with map tiles for a city's area, for kiosks without network.",
    )
    configure(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad arguments, 0 for --help
        return exc.code if isinstance(exc.code, int) else 2
    return run(args)
