"""Alembic migrations on SQLite and PostgreSQL: fresh databases, adopted old ones, downgrades, races."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from itinerary import seed, store
from tests.conftest import ROOT

# --- the schema before migrations, frozen: what the app's create_all made until 0002 ---------------

LEGACY = sa.MetaData()
sa.Table(
    "cities",
    LEGACY,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_zh", sa.Text, nullable=False),
    sa.Column("country", sa.Text, nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("zoom", sa.Integer, nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
)
sa.Table(
    "themes",
    LEGACY,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("label_zh", sa.Text, nullable=False),
    sa.Column("color", sa.String(7), nullable=False),
    sa.Column("icon", sa.String(64), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("description_zh", sa.Text, nullable=False),
)
sa.Table(
    "landmarks",
    LEGACY,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("city_id", sa.String(64), sa.ForeignKey("cities.id"), nullable=False, index=True),
    *(sa.Column(name, sa.Text, nullable=False) for name in ("name", "name_zh")),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    *(
        sa.Column(name, sa.Text, nullable=False)
        for name in ("themes", "district", "address", "summary", "summary_zh")
    ),
    sa.Column("visit_minutes", sa.Integer, nullable=False),
    sa.Column("opening_hours", sa.Text, nullable=False),
    sa.Column("wheelchair", sa.String(16), nullable=False),
    sa.Column("price", sa.Text, nullable=False),
    sa.Column("website", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
)
sa.Table(
    "itineraries",
    LEGACY,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("city_id", sa.String(64), sa.ForeignKey("cities.id"), nullable=False, index=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("title_zh", sa.Text, nullable=False),
    sa.Column("theme_id", sa.String(64), nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("summary_zh", sa.Text, nullable=False),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("start_time", sa.String(5), nullable=False),
    sa.Column("featured", sa.Boolean, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
)
sa.Table(
    "itinerary_stops",
    LEGACY,
    sa.Column(
        "itinerary_id", sa.String(128), sa.ForeignKey("itineraries.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("landmark_id", sa.String(128), sa.ForeignKey("landmarks.id"), nullable=False),
    sa.Column("dwell_minutes", sa.Integer, nullable=True),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("note_zh", sa.Text, nullable=False),
)
sa.Table(
    "meta",
    LEGACY,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
sa.Table(
    "accounts",
    LEGACY,
    sa.Column("username", sa.String(32), primary_key=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("cities", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False),
    sa.Column("failed_count", sa.Integer, nullable=False),
    sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
)
sa.Table(
    "sessions",
    LEGACY,
    sa.Column("token_sha256", sa.String(64), primary_key=True),
    sa.Column(
        "username",
        sa.String(32),
        sa.ForeignKey("accounts.username", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
)
L = LEGACY.tables


def engine_for(url: str) -> sa.Engine:
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def schema_diff(url: str, target: sa.MetaData) -> list[Any]:
    """What Alembic's autogenerate would change to make the database match ``target``."""
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"compare_type": True, "compare_server_default": True}
            )
            return list(compare_metadata(ctx, target))
    finally:
        engine.dispose()


def diff_before_new_tables(url: str, target: sa.MetaData) -> list[Any]:
    """``schema_diff`` at an older revision: the tables later revisions add (and their indexes)
    left aside."""
    found = schema_diff(url, target)
    added = {d[1].name for d in found if isinstance(d, tuple) and d[0] == "add_table"}
    return [
        d
        for d in found
        if not (
            isinstance(d, tuple)
            and (d[0] == "add_table" or (d[0] == "add_index" and d[1].table.name in added))
        )
    ]


def migrate(url: str, action: str, revision: str) -> None:
    """``alembic upgrade|downgrade REVISION`` the way the app runs it (under the migration lock)."""
    with store.migration_connection(url) as conn:
        getattr(command, action)(store.alembic_config(conn), revision)


def revision_of(url: str) -> str | None:
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            return store.current_revision(conn)
    finally:
        engine.dispose()


def count(url: str, table: str) -> int:
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def fill_legacy(url: str, mini_dir: Path) -> seed.Dataset:
    """The fixture content written into a database with the old schema, the old app's way."""
    data = seed.load_dir(mini_dir)
    engine = engine_for(url)
    try:
        with engine.begin() as conn:
            for name, rows in (
                ("cities", [asdict(c) for c in data.cities]),
                ("themes", [asdict(t) for t in data.themes]),
                (
                    "landmarks",
                    [
                        {k: v for k, v in asdict(lm).items() if k in L["landmarks"].c}
                        | {"themes": ";".join(lm.themes)}
                        for lm in data.landmarks
                    ],
                ),
                ("itineraries", [asdict(i) for i in data.itineraries]),
                ("itinerary_stops", [asdict(s) for s in data.stops]),
                ("meta", [{"key": "data_version", "value": "7"}]),
            ):
                conn.execute(L[name].insert(), rows)
            if "accounts" in sa.inspect(conn).get_table_names():
                conn.execute(
                    L["accounts"]
                    .insert()
                    .values(
                        username="ada",
                        password_hash="$argon2id$stand-in",
                        role="admin",
                        cities="*",
                        created_at=sa.func.now(),
                        disabled=False,
                        failed_count=0,
                    )
                )
    finally:
        engine.dispose()
    return data


