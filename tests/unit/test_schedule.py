"""Schedules: arrival and departure times, opening hours, midnight, daylight saving, days."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from itinerary.routing import (
    CLOSED_ON_ARRIVAL,
    CLOSED_ON_DATE,
    CLOSES_BEFORE_END,
    DEFAULT_PROFILES,
    OPENS_LATER,
    UNKNOWN_HOURS,
    ModeProfile,
    Place,
    Schedule,
    haversine_km,
    profiles_for,
    schedule,
    split_days,
    travel_minutes,
    with_return,
)
from itinerary.seed import load_dir
from tests.conftest import DATA

SHENZHEN, SEATTLE = "Asia/Shanghai", "America/Los_Angeles"
SZ, LA = ZoneInfo(SHENZHEN), ZoneInfo(SEATTLE)
# Any move takes exactly 15 minutes (a speed so high the distance adds under a microsecond):
# keeps the expected clock times exact. Staying put still takes 0.
FIFTEEN = {"walk": ModeProfile(speed_kmh=1e12, detour_factor=1.0, overhead_minutes=15.0)}
MUSEUM = "Tu-Su 10:00-18:00; Mo off"  # Shenzhen Museum's real hours


def at(tz: ZoneInfo, y: int, mo: int, d: int, h: int, mi: int = 0, fold: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=tz, fold=fold)


def spot(name: str, hours: str = "24/7", dwell: float = 60.0, *, step: int = 0) -> Place:
    """A place in Futian; ``step`` moves it about 1 km east (0 = the same spot)."""
    return Place(name, 22.5430, 114.0580 + 0.01 * step, dwell, hours)


def local(dt: datetime) -> tuple[str, str]:
    """(local wall time, UTC offset) — what a visitor reads on the clock, and which hour it is."""
    offset = dt.utcoffset()
    assert offset is not None
    return dt.strftime("%Y-%m-%d %H:%M"), f"{offset.total_seconds() / 3600:+.0f}"


# --- arithmetic -------------------------------------------------------------------------------


def test_arrival_and_departure_times() -> None:
    places = [spot("a", dwell=45), spot("b", dwell=30, step=1), spot("c", dwell=20, step=2)]
    plan = schedule(places, start=at(SZ, 2026, 3, 10, 9), mode="walk", timezone=SHENZHEN, profiles=FIFTEEN)
    rows = [
        (v.place.id, v.arrive.strftime("%H:%M"), v.start.strftime("%H:%M"), v.depart.strftime("%H:%M"))
        for v in plan.visits
    ]
    assert rows == [
        ("a", "09:00", "09:00", "09:45"),
        ("b", "10:00", "10:00", "10:30"),
        ("c", "10:45", "10:45", "11:05"),
    ]
    first = plan.visits[0]
    assert (first.distance_km, first.travel_minutes) == (0.0, 0.0)  # nothing before the first stop
    assert plan.travel_minutes == pytest.approx(30.0)
    assert plan.visit_minutes == 95.0
    assert plan.wait_minutes == 0.0
    assert plan.total_minutes == pytest.approx(125.0)
    assert plan.end == at(SZ, 2026, 3, 10, 11, 5)
    assert plan.distance_km == pytest.approx(
        sum(float(haversine_km(p.lat, p.lon, q.lat, q.lon)) for p, q in itertools.pairwise(places))
    )
    assert all(v.warnings == [] for v in plan.visits)


@pytest.mark.parametrize("mode", ["walk", "bike", "transit", "drive"])
def test_legs_use_the_travel_model(mode: str) -> None:
    """With real landmarks: each arrival is the last departure plus the estimated leg."""
    landmarks = [lm for lm in load_dir(DATA).landmarks if lm.city_id == "shenzhen"][:5]
    places = [Place.from_landmark(lm) for lm in landmarks]
    profiles = profiles_for("shenzhen")
    plan = schedule(places, start=at(SZ, 2026, 3, 10, 8), mode=mode, timezone=SHENZHEN, profiles=profiles)
    for before, visit in itertools.pairwise(plan.visits):
        km = float(haversine_km(before.place.lat, before.place.lon, visit.place.lat, visit.place.lon))
        assert visit.distance_km == pytest.approx(km)
        assert visit.travel_minutes == pytest.approx(travel_minutes(km, mode, profiles=profiles))
        gap = (visit.arrive - before.depart).total_seconds() / 60
        assert gap == pytest.approx(visit.travel_minutes, abs=1e-6)
    assert [v.place.dwell_minutes for v in plan.visits] == [lm.visit_minutes for lm in landmarks]


def test_same_spot_twice_costs_no_travel() -> None:
    plan = schedule(
        [spot("a"), spot("b")],
        start=at(SZ, 2026, 3, 10, 9),
        mode="transit",
        timezone=SHENZHEN,
        profiles=DEFAULT_PROFILES,
    )
    assert plan.visits[1].travel_minutes == 0.0
    assert plan.visits[1].arrive == plan.visits[0].depart


def test_empty_schedule() -> None:
    start = at(SZ, 2026, 3, 10, 9)
    plan = schedule([], start=start, mode="walk", timezone=SHENZHEN, profiles=DEFAULT_PROFILES)
    assert (plan.visits, plan.end, plan.total_minutes) == ([], start, 0.0)


def test_times_are_in_the_city_time_zone() -> None:
    """A start given in UTC is read in the city's zone."""
    plan = schedule(
        [spot("a")],
        start=datetime(2026, 3, 10, 1, 0, tzinfo=UTC),
        mode="walk",
        timezone=SHENZHEN,
        profiles=FIFTEEN,
    )
    assert local(plan.visits[0].arrive) == ("2026-03-10 09:00", "+8")
    assert plan.start.tzinfo == SZ


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": datetime(2026, 3, 10, 9, 0)}, "naive"),
        ({"mode": "teleport"}, "unknown travel mode"),
    ],
)
def test_schedule_rejects(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {
        "start": at(SZ, 2026, 3, 10, 9),
        "mode": "walk",
        "timezone": SHENZHEN,
        "profiles": DEFAULT_PROFILES,
    }
    with pytest.raises(ValueError, match=message):
        schedule([spot("a")], **{**args, **kwargs})  # type: ignore[arg-type]


# --- opening hours ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "arrive", "start", "depart", "wait", "warnings", "closes_at"),
    [
        # 2026-03-09 is a Monday, 2026-03-10 a Tuesday
        (MUSEUM, at(SZ, 2026, 3, 10, 11), "11:00", "13:00", 0, [], None),
        (MUSEUM, at(SZ, 2026, 3, 9, 11), "11:00", "13:00", 0, [CLOSED_ON_DATE], None),
        (MUSEUM, at(SZ, 2026, 3, 10, 8), "10:00", "12:00", 120, [OPENS_LATER], None),
        (MUSEUM, at(SZ, 2026, 3, 10, 17), "17:00", "19:00", 0, [CLOSES_BEFORE_END], at(SZ, 2026, 3, 10, 18)),
        (MUSEUM, at(SZ, 2026, 3, 10, 16), "16:00", "18:00", 0, [], None),  # leaves as it closes
        (MUSEUM, at(SZ, 2026, 3, 10, 19), "19:00", "21:00", 0, [CLOSED_ON_ARRIVAL], None),
        # waits for opening and still overstays
        (
            "Mo-Su 10:00-11:00",
            at(SZ, 2026, 3, 10, 9),
            "10:00",
            "12:00",
            60,
            [OPENS_LATER, CLOSES_BEFORE_END],
            at(SZ, 2026, 3, 10, 11),
        ),
        # a lunch break: arrives during it, waits for the afternoon
        (
            "Mo-Su 09:00-12:00,14:00-18:00",
            at(SZ, 2026, 3, 10, 12, 30),
            "14:00",
            "16:00",
            90,
            [OPENS_LATER],
            None,
        ),
        ("", at(SZ, 2026, 3, 10, 11), "11:00", "13:00", 0, [UNKNOWN_HOURS], None),
        ("Mo-Su 10:00-18:00 unknown", at(SZ, 2026, 3, 10, 11), "11:00", "13:00", 0, [UNKNOWN_HOURS], None),
        # only the next day opens: no waiting overnight
        ("Mo-Su 20:00-23:00", at(SZ, 2026, 3, 10, 23, 30), "23:30", "01:30", 0, [CLOSED_ON_ARRIVAL], None),
    ],
)
def test_opening_hours(
    hours: str,
    arrive: datetime,
    start: str,
    depart: str,
    wait: float,
    warnings: list[str],
    closes_at: datetime | None,
) -> None:
    visit = schedule(
        [spot("p", hours, dwell=120)], start=arrive, mode="walk", timezone=SHENZHEN, profiles=FIFTEEN
    ).visits[0]
    assert (visit.start.strftime("%H:%M"), visit.depart.strftime("%H:%M")) == (start, depart)
    assert visit.wait_minutes == pytest.approx(wait)
    assert visit.warnings == warnings
    assert visit.closes_at == closes_at


