"""Opening hours in OpenStreetMap syntax, evaluated by the opening-hours-py library."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import opening_hours
import pandas as pd


@lru_cache(maxsize=4096)
def parse_hours(expression: str, timezone: str) -> opening_hours.OpeningHours:
    return opening_hours.OpeningHours(
        expression,
        timezone=zoneinfo.ZoneInfo(timezone),
        auto_country=False,
        auto_timezone=False,
    )


def open_mask(hours: pd.Series, at: datetime, timezone: str) -> pd.Series:
    """Which rows' opening hours are open at ``at`` (aware); unknown hours count as not open.

    Evaluated once per distinct expression: a city of 10,000 landmarks has a few dozen.
    """
    local = at.astimezone(zoneinfo.ZoneInfo(timezone))
    verdict = {expr: bool(expr) and parse_hours(expr, timezone).is_open(local) for expr in hours.unique()}
    return hours.map(verdict).astype(bool)


@dataclass(frozen=True)
class HoursStatus:
    """Open or closed at a moment, and when that changes next (in the place's time zone)."""

    state: str  # "open" | "closed" | "unknown"
    next_change: datetime | None = None


# Further than this ahead, "next change" says nothing useful for a visitor's day.
_HORIZON_DAYS = 8


def status_at(expression: str, at: datetime, timezone: str) -> HoursStatus:
    if not expression:
        return HoursStatus("unknown")
    oh = parse_hours(expression, timezone)
    local = at.astimezone(zoneinfo.ZoneInfo(timezone))
    if oh.is_unknown(local):
        return HoursStatus("unknown")
    state = "open" if oh.is_open(local) else "closed"
    change = oh.next_change(local)
    if change is not None and (change - local).days >= _HORIZON_DAYS:
        change = None
    return HoursStatus(state, change)


def describe_status(status: HoursStatus, now: datetime, lang: str) -> str:
    """'Open now · closes 18:00', 'Closed now · opens Tue 10:00' (in the place's time zone)."""
    from itinerary.i18n import t

    if status.state == "unknown":
        return t("card.hours_unknown", lang)
    change = status.next_change
    if change is None:
        return t("card.open" if status.state == "open" else "card.closed", lang)
    local_now = now.astimezone(change.tzinfo)
    when = change.strftime("%H:%M")
    if change.date() != local_now.date():
        when = f"{t(f'day.{change.weekday()}', lang)} {when}"
    return t("card.open_until" if status.state == "open" else "card.closed_until", lang, time=when)
