"""Test databases built once per session and copied for each test (tests/conftest.py uses them).

Migrating a new database costs about 0.1 s on SQLite and 0.2-0.5 s on PostgreSQL on the 2-core
CI machine, and many hundred tests need one. So each kind of database (SQLite, PostgreSQL) is
migrated once per session, and once more per seed data set (keyed by the files' fingerprint),
and every test gets a copy of its own:

- SQLite: a file copy of the template (checkpointed first, so the copy holds everything).
- PostgreSQL: a schema of its own, made by one script: the template schema's DDL as ``pg_dump
  --schema-only`` writes it, then ``INSERT ... SELECT`` of every table and the sequences' values.
  The next test's copy is made in a thread while a test runs (the server works, not pytest);
  every schema of the session is dropped at its end, ten per transaction.
- PostgreSQL, again: a test's schema is lent, not given. After the test its rows are deleted and
  the template's inserted again (``give_back``: about 1.5 ms of the server's time, against 60-100
  ms for a new copy), and the next test that asks for that template gets it, under a URL of its
  own (``application_name``), so that nothing a process keeps per URL outlives the test. A schema
  whose tables the test defined anew (a relation made, altered or dropped: its catalog rows have
  changed) or whose rows are still locked is not lent again. Making hundreds of schemas a session
  also bloated the server's catalogs (pg_class grew to 75 MB, pg_attribute to 375 MB on the
  2-core machine in one day), which every catalog scan pays for.
  A schema, not ``CREATE DATABASE ... TEMPLATE``: dropping a database forces a checkpoint, which
  took up to 16 s per test on a busy server. Not a rolled-back transaction either: the tests
  commit, open several connections and processes, and kill processes mid-save.

A copy is a real, separate database, so a test may do anything to it. Tests of migrations
themselves ask for a database nothing has touched (``new_db_url``). Without ``pg_dump`` (a
server elsewhere, no client tools) each PostgreSQL test migrates its own schema as before.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import uuid
import warnings
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa

from itinerary import seed, store

TARGET = "__cp_copy_target__"  # stands for the new schema's name in the copy script


def build(url: str, data_dir: Path | None) -> None:
    """Migrate the database at ``url`` to the newest revision, seeded from ``data_dir`` if given."""
    db = store.open_store(url)
    try:
        if data_dir is not None:
            store.ensure_seeded(db, data_dir)
    finally:
        db.engine.dispose()


def key_of(data_dir: Path | None) -> str:
    """One template per seed data set: the same files give the same template."""
    return "migrated" if data_dir is None else seed.fingerprint(data_dir)[:16]


class SqliteTemplates:
    """Migrated (and seeded) SQLite files, one per data set, copied file by file."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.files: dict[str, Path] = {}

    def copy_to(self, target: Path, data_dir: Path | None) -> str:
        key = key_of(data_dir)
        if key not in self.files:
            path = self.workdir / f"template-{key}.db"
            build(f"sqlite:///{path}", data_dir)
            # WAL mode: fold the log into the file, so that copying the file copies everything
            with sqlite3.connect(path) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
            self.files[key] = path
        shutil.copyfile(self.files[key], target)
        return f"sqlite:///{target}"


