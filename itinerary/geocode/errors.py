"""Which message code a geopy error means, and how long a 429 keeps us away."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Final
from urllib.error import URLError

from geopy.adapters import AdapterHTTPError
from geopy.exc import GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable

from itinerary.geocode.local import finite_float
from itinerary.geocode.ratelimit import MAX_BACKOFF
from itinerary.geocode.results import MessageCode

RATE_LIMITED_BACKOFF: Final = 30.0  # seconds to stay away after a 429 without Retry-After


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, its causes and contexts, and a URLError's reason."""
    seen: set[int] = set()
    todo: list[BaseException] = [error]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for linked in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(linked, BaseException):
                todo.append(linked)


def classify_error(error: BaseException) -> MessageCode:
    """The message code for an error raised by a geopy geocoder.

    The HTTP status wins where there is one: geopy maps 503 to ``GeocoderTimedOut``, but an
    overloaded server is a service error, not a slow one.
    """
    chain = list(_chain(error))
    for linked in chain:
        if isinstance(linked, AdapterHTTPError):
            status = int(linked.status_code)
            if status == 429:
                return "rate_limited"
            return "timeout" if status in (408, 504) else "service_error"
    if any(isinstance(e, GeocoderRateLimited) for e in chain):
        return "rate_limited"
    if any(isinstance(e, GeocoderTimedOut | TimeoutError) for e in chain):
        return "timeout"
    if any(isinstance(e, GeocoderUnavailable | ConnectionError | URLError | socket.gaierror) for e in chain):
        return "offline"
    return "service_error"


def backoff_seconds(error: BaseException) -> float:
    """How long to leave a server alone after its 429: its Retry-After, else 30 s, capped."""
    retry_after = next(
        (e.retry_after for e in _chain(error) if isinstance(e, GeocoderRateLimited) and e.retry_after), None
    )
    seconds = finite_float(retry_after) or RATE_LIMITED_BACKOFF
    return min(max(seconds, 1.0), MAX_BACKOFF)
