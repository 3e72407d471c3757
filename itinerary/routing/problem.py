"""The ordering problem every solver works on, and how a path through it is scored.

Internal to ``itinerary.routing``: ``order_stops`` and ``fit_budget`` build a ``Problem`` from
the caller's matrix; the exact (``exact.py``) and heuristic (``heuristic.py``) solvers search it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from itinerary.routing.aliases import FloatArray, IntArray, Window

EXACT_MAX_STOPS = 12  # up to this many stops (start and end included) ordering is exact
# The exact methods keep a table of 2^(stops-1) rows: about 10 ms at 12 stops, 20 ms at 16
# without windows, but doubling with every stop. ``exact_limit`` is capped here.
EXACT_CAP = 16
EPS = 1e-9  # costs closer than this are equal (sums of float minutes)


@dataclass(frozen=True, slots=True)
class Problem:
    """A Hamiltonian path from ``s`` to ``t`` through ``free`` over matrix ``m``.

    Every variant reduces to it: an open path ends at a dummy node reached at no cost, a round
    trip at a copy of the start. Extra nodes have no window and no dwell.
    """

    m: FloatArray
    s: int
    t: int
    free: list[int]
    n: int  # nodes of the caller's matrix; indices >= n are the extra node
    symmetric: bool
    windows: list[list[Window]]
    dwell: list[float]
    big: float  # one window violation outweighs any travel total


def build_problem(
    matrix: npt.ArrayLike,
    *,
    start: int,
    end: int | None,
    round_trip: bool,
    windows: Sequence[Sequence[Window]] | None,
    dwell: Sequence[float] | None,
) -> Problem:
    """Check the caller's matrix and options and reduce them to a path from ``s`` to ``t``."""
    d = np.asarray(matrix, dtype=float)
    if d.ndim != 2 or d.shape[0] != d.shape[1]:
        raise ValueError(f"the matrix must be square, not of shape {d.shape}")
    n = d.shape[0]
    if not np.all(np.isfinite(d)) or np.any(d < 0):
        raise ValueError("travel times must be finite and not negative")
    if not 0 <= start < n:
        raise ValueError(f"start {start} is not a stop (0 to {n - 1})")
    if end is not None and not 0 <= end < n:
        raise ValueError(f"end {end} is not a stop (0 to {n - 1})")
    if end == start:
        end, round_trip = None, True
    if round_trip and end is not None:
        raise ValueError("a round trip returns to the start: do not give another end")
    for name, seq in (("windows", windows), ("dwell", dwell)):
        if seq is not None and len(seq) != n:
            raise ValueError(f"{name} has {len(seq)} entries for {n} stops")
    if end is None:
        m = np.zeros((n + 1, n + 1))
        m[:n, :n] = d
        if round_trip:
            m[:n, n] = d[:, start]
            m[n, :n] = d[start, :]
        t = n
    else:
        m, t = d, end
    size = m.shape[0]
    wins = [sorted((float(o), float(c)) for o, c in windows[i]) for i in range(n)] if windows else []
    wins += [[(-math.inf, math.inf)]] * (size - len(wins))
    stay = [float(x) for x in dwell] if dwell is not None else []
    stay += [0.0] * (size - len(stay))
    return Problem(
        m=m,
        s=start,
        t=t,
        free=[i for i in range(n) if i not in (start, end)],
        n=n,
        symmetric=bool(np.allclose(m, m.T)),
        windows=wins,
        dwell=stay,
        big=float(m.sum()) + 1.0,
    )


def path_cost(m: FloatArray, path: Sequence[int] | IntArray) -> float:
    """Travel along ``path`` over matrix ``m``."""
    p = np.asarray(path, dtype=np.intp)
    return float(m[p[:-1], p[1:]].sum())


def fit_window(arrive: float, spans: Sequence[Window], dwell: float) -> tuple[bool, float]:
    """(visited inside an open interval, departure): wait for the earliest interval that fits.

    A stop that fits in no interval is visited anyway on arrival, without waiting.
    """
    for o, c in spans:
        begin = o if o > arrive else arrive
        if begin + dwell <= c + EPS:
            return True, begin + dwell
    return False, arrive + dwell


def evaluate(pb: Problem, path: Sequence[int], t0: float) -> tuple[int, float, list[int], list[float]]:
    """(violations, travel, late nodes, arrival per node) of a path."""
    rows = pb.m
    late: list[int] = []
    arrivals: list[float] = []
    travel, clock = 0.0, t0
    prev = -1
    for node in path:
        if prev >= 0:
            leg = float(rows[prev, node])
            travel += leg
            clock += leg
        arrivals.append(clock)
        ok, clock = fit_window(clock, pb.windows[node], pb.dwell[node])
        if not ok:
            late.append(node)
        prev = node
    return len(late), travel, late, arrivals


def order_key(pb: Problem, path: Sequence[int], t0: float) -> float:
    """What the solvers minimise: window violations first (``big`` each), then travel."""
    viol, travel, _late, _arr = evaluate(pb, path, t0)
    return viol * pb.big + travel
