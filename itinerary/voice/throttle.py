"""How often visitors may send: per browser session and for the whole app, in the database.

Each limit is a bucket row of ``voice_throttle`` (``bucket``, ``window_start``, ``used``): a
fixed window that starts with its first use. Taking a slot is one conditional ``UPDATE`` (the
window ran out: start afresh at 1; else ``used + 1`` only while under the limit), atomic on
SQLite and PostgreSQL alike, so every process on the database shares the count, as
``itinerary/signin.py`` does for sign-ins. A session's bucket is a hash of a random token the
session holds in its own state: no cookie, no address. Nothing here reads the clock: callers
pass ``now``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from itinerary import store as storage
from itinerary.voice.checks import VoiceRefused

APP_BUCKET: Final = "app"


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``count`` messages within ``window`` of the first."""

    count: int
    window: timedelta


PER_SESSION: Final = Limit(5, timedelta(hours=1))
PER_APP: Final = Limit(120, timedelta(hours=1))

_table = storage.voice_throttle


def session_bucket(token: str) -> str:
    """The bucket of a browser session: a hash of its token (the token itself is not stored)."""
    return "s:" + hashlib.sha256(token.encode()).hexdigest()[:64]


def _take(conn: Connection, bucket: str, limit: Limit, now: datetime) -> bool:
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    conn.execute(insert(_table).values(bucket=bucket, window_start=now, used=0).on_conflict_do_nothing())
    column = _table.c
    ended = column.window_start <= now - limit.window
    taken = conn.execute(
        _table.update()
        .where(column.bucket == bucket, sa.or_(ended, column.used < limit.count))
        .values(
            used=sa.case((ended, 1), else_=column.used + 1),
            window_start=sa.case((ended, now), else_=column.window_start),
        )
    )
    return bool(taken.rowcount == 1)


def take_slot(
    conn: Connection,
    session: str,
    now: datetime,
    *,
    per_session: Limit = PER_SESSION,
    per_app: Limit = PER_APP,
) -> None:
    """Count one message of ``session`` (a ``session_bucket``) and of the app, in ``conn``'s
    transaction; ``VoiceRefused`` (``rate_session``, ``rate_app``) when a limit is reached. The
    caller rolls back on a refusal, so a refused message uses no slot."""
    if not _take(conn, session, per_session, now):
        raise VoiceRefused("rate_session", minutes=int(per_session.window.total_seconds() // 60))
    if not _take(conn, APP_BUCKET, per_app, now):
        raise VoiceRefused("rate_app")


def purge(conn: Connection, now: datetime, *, longest: timedelta = PER_SESSION.window) -> int:
    """Drop session buckets whose window ended (the app's row stays)."""
    column = _table.c
    done = sa.and_(column.bucket != APP_BUCKET, column.window_start <= now - longest)
    return int(conn.execute(_table.delete().where(done)).rowcount)
