"""Load and validate a folder of data-contract CSV files.

Validation reports every problem at once as ``file:line: column: message`` and loads nothing
when there is any problem. ``python -m itinerary validate DIR`` prints the same report.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import math
import re
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import opening_hours

from itinerary.models import (
    MODES,
    STATUSES,
    WHEELCHAIR,
    City,
    Dataset,
    Itinerary,
    Landmark,
    Stop,
    Theme,
)
from itinerary.routing import haversine_km

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
ICON_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
PRICE_RE = re.compile(r"^(free|[A-Z]{3} \d+(?:\.\d{1,2})?(?:-\d+(?:\.\d{1,2})?)?)$")
URL_RE = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
# A landmark further than this from its city's centre is almost surely a typo, swapped
# lat/lon or a wrong sign; the largest city areas we promote span well under this.
MAX_KM_FROM_CITY = 150.0

TRUE_WORDS = {"yes", "true", "1"}
FALSE_WORDS = {"no", "false", "0", ""}


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One validation finding, located in a file."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


class ValidationError(Exception):
    """Raised with every problem found; nothing was loaded."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the data files")

    def report(self) -> str:
        return "\n".join(str(p) for p in self.problems)


# --- cell parsers: str -> value, raise ValueError(message) ------------------------------------


def _text(value: str) -> str:
    return value.strip()


def _slug(value: str) -> str:
    value = value.strip()
    if not SLUG_RE.match(value):
        raise ValueError(f"{value!r} is not a lowercase slug (letters, digits, single hyphens)")
    return value


def _float_in(lo: float, hi: float) -> Callable[[str], float]:
    def parse(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a decimal number") from None
        if not math.isfinite(number) or not lo <= number <= hi:
            raise ValueError(f"{value} is out of range ({lo:g} to {hi:g})")
        return number

    return parse


def _int_in(lo: int, hi: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a whole number") from None
        if not lo <= number <= hi:
            raise ValueError(f"{number} is out of range ({lo} to {hi})")
        return number

    return parse


def _optional_int_in(lo: int, hi: int) -> Callable[[str], int | None]:
    strict = _int_in(lo, hi)
    return lambda value: strict(value) if value.strip() else None


def _one_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        value = value.strip()
        if value not in choices:
            raise ValueError(f"{value!r} is not one of {', '.join(choices)}")
        return value

    return parse


def _timezone(value: str) -> str:
    value = value.strip()
    if value not in _time_zones():
        raise ValueError(f"{value!r} is not an IANA time zone (like Asia/Shanghai)")
    return value


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _color(value: str) -> str:
    value = value.strip()
    if not COLOR_RE.match(value):
        raise ValueError(f"{value!r} is not a #rrggbb colour")
    return value.lower()


def _icon(value: str) -> str:
    value = value.strip()
    if not ICON_RE.match(value):
        raise ValueError(f"{value!r} is not an icon name (like leaf or utensils)")
    return value


def _slug_list(value: str) -> tuple[str, ...]:
    items = tuple(v.strip() for v in value.split(";") if v.strip())
    for item in items:
        _slug(item)
    if len(set(items)) != len(items):
        raise ValueError("lists a theme twice")
    return items


def _opening_hours(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        opening_hours.OpeningHours(value, auto_country=False, auto_timezone=False)
    except Exception as exc:  # the library raises its own ParserError (not in its stubs)
        where = re.search(r"--> \d+:(\d+)", str(exc))
        at = f" at character {where.group(1)}" if where else ""
        raise ValueError(
            f"{value!r} is not OpenStreetMap opening_hours syntax{at} (like 'Tu-Su 10:00-18:00; Mo off')"
        ) from None
    return value


def _price(value: str) -> str:
    value = value.strip()
    if value and not PRICE_RE.match(value):
        raise ValueError(f"{value!r} is not 'free', 'CNY 60' or 'CNY 80-150'")
    return value


def _website(value: str) -> str:
    value = value.strip()
    if value and not URL_RE.match(value):
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


def _hhmm(value: str) -> str:
    value = value.strip()
    if not TIME_RE.match(value):
        raise ValueError(f"{value!r} is not a 24-hour time HH:MM")
    return value


def _bool(value: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{value!r} is not yes or no")


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    parse: Callable[[str], Any] = _text
    required: bool = False  # the column must be present in the header
    non_empty: bool = False  # the cell must not be empty
    default: str = ""  # what an empty cell means (parsed like any value)


@dataclass(frozen=True, slots=True)
class FileSpec:
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
)
SPEC_BY_NAME: Mapping[str, FileSpec] = {s.name: s for s in SPECS}

Row = dict[str, Any]


@dataclass
class _Parsed:
    """Rows of one file that parsed cleanly, each with its line number."""

    rows: list[tuple[int, Row]] = field(default_factory=list)
    readable: bool = True  # False when the file could not be decoded or its header is wrong


def _decode(name: str, raw: bytes, problems: list[Problem]) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(name, line, "-", "file is not UTF-8 text (save it as CSV UTF-8); nothing loaded")
        )
        return None


def parse_file(spec: FileSpec, raw: bytes, problems: list[Problem]) -> _Parsed:
    """Parse one file's bytes per its spec; append problems; return the rows that parsed."""
    parsed = _Parsed()
    text = _decode(spec.name, raw, problems)
    if text is None:
        parsed.readable = False
        return parsed
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        problems.append(Problem(spec.name, 1, "-", "file is empty; expected a header row"))
        parsed.readable = False
        return parsed
    except csv.Error as exc:
        problems.append(Problem(spec.name, 1, "-", f"unreadable CSV: {exc}"))
        parsed.readable = False
        return parsed
    known = spec.column_names
    header_ok = True
    for col in spec.columns:
        if col.required and col.name not in header:
            problems.append(Problem(spec.name, 1, col.name, "missing required column"))
            header_ok = False
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem(spec.name, 1, name, "column appears twice"))
            header_ok = False
        seen.add(name)
        if name not in known:
            problems.append(
                Problem(spec.name, 1, name or "-", f"unknown column (expected: {', '.join(known)})")
            )
            header_ok = False
    if not header_ok:
        parsed.readable = False
        return parsed
    index = {name: i for i, name in enumerate(header)}
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(spec.name, line, "-", f"unreadable CSV: {exc}"))
            break
        if not any(c.strip() for c in cells):
            continue  # blank lines are allowed (spreadsheets leave them)
        if len(cells) > len(header):
            problems.append(
                Problem(
                    spec.name,
                    line,
                    "-",
                    f"{len(cells)} cells but the header has {len(header)} columns "
                    "(a comma inside a value needs quotes)",
                )
            )
            continue
        row: Row = {}
        for col in spec.columns:
            i = index.get(col.name)
            cell = cells[i] if i is not None and i < len(cells) else ""
            if not cell.strip():
                if col.non_empty:
                    problems.append(Problem(spec.name, line, col.name, "must not be empty"))
                    continue
                cell = col.default
            try:
                row[col.name] = col.parse(cell)
            except ValueError as exc:
                problems.append(Problem(spec.name, line, col.name, str(exc)))
        # rows with problems are kept too (with the cells that parsed), so that the cross-file
        # checks can report their other problems; nothing is built from them.
        parsed.rows.append((line, row))
    return parsed


