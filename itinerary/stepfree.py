"""Plans and itineraries by need: does a landmark meet a visitor's need, which stops of a route
do not (and why), what to visit instead, which legs and days ask too much, and the "inclusive"
label, computed from the landmarks' surveyed access facts (docs/architecture.md, "Step-free
planning").

A need's outcome is ``PASS``, ``FAIL`` or ``UNKNOWN``. A fact nobody surveyed (an empty cell:
None in the model, None or NaN in a frame, or a column that is not there at all) makes the
outcome unknown, never a fail. Every outcome carries its reason as a code with values
(``Reason``), which the UI reads in the visitor's language (strings ``sf.reason.*``).

The rules, one per need:

- ``step_free``: the entrance has no steps (``entrance_steps`` 0) or it has a ramp
  (``entrance_ramp`` yes). Steps and no ramp fail; anything not surveyed is unknown.
- ``toilet``: ``toilet_wheelchair``; ``hearing_loop``: ``hearing_loop``.
- ``quiet``: a quiet space (``quiet_space`` yes), or quiet hours (``quiet_hours``) to go at.

Nothing here reads the older ``wheelchair`` rating: it says how accessible a place is overall,
not whether its entrance has steps.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from itinerary import settings
from itinerary.i18n import t
from itinerary.routing import Schedule, haversine_km, profiles_for

STEP_FREE = "step_free"
TOILET = "toilet"
HEARING_LOOP = "hearing_loop"
QUIET = "quiet"
NEEDS = (STEP_FREE, TOILET, HEARING_LOOP, QUIET)  # the order Explore offers them in

PASS = "pass"
FAIL = "fail"
UNKNOWN = "unknown"

# What the "inclusive" label asks of every stop of an itinerary: the step-free entrance, the
# claim the Shenzhen must-go route makes. One place to widen it (to toilets, say).
INCLUSIVE_NEEDS: tuple[str, ...] = (STEP_FREE,)

# Every reason code a check gives (strings ``sf.reason.<code>``).
REASONS = (
    "no_steps",
    "ramp",
    "ramp_steps",
    "steps",
    "steps_height",
    "steps_ramp_unknown",
    "steps_unknown_no_ramp",
    "entrance_unknown",
    "not_published",
    *(f"{prefix}_{end}" for prefix in ("toilet", "loop") for end in ("yes", "no", "unknown")),
    "quiet_space",
    "quiet_hours",
    "quiet_no",
    "quiet_unknown",
)

# Where the swap comes from: only published landmarks reach visitors.
PUBLISHED = "published"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an outcome is what it is: a code (``sf.reason.<code>``) and the values its text needs."""

    code: str
    values: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str) -> str:
        return t(f"sf.reason.{self.code}", lang, **dict(self.values))

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True, slots=True)
class Check:
    """One need at one landmark: ``PASS``, ``FAIL`` or ``UNKNOWN``, and why."""

    need: str
    outcome: str
    reason: Reason

    @property
    def passes(self) -> bool:
        return self.outcome == PASS


# --- reading the access facts of a record (a mapping, a frame row or a model object) ----------