def test_real_museum_on_a_monday_is_closed_on_date() -> None:
    museum = next(lm for lm in load_dir(DATA).landmarks if lm.id == "shenzhen-museum")
    assert museum.opening_hours == MUSEUM
    plan = schedule(
        [Place.from_landmark(museum)],
        start=at(SZ, 2026, 3, 9, 10),
        mode="walk",
        timezone=SHENZHEN,
        profiles=DEFAULT_PROFILES,
    )
    assert plan.visits[0].warnings == [CLOSED_ON_DATE]


def test_crossing_midnight_moves_to_the_next_date() -> None:
    """A late Sunday visit ends after midnight; the museum reached next is shut on Monday."""
    places = [spot("night market", "24/7", dwell=90), spot("museum", MUSEUM, dwell=60, step=1)]
    plan = schedule(places, start=at(SZ, 2026, 3, 8, 23), mode="walk", timezone=SHENZHEN, profiles=FIFTEEN)
    market, museum = plan.visits
    assert local(market.depart) == ("2026-03-09 00:30", "+8")
    assert local(museum.arrive) == ("2026-03-09 00:45", "+8")
    assert museum.warnings == [CLOSED_ON_DATE]
    assert plan.total_minutes == pytest.approx(165.0)


def test_open_past_midnight_is_still_open() -> None:
    bar = spot("bar", "Mo-Su 18:00-02:00", dwell=90)
    visit = schedule(
        [bar], start=at(SZ, 2026, 3, 10, 23, 45), mode="walk", timezone=SHENZHEN, profiles=FIFTEEN
    ).visits[0]
    assert visit.warnings == []
    assert local(visit.depart) == ("2026-03-11 01:15", "+8")


