"""Command line: ``python -m itinerary validate DIR``, ``seed``, ``import``, ``export``, ``tiles``, ``user``."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from itinerary import accounts, seed, store, tiles


def _validate(args: argparse.Namespace) -> int:
    try:
        dataset = seed.load_dir(args.directory)
    except seed.ValidationError as exc:
        print(exc.report())
        print(f"{len(exc.problems)} problem(s); nothing would be loaded.", file=sys.stderr)
        return 1
    print(
        f"{args.directory}: OK ({len(dataset.cities)} cities, {len(dataset.themes)} themes, "
        f"{len(dataset.landmarks)} landmarks, {len(dataset.itineraries)} itineraries, "
        f"{len(dataset.stops)} stops)"
    )
    return 0


def _seed(args: argparse.Namespace) -> int:
    db = store.open_store(args.db_url)
    data_dir = args.directory or store.default_data_dir()
    try:
        if args.force:
            db.replace_all(seed.load_dir(data_dir), fingerprint=seed.fingerprint(data_dir))
            outcome = "seeded"
        else:
            outcome = store.ensure_seeded(db, data_dir)
    except seed.ValidationError as exc:
        print(exc.report())
        print(f"{len(exc.problems)} problem(s); the database was left as it was.", file=sys.stderr)
        return 1
    print(f"{db.url}: {outcome} from {data_dir} (data version {db.data_version()})")
    return 0


def _operator(db: store.Store, username: str | None) -> accounts.Account | None:
    """Who the command line acts as: an operator with full rights, named in the history."""
    if username:
        found = accounts.AccountStore(db).get(username)
        if found is None:
            print(f"no staff account {username!r} (see: python -m itinerary user list)", file=sys.stderr)
            return None
        name = found.username
    else:
        try:
            name = f"cli:{getpass.getuser()}"
        except (OSError, KeyError):
            name = "cli"
    return accounts.Account(username=name, role=accounts.ADMIN)


def _import(args: argparse.Namespace) -> int:
    from itinerary import curation, transfer  # here: the other commands need not load geocoding

    db = store.open_store(args.db_url)
    operator = _operator(db, args.as_user)
    if operator is None:
        return 2
    upload = transfer.read_path(args.path)
    plan = transfer.preview(db, upload, operator)
    for name in plan.sources:
        print(f"read {name}")
    if plan.problems:
        print(plan.report())
        print(f"{len(plan.problems)} problem(s); nothing was written.", file=sys.stderr)
        return 1
    for row in plan.rows:
        if row.is_new:
            print(f"{row.where}: add {row.entity} {row.id}")
        else:
            print(f"{row.where}: change {row.entity} {row.id}: {', '.join(c.field for c in row.changes)}")
    if args.dry_run:
        print(f"dry run, nothing written: {transfer.describe_counts(plan.counts())}")
        return 0
    try:
        summary = transfer.apply(db, plan, operator)
    except curation.Conflict as exc:
        print(f"{exc}; nothing was written.", file=sys.stderr)
        return 1
    print(f"{db.engine.url.render_as_string(hide_password=True)}: imported by {operator.username}: {summary}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from itinerary import transfer

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m itinerary", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check a folder of data-contract CSV files")
    p.add_argument("directory", help="folder with cities.csv, themes.csv, landmarks.csv, ...")
    p.set_defaults(func=_validate)
    p = sub.add_parser("seed", help="load the data folder into the database")
    p.add_argument("directory", nargs="?", help="default: $CITYPLUS_DATA_DIR or data/")
    p.add_argument("--db-url", help="default: $CITYPLUS_DB_URL or var/cityplus.db")
    p.add_argument("--force", action="store_true", help="replace the content even if unchanged or edited")
    p.set_defaults(func=_seed)
    p = sub.add_parser("import", help="validate data-contract files, then load them all or nothing")
    p.add_argument("path", help="a folder of CSV files, a zip of them, one CSV file, or a GeoJSON file")
    p.add_argument("--db-url", help="default: $CITYPLUS_DB_URL or var/cityplus.db")
    p.add_argument("--as", dest="as_user", metavar="USERNAME", help="staff account named in the history")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.set_defaults(func=_import)
    p = sub.add_parser("export", help="write a city as a data-contract zip (or GeoJSON for .geojson)")
    p.add_argument("city", help="city id, like shenzhen")
    p.add_argument("path", help="file to write: .zip, or .geojson/.json for the landmarks as GeoJSON")
    p.add_argument("--db-url", help="default: $CITYPLUS_DB_URL or var/cityplus.db")
    p.set_defaults(func=_export)
    p = sub.add_parser("tiles", help="fill a local tile folder for a city (kiosks without network)")
    tiles.configure_parser(p)
    p.set_defaults(func=tiles.run)
    p = sub.add_parser("user", help="staff accounts: add, list, disable, passwd")
    accounts.configure_parser(p)
    p.set_defaults(func=accounts.run)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
