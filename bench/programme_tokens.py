"""How long ``/programme`` takes to answer a token, by kind of token: a live one, a wrong one,
a revoked one, an expired one (``python -m bench.programme_tokens [--runs N]``).

The issue asks that a wrong, old or revoked token show no timing difference worth measuring:
each is one hash and one indexed query. This prints the median and the 90th percentile per
kind, in microseconds, on a SQLite database seeded from data/ in a temporary folder.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from itinerary import settings, store
from itinerary.programmes import tokens

PROGRAMME = "qianhai-diplomats-2023"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = store.open_store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        store.ensure_seeded(db, settings.DEFAULT_DATA_DIR)
        revoked = tokens.issue(db, PROGRAMME, username="bench")
        live = tokens.issue(db, PROGRAMME, username="bench")  # replaces (revokes) the first
        during = datetime(2023, 1, 18, 3, tzinfo=UTC)
        kinds = {
            "live": (live, during),
            "wrong": (tokens.new_token(), during),
            "revoked": (revoked, during),
            "expired": (live, datetime(2100, 1, 1, tzinfo=UTC)),
        }
        timings: dict[str, list[float]] = {kind: [] for kind in kinds}
        for _ in range(args.runs):
            for kind, (token, now) in kinds.items():  # interleaved: the machine's drift hits all alike
                start = time.perf_counter()
                found = tokens.find(db, token, now=now)
                timings[kind].append((time.perf_counter() - start) * 1e6)
                assert (found is not None) == (kind == "live")
        db.engine.dispose()
    print(f"tokens.find, {args.runs} runs each (microseconds)")
    for kind, values in timings.items():
        values.sort()
        p90 = values[int(len(values) * 0.9)]
        print(f"  {kind:8} median {statistics.median(values):8.0f}   p90 {p90:8.0f}")


if __name__ == "__main__":
    main()
