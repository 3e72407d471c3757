"""Command line: ``python -m itinerary validate DIR``, ``seed``, ``import``, ``export``, ``tiles``, ``user``, ``cluster``.

One module per command, each with ``HELP``, ``configure(parser)`` and ``run(args) -> exit code``;
``itinerary/__main__.py`` only calls ``main``. A command loads what only it needs inside
``run`` (import and export load the curation and geocoding modules), so the others start fast.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from itinerary.cli import cluster, export, imports, seed, tiles, user, validate

# In the order ``--help`` lists them.
COMMANDS = {
    "validate": validate,
    "seed": seed,
    "import": imports,
    "export": export,
    "tiles": tiles,
    "user": user,
    "cluster": cluster,
}
DESCRIPTION = "Command line: ``python -m itinerary validate DIR``, ``seed``, ``import``, ``export``, ``tiles``, ``user``, ``cluster``."


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m itinerary", description=DESCRIPTION)
    sub = top.add_subparsers(dest="command", required=True)
    for name, command in COMMANDS.items():
        p = sub.add_parser(name, help=command.HELP)
        command.configure(p)
        p.set_defaults(func=command.run)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.func(args))
