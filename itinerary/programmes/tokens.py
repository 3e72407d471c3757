"""Private links of unlisted programmes: unguessable tokens, stored only as hashes.

A token is 32 bytes from ``secrets`` (256 bits) in URL-safe base64; the database keeps its
SHA-256. A programme has at most one live token: issuing one revokes the others (replace),
``revoke`` ends them all. ``find`` answers None for a wrong, revoked or expired token, for a
programme that is not published, and for no programme at all, alike: every path hashes the
token and runs the same one query, so nothing tells them apart.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from itinerary import settings
from itinerary import store as storage
from itinerary.programmes import repo
from itinerary.programmes.records import Full, Programme

TOKEN_BYTES = 32  # 256 bits; the issue asks for at least 128
MAX_TOKEN_CHARS = 128  # longer input is not hashed in full: it cannot be a token

Clock = Callable[[], datetime]


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token[:MAX_TOKEN_CHARS].encode("utf-8", "replace")).hexdigest()


def link_expires(end_date: str, timezone: str, *, days: int | None = None) -> datetime:
    """When a programme's link stops working: the end of its last day, in its city's time zone,
    plus ``CITYPLUS_PROGRAMME_LINK_DAYS``."""
    days = settings.programme_link_days() if days is None else days
    after = date.fromisoformat(end_date) + timedelta(days=days + 1)
    return datetime.combine(after, time(0, 0), tzinfo=ZoneInfo(timezone))


def issue(store: storage.Store, programme_id: str, *, username: str, clock: Clock = settings.utc_now) -> str:
    """A new token for ``programme_id``, revoking the ones before (the link is replaced).

    Only its hash is kept: the caller shows the link once."""
    token = new_token()
    now = clock()
    t = storage.programme_tokens
    with store.engine.begin() as conn:
        conn.execute(
            t.update()
            .where(t.c.programme_id == programme_id, t.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        conn.execute(
            t.insert().values(
                token_sha256=token_hash(token), programme_id=programme_id, created_at=now, created_by=username
            )
        )
    return token


def revoke(store: storage.Store, programme_id: str, *, clock: Clock = settings.utc_now) -> int:
    """End every live token of ``programme_id``; how many there were."""
    t = storage.programme_tokens
    with store.engine.begin() as conn:
        done = conn.execute(
            t.update()
            .where(t.c.programme_id == programme_id, t.c.revoked_at.is_(None))
            .values(revoked_at=clock())
        )
    return int(done.rowcount or 0)


def has_live_token(store: storage.Store, programme_id: str) -> bool:
    t = storage.programme_tokens
    with store.engine.connect() as conn:
        found = conn.execute(
            sa.select(t.c.token_sha256)
            .where(t.c.programme_id == programme_id, t.c.revoked_at.is_(None))
            .limit(1)
        ).first()
    return found is not None


def find(store: storage.Store, token: str, *, now: datetime) -> Full | None:
    """The published programme that ``token`` opens now, else None (whatever the reason)."""
    t, p, c = storage.programme_tokens, storage.programmes, storage.cities
    query = (
        sa.select(p.c.id, p.c.end_date, c.c.timezone)
        .select_from(t.join(p, p.c.id == t.c.programme_id).join(c, c.c.id == p.c.city_id))
        .where(
            t.c.token_sha256 == token_hash(token or ""), t.c.revoked_at.is_(None), p.c.status == "published"
        )
    )
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None or now >= link_expires(row.end_date, row.timezone):
        return None
    return repo.load(store, row.id)


def find_public(store: storage.Store, programme_id: str) -> Full | None:
    """A published public programme by its id; None for an unlisted one, as for none at all."""
    full = repo.load(store, programme_id)
    if full is None or full.programme.status != "published" or full.programme.visibility != "public":
        return None
    return full


def open_for_visitor(store: storage.Store, *, token: str, programme_id: str, now: datetime) -> Full | None:
    """What ``/programme`` shows: the programme of a live token, else a public one by id, else
    None. An unlisted programme's id alone opens nothing, and a token is tried first and alone
    (a wrong token with a public id is not found, like any wrong token)."""
    if token:
        return find(store, token, now=now)
    if programme_id:
        return find_public(store, programme_id)
    return None


def upcoming_public(store: storage.Store, city_id: str, *, today: date) -> list[Programme]:
    """The city's published public programmes that have not ended by ``today`` (the city's date),
    soonest first: the city's upcoming events."""
    p = storage.programmes
    query = (
        sa.select(p)
        .where(
            p.c.city_id == city_id,
            p.c.status == "published",
            p.c.visibility == "public",
            p.c.end_date >= today.isoformat(),
        )
        .order_by(p.c.start_date, p.c.id)
    )
    with store.engine.connect() as conn:
        return [
            Programme(**{k: v for k, v in r.items() if k != "version"})
            for r in conn.execute(query).mappings()
        ]
