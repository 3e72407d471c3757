"""Staff import and export in the data contract: CSV files, a zip of them, or GeoJSON.

- ``read_upload`` / ``read_path`` turn what was uploaded (a CSV, a zip, a GeoJSON file, a folder)
  into data-contract CSV bytes by file name, reporting files that are not part of the contract,
  oversized or suspicious zip members and unreadable GeoJSON as ``Problem``s.
- ``preview`` validates with the seed's own parsers and cross-file checks against the union of
  the upload and the database, checks permissions, optionally geocodes landmarks that have an
  address but no coordinates, and lists every row that would be added or changed (field by
  field) and every problem as ``file:line: column: message`` in the upload's own names.
- ``apply`` writes a problem-free plan in one transaction, through the curation writers (history
  rows, action ``import``), based on the versions the preview saw: a concurrent edit in between
  raises ``curation.Conflict`` and nothing is written.
- ``export_zip`` / ``export_geojson`` write a city in the contract; importing the export again
  changes nothing (round trip).

An import is an upsert by id, never a delete. An itinerary whose stops are in the upload gets
exactly those stops. Rows of cities.csv and themes.csv that would change the database need
``MANAGE_CITIES``; identical ones are ignored, so an editor can import an export unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, Final

import sqlalchemy as sa

from itinerary import curation, seed, settings
from itinerary import store as st_
from itinerary.accounts import IMPORT, MANAGE_CITIES, PUBLISH, Account, can
from itinerary.cells import cell_text
from itinerary.geocode import Geocoder, MessageCode
from itinerary.models import City, Itinerary, Landmark, Stop, Theme

Progress = Callable[[int, int, str], None]  # (done, total, label)
Snapshot = dict[str, Any]

CITY: Final = "city"
THEME: Final = "theme"
LANDMARK: Final = curation.LANDMARK
ITINERARY: Final = curation.ITINERARY
ENTITIES: Final = (CITY, THEME, LANDMARK, ITINERARY)

CONTRACT_FILES: Final = tuple(spec.name for spec in seed.SPECS)
GEOJSON_NAME: Final = "landmarks.geojson"

MAX_UPLOAD_BYTES: Final = 50 * 1024 * 1024  # what arrives (a zip: compressed)
MAX_FILE_BYTES: Final = 50 * 1024 * 1024  # one file once unpacked
MAX_TOTAL_BYTES: Final = 120 * 1024 * 1024  # all files of a zip once unpacked
MAX_ZIP_MEMBERS: Final = 64

# Fixed zip entry time: the same content gives byte-identical exports.
_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)
# Files that operating systems add to zips and folders by themselves.
_OS_JUNK: Final = re.compile(r"(^|/)(__MACOSX/|\._|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)
# "landmarks (1).csv": what a browser names a second download of the same file.
_DOWNLOAD_SUFFIX: Final = re.compile(r"\s*\(\d+\)$")

_GEOCODE_MESSAGES: Final[Mapping[MessageCode, str]] = {
    "not_found": "no place found for this address; lat and lon are empty: enter them",
    "offline": "address lookup is switched off (offline); lat and lon are empty: enter them",
    "timeout": "address lookup timed out; lat and lon are empty: try again or enter them",
    "rate_limited": "address lookup is busy (rate limited); lat and lon are empty: try again later",
    "service_error": "address lookup failed (server error); lat and lon are empty: try again or enter them",
}


class PlanHasProblems(ValueError):
    """``apply`` was given a plan with problems; nothing was written."""


class Stale(curation.Conflict):
    """A city or theme changed between the preview and the apply; nothing was written."""

    def __init__(self, entity: str, entity_id: str) -> None:
        super().__init__(entity, entity_id, base_version=0, current_version=0)
        self.args = (f"{entity} {entity_id!r} was changed since the preview; preview the import again",)


# --- reading what was uploaded ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UploadFile:
    """One data-contract file of an upload, as CSV bytes."""

    spec: str  # the contract name: landmarks.csv
    source: str  # the name problems carry: "export/landmarks.csv", "landmarks.geojson"
    raw: bytes | None  # None: given but unusable (already reported)
    # CSV line -> the source's own line (GeoJSON: feature number); empty when the same
    lines: Mapping[int, int] = field(default_factory=dict)
    unit: str = "line"  # what the source's lines are called in messages ("feature" for GeoJSON)


@dataclass
class Upload:
    """The data-contract files found in an upload, and what was wrong with the upload itself."""

    files: dict[str, UploadFile] = field(default_factory=dict)
    problems: list[seed.Problem] = field(default_factory=list)

    def add(self, item: UploadFile) -> None:
        earlier = self.files.get(item.spec)
        if earlier is not None:
            self.problems.append(
                seed.Problem(item.source, 0, "-", f"{item.spec} given twice (also as {earlier.source})")
            )
            return
        self.files[item.spec] = item

    @classmethod
    def of(cls, files: Mapping[str, bytes]) -> Upload:
        """An upload from file bytes by name (CSV or GeoJSON names)."""
        upload = cls()
        for name, raw in files.items():
            _add_file(upload, name, raw)
        return upload


def contract_name(file_name: str) -> str | None:
    """The data-contract file a file name stands for (case, folders and "(1)" ignored), if any."""
    path = PurePosixPath(file_name.replace("\\", "/"))
    stem = _DOWNLOAD_SUFFIX.sub("", path.stem).strip().lower()
    suffix = path.suffix.lower()
    if suffix == ".csv" and f"{stem}.csv" in CONTRACT_FILES:
        return f"{stem}.csv"
    if suffix in (".geojson", ".json"):
        return GEOJSON_NAME
    return None


def _unknown_file(upload: Upload, name: str) -> None:
    upload.problems.append(
        seed.Problem(
            name,
            0,
            "-",
            f"not a data-contract file (expected {', '.join(CONTRACT_FILES)}, "
            "a zip of them, or a GeoJSON FeatureCollection of landmarks)",
        )
    )


def _add_file(upload: Upload, name: str, raw: bytes) -> None:
    kind = contract_name(name)
    if kind is None:
        _unknown_file(upload, name)
    elif kind == GEOJSON_NAME:
        upload.add(_geojson_file(name, raw, upload.problems))
    else:
        upload.add(_csv_file(kind, name, raw, upload.problems))


def _csv_file(spec: str, source: str, raw: bytes, problems: list[seed.Problem]) -> UploadFile:
    # A spreadsheet set to a European locale saves "CSV" with semicolons (or tabs): say so
    # instead of reporting one unknown column with the whole header in its name.
    first = raw.split(b"\n", 1)[0]
    if b"," not in first and (b";" in first or b"\t" in first):
        sep = "semicolons" if b";" in first else "tabs"
        problems.append(
            seed.Problem(
                source,
                1,
                "-",
                f"columns are separated by {sep}, not commas: save as 'CSV UTF-8 (Comma delimited)'",
            )
        )
        return UploadFile(spec, source, None)
    return UploadFile(spec, source, raw)


def read_upload(name: str, data: bytes) -> Upload:
    """The files of one uploaded file: a contract CSV, a zip of them, or a GeoJSON file."""
    upload = Upload()
    if len(data) > MAX_UPLOAD_BYTES:
        upload.problems.append(
            seed.Problem(name, 0, "-", f"file is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
        )
        return upload
    if name.lower().endswith(".zip") or data[:4] == b"PK\x03\x04":
        _read_zip(upload, name, data)
    else:
        _add_file(upload, PurePosixPath(name.replace("\\", "/")).name, data)
    return upload


def read_path(path: Path | str) -> Upload:
    """What ``read_upload`` gives for a file, or the contract files of a folder."""
    path = Path(path)
    if path.is_dir():
        upload = Upload()
        for child in sorted(path.iterdir()):
            if child.is_file() and contract_name(child.name) is not None:
                _add_file(upload, child.name, child.read_bytes())
        if not upload.files and not upload.problems:
            upload.problems.append(
                seed.Problem(str(path), 0, "-", f"no data-contract files here ({', '.join(CONTRACT_FILES)})")
            )
        return upload
    if not path.is_file():
        return Upload(problems=[seed.Problem(str(path), 0, "-", "no such file or folder")])
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        return Upload(
            problems=[seed.Problem(path.name, 0, "-", f"file is larger than {MAX_UPLOAD_BYTES // 2**20} MB")]
        )
    return read_upload(path.name, path.read_bytes())


def _read_zip(upload: Upload, name: str, data: bytes) -> None:
    def problem(where: str, message: str) -> None:
        upload.problems.append(seed.Problem(where, 0, "-", message))

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        problem(name, f"not a readable zip file ({exc})")
        return
    if len(members) > MAX_ZIP_MEMBERS:
        problem(name, f"zip holds {len(members)} entries; at most {MAX_ZIP_MEMBERS} are read")
        return
    total = 0
    with archive:
        for info in members:
            member = info.filename
            if info.is_dir() or _OS_JUNK.search(member):
                continue
            parts = member.replace("\\", "/").split("/")
            if member.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
                problem(member, "unsafe path in zip (absolute or with '..'); not read")
                continue
            if contract_name(member) is None:
                _unknown_file(upload, member)
                continue
            if info.flag_bits & 0x1:
                problem(member, "encrypted zip entry; not read")
                continue
            if info.file_size > MAX_FILE_BYTES or total + info.file_size > MAX_TOTAL_BYTES:
                problem(member, f"too large once unpacked ({info.file_size:,} bytes); not read")
                continue
            try:
                with archive.open(info) as handle:
                    # the header's size can lie (zip bombs): never read more than the limit
                    raw = handle.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
                problem(member, f"unreadable zip entry ({exc})")
                continue
            total += len(raw)
            if len(raw) > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
                problem(member, "too large once unpacked; not read")
                return
            _add_file(upload, member, raw)
    if not upload.files and not upload.problems:
        problem(name, f"the zip holds no data-contract files ({', '.join(CONTRACT_FILES)})")


# --- GeoJSON: Point features whose properties are landmarks.csv columns ----------------------------

_LANDMARK_COLUMNS: Final = seed.SPEC_BY_NAME["landmarks.csv"].column_names


def _property_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | tuple):
        return ";".join(_property_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _geojson_file(source: str, raw: bytes, problems: list[seed.Problem]) -> UploadFile:
    """landmarks.csv bytes from a FeatureCollection; problems located by feature number."""
    unusable = UploadFile("landmarks.csv", source, None, unit="feature")
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        problems.append(seed.Problem(source, 0, "-", "file is not UTF-8 text; nothing loaded"))
        return unusable
    except json.JSONDecodeError as exc:
        problems.append(seed.Problem(source, 0, "-", f"not valid JSON (line {exc.lineno}: {exc.msg})"))
        return unusable
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        problems.append(seed.Problem(source, 0, "-", "not a GeoJSON FeatureCollection"))
        return unusable
    features = doc.get("features")
    if not isinstance(features, list):
        problems.append(seed.Problem(source, 0, "features", "must be a list of features"))
        return unusable
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_LANDMARK_COLUMNS)
    rows: list[int] = []  # feature number of each written row
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(seed.Problem(source, number, "-", "not a GeoJSON Feature"))
            continue
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            problems.append(seed.Problem(source, number, "properties", "must be an object"))
            continue
        cells = {k: _property_cell(v) for k, v in props.items() if k in _LANDMARK_COLUMNS}
        for key in props:
            if key not in _LANDMARK_COLUMNS:
                problems.append(
                    seed.Problem(
                        source,
                        number,
                        key,
                        f"unknown property (expected: {', '.join(_LANDMARK_COLUMNS)})",
                    )
                )
        if not cells.get("id") and isinstance(feature.get("id"), str):
            cells["id"] = feature["id"]
        geometry = feature.get("geometry")
        if geometry is None:
            cells["lat"] = cells["lon"] = ""  # an address can be looked up
        elif (
            isinstance(geometry, dict)
            and geometry.get("type") == "Point"
            and isinstance(geometry.get("coordinates"), list)
            and len(geometry["coordinates"]) in (2, 3)
            and all(isinstance(c, int | float) and not isinstance(c, bool) for c in geometry["coordinates"])
        ):
            lon, lat = geometry["coordinates"][:2]
            cells["lat"], cells["lon"] = _property_cell(float(lat)), _property_cell(float(lon))
        else:
            problems.append(
                seed.Problem(source, number, "geometry", "must be a Point with coordinates [lon, lat]")
            )
            continue
        writer.writerow([cells.get(c, "") for c in _LANDMARK_COLUMNS])
        rows.append(number)
    text = out.getvalue()
    # Where each row starts, counted the way seed.parse_file counts (a value may hold newlines).
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    lines: dict[int, int] = {}
    for number in rows:
        start = reader.line_num + 1
        next(reader)
        lines[start] = number
    return UploadFile("landmarks.csv", source, text.encode("utf-8"), lines, unit="feature")


# --- the plan --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowChange:
    """One row the import would add or change, with the record before and after."""

    entity: str  # city | theme | landmark | itinerary
    id: str
    city_id: str  # "" for a theme
    where: str  # the upload's place for it: "landmarks.csv:5"
    before: Snapshot | None  # None: a new row
    after: Snapshot
    base_version: int | None = None  # landmark or itinerary version the preview saw

    @property
    def is_new(self) -> bool:
        return self.before is None

    @property
    def changes(self) -> list[curation.FieldChange]:
        """Field-level before/after (every field for a new row); stops show as one ``stops`` field."""
        return curation.diff(self.before, self.after)


@dataclass
class EntityPlan:
    added: list[RowChange] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def rows(self) -> list[RowChange]:
        return self.added + self.changed


@dataclass(frozen=True, slots=True)
class Geocoded:
    """A landmark whose coordinates were looked up from its address during the preview."""

    where: str
    landmark_id: str
    address: str
    lat: float
    lon: float
    found: str  # the place the lookup answered with


@dataclass
class ImportPlan:
    """What ``preview`` found: problems (sorted) and the rows to add or change, per entity."""

    problems: list[seed.Problem] = field(default_factory=list)
    cities: EntityPlan = field(default_factory=EntityPlan)
    themes: EntityPlan = field(default_factory=EntityPlan)
    landmarks: EntityPlan = field(default_factory=EntityPlan)
    itineraries: EntityPlan = field(default_factory=EntityPlan)
    geocoded: list[Geocoded] = field(default_factory=list)
    data_version: int = 0  # the database's data version at the preview
    sources: list[str] = field(default_factory=list)  # the files read, by their upload names

    @property
    def ok(self) -> bool:
        return not self.problems

    def entity(self, name: str) -> EntityPlan:
        return {CITY: self.cities, THEME: self.themes, LANDMARK: self.landmarks, ITINERARY: self.itineraries}[
            name
        ]

    @property
    def rows(self) -> list[RowChange]:
        """Every row to write, in writing order (cities, themes, landmarks, itineraries)."""
        return [row for name in ENTITIES for row in self.entity(name).rows]

    def counts(self) -> dict[str, tuple[int, int, int]]:
        """Per entity: (added, changed, unchanged)."""
        plans = {name: self.entity(name) for name in ENTITIES}
        return {name: (len(p.added), len(p.changed), p.unchanged) for name, p in plans.items()}

    def report(self) -> str:
        """Every problem as ``file:line: column: message``, one a line."""
        return "\n".join(str(p) for p in self.problems)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What ``apply`` wrote: per entity (added, changed, unchanged), and the new data version."""

    counts: Mapping[str, tuple[int, int, int]]
    data_version: int

    def __str__(self) -> str:
        return describe_counts(self.counts)


