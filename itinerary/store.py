"""Persistence through SQLAlchemy: SQLite by default, any SQLAlchemy URL by ``CITYPLUS_DB_URL``.

Every write runs in one transaction and bumps ``data_version`` in the database, so readers in
any process can tell when to refresh their caches.

The schema is owned by the Alembic migrations in ``itinerary/migrations``; ``metadata`` below
describes the newest revision (a test compares the two). ``open_store`` upgrades the database
to it, under a lock, so several processes may start on one new database at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from itinerary import seed, settings
from itinerary.models import Chapter, City, Dataset, Itinerary, Landmark, Stop, Story, Theme
from itinerary.programmes.tables import define as programme_tables
from itinerary.visitor_tables import define as visitor_tables

if TYPE_CHECKING:
    import pandas as pd
    from alembic.config import Config

PROJECT_ROOT, DEFAULT_DB_PATH, DEFAULT_DATA_DIR = (
    settings.PROJECT_ROOT,
    settings.DEFAULT_DB_PATH,
    settings.DEFAULT_DATA_DIR,
)
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest revision in MIGRATIONS_DIR (a test checks). Known here so that a process starting on
# an up-to-date database checks it with one query, without loading Alembic (about 0.4 s).
SCHEMA_HEAD = "0007"
# PostgreSQL advisory lock around migrations: this key ("CP+") and a hash of the schema name
MIGRATION_LOCK_KEY = 0x43502B

metadata = sa.MetaData()


def access_columns() -> list[sa.Column[Any]]:
    """The landmarks' access columns, as revision 0004 adds them (new objects on each call).

    Texts are never NULL (empty is "not given"); yes/no facts and measurements are NULL when
    not surveyed, so that unknown stays apart from no.
    """
    from itinerary.columns import ACCESS_COLUMNS, ACCESS_FLAGS, ACCESS_NUMBERS

    columns: list[sa.Column[Any]] = []
    for column in ACCESS_COLUMNS:
        if column.name in ACCESS_FLAGS:
            columns.append(sa.Column(column.name, sa.Boolean, nullable=True))
        elif column.name in ACCESS_NUMBERS:
            columns.append(sa.Column(column.name, sa.Integer, nullable=True))
        else:
            columns.append(
                sa.Column(column.name, sa.Text, nullable=False, default="", server_default=sa.text("''"))
            )
    return columns


def city_account_columns() -> list[sa.Column[Any]]:
    """The cities' account columns, as revision 0005 adds them (new objects on each call)."""

    def text(name: str, default: str = "") -> sa.Column[Any]:
        return sa.Column(
            name, sa.Text, nullable=False, default=default, server_default=sa.text(f"'{default}'")
        )

    return [
        text("portrait"),
        text("portrait_zh"),
        text("facts"),  # ';'-separated, as in the CSV
        text("facts_zh"),
        text("fact_sources"),
        text("partnership", "platform"),
        sa.Column("partner_since", sa.Integer, nullable=True),
        text("joined"),
        sa.Column("join_order", sa.Integer, nullable=True),
    ]


