"""Command line: ``python -m itinerary validate DIR`` and ``python -m itinerary seed``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

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
