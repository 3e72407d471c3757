"""Programmes (issue 12): the files, validation, the feasibility checks (with real travel
estimates and opening hours, across DST changes in The Hague), tokens, and the round trip on
SQLite and PostgreSQL."""

from __future__ import annotations

import math
import shutil
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from itinerary import seed, store
from itinerary.programmes import feasibility, files, repo, tokens
from itinerary.programmes.feasibility import PlaceInfo
from itinerary.programmes.records import FILES, Full, Item, Programme, ProgrammeSet, Venue, full_of
from itinerary.routing import haversine_km, travel_minutes
from itinerary.validation import ValidationError
from tests.conftest import DATA, copied_db_url

HAGUE = "Europe/Amsterdam"


def programme(**changes: object) -> Programme:
    base = Programme(
        id="test-visit",
        city_id="the-hague",
        title="Test visit",
        title_zh="测试访问",
        summary="",
        summary_zh="",
        kind="delegation",
        start_date="2026-03-22",
        end_date="2026-10-25",
        host="City of The Hague",
        host_zh="海牙市",
        mode="coach",
        visibility="unlisted",
        max_day_minutes=600,
        status="published",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


HOTEL = Venue("test-visit", "hotel", "Hotel meeting room", "酒店会议室", 52.1100, 4.2750, "", "", "")


def item(
    position: int, day: str, start: str, end: str, *, landmark: str = "", venue: str = "", kind: str = "visit"
) -> Item:
    return Item("test-visit", position, day, start, end, kind, landmark, venue, "", "", "", "")


@pytest.fixture(scope="module")
def hague_places() -> dict[str, PlaceInfo]:
    data = seed.load_dir(DATA)
    return {
        lm.id: PlaceInfo(lm.name, lm.name_zh, lm.lat, lm.lon, lm.opening_hours)
        for lm in data.landmarks
        if lm.city_id == "the-hague"
    }


def coach_minutes(a: PlaceInfo, b: PlaceInfo) -> int:
    km = float(haversine_km(a.lat, a.lon, b.lat, b.lon))
    return math.ceil(travel_minutes(km, "coach", profiles=feasibility.mode_profiles("the-hague")))


def warnings(items: list[Item], places: dict[str, PlaceInfo], **changes: object) -> list[feasibility.Warning]:
    full = Full(programme(**changes), (HOTEL,), tuple(items))
    return feasibility.check(full, timezone=HAGUE, landmarks=places)


# --- feasibility, table-driven: the same wall times on an ordinary Sunday and across DST ---------

# 29 March 2026: the clocks go from 02:00 to 03:00 (an hour fewer); 25 October: 03:00 back to 02:00
ORDINARY, SPRING, AUTUMN = "2026-03-22", "2026-03-29", "2026-10-25"


@pytest.mark.parametrize(
    ("day", "real_gap"),
    [(ORDINARY, 80), (SPRING, 20), (AUTUMN, 140)],
)
def test_transfer_at_night_counts_the_hour_the_clocks_skip(
    day: str, real_gap: int, hague_places: dict[str, PlaceInfo]
) -> None:
    items = [
        item(1, day, "01:00", "01:45", landmark="binnenhof"),
        item(2, day, "03:05", "04:00", venue="hotel"),
    ]
    need = coach_minutes(hague_places["binnenhof"], PlaceInfo("", "", HOTEL.lat, HOTEL.lon))
    found = [w for w in warnings(items, hague_places) if w.code == "travel_short"]
    assert 20 < need < 80  # the case is about the gap: short only on the night the clocks skip an hour
    if real_gap < need:
        assert [(w.position, w.values["gap"], w.values["need"]) for w in found] == [(2, real_gap, need)]
        assert f"leaves {real_gap} minutes for a {need}-minute transfer by coach" in found[0].text("en")
        assert f"只留 {real_gap} 分钟，而大巴转场约需 {need} 分钟" in found[0].text("zh")
    else:
        assert found == []


@pytest.mark.parametrize(
    ("day", "minutes"),
    [(ORDINARY, 600), (SPRING, 540), (AUTUMN, 660)],
)
def test_day_length_is_real_time(day: str, minutes: int, hague_places: dict[str, PlaceInfo]) -> None:
    items = [
        item(1, day, "01:00", "01:30", venue="hotel"),
        item(2, day, "10:00", "11:00", landmark="binnenhof"),
    ]
    found = [w for w in warnings(items, hague_places) if w.code == "day_too_long"]
    if minutes > 600:
        assert [(w.values["minutes"], w.values["limit"]) for w in found] == [(minutes, 600)]
        assert f"runs {minutes} minutes, longer than the set 600" in found[0].text("en")
    else:
        assert found == []


@pytest.mark.parametrize("day", [ORDINARY, SPRING, AUTUMN])
@pytest.mark.parametrize(
    ("landmark", "start", "end", "code"),
    [
        ("mauritshuis", "10:00", "11:00", None),  # Sundays 10:00-18:00
        ("mauritshuis", "09:30", "10:30", "outside_hours"),
        ("mauritshuis", "17:30", "18:30", "outside_hours"),
        ("binnenhof", "03:15", "04:00", None),  # 24/7, just after the clocks change
    ],
)
def test_opening_hours_in_local_time_on_dst_days(
    day: str, landmark: str, start: str, end: str, code: str | None, hague_places: dict[str, PlaceInfo]
) -> None:
    found = [
        w
        for w in warnings([item(1, day, start, end, landmark=landmark)], hague_places)
        if w.code != "day_too_long"
    ]
    assert [w.code for w in found] == ([code] if code else [])
    if code == "outside_hours":
        assert found[0].values["hours"] == "10:00–18:00"
        assert "(10:00–18:00)" in found[0].text("en")


def test_closed_that_day_and_overlap_and_every_warning_at_once(hague_places: dict[str, PlaceInfo]) -> None:
    monday = "2026-03-23"  # the Peace Palace's visitor centre is closed on Mondays
    items = [
        item(1, monday, "09:00", "10:30", venue="hotel"),
        item(2, monday, "10:20", "11:30", landmark="peace-palace"),
        item(3, monday, "11:30", "12:00", landmark="mauritshuis"),
        item(4, monday, "12:00", "13:00", kind="break"),
        item(5, monday, "13:00", "21:00", landmark="mauritshuis"),
    ]
    found = warnings(items, hague_places, max_day_minutes=600)
    codes = [(w.position, w.code) for w in found]
    assert (2, "overlap") in codes
    assert found[0].values["minutes"] == 10
    assert (2, "closed_that_day") in codes
    assert (3, "travel_short") in codes  # no minute between the two places
    assert (3, "outside_hours") in codes  # Mondays 13:00-18:00
    assert (5, "outside_hours") in codes
    assert (5, "day_too_long") in codes
    assert (5, "travel_short") not in codes  # same place after the break


def test_a_travel_slot_is_time_to_travel(hague_places: dict[str, PlaceInfo]) -> None:
    day = "2026-03-24"
    need = coach_minutes(hague_places["peace-palace"], hague_places["scheveningen-pier"])
    slot_end = f"11:{need:02d}"
    items = [
        item(1, day, "10:00", "11:00", landmark="peace-palace"),
        item(2, day, "11:00", slot_end, kind="travel"),
        item(3, day, slot_end, "13:00", landmark="scheveningen-pier"),
    ]
    assert warnings(items, hague_places) == []
    short = [*items[:2], replace(items[2], start=f"11:{need - 1:02d}")]
    assert [(w.code, w.values["gap"]) for w in warnings(short, hague_places) if w.code == "travel_short"] == [
        ("travel_short", need - 1)
    ]


# --- files and validation --------------------------------------------------------------------------


def write_programme_files(folder: Path, data: ProgrammeSet) -> None:
    for name, raw in files.write_files(data).items():
        (folder / name).write_bytes(raw)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    for name in FILES:  # the shipped programmes: these tests write their own
        (target / name).unlink(missing_ok=True)
    return target


SAMPLE = ProgrammeSet(
    (programme(start_date="2026-03-28", end_date="2026-03-29"),),
    (HOTEL,),
    (
        item(1, "2026-03-28", "09:00", "10:00", venue="hotel"),
        item(2, "2026-03-28", "10:30", "11:30", landmark="mauritshuis"),
        item(3, "2026-03-29", "10:00", "12:00", landmark="peace-palace"),
    ),
)


def test_validation_reports_every_problem_with_file_line_and_column(data_dir: Path) -> None:
    write_programme_files(data_dir, SAMPLE)
    items = (data_dir / "programme_items.csv").read_text(encoding="utf-8-sig").splitlines()
    items += [
        "test-visit,2,2026-03-28,11:00,10:00,visit,nowhere,,,,,",
        "test-visit,4,2026-04-02,02:30,03:00,visit,,attic,,,,",
        "test-visit,5,2026-03-29,02:30,03:30,visit,peace-palace,hotel,,,,",
        "ghost,1,2026-03-29,10:00,11:00,break,,,,,,",
        "test-visit,6,2026-03-29,10:00,11:00,meeting,,,,,,",
    ]
    (data_dir / "programme_items.csv").write_text("\n".join(items) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        seed.load_dir(data_dir)
    report = caught.value.report()
    assert "programme_items.csv:5: position: position 2" in report
    assert "programme_items.csv:5: end: ends at 10:00, not after it starts (11:00)" in report
    assert "programme_items.csv:5: landmark_id: " in report and "nowhere" in report
    assert (
        "programme_items.csv:6: day: 2026-04-02 is not a day of the programme (2026-03-28 to 2026-03-29)"
        in report
    )
    assert "programme_items.csv:6: venue_id: no venue attic of programme test-visit" in report
    assert "programme_items.csv:7: start: 02:30 does not exist on 2026-03-29" in report
    assert "programme_items.csv:7: venue_id: an item has one place" in report
    assert "programme_items.csv:8: programme_id: no programme ghost" in report
    assert "programme_items.csv:9: landmark_id: a meeting item needs a landmark or a venue" in report
    assert "2026-03-29 没有 02:30" in caught.value.report("zh")


def test_files_round_trip_byte_identical(data_dir: Path) -> None:
    write_programme_files(data_dir, SAMPLE)
    loaded = seed.load_dir(data_dir).programmes
    assert loaded == SAMPLE
    again = files.write_files(loaded)
    assert again == {name: (data_dir / name).read_bytes() for name in again}


def test_formula_cells_are_guarded_and_read_back(data_dir: Path) -> None:
    hostile = replace(SAMPLE, venues=(replace(HOTEL, name='=HYPERLINK("x")', address="+31 70"),))
    write_programme_files(data_dir, hostile)
    assert b"'=HYPERLINK" in (data_dir / "programme_venues.csv").read_bytes()
    assert seed.load_dir(data_dir).programmes.venues[0].name == '=HYPERLINK("x")'


# --- the database: seeding, reading, tokens, on SQLite and PostgreSQL -------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(request: pytest.FixtureRequest, data_dir: Path) -> store.Store:
    url = copied_db_url(request, request.param, None)
    db = store.open_store(url)
    write_programme_files(data_dir, SAMPLE)
    assert store.ensure_seeded(db, data_dir) == "seeded"
    return db


def test_round_trip_through_the_database(seeded: store.Store, data_dir: Path) -> None:
    exported = files.write_files(seeded.dataset().programmes)
    assert exported == {name: (data_dir / name).read_bytes() for name in exported}
    loaded = repo.load(seeded, "test-visit")
    assert loaded == full_of(SAMPLE, "test-visit")


NOW = datetime(2026, 3, 20, 12, tzinfo=UTC)


def test_token_opens_only_its_programme_until_revoked_or_replaced(seeded: store.Store) -> None:
    token = tokens.issue(seeded, "test-visit", username="editor", clock=lambda: NOW)
    assert len(token) >= 43  # 32 random bytes in base64
    found = tokens.find(seeded, token, now=NOW)
    assert found is not None and found.programme.id == "test-visit"
    assert tokens.find(seeded, token[:-1] + ("A" if token[-1] != "A" else "B"), now=NOW) is None
    assert tokens.find(seeded, "", now=NOW) is None
    replacement = tokens.issue(seeded, "test-visit", username="editor", clock=lambda: NOW)
    assert tokens.find(seeded, token, now=NOW) is None  # the old link is dead
    assert tokens.find(seeded, replacement, now=NOW) is not None
    assert tokens.revoke(seeded, "test-visit", clock=lambda: NOW) == 1
    assert tokens.find(seeded, replacement, now=NOW) is None
    assert not tokens.has_live_token(seeded, "test-visit")


def test_token_expires_days_after_the_last_day(seeded: store.Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYPLUS_PROGRAMME_LINK_DAYS", "3")
    token = tokens.issue(seeded, "test-visit", username="editor", clock=lambda: NOW)
    # the last day is 29 March; the link works until the end of 1 April in The Hague (CEST, UTC+2)
    last_moment = datetime(2026, 4, 1, 21, 59, tzinfo=UTC)
    assert tokens.find(seeded, token, now=last_moment) is not None
    assert tokens.find(seeded, token, now=last_moment + timedelta(minutes=1)) is None


def test_only_the_hash_is_stored_and_tokens_survive_a_reseed(seeded: store.Store, data_dir: Path) -> None:
    token = tokens.issue(seeded, "test-visit", username="editor", clock=lambda: NOW)
    with seeded.engine.connect() as conn:
        stored = [tuple(r) for r in conn.execute(store.programme_tokens.select())]
    assert token not in repr(stored) and tokens.token_hash(token) in repr(stored)
    seeded.replace_all(seed.load_dir(data_dir), fingerprint="again")
    assert tokens.find(seeded, token, now=NOW) is not None


def test_draft_and_unlisted_programmes_are_not_found_by_id(seeded: store.Store, data_dir: Path) -> None:
    assert tokens.find_public(seeded, "test-visit") is None  # unlisted
    public = replace(SAMPLE, programmes=(replace(SAMPLE.programmes[0], visibility="public"),))
    write_programme_files(data_dir, public)
    seeded.replace_all(seed.load_dir(data_dir), fingerprint="public")
    assert tokens.find_public(seeded, "test-visit") is not None
    draft = replace(SAMPLE, programmes=(replace(SAMPLE.programmes[0], visibility="public", status="draft"),))
    write_programme_files(data_dir, draft)
    seeded.replace_all(seed.load_dir(data_dir), fingerprint="draft")
    token = tokens.issue(seeded, "test-visit", username="editor", clock=lambda: NOW)
    assert tokens.find_public(seeded, "test-visit") is None
    assert tokens.find(seeded, token, now=NOW) is None


# --- revision 0006 goes up and down ---------------------------------------------------------------


def test_revision_0006_adds_the_programme_tables_and_drops_them_again(
    new_db_url: str, data_dir: Path
) -> None:
    import sqlalchemy as sa

    from tests.unit.test_migrations import diff_before_new_tables, engine_for, migrate

    migrate(new_db_url, "upgrade", "0004")
    migrate(new_db_url, "upgrade", "0006")
    assert diff_before_new_tables(new_db_url, store.metadata) == []
    db = store.Store(new_db_url)
    write_programme_files(data_dir, SAMPLE)
    assert store.ensure_seeded(db, data_dir) == "seeded"
    assert db.dataset().programmes == SAMPLE
    db.engine.dispose()
    migrate(new_db_url, "downgrade", "0004")
    engine = engine_for(new_db_url)
    try:
        with engine.connect() as conn:
            names = set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert not names & {"programmes", "programme_venues", "programme_items", "programme_tokens"}
    assert "landmarks" in names
