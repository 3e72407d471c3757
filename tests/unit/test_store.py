"""The store on SQLite and PostgreSQL: round trip, data version, seeding in one transaction."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from itinerary import seed, store
from tests.unit.test_seed import edit_cell


def test_round_trip_keeps_every_field(mini_dir: Path, db_url: str) -> None:
    data = seed.load_dir(mini_dir)
    db = store.open_store(db_url)
    db.replace_all(data)
    back = db.dataset()
    assert sorted(back.landmarks, key=lambda x: x.id) == sorted(data.landmarks, key=lambda x: x.id)
    assert sorted(back.cities, key=lambda x: x.id) == sorted(data.cities, key=lambda x: x.id)
    assert sorted(back.themes, key=lambda x: x.id) == sorted(data.themes, key=lambda x: x.id)
    assert sorted(back.itineraries, key=lambda x: x.id) == sorted(data.itineraries, key=lambda x: x.id)
    assert back.stops == data.stops  # both ordered by itinerary, then position


def test_chinese_text_survives(mini_dir: Path, db_url: str) -> None:
    db = store.open_store(db_url)
    db.replace_all(seed.load_dir(mini_dir))
    names = {lm.id: lm.name_zh for lm in db.dataset().landmarks}
    assert names["huaqiang-north"] == "华强北"


def test_data_version_changes_with_every_write(mini_dir: Path, db_url: str) -> None:
    db = store.open_store(db_url)
    assert db.data_version() == 0
    db.replace_all(seed.load_dir(mini_dir))
    first = db.data_version()
    with db.transaction() as conn:
        conn.execute(
            store.landmarks.update().where(store.landmarks.c.id == "oct-loft").values(visit_minutes=99)
        )
    assert db.data_version() == first + 1
    # another process (another engine on the same file) sees the same version
    assert store.Store(db_url).data_version() == first + 1


def test_failed_transaction_changes_nothing(mini_dir: Path, db_url: str) -> None:
    db = store.open_store(db_url)
    db.replace_all(seed.load_dir(mini_dir))
    version = db.data_version()
    with pytest.raises(sa.exc.IntegrityError), db.transaction() as conn:
        conn.execute(store.landmarks.update().values(visit_minutes=1))
        conn.execute(
            store.cities.insert().values(id="shenzhen", name="dup", lat=0, lon=0, zoom=1, timezone="UTC")
        )
    assert db.data_version() == version
    assert {lm.visit_minutes for lm in db.dataset().landmarks} != {1}


def test_default_database_is_outside_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITYPLUS_DB_URL", raising=False)
    url = store.default_db_url()
    assert url.startswith("sqlite:///")
    assert "/data/" not in url


def test_ensure_seeded_first_start_then_unchanged(mini_dir: Path, db_url: str) -> None:
    db = store.open_store(db_url)
    assert store.ensure_seeded(db, mini_dir) == "seeded"
    assert store.ensure_seeded(db, mini_dir) == "unchanged"
    assert len(db.dataset().landmarks) == 8


def test_changed_files_reseed(mini_dir: Path, db_url: str) -> None:
    db = store.open_store(db_url)
    store.ensure_seeded(db, mini_dir)
    edit_cell(mini_dir, "landmarks.csv", "oct-loft", "visit_minutes", "150")
    assert store.ensure_seeded(db, mini_dir) == "seeded"
    assert {lm.id: lm.visit_minutes for lm in db.dataset().landmarks}["oct-loft"] == 150


def test_changed_files_do_not_overwrite_later_edits(mini_dir: Path, db_url: str) -> None:
    db = store.open_store(db_url)
    store.ensure_seeded(db, mini_dir)
    with db.transaction() as conn:
        conn.execute(
            store.landmarks.update().where(store.landmarks.c.id == "oct-loft").values(visit_minutes=99)
        )
    edit_cell(mini_dir, "landmarks.csv", "oct-loft", "visit_minutes", "150")
    assert store.ensure_seeded(db, mini_dir) == "kept-edits"
    assert {lm.id: lm.visit_minutes for lm in db.dataset().landmarks}["oct-loft"] == 99


def test_bad_files_leave_the_database_as_it_was(mini_dir: Path, db_url: str) -> None:
    db = store.open_store(db_url)
    store.ensure_seeded(db, mini_dir)
    before, version = db.dataset(), db.data_version()
    edit_cell(mini_dir, "landmarks.csv", "oct-loft", "lat", "999")
    with pytest.raises(seed.ValidationError):
        store.ensure_seeded(db, mini_dir)
    assert db.dataset() == before
    assert db.data_version() == version


def test_bad_files_on_first_start_load_nothing(mini_dir: Path, db_url: str) -> None:
    edit_cell(mini_dir, "cities.csv", "seattle", "timezone", "Mars/Olympus")
    db = store.open_store(db_url)
    with pytest.raises(seed.ValidationError):
        store.ensure_seeded(db, mini_dir)
    assert db.dataset().landmarks == ()
    assert db.data_version() == 0


def test_concurrent_writes_each_bump_the_data_version(mini_dir: Path, db_url: str) -> None:
    """Every committed write gets its own version, also when writers commit at the same moment
    (a read-then-write bump let two PostgreSQL transactions both write N+1)."""

    db = store.open_store(db_url)
    store.ensure_seeded(db, mini_dir)
    start = db.data_version()
    barrier = threading.Barrier(6)
    failures: list[BaseException] = []

    def writer() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                with db.transaction():
                    pass
        except BaseException as error:  # reported below, with the test's own assertion
            failures.append(error)

    threads = [threading.Thread(target=writer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert db.data_version() == start + 30
