"""Shared fixtures: real data folders copied to tmp_path, real databases.

``db_url`` runs each test that asks for it twice: on a SQLite file and on the PostgreSQL server
of ``CITYPLUS_TEST_PG_URL`` (default: the local server, database ``test``), in a schema of its
own that is dropped afterwards. A missing PostgreSQL server fails those tests: it is not a skip.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

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


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose tables live in a fresh schema, dropped after the test."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL, poolclass=sa.pool.NullPool)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL} ({exc.orig}); start it with: {START_PG}")
    try:
        yield pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test on both supported databases."""
    return str(request.getfixturevalue(f"{'pg' if request.param == 'postgresql' else 'sqlite'}_url"))
