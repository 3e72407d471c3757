"""Is a programme's schedule feasible? Every problem at once, as codes with their numbers.

The checks, per day and in real (aware) time, so a day across a DST change counts the hour the
clocks skip or repeat:

- ``travel_short``: an item starts sooner after the previous place than the group's travel
  estimate allows (``itinerary.routing``'s per-city estimates; a travel slot or a break in
  between is time to travel in);
- ``overlap``: an item starts before the one before it ends;
- ``outside_hours`` / ``closed_that_day``: an item falls outside its place's opening hours
  (``itinerary.hours``; unknown hours are not checked);
- ``day_too_long``: from the first start to the last end is longer than the programme's
  ``max_day_minutes``.

These are warnings: staff may publish over them, and that choice is recorded (``publish``).
"""

from __future__ import annotations

import math
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from opening_hours import State

from itinerary.hours import parse_hours
from itinerary.i18n import t
from itinerary.programmes.records import Full, Item, elapsed_minutes
from itinerary.routing import ModeProfile, haversine_km, profiles_for, travel_minutes

# A coach with a group: as fast as a car in town, and about ten minutes to board and set down.
COACH = ModeProfile(speed_kmh=30.0, detour_factor=1.4, overhead_minutes=10.0)
CHECKS = ("travel_short", "overlap", "outside_hours", "closed_that_day", "day_too_long")


@dataclass(frozen=True, slots=True)
class PlaceInfo:
    """What the checks and the pages need of a place, a landmark's or a programme venue's."""

    name: str
    name_zh: str
    lat: float
    lon: float
    opening_hours: str = ""
    private: bool = False  # a venue of the programme only


@dataclass(frozen=True, slots=True)
class Warning:
    """One problem of the schedule: its code, the day and item it is about, and its numbers."""

    code: str
    day: str
    position: int
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        return t(f"prog.warn.{self.code}", lang, **{k: _value(v, lang) for k, v in self.values.items()})

    def __str__(self) -> str:
        return self.text("en")


def _value(value: Any, lang: str) -> Any:
    if isinstance(value, tuple) and len(value) == 2 and value[0] in ("mode", "name"):
        kind, payload = value
        if kind == "mode":
            return t(f"prog.mode.{payload}", lang)
        return payload[1] if lang == "zh" and payload[1] else payload[0]
    return value


def mode_profiles(city_id: str) -> dict[str, ModeProfile]:
    """The group's transport profiles in a city: routing's, and the coach."""
    return {**profiles_for(city_id), "coach": COACH}


def places_of(full: Full, landmarks: Mapping[str, PlaceInfo]) -> dict[tuple[str, str], PlaceInfo]:
    """Every place the programme's items name, by ``Item.place_key`` (unknown ones left out)."""
    places = {("landmark", k): v for k, v in landmarks.items()}
    for venue in full.venues:
        places[("venue", venue.id)] = PlaceInfo(
            venue.name, venue.name_zh, venue.lat, venue.lon, venue.opening_hours, private=True
        )
    return places


def _label(item: Item, places: Mapping[tuple[str, str], PlaceInfo]) -> tuple[str, tuple[str, str]]:
    key = item.place_key
    place = places.get(key) if key else None
    if item.title:
        return ("name", (item.title, item.title_zh))
    if place is not None:
        return ("name", (place.name, place.name_zh))
    return ("name", (f"#{item.position}", ""))


def _overlaps(day: str, timed: Sequence[tuple[Item, datetime, datetime]], places: Any) -> list[Warning]:
    found = []
    latest: tuple[Item, datetime] | None = None
    for item, start, end in timed:
        if latest is not None and start < latest[1]:
            found.append(
                Warning(
                    "overlap",
                    day,
                    item.position,
                    {
                        "item": _label(item, places),
                        "other": _label(latest[0], places),
                        "minutes": round(elapsed_minutes(start, latest[1])),
                    },
                )
            )
        if latest is None or end > latest[1]:
            latest = (item, end)
    return found


