"""Sign-in throttling that tells nobody which user names exist, and locks no owner out for long.

Failed sign-ins are counted in the database (``signin_throttle``), so every process shares
them, in three rows per attempt, whether the name exists or not:

- per client and name (``PER_PAIR``): one client guessing one name's password. This is the old
  per-account lock, but it holds only for that client: the owner signing in from elsewhere is
  not locked out by a stranger.
- per client (``PER_CLIENT``): one client guessing many names (password spraying).
- per name, from any client (``PER_NAME``): many clients guessing one name. A per-name lock is
  the only one a stranger can set for the owner too, so its bar is far higher and it is short:
  with the client limits it takes five clients or more to reach it, and it ends after minutes.

A client is what ``client_key`` makes of the connection's address. A locked row refuses even
the right password, with the same answer as a wrong one; an admin lifts a name's locks
(``AccountStore.unlock``). Nothing here sleeps or reads the clock: callers pass ``now``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from itinerary import store as storage

ANY: Final = ""  # in the client or username column: a row that counts for every client or name
LOCAL_CLIENT: Final = "local"  # Streamlit gives no address for connections from localhost
MAX_CLIENT_LENGTH: Final = 128
MAX_NAME_LENGTH: Final = 64
FIRST_DELAY_SECONDS: Final = 0.5  # the delay hint doubles with each failure in a row ...
MAX_DELAY_SECONDS: Final = 8.0  # ... up to this


@dataclass(frozen=True, slots=True)
class Limit:
    """``failures`` within ``window`` of each other lock for ``lock``; a lock is never extended."""

    failures: int
    window: timedelta  # a failure longer than this after the previous one starts the count afresh
    lock: timedelta


PER_PAIR: Final = Limit(5, timedelta(minutes=15), timedelta(minutes=15))
PER_CLIENT: Final = Limit(20, timedelta(minutes=15), timedelta(minutes=15))
PER_NAME: Final = Limit(100, timedelta(minutes=15), timedelta(minutes=5))
_LONGEST_WINDOW: Final = max(PER_PAIR.window, PER_CLIENT.window, PER_NAME.window)

_throttle = storage.signin_throttle


def client_key(ip: str | None, headers: Mapping[str, str] | None = None, *, trusted_proxies: int = 0) -> str:
    """Who is signing in, for throttling: the connection's address (``st.context.ip_address``).

    Behind ``trusted_proxies`` reverse proxies (``CITYPLUS_TRUSTED_PROXIES``) every connection
    comes from the nearest proxy, so the address is taken from ``X-Forwarded-For`` instead: each
    proxy appends the address it saw, so the entry ``trusted_proxies`` from the end is the one
    the outermost trusted proxy saw. Entries left of it are the client's to invent, so they are
    never used; with no proxy configured the header is ignored for the same reason.
    """
    address = (ip.strip() if isinstance(ip, str) else "") or LOCAL_CLIENT  # (AppTest gives a mock)
    if trusted_proxies > 0 and headers:
        forwarded = ",".join(
            v for k, v in headers.items() if str(k).lower() == "x-forwarded-for" and isinstance(v, str)
        )
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            address = hops[-trusted_proxies] if len(hops) >= trusted_proxies else hops[0]
    return address[:MAX_CLIENT_LENGTH]


def throttle_name(username: str) -> str:
    """The name as counted: any text is counted (unknown names too), cut to the column.

    An empty name becomes one space, which no real (stripped) name is, so that it cannot take
    the ``ANY`` rows' place.
    """
    return username[:MAX_NAME_LENGTH] or " "


def failure_delay(failures: int) -> float:
    """Seconds the UI waits after ``failures`` failed sign-ins in a row: 0.5, 1, 2, 4, 8, 8, ..."""
    if failures <= 0:
        return 0.0
    return min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * (1 << min(failures - 1, 16)))


def _rows(client: str, name: str) -> tuple[tuple[str, str, Limit], ...]:
    return ((client, name, PER_PAIR), (client, ANY, PER_CLIENT), (ANY, name, PER_NAME))


def _key(client: str, name: str) -> sa.ColumnElement[bool]:
    return sa.and_(_throttle.c.client == client, _throttle.c.username == name)


def is_locked(conn: Connection, client: str, name: str, now: datetime) -> bool:
    """Whether this client, this name from this client, or this name from anywhere is locked."""
    keys = sa.or_(*(_key(c, n) for c, n, _ in _rows(client, name)))
    query = sa.select(_throttle.c.client).where(keys, _throttle.c.locked_until > now).limit(1)
    return conn.execute(query).first() is not None


def count_failure(conn: Connection, client: str, name: str, now: datetime) -> int:
    """Count a failed sign-in in its three rows, locking those that reach their limit.

    Returns the failures in a row of this client on this name, for the delay hint: counted the
    same for unknown names, so the delay tells nothing either.
    """
    counts = [_count(conn, c, n, limit, now) for c, n, limit in _rows(client, name)]
    return counts[0]


def _count(conn: Connection, client: str, name: str, limit: Limit, now: datetime) -> int:
    # Insert the row if missing, then count in one atomic UPDATE, so parallel attempts in other
    # processes cannot lose counts. A lock that ran out, or a failure after a quiet window,
    # starts afresh; a row locked meanwhile stays as it is (a lock is never extended).
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    conn.execute(
        insert(_throttle)
        .values(client=client, username=name, failed_count=0, last_failed_at=now, locked_until=None)
        .on_conflict_do_nothing()
    )
    column = _throttle.c
    lock_ended = sa.and_(column.locked_until.is_not(None), column.locked_until <= now)
    quiet = column.last_failed_at < now - limit.window
    conn.execute(
        _throttle.update()
        .where(_key(client, name), sa.or_(column.locked_until.is_(None), lock_ended))
        .values(
            failed_count=sa.case((sa.or_(lock_ended, quiet), 1), else_=column.failed_count + 1),
            locked_until=None,
            last_failed_at=now,
        )
    )
    failures, locked = conn.execute(
        sa.select(column.failed_count, column.locked_until).where(_key(client, name))
    ).one()
    if locked is None and failures >= limit.failures:
        conn.execute(_throttle.update().where(_key(client, name)).values(locked_until=now + limit.lock))
    return int(failures)


def forget_success(conn: Connection, client: str, name: str) -> None:
    """The right password: this client's count on the name and the name's own count end.

    The client's own row stays: signing in to one's own account must not reset the count of
    guesses at other names.
    """
    conn.execute(_throttle.delete().where(sa.or_(_key(client, name), _key(ANY, name))))


def unlock(conn: Connection, name: str) -> int:
    """Lift every lock and count on ``name`` (from any client); returns how many rows went."""
    return int(conn.execute(_throttle.delete().where(_throttle.c.username == name)).rowcount)


def locks(conn: Connection, now: datetime) -> dict[str, datetime]:
    """User name -> the end of its latest lock still running (from any client), for admins."""
    query = (
        sa.select(_throttle.c.username, sa.func.max(_throttle.c.locked_until))
        .where(_throttle.c.username != ANY, _throttle.c.locked_until > now)
        .group_by(_throttle.c.username)
    )
    return {name: until for name, until in conn.execute(query)}


def purge(conn: Connection, now: datetime) -> int:
    """Delete rows with no lock running and no failure within the longest window."""
    column = _throttle.c
    done = sa.and_(
        sa.or_(column.locked_until.is_(None), column.locked_until <= now),
        column.last_failed_at < now - _LONGEST_WINDOW,
    )
    return int(conn.execute(_throttle.delete().where(done)).rowcount)
