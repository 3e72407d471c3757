"""``python -m itinerary export CITY PATH``: a city as a data-contract zip, or GeoJSON."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from itinerary import store

HELP = "write a city as a data-contract zip (or GeoJSON for .geojson)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("city", help="city id, like shenzhen")
    parser.add_argument("path", help="file to write: .zip, or .geojson/.json for the landmarks as GeoJSON")
    parser.add_argument("--db-url", help="default: $CITYPLUS_DB_URL or var/cityplus.db")


def run(args: argparse.Namespace) -> int:
    """0 when written; 2 for an unknown city or a missing folder."""
    from itinerary import transfer  # here: the other commands need not load geocoding

    db = store.open_store(args.db_url)
    target = Path(args.path)
    as_geojson = target.suffix.lower() in (".geojson", ".json")
    try:
        data = transfer.export_geojson(db, args.city) if as_geojson else transfer.export_zip(db, args.city)
    except transfer.UnknownCity as exc:
        print(exc.args[0], file=sys.stderr)
        return 2
    if target.parent and not target.parent.is_dir():
        print(f"no such folder: {target.parent}", file=sys.stderr)
        return 2
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, target)  # a scheduled backup never leaves half a file under the real name
    print(f"{target}: {args.city} as {'GeoJSON' if as_geojson else 'zip'} ({len(data):,} bytes)")
    return 0
