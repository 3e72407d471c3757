"""Heuristic ordering for sets too large for the exact methods: nearest neighbour, then
iterated local search (2-opt and Or-opt, vectorised); with windows, beam searches and a descent."""

from __future__ import annotations

import functools
import math

import numpy as np
import numpy.typing as npt

from itinerary.routing.aliases import Clock, FloatArray, IntArray
from itinerary.routing.exact import label_search
from itinerary.routing.problem import EPS, Problem, order_key, path_cost


def _nearest_neighbour(pb: Problem) -> IntArray:
    left = list(pb.free)
    path = [pb.s]
    while left:
        row = pb.m[path[-1], left]
        path.append(left.pop(int(row.argmin())))
    path.append(pb.t)
    return np.asarray(path, dtype=np.intp)


@functools.cache
def _two_opt_blocked(size: int) -> npt.NDArray[np.bool_]:
    """Pairs (i, j) of interior positions that are not a reversal (j <= i)."""
    r = np.arange(size - 2)
    blocked: npt.NDArray[np.bool_] = r[None, :] <= r[:, None]
    return blocked


@functools.cache
def _or_opt_blocked(size: int, k: int) -> npt.NDArray[np.bool_]:
    """Segment starts i (rows, from 1) and edges j (columns) where moving it changes nothing."""
    r = np.arange(size - 1 - k)[:, None]  # row r is the segment starting at position r + 1
    j = np.arange(size - 1)[None, :]
    blocked: npt.NDArray[np.bool_] = (j >= r) & (j <= r + k)
    return blocked


def _best_two_opt(pb: Problem, q: FloatArray) -> tuple[float, int, int]:
    """Best reversal of positions i..j (1 <= i < j <= size-2): (delta, i, j).

    ``q`` is the matrix permuted into path order (``q[a, b]`` = time from the a-th to the b-th
    stop), so every delta is a slice of it.
    """
    size = len(q)
    if size < 4:
        return 0.0, 0, 0
    e = np.diagonal(q, 1)  # e[t]: leg t -> t+1
    delta = q[: size - 2, 1 : size - 1] + q[1 : size - 1, 2:]
    delta -= e[: size - 2, None] + e[None, 1 : size - 1]
    if not pb.symmetric:
        fwd = np.concatenate(([0.0], np.cumsum(e)))[1 : size - 1]
        back = np.concatenate(([0.0], np.cumsum(np.diagonal(q, -1))))[1 : size - 1]
        delta += (back[None, :] - back[:, None]) - (fwd[None, :] - fwd[:, None])
    delta[_two_opt_blocked(size)] = np.inf
    r, c = divmod(int(delta.argmin()), size - 2)
    return float(delta[r, c]), r + 1, c + 1


def _best_or_opt(pb: Problem, q: FloatArray, qt: FloatArray, k: int) -> tuple[float, int, int, bool]:
    """Best move of the k stops from position i to between positions j and j+1, maybe reversed.

    ``qt`` is ``q`` transposed, in memory order (reading columns of ``q`` is slow).
    """
    size = len(q)
    if size - 2 < k + 1:
        return 0.0, 0, 0, False
    e = np.diagonal(q, 1)
    removed = e[: size - 1 - k] + e[k:] - np.diagonal(q, k + 1)
    ins_fwd = qt[1 : size - k, : size - 1] + q[k : size - 1, 1:] - e[None, :]
    delta = ins_fwd
    rev_better: npt.NDArray[np.bool_] | None = None
    if k > 1:
        ins_rev = qt[k : size - 1, : size - 1] + q[1 : size - k, 1:] - e[None, :]
        if not pb.symmetric:
            fwd = np.concatenate(([0.0], np.cumsum(e)))
            back = np.concatenate(([0.0], np.cumsum(np.diagonal(q, -1))))
            i = np.arange(1, size - k)
            ins_rev += ((back[i + k - 1] - back[i]) - (fwd[i + k - 1] - fwd[i]))[:, None]
        rev_better = ins_rev < ins_fwd
        delta = np.where(rev_better, ins_rev, ins_fwd)
    delta = delta - removed[:, None]
    delta[_or_opt_blocked(size, k)] = np.inf
    r, j = divmod(int(delta.argmin()), size - 1)
    return float(delta[r, j]), r + 1, j, bool(rev_better[r, j]) if rev_better is not None else False


def _apply_or_opt(p: IntArray, i: int, k: int, j: int, reverse: bool) -> IntArray:
    seg = p[i : i + k][::-1] if reverse else p[i : i + k]
    if j < i:
        return np.concatenate((p[: j + 1], seg, p[j + 1 : i], p[i + k :]))
    return np.concatenate((p[:i], p[i + k : j + 1], seg, p[j + 1 :]))


