"""A process killed in the middle of a save leaves the database as it was, and usable.

The child process stops itself inside the save's transaction (a SQLAlchemy event after a chosen
statement: some rows already deleted or written, the rest not), says so, and is SIGKILLed there.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from itinerary import curation, seed, store
from itinerary.accounts import ADMIN, Account
from tests.conftest import ROOT
from tests.unit.test_seed import edit_cell

ADA = Account("ada", ADMIN)
ITINERARY = "shenzhen-mini"

SAVER = """
import sys, time
from dataclasses import replace
import sqlalchemy as sa
from itinerary import curation, seed, store
from itinerary.accounts import ADMIN, Account

url, what, stop_after, data_dir = sys.argv[1:5]
db = store.Store(url)


@sa.event.listens_for(db.engine, "after_cursor_execute")
def stop_here(conn, cursor, statement, *args):
    if statement.startswith(stop_after):
        print("in the transaction", flush=True)
        time.sleep(600)  # until killed


if what == "itinerary":
    curator = curation.Curator(db)
    it, stops, version = curator.itinerary("shenzhen-mini")
    curator.save_itinerary(
        Account("ada", ADMIN), replace(it, title="Half saved"), stops[::-1], base_version=version
    )
else:
    db.replace_all(seed.load_dir(data_dir), fingerprint="half-seeded")
print("saved: the child was not stopped", flush=True)
"""

# (what the child saves, the statement it is killed after)
CASES = {
    "itinerary save, stops deleted": ("itinerary", "DELETE FROM itinerary_stops"),
    "itinerary save, history written": ("itinerary", "INSERT INTO changes"),
    "reseed, content deleted and cities written": ("replace_all", "INSERT INTO cities"),
}


def snapshot(db: store.Store) -> dict[str, Any]:
    """Everything a crash could have half-changed."""
    with db.engine.connect() as conn:
        versions = {
            table.name: {row[0]: row[1] for row in conn.execute(sa.select(table.c.id, table.c.version))}
            for table in (store.landmarks, store.itineraries)
        }
        history = conn.execute(
            sa.select(store.changes.c.entity, store.changes.c.entity_id, store.changes.c.version).order_by(
                store.changes.c.id
            )
        ).all()
    return {
        "dataset": db.dataset(),
        "meta": db.meta(),
        "versions": versions,
        "history": [tuple(row) for row in history],
    }


def integrity_problems(db: store.Store) -> list[Any]:
    with db.engine.connect() as conn:
        if db.engine.dialect.name != "sqlite":
            return []
        check = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
        return [*(c for c in check if c != "ok"), *conn.exec_driver_sql("PRAGMA foreign_key_check").all()]


@pytest.fixture
def db(mini_db_url: str, mini_dir: Path) -> store.Store:
    """The fixture content plus one recorded edit, so that there is history to keep."""
    db = store.open_store(mini_db_url)
    store.ensure_seeded(db, mini_dir)
    curator = curation.Curator(db)
    it, stops, version = curator.itinerary(ITINERARY)
    curator.save_itinerary(ADA, replace(it, summary="Edited once."), stops, base_version=version)
    if db.engine.dialect.name == "postgresql":  # a lock left behind fails the test, not hangs it
        sa.event.listen(db.engine, "connect", _short_lock_timeout)
        db.engine.dispose()
    return db


def _short_lock_timeout(dbapi_conn: Any, _record: Any) -> None:
    with dbapi_conn.cursor() as cur:
        cur.execute("SET lock_timeout = '10s'")
    dbapi_conn.commit()


@pytest.mark.parametrize(("what", "stop_after"), CASES.values(), ids=CASES.keys())
def test_a_save_killed_midway_changes_nothing(
    db: store.Store, mini_dir: Path, what: str, stop_after: str
) -> None:
    before = snapshot(db)
    new_data = mini_dir.parent / "new-data"
    new_data.mkdir()
    for csv in mini_dir.iterdir():
        (new_data / csv.name).write_bytes(csv.read_bytes())
    edit_cell(new_data, "landmarks.csv", "oct-loft", "visit_minutes", "150")

    child = subprocess.Popen(
        [sys.executable, "-c", SAVER, db.url, what, stop_after, str(new_data)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        assert line == "in the transaction", line or child.communicate(timeout=30)[1]
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL

    after = snapshot(db)
    assert after == before
    assert integrity_problems(db) == []
    # history agrees with the rows: each itinerary's newest recorded version is its version
    newest = {eid: v for entity, eid, v in after["history"] if entity == curation.ITINERARY}
    assert newest[ITINERARY] == after["versions"]["itineraries"][ITINERARY] == 2

    # nothing is left locked: the same save now goes through, and so does a reseed
    curator = curation.Curator(db)
    it, stops, version = curator.itinerary(ITINERARY)
    assert curator.save_itinerary(ADA, replace(it, title="Saved"), stops[::-1], base_version=version) == 3
    assert [s.landmark_id for s in curator.itinerary(ITINERARY)[1]] == [s.landmark_id for s in stops[::-1]]
    assert db.data_version() == int(before["meta"]["data_version"]) + 1
    db.replace_all(seed.load_dir(new_data), fingerprint="reseeded")
    assert {lm.id: lm.visit_minutes for lm in db.dataset().landmarks}["oct-loft"] == 150
