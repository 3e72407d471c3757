"""Exact ordering: Held-Karp over subsets of the free nodes, vectorised per (subset size, last
node), and a label search over subsets that also weighs opening-hour windows (exact, or as a
beam search for larger sets)."""

from __future__ import annotations

import math
import time as _time

import numpy as np
import numpy.typing as npt

from itinerary.routing.aliases import Clock, FloatArray, IntArray
from itinerary.routing.problem import EPS, Problem, fit_window


def held_karp(pb: Problem) -> tuple[FloatArray, npt.NDArray[np.int8]]:
    """dp[mask, j]: least travel from s through exactly the free nodes in mask, ending at j."""
    f = np.asarray(pb.free, dtype=np.intp)
    k = len(f)
    size = 1 << k
    dp = np.full((size, k), np.inf)
    parent = np.full((size, k), -1, dtype=np.int8)
    if k == 0:
        return dp, parent
    sub = pb.m[np.ix_(f, f)]
    dp[1 << np.arange(k), np.arange(k)] = pb.m[pb.s, f]
    masks = np.arange(size)
    counts = np.bitwise_count(masks)
    for c in range(2, k + 1):
        layer = masks[counts == c]
        for j in range(k):
            sel = layer[(layer >> j) & 1 == 1]
            cand = dp[sel ^ (1 << j)] + sub[:, j]
            best = cand.argmin(axis=1)
            dp[sel, j] = cand[np.arange(len(sel)), best]
            parent[sel, j] = best
    return dp, parent


def hk_path(pb: Problem, parent: npt.NDArray[np.int8], mask: int, last: int) -> list[int]:
    """The path that ``held_karp``'s table stores for the free nodes in ``mask`` ending at ``last``."""
    nodes: list[int] = []
    j = last
    while j >= 0:
        nodes.append(pb.free[j])
        mask, j = mask ^ (1 << j), int(parent[mask, j])
    return [pb.s, *reversed(nodes), pb.t]


def exact_travel(pb: Problem) -> list[int]:
    """The path of least travel through every free node (Held-Karp; windows ignored)."""
    if not pb.free:
        return [pb.s, pb.t]
    dp, parent = held_karp(pb)
    full = (1 << len(pb.free)) - 1
    last = int((dp[full] + pb.m[pb.free, pb.t]).argmin())
    return hk_path(pb, parent, full, last)


def _fit_many(
    arrive: FloatArray, nodes: IntArray, opens: FloatArray, closes: FloatArray, dwell: FloatArray
) -> tuple[npt.NDArray[np.bool_], FloatArray]:
    """``fit_window`` for many (arrival, node) pairs; ``opens``/``closes`` are padded per node."""
    begin = np.maximum(arrive[:, None], opens[nodes])
    finish = begin + dwell[nodes][:, None]
    fits = finish <= closes[nodes] + EPS
    ok = np.asarray(fits.any(axis=1), dtype=np.bool_)
    first = fits.argmax(axis=1)  # windows are sorted by opening: the first that fits is earliest
    depart = np.where(ok, finish[np.arange(len(nodes)), first], arrive + dwell[nodes])
    return ok, np.asarray(depart, dtype=np.float64)


def _pareto(mask: IntArray, last: IntArray, depart: FloatArray, key: FloatArray) -> IntArray:
    """Labels not dominated in their state (mask, last) by one leaving no later with a key no
    larger: with waiting allowed, leaving a stop earlier never makes the rest worse."""
    order = np.lexsort((key, depart, last, mask))
    rank = np.unique(key, return_inverse=True)[1][order]  # equal keys, equal ranks
    m, la = mask[order], last[order]
    new_state = np.concatenate(([True], (m[1:] != m[:-1]) | (la[1:] != la[:-1])))
    group = np.cumsum(new_state) - 1
    # a running minimum of rank that restarts with each state: shift each state below the last
    shifted = rank - group * (int(rank.max()) + 1)
    running = np.minimum.accumulate(shifted)
    earlier = np.concatenate(([np.iinfo(np.int64).max], running[:-1]))
    keep = new_state | (shifted < earlier)
    return np.asarray(order[keep], dtype=np.intp)


