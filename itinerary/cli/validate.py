"""``python -m itinerary validate DIR``: check a folder of data-contract CSV files, load nothing."""

from __future__ import annotations

import argparse
import sys

from itinerary import seed

HELP = "check a folder of data-contract CSV files"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", help="folder with cities.csv, themes.csv, landmarks.csv, ...")


def run(args: argparse.Namespace) -> int:
    """0 when the folder is valid; 1 with every problem printed."""
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