# --- daylight saving --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "start", "depart", "offsets"),
    [
        # Seattle springs forward at 02:00 on 8 March 2026: 90 minutes after 01:30 is 04:00 wall time
        (LA, at(LA, 2026, 3, 8, 1, 30), ("2026-03-08 04:00", "-7"), ("-8", "-7")),
        # Shenzhen has no daylight saving: the same wall times, 90 minutes later
        (SZ, at(SZ, 2026, 3, 8, 1, 30), ("2026-03-08 03:00", "+8"), ("+8", "+8")),
        # Seattle falls back at 02:00 on 1 November 2026: 00:30 PDT + 90 min = 01:00 PST (the second 01:00)
        (LA, at(LA, 2026, 11, 1, 0, 30), ("2026-11-01 01:00", "-8"), ("-7", "-8")),
        (SZ, at(SZ, 2026, 11, 1, 0, 30), ("2026-11-01 02:00", "+8"), ("+8", "+8")),
    ],
)
def test_visit_across_a_dst_change(
    tz: ZoneInfo, start: datetime, depart: tuple[str, str], offsets: tuple[str, str]
) -> None:
    visit = schedule(
        [spot("p", "24/7", dwell=90)], start=start, mode="walk", timezone=str(tz), profiles=FIFTEEN
    ).visits[0]
    assert local(visit.depart) == depart
    assert (local(visit.start)[1], local(visit.depart)[1]) == offsets
    # elapsed time, whatever the clock says (subtracting the local times themselves would not
    # do: Python subtracts datetimes sharing a tzinfo on the wall clock)
    assert (visit.depart.astimezone(UTC) - visit.start.astimezone(UTC)) == timedelta(minutes=90)


@pytest.mark.parametrize(
    ("tz", "day", "wait"),
    [
        (SEATTLE, (2026, 3, 8), 540),  # midnight PST to 10:00 PDT: only 9 hours
        (SEATTLE, (2026, 3, 9), 600),
        (SEATTLE, (2026, 11, 1), 660),  # midnight PDT to 10:00 PST: 11 hours
        (SHENZHEN, (2026, 3, 8), 600),
        (SHENZHEN, (2026, 11, 1), 600),
    ],
)
def test_waiting_for_opening_across_a_dst_change(tz: str, day: tuple[int, int, int], wait: int) -> None:
    zone = ZoneInfo(tz)
    start = at(zone, *day, 0)
    plan = schedule(
        [spot("p", "Mo-Su 10:00-18:00", dwell=60)], start=start, mode="walk", timezone=tz, profiles=FIFTEEN
    )
    visit = plan.visits[0]
    assert visit.warnings == [OPENS_LATER]
    assert visit.start.strftime("%H:%M") == "10:00"
    assert visit.wait_minutes == pytest.approx(wait)
    assert plan.total_minutes == pytest.approx(wait + 60)


