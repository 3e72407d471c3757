"""Step-free planning (itinerary/stepfree.py): each need's check, table-driven on crafted rows,
swaps, long legs and days, the "inclusive" label, and Explore's filters in the link."""

from __future__ import annotations

import csv
from datetime import date, time
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from itinerary import seed, stepfree
from itinerary.catalog import (
    FilterLink,
    LandmarkFilter,
    filter_landmarks,
    filter_link_params,
    read_filter_link,
)
from itinerary.plans import places_for, plan_days
from itinerary.stepfree import FAIL, PASS, UNKNOWN
from tests.conftest import DATA

NAN = float("nan")


# --- each need on crafted rows: (facts, need, outcome, reason code, reason values) -------------

CASES: list[tuple[dict[str, Any], str, str, str, dict[str, Any]]] = [
    ({"entrance_steps": 0}, "step_free", PASS, "no_steps", {}),
    ({"entrance_steps": 0, "entrance_ramp": "no"}, "step_free", PASS, "no_steps", {}),
    ({"entrance_steps": 3, "entrance_ramp": "yes"}, "step_free", PASS, "ramp_steps", {"steps": 3}),
    ({"entrance_ramp": "yes"}, "step_free", PASS, "ramp", {}),
    ({"entrance_steps": 2, "entrance_ramp": "no"}, "step_free", FAIL, "steps", {"steps": 2}),
    (
        {"entrance_steps": 1, "entrance_step_height_cm": 4, "entrance_ramp": "no"},
        "step_free",
        FAIL,
        "steps_height",
        {"steps": 1, "height": 4},
    ),
    ({"entrance_steps": 2}, "step_free", UNKNOWN, "steps_ramp_unknown", {"steps": 2}),
    ({"entrance_ramp": "no"}, "step_free", UNKNOWN, "steps_unknown_no_ramp", {}),
    ({}, "step_free", UNKNOWN, "entrance_unknown", {}),
    ({"entrance_steps": NAN, "entrance_ramp": NAN}, "step_free", UNKNOWN, "entrance_unknown", {}),
    ({"entrance_steps": None, "entrance_ramp": ""}, "step_free", UNKNOWN, "entrance_unknown", {}),
    ({"entrance_steps": 0.0}, "step_free", PASS, "no_steps", {}),  # an int column with gaps is float
    # the older rating says nothing about the entrance's steps
    ({"wheelchair": "yes"}, "step_free", UNKNOWN, "entrance_unknown", {}),
    ({"wheelchair": "no"}, "step_free", UNKNOWN, "entrance_unknown", {}),
    ({"toilet_wheelchair": "yes"}, "toilet", PASS, "toilet_yes", {}),
    ({"toilet_wheelchair": "no"}, "toilet", FAIL, "toilet_no", {}),
    ({"toilet_wheelchair": None}, "toilet", UNKNOWN, "toilet_unknown", {}),
    # the model and the database hold yes/no as booleans (and a frame may read them back as 0/1)
    ({"toilet_wheelchair": True}, "toilet", PASS, "toilet_yes", {}),
    ({"toilet_wheelchair": False}, "toilet", FAIL, "toilet_no", {}),
    ({"entrance_steps": 2.0, "entrance_ramp": 1.0}, "step_free", PASS, "ramp_steps", {"steps": 2}),
    ({"entrance_steps": 2, "entrance_ramp": False}, "step_free", FAIL, "steps", {"steps": 2}),
    ({"quiet_space": True}, "quiet", PASS, "quiet_space", {}),
    ({"hearing_loop": "yes"}, "hearing_loop", PASS, "loop_yes", {}),
    ({"hearing_loop": "no"}, "hearing_loop", FAIL, "loop_no", {}),
    ({}, "hearing_loop", UNKNOWN, "loop_unknown", {}),
    ({"quiet_space": "yes"}, "quiet", PASS, "quiet_space", {}),
    (
        {"quiet_space": "no", "quiet_hours": "Tu 09:00-10:00"},
        "quiet",
        PASS,
        "quiet_hours",
        {"hours": "Tu 09:00-10:00"},
    ),
    ({"quiet_hours": "Su 08:00-09:00"}, "quiet", PASS, "quiet_hours", {"hours": "Su 08:00-09:00"}),
    ({"quiet_space": "no"}, "quiet", FAIL, "quiet_no", {}),
    ({"quiet_space": None, "quiet_hours": None}, "quiet", UNKNOWN, "quiet_unknown", {}),
]