def describe_counts(counts: Mapping[str, tuple[int, int, int]]) -> str:
    plural = {CITY: "cities", THEME: "themes", LANDMARK: "landmarks", ITINERARY: "itineraries"}
    return "; ".join(
        f"{plural[name]}: {added} added, {changed} changed, {unchanged} unchanged"
        for name, (added, changed, unchanged) in counts.items()
    )


# --- the database's side ------------------------------------------------------------------------


@dataclass
class _Current:
    cities: dict[str, Snapshot]
    themes: dict[str, Snapshot]
    landmarks: dict[str, tuple[Snapshot, int]]
    itineraries: dict[str, tuple[Snapshot, int]]  # snapshots include "stops"
    data_version: int


def _content_row(table: sa.Table, row: Mapping[Any, Any]) -> Snapshot:
    return {c.name: row[c.name] for c in table.c if c.name != "version"}


def _read_current(store: st_.Store) -> _Current:
    with store.engine.connect() as conn:
        cities = {
            r["id"]: _content_row(st_.cities, r) for r in conn.execute(sa.select(st_.cities)).mappings()
        }
        themes = {
            r["id"]: _content_row(st_.themes, r) for r in conn.execute(sa.select(st_.themes)).mappings()
        }
        landmarks: dict[str, tuple[Snapshot, int]] = {}
        for r in conn.execute(sa.select(st_.landmarks)).mappings():
            snap = _content_row(st_.landmarks, r)
            snap["themes"] = [t for t in snap["themes"].split(";") if t]
            landmarks[r["id"]] = (snap, int(r["version"]))
        stops: dict[str, list[Snapshot]] = {}
        query = sa.select(st_.itinerary_stops).order_by(
            st_.itinerary_stops.c.itinerary_id, st_.itinerary_stops.c.position
        )
        for r in conn.execute(query).mappings():
            stops.setdefault(r["itinerary_id"], []).append({k: r[k] for k in curation.STOP_FIELDS})
        itineraries: dict[str, tuple[Snapshot, int]] = {}
        for r in conn.execute(sa.select(st_.itineraries)).mappings():
            snap = _content_row(st_.itineraries, r)
            snap["featured"] = bool(snap["featured"])
            snap["stops"] = stops.get(r["id"], [])
            itineraries[r["id"]] = (snap, int(r["version"]))
        value = conn.execute(sa.select(st_.meta.c.value).where(st_.meta.c.key == "data_version")).scalar()
    return _Current(cities, themes, landmarks, itineraries, int(value or 0))