class PostgresTemplates:
    """Migrated (and seeded) PostgreSQL schemas, one per data set, copied by one SQL script."""

    def __init__(self, admin_url: str, schema_url: object) -> None:
        self.admin_url = admin_url
        self.schema_url = schema_url  # (schema) -> URL with that schema on the search path
        self.session = uuid.uuid4().hex[:8]  # other test sessions may share the server
        self.scripts: dict[str, str | None] = {}
        self.schemas: list[str] = []  # templates and copies, dropped by drop_all
        # the next copy of each template, made by the server while a test runs
        self.ahead: dict[str, Future[str]] = {}
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.resets: dict[str, str] = {}  # per template: its rows again in a lent schema
        self.names: dict[str, list[str]] = {}  # per template: its relations' names
        self.free: dict[str, list[str]] = {}  # per template: schemas given back, ready to lend
        self.lent: dict[str, tuple[str, int]] = {}  # schema -> (template, newest oid when lent)
        self.shapes: dict[str, tuple[int, int]] = {}  # schema -> its relations' catalog rows
        self.admin: sa.Engine | None = None  # one connection for lending, kept for the session

    def copy(self, data_dir: Path | None) -> str:
        """A new schema holding a migrated (seeded) database: a copy, or built if need be."""
        key = key_of(data_dir)
        if key not in self.scripts:
            self.scripts[key] = self._template(key, data_dir)
        script = self.scripts[key]
        if script is None:
            schema = self._copy(f'CREATE SCHEMA "{TARGET}";')
            build(self.schema_url(schema), data_dir)  # type: ignore[operator]
            return schema
        pending = self.ahead.pop(key, None)
        schema = pending.result() if pending else self._copy(script)
        self.ahead[key] = self.pool.submit(self._copy, script)
        return schema

    def lend(self, data_dir: Path | None) -> str:
        """A schema holding a migrated (seeded) database for one test, to ``give_back`` after it:
        one given back before, or a new copy."""
        key = key_of(data_dir)
        free = self.free.get(key)
        schema = free.pop() if free else self.copy(data_dir)
        if key in self.resets:
            with self._admin().connect() as conn:
                if schema not in self.shapes:
                    self.shapes[schema] = self._shape(conn, schema, key)
                newest = conn.exec_driver_sql("SELECT oid FROM pg_class ORDER BY oid DESC LIMIT 1").scalar()
            self.lent[schema] = (key, int(newest or 0))
        return schema

    def give_back(self, schema: str) -> None:
        """After its test: the schema's rows are the template's again, and it is lent again,
        unless the test changed its tables or still holds a lock on its rows (then it stays
        aside, dropped with the rest at the end)."""
        key, newest = self.lent.pop(schema, ("", 0))
        if key not in self.resets:
            return
        try:
            with self._admin().begin() as conn:
                conn.exec_driver_sql("SET LOCAL lock_timeout = '2s'")
                made = conn.exec_driver_sql(
                    "SELECT count(*) FROM pg_class WHERE oid > %(oid)s AND relnamespace = (%(s)s::text)::regnamespace",
                    {"oid": newest, "s": schema},
                ).scalar()
                if made or self._shape(conn, schema, key) != self.shapes[schema]:
                    return
                conn.exec_driver_sql(self.resets[key].replace(TARGET, schema))
        except sa.exc.DBAPIError:  # a lock held on: left aside
            return
        self.free.setdefault(key, []).append(schema)

    def _shape(self, conn: sa.Connection, schema: str, key: str) -> tuple[int, int]:
        """How many of the template's relations the schema has, and their catalog rows' xmin
        added up: creating, altering or dropping one of them changes it; rows written do not."""
        count, xmins = conn.exec_driver_sql(
            "SELECT count(*), coalesce(sum(xmin::text::bigint), 0) FROM pg_class"
            " WHERE relname = ANY(%(names)s) AND relnamespace = (%(s)s::text)::regnamespace",
            {"names": self.names[key], "s": schema},
        ).one()
        return int(count), int(xmins)

    def _admin(self) -> sa.Engine:
        if self.admin is None:
            self.admin = sa.create_engine(self.admin_url, pool_size=1, max_overflow=0)
        return self.admin

    def _copy(self, script: str) -> str:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        engine = sa.create_engine(self.admin_url, poolclass=sa.pool.NullPool)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(script.replace(TARGET, schema))
        finally:
            engine.dispose()
        self.schemas.append(schema)
        return schema

    def _template(self, key: str, data_dir: Path | None) -> str | None:
        schema = f"tmpl_{self.session}_{key}"
        engine = sa.create_engine(self.admin_url, poolclass=sa.pool.NullPool)
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
            self.schemas.append(schema)
            build(self.schema_url(schema), data_dir)  # type: ignore[operator]
            ddl = self._dump_ddl(schema)
            if ddl is None:
                return None
            with engine.connect() as conn:
                tables = sa.inspect(conn).get_table_names(schema=schema)
                sequences = sa.inspect(conn).get_sequence_names(schema=schema)
                self.names[key] = list(  # every relation: tables, their indexes, sequences
                    conn.exec_driver_sql(
                        "SELECT relname FROM pg_class WHERE relnamespace = (%(s)s::text)::regnamespace",
                        {"s": schema},
                    ).scalars()
                )
        finally:
            engine.dispose()
        # rows in foreign-key order (the migrated tables are the metadata's, which a test checks);
        # tables outside it (alembic_version) have no foreign keys
        order = {t.name: i for i, t in enumerate(store.metadata.sorted_tables)}
        copies = [
            f'INSERT INTO "{TARGET}"."{t}" SELECT * FROM "{schema}"."{t}";'
            for t in sorted(tables, key=lambda t: order.get(t, -1))
        ]
        copies += [
            f'SELECT setval(\'"{TARGET}"."{s}"\', last_value, is_called) FROM "{schema}"."{s}";'
            for s in sequences
        ]
        # a test database need not survive a power cut: the commit need not wait for the disk
        no_wait = "SET LOCAL synchronous_commit TO off;\n"
        deletes = [f'DELETE FROM "{TARGET}"."{t}";' for t in sorted(tables, key=lambda t: -order.get(t, -1))]
        self.resets[key] = no_wait + "\n".join(deletes + copies)  # rows out in the reverse order
        return no_wait + f'CREATE SCHEMA "{TARGET}";\n' + ddl + "\n" + "\n".join(copies)

    def _dump_ddl(self, schema: str) -> str | None:
        """The schema's tables, sequences, defaults, keys and indexes as SQL naming ``TARGET``."""
        pg_dump = shutil.which("pg_dump")
        url = sa.make_url(self.admin_url).set(drivername="postgresql")
        env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
        command = [str(pg_dump), "--schema-only", "--no-owner", "--no-privileges", f"--schema={schema}"]
        try:
            if pg_dump is None:
                raise OSError("pg_dump is not installed")
            out = subprocess.run(
                [*command, f"--dbname={url.set(password=None).render_as_string(hide_password=False)}"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
                timeout=60,
            ).stdout
        except (OSError, subprocess.SubprocessError) as exc:
            warnings.warn(f"no PostgreSQL template ({exc}): every test migrates its own schema", stacklevel=1)
            return None
        # session settings, psql commands, comments and the schema itself are left out; what
        # remains names only objects of the schema, always qualified (pg_dump empties search_path)
        skip = ("SET ", "SELECT pg_catalog.set_config", "\\", "--", "CREATE SCHEMA ")
        lines = [line for line in out.splitlines() if not line.startswith(skip)]
        return "\n".join(lines).replace(f"{schema}.", f'"{TARGET}".')

    def drop_all(self, schemas: list[str]) -> None:
        """Drop test schemas (and the templates), a few per transaction (each holds many locks)."""
        for pending in self.ahead.values():
            with contextlib.suppress(Exception):  # its failure was reported by a test already
                pending.result()
        self.pool.shutdown()
        if self.admin is not None:
            self.admin.dispose()
        engine = sa.create_engine(self.admin_url, poolclass=sa.pool.NullPool)
        try:
            everything = schemas + self.schemas
            for start in range(0, len(everything), 10):
                names = ", ".join(f'"{s}"' for s in everything[start : start + 10])
                with engine.begin() as conn:
                    conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {names} CASCADE")
        finally:
            engine.dispose()