def _local_search(pb: Problem, path: IntArray) -> IntArray:
    """Best-improvement descent over 2-opt reversals and Or-opt moves of 1 to 3 stops."""
    p = path.copy()
    for _ in range(50 * len(p) + 100):
        q = pb.m.take(p, axis=0).take(p, axis=1)
        qt = q if pb.symmetric else np.ascontiguousarray(q.T)
        best = _best_two_opt(pb, q)
        move: tuple[str, int, int, int, bool] = ("2opt", best[1], best[2], 0, False)
        gain = best[0]
        for k in (1, 2, 3):
            delta, i, j, rev = _best_or_opt(pb, q, qt, k)
            if delta < gain:
                gain, move = delta, ("or", i, j, k, rev)
        if gain > -EPS:
            break
        kind, i, j, k, rev = move
        if kind == "2opt":
            p[i : j + 1] = p[i : j + 1][::-1].copy()
        else:
            p = _apply_or_opt(p, i, k, j, rev)
    return p


def _kick(p: IntArray, rng: np.random.Generator) -> IntArray:
    """Perturb a path: a double bridge (swap two consecutive runs), or any order when short."""
    inner = p[1:-1]
    if len(inner) < 10:  # too few cut points for variety: restart from a random order
        mixed = rng.permutation(inner)
    else:
        a, b, c = np.sort(rng.choice(np.arange(1, len(inner)), size=3, replace=False))
        mixed = np.concatenate((inner[:a], inner[b:c], inner[a:b], inner[c:]))
    return np.concatenate((p[:1], mixed, p[-1:]))


# Iterated local search stops after this many kicks in a row bring nothing (or at the cap,
# or out of time). On real city sets of 20-60 stops it then matches OR-Tools' guided local
# search given seconds (see bench/ordering.py); longer runs found nothing better.
_STALL_KICKS = 80
_MAX_KICKS = 400


def heuristic_travel(pb: Problem, *, rng: np.random.Generator, deadline: float, clock: Clock) -> IntArray:
    """A short path through every free node: nearest neighbour, descent, then kicks and descents
    until they stop helping or ``deadline`` (windows ignored)."""
    best = _local_search(pb, _nearest_neighbour(pb))
    best_cost = path_cost(pb.m, best)
    if len(pb.free) < 4:  # one move reaches every order of 3 stops: the descent is exact
        return best
    cur, cur_cost = best, best_cost
    kicks = stall = 0
    while kicks < _MAX_KICKS and stall < _STALL_KICKS and clock() < deadline:
        kicks += 1
        stall += 1
        cand = _local_search(pb, _kick(cur, rng))
        cost = path_cost(pb.m, cand)
        if cost <= cur_cost + EPS:  # accept sideways moves to drift along plateaus
            cur, cur_cost = cand, cost
            if cost < best_cost - EPS:
                best, best_cost, stall = cand, cost, 0
    return best


def _window_descent(pb: Problem, path: list[int], t0: float, deadline: float, clock: Clock) -> list[int]:
    """First-improvement descent on (violations, travel): move one stop, or reverse a run."""
    p = list(path)
    cur = order_key(pb, p, t0)
    size = len(p)
    improved = True
    while improved and clock() < deadline:
        improved = False
        for i in range(1, size - 1):
            node = p[i]
            rest = p[:i] + p[i + 1 :]
            for j in range(1, size - 1):
                if j == i:
                    continue
                cand = [*rest[:j], node, *rest[j:]]
                key = order_key(pb, cand, t0)
                if key < cur - EPS:
                    p, cur, improved = cand, key, True
                    break
            if clock() >= deadline:
                return p
        for i in range(1, size - 2):
            for j in range(i + 1, size - 1):
                cand = p[:i] + p[i : j + 1][::-1] + p[j + 1 :]
                key = order_key(pb, cand, t0)
                if key < cur - EPS:
                    p, cur, improved = cand, key, True
            if clock() >= deadline:
                return p
    return p


def first_guess(pb: Problem, travel_path: list[int], t0: float) -> list[int]:
    """The better of the shortest path and the order of closing times (latest close first out)."""

    def latest_finish(node: int) -> float:
        spans = pb.windows[node]
        return spans[-1][1] if spans else -math.inf

    by_closing = [pb.s, *sorted(pb.free, key=lambda n: (latest_finish(n), n)), pb.t]
    return min((travel_path, by_closing), key=lambda p: order_key(pb, p, t0))


_BEAM = 200  # labels a layer in the first beam search for large sets with windows; then wider


def heuristic_windows(
    pb: Problem, travel_path: list[int], t0: float, deadline: float, clock: Clock
) -> list[int]:
    """The best of the shortest path, deadline order and ever wider beam searches, polished.

    Three quarters of the time left go to the beam searches, the rest to a final descent.
    """

    best = first_guess(pb, travel_path, t0)
    best_key = order_key(pb, best, t0)
    now = clock()
    beam_deadline = now + 0.75 * max(0.0, deadline - now)
    width = _BEAM
    while True:
        found = label_search(pb, t0, best_key - EPS, beam=width, deadline=beam_deadline, clock=clock)
        if found is not None:
            best, best_key = found, order_key(pb, found, t0)
        if clock() > beam_deadline or width > (1 << len(pb.free)) * len(pb.free):
            break
        width *= 2
    return _window_descent(pb, best, t0, deadline, clock)