# --- tests --------------------------------------------------------------------------------------


def test_schema_head_names_the_newest_migration() -> None:
    scripts = ScriptDirectory.from_config(store.alembic_config())
    assert scripts.get_heads() == [store.SCHEMA_HEAD], "raise SCHEMA_HEAD in itinerary/store.py"


def test_a_new_database_is_migrated_to_the_tables_of_the_code(new_db_url: str) -> None:
    db = store.open_store(new_db_url)
    assert db.schema_revision() == store.SCHEMA_HEAD
    assert schema_diff(new_db_url, store.metadata) == []


def test_revision_0001_is_the_schema_before_migrations(new_db_url: str) -> None:
    migrate(new_db_url, "upgrade", "0001")
    assert revision_of(new_db_url) == "0001"
    assert schema_diff(new_db_url, LEGACY) == []


def test_postgresql_keeps_everything_in_the_schema_of_the_search_path(pg_url: str) -> None:
    schema = sa.make_url(pg_url).query["options"].split("=", 1)[1]
    engine = engine_for(pg_url)

    def tables_in(conn: sa.Connection, name: str) -> set[str]:
        query = sa.text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s")
        return set(conn.execute(query, {"s": name}).scalars())

    try:
        with engine.connect() as conn:
            public_before = tables_in(conn, "public")
        store.open_store(pg_url)
        with engine.connect() as conn:
            assert tables_in(conn, schema) == {"alembic_version", *store.metadata.tables}
            assert tables_in(conn, "public") == public_before
    finally:
        engine.dispose()


# Databases made by create_all before migrations: none has alembic_version.
ADOPTED = {
    "old schema": LEGACY.sorted_tables,
    "older, before staff accounts": [
        t for t in LEGACY.sorted_tables if t.name not in ("accounts", "sessions")
    ],
    # the curation commit's create_all on an old database: new tables, but no version columns
    "old schema plus curation tables": [
        *LEGACY.sorted_tables,
        store.changes,
        store.geocode_cache,
    ],
}


@pytest.mark.parametrize("tables", ADOPTED.values(), ids=ADOPTED.keys())
def test_a_database_from_before_migrations_is_adopted_with_its_rows(
    new_db_url: str, mini_dir: Path, tables: list[sa.Table]
) -> None:
    engine = engine_for(new_db_url)
    for table in tables:
        table.create(engine)
    engine.dispose()
    data = fill_legacy(new_db_url, mini_dir)
    assert revision_of(new_db_url) is None

    db = store.open_store(new_db_url)

    assert db.schema_revision() == store.SCHEMA_HEAD
    assert schema_diff(new_db_url, store.metadata) == []
    assert db.data_version() == 7
    back = db.dataset()
    assert sorted(back.landmarks, key=lambda x: x.id) == sorted(data.landmarks, key=lambda x: x.id)
    assert back.stops == data.stops
    with db.engine.connect() as conn:
        for table in (store.landmarks, store.itineraries):
            assert set(conn.execute(sa.select(table.c.version)).scalars()) == {1}
    if "accounts" in {t.name for t in tables}:
        assert count(new_db_url, "accounts") == 1


def test_a_database_made_by_the_newest_create_all_is_adopted(new_db_url: str, mini_dir: Path) -> None:
    engine = engine_for(new_db_url)
    store.metadata.create_all(engine)
    engine.dispose()
    db = store.Store(new_db_url)
    db.replace_all(seed.load_dir(mini_dir))
    db.create_schema()
    assert db.schema_revision() == store.SCHEMA_HEAD
    assert schema_diff(new_db_url, store.metadata) == []
    assert len(db.dataset().landmarks) == 8


def test_downgrade_to_0001_keeps_the_content_and_upgrades_again(new_db_url: str, mini_dir: Path) -> None:
    db = store.open_store(new_db_url)
    store.ensure_seeded(db, mini_dir)
    before = db.dataset()
    stops = count(new_db_url, "itinerary_stops")
    assert stops > 0
    db.engine.dispose()

    migrate(new_db_url, "downgrade", "0001")

    assert revision_of(new_db_url) == "0001"
    assert schema_diff(new_db_url, LEGACY) == []
    # rebuilding itineraries on SQLite must not cascade into the stops
    assert count(new_db_url, "itinerary_stops") == stops
    assert count(new_db_url, "landmarks") == len(before.landmarks)

    db = store.open_store(new_db_url)
    assert db.schema_revision() == store.SCHEMA_HEAD
    assert schema_diff(new_db_url, store.metadata) == []
    assert db.dataset() == before


