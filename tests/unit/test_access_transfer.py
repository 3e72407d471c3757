"""Access facts through export and import: carried, unknown kept apart from no, byte-identical
round trips of the CSV zip and GeoJSON on both databases (issue 10 section 3)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator

import pytest

from itinerary import store, transfer
from itinerary.accounts import ADMIN, ALL_CITIES, Account
from itinerary.models import Dataset

ADA = Account("ada", ADMIN, frozenset({ALL_CITIES}))

# a landmark with every kind of value: yes, no, 0, not surveyed, Chinese, a formula-like note
SURVEYED = {
    "district_zh": "福田区",
    "address_zh": "福田区益田路5033号",
    "entrance_steps": 0,
    "entrance_step_height_cm": None,
    "entrance_ramp": False,
    "door_width_cm": 120,
    "automatic_door": True,
    "toilet_wheelchair": True,
    "lift_all_floors": True,
    "parking_wheelchair": None,
    "hearing_loop": False,
    "tactile_guidance": None,
    "quiet_space": True,
    "quiet_hours": "Mo-Fr 09:00-10:00",
    "seating": True,
    "access_note": "=Lift from B1, level entrance",
    "access_note_zh": "B1层有电梯，入口无台阶",
    "access_surveyed": "2026-11-30",
    "access_surveyed_by": "CityPlus staff",
}
STEPS = {"entrance_steps": 2, "entrance_step_height_cm": 15, "entrance_ramp": None, "district_zh": "福田区"}


@pytest.fixture
def db(mini_db_url: str) -> Iterator[store.Store]:
    s = store.open_store(mini_db_url)
    with s.transaction() as conn:
        table = store.landmarks
        conn.execute(table.update().where(table.c.id == "ping-an-finance-center").values(**SURVEYED))
        conn.execute(table.update().where(table.c.id == "huaqiang-north").values(**STEPS))
    yield s
    s.engine.dispose()


def landmark_rows(zip_bytes: bytes) -> dict[str, dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        [name] = [n for n in archive.namelist() if n.endswith("/landmarks.csv")]
        text = archive.read(name).decode("utf-8-sig")
    return {row["id"]: row for row in csv.DictReader(io.StringIO(text))}


def test_the_export_writes_the_facts_as_cells_with_empty_for_not_surveyed(db: store.Store) -> None:
    rows = landmark_rows(transfer.export_zip(db, "shenzhen"))
    ping = rows["ping-an-finance-center"]
    assert ping["entrance_steps"] == "0" and ping["entrance_step_height_cm"] == ""
    assert ping["entrance_ramp"] == "no" and ping["automatic_door"] == "yes"
    assert ping["parking_wheelchair"] == "" and ping["tactile_guidance"] == ""
    assert ping["access_note"] == "'=Lift from B1, level entrance"  # guarded for spreadsheets
    assert ping["district_zh"] == "福田区" and ping["access_surveyed"] == "2026-11-30"
    assert rows["huaqiang-north"]["entrance_steps"] == "2"
    untouched = rows["lianhuashan-park"]
    assert all(untouched[name] == "" for name in SURVEYED)


def test_the_zip_round_trip_keeps_the_facts_and_the_bytes(db: store.Store) -> None:
    first = transfer.export_zip(db, "shenzhen")
    plan = transfer.preview(db, transfer.read_upload("shenzhen.zip", first), ADA)
    assert plan.ok and not plan.rows, plan.report()  # nothing to change: read back the same

    before = {lm.id: lm for lm in db.dataset().landmarks}
    db.replace_all(Dataset((), (), (), (), ()))
    plan = transfer.preview(db, transfer.read_upload("shenzhen.zip", first), ADA)
    assert plan.ok, plan.report()
    transfer.apply(db, plan, ADA)

    assert transfer.export_zip(db, "shenzhen") == first
    after = {lm.id: lm for lm in db.dataset().landmarks}
    assert after == {k: v for k, v in before.items() if v.city_id == "shenzhen"}
    ping = after["ping-an-finance-center"]
    assert ping.entrance_ramp is False and ping.parking_wheelchair is None and ping.entrance_steps == 0
    assert ping.access_note == "=Lift from B1, level entrance"


def test_the_geojson_round_trip_keeps_the_facts_and_the_bytes(db: store.Store) -> None:
    first = transfer.export_geojson(db, "shenzhen")
    feature = next(f for f in json.loads(first)["features"] if f["id"] == "ping-an-finance-center")
    props = feature["properties"]
    assert props["entrance_ramp"] is False and props["parking_wheelchair"] is None
    assert props["entrance_steps"] == 0 and props["door_width_cm"] == 120

    plan = transfer.preview(db, transfer.read_upload("shenzhen.geojson", first), ADA)
    assert plan.ok and not plan.rows, plan.report()

    cities_and_themes = {
        k: v for k, v in transfer.export_files(db, "shenzhen").items() if k in ("cities.csv", "themes.csv")
    }
    db.replace_all(Dataset((), (), (), (), ()))
    transfer.apply(db, transfer.preview(db, cities_and_themes, ADA), ADA)
    plan = transfer.preview(db, transfer.read_upload("shenzhen.geojson", first), ADA)
    assert plan.ok, plan.report()
    transfer.apply(db, plan, ADA)
    assert transfer.export_geojson(db, "shenzhen") == first


def test_an_import_that_surveys_a_fact_is_a_change_of_that_field_only(db: store.Store) -> None:
    first = transfer.export_zip(db, "shenzhen")
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        files = {n.split("/")[1]: archive.read(n) for n in archive.namelist()}
    text = files["landmarks.csv"].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    header = list(rows[0])
    for row in rows:
        if row["id"] == "lianhuashan-park":
            row["toilet_wheelchair"] = "no"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    files["landmarks.csv"] = out.getvalue().encode("utf-8")
    plan = transfer.preview(db, files, ADA)
    assert plan.ok, plan.report()
    [row] = plan.rows
    assert [(c.field, c.before, c.after) for c in row.changes] == [("toilet_wheelchair", None, False)]
