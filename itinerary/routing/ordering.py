"""The order of stops with the least travel time: exact for small sets, heuristic beyond."""

from __future__ import annotations

import time as _time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from itinerary.routing.aliases import Clock, Window
from itinerary.routing.exact import exact_travel, label_search
from itinerary.routing.heuristic import first_guess, heuristic_travel, heuristic_windows
from itinerary.routing.problem import (
    EPS,
    EXACT_CAP,
    EXACT_MAX_STOPS,
    Problem,
    build_problem,
    evaluate,
    order_key,
)


@dataclass(frozen=True, slots=True)
class OrderResult:
    """Stops in visiting order (indices into the matrix), beginning with the start.

    ``total_minutes`` is the travel time of the order (with the leg back for a round trip,
    whose order does not repeat the start). ``exact`` is True when no better order exists.
    ``late`` lists the stops that the order cannot visit inside an open window (fewest possible
    when exact); ``arrive_minutes`` is when each stop of ``order`` is reached.
    """

    order: list[int]
    total_minutes: float
    exact: bool
    late: list[int] = field(default_factory=list)
    arrive_minutes: list[float] = field(default_factory=list)


def _result(pb: Problem, path: Sequence[int], t0: float, *, exact: bool) -> OrderResult:
    _viol, travel, late, arrivals = evaluate(pb, path, t0)
    keep = [i for i, node in enumerate(path) if node < pb.n]
    return OrderResult(
        order=[int(path[i]) for i in keep],
        total_minutes=travel,
        exact=exact,
        late=[node for node in late if node < pb.n],
        arrive_minutes=[arrivals[i] for i in keep],
    )


def order_stops(
    minutes_matrix: npt.ArrayLike,
    *,
    start: int = 0,
    end: int | None = None,
    round_trip: bool = False,
    windows: Sequence[Sequence[Window]] | None = None,
    dwell: Sequence[float] | None = None,
    start_minute: float = 0.0,
    exact_limit: int = EXACT_MAX_STOPS,
    time_budget_s: float = 0.25,
    seed: int = 0,
    clock: Clock = _time.perf_counter,
) -> OrderResult:
    """The order of stops with the least travel time, from ``start``.

    The path is open unless ``end`` is given or ``round_trip``. With ``windows`` (per stop,
    open intervals in minutes on the same clock as ``start_minute``; see ``windows_from_hours``)
    and ``dwell`` (minutes per stop), orders that visit every stop inside an open interval
    (waiting for opening when early) come first; among them the least travel wins. Up to
    ``exact_limit`` stops (at most ``EXACT_CAP``) the answer is exact (dynamic programming over
    subsets). Beyond, a local search (2-opt, Or-opt, double-bridge kicks; with windows, beam
    searches too) stops when kicks stop helping or after ``time_budget_s``; ``seed`` fixes it.
    ``start`` is visited first at ``start_minute``, with its own window and dwell.
    """
    pb = build_problem(
        minutes_matrix, start=start, end=end, round_trip=round_trip, windows=windows, dwell=dwell
    )
    deadline = clock() + time_budget_s
    exact = pb.n <= min(exact_limit, EXACT_CAP)
    if exact:
        path = exact_travel(pb)
    else:
        budget = deadline if windows is None else clock() + time_budget_s / 2
        rng = np.random.default_rng(seed)
        path = [int(x) for x in heuristic_travel(pb, rng=rng, deadline=budget, clock=clock)]
    if windows is None or evaluate(pb, path, start_minute)[0] == 0:
        return _result(pb, path, start_minute, exact=exact)
    # the shortest order misses a window: trade travel for fewer misses
    if exact:
        guess = first_guess(pb, path, start_minute)
        bound = order_key(pb, guess, start_minute) - EPS
        better = label_search(pb, start_minute, bound, beam=None) or guess
    else:
        better = heuristic_windows(pb, path, start_minute, deadline, clock)
    return _result(pb, better, start_minute, exact=exact)
