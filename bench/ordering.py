"""How good and how fast is ``itinerary.routing.order_stops`` on real stops?

``python -m bench.ordering [--quick]`` (from the project folder) prints a Markdown report and
writes it to ``bench/out/ordering.md``:

1. exactness: for 2 to 9 stops every answer is checked against brute force over all orders
   (open path, fixed end, round trip); 10 to 12 stops are timed and checked to be no worse
   than the heuristic;
2. quality: for 13 to 60 stops our total against OR-Tools' routing solver (guided local search,
   5 s per instance) on the same integer matrix (minutes x 100, rounded);
3. speed: median ordering time at 60 stops.

Stops are sampled from the real landmarks of ``data/`` (any city for small sets, Shenzhen for
larger ones); beyond Shenzhen's 45 landmarks, jittered copies of them (about 1 km) are added.
Travel times use the city's walking profile: walking has no per-leg overhead, which would
otherwise add the same constant to every order and shrink the gaps.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from itinerary.models import Landmark
from itinerary.routing import EXACT_MAX_STOPS, order_stops, profiles_for, travel_matrix_minutes
from itinerary.seed import load_dir

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "ordering.md"
SCALE = 100  # integer matrix for OR-Tools: hundredths of a minute
JITTER_DEG = 0.01  # about 1 km
VARIANTS = ("open", "end", "round")


@dataclass(frozen=True)
class Config:
    exact_sizes: tuple[int, ...]
    exact_trials: int
    big_sizes: tuple[int, ...]
    big_trials: int
    ortools_seconds: int
    timing_runs: int


FULL = Config(tuple(range(2, 13)), 12, (13, 20, 30, 45, 60), 8, 5, 21)
QUICK = Config(tuple(range(2, 11)), 4, (13, 30, 60), 2, 1, 7)


def sample_stops(
    by_city: dict[str, list[Landmark]], n: int, rng: np.random.Generator
) -> tuple[str, list[tuple[float, float]]]:
    """(city, n coordinates): real landmarks, plus jittered Shenzhen copies when short."""
    cities = sorted(c for c, lms in by_city.items() if len(lms) >= n) or ["shenzhen"]
    city = "shenzhen" if n > 7 else str(rng.choice(cities))
    pool = by_city[city]
    picks = rng.choice(len(pool), size=min(n, len(pool)), replace=False)
    points = [(pool[i].lat, pool[i].lon) for i in picks]
    while len(points) < n:
        base = pool[int(rng.integers(len(pool)))]
        dlat, dlon = rng.normal(0.0, JITTER_DEG, size=2)
        points.append((base.lat + dlat, base.lon + dlon))
    return city, points


def matrix_for(city: str, points: Sequence[tuple[float, float]]) -> npt.NDArray[np.float64]:
    lats, lons = zip(*points, strict=True)
    minutes = travel_matrix_minutes(lats, lons, "walk", profiles=profiles_for(city))
    return np.rint(minutes * SCALE).astype(np.float64)


def path_ends(variant: str, n: int) -> tuple[int | None, bool]:
    """(end, round_trip) of a variant: open path, fixed end at the last stop, or round trip."""
    return (n - 1 if variant == "end" else None), variant == "round"


def brute_force(matrix: npt.NDArray[np.float64], variant: str) -> float:
    n = len(matrix)
    end = n - 1 if variant == "end" else None
    inner = [i for i in range(1, n) if i != end]
    best = np.inf
    for perm in itertools.permutations(inner):
        path = [0, *perm] + ([end] if end is not None else []) + ([0] if variant == "round" else [])
        best = min(best, float(sum(matrix[a, b] for a, b in itertools.pairwise(path))))
    return best


def ortools_total(matrix: npt.NDArray[np.float64], variant: str, seconds: int) -> float:
    """OR-Tools routing with guided local search; an open path ends at a free dummy node."""
    n = len(matrix)
    ints = matrix.astype(np.int64)
    if variant == "open":
        full = np.zeros((n + 1, n + 1), dtype=np.int64)
        full[:n, :n] = ints
        manager = pywrapcp.RoutingIndexManager(n + 1, 1, [0], [n])
    elif variant == "end":
        full = ints
        manager = pywrapcp.RoutingIndexManager(n, 1, [0], [n - 1])
    else:
        full = ints
        manager = pywrapcp.RoutingIndexManager(n, 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    rows = full.tolist()

    def cost(i: int, j: int) -> int:
        return int(rows[manager.IndexToNode(i)][manager.IndexToNode(j)])

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(cost))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.seconds = seconds
    solution = routing.SolveWithParameters(params)
    if solution is None:
        raise RuntimeError("OR-Tools found no solution")
    # the route's cost recomputed from our matrix, so both totals are read the same way
    index, total = routing.Start(0), 0
    while not routing.IsEnd(index):
        nxt = solution.Value(routing.NextVar(index))
        total += cost(index, nxt)
        index = nxt
    return float(total)


def timed(matrix: npt.NDArray[np.float64], variant: str) -> tuple[float, float, bool]:
    begin = time.perf_counter()
    end, round_trip = path_ends(variant, len(matrix))
    result = order_stops(matrix, end=end, round_trip=round_trip)
    return result.total_minutes, time.perf_counter() - begin, result.exact


def pct(values: Sequence[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def run(config: Config, seed: int) -> str:
    rng = np.random.default_rng(seed)
    landmarks = load_dir(ROOT / "data").landmarks
    by_city: dict[str, list[Landmark]] = {}
    for lm in landmarks:
        by_city.setdefault(lm.city_id, []).append(lm)
    lines = [
        "# Stop ordering benchmark",
        "",
        f"Real landmarks from `data/` ({len(landmarks)} in {len(by_city)} cities), walking times "
        f"(minutes x {SCALE}, integer); variants: open path, fixed end, round trip; seed {seed}.",
        "",
        "## Exact ordering (Held-Karp) for up to 12 stops",
        "",
        "| stops | instances | checked against | matches | median ms | max ms |",
        "|---:|---:|---|---:|---:|---:|",
    ]
    all_exact_ok = True
    for n in config.exact_sizes:
        matches, times = 0, []
        for trial in range(config.exact_trials):
            variant = VARIANTS[trial % len(VARIANTS)]
            city, points = sample_stops(by_city, n, rng)
            matrix = matrix_for(city, points)
            total, seconds, exact = timed(matrix, variant)
            times.append(seconds * 1000)
            if n <= 9:
                reference = brute_force(matrix, variant)
                ok = exact and abs(total - reference) < 1e-6
            else:
                end, round_trip = path_ends(variant, n)
                heuristic = order_stops(matrix, end=end, round_trip=round_trip, exact_limit=0)
                ok = exact and total <= heuristic.total_minutes + 1e-6
            matches += ok
        all_exact_ok &= matches == config.exact_trials
        against = "brute force" if n <= 9 else "heuristic (no worse)"
        lines.append(
            f"| {n} | {config.exact_trials} | {against} | {matches}/{config.exact_trials} "
            f"| {statistics.median(times):.1f} | {max(times):.1f} |"
        )
    lines += [
        "",
        f"## Heuristic vs OR-Tools guided local search ({config.ortools_seconds} s per instance)",
        "",
        "Gap = (ours - OR-Tools) / OR-Tools; negative means ours is shorter.",
        "",
        "| stops | instances | median gap % | worst gap % | ours shorter / equal / longer | our median ms "
        "| our max ms |",
        "|---:|---:|---:|---:|---|---:|---:|",
    ]
    worst_overall = -np.inf
    for n in config.big_sizes:
        gaps, times, tally = [], [], [0, 0, 0]
        for trial in range(config.big_trials):
            variant = VARIANTS[trial % len(VARIANTS)]
            city, points = sample_stops(by_city, n, rng)
            matrix = matrix_for(city, points)
            ours, seconds, _exact = timed(matrix, variant)
            theirs = ortools_total(matrix, variant, config.ortools_seconds)
            gap = (ours - theirs) / theirs * 100
            gaps.append(gap)
            times.append(seconds * 1000)
            tally[0 if ours < theirs else 1 if ours == theirs else 2] += 1
        worst_overall = max(worst_overall, max(gaps))
        lines.append(
            f"| {n} | {config.big_trials} | {statistics.median(gaps):+.2f} | {max(gaps):+.2f} "
            f"| {tally[0]} / {tally[1]} / {tally[2]} | {statistics.median(times):.0f} | {max(times):.0f} |"
        )
    times60 = []
    for trial in range(config.timing_runs):
        city, points = sample_stops(by_city, 60, rng)
        _total, seconds, _exact = timed(matrix_for(city, points), VARIANTS[trial % len(VARIANTS)])
        times60.append(seconds * 1000)
    median60 = statistics.median(times60)
    lines += [
        "",
        "## Speed at 60 stops",
        "",
        "| runs | median ms | p90 ms | max ms |",
        "|---:|---:|---:|---:|",
        f"| {config.timing_runs} | {median60:.0f} | {pct(times60, 90):.0f} | {max(times60):.0f} |",
        "",
        "## Targets",
        "",
        "| target | result |",
        "|---|---|",
        f"| exact for <= {EXACT_MAX_STOPS} stops, all checks pass | {'met' if all_exact_ok else 'MISSED'} |",
        f"| worst gap to OR-Tools <= 3 % | {'met' if worst_overall <= 3 else 'MISSED'} "
        f"({worst_overall:+.2f} %) |",
        f"| median time at 60 stops <= 300 ms | {'met' if median60 <= 300 else 'MISSED'} ({median60:.0f} ms) |",
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer sizes and instances, 1 s for OR-Tools")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    report = run(QUICK if args.quick else FULL, args.seed)
    print(report)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