def _check_unique(
    file: str, rows: list[tuple[int, Row]], key: str, problems: list[Problem]
) -> dict[str, Row]:
    first_line: dict[str, int] = {}
    by_id: dict[str, Row] = {}
    for line, row in rows:
        value = row.get(key)
        if value is None:
            continue
        if value in first_line:
            problems.append(
                Problem(file, line, key, f"duplicate id {value!r} (first on line {first_line[value]})")
            )
            continue
        first_line[value] = line
        by_id[value] = row
    return by_id


def _check_landmarks(
    rows: list[tuple[int, Row]], cities: dict[str, Row], themes: dict[str, Row], problems: list[Problem]
) -> None:
    file = "landmarks.csv"
    for line, row in rows:
        city = cities.get(row.get("city_id", ""))
        if "city_id" in row and city is None:
            problems.append(Problem(file, line, "city_id", f"unknown city {row['city_id']!r}"))
        if city is not None and "lat" in row and "lon" in row and "lat" in city and "lon" in city:
            km = float(haversine_km(city["lat"], city["lon"], row["lat"], row["lon"]))
            if km > MAX_KM_FROM_CITY:
                problems.append(
                    Problem(
                        file,
                        line,
                        "lat",
                        f"({row['lat']}, {row['lon']}) is {km:,.0f} km from {city['name']}: "
                        "lat and lon swapped or mistyped?",
                    )
                )
        for theme in row.get("themes", ()):
            if theme not in themes:
                problems.append(Problem(file, line, "themes", f"unknown theme {theme!r}"))


def _check_itineraries(
    rows: list[tuple[int, Row]], cities: dict[str, Row], themes: dict[str, Row], problems: list[Problem]
) -> None:
    file = "itineraries.csv"
    for line, row in rows:
        if "city_id" in row and row["city_id"] not in cities:
            problems.append(Problem(file, line, "city_id", f"unknown city {row['city_id']!r}"))
        if row.get("theme_id") and row["theme_id"] not in themes:
            problems.append(Problem(file, line, "theme_id", f"unknown theme {row['theme_id']!r}"))