def _surveyed(value: Any) -> Any:
    """A cell's surveyed value, or None when nobody surveyed it (None, NaN, NA, blank text)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _fact(record: Any, column: str) -> Any:
    """The surveyed value of ``column`` of a record, or None."""
    return _surveyed(record.get(column) if hasattr(record, "get") else getattr(record, column, None))


def _as_yes_no(value: Any) -> bool | None:
    """A tri-state yes/no fact: True, False or None (not surveyed)."""
    value = _surveyed(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):  # a Boolean column read back as 0/1
        return bool(value)
    if isinstance(value, str) and value.lower() in ("yes", "no"):
        return value.lower() == "yes"
    return None


def _as_count(value: Any) -> int | None:
    value = _surveyed(value)
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


def _yes_no(record: Any, column: str) -> bool | None:
    return _as_yes_no(_fact(record, column))


def _count(record: Any, column: str) -> int | None:
    return _as_count(_fact(record, column))


def _reason(code: str, **values: Any) -> Reason:
    return Reason(code, tuple(sorted(values.items())))


# --- the checks, one per need ----------------------------------------------------------------


def _step_free(record: Any) -> Check:
    steps = _count(record, "entrance_steps")
    ramp = _yes_no(record, "entrance_ramp")
    height = _count(record, "entrance_step_height_cm")
    if steps == 0:
        return Check(STEP_FREE, PASS, _reason("no_steps"))
    if ramp is True:
        return Check(STEP_FREE, PASS, _reason("ramp_steps", steps=steps) if steps else _reason("ramp"))
    if steps is None:
        return Check(
            STEP_FREE, UNKNOWN, _reason("steps_unknown_no_ramp" if ramp is False else "entrance_unknown")
        )
    if ramp is False:
        if height is not None:
            return Check(STEP_FREE, FAIL, _reason("steps_height", steps=steps, height=height))
        return Check(STEP_FREE, FAIL, _reason("steps", steps=steps))
    return Check(STEP_FREE, UNKNOWN, _reason("steps_ramp_unknown", steps=steps))


def _yes_no_check(record: Any, need: str, column: str, prefix: str) -> Check:
    value = _yes_no(record, column)
    if value is None:
        return Check(need, UNKNOWN, _reason(f"{prefix}_unknown"))
    return Check(need, PASS if value else FAIL, _reason(f"{prefix}_{'yes' if value else 'no'}"))


def _quiet(record: Any) -> Check:
    space = _yes_no(record, "quiet_space")
    hours = _fact(record, "quiet_hours")
    if space is True:
        return Check(QUIET, PASS, _reason("quiet_space"))
    if hours is not None:
        return Check(QUIET, PASS, _reason("quiet_hours", hours=str(hours)))
    if space is False:
        return Check(QUIET, FAIL, _reason("quiet_no"))
    return Check(QUIET, UNKNOWN, _reason("quiet_unknown"))


def check(record: Any, need: str) -> Check:
    """Whether the landmark ``record`` meets ``need`` (one of ``NEEDS``), and why."""
    if need == STEP_FREE:
        return _step_free(record)
    if need == TOILET:
        return _yes_no_check(record, TOILET, "toilet_wheelchair", "toilet")
    if need == HEARING_LOOP:
        return _yes_no_check(record, HEARING_LOOP, "hearing_loop", "loop")
    if need == QUIET:
        return _quiet(record)
    raise ValueError(f"unknown need {need!r} (expected one of {', '.join(NEEDS)})")


def first_unmet(record: Any, needs: Iterable[str]) -> Check | None:
    """The first of ``needs`` the landmark does not pass (fails or is unknown), else None."""
    for need in needs:
        found = check(record, need)
        if not found.passes:
            return found
    return None


def parse_needs(raw: str | None) -> tuple[list[str], list[str]]:
    """A link's comma list of needs: (the known ones in ``NEEDS`` order, the unknown ones)."""
    values = [v.strip() for v in (raw or "").split(",") if v.strip()]
    return [n for n in NEEDS if n in values], [v for v in values if v not in NEEDS]


