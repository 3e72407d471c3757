"""The programmes in the database: whole-set replacement for seeding and imports, reads.

Seeding replaces the programme rows with the files' (``Store.replace_all`` calls ``clear``
before it deletes the cities and ``insert`` after it wrote them); the link tokens of programmes
that are still there are kept, so a reseed never breaks a printed link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from itinerary import store as storage
from itinerary.programmes.feasibility import PlaceInfo
from itinerary.programmes.records import Full, Item, Programme, ProgrammeSet, Venue, full_of


def clear(conn: Connection) -> list[dict[str, Any]]:
    """Delete every programme row; return the token rows, for ``insert`` to put back."""
    tokens = [dict(r) for r in conn.execute(sa.select(storage.programme_tokens)).mappings()]
    for table in (
        storage.programme_tokens,
        storage.programme_items,
        storage.programme_venues,
        storage.programmes,
    ):
        conn.execute(table.delete())
    return tokens


def insert(conn: Connection, data: ProgrammeSet, tokens: Sequence[dict[str, Any]] = ()) -> None:
    """Write ``data`` (into empty tables) and the tokens of the programmes it still holds."""
    ids = {p.id for p in data.programmes}
    for table, rows in (
        (storage.programmes, [asdict(p) for p in data.programmes]),
        (storage.programme_venues, [asdict(v) for v in data.venues]),
        (storage.programme_items, [asdict(i) for i in data.items]),
        (storage.programme_tokens, [t for t in tokens if t["programme_id"] in ids]),
    ):
        if rows:
            conn.execute(table.insert(), rows)


def _rows(conn: Connection, table: sa.Table, *order: Any, where: Any = None) -> list[dict[str, Any]]:
    columns = [c for c in table.c if c.name != "version"]  # bookkeeping, not content
    query = sa.select(*columns).order_by(*order)
    if where is not None:
        query = query.where(where)
    return [dict(r) for r in conn.execute(query).mappings()]


def read_set(conn: Connection, *, city_id: str | None = None) -> ProgrammeSet:
    """Every programme (of ``city_id``, when given) with its venues and items."""
    p, v, i = storage.programmes, storage.programme_venues, storage.programme_items
    ids = None
    where = None
    if city_id is not None:
        where = p.c.city_id == city_id
        ids = sa.select(p.c.id).where(where).scalar_subquery()
    return ProgrammeSet(
        tuple(Programme(**r) for r in _rows(conn, p, p.c.id, where=where)),
        tuple(
            Venue(**r)
            for r in _rows(
                conn, v, v.c.programme_id, v.c.id, where=None if ids is None else v.c.programme_id.in_(ids)
            )
        ),
        tuple(
            Item(**r)
            for r in _rows(
                conn,
                i,
                i.c.programme_id,
                i.c.position,
                where=None if ids is None else i.c.programme_id.in_(ids),
            )
        ),
    )


def load(store: storage.Store, programme_id: str) -> Full | None:
    """One programme with its venues and items, whatever its status (staff and token checks
    decide who sees it); None when there is none."""
    p, v, i = storage.programmes, storage.programme_venues, storage.programme_items
    with store.engine.connect() as conn:
        rows = _rows(conn, p, p.c.id, where=p.c.id == programme_id)
        if not rows:
            return None
        data = ProgrammeSet(
            (Programme(**rows[0]),),
            tuple(Venue(**r) for r in _rows(conn, v, v.c.id, where=v.c.programme_id == programme_id)),
            tuple(Item(**r) for r in _rows(conn, i, i.c.position, where=i.c.programme_id == programme_id)),
        )
    return full_of(data, programme_id)


def programmes_of(store: storage.Store, city_id: str) -> ProgrammeSet:
    with store.engine.connect() as conn:
        return read_set(conn, city_id=city_id)


def landmark_places(store: storage.Store, full: Full) -> dict[str, PlaceInfo]:
    """The landmarks a programme's items name, as places by id (whatever their status: a
    programme keeps its places)."""
    ids = sorted({i.landmark_id for i in full.items if i.landmark_id})
    if not ids:
        return {}
    lm = storage.landmarks
    query = sa.select(lm.c.id, lm.c.name, lm.c.name_zh, lm.c.lat, lm.c.lon, lm.c.opening_hours).where(
        lm.c.id.in_(ids)
    )
    with store.engine.connect() as conn:
        return {
            r.id: PlaceInfo(r.name, r.name_zh, r.lat, r.lon, r.opening_hours) for r in conn.execute(query)
        }


def city_timezone(store: storage.Store, city_id: str) -> str:
    c = storage.cities
    with store.engine.connect() as conn:
        found = conn.execute(sa.select(c.c.timezone).where(c.c.id == city_id)).scalar()
    return str(found or "UTC")
