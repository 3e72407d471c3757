"""The data contract's columns: each file's columns, and the parser of each kind of cell.

A parser takes the cell's text and returns its value, or raises ``CellError`` with a problem
code and the values of its message (``itinerary.validation``). The data files, the staff
editor and the importer all validate through these parsers (``SPECS``).
"""

from __future__ import annotations

import functools
import math
import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import opening_hours

from itinerary.models import MODES, PARTNERSHIPS, STATUSES, WHEELCHAIR
from itinerary.validation import CellError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
ICON_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PRICE_RE = re.compile(r"^(free|[A-Z]{3} \d+(?:\.\d{1,2})?(?:-\d+(?:\.\d{1,2})?)?)$")
PARTIAL_DATE_RE = re.compile(r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
# an image the app serves itself (static/...): lowercase path parts, no "..", a picture's suffix
STATIC_IMAGE_RE = re.compile(r"^(?:[a-z0-9][a-z0-9_-]*/)*[a-z0-9][a-z0-9_.-]*\.(?:png|jpe?g|webp|svg)$")
URL_RE = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
# A landmark further than this from its city's centre is almost surely a typo, swapped
# lat/lon or a wrong sign; the largest city areas we promote span well under this.
MAX_KM_FROM_CITY = 150.0

TRUE_WORDS = {"yes", "true", "1"}
FALSE_WORDS = {"no", "false", "0", ""}


# --- cell parsers: str -> value, raise CellError(code, **values) --------------------------------


def _text(value: str) -> str:
    return value.strip()


def _slug(value: str) -> str:
    value = value.strip()
    if not SLUG_RE.match(value):
        raise CellError("not_a_slug", value=value)
    return value


def _float_in(lo: float, hi: float) -> Callable[[str], float]:
    def parse(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise CellError("not_a_number", value=value) from None
        if not math.isfinite(number) or not lo <= number <= hi:
            raise CellError("out_of_range", value=value, lo=lo, hi=hi)
        return number

    return parse


def _int_in(lo: int, hi: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value.strip())
        except ValueError:
            raise CellError("not_a_whole_number", value=value) from None
        if not lo <= number <= hi:
            raise CellError("out_of_range", value=number, lo=lo, hi=hi)
        return number

    return parse


def _optional_int_in(lo: int, hi: int) -> Callable[[str], int | None]:
    strict = _int_in(lo, hi)
    return lambda value: strict(value) if value.strip() else None


def _optional_float_in(lo: float, hi: float) -> Callable[[str], float | None]:
    strict = _float_in(lo, hi)
    return lambda value: strict(value) if value.strip() else None


def _text_list(value: str) -> str:
    """A ';'-separated list of texts (a city's facts), kept as one normalised cell: items
    stripped, empty ones left out (``cityaccounts.items`` reads it)."""
    return ";".join(v.strip() for v in value.split(";") if v.strip())


def _partial_date(value: str) -> str:
    """A date as precise as the sources say it: YYYY, YYYY-MM or YYYY-MM-DD; empty if unknown."""
    value = value.strip()
    if not value:
        return ""
    if not PARTIAL_DATE_RE.match(value):
        raise CellError("not_a_partial_date", value=value)
    if len(value) == 10:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise CellError("not_a_partial_date", value=value) from None
    return value


def _static_image(value: str) -> str:
    value = value.strip()
    if value and (".." in value or not STATIC_IMAGE_RE.match(value)):
        raise CellError("not_a_static_image", value=value)
    return value


def _one_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        value = value.strip()
        if value not in choices:
            raise CellError("not_one_of", value=value, choices=", ".join(choices))
        return value

    return parse


def _timezone(value: str) -> str:
    value = value.strip()
    if value not in _time_zones():
        raise CellError("not_a_time_zone", value=value)
    return value


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _color(value: str) -> str:
    value = value.strip()
    if not COLOR_RE.match(value):
        raise CellError("not_a_colour", value=value)
    return value.lower()


def _icon(value: str) -> str:
    value = value.strip()
    if not ICON_RE.match(value):
        raise CellError("not_an_icon", value=value)
    return value


def _slug_list(value: str) -> tuple[str, ...]:
    items = tuple(v.strip() for v in value.split(";") if v.strip())
    for item in items:
        _slug(item)
    if len(set(items)) != len(items):
        raise CellError("theme_twice")
    return items


def _opening_hours(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        opening_hours.OpeningHours(value, auto_country=False, auto_timezone=False)
    except Exception as exc:  # the library raises its own ParserError (not in its stubs)
        where = re.search(r"--> \d+:(\d+)", str(exc))
        if where:
            raise CellError("not_opening_hours_at", value=value, position=int(where.group(1))) from None
        raise CellError("not_opening_hours", value=value) from None
    return value


def _price(value: str) -> str:
    value = value.strip()
    if value and not PRICE_RE.match(value):
        raise CellError("not_a_price", value=value)
    return value


def _website(value: str) -> str:
    value = value.strip()
    if value and not URL_RE.match(value):
        raise CellError("not_a_url", value=value)
    return value


def _hhmm(value: str) -> str:
    value = value.strip()
    if not TIME_RE.match(value):
        raise CellError("not_a_time", value=value)
    return value


def _bool(value: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError("not_yes_or_no", value=value)


def _yes_no_unknown(value: str) -> bool | None:
    """A surveyed fact: ``yes`` or ``no``; an empty cell is None, "not surveyed" (never "no")."""
    word = value.strip().lower()
    if not word:
        return None
    if word in ("yes", "no"):
        return word == "yes"
    raise CellError("not_yes_no_or_empty", value=value)


def _survey_date(value: str) -> str:
    """A survey date, YYYY-MM-DD, not in the future; empty when the facts were never surveyed."""
    value = value.strip()
    if not value:
        return ""
    try:
        day = date.fromisoformat(value) if DATE_RE.match(value) else None
    except ValueError:
        day = None
    if day is None:
        raise CellError("not_a_date", value=value)
    # "today" is today anywhere on Earth: a survey done this morning in Shenzhen (UTC+8) is
    # not in the future for a server that still has yesterday's date in UTC
    latest = (datetime.now(UTC) + timedelta(hours=14)).date()
    if day > latest:
        raise CellError("date_in_future", value=value)
    return value


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a data-contract file: its name, its cell parser and whether it may be left out."""

    name: str
    parse: Callable[[str], Any] = _text
    required: bool = False  # the column must be present in the header
    non_empty: bool = False  # the cell must not be empty
    default: str = ""  # what an empty cell means (parsed like any value)


@dataclass(frozen=True, slots=True)
class FileSpec:
    """One data-contract file: its name and columns (in the order the files write them)."""

    name: str
    columns: tuple[Column, ...]
    optional_file: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _req(name: str, parse: Callable[[str], Any] = _text) -> Column:
    return Column(name, parse, required=True, non_empty=True)


LAT = _float_in(-90, 90)
LON = _float_in(-180, 180)

# Access facts per place (issue 10 section 3), after OpenStreetMap's tags (wheelchair,
# entrance:step_count, ramp:wheelchair, toilets:wheelchair, hearing_loop, tactile_paving) and
# sozialhelden's A11yJSON: measurements, not ratings. Every one is optional, and an empty cell
# means "not surveyed", which is kept apart from "no" (None in the model, NULL in the database).
ACCESS_COLUMNS: tuple[Column, ...] = (
    Column("district_zh"),
    Column("address_zh"),
    Column("entrance_steps", _optional_int_in(0, 100)),
    Column("entrance_step_height_cm", _optional_int_in(0, 100)),
    Column("entrance_ramp", _yes_no_unknown),
    Column("door_width_cm", _optional_int_in(40, 400)),
    Column("automatic_door", _yes_no_unknown),
    Column("toilet_wheelchair", _yes_no_unknown),
    Column("lift_all_floors", _yes_no_unknown),
    Column("parking_wheelchair", _yes_no_unknown),
    Column("hearing_loop", _yes_no_unknown),
    Column("tactile_guidance", _yes_no_unknown),
    Column("quiet_space", _yes_no_unknown),
    Column("quiet_hours", _opening_hours),
    Column("seating", _yes_no_unknown),
    Column("access_note"),
    Column("access_note_zh"),
    Column("access_surveyed", _survey_date),
    Column("access_surveyed_by"),
)
# the yes/no facts (tri-state) and the measured ones (whole numbers or None)
ACCESS_FLAGS: tuple[str, ...] = tuple(c.name for c in ACCESS_COLUMNS if c.parse is _yes_no_unknown)
ACCESS_NUMBERS: tuple[str, ...] = ("entrance_steps", "entrance_step_height_cm", "door_width_cm")

SPECS: tuple[FileSpec, ...] = (
    FileSpec(
        "cities.csv",
        (
            _req("id", _slug),
            _req("name"),
            Column("name_zh"),
            Column("country"),
            _req("lat", LAT),
            _req("lon", LON),
            Column("zoom", _int_in(1, 19), default="12"),
            _req("timezone", _timezone),
            # the city account (revision 0005): its portrait, facts and link to Shenzhen
            Column("portrait"),
            Column("portrait_zh"),
            Column("facts", _text_list),
            Column("facts_zh", _text_list),
            Column("fact_sources", _text_list),
            Column("partnership", _one_of(PARTNERSHIPS), default="platform"),
            Column("partner_since", _optional_int_in(1900, 2100)),
            Column("joined", _partial_date),
            Column("join_order", _optional_int_in(1, 999)),
        ),
    ),
    FileSpec(
        "themes.csv",
        (
            _req("id", _slug),
            _req("label"),
            Column("label_zh"),
            Column("color", _color, default="#3388ff"),
            Column("icon", _icon, default="star"),
            Column("description"),
            Column("description_zh"),
        ),
    ),
    FileSpec(
        "landmarks.csv",
        (
            _req("id", _slug),
            _req("city_id", _slug),
            _req("name"),
            Column("name_zh"),
            _req("lat", LAT),
            _req("lon", LON),
            Column("themes", _slug_list),
            Column("district"),
            Column("address"),
            Column("summary"),
            Column("summary_zh"),
            Column("visit_minutes", _int_in(5, 1440), default="60"),
            Column("opening_hours", _opening_hours),
            Column("wheelchair", _one_of(WHEELCHAIR), default="unknown"),
            Column("price", _price),
            Column("website", _website),
            *ACCESS_COLUMNS,
            Column("status", _one_of(STATUSES), default="published"),
        ),
    ),
    FileSpec(
        "itineraries.csv",
        (
            _req("id", _slug),
            _req("city_id", _slug),
            _req("title"),
            Column("title_zh"),
            Column("theme_id", lambda v: _slug(v) if v.strip() else ""),
            Column("summary"),
            Column("summary_zh"),
            Column("mode", _one_of(MODES), default="walk"),
            Column("start_time", _hhmm, default="09:00"),
            Column("featured", _bool),
            Column("status", _one_of(STATUSES), default="published"),
        ),
        optional_file=True,
    ),
    FileSpec(
        "itinerary_stops.csv",
        (
            _req("itinerary_id", _slug),
            _req("position", _int_in(1, 500)),
            _req("landmark_id", _slug),
            Column("dwell_minutes", _optional_int_in(0, 1440)),
            Column("note"),
            Column("note_zh"),
        ),
        optional_file=True,
    ),
    FileSpec(
        "stories.csv",
        (
            _req("id", _slug),
            _req("city_id", _slug),
            _req("title"),
            Column("title_zh"),
            Column("summary"),
            Column("summary_zh"),
            Column("itinerary_id", lambda v: _slug(v) if v.strip() else ""),
            Column("status", _one_of(STATUSES), default="published"),
        ),
        optional_file=True,
    ),
    FileSpec(
        "story_chapters.csv",
        (
            _req("story_id", _slug),
            _req("position", _int_in(1, 200)),
            _req("title"),
            Column("title_zh"),
            Column("text"),
            Column("text_zh"),
            Column("landmark_id", lambda v: _slug(v) if v.strip() else ""),
            Column("lat", _optional_float_in(-90, 90)),
            Column("lon", _optional_float_in(-180, 180)),
            Column("zoom", _optional_int_in(1, 19)),
            Column("image", _static_image),
            Column("image_alt"),
            Column("image_alt_zh"),
        ),
        optional_file=True,
    ),
)
SPEC_BY_NAME: Mapping[str, FileSpec] = {s.name: s for s in SPECS}