def _yes_column(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(False, index=frame.index, dtype=bool)
    return frame[column].map(lambda v: _as_yes_no(v) is True).astype(bool)


def _passes(frame: pd.DataFrame, need: str) -> pd.Series:
    """``check(row, need).passes`` for every row at once, column by column (a row-by-row check
    took about 1 s at 10,000 landmarks). The same rules as the checks above; a test runs every
    case of the checks through both."""
    if need == STEP_FREE:
        steps = (
            frame["entrance_steps"].map(lambda v: _as_count(v) == 0).astype(bool)
            if "entrance_steps" in frame.columns
            else pd.Series(False, index=frame.index, dtype=bool)
        )
        return steps | _yes_column(frame, "entrance_ramp")
    if need == TOILET:
        return _yes_column(frame, "toilet_wheelchair")
    if need == HEARING_LOOP:
        return _yes_column(frame, "hearing_loop")
    if need == QUIET:
        hours = (
            frame["quiet_hours"].map(lambda v: _surveyed(v) is not None).astype(bool)
            if "quiet_hours" in frame.columns
            else pd.Series(False, index=frame.index, dtype=bool)
        )
        return _yes_column(frame, "quiet_space") | hours
    raise ValueError(f"unknown need {need!r} (expected one of {', '.join(NEEDS)})")


def needs_mask(frame: pd.DataFrame, needs: Iterable[str]) -> pd.Series:
    """For each row of a landmarks frame: does it pass every one of ``needs``?"""
    mask = pd.Series(True, index=frame.index, dtype=bool)
    for need in needs:
        mask &= _passes(frame, need)
    return mask


# --- swaps ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Swap:
    """A landmark to visit instead of a stop, and how far it is from that stop."""

    landmark_id: str
    metres: int


def _shares_theme(candidates: pd.DataFrame, themes: Sequence[str]) -> pd.Series:
    wanted = frozenset(themes)
    return candidates["themes"].map(lambda ts: not wanted.isdisjoint(ts)).astype(bool)


def swap_for(
    landmarks: pd.DataFrame, landmark_id: str, *, needs: Sequence[str], exclude: Iterable[str] = ()
) -> Swap | None:
    """The nearest published landmark of the same city and theme that passes ``needs``, for the
    stop ``landmark_id`` (rows of ``Catalog.landmarks``, ``themes`` as tuples). A landmark that
    shares the stop's first theme wins over one that shares another of its themes; landmarks in
    ``exclude`` (the route's other stops) are never offered. None when nothing fits."""
    stop: dict[Any, Any] = landmarks.loc[landmark_id].to_dict()
    themes = tuple(stop["themes"])
    if not themes:
        return None
    skip = {landmark_id, *exclude}
    pool = landmarks[
        (landmarks["city_id"] == stop["city_id"])
        & (landmarks["status"] == PUBLISHED)
        & ~landmarks["id"].isin(skip)
    ]
    pool = pool[_shares_theme(pool, themes)]
    pool = pool[needs_mask(pool, needs)] if not pool.empty else pool
    for group in (pool[_shares_theme(pool, themes[:1])], pool):
        if not group.empty:
            km = haversine_km(
                float(stop["lat"]), float(stop["lon"]), group["lat"].to_numpy(), group["lon"].to_numpy()
            )
            best = int(km.argmin())
            return Swap(str(group["id"].iloc[best]), round(float(km[best]) * 1000))
    return None


def swapped(ids: Sequence[str], old: str, new: str) -> list[str]:
    """The route ``ids`` with ``old`` replaced by ``new`` in its place."""
    return [new if x == old else x for x in ids]


def swap_all(ids: Sequence[str], issues: Iterable[StopIssue]) -> tuple[list[str], int]:
    """The route ``ids`` with every issue's swap made, and how many were made. Two stops offered
    the same swap get it once: the first in the route takes it, the other stays."""
    result = list(ids)
    made = 0
    for issue in issues:
        if issue.swap is not None and issue.swap.landmark_id not in result:
            result = swapped(result, issue.landmark_id, issue.swap.landmark_id)
            made += 1
    return result, made


# --- a route: its stops, its legs on foot, its days ----------------------------------------------


@dataclass(frozen=True, slots=True)
class StopIssue:
    """A stop of a route that fails a need or whose access is unknown, with a swap if any."""

    number: int  # the stop's number on the route, from 1 (a start point is not a stop)
    landmark_id: str
    check: Check
    swap: Swap | None


@dataclass(frozen=True, slots=True)
class LongLeg:
    """A leg on foot longer than the setting: to stop ``number``, about ``metres`` walked."""

    number: int
    landmark_id: str
    metres: int


@dataclass(frozen=True, slots=True)
class LongStretch:
    """Walking and visiting for ``minutes`` on day ``day`` from ``first`` to ``last`` (landmark
    ids) without a stop known to have seating."""

    day: int
    first: str
    last: str
    minutes: int


@dataclass(frozen=True)
class RouteReport:
    """What a route asks of a visitor with ``needs``: stops, legs and stretches to look at."""

    needs: tuple[str, ...]
    checks: tuple[tuple[int, str, Check], ...]  # (number, landmark id, the first unmet or a pass)
    issues: tuple[StopIssue, ...] = ()
    long_legs: tuple[LongLeg, ...] = ()
    long_stretches: tuple[LongStretch, ...] = ()
    walk_limit_m: int = 0
    seat_limit_minutes: int = 0

    @property
    def all_pass(self) -> bool:
        return bool(self.checks) and not self.issues


def _walked_metres(km: float, city_id: str) -> int:
    """A leg's estimated length on foot: the straight line times the city's walking detour."""
    return round(km * profiles_for(city_id)["walk"].detour_factor * 1000)


def long_legs(
    days: Sequence[Schedule], landmarks: pd.DataFrame, *, mode: str, city_id: str, limit_m: float
) -> list[LongLeg]:
    """The legs on foot (every leg of a walking route) longer than ``limit_m`` metres."""
    if mode != "walk":
        return []
    found: list[LongLeg] = []
    for number, visit in _numbered(days, landmarks):
        metres = _walked_metres(visit.distance_km, city_id)
        if visit.travel_minutes > 0 and metres > limit_m:
            found.append(LongLeg(number, visit.place.id, metres))
    return found


def _numbered(days: Sequence[Schedule], landmarks: pd.DataFrame) -> list[tuple[int, Any]]:
    """The visits to landmarks with their stop numbers (a start point is not numbered)."""
    visits = [v for day in days for v in day.visits if v.place.id in landmarks.index]
    return list(enumerate(visits, start=1))


def long_stretches(
    days: Sequence[Schedule], landmarks: pd.DataFrame, *, mode: str, limit_minutes: float
) -> list[LongStretch]:
    """Stretches of more than ``limit_minutes`` on one's feet without a seated break, day by day.

    On one's feet: every visit, and every leg of a walking route (the legs of other modes are
    neither counted nor a rest). A seated break: a stop whose ``seating`` is yes; the time up
    to arriving there counts, the visit itself is the rest. Seating not surveyed is no break.
    """
    found: list[LongStretch] = []
    for day_no, day in enumerate(days, start=1):
        run, first, last = 0.0, "", ""
        for visit in day.visits:
            run += visit.travel_minutes if mode == "walk" else 0.0
            pid = visit.place.id
            if pid not in landmarks.index:
                continue  # a start point: no visit, but the leg from it was walked
            if _yes_no(landmarks.loc[pid], "seating") is True:
                if run > limit_minutes and first:
                    found.append(LongStretch(day_no, first, last, round(run)))
                run, first, last = 0.0, "", ""
                continue
            first, last = first or pid, pid
            run += visit.place.dwell_minutes
        if run > limit_minutes and first:
            found.append(LongStretch(day_no, first, last, round(run)))
    return found


def check_route(
    landmarks: pd.DataFrame,
    days: Sequence[Schedule],
    *,
    mode: str,
    city_id: str,
    needs: Sequence[str] = (STEP_FREE,),
    walk_limit_m: float | None = None,
    seat_limit_minutes: float | None = None,
) -> RouteReport:
    """Every stop of a scheduled route (``plan_days``) against ``needs``, with a swap for each
    stop that does not pass; its long legs on foot and its long stretches without a seat.
    ``landmarks`` are the rows of ``Catalog.landmarks`` the route's stops come from."""
    walk = settings.step_free_walk_m() if walk_limit_m is None else walk_limit_m
    seat = settings.seated_break_minutes() if seat_limit_minutes is None else seat_limit_minutes
    numbered = _numbered(days, landmarks)
    ids = [visit.place.id for _, visit in numbered]
    checks, issues = [], []
    for number, visit in numbered:
        lid = visit.place.id
        unmet = first_unmet(landmarks.loc[lid], needs)
        checks.append((number, lid, unmet or check(landmarks.loc[lid], needs[0])))
        if unmet is not None:
            issues.append(StopIssue(number, lid, unmet, swap_for(landmarks, lid, needs=needs, exclude=ids)))
    return RouteReport(
        needs=tuple(needs),
        checks=tuple(checks),
        issues=tuple(issues),
        long_legs=tuple(long_legs(days, landmarks, mode=mode, city_id=city_id, limit_m=walk)),
        long_stretches=tuple(long_stretches(days, landmarks, mode=mode, limit_minutes=seat)),
        walk_limit_m=round(walk),
        seat_limit_minutes=round(seat),
    )


# --- the "inclusive" label -----------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    """The "inclusive" label of an itinerary: earned only when every stop passes every one of
    ``INCLUSIVE_NEEDS``. ``reasons`` are each stop's checks (number, landmark id, check): the
    passes that earn it, or, when it is not earned, the stops that stand in the way."""

    inclusive: bool
    reasons: tuple[tuple[int, str, Check], ...] = field(default_factory=tuple)
    stops: int = 0

    @property
    def standing_in_the_way(self) -> tuple[tuple[int, str, Check], ...]:
        return tuple(r for r in self.reasons if not r[2].passes)


def inclusive_label(landmarks: pd.DataFrame, ids: Sequence[str]) -> Label:
    """The label of a route of landmark ``ids`` (in order), from the data: never typed by staff.
    A route with no stops has none. A stop missing from ``landmarks`` stands in the way."""
    reasons: list[tuple[int, str, Check]] = []
    for number, lid in enumerate(ids, start=1):
        if lid not in landmarks.index:
            reasons.append((number, lid, Check(INCLUSIVE_NEEDS[0], UNKNOWN, _reason("not_published"))))
            continue
        record = landmarks.loc[lid]
        unmet = first_unmet(record, INCLUSIVE_NEEDS)
        reasons.append((number, lid, unmet or check(record, INCLUSIVE_NEEDS[0])))
    earned = bool(reasons) and all(c.passes for _, _, c in reasons)
    shown = tuple(reasons) if earned else tuple(r for r in reasons if not r[2].passes)
    return Label(inclusive=earned, reasons=shown, stops=len(ids))


def counts(label: Label) -> Mapping[str, int]:
    """How many stops stand in the way of a label, by outcome (``FAIL``, ``UNKNOWN``)."""
    way = label.standing_in_the_way
    return {
        FAIL: sum(c.outcome == FAIL for _, _, c in way),
        UNKNOWN: sum(c.outcome == UNKNOWN for _, _, c in way),
    }
