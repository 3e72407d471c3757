"""A programme as participants see it: its places, its days, "now" and "next" by the city's clock,
and its links. Pages and exports read programmes through these functions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from itinerary.programmes.feasibility import PlaceInfo, places_of
from itinerary.programmes.records import Full, Item

PAGE_PATH = "/programme"


@dataclass(frozen=True, slots=True)
class Row:
    """One item with its place (None for a break or a travel slot without one)."""

    item: Item
    place: PlaceInfo | None

    def title(self, lang: str) -> str:
        item = self.item
        if lang == "zh" and item.title_zh:
            return item.title_zh
        if item.title:
            return item.title
        if self.place is not None:
            return self.place.name_zh if lang == "zh" and self.place.name_zh else self.place.name
        return ""

    def place_name(self, lang: str) -> str:
        if self.place is None:
            return ""
        return self.place.name_zh if lang == "zh" and self.place.name_zh else self.place.name

    def note(self, lang: str) -> str:
        return self.item.note_zh if lang == "zh" and self.item.note_zh else self.item.note


def rows(full: Full, landmarks: Mapping[str, PlaceInfo], *, day: date | str | None = None) -> list[Row]:
    """The items (of ``day``, else all) in time order, with their places."""
    places = places_of(full, landmarks)
    items = full.items if day is None else full.items_on(day)
    ordered = sorted(items, key=lambda i: (i.day, i.start, i.position))
    return [Row(i, places.get(i.place_key) if i.place_key else None) for i in ordered]


def day_of(full: Full, now: datetime, timezone: str) -> date:
    """The programme day to show first: today in the city if it is one, else the first day."""
    from zoneinfo import ZoneInfo

    today = now.astimezone(ZoneInfo(timezone)).date()
    return today if today in full.programme.days else full.programme.first_day


def now_and_next(full: Full, now: datetime, timezone: str) -> tuple[Item | None, Item | None]:
    """The item on at ``now`` (the latest started of those not yet ended) and the next to start."""
    current: Item | None = None
    upcoming: Item | None = None
    for item in sorted(full.items, key=lambda i: (i.starts_at(timezone), i.position)):
        start, end = item.starts_at(timezone), item.ends_at(timezone)
        if start <= now < end:
            current = item
        elif start > now and upcoming is None:
            upcoming = item
    return current, upcoming


def token_link(base_url: str, token: str, *, lang: str = "en") -> str:
    """The private link of an unlisted programme (``base_url`` without a trailing slash)."""
    return f"{base_url}{PAGE_PATH}?" + urlencode({"token": token, "lang": lang})


def public_link(base_url: str, city_id: str, programme_id: str, *, lang: str = "en") -> str:
    return f"{base_url}{PAGE_PATH}?" + urlencode({"city": city_id, "programme": programme_id, "lang": lang})
