"""Load and validate a folder of data-contract CSV files.

Validation reports every problem at once as ``file:line: column: message`` and loads nothing
when there is any problem. ``python -m itinerary validate DIR`` prints the same report. Each
problem is a code with its values (``itinerary.validation``), so pages show it in Chinese too;
the columns and their cell parsers are in ``itinerary.columns``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from itinerary import cityaccounts
from itinerary.cells import unguard_formula
from itinerary.columns import (
    MAX_KM_FROM_CITY,
    SLUG_RE,
    SPEC_BY_NAME,
    SPECS,
    Column,
    FileSpec,
)
from itinerary.geodesy import haversine_km
from itinerary.models import (
    Chapter,
    City,
    Dataset,
    Itinerary,
    Landmark,
    Stop,
    Story,
    Theme,
)
from itinerary.validation import CellError, Positions, Problem, ValidationError

__all__ = [
    "MAX_KM_FROM_CITY",
    "SLUG_RE",
    "SPECS",
    "SPEC_BY_NAME",
    "CellError",
    "City",
    "Column",
    "Dataset",
    "FileSpec",
    "Itinerary",
    "Landmark",
    "Problem",
    "Row",
    "Stop",
    "Theme",
    "ValidationError",
    "fingerprint",
    "load_dir",
    "load_files",
    "parse_file",
    "read_dir",
    "validate_rows",
]

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
        problems.append(Problem.coded(name, line, "-", "not_utf8"))
        return None


def _header(spec: FileSpec, reader: Any, problems: list[Problem]) -> list[str] | None:
    """The header row, or None (and its problems) when it is missing or does not fit the spec."""
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        problems.append(Problem.coded(spec.name, 1, "-", "empty_file"))
        return None
    except csv.Error as exc:
        problems.append(Problem.coded(spec.name, 1, "-", "unreadable_csv", error=str(exc)))
        return None
    known = spec.column_names
    found = len(problems)
    for col in spec.columns:
        if col.required and col.name not in header:
            problems.append(Problem.coded(spec.name, 1, col.name, "missing_column"))
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem.coded(spec.name, 1, name, "column_twice"))
        seen.add(name)
        if name not in known:
            problems.append(
                Problem.coded(spec.name, 1, name or "-", "unknown_column", expected=", ".join(known))
            )
    return header if len(problems) == found else None


def _parse_row(
    spec: FileSpec, line: int, cells: list[str], index: Mapping[str, int], problems: list[Problem]
) -> Row:
    """One row's cells parsed per column; each bad cell is a problem and is left out."""
    row: Row = {}
    for col in spec.columns:
        i = index.get(col.name)
        # exports guard cells a spreadsheet would run (cells.guard_formula): read the real text
        cell = unguard_formula(cells[i]) if i is not None and i < len(cells) else ""
        if not cell.strip():
            if col.non_empty:
                problems.append(Problem.coded(spec.name, line, col.name, "must_not_be_empty"))
                continue
            cell = col.default
        try:
            row[col.name] = col.parse(cell)
        except ValueError as exc:
            problems.append(Problem.of_error(spec.name, line, col.name, exc))
    return row


def parse_file(spec: FileSpec, raw: bytes, problems: list[Problem]) -> _Parsed:
    """Parse one file's bytes per its spec; append problems; return the rows that parsed."""
    parsed = _Parsed()
    text = _decode(spec.name, raw, problems)
    reader = csv.reader(io.StringIO(text or "", newline=""))
    header = None if text is None else _header(spec, reader, problems)
    if header is None:
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
            problems.append(Problem.coded(spec.name, line, "-", "unreadable_csv", error=str(exc)))
            break
        if not any(c.strip() for c in cells):
            continue  # blank lines are allowed (spreadsheets leave them)
        if len(cells) > len(header):
            problems.append(
                Problem.coded(spec.name, line, "-", "too_many_cells", cells=len(cells), columns=len(header))
            )
            continue
        # rows with problems are kept too (with the cells that parsed), so that the cross-file
        # checks can report their other problems; nothing is built from them.
        parsed.rows.append((line, _parse_row(spec, line, cells, index, problems)))
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
                Problem.coded(file, line, key, "duplicate_id", value=value, first=first_line[value])
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
            problems.append(Problem.coded(file, line, "city_id", "unknown_city", value=row["city_id"]))
        if city is not None and "lat" in row and "lon" in row and "lat" in city and "lon" in city:
            km = float(haversine_km(city["lat"], city["lon"], row["lat"], row["lon"]))
            if km > MAX_KM_FROM_CITY:
                problems.append(
                    Problem.coded(
                        file, line, "lat", "too_far", lat=row["lat"], lon=row["lon"], km=km, city=city["name"]
                    )
                )
        for theme in row.get("themes", ()):
            if theme not in themes:
                problems.append(Problem.coded(file, line, "themes", "unknown_theme", value=theme))


