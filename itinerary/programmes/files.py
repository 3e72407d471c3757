"""The programmes' data-contract files: their columns, reading with every problem reported, and
writing (the same records give the same bytes, and the bytes read back to the same records).

``programmes.csv`` (key ``id``), ``programme_venues.csv`` (key ``programme_id, id``) and
``programme_items.csv`` (key ``programme_id, position``). All three are optional in a data
folder or an upload; each problem is ``file:line: column: message`` with a code and values.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from itinerary.cells import cell_text, guard_formula
from itinerary.columns import (
    DATE_RE,
    LAT,
    LON,
    Column,
    FileSpec,
    _hhmm,
    _int_in,
    _one_of,
    _opening_hours,
    _req,
    _slug,
)
from itinerary.models import STATUSES
from itinerary.programmes.records import (
    FILES,
    ITEM_KINDS,
    KINDS,
    PLACELESS_KINDS,
    PROGRAMME_MODES,
    VISIBILITIES,
    Item,
    Programme,
    ProgrammeSet,
    Venue,
    wall_time_exists,
)
from itinerary.seed import parse_file
from itinerary.validation import CellError, Problem, ValidationError

PROGRAMMES, VENUES, ITEMS = FILES


def _day(value: str) -> str:
    value = value.strip()
    try:
        if DATE_RE.match(value) and date.fromisoformat(value):
            return value
    except ValueError:
        pass
    raise CellError("not_a_date", value=value)


def _optional_slug(value: str) -> str:
    return _slug(value) if value.strip() else ""


SPECS: tuple[FileSpec, ...] = (
    FileSpec(
        PROGRAMMES,
        (
            _req("id", _slug),
            _req("city_id", _slug),
            _req("title"),
            Column("title_zh"),
            Column("summary"),
            Column("summary_zh"),
            Column("kind", _one_of(KINDS), default="delegation"),
            _req("start_date", _day),
            _req("end_date", _day),
            Column("host"),
            Column("host_zh"),
            Column("mode", _one_of(PROGRAMME_MODES), default="coach"),
            Column("visibility", _one_of(VISIBILITIES), default="unlisted"),
            Column("max_day_minutes", _int_in(30, 1440), default="600"),
            Column("status", _one_of(STATUSES), default="draft"),
        ),
        optional_file=True,
    ),
    FileSpec(
        VENUES,
        (
            _req("programme_id", _slug),
            _req("id", _slug),
            _req("name"),
            Column("name_zh"),
            _req("lat", LAT),
            _req("lon", LON),
            Column("address"),
            Column("address_zh"),
            Column("opening_hours", _opening_hours),
        ),
        optional_file=True,
    ),
    FileSpec(
        ITEMS,
        (
            _req("programme_id", _slug),
            _req("position", _int_in(1, 500)),
            _req("day", _day),
            _req("start", _hhmm),
            _req("end", _hhmm),
            Column("kind", _one_of(ITEM_KINDS), default="visit"),
            Column("landmark_id", _optional_slug),
            Column("venue_id", _optional_slug),
            Column("title"),
            Column("title_zh"),
            Column("note"),
            Column("note_zh"),
        ),
        optional_file=True,
    ),
)
SPEC_BY_NAME: Mapping[str, FileSpec] = {s.name: s for s in SPECS}


@dataclass(frozen=True, slots=True)
class Context:
    """What the programmes' references are checked against: cities with their time zones, and
    the landmarks with their cities."""

    city_timezones: Mapping[str, str]
    landmark_cities: Mapping[str, str]


Rows = list[tuple[int, dict[str, Any]]]


def _check_programmes(rows: Rows, context: Context, problems: list[Problem]) -> dict[str, dict[str, Any]]:
    by_id: dict[str, dict[str, Any]] = {}
    first: dict[str, int] = {}
    for line, row in rows:
        pid = row.get("id")
        if pid is None:
            continue
        if pid in first:
            problems.append(
                Problem.coded(PROGRAMMES, line, "id", "duplicate_id", value=pid, first=first[pid])
            )
            continue
        first[pid] = line
        by_id[pid] = row
        if "city_id" in row and row["city_id"] not in context.city_timezones:
            problems.append(Problem.coded(PROGRAMMES, line, "city_id", "unknown_city", value=row["city_id"]))
        start, end = row.get("start_date"), row.get("end_date")
        if start and end and end < start:
            problems.append(
                Problem.coded(PROGRAMMES, line, "end_date", "prog_ends_before_start", start=start, end=end)
            )
        elif start and end and (date.fromisoformat(end) - date.fromisoformat(start)).days >= 31:
            problems.append(Problem.coded(PROGRAMMES, line, "end_date", "prog_too_many_days", days=31))
    return by_id


def _check_venues(
    rows: Rows, programmes: Mapping[str, dict[str, Any]], problems: list[Problem]
) -> set[tuple[str, str]]:
    keys: dict[tuple[str, str], int] = {}
    for line, row in rows:
        pid, vid = row.get("programme_id"), row.get("id")
        if pid is None or vid is None:
            continue
        if pid not in programmes:
            problems.append(Problem.coded(VENUES, line, "programme_id", "prog_unknown_programme", value=pid))
        if (pid, vid) in keys:
            problems.append(
                Problem.coded(VENUES, line, "id", "duplicate_id", value=vid, first=keys[(pid, vid)])
            )
            continue
        keys[(pid, vid)] = line
    return set(keys)


def _check_item(
    line: int,
    row: dict[str, Any],
    programme: dict[str, Any],
    venues: set[tuple[str, str]],
    context: Context,
    problems: list[Problem],
) -> None:
    pid = row["programme_id"]
    landmark, venue, kind = row.get("landmark_id", ""), row.get("venue_id", ""), row.get("kind", "visit")
    if landmark and venue:
        problems.append(Problem.coded(ITEMS, line, "venue_id", "prog_two_places"))
    elif not landmark and not venue and kind not in PLACELESS_KINDS:
        problems.append(Problem.coded(ITEMS, line, "landmark_id", "prog_no_place", kind=kind))
    if landmark:
        city = context.landmark_cities.get(landmark)
        if city is None:
            problems.append(Problem.coded(ITEMS, line, "landmark_id", "unknown_landmark", value=landmark))
        elif city != programme.get("city_id"):
            problems.append(
                Problem.coded(
                    ITEMS,
                    line,
                    "landmark_id",
                    "landmark_in_other_city",
                    landmark=landmark,
                    landmark_city=city,
                    city=programme.get("city_id"),
                )
            )
    if venue and (pid, venue) not in venues:
        problems.append(
            Problem.coded(ITEMS, line, "venue_id", "prog_unknown_venue", value=venue, programme=pid)
        )
    day = row.get("day")
    first, last = programme.get("start_date"), programme.get("end_date")
    if day and first and last and not first <= day <= last:
        problems.append(Problem.coded(ITEMS, line, "day", "prog_day_outside", day=day, start=first, end=last))
    start, end = row.get("start"), row.get("end")
    if start and end and end <= start:
        problems.append(
            Problem.coded(ITEMS, line, "end", "prog_item_ends_before_start", start=start, end=end)
        )
    timezone = context.city_timezones.get(programme.get("city_id", ""))
    if day and timezone:
        for column in ("start", "end"):
            if row.get(column) and not wall_time_exists(day, row[column], timezone):
                problems.append(
                    Problem.coded(ITEMS, line, column, "prog_time_skipped", time=row[column], day=day)
                )


def _check_items(
    rows: Rows,
    programmes: Mapping[str, dict[str, Any]],
    venues: set[tuple[str, str]],
    context: Context,
    problems: list[Problem],
) -> None:
    positions: dict[tuple[str, int], int] = {}
    for line, row in rows:
        pid = row.get("programme_id")
        if pid is None:
            continue
        programme = programmes.get(pid)
        if programme is None:
            problems.append(Problem.coded(ITEMS, line, "programme_id", "prog_unknown_programme", value=pid))
            continue
        if "position" in row:
            key = (pid, row["position"])
            if key in positions:
                problems.append(
                    Problem.coded(
                        ITEMS,
                        line,
                        "position",
                        "position_taken",
                        position=row["position"],
                        itinerary=pid,
                        other=positions[key],
                    )
                )
            positions[key] = line
        _check_item(line, row, programme, venues, context, problems)


def read_files(raw_files: Mapping[str, bytes], context: Context) -> ProgrammeSet:
    """The programmes of a set of files (bytes by name; any may be missing); raise
    ``ValidationError`` with every problem, and build nothing, when there is one."""
    problems: list[Problem] = []
    parsed = {
        spec.name: parse_file(spec, raw_files.get(spec.name, b""), problems)
        for spec in SPECS
        if spec.name in raw_files
    }
    rows: dict[str, Rows] = {name: parsed[name].rows if name in parsed else [] for name in FILES}
    programmes = _check_programmes(rows[PROGRAMMES], context, problems)
    venues = _check_venues(rows[VENUES], programmes, problems)
    _check_items(rows[ITEMS], programmes, venues, context, problems)
    if problems:
        raise ValidationError(problems)
    return ProgrammeSet(
        tuple(sorted((Programme(**r) for _, r in rows[PROGRAMMES]), key=lambda p: p.id)),
        tuple(sorted((Venue(**r) for _, r in rows[VENUES]), key=lambda v: (v.programme_id, v.id))),
        tuple(sorted((Item(**r) for _, r in rows[ITEMS]), key=lambda i: (i.programme_id, i.position))),
    )


def _csv_bytes(spec: FileSpec, records: Iterable[Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(spec.column_names)
    for record in records:
        writer.writerow([guard_formula(cell_text(getattr(record, name))) for name in spec.column_names])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")  # a BOM, as the other exports


def write_files(data: ProgrammeSet) -> dict[str, bytes]:
    """The three files of ``data``, sorted by key: the same records give the same bytes."""
    return {
        PROGRAMMES: _csv_bytes(SPEC_BY_NAME[PROGRAMMES], sorted(data.programmes, key=lambda p: p.id)),
        VENUES: _csv_bytes(SPEC_BY_NAME[VENUES], sorted(data.venues, key=lambda v: (v.programme_id, v.id))),
        ITEMS: _csv_bytes(
            SPEC_BY_NAME[ITEMS], sorted(data.items, key=lambda i: (i.programme_id, i.position))
        ),
    }


MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a city's programmes are small; so is anything unpacked


def read_upload(uploads: Mapping[str, bytes]) -> dict[str, bytes]:
    """The programme files of an upload (CSV files, or a zip of them, such as the staff's
    export): by file name; every other name, and anything too large, is a problem."""
    import zipfile
    from pathlib import PurePosixPath

    found: dict[str, bytes] = {}
    problems: list[Problem] = []

    def add(name: str, raw: bytes) -> None:
        base = PurePosixPath(name.replace("\\", "/")).name
        if base not in FILES:
            problems.append(Problem.coded(name, 0, "-", "not_a_contract_file", expected=", ".join(FILES)))
        elif base in found:
            problems.append(Problem.coded(name, 0, "-", "given_twice", spec=base, earlier=base))
        else:
            found[base] = raw

    for name, raw in uploads.items():
        if len(raw) > MAX_UPLOAD_BYTES:
            problems.append(
                Problem.coded(name, 0, "-", "upload_too_large", megabytes=MAX_UPLOAD_BYTES // 2**20)
            )
        elif raw[:4] == b"PK\x03\x04":
            try:
                with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                    members = [m for m in archive.infolist() if not m.is_dir()]
                    left = MAX_UPLOAD_BYTES  # the sizes in a zip's header are not trusted: reads are bounded
                    for member in members[:8]:
                        with archive.open(member) as entry:
                            data = entry.read(left + 1)
                        left -= len(data)
                        if left < 0:
                            problems.append(Problem.coded(name, 0, "-", "zip_unpacked_too_large"))
                            break
                        add(member.filename, data)
                    if len(members) > 8:
                        problems.append(
                            Problem.coded(name, 0, "-", "zip_too_many_entries", count=len(members), limit=8)
                        )
            except (zipfile.BadZipFile, OSError, RuntimeError) as error:
                problems.append(Problem.coded(name, 0, "-", "zip_unreadable", error=str(error)))
        else:
            add(name, raw)
    if problems:
        raise ValidationError(problems)
    return found
