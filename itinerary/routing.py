"""Distances, travel-time estimates, visit schedules and the order of stops.

Travel times here are *estimates*: straight-line (great-circle) distance times a detour factor,
at a typical door-to-door speed, plus a fixed overhead per leg (waiting for a train, parking).
No street network or timetable is consulted; the UI should say "about" and "estimated".

Times are timezone-aware and kept in the city's own zone. Arithmetic is done in UTC, because
Python adds and compares aware datetimes that share a tzinfo on the wall clock, which is off by
an hour across a daylight-saving change. Opening hours are evaluated only by the
opening-hours library (``itinerary.hours.parse_hours``), never parsed here.
"""

from __future__ import annotations

import functools
import math
import time as _time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from opening_hours import State

from itinerary.hours import parse_hours
from itinerary.models import Landmark

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG), what haversine approximations use

ArrayLike = float | npt.ArrayLike
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
Window = tuple[float, float]
Clock = Callable[[], float]


def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> npt.NDArray[np.float64]:
    """Great-circle distance in km; arguments broadcast like numpy arrays."""
    p1, p2 = np.radians(np.asarray(lat1, dtype=float)), np.radians(np.asarray(lat2, dtype=float))
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def distance_matrix_km(lats: npt.ArrayLike, lons: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Pairwise great-circle distances (km) between points, as an n x n matrix."""
    lat = np.asarray(lats, dtype=float)
    lon = np.asarray(lons, dtype=float)
    return haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])


# --- travel-time model ------------------------------------------------------------------------

ESTIMATE_BASIS = (
    "estimate: straight-line distance x detour factor at a typical speed, plus a fixed overhead "
    "per leg; not a routed or timetabled travel time"
)


@dataclass(frozen=True, slots=True)
class ModeProfile:
    """How one travel mode turns straight-line km into estimated minutes.

    ``detour_factor`` is how much longer real paths are than the straight line (about 1.2-1.4 in
    street grids); ``overhead_minutes`` is paid once per leg (waiting, parking, unlocking a bike).
    """

    speed_kmh: float
    detour_factor: float
    overhead_minutes: float

    def __post_init__(self) -> None:
        if not self.speed_kmh > 0:
            raise ValueError(f"speed_kmh must be positive, not {self.speed_kmh}")
        if not self.detour_factor >= 1:
            raise ValueError(f"detour_factor must be at least 1, not {self.detour_factor}")
        if not self.overhead_minutes >= 0:
            raise ValueError(f"overhead_minutes must not be negative, not {self.overhead_minutes}")


DEFAULT_PROFILES: dict[str, ModeProfile] = {
    "walk": ModeProfile(speed_kmh=4.5, detour_factor=1.3, overhead_minutes=0.0),
    "bike": ModeProfile(speed_kmh=14.0, detour_factor=1.3, overhead_minutes=2.0),  # unlock, park
    "transit": ModeProfile(speed_kmh=25.0, detour_factor=1.4, overhead_minutes=10.0),  # walk + wait
    "drive": ModeProfile(speed_kmh=30.0, detour_factor=1.4, overhead_minutes=8.0),  # parking
}

# Per-city departures from the defaults, all in one place. Assumptions, not measurements.
CITY_PROFILES: dict[str, dict[str, ModeProfile]] = {
    # A dense metro network (over 500 km of lines, trains every few minutes at peak).
    "shenzhen": {"transit": ModeProfile(speed_kmh=32.0, detour_factor=1.3, overhead_minutes=7.0)},
    # Buses, mostly; services are infrequent outside the TX line, but roads are empty and wide.
    "tsukuba": {
        "transit": ModeProfile(speed_kmh=18.0, detour_factor=1.5, overhead_minutes=15.0),
        "drive": ModeProfile(speed_kmh=35.0, detour_factor=1.3, overhead_minutes=5.0),
    },
    # Separate cycle paths everywhere and bikes parked at the door.
    "the-hague": {"bike": ModeProfile(speed_kmh=15.0, detour_factor=1.2, overhead_minutes=1.0)},
}


def profiles_for(city_id: str) -> dict[str, ModeProfile]:
    """The travel profiles of a city: the defaults with the city's overrides applied."""
    return {**DEFAULT_PROFILES, **CITY_PROFILES.get(city_id, {})}


def _profile(mode: str, profiles: Mapping[str, ModeProfile]) -> ModeProfile:
    try:
        return profiles[mode]
    except KeyError:
        raise ValueError(f"unknown travel mode {mode!r} (expected: {', '.join(profiles)})") from None


def travel_minutes(distance_km: float, mode: str, *, profiles: Mapping[str, ModeProfile]) -> float:
    """Estimated minutes for one leg; a 0 km leg (staying put) takes no time and no overhead."""
    p = _profile(mode, profiles)
    if distance_km <= 0:
        return 0.0
    return float(distance_km) * p.detour_factor / p.speed_kmh * 60.0 + p.overhead_minutes


def minutes_from_km(
    distance_km: npt.ArrayLike, mode: str, *, profiles: Mapping[str, ModeProfile]
) -> FloatArray:
    """``travel_minutes`` applied elementwise to an array of distances."""
    p = _profile(mode, profiles)
    km = np.asarray(distance_km, dtype=float)
    return np.where(km > 0, km * p.detour_factor / p.speed_kmh * 60.0 + p.overhead_minutes, 0.0)


def travel_matrix_minutes(
    lats: npt.ArrayLike, lons: npt.ArrayLike, mode: str, *, profiles: Mapping[str, ModeProfile]
) -> FloatArray:
    """Estimated minutes between every pair of points, as an n x n matrix (0 on the diagonal)."""
    return minutes_from_km(distance_matrix_km(lats, lons), mode, profiles=profiles)


# --- schedules --------------------------------------------------------------------------------

CLOSED_ON_DATE = "closed_on_date"  # not open at all on the local date of arrival
CLOSED_ON_ARRIVAL = "closed_on_arrival"  # open that day, but not again after arrival
OPENS_LATER = "opens_later"  # arrived before opening: the visit waits (see wait_minutes)
CLOSES_BEFORE_END = "closes_before_end"  # the visit runs past closing (see closes_at)
UNKNOWN_HOURS = "unknown_hours"  # no opening hours, or the hours say "unknown"
WARNINGS = (CLOSED_ON_DATE, CLOSED_ON_ARRIVAL, OPENS_LATER, CLOSES_BEFORE_END, UNKNOWN_HOURS)


@dataclass(frozen=True, slots=True)
class Place:
    """A stop to schedule: where, how long, and its OSM opening hours ("" when unknown)."""

    id: str
    lat: float
    lon: float
    dwell_minutes: float
    opening_hours: str = ""

    @classmethod
    def from_landmark(cls, landmark: Landmark, *, dwell_minutes: float | None = None) -> Place:
        dwell = landmark.visit_minutes if dwell_minutes is None else dwell_minutes
        return cls(landmark.id, landmark.lat, landmark.lon, dwell, landmark.opening_hours)


@dataclass(frozen=True, slots=True)
class Visit:
    """One stop of a schedule, with the leg that leads to it (0 for the first stop)."""

    place: Place
    distance_km: float
    travel_minutes: float
    arrive: datetime
    start: datetime
    depart: datetime
    wait_minutes: float = 0.0
    warnings: list[str] = field(default_factory=list)
    closes_at: datetime | None = None  # set with CLOSES_BEFORE_END


@dataclass(frozen=True, slots=True)
class Schedule:
    """Visits in order with their totals; ``total_minutes`` is elapsed time from start to end."""

    visits: list[Visit]
    start: datetime
    end: datetime
    travel_minutes: float
    distance_km: float
    visit_minutes: float
    wait_minutes: float
    total_minutes: float


def _local(at: datetime, tz: ZoneInfo) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{at!r} is naive: pass a timezone-aware start time")
    return at.astimezone(tz)


def _plus(at: datetime, minutes: float, tz: ZoneInfo) -> datetime:
    """``at`` plus elapsed minutes, in ``tz`` (across DST changes, unlike ``at + timedelta``)."""
    return (at.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(tz)


def _minutes(earlier: datetime, later: datetime) -> float:
    return (later.astimezone(UTC) - earlier.astimezone(UTC)).total_seconds() / 60.0


def _before(a: datetime, b: datetime) -> bool:
    return a.astimezone(UTC) < b.astimezone(UTC)


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def _visit(
    place: Place, *, arrive: datetime, km: float, minutes: float, tz: ZoneInfo, timezone: str
) -> Visit:
    """Arrive, wait for opening if it opens later the same day, stay ``dwell_minutes``."""
    warnings: list[str] = []
    start = arrive
    closes_at: datetime | None = None
    open_at_start = False
    if not place.opening_hours:
        warnings.append(UNKNOWN_HOURS)
    else:
        oh = parse_hours(place.opening_hours, timezone)
        next_midnight = _midnight(arrive.date() + timedelta(days=1), tz)
        state, _comment = oh.state(arrive)
        if state is State.OPEN:
            open_at_start = True
        elif state is State.UNKNOWN:
            warnings.append(UNKNOWN_HOURS)
        else:
            opening = next(
                (b for b, _e, st, _c in oh.intervals(arrive, next_midnight) if st is State.OPEN), None
            )
            if opening is not None:
                start, open_at_start = opening.astimezone(tz), True
                warnings.append(OPENS_LATER)
            else:
                day = {st for _b, _e, st, _c in oh.intervals(_midnight(arrive.date(), tz), next_midnight)}
                if State.OPEN in day:
                    warnings.append(CLOSED_ON_ARRIVAL)
                elif State.UNKNOWN in day:
                    warnings.append(UNKNOWN_HOURS)
                else:
                    warnings.append(CLOSED_ON_DATE)
        depart = _plus(start, place.dwell_minutes, tz)
        if open_at_start and place.dwell_minutes > 0:
            # the first moment in the visit that is not OPEN (a comment change is not a closing)
            closing = next((b for b, _e, st, _c in oh.intervals(start, depart) if st is not State.OPEN), None)
            if closing is not None:
                closes_at = closing.astimezone(tz)
                warnings.append(CLOSES_BEFORE_END)
    return Visit(
        place=place,
        distance_km=km,
        travel_minutes=minutes,
        arrive=arrive,
        start=start,
        depart=_plus(start, place.dwell_minutes, tz),
        wait_minutes=_minutes(arrive, start),
        warnings=warnings,
        closes_at=closes_at,
    )


def _leg(prev: Place, place: Place, mode: str, profiles: Mapping[str, ModeProfile]) -> tuple[float, float]:
    km = float(haversine_km(prev.lat, prev.lon, place.lat, place.lon))
    return km, travel_minutes(km, mode, profiles=profiles)


def _summarise(visits: list[Visit], start: datetime) -> Schedule:
    end = visits[-1].depart if visits else start
    return Schedule(
        visits=visits,
        start=start,
        end=end,
        travel_minutes=sum(v.travel_minutes for v in visits),
        distance_km=sum(v.distance_km for v in visits),
        visit_minutes=sum(v.place.dwell_minutes for v in visits),
        wait_minutes=sum(v.wait_minutes for v in visits),
        total_minutes=_minutes(start, end),
    )


def schedule(
    places: Sequence[Place],
    *,
    start: datetime,
    mode: str,
    timezone: str,
    profiles: Mapping[str, ModeProfile],
) -> Schedule:
    """Visit ``places`` in the given order from ``start`` (aware), in the city's ``timezone``."""
    tz = ZoneInfo(timezone)
    _profile(mode, profiles)
    begin = _local(start, tz)
    visits: list[Visit] = []
    for place in places:
        km, minutes = _leg(visits[-1].place, place, mode, profiles) if visits else (0.0, 0.0)
        arrive = _plus(visits[-1].depart, minutes, tz) if visits else begin
        visits.append(_visit(place, arrive=arrive, km=km, minutes=minutes, tz=tz, timezone=timezone))
    return _summarise(visits, begin)


def split_days(
    places: Sequence[Place],
    *,
    start: datetime,
    mode: str,
    timezone: str,
    profiles: Mapping[str, ModeProfile],
    day_end: time = time(20, 0),
    next_day_start: time | None = None,
) -> list[Schedule]:
    """One schedule per day: a visit that would end after ``day_end`` moves to the next day.

    Later days start at ``next_day_start`` (default: the time of day of ``start``), with no leg
    before their first visit. A day always takes at least one visit, so a visit longer than a
    day still gets a day of its own. A ``day_end`` not later than the day's start time means
    the day ends after midnight. No places, no days.
    """
    tz = ZoneInfo(timezone)
    _profile(mode, profiles)
    first = _local(start, tz)
    wake = next_day_start if next_day_start is not None else first.time()
    days: list[Schedule] = []
    day_start = first
    visits: list[Visit] = []

    def end_of(day_begin: datetime) -> datetime:
        end = datetime.combine(day_begin.date(), day_end, tzinfo=tz)
        return (
            end
            if _before(day_begin, end)
            else datetime.combine(end.date() + timedelta(days=1), day_end, tzinfo=tz)
        )

    deadline = end_of(day_start)
    for place in places:
        if visits:
            km, minutes = _leg(visits[-1].place, place, mode, profiles)
            arrive = _plus(visits[-1].depart, minutes, tz)
            visit = _visit(place, arrive=arrive, km=km, minutes=minutes, tz=tz, timezone=timezone)
            if not _before(deadline, visit.depart):
                visits.append(visit)
                continue
            days.append(_summarise(visits, day_start))
            next_day = day_start.date() + timedelta(days=1)
            day_start = datetime.combine(next_day, wake, tzinfo=tz)
            while not _before(visits[-1].depart, day_start):
                next_day += timedelta(days=1)
                day_start = datetime.combine(next_day, wake, tzinfo=tz)
            deadline = end_of(day_start)
        visits = [_visit(place, arrive=day_start, km=0.0, minutes=0.0, tz=tz, timezone=timezone)]
    if visits:
        days.append(_summarise(visits, day_start))
    return days


def windows_from_hours(
    places: Sequence[Place],
    *,
    day: date,
    timezone: str,
    start: datetime,
) -> list[list[Window]]:
    """The open intervals of each place on ``day``, in minutes after ``start``, for ``order_stops``.

    An interval that begins on ``day`` keeps its true end, even after midnight (18:00-02:00);
    one already open at the day's midnight or still open two days later is open-ended (-inf,
    inf). Intervals that begin on the next day are left out: a stop closed today is not made
    by waiting overnight. Unknown hours, and intervals the hours call "unknown", count as open,
    so that a stop is reported late only when it is known to be closed. A place closed all day
    gets no interval.
    """
    tz = ZoneInfo(timezone)
    origin = _local(start, tz)
    lo, next_day = _midnight(day, tz), _midnight(day + timedelta(days=1), tz)
    hi = _midnight(day + timedelta(days=2), tz)
    result: list[list[Window]] = []
    for place in places:
        if not place.opening_hours:
            result.append([(-math.inf, math.inf)])
            continue
        spans: list[Window] = []
        for begin, end, state, _comment in parse_hours(place.opening_hours, timezone).intervals(lo, hi):
            if state is State.CLOSED:
                continue
            o = -math.inf if not _before(lo, begin) else _minutes(origin, begin)
            c = math.inf if not _before(end, hi) else _minutes(origin, end)
            if spans and spans[-1][1] >= o:  # continues the previous interval (e.g. at midnight)
                spans[-1] = (spans[-1][0], max(spans[-1][1], c))
            elif _before(begin, next_day):
                spans.append((o, c))
        result.append(spans)
    return result


# --- ordering ---------------------------------------------------------------------------------

EXACT_MAX_STOPS = 12  # up to this many stops (start and end included) ordering is exact
# The exact methods keep a table of 2^(stops-1) rows: about 10 ms at 12 stops, 20 ms at 16
# without windows, but doubling with every stop. ``exact_limit`` is capped here.
EXACT_CAP = 16
_EPS = 1e-9


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


@dataclass(frozen=True, slots=True)
class _Problem:
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


def _problem(
    matrix: npt.ArrayLike,
    *,
    start: int,
    end: int | None,
    round_trip: bool,
    windows: Sequence[Sequence[Window]] | None,
    dwell: Sequence[float] | None,
) -> _Problem:
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
    return _Problem(
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


def _path_cost(m: FloatArray, path: Sequence[int] | IntArray) -> float:
    p = np.asarray(path, dtype=np.intp)
    return float(m[p[:-1], p[1:]].sum())


def _fit(arrive: float, spans: Sequence[Window], dwell: float) -> tuple[bool, float]:
    """(visited inside an open interval, departure): wait for the earliest interval that fits.

    A stop that fits in no interval is visited anyway on arrival, without waiting.
    """
    for o, c in spans:
        begin = o if o > arrive else arrive
        if begin + dwell <= c + _EPS:
            return True, begin + dwell
    return False, arrive + dwell


def _evaluate(pb: _Problem, path: Sequence[int], t0: float) -> tuple[int, float, list[int], list[float]]:
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
        ok, clock = _fit(clock, pb.windows[node], pb.dwell[node])
        if not ok:
            late.append(node)
        prev = node
    return len(late), travel, late, arrivals


def _key(pb: _Problem, path: Sequence[int], t0: float) -> float:
    viol, travel, _late, _arr = _evaluate(pb, path, t0)
    return viol * pb.big + travel


# exact: Held-Karp over subsets of the free nodes, vectorised per (subset size, last node)


def _held_karp(pb: _Problem) -> tuple[FloatArray, npt.NDArray[np.int8]]:
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


def _hk_path(pb: _Problem, parent: npt.NDArray[np.int8], mask: int, last: int) -> list[int]:
    nodes: list[int] = []
    j = last
    while j >= 0:
        nodes.append(pb.free[j])
        mask, j = mask ^ (1 << j), int(parent[mask, j])
    return [pb.s, *reversed(nodes), pb.t]


def _exact_travel(pb: _Problem) -> list[int]:
    if not pb.free:
        return [pb.s, pb.t]
    dp, parent = _held_karp(pb)
    full = (1 << len(pb.free)) - 1
    last = int((dp[full] + pb.m[pb.free, pb.t]).argmin())
    return _hk_path(pb, parent, full, last)


def _fit_many(
    arrive: FloatArray, nodes: IntArray, opens: FloatArray, closes: FloatArray, dwell: FloatArray
) -> tuple[npt.NDArray[np.bool_], FloatArray]:
    """``_fit`` for many (arrival, node) pairs; ``opens``/``closes`` are padded per node."""
    begin = np.maximum(arrive[:, None], opens[nodes])
    finish = begin + dwell[nodes][:, None]
    fits = finish <= closes[nodes] + _EPS
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


def _label_search(
    pb: _Problem,
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

    ok0, dep0 = _fit(t0, pb.windows[pb.s], pb.dwell[pb.s])
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


# heuristic: nearest neighbour, then iterated local search (2-opt and Or-opt, vectorised)


def _nearest_neighbour(pb: _Problem) -> IntArray:
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


def _best_two_opt(pb: _Problem, q: FloatArray) -> tuple[float, int, int]:
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


def _best_or_opt(pb: _Problem, q: FloatArray, qt: FloatArray, k: int) -> tuple[float, int, int, bool]:
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


def _local_search(pb: _Problem, path: IntArray) -> IntArray:
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
        if gain > -_EPS:
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


def _heuristic_travel(pb: _Problem, *, rng: np.random.Generator, deadline: float, clock: Clock) -> IntArray:
    best = _local_search(pb, _nearest_neighbour(pb))
    best_cost = _path_cost(pb.m, best)
    if len(pb.free) < 4:  # one move reaches every order of 3 stops: the descent is exact
        return best
    cur, cur_cost = best, best_cost
    kicks = stall = 0
    while kicks < _MAX_KICKS and stall < _STALL_KICKS and clock() < deadline:
        kicks += 1
        stall += 1
        cand = _local_search(pb, _kick(cur, rng))
        cost = _path_cost(pb.m, cand)
        if cost <= cur_cost + _EPS:  # accept sideways moves to drift along plateaus
            cur, cur_cost = cand, cost
            if cost < best_cost - _EPS:
                best, best_cost, stall = cand, cost, 0
    return best


def _window_descent(pb: _Problem, path: list[int], t0: float, deadline: float, clock: Clock) -> list[int]:
    """First-improvement descent on (violations, travel): move one stop, or reverse a run."""
    p = list(path)
    cur = _key(pb, p, t0)
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
                key = _key(pb, cand, t0)
                if key < cur - _EPS:
                    p, cur, improved = cand, key, True
                    break
            if clock() >= deadline:
                return p
        for i in range(1, size - 2):
            for j in range(i + 1, size - 1):
                cand = p[:i] + p[i : j + 1][::-1] + p[j + 1 :]
                key = _key(pb, cand, t0)
                if key < cur - _EPS:
                    p, cur, improved = cand, key, True
            if clock() >= deadline:
                return p
    return p


def _first_guess(pb: _Problem, travel_path: list[int], t0: float) -> list[int]:
    """The better of the shortest path and the order of closing times (latest close first out)."""

    def latest_finish(node: int) -> float:
        spans = pb.windows[node]
        return spans[-1][1] if spans else -math.inf

    by_closing = [pb.s, *sorted(pb.free, key=lambda n: (latest_finish(n), n)), pb.t]
    return min((travel_path, by_closing), key=lambda p: _key(pb, p, t0))


_BEAM = 200  # labels a layer in the first beam search for large sets with windows; then wider


def _heuristic_windows(
    pb: _Problem, travel_path: list[int], t0: float, deadline: float, clock: Clock
) -> list[int]:
    """The best of the shortest path, deadline order and ever wider beam searches, polished.

    Three quarters of the time left go to the beam searches, the rest to a final descent.
    """

    best = _first_guess(pb, travel_path, t0)
    best_key = _key(pb, best, t0)
    now = clock()
    beam_deadline = now + 0.75 * max(0.0, deadline - now)
    width = _BEAM
    while True:
        found = _label_search(pb, t0, best_key - _EPS, beam=width, deadline=beam_deadline, clock=clock)
        if found is not None:
            best, best_key = found, _key(pb, found, t0)
        if clock() > beam_deadline or width > (1 << len(pb.free)) * len(pb.free):
            break
        width *= 2
    return _window_descent(pb, best, t0, deadline, clock)


def _result(pb: _Problem, path: Sequence[int], t0: float, *, exact: bool) -> OrderResult:
    _viol, travel, late, arrivals = _evaluate(pb, path, t0)
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
    pb = _problem(minutes_matrix, start=start, end=end, round_trip=round_trip, windows=windows, dwell=dwell)
    deadline = clock() + time_budget_s
    exact = pb.n <= min(exact_limit, EXACT_CAP)
    if exact:
        path = _exact_travel(pb)
    else:
        budget = deadline if windows is None else clock() + time_budget_s / 2
        rng = np.random.default_rng(seed)
        path = [int(x) for x in _heuristic_travel(pb, rng=rng, deadline=budget, clock=clock)]
    if windows is None or _evaluate(pb, path, start_minute)[0] == 0:
        return _result(pb, path, start_minute, exact=exact)
    # the shortest order misses a window: trade travel for fewer misses
    if exact:
        guess = _first_guess(pb, path, start_minute)
        bound = _key(pb, guess, start_minute) - _EPS
        better = _label_search(pb, start_minute, bound, beam=None) or guess
    else:
        better = _heuristic_windows(pb, path, start_minute, deadline, clock)
    return _result(pb, better, start_minute, exact=exact)


# --- fitting a time budget --------------------------------------------------------------------


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
    pb = _problem(minutes_matrix, start=start, end=end, round_trip=round_trip, windows=None, dwell=dwell)
    for i in must:
        if not 0 <= i < pb.n:
            raise ValueError(f"must-see stop {i} is not a stop (0 to {pb.n - 1})")
    fixed_dwell = pb.dwell[pb.s] + (pb.dwell[pb.t] if pb.t < pb.n else 0.0)
    free = np.asarray(pb.free, dtype=np.intp)
    k = len(free)
    must_mask = sum(1 << j for j, node in enumerate(pb.free) if node in set(must))

    def result(path: Sequence[int] | IntArray, fits: bool, exact: bool) -> BudgetResult:
        travel = _path_cost(pb.m, path)
        nodes = [int(x) for x in path if x < pb.n]
        chosen = set(nodes)
        return BudgetResult(
            order=nodes,
            total_minutes=travel + sum(pb.dwell[x] for x in chosen),
            travel_minutes=travel,
            fits=fits,
            dropped=[int(x) for x in free if x not in chosen],
            exact=exact,
        )

    if pb.n <= min(exact_limit, EXACT_CAP):
        if k == 0:
            path = [pb.s, pb.t]
            return result(path, _path_cost(pb.m, path) + fixed_dwell <= budget_minutes + _EPS, True)
        dp, parent = _held_karp(pb)
        ends = dp + pb.m[free, pb.t][None, :]
        last = ends.argmin(axis=1)
        travel = ends[np.arange(len(ends)), last]
        travel[0] = pb.m[pb.s, pb.t]
        masks = np.arange(1 << k)
        stay = np.zeros(1 << k)
        for j in range(k):
            stay += np.where((masks >> j) & 1, pb.dwell[int(free[j])], 0.0)
        total = travel + stay + fixed_dwell
        has_must = (masks & must_mask) == must_mask
        ok = has_must & (total <= budget_minutes + _EPS)
        fits = bool(ok.any())
        pool = masks[ok] if fits else np.asarray([must_mask])
        counts = np.bitwise_count(pool)
        pool = pool[counts == counts.max()]
        mask = int(pool[total[pool].argmin()])
        path = [pb.s, pb.t] if mask == 0 else _hk_path(pb, parent, mask, int(last[mask]))
        return result(path, fits, True)

    rng = np.random.default_rng(seed)
    deadline = clock() + time_budget_s
    stay = np.asarray(pb.dwell)

    def reorder(route: IntArray) -> IntArray:
        nodes = [int(x) for x in route[1:-1]]
        sub = _Problem(
            m=pb.m, s=pb.s, t=pb.t, free=nodes, n=pb.n, symmetric=pb.symmetric,
            windows=pb.windows, dwell=pb.dwell, big=pb.big,
        )  # fmt: skip
        if len(nodes) + 2 <= EXACT_MAX_STOPS:
            return np.asarray(_exact_travel(sub), dtype=np.intp)
        return _heuristic_travel(sub, rng=rng, deadline=min(deadline, clock() + 0.02), clock=clock)

    def spent(route: IntArray) -> float:
        return _path_cost(pb.m, route) + float(stay[route[1:-1]].sum()) + fixed_dwell

    def fill(route: IntArray, banned: int = -1) -> IntArray:
        """Insert the stop that adds least time, where it adds least, while one fits."""
        while True:
            taken = set(route.tolist())
            cand = np.asarray([x for x in free if x not in taken and x != banned], dtype=np.intp)
            if len(cand) == 0:
                return route
            a, b = route[:-1], route[1:]
            # time added by each candidate (rows) between each consecutive pair (columns)
            extra = pb.m[np.ix_(a, cand)].T + pb.m[np.ix_(cand, b)] - pb.m[a, b][None, :]
            pos = extra.argmin(axis=1)
            growth = extra[np.arange(len(cand)), pos] + stay[cand]
            pick = int(growth.argmin())
            if growth[pick] > budget_minutes - spent(route) + _EPS:
                return route
            at = int(pos[pick]) + 1
            route = np.concatenate((route[:at], cand[pick : pick + 1], route[at:]))

    def better(a: IntArray, b: IntArray) -> bool:
        return len(a) > len(b) or (len(a) == len(b) and spent(a) < spent(b) - _EPS)

    musts = set(must)
    route = reorder(np.asarray([pb.s, *(x for x in pb.free if x in musts), pb.t], dtype=np.intp))
    if spent(route) > budget_minutes + _EPS:
        return result(route, False, False)
    route = fill(route)
    improved = True
    while improved and clock() < deadline:
        improved = False
        shorter = reorder(route)
        if spent(shorter) < spent(route) - _EPS:  # a better order may leave room for more
            route, improved = fill(shorter), True
        # drop one optional stop and refill without it: one out, maybe two in
        for i in range(1, len(route) - 1):
            if int(route[i]) in musts or clock() >= deadline:
                continue
            trial = fill(np.delete(route, i), banned=int(route[i]))
            if better(trial, route):
                route, improved = trial, True
                break
    return result(route, True, False)