@pytest.mark.parametrize(("facts", "need", "outcome", "code", "values"), CASES)
def test_each_need_on_crafted_rows(
    facts: dict[str, Any], need: str, outcome: str, code: str, values: dict[str, Any]
) -> None:
    for record in (facts, pd.Series(facts, dtype=object), SimpleNamespace(**facts)):
        found = stepfree.check(record, need)
        assert (found.need, found.outcome, found.reason.code) == (need, outcome, code)
        assert dict(found.reason.values) == values
        assert code in stepfree.REASONS
        assert found.passes == (outcome == PASS)


def test_the_frame_filter_and_the_check_agree_on_every_case() -> None:
    rows = pd.DataFrame([facts for facts, *_ in CASES], dtype=object)
    for need in stepfree.NEEDS:
        mask = stepfree.needs_mask(rows, [need])
        assert list(mask) == [stepfree.check(r, need).passes for r in rows.to_dict("records")], need


def test_reasons_read_in_both_languages() -> None:
    reason = stepfree.check(
        {"entrance_steps": 2, "entrance_step_height_cm": 15, "entrance_ramp": "no"}, "step_free"
    )
    assert reason.reason.text("en") == "Entrance steps: 2 of 15 cm, no ramp"
    assert reason.reason.text("zh") == "入口台阶：2 级，每级 15 厘米，无坡道"
    assert str(reason.reason) == "Entrance steps: 2 of 15 cm, no ramp"
    assert stepfree.check({}, "quiet").reason.text("zh") == "安静空间未调查"


def test_an_unknown_need_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown need"):
        stepfree.check({}, "lift")


@pytest.mark.parametrize(
    ("raw", "known", "unknown"),
    [
        (None, [], []),
        ("", [], []),
        ("quiet,step_free", ["step_free", "quiet"], []),  # in NEEDS order
        ("toilet, lift ,,", ["toilet"], ["lift"]),
    ],
)
def test_parse_needs(raw: str | None, known: list[str], unknown: list[str]) -> None:
    assert stepfree.parse_needs(raw) == (known, unknown)