cities = sa.Table(
    "cities",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_zh", sa.Text, nullable=False, default=""),
    sa.Column("country", sa.Text, nullable=False, default=""),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("zoom", sa.Integer, nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
    # the city account (revision 0005; itinerary.cityaccounts)
    *city_account_columns(),
)

themes = sa.Table(
    "themes",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("label_zh", sa.Text, nullable=False, default=""),
    sa.Column("color", sa.String(7), nullable=False),
    sa.Column("icon", sa.String(64), nullable=False),
    sa.Column("description", sa.Text, nullable=False, default=""),
    sa.Column("description_zh", sa.Text, nullable=False, default=""),
)

landmarks = sa.Table(
    "landmarks",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("city_id", sa.String(64), sa.ForeignKey("cities.id"), nullable=False, index=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_zh", sa.Text, nullable=False, default=""),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("themes", sa.Text, nullable=False, default=""),  # ';'-separated, as in the CSV
    sa.Column("district", sa.Text, nullable=False, default=""),
    sa.Column("address", sa.Text, nullable=False, default=""),
    sa.Column("summary", sa.Text, nullable=False, default=""),
    sa.Column("summary_zh", sa.Text, nullable=False, default=""),
    sa.Column("visit_minutes", sa.Integer, nullable=False),
    sa.Column("opening_hours", sa.Text, nullable=False, default=""),
    sa.Column("wheelchair", sa.String(16), nullable=False),
    sa.Column("price", sa.Text, nullable=False, default=""),
    sa.Column("website", sa.Text, nullable=False, default=""),
    sa.Column("status", sa.String(16), nullable=False),
    # access facts (revision 0004; itinerary.columns.ACCESS_COLUMNS): NULL is "not surveyed"
    *access_columns(),
    # optimistic concurrency: every save raises it; a save based on an older version is refused
    sa.Column("version", sa.Integer, nullable=False, default=1, server_default="1"),
)

itineraries = sa.Table(
    "itineraries",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("city_id", sa.String(64), sa.ForeignKey("cities.id"), nullable=False, index=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("title_zh", sa.Text, nullable=False, default=""),
    sa.Column("theme_id", sa.String(64), nullable=False, default=""),
    sa.Column("summary", sa.Text, nullable=False, default=""),
    sa.Column("summary_zh", sa.Text, nullable=False, default=""),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("start_time", sa.String(5), nullable=False),
    sa.Column("featured", sa.Boolean, nullable=False, default=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("version", sa.Integer, nullable=False, default=1, server_default="1"),
)

itinerary_stops = sa.Table(
    "itinerary_stops",
    metadata,
    sa.Column(
        "itinerary_id",
        sa.String(128),
        sa.ForeignKey("itineraries.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("landmark_id", sa.String(128), sa.ForeignKey("landmarks.id"), nullable=False),
    sa.Column("dwell_minutes", sa.Integer, nullable=True),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("note_zh", sa.Text, nullable=False, default=""),
)

# --- city stories (revision 0005; itinerary.cityaccounts) -----------------------------------------

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("city_id", sa.String(64), sa.ForeignKey("cities.id"), nullable=False, index=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("title_zh", sa.Text, nullable=False, default=""),
    sa.Column("summary", sa.Text, nullable=False, default=""),
    sa.Column("summary_zh", sa.Text, nullable=False, default=""),
    sa.Column("itinerary_id", sa.String(128), nullable=False, default=""),  # "" or an itinerary
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("version", sa.Integer, nullable=False, default=1, server_default="1"),
)

story_chapters = sa.Table(
    "story_chapters",
    metadata,
    sa.Column("story_id", sa.String(128), sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("title_zh", sa.Text, nullable=False, default=""),
    sa.Column("text", sa.Text, nullable=False, default=""),
    sa.Column("text_zh", sa.Text, nullable=False, default=""),
    sa.Column("landmark_id", sa.String(128), nullable=False, default=""),  # "" or a landmark
    sa.Column("lat", sa.Float, nullable=True),
    sa.Column("lon", sa.Float, nullable=True),
    sa.Column("zoom", sa.Integer, nullable=True),
    sa.Column("image", sa.Text, nullable=False, default=""),
    sa.Column("image_alt", sa.Text, nullable=False, default=""),
    sa.Column("image_alt_zh", sa.Text, nullable=False, default=""),
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# --- history of content changes (itinerary/curation.py) -----------------------------------------
# One row per saved version of a landmark or an itinerary: who, when, and the whole record before
# and after (JSON). Seeding replaces content but keeps history.

changes = sa.Table(
    "changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entity", sa.String(16), nullable=False),  # landmark | itinerary
    sa.Column("entity_id", sa.String(128), nullable=False),
    sa.Column("city_id", sa.String(64), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),  # the version this change produced
    sa.Column("action", sa.String(16), nullable=False),  # create | edit | archive | restore | import
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),  # UTC
    sa.Column("before", sa.Text, nullable=False, default=""),  # JSON snapshot, "" for a creation
    sa.Column("after", sa.Text, nullable=False),  # JSON snapshot
    sa.Index("ix_changes_entity", "entity", "entity_id", "version"),
)

# --- geocoding results (itinerary/geocode.py), shared by every process ---------------------------

geocode_cache = sa.Table(
    "geocode_cache",
    metadata,
    sa.Column("key_sha256", sa.String(64), primary_key=True),
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("results", sa.Text, nullable=False),  # JSON list of results
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)

# --- staff accounts (itinerary/accounts.py) --------------------------------------------------
# Not content: seeding and imports leave them alone, and their writes use plain transactions
# that do not bump data_version (signing in must not invalidate the content caches).

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("username", sa.String(32), primary_key=True),  # lowercase, 3-32 characters
    sa.Column("password_hash", sa.Text, nullable=False),  # argon2id, in PHC string format
    sa.Column("role", sa.String(16), nullable=False),  # editor | admin
    sa.Column("cities", sa.Text, nullable=False, default=""),  # ';'-separated city ids, or '*' for all
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),  # UTC
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("failed_count", sa.Integer, nullable=False, default=0),  # failed sign-ins in a row
    sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("token_sha256", sa.String(64), primary_key=True),  # the token itself is never stored
    sa.Column(
        "username",
        sa.String(32),
        sa.ForeignKey("accounts.username", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),  # absolute lifetime
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),  # for the idle timeout
)

# Failed sign-ins (itinerary/signin.py), shared by every process: one row per client
# (username ""), per client and user name, and per user name from any client (client "").
# Names need not exist: an unknown name is counted like a real one, so nothing tells them apart.
signin_throttle = sa.Table(
    "signin_throttle",
    metadata,
    sa.Column("client", sa.String(128), primary_key=True),
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("failed_count", sa.Integer, nullable=False),  # failures, each within WINDOW of the last
    sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
)

# --- programmes (revision 0006; itinerary/programmes): dated schedules, venues, token hashes ---
programmes, programme_venues, programme_items, programme_tokens = programme_tables(metadata)
# --- visitors' reports and suggestions, and usage counts (revision 0007; itinerary/visitor_tables.py)
voice_items, voice_decisions, voice_throttle, usage_counts = visitor_tables(metadata)

# Deleting in this order and inserting in the reverse keeps foreign keys satisfied.
CONTENT_TABLES = (story_chapters, stories, itinerary_stops, itineraries, landmarks, themes, cities)


def default_db_url() -> str:
    return settings.db_url()


def default_data_dir() -> Path:
    return settings.data_dir()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=10000")  # first: switching to WAL may wait for another process
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # readers in other processes never block on a writer
    cur.close()


def _sqlite_migration_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Foreign keys stay off while migrating: a batch operation rebuilds a table by copying it and
    # dropping the original, and with them on that drop would cascade (itinerary_stops) or fail.
    # The driver must not manage transactions itself: SQLAlchemy's "begin" below does.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def _sqlite_begin_immediate(conn: Connection) -> None:
    # takes the write lock at once: a second process starting on the same new database waits
    # here, then finds the schema up to date (and SQLite's DDL is transactional this way)
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, without an ini file; ``connection`` is what env.py migrates."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    cfg.attributes["connection"] = connection
    return cfg


def current_revision(conn: Connection) -> str | None:
    """The database's migration revision (None: new, or made before migrations existed)."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


@contextmanager
def migration_connection(url: str | sa.URL, engine: Engine | None = None) -> Iterator[Connection]:
    """A connection in a transaction that holds the database's migration lock until it commits.

    PostgreSQL: a transaction-level advisory lock per schema (DDL is transactional there).
    SQLite: ``BEGIN IMMEDIATE`` on a connection of its own, foreign keys off (checked at the end).
    """
    url = sa.make_url(url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        mig = sa.create_engine(url, poolclass=sa.pool.NullPool)
        sa.event.listen(mig, "connect", _sqlite_migration_pragmas)
        sa.event.listen(mig, "begin", _sqlite_begin_immediate)
        try:
            with mig.begin() as conn:
                yield conn
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                if problems:
                    raise RuntimeError(f"migration broke foreign keys: {problems[:5]}")
        finally:
            mig.dispose()
        return
    own = engine is None
    engine = engine or sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:key, hashtext(coalesce(current_schema(), '')))"),
                    {"key": MIGRATION_LOCK_KEY},
                )
            yield conn
    finally:
        if own:
            engine.dispose()


class Store:
    """The content database. Cheap to query for ``data_version``; writes are transactions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = sa.create_engine(url)
        self.writes = 0  # write transactions this process ended: Catalog.refresh looks again
        if self.engine.dialect.name == "sqlite":
            database = self.engine.url.database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)

    def create_schema(self) -> None:
        """Migrate the database to the newest revision (``alembic upgrade head``).

        Costs one revision query when it is up to date (every process start). Otherwise it
        migrates under the migration lock, checking again once it holds it, so concurrent starts
        migrate once. A database made before migrations (tables, no ``alembic_version``) is
        adopted by revision 0001, which creates only what it lacks.
        """
        with self.engine.connect() as conn:
            if current_revision(conn) == SCHEMA_HEAD:
                return
        from alembic import command

        with migration_connection(self.engine.url, self.engine) as conn:
            if current_revision(conn) != SCHEMA_HEAD:
                command.upgrade(alembic_config(conn), "head")

    def schema_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return current_revision(conn)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction that bumps the data version when it commits."""
        try:
            with self.engine.begin() as conn:
                yield conn
                self._bump_version(conn)
        finally:  # committed or not: this process's catalogs look at the data version again
            self.writes += 1

    # --- meta --------------------------------------------------------------------------------

    def meta(self, conn: Connection | None = None) -> dict[str, str]:
        if conn is None:
            with self.engine.connect() as c:
                return self.meta(c)
        return {k: v for k, v in conn.execute(sa.select(meta.c.key, meta.c.value))}

    def _set_meta(self, conn: Connection, key: str, value: str) -> None:
        updated = conn.execute(meta.update().where(meta.c.key == key).values(value=value))
        if updated.rowcount == 0:
            conn.execute(meta.insert().values(key=key, value=value))

    def _bump_version(self, conn: Connection) -> int:
        # One atomic UPDATE: with a read then a write, two transactions committing together on
        # PostgreSQL could both write N+1, and a process that cached N+1 would miss the second.
        bumped = conn.execute(
            meta.update()
            .where(meta.c.key == "data_version")
            .values(value=sa.cast(sa.cast(meta.c.value, sa.Integer) + 1, sa.Text))
            .returning(meta.c.value)
        ).scalar()
        if bumped is not None:
            return int(bumped)
        self._set_meta(conn, "data_version", "1")
        return 1

    def data_version(self) -> int:
        """Changes with every committed write, in every process sharing the database."""
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(meta.c.value).where(meta.c.key == "data_version")).scalar()
        return int(value or 0)

    # --- whole-dataset writes and reads ------------------------------------------------------

    def replace_all(self, dataset: Dataset, *, fingerprint: str = "") -> None:
        """Replace every content row with ``dataset`` in one transaction."""
        from itinerary.programmes import repo as programme_rows

        with self.engine.begin() as conn:
            tokens = programme_rows.clear(conn)  # programmes first: they refer to the cities
            for table in CONTENT_TABLES:
                conn.execute(table.delete())
            for table, rows in (
                (cities, [asdict(c) for c in dataset.cities]),
                (themes, [asdict(t) for t in dataset.themes]),
                (landmarks, [_landmark_row(lm) for lm in dataset.landmarks]),
                (itineraries, [asdict(i) for i in dataset.itineraries]),
                (itinerary_stops, [asdict(s) for s in dataset.stops]),
                (stories, [asdict(s) for s in dataset.stories]),
                (story_chapters, [asdict(c) for c in dataset.chapters]),
            ):
                if rows:
                    conn.execute(table.insert(), rows)
            programme_rows.insert(conn, dataset.programmes, tokens)
            self._set_meta(conn, "seed_fingerprint", fingerprint)
            self._set_meta(conn, "seeded_version", str(self._bump_version(conn)))
        self.writes += 1

    def dataset(self) -> Dataset:
        """Everything in the database as model objects (the inverse of ``replace_all``)."""
        from itinerary.programmes.repo import read_set

        with self.engine.connect() as conn:

            def rows(table: sa.Table, *order: Any) -> list[dict[str, Any]]:
                columns = [c for c in table.c if c.name != "version"]  # bookkeeping, not content
                query = sa.select(*columns).order_by(*order)
                return [dict(r) for r in conn.execute(query).mappings()]

            return Dataset(
                cities=tuple(City(**r) for r in rows(cities, cities.c.id)),
                themes=tuple(Theme(**r) for r in rows(themes, themes.c.id)),
                landmarks=tuple(
                    Landmark(**{**r, "themes": tuple(t for t in r["themes"].split(";") if t)})
                    for r in rows(landmarks, landmarks.c.id)
                ),
                itineraries=tuple(Itinerary(**r) for r in rows(itineraries, itineraries.c.id)),
                stops=tuple(
                    Stop(**r)
                    for r in rows(itinerary_stops, itinerary_stops.c.itinerary_id, itinerary_stops.c.position)
                ),
                programmes=read_set(conn),
                stories=tuple(Story(**r) for r in rows(stories, stories.c.id)),
                chapters=tuple(
                    Chapter(**r)
                    for r in rows(story_chapters, story_chapters.c.story_id, story_chapters.c.position)
                ),
            )

    def frame(self, table: sa.Table, *where: Any, order_by: Any = None) -> pd.DataFrame:
        """Rows of a table as a DataFrame with the table's columns, even when empty."""
        import pandas as pd  # here: a command that reads no frame starts without pandas (0.4 s)

        query = sa.select(table).where(*where)
        if order_by is not None:
            query = query.order_by(order_by)
        with self.engine.connect() as conn:
            result = conn.execute(query)
            # plain tuples: pandas probing SQLAlchemy Row objects attribute by attribute is slow
            return pd.DataFrame([tuple(row) for row in result], columns=list(result.keys()))


def _landmark_row(lm: Landmark) -> dict[str, Any]:
    row = asdict(lm)
    row["themes"] = ";".join(lm.themes)
    return row


def open_store(url: str | None = None) -> Store:
    store = Store(url or default_db_url())
    store.create_schema()
    return store


def ensure_seeded(store: Store, data_dir: Path | str) -> str:
    """Seed the database from ``data_dir`` when its files changed since the last seeding.

    Returns what happened: ``"seeded"``, ``"unchanged"`` or ``"kept-edits"`` (the files changed
    but the database has writes made after seeding, which a reseed would throw away).
    Raises ``seed.ValidationError`` for bad files, leaving the database as it was.
    """
    fingerprint = seed.fingerprint(data_dir)
    info = store.meta()
    if info.get("seed_fingerprint") == fingerprint:
        return "unchanged"
    if "seeded_version" in info and info["seeded_version"] != info.get("data_version"):
        return "kept-edits"
    dataset = seed.load_dir(data_dir)
    store.replace_all(dataset, fingerprint=fingerprint)
    return "seeded"
