"""Visit schedules: arrival, waiting, departure per stop, opening hours, days; and the open
windows of each stop for the ordering solver.

Times are timezone-aware and kept in the city's own zone. Arithmetic is done in UTC, because
Python adds and compares aware datetimes that share a tzinfo on the wall clock, which is off by
an hour across a daylight-saving change. Opening hours are evaluated only by the
opening-hours library (``itinerary.hours.parse_hours``), never parsed here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from opening_hours import State

from itinerary.hours import parse_hours
from itinerary.models import Landmark
from itinerary.routing.aliases import Window
from itinerary.routing.distance import haversine_km
from itinerary.routing.travel import ModeProfile, mode_profile, travel_minutes

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
class Return:
    """The leg of a round trip back to where it began, after the last visit of the last day."""

    place: Place  # where the plan began: the start point, or the first stop
    distance_km: float
    travel_minutes: float
    arrive: datetime


@dataclass(frozen=True, slots=True)
class Schedule:
    """Visits in order with their totals; ``total_minutes`` is elapsed time from start to end.

    ``back`` is the leg home of a round trip (``with_return``): then ``end`` is the arrival back
    and the totals include that leg.
    """

    visits: list[Visit]
    start: datetime
    end: datetime
    travel_minutes: float
    distance_km: float
    visit_minutes: float
    wait_minutes: float
    total_minutes: float
    back: Return | None = None


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
    mode_profile(mode, profiles)
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
    mode_profile(mode, profiles)
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


def with_return(
    days: Sequence[Schedule],
    *,
    mode: str,
    timezone: str,
    profiles: Mapping[str, ModeProfile],
) -> list[Schedule]:
    """``days`` as a round trip: the last day ends with the leg back to the first place of the
    first day, and its ``end`` and totals include it. One place only, or no days: no leg."""
    if not days or not days[0].visits:
        return list(days)
    home = days[0].visits[0].place
    last = days[-1]
    final = last.visits[-1]
    if len(days) == 1 and len(last.visits) == 1:
        return list(days)
    tz = ZoneInfo(timezone)
    km, minutes = _leg(final.place, home, mode, profiles)
    arrive = _plus(final.depart, minutes, tz)
    back = Return(place=home, distance_km=km, travel_minutes=minutes, arrive=arrive)
    closed = replace(
        last,
        end=arrive,
        travel_minutes=last.travel_minutes + minutes,
        distance_km=last.distance_km + km,
        total_minutes=_minutes(last.start, arrive),
        back=back,
    )
    return [*days[:-1], closed]


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