def _check_stops(
    rows: list[tuple[int, Row]],
    itineraries: dict[str, Row],
    landmarks: dict[str, Row],
    problems: list[Problem],
) -> None:
    file = "itinerary_stops.csv"
    positions: dict[str, dict[int, int]] = {}
    for line, row in rows:
        if "itinerary_id" not in row:
            continue
        it = itineraries.get(row["itinerary_id"])
        if it is None:
            problems.append(Problem(file, line, "itinerary_id", f"unknown itinerary {row['itinerary_id']!r}"))
            continue
        lm = landmarks.get(row.get("landmark_id", ""))
        if "landmark_id" in row and lm is None:
            problems.append(Problem(file, line, "landmark_id", f"unknown landmark {row['landmark_id']!r}"))
        elif lm is not None and lm.get("city_id") != it.get("city_id"):
            problems.append(
                Problem(
                    file,
                    line,
                    "landmark_id",
                    f"landmark {lm['id']!r} is in {lm.get('city_id')!r}, "
                    f"not in the itinerary's city {it.get('city_id')!r}",
                )
            )
        if "position" not in row:
            continue
        seen = positions.setdefault(row["itinerary_id"], {})
        if row["position"] in seen:
            problems.append(
                Problem(
                    file,
                    line,
                    "position",
                    f"position {row['position']} of {row['itinerary_id']!r} "
                    f"is taken (line {seen[row['position']]})",
                )
            )
        else:
            seen[row["position"]] = line
    for itinerary_id, seen in positions.items():
        if set(seen) != set(range(1, len(seen) + 1)):
            problems.append(
                Problem(
                    file,
                    max(seen.values()),
                    "position",
                    f"positions of {itinerary_id!r} are {sorted(seen)}; "
                    f"expected 1 to {len(seen)} without gaps",
                )
            )


def validate_rows(files: Mapping[str, _Parsed], problems: list[Problem]) -> None:
    """Cross-file checks: unique ids, references, stop positions, plausible positions."""
    cities = _check_unique("cities.csv", files["cities.csv"].rows, "id", problems)
    themes = _check_unique("themes.csv", files["themes.csv"].rows, "id", problems)
    landmarks = _check_unique("landmarks.csv", files["landmarks.csv"].rows, "id", problems)
    itineraries = _check_unique("itineraries.csv", files["itineraries.csv"].rows, "id", problems)
    # a file that could not be read at all has already been reported: checking references
    # to its ids would only repeat that problem once per referring row
    if files["cities.csv"].readable and files["themes.csv"].readable:
        _check_landmarks(files["landmarks.csv"].rows, cities, themes, problems)
        _check_itineraries(files["itineraries.csv"].rows, cities, themes, problems)
    if files["itineraries.csv"].readable and files["landmarks.csv"].readable:
        _check_stops(files["itinerary_stops.csv"].rows, itineraries, landmarks, problems)


def _build(files: Mapping[str, _Parsed]) -> Dataset:
    def rows(name: str) -> list[Row]:
        return [row for _, row in files[name].rows]

    return Dataset(
        cities=tuple(City(**r) for r in rows("cities.csv")),
        themes=tuple(Theme(**r) for r in rows("themes.csv")),
        landmarks=tuple(Landmark(**r) for r in rows("landmarks.csv")),
        itineraries=tuple(Itinerary(**r) for r in rows("itineraries.csv")),
        stops=tuple(
            Stop(**r)
            for r in sorted(rows("itinerary_stops.csv"), key=lambda r: (r["itinerary_id"], r["position"]))
        ),
    )


def load_files(raw_files: Mapping[str, bytes]) -> Dataset:
    """Validate a whole set of files given as bytes by file name; raise ValidationError."""
    problems: list[Problem] = []
    parsed: dict[str, _Parsed] = {}
    for spec in SPECS:
        raw = raw_files.get(spec.name)
        if raw is None:
            if not spec.optional_file:
                problems.append(Problem(spec.name, 0, "-", "file is missing"))
            parsed[spec.name] = _Parsed(readable=spec.optional_file)
            continue
        parsed[spec.name] = parse_file(spec, raw, problems)
    validate_rows(parsed, problems)
    if problems:
        raise ValidationError(problems)
    return _build(parsed)


def read_dir(directory: Path) -> dict[str, bytes]:
    """The data-contract files present in ``directory``, as bytes."""
    return {
        spec.name: (directory / spec.name).read_bytes() for spec in SPECS if (directory / spec.name).is_file()
    }


def load_dir(directory: Path | str) -> Dataset:
    """Load and validate the data-contract files of a folder; raise ValidationError."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ValidationError([Problem(str(directory), 0, "-", "no such folder")])
    return load_files(read_dir(directory))


def fingerprint(directory: Path | str) -> str:
    """A hash of the data-contract files of a folder, to tell whether they changed."""
    digest = hashlib.sha256()
    for name, raw in sorted(read_dir(Path(directory)).items()):
        digest.update(name.encode())
        digest.update(hashlib.sha256(raw).digest())
    return digest.hexdigest()