# --- frames: filters and swaps -----------------------------------------------------------------


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A landmarks frame as ``Catalog.landmarks`` gives it (the columns the checks read)."""
    base = {
        "city_id": "shenzhen",
        "status": "published",
        "themes": ("culture",),
        "lat": 22.54,
        "lon": 114.05,
        "visit_minutes": 60,
        "opening_hours": "24/7",
        "wheelchair": "unknown",
        "price": "free",
        "district": "Futian",
        "search_text": "",
    }
    records = [{**base, **row} for row in rows]
    out = pd.DataFrame(records)
    out["is_free"] = out["price"] == "free"
    return out.set_index("id", drop=False)


def test_the_needs_filter_keeps_only_surveyed_passes() -> None:
    lms = frame(
        [
            {"id": "a", "entrance_steps": 0, "toilet_wheelchair": "yes"},
            {"id": "b", "entrance_steps": 2, "entrance_ramp": "yes", "toilet_wheelchair": "no"},
            {"id": "c", "entrance_steps": 2, "entrance_ramp": "no"},
            {"id": "d"},  # not surveyed: never shown as meeting a need
        ]
    )
    pick = lambda needs: list(  # noqa: E731
        filter_landmarks(lms, LandmarkFilter(needs=frozenset(needs)), timezone="Asia/Shanghai")["id"]
    )
    assert pick([]) == ["a", "b", "c", "d"]
    assert pick(["step_free"]) == ["a", "b"]
    assert pick(["step_free", "toilet"]) == ["a"]
    assert pick(["hearing_loop"]) == []
    assert not LandmarkFilter(needs=frozenset({"quiet"})).is_empty


def test_the_filter_works_before_the_access_columns_exist() -> None:
    lms = frame([{"id": "a"}, {"id": "b"}])
    assert filter_landmarks(lms, LandmarkFilter(needs=frozenset({"step_free"})), timezone="UTC").empty


STEP_FREE_ROWS = [
    {"id": "stop", "themes": ("culture", "history"), "lat": 22.5400, "lon": 114.0500, "entrance_steps": 3},
    # passes, shares the first theme, 1.1 km away
    {"id": "near-first", "themes": ("culture",), "lat": 22.5500, "lon": 114.0500, "entrance_steps": 0},
    # passes, shares only the second theme, closer (0.2 km)
    {"id": "near-second", "themes": ("history",), "lat": 22.5418, "lon": 114.0500, "entrance_ramp": "yes"},
    # closest of all but no ramp, a draft, another city, another theme, or already on the route
    {
        "id": "steps",
        "themes": ("culture",),
        "lat": 22.5401,
        "lon": 114.0500,
        "entrance_steps": 1,
        "entrance_ramp": "no",
    },
    {
        "id": "draft",
        "themes": ("culture",),
        "lat": 22.5402,
        "lon": 114.0500,
        "entrance_steps": 0,
        "status": "draft",
    },
    {
        "id": "elsewhere",
        "themes": ("culture",),
        "lat": 22.5403,
        "lon": 114.0500,
        "entrance_steps": 0,
        "city_id": "x",
    },
    {"id": "food", "themes": ("food",), "lat": 22.5404, "lon": 114.0500, "entrance_steps": 0},
    {"id": "on-route", "themes": ("culture",), "lat": 22.5405, "lon": 114.0500, "entrance_steps": 0},
]


def test_the_swap_is_the_nearest_published_passing_place_of_the_same_theme_and_city() -> None:
    lms = frame(STEP_FREE_ROWS)
    swap = stepfree.swap_for(lms, "stop", needs=["step_free"], exclude=["on-route"])
    assert swap is not None
    assert swap.landmark_id == "near-first"  # the stop's first theme wins over a nearer second-theme place
    assert swap.metres == pytest.approx(1112, abs=2)
    without_first = lms.drop(index="near-first")
    second = stepfree.swap_for(without_first, "stop", needs=["step_free"], exclude=["on-route"])
    assert second == stepfree.Swap("near-second", 200)
    assert (
        stepfree.swap_for(
            lms.loc[["stop", "steps", "draft", "elsewhere", "food"]], "stop", needs=["step_free"]
        )
        is None
    )
    assert stepfree.swapped(["a", "stop", "b"], "stop", "near-first") == ["a", "near-first", "b"]


# --- routes: stops, legs on foot, days without a seat -----------------------------------------

# Three places 0.9 km apart (walked: about 1.2 km at the walking detour of 1.3) and one next door
ROUTE_ROWS = [
    {"id": "p1", "lat": 22.5400, "lon": 114.0500, "entrance_steps": 0, "visit_minutes": 60, "seating": "no"},
    {
        "id": "p2",
        "lat": 22.5481,
        "lon": 114.0500,
        "entrance_steps": 2,
        "entrance_ramp": "no",
        "visit_minutes": 60,
    },
    {"id": "p3", "lat": 22.5482, "lon": 114.0500, "visit_minutes": 30, "seating": "yes"},
    {"id": "p4", "lat": 22.5563, "lon": 114.0500, "entrance_ramp": "yes", "visit_minutes": 90},
    {"id": "swap", "lat": 22.5490, "lon": 114.0500, "entrance_steps": 0},
]


def days_of(lms: pd.DataFrame, ids: list[str], mode: str) -> list[Any]:
    return plan_days(
        places_for(lms, ids),
        day=date(2026, 12, 1),
        start_time=time(9),
        mode=mode,
        city_id="shenzhen",
        timezone="Asia/Shanghai",
    )


def test_a_walking_route_flags_stops_long_legs_and_long_stretches() -> None:
    lms = frame(ROUTE_ROWS)
    ids = ["p1", "p2", "p3", "p4"]
    days = days_of(lms, ids, "walk")
    report = stepfree.check_route(
        lms, days, mode="walk", city_id="shenzhen", walk_limit_m=500, seat_limit_minutes=120
    )
    assert [(i.number, i.landmark_id, i.check.outcome, i.check.reason.code) for i in report.issues] == [
        (2, "p2", FAIL, "steps"),
        (3, "p3", UNKNOWN, "entrance_unknown"),
    ]
    assert [i.swap.landmark_id if i.swap else None for i in report.issues] == ["swap", "swap"]
    assert [(leg.number, leg.landmark_id) for leg in report.long_legs] == [(2, "p2"), (4, "p4")]
    assert all(1150 < leg.metres < 1250 for leg in report.long_legs)
    # p1 60 + walk about 16 + p2 60 + about 0 to the seat at p3: over 120 min; then p4's leg + 90
    stretches = [(s.day, s.first, s.last) for s in report.long_stretches]
    assert stretches == [(1, "p1", "p2")]
    assert report.long_stretches[0].minutes == pytest.approx(
        60 + 60 + days[0].visits[1].travel_minutes, abs=1.5
    )
    assert not report.all_pass
    assert [n for n, _, _ in report.checks] == [1, 2, 3, 4]


def test_legs_by_transit_are_not_walked_and_visits_alone_can_be_too_long() -> None:
    lms = frame(ROUTE_ROWS)
    days = days_of(lms, ["p1", "p4"], "transit")
    report = stepfree.check_route(
        lms, days, mode="transit", city_id="shenzhen", walk_limit_m=500, seat_limit_minutes=100
    )
    assert report.long_legs == ()
    assert report.issues == ()
    assert report.all_pass
    assert [(s.first, s.last, s.minutes) for s in report.long_stretches] == [("p1", "p4", 150)]
    alone = stepfree.long_stretches(days_of(lms, ["p4"], "walk"), lms, mode="walk", limit_minutes=60)
    assert [(s.first, s.last, s.minutes) for s in alone] == [("p4", "p4", 90)]


def test_the_limits_default_to_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    lms = frame(ROUTE_ROWS)
    days = days_of(lms, ["p1", "p2"], "walk")
    monkeypatch.delenv("CITYPLUS_STEP_FREE_WALK_M", raising=False)
    monkeypatch.delenv("CITYPLUS_SEATED_BREAK_MINUTES", raising=False)
    report = stepfree.check_route(lms, days, mode="walk", city_id="shenzhen")
    assert (report.walk_limit_m, report.seat_limit_minutes) == (500, 120)
    assert len(report.long_legs) == 1
    monkeypatch.setenv("CITYPLUS_STEP_FREE_WALK_M", "1500")
    monkeypatch.setenv("CITYPLUS_SEATED_BREAK_MINUTES", "600")
    report = stepfree.check_route(lms, days, mode="walk", city_id="shenzhen")
    assert (report.walk_limit_m, report.seat_limit_minutes) == (1500, 600)
    assert report.long_legs == () and report.long_stretches == ()


def test_the_label_is_earned_only_when_every_stop_passes() -> None:
    lms = frame(ROUTE_ROWS)
    earned = stepfree.inclusive_label(lms, ["p1", "p4", "swap"])
    assert earned.inclusive
    assert [(n, lid, c.reason.code) for n, lid, c in earned.reasons] == [
        (1, "p1", "no_steps"),
        (2, "p4", "ramp"),
        (3, "swap", "no_steps"),
    ]
    missing = stepfree.inclusive_label(lms, ["p1", "p2", "p3", "gone"])
    assert not missing.inclusive
    assert [(n, lid, c.outcome, c.reason.code) for n, lid, c in missing.reasons] == [
        (2, "p2", FAIL, "steps"),
        (3, "p3", UNKNOWN, "entrance_unknown"),
        (4, "gone", UNKNOWN, "not_published"),
    ]
    assert missing.standing_in_the_way == missing.reasons
    assert stepfree.counts(missing) == {FAIL: 1, UNKNOWN: 2}
    assert not stepfree.inclusive_label(lms, []).inclusive  # no stops, no label


# --- Explore's filters in the link -------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "link", "bad"),
    [
        ({}, FilterLink(), []),
        (
            {
                "wheelchair": "limited",
                "free": "1",
                "open": "1",
                "need": "quiet,step_free",
                "district": "Futian,Nanshan",
            },
            FilterLink("limited", True, True, ("step_free", "quiet"), ("Futian", "Nanshan")),
            [],
        ),
        (
            {
                "wheelchair": "maybe",
                "free": "yes",
                "open": "0",
                "need": "lift,toilet",
                "district": "Atlantis",
            },
            FilterLink(needs=("toilet",)),
            [
                ("wheelchair", "maybe"),
                ("free", "yes"),
                ("open", "0"),
                ("need", "lift"),
                ("district", "Atlantis"),
            ],
        ),
    ],
)
def test_filters_in_the_link(params: dict[str, str], link: FilterLink, bad: list[tuple[str, str]]) -> None:
    assert read_filter_link(params, districts=["Futian", "Nanshan"]) == (link, bad)
    written = {k: v for k, v in filter_link_params(link).items() if v is not None}
    assert read_filter_link(written, districts=["Futian", "Nanshan"]) == (link, [])  # the round trip


def test_nan_is_not_surveyed() -> None:
    assert stepfree.check({"seating": NAN, "entrance_steps": NAN}, "step_free").outcome == UNKNOWN


# --- the shipped data: real rows -----------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Any:
    return seed.load_dir(DATA)


def raw_rows() -> dict[str, dict[str, str]]:
    with (DATA / "landmarks.csv").open(encoding="utf-8", newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


@pytest.mark.parametrize(
    ("landmark_id", "outcome", "code"),
    [
        ("huaqiang-north", PASS, "no_steps"),  # entrance_steps 0 (data/SOURCES.md)
        ("shenzhen-bay-park", PASS, "no_steps"),
    ],
)
def test_surveyed_shenzhen_rows(shipped: Any, landmark_id: str, outcome: str, code: str) -> None:
    landmark = next(lm for lm in shipped.landmarks if lm.id == landmark_id)
    found = stepfree.check(landmark, "step_free")
    assert (found.outcome, found.reason.code) == (outcome, code)


def test_a_row_nobody_surveyed_is_unknown_for_every_need_never_a_fail(shipped: Any) -> None:
    raw = raw_rows()
    access = (
        "entrance_steps",
        "entrance_ramp",
        "toilet_wheelchair",
        "hearing_loop",
        "quiet_space",
        "quiet_hours",
    )
    blank = [lm for lm in shipped.landmarks if not any(raw[lm.id].get(c, "") for c in access)]
    assert len(blank) > 10  # most places are not surveyed yet
    for landmark in blank:
        assert {stepfree.check(landmark, need).outcome for need in stepfree.NEEDS} == {UNKNOWN}, landmark.id


def test_the_must_go_itinerary_shows_what_stands_between_it_and_the_label(shipped: Any) -> None:
    raw = raw_rows()
    ids = [
        s.landmark_id
        for s in sorted(shipped.stops, key=lambda s: s.position)
        if s.itinerary_id == "shenzhen-must-go"
    ]
    assert len(ids) == 8
    frame = pd.DataFrame(
        [
            {"id": lm.id, **{c: getattr(lm, c) for c in ("entrance_steps", "entrance_ramp")}}
            for lm in shipped.landmarks
        ]
    ).set_index("id", drop=False)
    label = stepfree.inclusive_label(frame, ids)
    # the rule read straight off the file's cells: no steps, or a ramp
    step_free = {
        lid for lid in ids if raw[lid]["entrance_steps"] == "0" or raw[lid]["entrance_ramp"] == "yes"
    }
    assert {"huaqiang-north", "shenzhen-bay-park"} <= step_free
    assert [lid for _, lid, _ in label.standing_in_the_way] == [lid for lid in ids if lid not in step_free]
    assert label.inclusive == (step_free == set(ids))
    assert not label.inclusive  # as shipped: six of the eight stops are not surveyed
    assert all(c.outcome in (FAIL, UNKNOWN) for _, _, c in label.standing_in_the_way)


def test_all_swaps_at_once_never_put_a_place_in_twice() -> None:
    unknown = stepfree.Check("step_free", UNKNOWN, stepfree.Reason("entrance_unknown"))
    issues = [
        stepfree.StopIssue(1, "a", unknown, stepfree.Swap("x", 100)),
        stepfree.StopIssue(2, "b", unknown, stepfree.Swap("x", 300)),  # the same place: b stays
        stepfree.StopIssue(3, "c", unknown, None),
        stepfree.StopIssue(4, "d", unknown, stepfree.Swap("y", 50)),
    ]
    assert stepfree.swap_all(["a", "b", "c", "d"], issues) == (["x", "b", "c", "y"], 2)
    assert stepfree.swap_all(["a"], []) == (["a"], 0)
