"""What a search returns: places found and a message code for the UI to translate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from itinerary.geodesy import BBox

__all__ = ["MESSAGE_CODES", "BBox", "GeocodeOutcome", "GeocodeResult", "MessageCode", "Place", "Source"]

Source = Literal["nominatim", "landmark", "coordinates", "cache"]
MessageCode = Literal["", "offline", "timeout", "rate_limited", "not_found", "service_error"]
MESSAGE_CODES: Final[tuple[MessageCode, ...]] = (
    "",
    "offline",
    "timeout",
    "rate_limited",
    "not_found",
    "service_error",
)


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """One place found: WGS84 degrees, where it came from, and the landmark id for our own."""

    label: str
    lat: float
    lon: float
    source: Source
    landmark_id: str | None = None


Place = GeocodeResult


@dataclass(frozen=True, slots=True)
class GeocodeOutcome:
    """What a search returns: results best first, and a code saying how the online lookup went.

    ``code`` is ``""`` when nothing went wrong (or no lookup was needed). Any other code is about
    the online lookup only; ``results`` may still hold local matches (coordinates, landmarks).
    ``used_fallback`` is true when the online lookup gave nothing (off, failed or empty), so
    ``results`` are local only.
    """

    results: tuple[GeocodeResult, ...] = ()
    code: MessageCode = ""
    used_fallback: bool = False

    @property
    def ok(self) -> bool:
        return self.code == ""
