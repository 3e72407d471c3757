"""Plans as URLs: parsing the public query parameters and building share links.

Share links and QR codes carry landmark ids and plain values only, so a link opened anywhere
rebuilds the same plan; unknown ids are dropped (the page says so).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import pandas as pd

from itinerary import settings
from itinerary.catalog import localized_value
from itinerary.exports import RETURN, START, STOP, ExportPlan, ExportStop
from itinerary.geodesy import BBox, bbox_around
from itinerary.hours_text import hours_text
from itinerary.i18n import join_list, t
from itinerary.models import MODES, WHEELCHAIR
from itinerary.routing import (
    CLOSED_ON_ARRIVAL,
    CLOSED_ON_DATE,
    CLOSES_BEFORE_END,
    OPENS_LATER,
    Place,
    Schedule,
    Visit,
    fit_budget,
    order_stops,
    profiles_for,
    split_days,
    travel_matrix_minutes,
    windows_from_hours,
    with_return,
)

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_id_list(raw: str | None) -> list[str]:
    """Comma-separated ids, in order, blanks dropped."""
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def split_known(ids: Iterable[str], known: Iterable[str]) -> tuple[list[str], list[str]]:
    """(known ids in their order without repeats, unknown ids) of a list from a link."""
    valid = set(known)
    kept: list[str] = []
    unknown: list[str] = []
    for item in ids:
        if item not in valid:
            unknown.append(item)
        elif item not in kept:
            kept.append(item)
    return kept, unknown


def with_stop(stops: str | None, landmark_id: str) -> str:
    """The ``stops=`` value of a plan with ``landmark_id`` added at its end, or left where it is
    when the plan holds it already (a landmark card's "Add to my route")."""
    ids = parse_id_list(stops)
    return ",".join(ids if landmark_id in ids else [*ids, landmark_id])


def parse_hhmm(raw: str | None) -> time | None:
    """``start=HH:MM`` (24-hour, leading zero optional), or ``None``."""
    match = _TIME.match((raw or "").strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


def parse_day(raw: str | None) -> date | None:
    """``date=YYYY-MM-DD``, or ``None`` (also for impossible days like 02-30)."""
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def day_notice(raw: str) -> str:
    """The notice key for a ``date=`` that ``parse_day`` refused: a date written right that does
    not exist (2026-02-30) is "no such date", anything else is not YYYY-MM-DD."""
    return "notice.no_such_date" if _DAY.match(raw.strip()) else "notice.bad_date"


SHOWN_UNKNOWN = 5  # ids a notice names; a longer list is counted, not printed


def unknown_notice(unknown: Sequence[str], lang: str) -> str:
    """What a visitor reads about the ids of a link that are no landmark of the city: all of
    them when there are a few, else how many and the first ``SHOWN_UNKNOWN``."""
    if len(unknown) <= SHOWN_UNKNOWN:
        return t("plan.dropped", lang, ids=join_list(unknown, lang))
    shown = join_list(unknown[:SHOWN_UNKNOWN], lang)
    return t("plan.unknown_stops", lang, count=len(unknown), ids=shown, more=len(unknown) - SHOWN_UNKNOWN)


def parse_mode(raw: str | None) -> str | None:
    """``mode=`` when it is one of ``MODES``, else ``None``."""
    return raw if raw in MODES else None


def public_base_url(browser_url: str | None) -> str:
    """``CITYPLUS_PUBLIC_URL`` when set (a kiosk, or an app behind a proxy or below a path),
    else the scheme and host of the address the browser used."""
    configured = settings.public_url()
    if configured:
        return configured
    if not browser_url:
        return "http://localhost:8501"
    parts = urlsplit(browser_url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", "")).rstrip("/")


def share_url(base: str, page: str, params: Mapping[str, str | None]) -> str:
    """``base/page?params`` with empty values left out; commas in id lists stay readable."""
    query = urlencode({k: v for k, v in params.items() if v}, safe=",:")
    path = f"{base.rstrip('/')}/{page.strip('/')}"
    return f"{path}?{query}" if query else path


# --- from landmark ids to schedules, orders and exports ---------------------------------------

ORIGIN_ID = "origin"  # a start point that is not a landmark (an address, a hotel, coordinates)


def places_for(
    landmarks: pd.DataFrame,
    ids: Sequence[str],
    *,
    dwell: Mapping[str, float] | None = None,
    origin: Place | None = None,
) -> list[Place]:
    """Places to schedule for landmark ids (rows of ``Catalog.landmarks``), after an origin."""
    dwell = dwell or {}
    places = [origin] if origin is not None else []
    for lid in ids:
        row: dict[Any, Any] = landmarks.loc[lid].to_dict()
        places.append(
            Place(
                id=lid,
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                dwell_minutes=float(dwell.get(lid, row["visit_minutes"])),
                opening_hours=str(row["opening_hours"] or ""),
            )
        )
    return places


def stop_notes(stops: pd.DataFrame, lang: str) -> dict[str, str]:
    """The curated note of each stop (rows of ``Catalog.stops``) by landmark id, in ``lang``:
    ``note_zh`` falls back to ``note``, as every ``_zh`` column does. Staff text: callers escape it."""
    notes: dict[str, str] = {}
    for row in stops.to_dict("records"):
        clean = {key: ("" if _missing(row.get(key)) else row[key]) for key in ("note", "note_zh")}
        text = localized_value(clean, "note", lang).strip()
        if text:
            notes[str(row["landmark_id"])] = text
    return notes


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def access_label(landmark: Any, lang: str) -> str:
    """The wheelchair access of a landmark (a row of ``Catalog.landmarks``, a mapping or a model) in the
    visitor's words: the ``wheelchair.*`` strings, "Access unknown" for a value that is none."""
    value = landmark.get("wheelchair") if hasattr(landmark, "get") else getattr(landmark, "wheelchair", None)
    return t(f"wheelchair.{value if value in WHEELCHAIR else 'unknown'}", lang)


def warning_text(code: str, visit_start: str, closes: str, lang: str) -> str:
    """The visitor's words for a schedule warning code of ``routing`` (each has a ``warn.`` key)."""
    return t(f"warn.{code}", lang, time=closes if code == CLOSES_BEFORE_END else visit_start)


def visit_warnings(visit: Visit, lang: str) -> list[str]:
    """The warnings a visitor reads for a scheduled visit, as on the timeline: closed that day,
    closes before the visit ends, hours unknown. Arriving before opening is not one: the times
    already include the wait."""
    closes = visit.closes_at.strftime("%H:%M") if visit.closes_at else ""
    return [
        warning_text(code, visit.start.strftime("%H:%M"), closes, lang)
        for code in visit.warnings
        if code != OPENS_LATER
    ]


def to_minute(moment: datetime) -> datetime:
    """``moment`` without seconds: the page shows a time as HH:MM (``strftime``, which drops the
    seconds), and a file must say the same, not 09:11:10."""
    return moment.replace(second=0, microsecond=0)


@dataclass(frozen=True, slots=True)
class Origin:
    """A start point that is not a landmark: where (a ``Place`` without dwell) and its label."""

    place: Place
    label: str


_ORIGIN_NAME_CHARS = 80  # a label, not a letter: links stay short enough for a QR code


def parse_origin(raw: str | None, name: str | None = None) -> Origin | None:
    """The start point a plan link carries: ``origin=lat,lon`` and an optional ``origin_name``.

    ``None`` when there is none or it is not two numbers in range (the link then plans from the
    first stop). The label is the name, else the coordinates.
    """
    try:
        lat_text, lon_text = (raw or "").split(",")
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return Origin(Place(ORIGIN_ID, lat, lon, 0.0), name or f"{lat:.5f}, {lon:.5f}")


def origin_params(lat: float, lon: float, label: str) -> dict[str, str]:
    """The link parameters of a start point, which ``parse_origin`` reads back."""
    return {"origin": f"{lat:.6f},{lon:.6f}", "origin_name": label[:_ORIGIN_NAME_CHARS]}


# How far past the city's landmarks an address search still looks: about 0.1 degree of
# latitude, so a hotel just outside the landmarks' area is found, a neighbouring city is not.
SEARCH_MARGIN_KM = 11.2


def search_box(city: Mapping[str, Any], landmarks: pd.DataFrame) -> BBox:
    """Where a visitor's address search looks: ``SEARCH_MARGIN_KM`` past each of the city's
    landmarks (rows of ``Catalog.landmarks``), or around its centre when it has none."""
    if landmarks.empty:
        return bbox_around(float(city["lat"]), float(city["lon"]), radius_km=SEARCH_MARGIN_KM)
    return bbox_around(
        landmarks["lat"].to_numpy(dtype=float),
        landmarks["lon"].to_numpy(dtype=float),
        radius_km=SEARCH_MARGIN_KM,
    )


def start_at(day: date, at: time, timezone: str) -> datetime:
    """The aware start of a plan: ``at`` on ``day`` in the city's time zone."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(timezone))


def plan_days(
    places: Sequence[Place],
    *,
    day: date,
    start_time: time,
    mode: str,
    city_id: str,
    timezone: str,
    round_trip: bool = False,
) -> list[Schedule]:
    """The plan's schedule, split into days when it runs past the evening; a ``round_trip``
    ends with the leg back to where it began (``Schedule.back`` of the last day)."""
    profiles = profiles_for(city_id)
    days = split_days(
        places, start=start_at(day, start_time, timezone), mode=mode, timezone=timezone, profiles=profiles
    )
    return with_return(days, mode=mode, timezone=timezone, profiles=profiles) if round_trip else days


LATE = (CLOSED_ON_DATE, CLOSED_ON_ARRIVAL, CLOSES_BEFORE_END)  # not visited (whole) while open


def late_stops(days: Sequence[Schedule]) -> list[str]:
    """The stops a schedule visits while closed, or past closing: found on the final schedule,
    days included (a stop moved to a morning of Day 2 is judged on Day 2)."""
    return [
        visit.place.id
        for schedule in days
        for visit in schedule.visits
        if visit.place.id != ORIGIN_ID and any(code in LATE for code in visit.warnings)
    ]


@dataclass(frozen=True)
class Optimised:
    """The outcome of ``optimise_order``, in landmark ids, for the page to report."""

    ids: list[str]  # landmark ids in the new order (the origin, if any, is not among them)
    late: list[str]  # stops the new order's schedule visits while closed (days included)
    exact: bool
    minutes_before: float
    minutes_after: float

    @property
    def already_best(self) -> bool:
        """True when the order was already as short as any (to the minute the page shows)."""
        return round(self.minutes_after) >= round(self.minutes_before)


def optimise_order(
    places: Sequence[Place],
    *,
    day: date,
    start_time: time,
    mode: str,
    city_id: str,
    timezone: str,
    keep_end: bool = False,
    round_trip: bool = False,
) -> Optimised:
    """Shortest travel order from the first place, with opening hours as time windows.

    The stops reported late are those of the schedule of the new order, as ``plan_days``
    splits it into days; an order that is not shorter is kept as it was."""
    lats = [p.lat for p in places]
    lons = [p.lon for p in places]
    matrix = travel_matrix_minutes(lats, lons, mode, profiles=profiles_for(city_id))
    start = start_at(day, start_time, timezone)
    windows = windows_from_hours(places, day=day, timezone=timezone, start=start)
    result = order_stops(
        matrix,
        start=0,
        end=len(places) - 1 if keep_end and len(places) > 1 and not round_trip else None,
        round_trip=round_trip,
        windows=windows,
        dwell=[p.dwell_minutes for p in places],
    )
    before = float(sum(matrix[i, i + 1] for i in range(len(places) - 1)))
    if round_trip and len(places) > 1:
        before += float(matrix[len(places) - 1, 0])
    after = float(result.total_minutes)
    chosen = list(places) if round(after) >= round(before) else [places[i] for i in result.order]
    days = plan_days(
        chosen,
        day=day,
        start_time=start_time,
        mode=mode,
        city_id=city_id,
        timezone=timezone,
        round_trip=round_trip,
    )
    return Optimised(
        ids=[p.id for p in chosen if p.id != ORIGIN_ID],
        late=late_stops(days),
        exact=result.exact,
        minutes_before=before,
        minutes_after=min(after, before),
    )


@dataclass(frozen=True)
class Fitted:
    """The outcome of ``fit_to_budget``: the stops kept, in order, and those dropped."""

    ids: list[str]
    dropped: list[str]
    fits: bool  # False when even the must-see stops do not fit the budget: then keep the plan


def fit_to_budget(
    places: Sequence[Place],
    *,
    budget_minutes: float,
    must: Collection[str],
    mode: str,
    city_id: str,
    round_trip: bool = False,
) -> Fitted:
    """The best set of the chosen stops that fits the time budget, keeping the must-see ones
    (and, for a ``round_trip``, the leg back). When even they do not fit, ``fits`` is False and
    ``ids`` are the stops as given, ``dropped`` empty: a plan that cannot fit is not cut. Keeping
    the start point alone (no landmark) is no fit either."""
    lats = [p.lat for p in places]
    lons = [p.lon for p in places]
    matrix = travel_matrix_minutes(lats, lons, mode, profiles=profiles_for(city_id))
    result = fit_budget(
        matrix,
        dwell=[p.dwell_minutes for p in places],
        budget_minutes=budget_minutes,
        must={i for i, p in enumerate(places) if p.id in must},
        start=0,
        round_trip=round_trip and len(places) > 1,
    )
    kept = [places[i].id for i in result.order]
    if not result.fits or not any(pid != ORIGIN_ID for pid in kept):
        return Fitted(ids=[p.id for p in places if p.id != ORIGIN_ID], dropped=[], fits=False)
    return Fitted(
        ids=[pid for pid in kept if pid != ORIGIN_ID],
        dropped=[p.id for p in places if p.id not in kept],
        fits=True,
    )


def export_plan(
    *,
    title: str,
    city_name: str,
    timezone: str,
    mode: str,
    url: str,
    landmarks: pd.DataFrame,
    days: Sequence[Schedule],
    lang: str,
    origin_label: str = "",
    notes: Mapping[str, str] | None = None,
) -> ExportPlan:
    """The take-along form of a scheduled plan (for GPX, iCalendar, CSV, ...).

    ``notes`` are the curated notes by landmark id (``stop_notes``; a planned route has none).
    Every stop carries its access and its warnings in ``lang``, and its times in whole minutes,
    as the timeline shows them. A start point is the ``START`` stop, and the leg back of a round
    trip (``Schedule.back``) the ``RETURN`` stop at the end.
    """
    notes = notes or {}
    stops = []

    def about(pid: str) -> tuple[str, str, str, str]:
        if pid == ORIGIN_ID:
            return origin_label or "Start", "", "", ""
        row = landmarks.loc[pid]
        return str(row["name"]), str(row["name_zh"]), str(row["address"]), access_label(row, lang)

    for day in days:
        for visit in day.visits:
            pid = visit.place.id
            name, name_zh, address, access = about(pid)
            stops.append(
                ExportStop(
                    kind=START if pid == ORIGIN_ID else STOP,
                    id=pid,
                    name=name,
                    name_zh=name_zh,
                    lat=visit.place.lat,
                    lon=visit.place.lon,
                    arrive=to_minute(visit.start),
                    depart=to_minute(visit.depart),
                    address=address,
                    note=notes.get(pid, "") if pid != ORIGIN_ID else "",
                    access=access,
                    hours=""
                    if pid == ORIGIN_ID
                    else hours_text(landmarks.loc[pid, "opening_hours"], lang, on=visit.start.date()),
                    warnings=tuple(visit_warnings(visit, lang)) if pid != ORIGIN_ID else (),
                    travel_minutes=round(visit.travel_minutes, 1),
                    distance_km=round(visit.distance_km, 2),
                )
            )
    back = days[-1].back if days else None
    if back is not None:
        name, name_zh, address, _access = about(back.place.id)
        at = to_minute(back.arrive)
        stops.append(
            ExportStop(
                kind=RETURN,
                id=back.place.id,
                name=name,
                name_zh=name_zh,
                lat=back.place.lat,
                lon=back.place.lon,
                arrive=at,
                depart=at,
                address=address,
                travel_minutes=round(back.travel_minutes, 1),
                distance_km=round(back.distance_km, 2),
            )
        )
    return ExportPlan(
        title=title, city_name=city_name, timezone=timezone, mode=mode, url=url, stops=tuple(stops), lang=lang
    )