def _transfers(
    day: str,
    timed: Sequence[tuple[Item, datetime, datetime]],
    places: Mapping[tuple[str, str], PlaceInfo],
    mode: str,
    profiles: Mapping[str, ModeProfile],
) -> list[Warning]:
    found = []
    previous: tuple[Item, PlaceInfo, datetime] | None = None
    for item, start, end in timed:
        place = places.get(item.place_key) if item.place_key else None
        if place is None:
            continue  # a break or a travel slot: time to travel in
        if previous is not None and previous[1] is not place:
            gap = elapsed_minutes(previous[2], start)
            km = float(haversine_km(previous[1].lat, previous[1].lon, place.lat, place.lon))
            need = math.ceil(travel_minutes(km, mode, profiles=profiles))
            if 0 <= gap < need:  # a negative gap is an overlap, reported as such
                found.append(
                    Warning(
                        "travel_short",
                        day,
                        item.position,
                        {
                            "item": _label(item, places),
                            "gap": math.floor(gap),
                            "need": need,
                            "mode": ("mode", mode),
                            "km": round(km, 1),
                        },
                    )
                )
        previous = (item, place, end)
    return found


def open_spans(expression: str, day: str, timezone: str) -> list[tuple[datetime, datetime]] | None:
    """The open spans of a place on ``day`` (local midnight to midnight), None if unknown."""
    tz = zoneinfo.ZoneInfo(timezone)
    midnight = datetime.fromisoformat(day).replace(tzinfo=tz)
    next_midnight = midnight + timedelta(days=1)  # wall-clock arithmetic: the next midnight
    spans, unknown = [], False
    for begin, end, state, _comment in parse_hours(expression, timezone).intervals(midnight, next_midnight):
        if state is State.OPEN:
            spans.append((begin.astimezone(tz), end.astimezone(tz)))
        elif state is State.UNKNOWN:
            unknown = True
    return None if unknown and not spans else spans


def _hours(
    day: str, timed: Sequence[tuple[Item, datetime, datetime]], places: Any, timezone: str
) -> list[Warning]:
    found = []
    for item, start, end in timed:
        place = places.get(item.place_key) if item.place_key else None
        if place is None or not place.opening_hours:
            continue
        spans = open_spans(place.opening_hours, day, timezone)
        if spans is None:
            continue
        if not spans:
            found.append(Warning("closed_that_day", day, item.position, {"item": _label(item, places)}))
        elif not any(b.astimezone(UTC) <= start and end <= e.astimezone(UTC) for b, e in spans):
            hours = ", ".join(f"{b:%H:%M}–{e:%H:%M}" for b, e in spans)
            found.append(
                Warning(
                    "outside_hours",
                    day,
                    item.position,
                    {"item": _label(item, places), "start": item.start, "end": item.end, "hours": hours},
                )
            )
    return found


def check(full: Full, *, timezone: str, landmarks: Mapping[str, PlaceInfo]) -> list[Warning]:
    """Every warning of the programme's schedule, by day and item."""
    programme = full.programme
    places = places_of(full, landmarks)
    profiles = mode_profiles(programme.city_id)
    found: list[Warning] = []
    for day in sorted({i.day for i in full.items}):
        timed = sorted(
            ((i, i.starts_at(timezone), i.ends_at(timezone)) for i in full.items if i.day == day),
            key=lambda entry: (entry[1], entry[0].position),
        )
        found += _overlaps(day, timed, places)
        found += _transfers(day, timed, places, programme.mode, profiles)
        found += _hours(day, timed, places, timezone)
        length = elapsed_minutes(timed[0][1], max(end for _, _, end in timed))
        if length > programme.max_day_minutes:
            found.append(
                Warning(
                    "day_too_long",
                    day,
                    timed[-1][0].position,
                    {"day": day, "minutes": round(length), "limit": programme.max_day_minutes},
                )
            )
    return sorted(found, key=lambda w: (w.day, w.position, CHECKS.index(w.code)))
