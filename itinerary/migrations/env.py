"""Alembic environment for the content database, for SQLite and PostgreSQL.

The app runs migrations through ``itinerary.store.Store.create_schema``, which hands over an open
connection that already holds the migration lock (``config.attributes["connection"]``). The
``alembic`` command line (``alembic.ini`` at the repository root) gets the same lock through
``store.migration_connection``; the database is ``-x url=...``, else ``CITYPLUS_DB_URL``, else the
default SQLite file.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from itinerary import store


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=store.metadata,
        # SQLite cannot alter most things in place: batch operations rebuild the table
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    if context.config.config_file_name is not None:  # the command line: log what runs
        fileConfig(context.config.config_file_name, disable_existing_loggers=False)
    url = context.get_x_argument(as_dictionary=True).get("url") or store.default_db_url()
    if context.is_offline_mode():  # `alembic upgrade head --sql`: print the SQL, touch nothing
        context.configure(url=url, target_metadata=store.metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    given = context.config.attributes.get("connection")
    if given is not None:
        run_on(given)
        return
    with store.migration_connection(url) as connection:
        run_on(connection)


main()
