"""Shared fixtures: real data folders copied to tmp_path, real databases.

``db_url`` runs each test that asks for it twice: on a SQLite file and on the PostgreSQL server
of ``CITYPLUS_TEST_PG_URL`` (default: the local server, database ``test``), in a schema of its
own. The database is already migrated: a copy of a template migrated once per session, which
on PostgreSQL is lent to one test at a time (tests/templates.py says how and why).
``mini_db_url`` is the same with the ``mini`` fixture data seeded (``ensure_seeded`` on
``mini_dir`` then finds it unchanged). ``new_db_url``,
``sqlite_url`` and ``pg_url`` are databases nothing has touched, for tests of migrations and
first starts. A missing PostgreSQL server fails those tests: it is not a skip.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.templates import PostgresTemplates, SqliteTemplates

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
DATA = ROOT / "data"

PG_URL = os.environ.get("CITYPLUS_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
START_PG = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    """A writable copy of the small fixture data folder."""
    target = tmp_path / "data"
    shutil.copytree(MINI, target)
    return target


def pg_schema_url(schema: str) -> str:
    """The test server's URL with ``schema`` first on the search path."""
    return (
        sa.make_url(PG_URL)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplates:
    return SqliteTemplates(tmp_path_factory.mktemp("templates"))


@pytest.fixture(scope="session")
def pg_schemas() -> Iterator[tuple[list[str], PostgresTemplates]]:
    """The test schemas made in this session, dropped together at its end, and the templates."""
    schemas: list[str] = []
    templates = PostgresTemplates(PG_URL, pg_schema_url)
    yield schemas, templates
    with contextlib.suppress(sa.exc.OperationalError):  # the server went away: nothing to drop
        templates.drop_all(schemas)


def new_pg_schema(pg_schemas: tuple[list[str], PostgresTemplates]) -> str:
    """A new empty schema, dropped when the session ends."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL, poolclass=sa.pool.NullPool)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL} ({exc.orig}); start it with: {START_PG}")
    finally:
        admin.dispose()
    pg_schemas[0].append(schema)
    return schema


def copied_pg_url(pg_schemas: tuple[list[str], PostgresTemplates], data_dir: Path | None) -> str:
    """A schema of its own holding a copy of the migrated (seeded) template."""
    try:
        schema = pg_schemas[1].copy(data_dir)
    except sa.exc.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL} ({exc.orig}); start it with: {START_PG}")
    return pg_schema_url(schema)


def lent_pg_url(request: pytest.FixtureRequest, data_dir: Path | None) -> str:
    """A schema holding the migrated (seeded) template for this test only: lent, and given back
    when the test ends (tests/templates.py), under a URL no other test gets (an application name
    of its own), so that nothing a process keeps per database URL reaches the next test."""
    templates = request.getfixturevalue("pg_schemas")[1]
    try:
        schema = templates.lend(data_dir)
    except sa.exc.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL} ({exc.orig}); start it with: {START_PG}")
    request.addfinalizer(lambda: templates.give_back(schema))
    url = sa.make_url(pg_schema_url(schema)).update_query_dict(
        {"application_name": f"t{uuid.uuid4().hex[:8]}"}
    )
    return url.render_as_string(hide_password=False)


@pytest.fixture
def pg_url(pg_schemas: tuple[list[str], PostgresTemplates]) -> str:
    """A PostgreSQL URL whose tables live in a fresh, empty schema."""
    return pg_schema_url(new_pg_schema(pg_schemas))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file that does not exist yet."""
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def new_db_url(request: pytest.FixtureRequest) -> str:
    """A database nothing has touched, on both supported databases (tests of migrations)."""
    return str(request.getfixturevalue(f"{'pg' if request.param == 'postgresql' else 'sqlite'}_url"))


def copied_db_url(
    request: pytest.FixtureRequest, kind: str, data_dir: Path | None, *, name: str = "test.db"
) -> str:
    """A copy of the migrated template (seeded from ``data_dir`` if given) for this test;
    ``name`` is the SQLite file's, in ``tmp_path`` (the one ``sqlite_url`` names by default)."""
    if kind == "postgresql":
        return lent_pg_url(request, data_dir)
    target = request.getfixturevalue("tmp_path") / name
    return request.getfixturevalue("sqlite_templates").copy_to(target, data_dir)  # type: ignore[no-any-return]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test on both supported databases, each migrated and empty."""
    return copied_db_url(request, request.param, None)


@pytest.fixture(params=["sqlite", "postgresql"])
def mini_db_url(request: pytest.FixtureRequest) -> str:
    """The same test on both supported databases, each migrated and seeded with ``MINI``."""
    return copied_db_url(request, request.param, MINI)