@pytest.mark.parametrize(
    ("dwell", "depart", "warnings"),
    [
        (60, ("2026-11-01 01:00", "-8"), []),  # 01:00 PDT + 60 min = the second 01:00, still open
        (120, ("2026-11-01 02:00", "-8"), [CLOSES_BEFORE_END]),
    ],
)
def test_closing_time_in_the_repeated_hour(dwell: int, depart: tuple[str, str], warnings: list[str]) -> None:
    """Open 00:00-01:30 on the fall-back night: 01:30 happens twice, and the opening-hours
    library closes at the second one (PST), 2.5 real hours after midnight."""
    visit = schedule(
        [spot("p", "Mo-Su 00:00-01:30", dwell=dwell)],
        start=at(LA, 2026, 11, 1, 1, 0),
        mode="walk",
        timezone=SEATTLE,
        profiles=FIFTEEN,
    ).visits[0]
    assert local(visit.depart) == depart
    assert visit.warnings == warnings
    if warnings:
        assert visit.closes_at is not None and local(visit.closes_at) == ("2026-11-01 01:30", "-8")


# --- days -------------------------------------------------------------------------------------


def nine_places() -> list[Place]:
    return [spot(f"p{i}", "24/7", dwell=120, step=i) for i in range(9)]


def day_rows(days: list[Schedule]) -> list[list[tuple[str, str, str]]]:
    return [[(v.place.id, local(v.start)[0], local(v.depart)[0][-5:]) for v in day.visits] for day in days]


def test_split_days_moves_what_ends_after_day_end_to_the_next_morning() -> None:
    days = split_days(
        nine_places(), start=at(SZ, 2026, 3, 10, 9), mode="walk", timezone=SHENZHEN, profiles=FIFTEEN
    )
    assert day_rows(days) == [
        [
            ("p0", "2026-03-10 09:00", "11:00"),
            ("p1", "2026-03-10 11:15", "13:15"),
            ("p2", "2026-03-10 13:30", "15:30"),
            ("p3", "2026-03-10 15:45", "17:45"),
            ("p4", "2026-03-10 18:00", "20:00"),  # ends at 20:00 sharp: stays
        ],
        [
            ("p5", "2026-03-11 09:00", "11:00"),  # would have ended 22:15: moved, no leg before it
            ("p6", "2026-03-11 11:15", "13:15"),
            ("p7", "2026-03-11 13:30", "15:30"),
            ("p8", "2026-03-11 15:45", "17:45"),
        ],
    ]
    assert days[1].visits[0].travel_minutes == 0.0
    assert [d.travel_minutes for d in days] == [pytest.approx(60.0), pytest.approx(45.0)]
    assert days[1].start == at(SZ, 2026, 3, 11, 9)


@pytest.mark.parametrize(
    ("day_end", "next_day_start", "per_day", "second_start"),
    [
        (time(20, 0), None, [5, 4], "2026-03-11 09:00"),
        (time(20, 0), time(10, 30), [5, 4], "2026-03-11 10:30"),
        (time(14, 0), None, [2, 2, 2, 2, 1], "2026-03-11 09:00"),
        (time(23, 0), time(8, 0), [6, 3], "2026-03-11 08:00"),
        (time(1, 0), None, [7, 2], "2026-03-11 09:00"),  # the day ends after midnight
    ],
)
def test_split_days_options(
    day_end: time, next_day_start: time | None, per_day: list[int], second_start: str
) -> None:
    days = split_days(
        nine_places(),
        start=at(SZ, 2026, 3, 10, 9),
        mode="walk",
        timezone=SHENZHEN,
        profiles=FIFTEEN,
        day_end=day_end,
        next_day_start=next_day_start,
    )
    assert [len(d.visits) for d in days] == per_day
    assert local(days[1].start)[0] == second_start
    assert [v.place.id for d in days for v in d.visits] == [f"p{i}" for i in range(9)]


