"""Fitting a time budget: as many stops as fit in the time, the shortest such plan."""

from __future__ import annotations

import time as _time
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from itinerary.routing.aliases import Clock, IntArray
from itinerary.routing.exact import exact_travel, held_karp, hk_path
from itinerary.routing.heuristic import heuristic_travel
from itinerary.routing.problem import EPS, EXACT_CAP, EXACT_MAX_STOPS, Problem, build_problem, path_cost


@dataclass(frozen=True, slots=True)
class BudgetResult:
    """The stops chosen to fit a time budget, in visiting order.

    ``fits`` is False when the must-see stops alone exceed the budget; ``order`` then holds
    them all anyway. ``total_minutes`` is travel plus dwell.
    """

    order: list[int]
    total_minutes: float
    travel_minutes: float
    fits: bool
    dropped: list[int]
    exact: bool


def fit_budget(
    minutes_matrix: npt.ArrayLike,
    *,
    dwell: Sequence[float],
    budget_minutes: float,
    must: Collection[int] = frozenset(),
    start: int = 0,
    end: int | None = None,
    round_trip: bool = False,
    exact_limit: int = EXACT_MAX_STOPS,
    time_budget_s: float = 0.25,
    seed: int = 0,
    clock: Clock = _time.perf_counter,
) -> BudgetResult:
    """As many stops as fit in ``budget_minutes`` (travel + dwell), the shortest such plan.

    The start (and end) and the ``must`` stops are always kept. Exact up to ``exact_limit``
    stops (every subset, by the same dynamic programme as ``order_stops``); beyond it, cheapest
    insertion, re-ordering, and exchanges (drop one stop, insert others) within ``time_budget_s``.
    """
    pb = build_problem(minutes_matrix, start=start, end=end, round_trip=round_trip, windows=None, dwell=dwell)
    for i in must:
        if not 0 <= i < pb.n:
            raise ValueError(f"must-see stop {i} is not a stop (0 to {pb.n - 1})")
    fitter = _Fitter(pb, budget_minutes=budget_minutes, must=must)
    if pb.n <= min(exact_limit, EXACT_CAP):
        return fitter.exact()
    deadline = clock() + time_budget_s
    return fitter.heuristic(rng=np.random.default_rng(seed), deadline=deadline, clock=clock)


