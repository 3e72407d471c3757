"""Command line: ``python -m itinerary validate DIR``, ``seed``, ``import``, ``export``, ``tiles``, ``user``, ``cluster``.

Every command lives in ``itinerary/cli/``; this module only dispatches.
"""

from __future__ import annotations

import sys

from itinerary.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
