"""``python -m itinerary import PATH``: validate data-contract files, then load them all or nothing."""

from __future__ import annotations

import argparse
import getpass
import sys

from itinerary import accounts, store

HELP = "validate data-contract files, then load them all or nothing"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="a folder of CSV files, a zip of them, one CSV file, or a GeoJSON file")
    parser.add_argument("--db-url", help="default: $CITYPLUS_DB_URL or var/cityplus.db")
    parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="staff account named in the history")
    parser.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")


def operator(db: store.Store, username: str | None) -> accounts.Account | None:
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


def run(args: argparse.Namespace) -> int:
    """0 when imported (or previewed with ``--dry-run``); 1 with every problem; 2 for a bad ``--as``."""
    from itinerary import curation, transfer  # here: the other commands need not load geocoding

    db = store.open_store(args.db_url)
    acting = operator(db, args.as_user)
    if acting is None:
        return 2
    upload = transfer.read_path(args.path)
    plan = transfer.preview(db, upload, acting)
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
        summary = transfer.apply(db, plan, acting)
    except curation.Conflict as exc:
        print(f"{exc}; nothing was written.", file=sys.stderr)
        return 1
    print(f"{db.engine.url.render_as_string(hide_password=True)}: imported by {acting.username}: {summary}")
    return 0