def _check_itineraries(
    rows: list[tuple[int, Row]], cities: dict[str, Row], themes: dict[str, Row], problems: list[Problem]
) -> None:
    file = "itineraries.csv"
    for line, row in rows:
        if "city_id" in row and row["city_id"] not in cities:
            problems.append(Problem.coded(file, line, "city_id", "unknown_city", value=row["city_id"]))
        if row.get("theme_id") and row["theme_id"] not in themes:
            problems.append(Problem.coded(file, line, "theme_id", "unknown_theme", value=row["theme_id"]))


def _check_stops(
    rows: list[tuple[int, Row]],
    itineraries: dict[str, Row],
    landmarks: dict[str, Row],
    problems: list[Problem],
) -> None:
    file = "itinerary_stops.csv"
    positions = Positions(file, "itinerary", "position_taken", "position_gaps")
    for line, row in rows:
        if "itinerary_id" not in row:
            continue
        it = itineraries.get(row["itinerary_id"])
        if it is None:
            problems.append(
                Problem.coded(file, line, "itinerary_id", "unknown_itinerary", value=row["itinerary_id"])
            )
            continue
        lm = landmarks.get(row.get("landmark_id", ""))
        if "landmark_id" in row and lm is None:
            problems.append(
                Problem.coded(file, line, "landmark_id", "unknown_landmark", value=row["landmark_id"])
            )
        elif lm is not None and lm.get("city_id") != it.get("city_id"):
            problems.append(
                Problem.coded(
                    file,
                    line,
                    "landmark_id",
                    "landmark_in_other_city",
                    landmark=lm["id"],
                    landmark_city=lm.get("city_id"),
                    city=it.get("city_id"),
                )
            )
        if "position" in row:
            positions.add(line, row["itinerary_id"], row["position"], problems)
    positions.finish(problems)


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
    cityaccounts.check_cities(files["cities.csv"].rows, problems)
    stories = _check_unique("stories.csv", files["stories.csv"].rows, "id", problems)
    if files["cities.csv"].readable and files["itineraries.csv"].readable and files["landmarks.csv"].readable:
        cityaccounts.check_stories(
            files["stories.csv"].rows,
            files["story_chapters.csv"].rows if files["stories.csv"].readable else [],
            cities=cities,
            itineraries=itineraries,
            landmarks=landmarks,
            stories=stories,
            problems=problems,
        )


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
        stories=tuple(Story(**r) for r in rows("stories.csv")),
        chapters=tuple(
            Chapter(**r)
            for r in sorted(rows("story_chapters.csv"), key=lambda r: (r["story_id"], r["position"]))
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
                problems.append(Problem.coded(spec.name, 0, "-", "missing_file"))
            parsed[spec.name] = _Parsed(readable=spec.optional_file)
            continue
        parsed[spec.name] = parse_file(spec, raw, problems)
    validate_rows(parsed, problems)
    programmes = _programmes(raw_files, parsed, problems)
    if problems:
        raise ValidationError(problems)
    return replace(_build(parsed), programmes=programmes)


def _programmes(
    raw_files: Mapping[str, bytes], parsed: Mapping[str, _Parsed], problems: list[Problem]
) -> Any:
    """The programme files' content (``itinerary.programmes.files``), checked against the
    cities and landmarks of the other files; their problems are added to ``problems``."""
    from itinerary.programmes import files as programme_files
    from itinerary.programmes.records import ProgrammeSet

    context = programme_files.Context(
        {r["id"]: r.get("timezone", "UTC") for _, r in parsed["cities.csv"].rows if "id" in r},
        {r["id"]: r.get("city_id", "") for _, r in parsed["landmarks.csv"].rows if "id" in r},
    )
    try:
        return programme_files.read_files(raw_files, context)
    except ValidationError as error:
        problems.extend(error.problems)
        return ProgrammeSet()


def read_dir(directory: Path) -> dict[str, bytes]:
    """The data-contract files present in ``directory``, as bytes."""
    from itinerary.programmes.records import FILES as PROGRAMME_FILES

    names = (*(spec.name for spec in SPECS), *PROGRAMME_FILES)
    return {name: (directory / name).read_bytes() for name in names if (directory / name).is_file()}


def load_dir(directory: Path | str) -> Dataset:
    """Load and validate the data-contract files of a folder; raise ValidationError."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ValidationError([Problem.coded(str(directory), 0, "-", "no_such_folder")])
    return load_files(read_dir(directory))


def fingerprint(directory: Path | str) -> str:
    """A hash of the data-contract files of a folder, to tell whether they changed."""
    digest = hashlib.sha256()
    for name, raw in sorted(read_dir(Path(directory)).items()):
        digest.update(name.encode())
        digest.update(hashlib.sha256(raw).digest())
    return digest.hexdigest()