def test_split_days_keeps_the_wall_clock_start_across_spring_forward() -> None:
    places = [spot(f"p{i}", "24/7", dwell=300, step=i) for i in range(4)]
    days = split_days(places, start=at(LA, 2026, 3, 7, 9), mode="walk", timezone=SEATTLE, profiles=FIFTEEN)
    assert [local(d.start) for d in days] == [("2026-03-07 09:00", "-8"), ("2026-03-08 09:00", "-7")]
    assert [len(d.visits) for d in days] == [2, 2]


def test_a_visit_longer_than_a_day_gets_a_day_of_its_own() -> None:
    places = [
        spot("short", dwell=60),
        spot("marathon", dwell=26 * 60, step=1),
        spot("after", dwell=60, step=2),
    ]
    days = split_days(places, start=at(SZ, 2026, 3, 10, 9), mode="walk", timezone=SHENZHEN, profiles=FIFTEEN)
    assert [[v.place.id for v in d.visits] for d in days] == [["short"], ["marathon"], ["after"]]
    # the marathon ends at 11:00 on the 12th, after that day's 09:00 start: the next day is the 13th
    assert local(days[1].end)[0] == "2026-03-12 11:00"
    assert local(days[2].start)[0] == "2026-03-13 09:00"


def test_split_days_of_a_plan_that_fits_is_the_schedule() -> None:
    places = nine_places()[:3]
    kwargs = {"start": at(SZ, 2026, 3, 10, 9), "mode": "walk", "timezone": SHENZHEN, "profiles": FIFTEEN}
    assert split_days(places, **kwargs) == [schedule(places, **kwargs)]  # type: ignore[arg-type]
    assert split_days([], **kwargs) == []  # type: ignore[arg-type]


def test_split_days_checks_opening_hours_on_each_day() -> None:
    """Hours are checked on the day a visit moves to: the museum pushed to Monday is shut."""
    places = [spot("long walk", "24/7", dwell=600), spot("museum", MUSEUM, dwell=120, step=1)]
    days = split_days(places, start=at(SZ, 2026, 3, 8, 9), mode="walk", timezone=SHENZHEN, profiles=FIFTEEN)
    assert [[v.place.id for v in d.visits] for d in days] == [["long walk"], ["museum"]]
    assert days[1].visits[0].warnings == [CLOSED_ON_DATE]


# --- the leg back of a round trip -----------------------------------------------------------


def test_a_round_trip_ends_with_the_leg_back_to_where_it_began() -> None:
    places = [spot("home", dwell=0), spot("a", dwell=45, step=1), spot("b", dwell=30, step=2)]
    one_way = split_days(
        places, start=at(SZ, 2026, 3, 10, 9), mode="walk", timezone=SHENZHEN, profiles=FIFTEEN
    )
    (day,) = with_return(one_way, mode="walk", timezone=SHENZHEN, profiles=FIFTEEN)
    assert one_way[0].back is None and day.back is not None
    assert day.back.place == places[0]
    assert local(day.back.arrive) == ("2026-03-10 11:00", "+8")  # b departs 10:45, 15 min back
    assert day.end == day.back.arrive and day.total_minutes == 120
    assert day.travel_minutes == pytest.approx(one_way[0].travel_minutes + 15) == 45
    assert day.distance_km == pytest.approx(
        one_way[0].distance_km + float(haversine_km(22.543, 114.078, 22.543, 114.058))
    )
    assert day.visits == one_way[0].visits  # the visits do not move


def test_the_leg_back_of_a_plan_of_several_days_is_on_the_last_day() -> None:
    days = split_days(
        nine_places(), start=at(SZ, 2026, 3, 10, 9), mode="walk", timezone=SHENZHEN, profiles=FIFTEEN
    )
    closed = with_return(days, mode="walk", timezone=SHENZHEN, profiles=FIFTEEN)
    assert len(days) > 1 and [d.back is None for d in closed] == [True] * (len(days) - 1) + [False]
    assert closed[:-1] == days[:-1]
    back = closed[-1].back
    assert back is not None and back.place == days[0].visits[0].place


def test_one_place_or_none_has_no_way_back() -> None:
    only = split_days(
        [spot("a")], start=at(SZ, 2026, 3, 10, 9), mode="walk", timezone=SHENZHEN, profiles=FIFTEEN
    )
    assert with_return(only, mode="walk", timezone=SHENZHEN, profiles=FIFTEEN) == only
    assert with_return([], mode="walk", timezone=SHENZHEN, profiles=FIFTEEN) == []
