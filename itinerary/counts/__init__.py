"""Usage counts without tracking people: ``count`` (events) and the dashboard's ``figures``.

Call ``count(store, event, city_id=..., key=..., lang=..., timezone=...)`` from any page;
``events.EVENTS`` lists what may be counted. See ``events`` for what is never kept.
"""

from __future__ import annotations

from itinerary.counts import figures
from itinerary.counts.events import (
    EVENTS,
    EXPORT,
    HOURLY,
    ITINERARY_OPEN,
    KIOSK_RESET,
    KIOSK_SOURCE,
    KIOSK_TOUCH,
    PAGE_VIEW,
    PROGRAMME_OPEN,
    QR_HANDOFF,
    SEARCH_EMPTY,
    SOURCE_PARAM,
    count,
    count_soon,
    day_and_hour,
    flush,
    normalise_search,
)

__all__ = [
    "EVENTS",
    "EXPORT",
    "HOURLY",
    "ITINERARY_OPEN",
    "KIOSK_RESET",
    "KIOSK_SOURCE",
    "KIOSK_TOUCH",
    "PAGE_VIEW",
    "PROGRAMME_OPEN",
    "QR_HANDOFF",
    "SEARCH_EMPTY",
    "SOURCE_PARAM",
    "count",
    "count_soon",
    "day_and_hour",
    "figures",
    "flush",
    "normalise_search",
]
