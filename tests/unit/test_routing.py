"""Travel-time estimates, stop ordering (checked against brute force) and fitting a time budget."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
import pytest

from itinerary.models import MODES, Landmark
from itinerary.routing import (
    CITY_PROFILES,
    DEFAULT_PROFILES,
    EXACT_MAX_STOPS,
    ModeProfile,
    Place,
    distance_matrix_km,
    fit_budget,
    order_stops,
    profiles_for,
    travel_matrix_minutes,
    travel_minutes,
    windows_from_hours,
)
from itinerary.seed import load_dir
from tests.conftest import DATA

Matrix = npt.NDArray[np.float64]
Window = tuple[float, float]
INF = math.inf


@cache
def landmarks(city: str) -> tuple[Landmark, ...]:
    return tuple(lm for lm in load_dir(DATA).landmarks if lm.city_id == city)


def real_matrix(n: int, seed: int, *, mode: str = "walk", city: str = "shenzhen") -> Matrix:
    """Estimated travel minutes between n real landmarks of a city, picked at random."""
    pool = landmarks(city)
    picks = np.random.default_rng(seed).choice(len(pool), size=n, replace=False)
    lats = [pool[i].lat for i in picks]
    lons = [pool[i].lon for i in picks]
    return travel_matrix_minutes(lats, lons, mode, profiles=profiles_for(city))


def random_matrix(n: int, seed: int) -> Matrix:
    """Not symmetric, not metric: a harder case than any city."""
    m = np.random.default_rng(seed).uniform(1, 60, size=(n, n))
    np.fill_diagonal(m, 0)
    return m


def path_of(order: Sequence[int], round_trip: bool) -> list[int]:
    return [*order, order[0]] if round_trip else list(order)


def cost(m: Matrix, path: Sequence[int]) -> float:
    return float(sum(m[a, b] for a, b in itertools.pairwise(path)))


def brute_force(m: Matrix, *, start: int, end: int | None, round_trip: bool) -> float:
    """Least travel over every order (vectorised over all permutations)."""
    n = len(m)
    inner = [i for i in range(n) if i not in (start, end)]
    perms = np.array(list(itertools.permutations(inner)), dtype=int).reshape(
        math.factorial(len(inner)), len(inner)
    )
    head = np.full((len(perms), 1), start)
    tail = (
        [np.full((len(perms), 1), end if end is not None else start)] if end is not None or round_trip else []
    )
    paths = np.hstack([head, perms, *tail])
    return float(m[paths[:, :-1], paths[:, 1:]].sum(axis=1).min())


# --- travel-time model ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("km", "mode", "expected"),
    [
        (0.0, "walk", 0.0),
        (0.0, "bike", 0.0),  # staying put: no unlocking the bike
        (0.0, "transit", 0.0),  # ... no waiting for a train
        (0.0, "drive", 0.0),  # ... no parking
        (4.5, "walk", 4.5 * 1.3 / 4.5 * 60),  # 78 min: 4.5 km as the crow flies is 5.85 km on foot
        (14.0, "bike", 14.0 * 1.3 / 14.0 * 60 + 2),
        (25.0, "transit", 25.0 * 1.4 / 25.0 * 60 + 10),
        (30.0, "drive", 30.0 * 1.4 / 30.0 * 60 + 8),
        (0.1, "transit", 0.1 * 1.4 / 25.0 * 60 + 10),  # a short hop still waits for the train
    ],
)
def test_travel_minutes_per_mode(km: float, mode: str, expected: float) -> None:
    assert travel_minutes(km, mode, profiles=DEFAULT_PROFILES) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("km", "faster"), [(0.3, "walk"), (0.6, "walk"), (1.0, "transit"), (15.0, "transit")]
)
def test_overhead_makes_short_hops_faster_on_foot(km: float, faster: str) -> None:
    walk = travel_minutes(km, "walk", profiles=DEFAULT_PROFILES)
    transit = travel_minutes(km, "transit", profiles=DEFAULT_PROFILES)
    assert (walk < transit) == (faster == "walk")


@pytest.mark.parametrize(
    ("city", "mode", "compared_with_default"),
    [
        ("shenzhen", "transit", "faster"),  # the metro
        ("tsukuba", "transit", "slower"),  # infrequent buses
        ("tsukuba", "drive", "faster"),
        ("the-hague", "bike", "faster"),
        ("shenzhen", "walk", "same"),
        ("seattle", "transit", "same"),  # no override
        ("nowhere", "drive", "same"),  # an unknown city gets the defaults
    ],
)
def test_city_overrides(city: str, mode: str, compared_with_default: str) -> None:
    km = 8.0
    local = travel_minutes(km, mode, profiles=profiles_for(city))
    default = travel_minutes(km, mode, profiles=DEFAULT_PROFILES)
    assert {"faster": local < default, "slower": local > default, "same": local == default}[
        compared_with_default
    ]


def test_every_city_has_every_mode_and_overrides_name_real_cities() -> None:
    dataset = load_dir(DATA)
    city_ids = {c.id for c in dataset.cities}
    assert set(CITY_PROFILES) <= city_ids
    for city in city_ids:
        assert set(profiles_for(city)) == set(MODES)


def test_profiles_for_returns_a_copy() -> None:
    profiles_for("shenzhen")["walk"] = ModeProfile(100.0, 1.0, 0.0)
    assert profiles_for("shenzhen")["walk"] == DEFAULT_PROFILES["walk"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: travel_minutes(1.0, "teleport", profiles=DEFAULT_PROFILES), "unknown travel mode"),
        (lambda: ModeProfile(0.0, 1.3, 0.0), "speed_kmh"),
        (lambda: ModeProfile(4.5, 0.9, 0.0), "detour_factor"),
        (lambda: ModeProfile(4.5, 1.3, -1.0), "overhead_minutes"),
    ],
)
def test_travel_model_rejects_nonsense(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


@pytest.mark.parametrize("city", ["shenzhen", "seattle", "tsukuba"])
@pytest.mark.parametrize("mode", MODES)
def test_vectorised_matrix_equals_scalar(city: str, mode: str) -> None:
    pool = landmarks(city)
    lats, lons = [lm.lat for lm in pool], [lm.lon for lm in pool]
    profiles = profiles_for(city)
    matrix = travel_matrix_minutes(lats, lons, mode, profiles=profiles)
    km = distance_matrix_km(lats, lons)
    expected = [[travel_minutes(float(d), mode, profiles=profiles) for d in row] for row in km]
    assert matrix.tolist() == expected
    assert np.all(np.diag(matrix) == 0)


# --- ordering: exact against brute force ------------------------------------------------------

# variant: (has a fixed end, round trip)
VARIANTS: dict[str, tuple[bool, bool]] = {
    "open": (False, False),
    "fixed end": (True, False),
    "round trip": (False, True),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("n", range(2, 9))
@pytest.mark.parametrize("kind", ["real", "random"])
def test_order_stops_equals_brute_force(kind: str, n: int, variant: str) -> None:
    for seed in range(6):
        m = real_matrix(n, seed) if kind == "real" else random_matrix(n, seed)
        start = seed % n
        fixed_end, round_trip = VARIANTS[variant]
        end = None
        if fixed_end:
            end = (start + 1 + seed) % n
            if end == start:
                end = (start + 1) % n
        result = order_stops(m, start=start, end=end, round_trip=round_trip)
        assert result.exact
        assert sorted(result.order) == list(range(n))
        assert result.order[0] == start
        if end is not None:
            assert result.order[-1] == end
        assert result.total_minutes == pytest.approx(cost(m, path_of(result.order, round_trip)))
        assert result.total_minutes == pytest.approx(
            brute_force(m, start=start, end=end, round_trip=round_trip)
        )
        assert result.late == []


@pytest.mark.parametrize(
    ("n", "exact"), [(1, True), (2, True), (EXACT_MAX_STOPS, True), (EXACT_MAX_STOPS + 1, False)]
)
def test_exact_flag(n: int, exact: bool) -> None:
    result = order_stops(real_matrix(n, 1))
    assert result.exact is exact
    assert sorted(result.order) == list(range(n))


@pytest.mark.parametrize("n", [13, 15])
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_heuristic_is_near_the_optimum_on_real_stops(n: int, variant: str) -> None:
    """Above the exact limit the local search is a heuristic; on real city sets it finds the
    optimum almost always (the dynamic programme, asked to go further, is the judge)."""
    fixed_end, round_trip = VARIANTS[variant]
    end = n - 1 if fixed_end else None
    for seed in range(3):
        m = real_matrix(n, 100 + seed)
        heuristic = order_stops(m, end=end, round_trip=round_trip, time_budget_s=5.0)
        optimum = order_stops(m, end=end, round_trip=round_trip, exact_limit=n)
        assert not heuristic.exact and optimum.exact
        assert heuristic.total_minutes <= optimum.total_minutes * 1.01
        assert sorted(heuristic.order) == list(range(n))
        assert heuristic.total_minutes == pytest.approx(cost(m, path_of(heuristic.order, round_trip)))


def test_heuristic_is_reproducible() -> None:
    m = real_matrix(40, 5)
    first = order_stops(m, seed=3, time_budget_s=5.0)
    assert order_stops(m, seed=3, time_budget_s=5.0) == first


@pytest.mark.parametrize(
    ("matrix", "kwargs", "message"),
    [
        (np.zeros((2, 3)), {}, "square"),
        (np.array([[0.0, -1.0], [1.0, 0.0]]), {}, "not negative"),
        (np.array([[0.0, np.nan], [1.0, 0.0]]), {}, "finite"),
        (np.zeros((3, 3)), {"start": 3}, "start 3"),
        (np.zeros((3, 3)), {"end": 5}, "end 5"),
        (np.zeros((3, 3)), {"end": 1, "round_trip": True}, "round trip"),
        (np.zeros((3, 3)), {"dwell": [1.0]}, "dwell has 1"),
    ],
)
def test_order_stops_rejects_bad_input(matrix: Matrix, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        order_stops(matrix, **kwargs)  # type: ignore[arg-type]


def test_end_equal_to_start_is_a_round_trip() -> None:
    m = real_matrix(6, 2)
    assert order_stops(m, end=0) == order_stops(m, round_trip=True)


# --- ordering with time windows ---------------------------------------------------------------


def line_matrix(n: int, step: float = 10.0) -> Matrix:
    """Stops on a line, ``step`` minutes apart: the shortest open path is 0, 1, 2, ..."""
    x = np.arange(n) * step
    return np.abs(x[:, None] - x[None, :])


def test_a_stop_open_only_late_comes_last() -> None:
    m = line_matrix(5)
    # stop 1 is on the way but opens at minute 300, when the others have closed: waiting for it
    # first would make them all late
    windows: list[list[Window]] = [[(-INF, INF)], [(300.0, 600.0)]] + [[(-INF, 250.0)]] * 3
    free = order_stops(m, dwell=[30.0] * 5)
    assert free.order == [0, 1, 2, 3, 4]
    result = order_stops(m, windows=windows, dwell=[30.0] * 5)
    assert result.order[-1] == 1
    assert result.late == []
    assert result.exact


def test_a_stop_that_cannot_be_made_is_reported_late() -> None:
    m = line_matrix(5)
    windows: list[list[Window]] = [[(-INF, INF)]] * 5
    windows[2] = []  # closed all day
    windows[3] = [(0.0, 20.0)]  # open, but too briefly for a 30 minute visit
    result = order_stops(m, windows=windows, dwell=[30.0] * 5)
    assert sorted(result.late) == [2, 3]
    assert result.order == [0, 1, 2, 3, 4]  # nothing to gain: the shortest order stands


def test_arrivals_are_reported_and_waiting_counts() -> None:
    m = line_matrix(3)
    windows: list[list[Window]] = [[(-INF, INF)], [(60.0, 120.0)], [(-INF, INF)]]
    result = order_stops(m, windows=windows, dwell=[0.0, 30.0, 0.0], start_minute=0.0)
    assert result.order == [0, 1, 2]
    assert result.arrive_minutes == [0.0, 10.0, 100.0]  # waited at 1 from 10 to 60, left at 90


def brute_force_windows(
    m: Matrix, windows: Sequence[Sequence[Window]], dwell: Sequence[float], end: int | None
) -> tuple[int, float]:
    """Least (missed windows, travel) over every order; the rules written out independently."""
    n = len(m)
    best = (n + 1, INF)
    inner = [i for i in range(1, n) if i != end]
    for perm in itertools.permutations(inner):
        path = [0, *perm] + ([end] if end is not None else [])
        clock, missed = 0.0, 0
        for i, node in enumerate(path):
            if i:
                clock += m[path[i - 1], node]
            starts = [max(clock, o) for o, c in windows[node] if max(clock, o) + dwell[node] <= c]
            if starts:
                clock = min(starts) + dwell[node]
            else:
                missed += 1
                clock += dwell[node]
        best = min(best, (missed, cost(m, path)))
    return best


@pytest.mark.parametrize("n", [3, 5, 7])
@pytest.mark.parametrize("end", [None, "last"])
def test_windows_exact_equals_brute_force(n: int, end: str | None) -> None:
    rng = np.random.default_rng(n)
    for trial in range(12):
        m = real_matrix(n, trial, mode="transit")
        dwell = rng.integers(10, 60, size=n).astype(float).tolist()
        windows: list[list[Window]] = []
        for _ in range(n):
            spans, t = [], float(rng.uniform(-60, 200))
            for _ in range(int(rng.integers(0, 3))):
                length = float(rng.uniform(20, 200))
                spans.append((t, t + length))
                t += length + float(rng.uniform(30, 200))
            windows.append(spans)
        last = n - 1 if end else None
        result = order_stops(m, windows=windows, dwell=dwell, end=last)
        missed, travel = brute_force_windows(m, windows, dwell, last)
        assert result.exact
        assert len(result.late) == missed
        assert result.total_minutes == pytest.approx(travel)


def test_windows_heuristic_on_a_larger_set_keeps_windows_when_it_can() -> None:
    """30 stops on a line; every fifth opens only in the evening, after the others close."""
    n = 30
    m = line_matrix(n, step=5.0)
    windows: list[list[Window]] = [[(-INF, 500.0)] if i % 5 else [(600.0, 900.0)] for i in range(n)]
    windows[0] = [(-INF, INF)]
    result = order_stops(m, windows=windows, dwell=[10.0] * n)
    assert not result.exact
    assert result.late == []
    assert sorted(result.order) == list(range(n))


# --- windows from opening hours ---------------------------------------------------------------


def place(hours: str) -> Place:
    return Place("p", 0.0, 0.0, 30.0, hours)


SHANGHAI, LOS_ANGELES, BRUSSELS = "Asia/Shanghai", "America/Los_Angeles", "Europe/Brussels"


@pytest.mark.parametrize(
    ("hours", "day", "tz", "start_hour", "expected"),
    [
        ("", date(2026, 3, 9), SHANGHAI, 9, [(-INF, INF)]),  # unknown: no constraint
        ("24/7", date(2026, 3, 9), SHANGHAI, 9, [(-INF, INF)]),
        ("Mo-Su 09:00-21:00", date(2026, 3, 9), SHANGHAI, 9, [(0.0, 720.0)]),
        ("Tu-Su 10:00-18:00; Mo off", date(2026, 3, 9), SHANGHAI, 9, []),  # Monday: closed
        ("Tu-Su 10:00-18:00; Mo off", date(2026, 3, 10), SHANGHAI, 9, [(60.0, 540.0)]),
        ("Mo-Su 10:00-12:00,14:00-18:00", date(2026, 3, 9), SHANGHAI, 9, [(60.0, 180.0), (300.0, 540.0)]),
        # open past midnight: the evening interval keeps its true end, the night before is open-ended
        ("Mo-Su 05:00-01:00", date(2026, 3, 9), BRUSSELS, 0, [(-INF, 60.0), (300.0, 1500.0)]),
        # Seattle springs forward at 02:00: 10:00 is only 9 hours after midnight
        ("Mo-Su 10:00-18:00", date(2026, 3, 8), LOS_ANGELES, 0, [(540.0, 1020.0)]),
        # ... and falls back on 1 November: 11 hours
        ("Mo-Su 10:00-18:00", date(2026, 11, 1), LOS_ANGELES, 0, [(660.0, 1140.0)]),
        ("Mo-Su 10:00-18:00", date(2026, 11, 1), SHANGHAI, 0, [(600.0, 1080.0)]),
    ],
)
def test_windows_from_hours(hours: str, day: date, tz: str, start_hour: int, expected: list[Window]) -> None:
    start = datetime(day.year, day.month, day.day, start_hour, 0, tzinfo=ZoneInfo(tz))
    assert windows_from_hours([place(hours)], day=day, timezone=tz, start=start) == [expected]


def test_real_monday_in_shenzhen_puts_closed_museums_last_in_late() -> None:
    """Real landmarks and hours: on a Monday the museums closed that day are the late ones."""
    pool = [lm for lm in landmarks("shenzhen")][:12]
    places = [Place.from_landmark(lm, dwell_minutes=30.0) for lm in pool]
    day = date(2026, 3, 9)
    start = datetime(2026, 3, 9, 9, 0, tzinfo=ZoneInfo(SHANGHAI))
    windows = windows_from_hours(places, day=day, timezone=SHANGHAI, start=start)
    lats, lons = [p.lat for p in places], [p.lon for p in places]
    m = travel_matrix_minutes(lats, lons, "transit", profiles=profiles_for("shenzhen"))
    result = order_stops(m, windows=windows, dwell=[p.dwell_minutes for p in places])
    closed_monday = {i for i, lm in enumerate(pool) if "Mo off" in lm.opening_hours}
    assert closed_monday  # the real data has such museums among the first dozen
    assert set(result.late) == closed_monday
    assert result.exact


# --- fitting a time budget --------------------------------------------------------------------


def best_subset(m: Matrix, dwell: Sequence[float], budget: float, must: set[int]) -> tuple[int, float]:
    """(most stops, least time) over every subset and order, open path from stop 0."""
    n = len(m)
    best = (0, INF)
    optional = [i for i in range(1, n) if i not in must]
    for r in range(len(optional) + 1):
        for extra in itertools.combinations(optional, r):
            chosen = sorted({*must, *extra} - {0})
            if not chosen:
                total = dwell[0]
            else:
                travel = brute_force(
                    m[np.ix_([0, *chosen], [0, *chosen])], start=0, end=None, round_trip=False
                )
                total = travel + dwell[0] + sum(dwell[i] for i in chosen)
            if total <= budget + 1e-9 and (len(chosen) + 1, -total) > (best[0], -best[1]):
                best = (len(chosen) + 1, total)
    return best


@pytest.mark.parametrize("budget", [60.0, 150.0, 240.0, 360.0])
@pytest.mark.parametrize("must", [set(), {3}, {2, 5}])
def test_fit_budget_exact_equals_brute_force(budget: float, must: set[int]) -> None:
    m = real_matrix(7, 4, mode="transit")
    dwell = [0.0, 45.0, 60.0, 30.0, 90.0, 20.0, 40.0]  # stop 0 is the hotel
    result = fit_budget(m, dwell=dwell, budget_minutes=budget, must=must)
    count, total = best_subset(m, dwell, budget, must | {0})
    assert result.exact
    assert must <= set(result.order)
    assert result.order[0] == 0
    if result.fits:
        assert len(result.order) == count
        assert result.total_minutes == pytest.approx(total)
        assert result.total_minutes <= budget + 1e-9
    else:
        assert count == 0  # nothing with the must-see stops fits
        assert set(result.order) == must | {0}
    assert result.total_minutes == pytest.approx(cost(m, result.order) + sum(dwell[i] for i in result.order))
    assert sorted(result.order + result.dropped) == list(range(7))


def test_fit_budget_four_hours_from_ten() -> None:
    """From 10:00 to 14:00 with real stops: as many as fit, must-see kept, nothing over."""
    pool = landmarks("shenzhen")[:10]
    m = travel_matrix_minutes(
        [lm.lat for lm in pool], [lm.lon for lm in pool], "transit", profiles=profiles_for("shenzhen")
    )
    dwell = [45.0] * 10
    result = fit_budget(m, dwell=dwell, budget_minutes=240.0, must={7})
    assert result.fits and 7 in result.order
    assert result.total_minutes <= 240.0
    assert 2 <= len(result.order) < 10


def test_fit_budget_says_when_the_must_see_do_not_fit() -> None:
    m = line_matrix(6)
    result = fit_budget(m, dwell=[60.0] * 6, budget_minutes=100.0, must={4, 5})
    assert not result.fits
    assert set(result.order) == {0, 4, 5}
    assert result.total_minutes > 100.0


@pytest.mark.parametrize("budget", [120.0, 300.0, 600.0])
def test_fit_budget_heuristic_on_a_larger_set(budget: float) -> None:
    m = real_matrix(30, 9, mode="transit")
    dwell = [0.0] + [30.0] * 29
    must = {5, 17}
    result = fit_budget(m, dwell=dwell, budget_minutes=budget, must=must)
    assert not result.exact
    assert must <= set(result.order)
    assert result.order[0] == 0
    assert len(set(result.order)) == len(result.order)
    assert result.fits == (result.total_minutes <= budget)
    assert result.total_minutes == pytest.approx(cost(m, result.order) + sum(dwell[i] for i in result.order))
    # on the first 12 stops greedy insertion keeps as many as the exact method
    exact = fit_budget(m[:12, :12], dwell=dwell[:12], budget_minutes=budget, must={5})
    greedy = fit_budget(m[:12, :12], dwell=dwell[:12], budget_minutes=budget, must={5}, exact_limit=0)
    assert exact.exact and not greedy.exact
    assert len(greedy.order) == len(exact.order)
    assert greedy.total_minutes <= budget


def test_fit_budget_round_trip_and_fixed_end() -> None:
    m = line_matrix(6)
    trip = fit_budget(m, dwell=[0.0] + [10.0] * 5, budget_minutes=75.0, round_trip=True)
    assert trip.order[0] == 0
    assert trip.total_minutes <= 75.0
    assert trip.travel_minutes == pytest.approx(cost(m, [*trip.order, 0]))
    ending = fit_budget(m, dwell=[0.0] + [10.0] * 5, budget_minutes=75.0, end=5)
    assert ending.order[-1] == 5 and ending.fits
    # 50 min of travel, 10 at the end: one stop on the way fits (70), two would not (80)
    assert len(ending.order) == 3 and ending.total_minutes == pytest.approx(70.0)