# --- preview ---------------------------------------------------------------------------------


def _as_snapshot(spec: str, row: Mapping[str, Any]) -> Snapshot:
    names = seed.SPEC_BY_NAME[spec].column_names
    snap = {name: row[name] for name in names}
    if spec == "landmarks.csv":
        snap["themes"] = list(snap["themes"])
    return snap


def _db_row(spec: str, snap: Mapping[str, Any]) -> seed.Row:
    """A database record in the shape seed's parsers give (for the cross-file checks)."""
    row = {k: v for k, v in snap.items() if k != "stops"}
    if spec == "landmarks.csv":
        row["themes"] = tuple(row["themes"])
    return row


def preview(
    store: st_.Store,
    upload: Upload | Mapping[str, bytes],
    account: Account,
    *,
    geocoder: Geocoder | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Validate an upload against the database and list what importing it would change.

    Nothing is written. ``geocoder``: look up landmarks that have an address but empty lat and
    lon (one request per row, ``progress(done, total, address)`` after each).
    """
    if not isinstance(upload, Upload):
        upload = Upload.of(upload)
    current = _read_current(store)
    problems: list[seed.Problem] = []  # in contract names and CSV lines; mapped at the end
    parsed: dict[str, seed._Parsed] = {}
    for file_spec in seed.SPECS:
        item = upload.files.get(file_spec.name)
        if item is None:
            continue
        if item.raw is None:
            parsed[file_spec.name] = seed._Parsed(readable=False)
        else:
            parsed[file_spec.name] = seed.parse_file(file_spec, item.raw, problems)
    plan = ImportPlan(data_version=current.data_version, sources=[f.source for f in upload.files.values()])

    uploaded_cities = {
        row["id"]: row for _, row in parsed.get("cities.csv", seed._Parsed()).rows if "id" in row
    }

    def city_of(city_id: str) -> Mapping[str, Any] | None:
        return uploaded_cities.get(city_id) or current.cities.get(city_id)

    if "landmarks.csv" in parsed:
        _geocode(
            parsed["landmarks.csv"],
            upload.files["landmarks.csv"],
            problems,
            plan,
            city_of,
            geocoder,
            progress,
        )

    # Cross-file checks on the union: uploaded rows replace the database's rows of the same id.
    # Database rows get line 0; problems on them are not the upload's and are dropped.
    union: dict[str, seed._Parsed] = {}
    for spec, table_rows in (
        ("cities.csv", current.cities),
        ("themes.csv", current.themes),
        ("landmarks.csv", {k: v[0] for k, v in current.landmarks.items()}),
        ("itineraries.csv", {k: v[0] for k, v in current.itineraries.items()}),
    ):
        mine = parsed.get(spec, seed._Parsed())
        ids = {row.get("id") for _, row in mine.rows}
        union[spec] = seed._Parsed(
            rows=mine.rows + [(0, _db_row(spec, snap)) for key, snap in table_rows.items() if key not in ids],
            readable=mine.readable,
        )
    union["itinerary_stops.csv"] = parsed.get("itinerary_stops.csv", seed._Parsed())
    seed.validate_rows(union, problems)
    problems[:] = [p for p in problems if p.line != 0]

    _plan_rows(parsed, current, account, problems, plan, upload)
    plan.problems = sorted([*upload.problems, *(_locate(p, upload) for p in problems)])
    return plan


def _locate(problem: seed.Problem, upload: Upload) -> seed.Problem:
    """A problem in contract terms, in the upload's own file name and lines."""
    item = upload.files.get(problem.file)
    if item is None:
        return problem
    line = item.lines.get(problem.line, problem.line) if item.lines else problem.line
    message = problem.message
    if item.lines:
        message = re.sub(
            r"\b(on )?line (\d+)",
            lambda m: (
                f"{'in ' if m.group(1) else ''}{item.unit} {item.lines.get(int(m.group(2)), m.group(2))}"
            ),
            message,
        )
    return seed.Problem(item.source, line, problem.column, message)


def _where(item: UploadFile, line: int) -> str:
    return f"{item.source}:{item.lines.get(line, line) if item.lines else line}"


def _geocode(
    parsed: seed._Parsed,
    item: UploadFile,
    problems: list[seed.Problem],
    plan: ImportPlan,
    city_of: Callable[[str], Mapping[str, Any] | None],
    geocoder: Geocoder | None,
    progress: Progress | None,
) -> None:
    """Fill lat/lon of rows that have an address and neither lat nor lon, or say why not."""
    file = "landmarks.csv"
    empty = {
        (p.line, p.column)
        for p in problems
        if p.file == file and p.column in ("lat", "lon") and p.message == "must not be empty"
    }
    todo = [
        (line, row)
        for line, row in parsed.rows
        if (line, "lat") in empty and (line, "lon") in empty and row.get("address")
    ]
    if geocoder is None:
        lines = {line for line, _ in todo}
        problems[:] = [
            seed.Problem(
                p.file, p.line, p.column, f"{p.message} (or leave lat and lon empty and look the address up)"
            )
            if p.file == file and p.line in lines and p.column == "lat" and (p.line, "lat") in empty
            else p
            for p in problems
        ]
        return
    for done, (line, row) in enumerate(todo, start=1):
        problems[:] = [
            p for p in problems if not (p.file == file and p.line == line and (p.line, p.column) in empty)
        ]
        city = city_of(row.get("city_id", ""))
        bbox = None
        if city is not None:
            dlat = 1.0
            dlon = min(1.0 / max(math.cos(math.radians(float(city["lat"]))), 0.01), 179.0)
            bbox = (
                max(float(city["lat"]) - dlat, -90.0),
                max(float(city["lon"]) - dlon, -180.0),
                min(float(city["lat"]) + dlat, 90.0),
                min(float(city["lon"]) + dlon, 180.0),
            )
        outcome = geocoder.search(row["address"], city_bbox=bbox, limit=1)
        best = outcome.results[0] if outcome.results else None
        if best is None:
            code: MessageCode = outcome.code or "not_found"
            problems.append(seed.Problem(file, line, "address", _GEOCODE_MESSAGES[code]))
        else:
            row["lat"], row["lon"] = round(best.lat, 7), round(best.lon, 7)
            plan.geocoded.append(
                Geocoded(
                    _where(item, line),
                    str(row.get("id", "")),
                    row["address"],
                    row["lat"],
                    row["lon"],
                    best.label,
                )
            )
        if progress is not None:
            progress(done, len(todo), row["address"])


def _plan_rows(
    parsed: Mapping[str, seed._Parsed],
    current: _Current,
    account: Account,
    problems: list[seed.Problem],
    plan: ImportPlan,
    upload: Upload,
) -> None:
    """Permissions, moves between cities, stop rules; then the diff of every clean row."""
    bad_lines = {(p.file, p.line) for p in problems}

    def clean(spec: str) -> list[tuple[int, seed.Row]]:
        return [
            (line, row)
            for line, row in parsed.get(spec, seed._Parsed()).rows
            if (spec, line) not in bad_lines
        ]

    def refuse(spec: str, line: int, column: str, message: str) -> None:
        problems.append(seed.Problem(spec, line, column, message))

    who = account.username

    # cities and themes: only administrators may change them; identical rows are ignored
    for spec, entity, table, target in (
        ("cities.csv", CITY, current.cities, plan.cities),
        ("themes.csv", THEME, current.themes, plan.themes),
    ):
        for line, row in clean(spec):
            after = _as_snapshot(spec, row)
            before = table.get(row["id"])
            if before == after:
                target.unchanged += 1
                continue
            if not can(account, MANAGE_CITIES):
                first = next(iter(curation.diff(before, after))).field
                refuse(
                    spec,
                    line,
                    first,
                    f"{who} may not {'add' if before is None else 'change'} {entity} {row['id']!r} (administrators only)",
                )
                continue
            change = RowChange(
                entity,
                row["id"],
                row["id"] if entity == CITY else "",
                _where(upload.files[spec], line),
                before,
                after,
            )
            (target.added if before is None else target.changed).append(change)

    final_landmarks: dict[str, Snapshot] = {k: v[0] for k, v in current.landmarks.items()}

    def may_write(spec: str, line: int, entity: str, new: Snapshot, old: Snapshot | None) -> bool:
        city_id = new["city_id"]
        if old is not None and old["city_id"] != city_id:
            refuse(
                spec,
                line,
                "city_id",
                f"{entity} {new['id']!r} belongs to {old['city_id']!r}; ids are stable forever, "
                "so it cannot move to another city (choose a new id)",
            )
            return False
        if not can(account, IMPORT, city_id=city_id):
            refuse(spec, line, "city_id", f"{who} may not import into {city_id!r}")
            return False
        before_status = old["status"] if old else None
        publishing = "published" in (before_status, new["status"]) and before_status != new["status"]
        if publishing and not can(account, PUBLISH, city_id=city_id):
            refuse(spec, line, "status", f"{who} may not publish in {city_id!r}")
            return False
        return True

    landmark_lines: dict[str, int] = {}
    for line, row in clean("landmarks.csv"):
        after = _as_snapshot("landmarks.csv", row)
        found = current.landmarks.get(row["id"])
        before, version = found if found else (None, None)
        if before == after:
            plan.landmarks.unchanged += 1
            continue
        if not may_write("landmarks.csv", line, LANDMARK, after, before):
            continue
        final_landmarks[row["id"]] = after
        landmark_lines[row["id"]] = line
        change = RowChange(
            LANDMARK,
            row["id"],
            row["city_id"],
            _where(upload.files["landmarks.csv"], line),
            before,
            after,
            version,
        )
        (plan.landmarks.added if before is None else plan.landmarks.changed).append(change)

    # itineraries: fields from itineraries.csv, stops from itinerary_stops.csv (else unchanged)
    uploaded_stops: dict[str, list[tuple[int, seed.Row]]] = {}
    stop_file = parsed.get("itinerary_stops.csv")
    for line, row in stop_file.rows if stop_file else []:
        if "itinerary_id" in row:
            uploaded_stops.setdefault(row["itinerary_id"], []).append((line, row))
    rows_by_id = {row["id"]: (line, row) for line, row in clean("itineraries.csv")}
    bad_ids = {row.get("id") for line, row in parsed.get("itineraries.csv", seed._Parsed()).rows} - set(
        rows_by_id
    )
    all_ids = [*rows_by_id, *(i for i in uploaded_stops if i not in rows_by_id)]
    for itinerary_id in all_ids:
        found_it = current.itineraries.get(itinerary_id)
        before, version = found_it if found_it else (None, None)
        stop_rows = uploaded_stops.get(itinerary_id)
        if itinerary_id in bad_ids or (
            stop_rows is not None and any(("itinerary_stops.csv", line) in bad_lines for line, _ in stop_rows)
        ):
            continue
        if itinerary_id in rows_by_id:
            spec, line = "itineraries.csv", rows_by_id[itinerary_id][0]
            after = _as_snapshot("itineraries.csv", rows_by_id[itinerary_id][1])
        elif before is not None and stop_rows:
            spec, line = "itinerary_stops.csv", stop_rows[0][0]
            after = {k: v for k, v in before.items() if k != "stops"}
        else:
            continue  # a bad itinerary row or an unknown itinerary: already reported
        if stop_rows is not None:
            ordered = sorted(stop_rows, key=lambda item: item[1]["position"])
            after["stops"] = [{k: row[k] for k in curation.STOP_FIELDS} for _, row in ordered]
        else:
            after["stops"] = list(before["stops"]) if before else []
        if before == after:
            plan.itineraries.unchanged += 1
            continue
        if not may_write(spec, line, ITINERARY, after, before):
            continue
        if not _stops_fit(after, final_landmarks, spec, line, stop_rows, refuse):
            continue
        change = RowChange(
            ITINERARY,
            itinerary_id,
            after["city_id"],
            _where(upload.files[spec], line),
            before,
            after,
            version,
        )
        (plan.itineraries.added if before is None else plan.itineraries.changed).append(change)

    # a landmark archived by the import must not stay in a published itinerary
    final_itineraries = {k: v[0] for k, v in current.itineraries.items()}
    final_itineraries.update({c.id: c.after for c in plan.itineraries.rows})
    for landmark_id, line in landmark_lines.items():
        if final_landmarks[landmark_id]["status"] != "archived":
            continue
        using = sorted(
            it["id"]
            for it in final_itineraries.values()
            if it["status"] == "published" and any(s["landmark_id"] == landmark_id for s in it["stops"])
        )
        if using:
            refuse(
                "landmarks.csv",
                line,
                "status",
                f"archived but used by published itineraries: {', '.join(using)}",
            )


def _stops_fit(
    after: Snapshot,
    landmarks: Mapping[str, Snapshot],
    spec: str,
    line: int,
    stop_rows: Sequence[tuple[int, seed.Row]] | None,
    refuse: Callable[[str, int, str, str], None],
) -> bool:
    """A published itinerary needs stops, none of them archived or draft (as in curation)."""
    if after["status"] != "published":
        return True
    if not after["stops"]:
        refuse(spec, line, "status", "a published itinerary needs at least one stop")
        return False
    ok = True
    lines = [ln for ln, _ in sorted(stop_rows, key=lambda i: i[1]["position"])] if stop_rows else []
    for i, stop in enumerate(after["stops"]):
        status = landmarks.get(stop["landmark_id"], {}).get("status")
        if status in ("archived", "draft"):
            where_spec, where_line = ("itinerary_stops.csv", lines[i]) if lines else (spec, line)
            hint = "" if status == "archived" else ": publish it first"
            refuse(
                where_spec,
                where_line,
                "landmark_id",
                f"landmark {stop['landmark_id']!r} is {status}, but itinerary {after['id']!r} is published{hint}",
            )
            ok = False
    return ok


# --- apply -----------------------------------------------------------------------------------


def apply(
    store: st_.Store,
    plan: ImportPlan,
    account: Account,
    *,
    progress: Progress | None = None,
    clock: Callable[[], datetime] = settings.utc_now,
) -> ImportSummary:
    """Write a previewed plan in one transaction, all or nothing.

    Raises ``PlanHasProblems`` for a plan with problems, ``PermissionError`` if the account may not
    write a row, and ``curation.Conflict`` when a row changed since the preview; in each case
    nothing is written. ``progress(done, total, "landmark <id>")`` after each row.
    """
    if plan.problems:
        raise PlanHasProblems(f"{len(plan.problems)} problem(s) in the import; nothing was written")
    rows = plan.rows
    for row in rows:
        if row.entity in (CITY, THEME):
            allowed = can(account, MANAGE_CITIES)
        else:
            allowed = can(account, IMPORT, city_id=row.city_id) and (
                row.before is None or can(account, IMPORT, city_id=row.before["city_id"])
            )
        if not allowed:
            raise PermissionError(f"{account.username} may not import {row.entity} {row.id!r}")
    if not rows:
        return ImportSummary(plan.counts(), store.data_version())
    at = clock()
    with store.transaction() as conn:
        for done, row in enumerate(rows, start=1):
            if row.entity in (CITY, THEME):
                _upsert_plain(conn, row)
            elif row.entity == LANDMARK:
                curation.write_landmark(
                    conn,
                    curation.landmark_from_snapshot(row.after),
                    base_version=row.base_version,
                    username=account.username,
                    action=curation.IMPORT,
                    at=at,
                )
            else:
                it, stops = curation.itinerary_from_snapshot(row.after)
                curation.write_itinerary(
                    conn,
                    it,
                    stops,
                    base_version=row.base_version,
                    username=account.username,
                    action=curation.IMPORT,
                    at=at,
                )
            if progress is not None:
                progress(done, len(rows), f"{row.entity} {row.id}")
    return ImportSummary(plan.counts(), store.data_version())


def _upsert_plain(conn: sa.Connection, row: RowChange) -> None:
    table = st_.cities if row.entity == CITY else st_.themes
    found = conn.execute(sa.select(table).where(table.c.id == row.id).with_for_update()).mappings().first()
    now = None if found is None else _content_row(table, found)
    if now != row.before:
        raise Stale(row.entity, row.id)
    record = City(**row.after) if row.entity == CITY else Theme(**row.after)
    values = asdict(record)
    if found is None:
        conn.execute(table.insert().values(**values))
    else:
        conn.execute(table.update().where(table.c.id == row.id).values(**values))


# --- export ----------------------------------------------------------------------------------


class UnknownCity(LookupError):
    pass


def _csv_bytes(spec: str, records: Iterable[Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = seed.SPEC_BY_NAME[spec].column_names
    writer.writerow(names)
    for record in records:
        writer.writerow([cell_text(getattr(record, name)) for name in names])
    # a BOM, so that spreadsheets open the Chinese text as UTF-8 (the seed reads it either way)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


@dataclass(frozen=True, slots=True)
class CityContent:
    city: City
    themes: tuple[Theme, ...]
    landmarks: tuple[Landmark, ...]
    itineraries: tuple[Itinerary, ...]
    stops: tuple[Stop, ...]


def city_content(store: st_.Store, city_id: str) -> CityContent:
    """A city's content, drafts and archived included; raises ``UnknownCity``."""
    data = store.dataset()
    city = next((c for c in data.cities if c.id == city_id), None)
    if city is None:
        known = ", ".join(c.id for c in data.cities) or "none"
        raise UnknownCity(f"unknown city {city_id!r} (known: {known})")
    itineraries = tuple(i for i in data.itineraries if i.city_id == city_id)
    ids = {i.id for i in itineraries}
    return CityContent(
        city=city,
        themes=data.themes,
        landmarks=tuple(lm for lm in data.landmarks if lm.city_id == city_id),
        itineraries=itineraries,
        stops=tuple(s for s in data.stops if s.itinerary_id in ids),
    )


def export_files(store: st_.Store, city_id: str) -> dict[str, bytes]:
    """The data-contract files of one city (every theme), by file name."""
    content = city_content(store, city_id)
    return {
        "cities.csv": _csv_bytes("cities.csv", [content.city]),
        "themes.csv": _csv_bytes("themes.csv", content.themes),
        "landmarks.csv": _csv_bytes("landmarks.csv", content.landmarks),
        "itineraries.csv": _csv_bytes("itineraries.csv", content.itineraries),
        "itinerary_stops.csv": _csv_bytes("itinerary_stops.csv", content.stops),
    }


def export_zip(store: st_.Store, city_id: str) -> bytes:
    """A zip of the city's data-contract files in a folder ``cityplus-<city>/``; same content, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, raw in export_files(store, city_id).items():
            info = zipfile.ZipInfo(f"cityplus-{city_id}/{name}", date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, raw)
    return buffer.getvalue()


def export_geojson(store: st_.Store, city_id: str) -> bytes:
    """The city's landmarks as a GeoJSON FeatureCollection (RFC 7946) that imports back unchanged.

    One Point per landmark ([lon, lat], unrounded); properties are the other landmarks.csv
    columns (themes ';'-separated, as in the CSV).
    """
    content = city_content(store, city_id)
    features = []
    for lm in content.landmarks:
        props: dict[str, Any] = {}
        for name in _LANDMARK_COLUMNS:
            if name in ("lat", "lon"):
                continue
            value = getattr(lm, name)
            props[name] = ";".join(value) if name == "themes" else value
        features.append(
            {
                "type": "Feature",
                "id": lm.id,
                "geometry": {"type": "Point", "coordinates": [lm.lon, lm.lat]},
                "properties": props,
            }
        )
    # one feature a line: readable, and a changed landmark is one changed line in a diff
    lines = ",\n".join(json.dumps(f, ensure_ascii=False) for f in features)
    head = json.dumps(
        {"type": "FeatureCollection", "name": f"cityplus-{city_id}-landmarks"}, ensure_ascii=False
    )
    return f'{head[:-1]}, "features": [\n{lines}\n]}}\n'.encode()
