"""The test databases themselves (tests/templates.py): each copy is the migrated database, seeded
when asked, and separate from every other copy and from the template."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from itinerary import seed, store
from tests.conftest import MINI, copied_db_url, copied_pg_url, pg_schema_url
from tests.templates import PostgresTemplates
from tests.unit.test_migrations import schema_diff


def log_delete(conn: sa.Connection, landmark_id: str) -> None:
    """A row of history: a landmark deleted."""
    conn.execute(
        store.changes.insert().values(
            entity="landmark", entity_id=landmark_id, city_id="shenzhen", version=1,
            action="delete", username="ada", at=sa.func.now(), before="{}", after="{}",
        )
    )  # fmt: skip


def test_a_copy_is_migrated_and_empty(db_url: str) -> None:
    assert schema_diff(db_url, store.metadata) == []
    db = store.Store(db_url)  # no migration: it is up to date already
    assert db.schema_revision() == store.SCHEMA_HEAD
    assert db.dataset() == seed.Dataset((), (), (), (), ())
    assert db.data_version() == 0


def test_a_seeded_copy_holds_the_files(mini_db_url: str, mini_dir: Path) -> None:
    db = store.Store(mini_db_url)
    back, files = db.dataset(), seed.load_dir(MINI)
    for part in ("cities", "themes", "landmarks", "itineraries", "stops"):
        assert sorted(map(repr, getattr(back, part))) == sorted(map(repr, getattr(files, part)))
    assert db.data_version() == 1
    assert store.ensure_seeded(db, mini_dir) == "unchanged"
    db.engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_copies_are_separate(kind: str, request: pytest.FixtureRequest) -> None:
    first = store.Store(copied_db_url(request, kind, MINI, name="first.db"))
    with first.transaction() as conn:
        conn.execute(store.landmarks.delete().where(store.landmarks.c.id == "oct-loft"))
        log_delete(conn, "oct-loft")
    second = store.Store(copied_db_url(request, kind, MINI, name="second.db"))
    assert len(second.dataset().landmarks) == len(first.dataset().landmarks) + 1
    assert second.data_version() == 1 and first.data_version() == 2
    with second.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.changes)).scalar() == 0
    first.engine.dispose()
    second.engine.dispose()


def test_a_postgresql_copy_has_the_schema_that_migrating_makes(
    pg_url: str, pg_schemas: tuple[list[str], PostgresTemplates]
) -> None:
    """Exactly: the same tables, keys, indexes, foreign keys, defaults and sequences."""
    templates = pg_schemas[1]
    copy_schema = sa.make_url(copied_pg_url(pg_schemas, None)).query["options"].split("=", 1)[1]
    fresh = sa.make_url(pg_url).query["options"].split("=", 1)[1]
    store.open_store(pg_url).engine.dispose()
    ddl = templates._dump_ddl(fresh)
    assert ddl is not None and "FOREIGN KEY" in ddl and "nextval" in ddl
    assert templates._dump_ddl(copy_schema) == ddl


def test_a_lent_schema_comes_back_as_the_template_was(
    pg_schemas: tuple[list[str], PostgresTemplates],
) -> None:
    """What a test wrote is gone when the next test gets the schema: rows, history, the data
    version and the sequences' values."""
    templates = pg_schemas[1]
    schema = templates.lend(MINI)
    db = store.Store(pg_schema_url(schema))
    with db.transaction() as conn:
        conn.execute(store.landmarks.delete().where(store.landmarks.c.id == "oct-loft"))
        log_delete(conn, "oct-loft")
    assert db.data_version() == 2
    db.engine.dispose()
    templates.give_back(schema)

    again = templates.lend(MINI)
    assert again == schema  # lent again, not copied
    db = store.Store(pg_schema_url(again))
    back, files = db.dataset(), seed.load_dir(MINI)
    assert sorted(map(repr, back.landmarks)) == sorted(map(repr, files.landmarks))
    assert db.data_version() == 1
    with db.transaction() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.changes)).scalar() == 0
        log_delete(conn, "x")
        first_id = conn.execute(sa.select(sa.func.min(store.changes.c.id))).scalar()
    assert first_id == 1  # the sequence starts where the template's does
    db.engine.dispose()
    templates.give_back(again)


@pytest.mark.parametrize(
    "ddl",
    [
        'ALTER TABLE "{s}".landmarks ADD COLUMN extra text',
        'CREATE TABLE "{s}".extra (id int)',
        'CREATE INDEX extra_idx ON "{s}".landmarks (name)',
        'DROP TABLE "{s}".changes',
    ],
    ids=["column added", "table made", "index made", "table dropped"],
)
def test_a_schema_whose_tables_a_test_changed_is_not_lent_again(
    ddl: str, pg_schemas: tuple[list[str], PostgresTemplates]
) -> None:
    templates = pg_schemas[1]
    schema = templates.lend(MINI)
    engine = sa.create_engine(pg_schema_url(schema), poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(ddl.format(s=schema))
    engine.dispose()
    templates.give_back(schema)
    other = templates.lend(MINI)
    assert other != schema
    templates.give_back(other)