def label_search(
    pb: Problem,
    t0: float,
    bound: float,
    *,
    beam: int | None,
    deadline: float = math.inf,
    clock: Clock = _time.perf_counter,
) -> list[int] | None:
    """The path of least (violations, travel) if it beats ``bound``, else None.

    Dynamic programming over subsets, one layer per number of stops visited, keeping for each
    (subset, last stop) the Pareto front of (departure time, key = violations x big + travel).
    A label is dropped when its key plus a lower bound on the travel still to come (every
    remaining stop must be entered along some leg) cannot beat ``bound``. Exact with
    ``beam=None``; otherwise a beam search keeping the ``beam`` most promising labels a layer,
    which gives up (None) at ``deadline``.
    """
    f = np.asarray(pb.free, dtype=np.intp)
    k = len(f)
    if k == 0 or k > 62:
        return None
    size = len(pb.m)
    widest = max(1, *(len(w) for w in pb.windows))
    opens = np.full((size, widest), np.inf)
    closes = np.full((size, widest), -np.inf)
    for node, spans in enumerate(pb.windows):
        for w, (o, c) in enumerate(spans):
            opens[node, w], closes[node, w] = o, c
    dwell = np.asarray(pb.dwell, dtype=float)
    sources = [pb.s, *pb.free]
    entry = np.asarray([min(pb.m[i, x] for i in sources if i != x) for x in [*pb.free, pb.t]])
    sub = pb.m[np.ix_(f, f)]
    bits = np.int64(1) << np.arange(k, dtype=np.int64)

    ok0, dep0 = fit_window(t0, pb.windows[pb.s], pb.dwell[pb.s])
    ok, depart = _fit_many(dep0 + pb.m[pb.s, f], f, opens, closes, dwell)
    key = (0.0 if ok0 else pb.big) + pb.m[pb.s, f] + np.where(ok, 0.0, pb.big)
    last = np.arange(k, dtype=np.intp)
    mask = bits.copy()
    rest = entry.sum() - entry[:k]
    parents = np.full(k, -1, dtype=np.intp)
    layers: list[tuple[IntArray, IntArray]] = []
    for _layer in range(k):
        alive = key + rest < bound
        last, mask, depart, key, rest, parents = (
            last[alive], mask[alive], depart[alive], key[alive], rest[alive], parents[alive]
        )  # fmt: skip
        if len(last) == 0:
            return None
        if beam is not None and clock() > deadline:
            return None
        if beam is not None and len(last) > beam:
            # half the beam for the cheapest-looking labels, half for the earliest (with as few
            # misses): cheap labels that are already late doom the windows further on
            half = beam // 2
            cheap = np.argpartition(key + rest, half)[:half]
            early = np.floor(key / pb.big) * pb.big + depart
            early[cheap] = np.inf
            best = np.concatenate((cheap, np.argpartition(early, half)[:half]))
            last, mask, depart, key, rest, parents = (
                last[best], mask[best], depart[best], key[best], rest[best], parents[best]
            )  # fmt: skip
        layers.append((last, parents))
        if _layer == k - 1:
            break
        src, nxt = np.nonzero((mask[:, None] & bits[None, :]) == 0)
        leg = sub[last[src], nxt]
        new_mask, new_key, new_rest = mask[src] | bits[nxt], key[src] + leg, rest[src] - entry[nxt]
        alive = new_key + new_rest < bound
        src, nxt, leg, new_mask, new_key, new_rest = (
            src[alive], nxt[alive], leg[alive], new_mask[alive], new_key[alive], new_rest[alive]
        )  # fmt: skip
        ok, new_dep = _fit_many(depart[src] + leg, f[nxt], opens, closes, dwell)
        new_key = new_key + np.where(ok, 0.0, pb.big)
        if len(src) == 0:
            return None
        keep = _pareto(new_mask, nxt, new_dep, new_key)
        last, mask, depart, key, rest, parents = (
            nxt[keep], new_mask[keep], new_dep[keep], new_key[keep], new_rest[keep], src[keep]
        )  # fmt: skip
    leg = pb.m[f[last], pb.t]
    ok, _dep = _fit_many(depart + leg, np.full(len(last), pb.t, dtype=np.intp), opens, closes, dwell)
    total = key + leg + np.where(ok, 0.0, pb.big)
    pick = int(total.argmin())
    if total[pick] >= bound:
        return None
    nodes: list[int] = []
    for layer_last, layer_parent in reversed(layers):
        nodes.append(int(f[layer_last[pick]]))
        pick = int(layer_parent[pick])
    return [pb.s, *reversed(nodes), pb.t]