class _Fitter:
    """One budget to fit: the problem, the budget, the stops always kept, and the exact and the
    heuristic method, which share how a plan's time and result are reckoned."""

    def __init__(self, pb: Problem, *, budget_minutes: float, must: Collection[int]) -> None:
        self.pb = pb
        self.budget = budget_minutes
        self.musts = set(must)
        self.fixed_dwell = pb.dwell[pb.s] + (pb.dwell[pb.t] if pb.t < pb.n else 0.0)
        self.free = np.asarray(pb.free, dtype=np.intp)
        self.stay = np.asarray(pb.dwell)

    def result(self, path: Sequence[int] | IntArray, fits: bool, exact: bool) -> BudgetResult:
        pb = self.pb
        travel = path_cost(pb.m, path)
        nodes = [int(x) for x in path if x < pb.n]
        chosen = set(nodes)
        return BudgetResult(
            order=nodes,
            total_minutes=travel + sum(pb.dwell[x] for x in chosen),
            travel_minutes=travel,
            fits=fits,
            dropped=[int(x) for x in self.free if x not in chosen],
            exact=exact,
        )

    def exact(self) -> BudgetResult:
        """Every subset at once: the Held-Karp table gives the least travel through each."""
        pb, free, k = self.pb, self.free, len(self.free)
        if k == 0:
            path = [pb.s, pb.t]
            return self.result(path, path_cost(pb.m, path) + self.fixed_dwell <= self.budget + EPS, True)
        must_mask = sum(1 << j for j, node in enumerate(pb.free) if node in self.musts)
        dp, parent = held_karp(pb)
        ends = dp + pb.m[free, pb.t][None, :]
        last = ends.argmin(axis=1)
        travel = ends[np.arange(len(ends)), last]
        travel[0] = pb.m[pb.s, pb.t]
        masks = np.arange(1 << k)
        stay = np.zeros(1 << k)
        for j in range(k):
            stay += np.where((masks >> j) & 1, pb.dwell[int(free[j])], 0.0)
        total = travel + stay + self.fixed_dwell
        has_must = (masks & must_mask) == must_mask
        ok = has_must & (total <= self.budget + EPS)
        fits = bool(ok.any())
        pool = masks[ok] if fits else np.asarray([must_mask])
        counts = np.bitwise_count(pool)
        pool = pool[counts == counts.max()]
        mask = int(pool[total[pool].argmin()])
        path = [pb.s, pb.t] if mask == 0 else hk_path(pb, parent, mask, int(last[mask]))
        return self.result(path, fits, True)

    def heuristic(self, *, rng: np.random.Generator, deadline: float, clock: Clock) -> BudgetResult:
        """The must-see stops, filled by cheapest insertion, then improved while time is left."""
        pb = self.pb

        def reorder(route: IntArray) -> IntArray:
            nodes = [int(x) for x in route[1:-1]]
            sub = Problem(
                m=pb.m, s=pb.s, t=pb.t, free=nodes, n=pb.n, symmetric=pb.symmetric,
                windows=pb.windows, dwell=pb.dwell, big=pb.big,
            )  # fmt: skip
            if len(nodes) + 2 <= EXACT_MAX_STOPS:
                return np.asarray(exact_travel(sub), dtype=np.intp)
            return heuristic_travel(sub, rng=rng, deadline=min(deadline, clock() + 0.02), clock=clock)

        route = reorder(np.asarray([pb.s, *(x for x in pb.free if x in self.musts), pb.t], dtype=np.intp))
        if self.spent(route) > self.budget + EPS:
            return self.result(route, False, False)
        route = self.fill(route)
        improved = True
        while improved and clock() < deadline:
            improved = False
            shorter = reorder(route)
            if self.spent(shorter) < self.spent(route) - EPS:  # a better order may leave room for more
                route, improved = self.fill(shorter), True
            # drop one optional stop and refill without it: one out, maybe two in
            for i in range(1, len(route) - 1):
                if int(route[i]) in self.musts or clock() >= deadline:
                    continue
                trial = self.fill(np.delete(route, i), banned=int(route[i]))
                if self.better(trial, route):
                    route, improved = trial, True
                    break
        return self.result(route, True, False)

    def spent(self, route: IntArray) -> float:
        """Minutes a route takes: travel and the dwell of every stop on it."""
        return path_cost(self.pb.m, route) + float(self.stay[route[1:-1]].sum()) + self.fixed_dwell

    def fill(self, route: IntArray, banned: int = -1) -> IntArray:
        """Insert the stop that adds least time, where it adds least, while one fits."""
        m = self.pb.m
        while True:
            taken = set(route.tolist())
            cand = np.asarray([x for x in self.free if x not in taken and x != banned], dtype=np.intp)
            if len(cand) == 0:
                return route
            a, b = route[:-1], route[1:]
            # time added by each candidate (rows) between each consecutive pair (columns)
            extra = m[np.ix_(a, cand)].T + m[np.ix_(cand, b)] - m[a, b][None, :]
            pos = extra.argmin(axis=1)
            growth = extra[np.arange(len(cand)), pos] + self.stay[cand]
            pick = int(growth.argmin())
            if growth[pick] > self.budget - self.spent(route) + EPS:
                return route
            at = int(pos[pick]) + 1
            route = np.concatenate((route[:at], cand[pick : pick + 1], route[at:]))

    def better(self, a: IntArray, b: IntArray) -> bool:
        """More stops, or as many in less time."""
        return len(a) > len(b) or (len(a) == len(b) and self.spent(a) < self.spent(b) - EPS)
