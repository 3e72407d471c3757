"""The plan for calendars: iCalendar (RFC 5545), a VEVENT per stop in the city's time zone.

iCalendar TEXT escaping is icalendar's; UIDs are stable, so exporting the same plan again
updates calendar entries instead of duplicating them.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import UTC, date, datetime

import icalendar

from itinerary.exports.model import ExportPlan, ExportStop
from itinerary.exports.text import (
    _coord,
    _details,
    _labels,
    _line,
    _local,
    _location,
    _travel_line,
    marked_label,
    share_link,
    stop_marks,
)

PRODID = "-//CityPlus Explorer//Itinerary export 1.0//EN"
UID_DOMAIN = "cityplus-explorer"


# ---------------------------------------------------------------- iCalendar (RFC 5545)


@functools.lru_cache(maxsize=32)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """The VTIMEZONE of ``tzid`` from the time zone database for those years: built once (50 ms
    each time, icalendar walks every transition), then only read by ``to_ical``."""
    try:
        return icalendar.Timezone.from_tzid(
            tzid, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1)
        )
    except ValueError as exc:  # pragma: no cover - ZoneInfo keys always resolve
        raise ValueError(f"no VTIMEZONE for {tzid!r}") from exc


def add_timezone(cal: icalendar.Calendar, tzid: str, first_year: int, last_year: int) -> None:
    """Put the VTIMEZONE of ``tzid`` (covering ``first_year`` to ``last_year``: short and stable)
    before the events that use it, as RFC 5545 wants. Plans and programmes both call this."""
    cal.subcomponents.insert(len(cal.timezones), _vtimezone(tzid, first_year, last_year))


def stop_uid(plan: ExportPlan, position: int, stop: ExportStop) -> str:
    """A UID that stays the same when the same plan is exported again (so calendars update, not duplicate)."""
    basis = plan.url or plan.title
    day = _local(stop.arrive, plan).date().isoformat()
    key = "\x1f".join((basis, stop.id, str(position), day)).encode("utf-8")
    digest = hashlib.sha1(key, usedforsecurity=False).hexdigest()
    return f"{digest}@{UID_DOMAIN}"


def to_ics(plan: ExportPlan, *, stamp: datetime | None = None) -> str:
    """iCalendar with a VEVENT per stop in the city's time zone (TZID + VTIMEZONE), CRLF, folded lines.

    ``stamp`` is every event's DTSTAMP; it defaults to the first arrival so that output is stable.
    """
    if stamp is not None and stamp.utcoffset() is None:
        raise ValueError("stamp must be timezone-aware")
    labels = _labels(plan)
    link = share_link(plan.url)
    dtstamp = (stamp or plan.stops[0].arrive).astimezone(UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", _line(plan.title))  # RFC 7986
    cal.add("x-wr-calname", _line(plan.title))  # the same, for clients that predate RFC 7986
    marks = stop_marks(plan)
    for position, stop in enumerate(plan.stops, start=1):
        event = icalendar.Event()
        event.add("uid", stop_uid(plan, position, stop))
        event.add("dtstamp", dtstamp)
        event.add("dtstart", _local(stop.arrive, plan))
        if stop.depart > stop.arrive:  # DTEND must be later than DTSTART; without it the event is instant
            event.add("dtend", _local(stop.depart, plan))
        event.add("summary", marked_label(marks[position - 1], stop, lang=plan.lang, numbered=False))
        event.add("location", _location(stop, plan))
        event.add("geo", (_coord(stop.lat), _coord(stop.lon)))
        description = ["\n".join(_details(stop, labels)), _travel_line(stop, labels), link]
        event.add("description", "\n\n".join(part for part in description if part))
        if link:
            event.add("url", link)
        cal.add_component(event)
    # VTIMEZONE from the time zone database, covering the plan's years only (short and stable)
    first = min(_local(stop.arrive, plan).year for stop in plan.stops)
    last = max(_local(stop.depart, plan).year for stop in plan.stops)
    add_timezone(cal, plan.timezone, first, last)
    ical: bytes = cal.to_ical()
    return ical.decode("utf-8")
