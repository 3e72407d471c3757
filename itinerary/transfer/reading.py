"""Reading what was uploaded: a contract CSV, a zip of them, a GeoJSON file, or a folder.

Everything becomes data-contract CSV bytes by file name (``Upload``); files that are not part of
the contract, oversized or suspicious zip members and unreadable files are ``seed.Problem``s,
never exceptions. Cells that the export guarded against spreadsheet formulas (a leading
apostrophe, ``cells.guard_formula``) get their real text back here, before the seed's parsers.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Final

from itinerary import rules, seed
from itinerary.transfer.geojson import geojson_csv

CONTRACT_FILES: Final = tuple(spec.name for spec in seed.SPECS)
GEOJSON_NAME: Final = "landmarks.geojson"

MAX_UPLOAD_BYTES: Final = 50 * 1024 * 1024  # what arrives (a zip: compressed)
MAX_FILE_BYTES: Final = 50 * 1024 * 1024  # one file once unpacked
MAX_TOTAL_BYTES: Final = 120 * 1024 * 1024  # all files of a zip once unpacked
MAX_ZIP_MEMBERS: Final = 64

# Files that operating systems add to zips and folders by themselves.
_OS_JUNK: Final = re.compile(r"(^|/)(__MACOSX/|\._|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)
# "landmarks (1).csv": what a browser names a second download of the same file.
_DOWNLOAD_SUFFIX: Final = re.compile(r"\s*\(\d+\)$")


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
    codes: dict[seed.Problem, rules.Problem] = field(default_factory=dict)  # of coded problems

    def add(self, item: UploadFile) -> None:
        earlier = self.files.get(item.spec)
        if earlier is not None:
            self.problems.append(
                seed.Problem.coded(item.source, 0, "-", "given_twice", spec=item.spec, earlier=earlier.source)
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
        seed.Problem.coded(name, 0, "-", "not_a_contract_file", expected=", ".join(CONTRACT_FILES))
    )


def _add_file(upload: Upload, name: str, raw: bytes) -> None:
    kind = contract_name(name)
    if kind is None:
        _unknown_file(upload, name)
    elif kind == GEOJSON_NAME:
        converted = geojson_csv(name, raw, upload.problems, upload.codes)
        if converted is None:
            upload.add(UploadFile("landmarks.csv", name, None, unit="feature"))
        else:
            upload.add(UploadFile("landmarks.csv", name, converted[0], converted[1], unit="feature"))
    else:
        upload.add(_csv_file(kind, name, raw, upload.problems))


def _csv_file(spec: str, source: str, raw: bytes, problems: list[seed.Problem]) -> UploadFile:
    # A spreadsheet set to a European locale saves "CSV" with semicolons (or tabs): say so
    # instead of reporting one unknown column with the whole header in its name.
    first = raw.split(b"\n", 1)[0]
    if b"," not in first and (b";" in first or b"\t" in first):
        code = "separated_by_semicolons" if b";" in first else "separated_by_tabs"
        problems.append(seed.Problem.coded(source, 1, "-", code))
        return UploadFile(spec, source, None)
    return UploadFile(spec, source, raw)  # the seed's reader undoes the formula guard


def _too_large(name: str) -> seed.Problem:
    return seed.Problem.coded(name, 0, "-", "upload_too_large", megabytes=MAX_UPLOAD_BYTES // 2**20)


def read_upload(name: str, data: bytes) -> Upload:
    """The files of one uploaded file: a contract CSV, a zip of them, or a GeoJSON file."""
    upload = Upload()
    if len(data) > MAX_UPLOAD_BYTES:
        upload.problems.append(_too_large(name))
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
                seed.Problem.coded(
                    str(path), 0, "-", "no_contract_files_here", expected=", ".join(CONTRACT_FILES)
                )
            )
        return upload
    if not path.is_file():
        return Upload(problems=[seed.Problem.coded(str(path), 0, "-", "no_such_path")])
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        return Upload(problems=[_too_large(path.name)])
    return read_upload(path.name, path.read_bytes())


def _read_zip(upload: Upload, name: str, data: bytes) -> None:
    def problem(where: str, code: str, **values: object) -> None:
        upload.problems.append(seed.Problem.coded(where, 0, "-", code, **values))

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        problem(name, "zip_unreadable", error=str(exc))
        return
    if len(members) > MAX_ZIP_MEMBERS:
        problem(name, "zip_too_many_entries", count=len(members), limit=MAX_ZIP_MEMBERS)
        return
    total = 0
    with archive:
        for info in members:
            member = info.filename
            if info.is_dir() or _OS_JUNK.search(member):
                continue
            parts = member.replace("\\", "/").split("/")
            if member.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
                problem(member, "zip_unsafe_path")
                continue
            if contract_name(member) is None:
                _unknown_file(upload, member)
                continue
            if info.flag_bits & 0x1:
                problem(member, "zip_encrypted")
                continue
            if info.file_size > MAX_FILE_BYTES or total + info.file_size > MAX_TOTAL_BYTES:
                problem(member, "zip_entry_too_large", size=info.file_size)
                continue
            try:
                with archive.open(info) as handle:
                    # the header's size can lie (zip bombs): never read more than the limit
                    raw = handle.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
                problem(member, "zip_entry_unreadable", error=str(exc))
                continue
            total += len(raw)
            if len(raw) > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
                problem(member, "zip_unpacked_too_large")
                return
            _add_file(upload, member, raw)
    if not upload.files and not upload.problems:
        problem(name, "zip_no_contract_files", expected=", ".join(CONTRACT_FILES))
