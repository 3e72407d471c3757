"""The typed records of a programme: a dated schedule for a delegation, a tour or a conference.

A programme belongs to a city and runs on one or more days in the city's time zone. Its items
have fixed local start and end times and a place: a published landmark (``landmark_id``) or a
venue of the programme only (``venue_id``: a meeting room that Explore never shows). A break
or a travel slot may have no place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

KINDS = ("delegation", "tour", "conference")  # delegation visit, public tour, conference
VISIBILITIES = ("public", "unlisted")
# the group's transport; coach has no profile of its own in routing (see feasibility.COACH)
PROGRAMME_MODES = ("walk", "coach", "transit", "drive")
ITEM_KINDS = ("visit", "meeting", "meal", "break", "travel")
PLACELESS_KINDS = ("break", "travel")  # the kinds that may have no place
FILES = ("programmes.csv", "programme_venues.csv", "programme_items.csv")


@dataclass(frozen=True, slots=True)
class Programme:
    id: str
    city_id: str
    title: str
    title_zh: str
    summary: str
    summary_zh: str
    kind: str
    start_date: str  # YYYY-MM-DD, in the city's time zone
    end_date: str  # YYYY-MM-DD, the last day (the same as start_date for one day)
    host: str
    host_zh: str
    mode: str
    visibility: str
    max_day_minutes: int  # a day longer than this (first start to last end) is a warning
    status: str

    @property
    def first_day(self) -> date:
        return date.fromisoformat(self.start_date)

    @property
    def last_day(self) -> date:
        return date.fromisoformat(self.end_date)

    @property
    def days(self) -> tuple[date, ...]:
        count = (self.last_day - self.first_day).days + 1
        return tuple(self.first_day + timedelta(days=n) for n in range(max(count, 0)))


@dataclass(frozen=True, slots=True)
class Venue:
    """A place of one programme only (never a landmark, never on Explore)."""

    programme_id: str
    id: str
    name: str
    name_zh: str
    lat: float
    lon: float
    address: str
    address_zh: str
    opening_hours: str  # OpenStreetMap syntax; empty: not known (not checked)


@dataclass(frozen=True, slots=True)
class Item:
    programme_id: str
    position: int
    day: str  # YYYY-MM-DD
    start: str  # HH:MM local
    end: str  # HH:MM local, after start
    kind: str
    landmark_id: str
    venue_id: str
    title: str
    title_zh: str
    note: str
    note_zh: str

    @property
    def place_key(self) -> tuple[str, str] | None:
        """("landmark", id), ("venue", id) or None for an item without a place."""
        if self.landmark_id:
            return ("landmark", self.landmark_id)
        if self.venue_id:
            return ("venue", self.venue_id)
        return None

    # In UTC: Python compares and subtracts two datetimes of one tzinfo by their wall times,
    # which is an hour off across a DST change.
    def starts_at(self, timezone: str) -> datetime:
        return local_moment(self.day, self.start, timezone).astimezone(UTC)

    def ends_at(self, timezone: str) -> datetime:
        return local_moment(self.day, self.end, timezone).astimezone(UTC)


def local_moment(day: str, hhmm: str, timezone: str) -> datetime:
    """The aware moment of a local date and wall time (the first of two on the night clocks go
    back; a wall time the clocks skip is read as the moment it would have been, an hour on)."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    naive = datetime.combine(date.fromisoformat(day), time(hour, minute))
    return naive.replace(tzinfo=ZoneInfo(timezone))


def wall_time_exists(day: str, hhmm: str, timezone: str) -> bool:
    """False for a wall time the clocks skip (02:30 on the last Sunday of March in The Hague)."""
    moment = local_moment(day, hhmm, timezone)
    back = moment.astimezone(ZoneInfo("UTC")).astimezone(ZoneInfo(timezone))
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def elapsed_minutes(start: datetime, end: datetime) -> float:
    """Real minutes between two aware moments (across a DST change too, whatever their zones)."""
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 60.0


@dataclass(frozen=True, slots=True)
class ProgrammeSet:
    """Programmes with their venues and items: what the files hold and the store saves."""

    programmes: tuple[Programme, ...] = ()
    venues: tuple[Venue, ...] = ()
    items: tuple[Item, ...] = ()

    def of_city(self, city_id: str) -> ProgrammeSet:
        ids = {p.id for p in self.programmes if p.city_id == city_id}
        return ProgrammeSet(
            tuple(p for p in self.programmes if p.id in ids),
            tuple(v for v in self.venues if v.programme_id in ids),
            tuple(i for i in self.items if i.programme_id in ids),
        )


@dataclass(frozen=True, slots=True)
class Full:
    """One programme with its own venues and items (in position order)."""

    programme: Programme
    venues: tuple[Venue, ...] = ()
    items: tuple[Item, ...] = field(default=())

    def venue(self, venue_id: str) -> Venue | None:
        return next((v for v in self.venues if v.id == venue_id), None)

    def items_on(self, day: date | str) -> tuple[Item, ...]:
        text = day if isinstance(day, str) else day.isoformat()
        return tuple(i for i in self.items if i.day == text)


def full_of(data: ProgrammeSet, programme_id: str) -> Full | None:
    programme = next((p for p in data.programmes if p.id == programme_id), None)
    if programme is None:
        return None
    return Full(
        programme,
        tuple(v for v in data.venues if v.programme_id == programme_id),
        tuple(sorted((i for i in data.items if i.programme_id == programme_id), key=lambda i: i.position)),
    )
