"""``python -m itinerary seed [DIR]``: load the data folder into the database."""

from __future__ import annotations

import argparse
import sys

from itinerary import seed, store

HELP = "load the data folder into the database"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", nargs="?", help="default: $CITYPLUS_DATA_DIR or data/")
    parser.add_argument("--db-url", help="default: $CITYPLUS_DB_URL or var/cityplus.db")
    parser.add_argument(
        "--force", action="store_true", help="replace the content even if unchanged or edited"
    )


def run(args: argparse.Namespace) -> int:
    """0 when seeded (or already up to date); 1 with every problem when the files are invalid."""
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
