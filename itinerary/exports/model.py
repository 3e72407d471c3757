"""The plan an export is made of: ``ExportPlan`` and its ``ExportStop``s, checked when built.

Every writer in this package is a pure function of an ``ExportPlan``; a plan that cannot be
exported (no stops, an unknown time zone, naive times, coordinates out of range) is refused here,
once, instead of in each format.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from itinerary.models import LANGS

APP_NAME = "CityPlus Explorer"

START, STOP, RETURN = "start", "stop", "return"
STOP_KINDS = (START, STOP, RETURN)  # a start point that is no stop, a stop, the arrival back


@dataclass(frozen=True)
class ExportStop:
    """One stop of a planned route; ``arrive``/``depart`` are timezone-aware.

    ``note`` (the curated note), ``access`` (the wheelchair access label) and ``warnings`` (closed
    that day, closes before the visit ends) are text in the plan's language, from staff and data:
    each writer escapes them its own way.

    ``kind`` is ``STOP`` for a stop (numbered 1, 2, ...), ``START`` for a start point that is no
    stop (an address, a hotel: marked "S", 起点) and ``RETURN`` for the arrival back where a
    round trip began (``arrive`` = ``depart``, the leg back in ``travel_minutes``); see
    ``exports.stop_marks``.
    """

    id: str
    name: str
    name_zh: str
    lat: float
    lon: float
    arrive: datetime
    depart: datetime
    address: str = ""
    note: str = ""
    access: str = ""
    hours: str = ""  # the opening hours as words (``hours_text``), in the plan's language
    warnings: tuple[str, ...] = ()
    travel_minutes: float = 0  # from the previous stop
    distance_km: float = 0  # from the previous stop
    kind: str = STOP

    def __post_init__(self) -> None:
        object.__setattr__(self, "warnings", tuple(self.warnings))
        problems = _stop_problems(self)
        if problems:
            raise ValueError(f"stop {self.id!r}: " + "; ".join(problems))


@dataclass(frozen=True)
class ExportPlan:
    """A visitor's planned route, as exported. ``url`` is the share link that rebuilds it (or "")."""

    title: str
    city_name: str
    timezone: str
    mode: str
    url: str
    stops: tuple[ExportStop, ...]
    lang: str = "en"

    def __post_init__(self) -> None:
        object.__setattr__(self, "stops", tuple(self.stops))
        problems = []
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"unknown time zone {self.timezone!r}")
        if not self.stops:
            problems.append("a plan needs at least one stop")
        elif any(stop.kind == START for stop in self.stops[1:]) or any(
            stop.kind == RETURN for stop in self.stops[:-1]
        ):
            problems.append("a start comes first and a return last")
        if self.lang not in LANGS:
            problems.append(f"lang must be one of {', '.join(LANGS)}, not {self.lang!r}")
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _stop_problems(stop: ExportStop) -> list[str]:
    problems = []
    for field in ("arrive", "depart"):
        value = getattr(stop, field)
        if not isinstance(value, datetime) or value.utcoffset() is None:
            problems.append(f"{field} must be a timezone-aware datetime")
    if not problems and stop.depart < stop.arrive:
        problems.append("depart is before arrive")
    if not (math.isfinite(stop.lat) and -90 <= stop.lat <= 90):
        problems.append(f"lat {stop.lat} is not in -90..90")
    if not (math.isfinite(stop.lon) and -180 <= stop.lon <= 180):
        problems.append(f"lon {stop.lon} is not in -180..180")
    if stop.kind not in STOP_KINDS:
        problems.append(f"kind must be one of {', '.join(STOP_KINDS)}, not {stop.kind!r}")
    for field in ("travel_minutes", "distance_km"):
        value = getattr(stop, field)
        if not (math.isfinite(value) and value >= 0):
            problems.append(f"{field} must be a number >= 0")
    return problems