def test_an_up_to_date_start_only_reads_the_revision(sqlite_url: str) -> None:
    """Every process start opens the store: on a migrated database that loads no Alembic and
    takes no lock, so it does not wait for a writer."""
    store.open_store(sqlite_url)
    writer = sa.create_engine(sqlite_url, poolclass=sa.pool.NullPool)
    with writer.connect() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # another process is in the middle of a save
        code = (
            "import sys\n"
            "from itinerary import store\n"
            "db = store.open_store(sys.argv[1])\n"
            "print(db.schema_revision(), 'alembic' in sys.modules)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code, sqlite_url],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        conn.exec_driver_sql("ROLLBACK")
    writer.dispose()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [store.SCHEMA_HEAD, "False"]


RACER = """
import sys, time
from pathlib import Path
from itinerary import store
go = Path(sys.argv[2])
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
db = store.open_store(sys.argv[1])
print(db.schema_revision())
"""


def test_processes_starting_together_on_a_new_database_migrate_it_once(
    new_db_url: str, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, new_db_url, str(go)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for racer in racers:  # all imported and waiting at the starting line
        assert racer.stdout is not None and racer.stdout.readline().strip() == "ready"
    go.touch()
    results = [racer.communicate(timeout=120) for racer in racers]
    for racer, (out, err) in zip(racers, results, strict=True):
        assert racer.returncode == 0, err
        assert out.strip() == store.SCHEMA_HEAD
    assert count(new_db_url, "alembic_version") == 1
    assert schema_diff(new_db_url, store.metadata) == []


ACCESS = {
    "district_zh": "福田区",
    "address_zh": "福田区益田路5033号",
    "entrance_steps": 1,
    "entrance_step_height_cm": 4,
    "entrance_ramp": False,
    "door_width_cm": 90,
    "automatic_door": True,
    "toilet_wheelchair": True,
    "lift_all_floors": None,
    "hearing_loop": False,
    "quiet_hours": "Mo 09:00-11:00",
    "access_note": "Lift from the B1 entrance",
    "access_surveyed": "2026-11-30",
    "access_surveyed_by": "ada",
}


def test_revision_0004_adds_the_access_facts_as_not_surveyed_and_drops_them_again(
    new_db_url: str, mini_dir: Path
) -> None:
    migrate(new_db_url, "upgrade", "0003")
    data = fill_legacy(new_db_url, mini_dir)
    migrate(new_db_url, "upgrade", "head")  # 0004 and the later revisions: the code reads the newest

    db = store.Store(new_db_url)
    assert diff_before_new_tables(new_db_url, store.metadata) == []
    back = {lm.id: lm for lm in db.dataset().landmarks}
    # existing rows read as "not surveyed": None, not False; texts empty
    for lm in back.values():
        assert lm.entrance_ramp is None and lm.toilet_wheelchair is None and lm.entrance_steps is None
        assert lm.district_zh == "" and lm.access_surveyed == ""
    assert sorted(back.values(), key=lambda x: x.id) == sorted(data.landmarks, key=lambda x: x.id)

    first = data.landmarks[0].id
    with db.engine.begin() as conn:
        conn.execute(store.landmarks.update().where(store.landmarks.c.id == first).values(**ACCESS))
    surveyed = {lm.id: lm for lm in db.dataset().landmarks}[first]
    assert {k: getattr(surveyed, k) for k in ACCESS} == ACCESS
    assert surveyed.parking_wheelchair is None  # left alone: still not surveyed
    db.engine.dispose()

    migrate(new_db_url, "downgrade", "0003")
    engine = engine_for(new_db_url)
    try:
        with engine.connect() as conn:
            names = {c["name"] for c in sa.inspect(conn).get_columns("landmarks")}
    finally:
        engine.dispose()
    assert not names & set(ACCESS)
    assert count(new_db_url, "landmarks") == len(data.landmarks)
    assert count(new_db_url, "itinerary_stops") == len(data.stops)  # no cascade on SQLite's rebuild

    migrate(new_db_url, "upgrade", "head")
    assert schema_diff(new_db_url, store.metadata) == []


VOICE_TABLES = {"voice_items", "voice_decisions", "voice_throttle", "usage_counts"}


def test_revision_0007_adds_the_voice_and_count_tables_and_drops_them_again(new_db_url: str) -> None:
    migrate(new_db_url, "upgrade", "0004")
    migrate(new_db_url, "upgrade", "0007")
    engine = engine_for(new_db_url)
    try:
        with engine.begin() as conn:
            assert set(sa.inspect(conn).get_table_names()) >= VOICE_TABLES
            conn.execute(
                store.usage_counts.insert().values(
                    day="2026-12-01", city_id="shenzhen", event="page_view", key="explore", lang="en", n=3
                )
            )
    finally:
        engine.dispose()
    assert diff_before_new_tables(new_db_url, store.metadata) == []
    migrate(new_db_url, "downgrade", "0004")
    engine = engine_for(new_db_url)
    try:
        with engine.connect() as conn:
            assert not VOICE_TABLES & set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()
    migrate(new_db_url, "upgrade", "head")
    assert schema_diff(new_db_url, store.metadata) == []
