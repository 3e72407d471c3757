"""Reads and writes of landmarks and itineraries on a connection, with the content rules.

Each write is based on a version (optimistic concurrency: someone else's save in between is a
``Conflict``), records a history row, and checks the content rules (``rules``) on the database as
it is in the transaction. Imports call these in their one transaction too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as postgresql_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection

from itinerary import rules
from itinerary import store as storage
from itinerary.curation.history import changes_since, history_row, last_change
from itinerary.curation.records import (
    ITINERARY,
    LANDMARK,
    Conflict,
    FieldErrors,
    itinerary_snapshot,
    landmark_snapshot,
)
from itinerary.models import Itinerary, Landmark, Stop


def _locked_row(conn: Connection, table: sa.Table, entity_id: str) -> sa.RowMapping | None:
    # FOR UPDATE on PostgreSQL serialises concurrent saves of one item; SQLite locks the whole
    # database for a write transaction anyway.
    return conn.execute(sa.select(table).where(table.c.id == entity_id).with_for_update()).mappings().first()


def _check_version(
    conn: Connection, entity: str, entity_id: str, current: sa.RowMapping | None, base_version: int | None
) -> None:
    if base_version is None and current is None:
        return
    if current is None or base_version is None or current["version"] != base_version:
        by, at = last_change(conn, entity, entity_id)
        raise Conflict(
            entity,
            entity_id,
            base_version=base_version,
            current_version=None if current is None else current["version"],
            changes=[]
            if current is None or base_version is None
            else changes_since(conn, entity, entity_id, base_version),
            by=by,
            at=at,
        )


class _Unchanged(Exception):
    """Raised inside a save's transaction when nothing changed, so that it rolls back."""

    def __init__(self, version: int) -> None:
        self.version = version
        super().__init__(version)


def _insert_new(conn: Connection, table: sa.Table, entity: str, row: Mapping[str, Any]) -> None:
    """Insert a new item; someone creating the same id at the same moment is a ``Conflict``."""
    if conn.dialect.name in ("sqlite", "postgresql"):
        dialect_insert = sqlite_dialect.insert if conn.dialect.name == "sqlite" else postgresql_dialect.insert
        # RETURNING, not rowcount: psycopg reports -1 for INSERT ... ON CONFLICT DO NOTHING
        statement = dialect_insert(table).values(**row).on_conflict_do_nothing(index_elements=["id"])
        if conn.execute(statement.returning(table.c.id)).first() is not None:
            return
    else:
        try:
            with conn.begin_nested():
                conn.execute(table.insert().values(**row))
            return
        except sa.exc.IntegrityError:
            pass
    _lost_race(conn, table, entity, str(row["id"]), None)


def _lost_race(
    conn: Connection, table: sa.Table, entity: str, entity_id: str, base_version: int | None
) -> None:
    """Another writer saved between our read and our write: say who and what, as any conflict."""
    current = conn.execute(sa.select(table).where(table.c.id == entity_id)).mappings().first()
    _check_version(conn, entity, entity_id, current, base_version)
    raise Conflict(entity, entity_id, base_version=base_version, current_version=None)


def read_landmark(conn: Connection, landmark_id: str) -> tuple[Landmark, int] | None:
    row = (
        conn.execute(sa.select(storage.landmarks).where(storage.landmarks.c.id == landmark_id))
        .mappings()
        .first()
    )
    return None if row is None else (_landmark(row), row["version"])


def _landmark(row: Mapping[Any, Any]) -> Landmark:
    values = {k: row[k] for k in Landmark.__slots__}  # type: ignore[attr-defined]
    values["themes"] = tuple(t for t in row["themes"].split(";") if t)
    return Landmark(**values)


def read_itinerary(conn: Connection, itinerary_id: str) -> tuple[Itinerary, list[Stop], int] | None:
    row = (
        conn.execute(sa.select(storage.itineraries).where(storage.itineraries.c.id == itinerary_id))
        .mappings()
        .first()
    )
    if row is None:
        return None
    it = Itinerary(**{k: row[k] for k in Itinerary.__slots__})  # type: ignore[attr-defined]
    stops = [
        Stop(**dict(r))
        for r in conn.execute(
            sa.select(storage.itinerary_stops)
            .where(storage.itinerary_stops.c.itinerary_id == itinerary_id)
            .order_by(storage.itinerary_stops.c.position)
        ).mappings()
    ]
    return it, stops, row["version"]


def write_landmark(
    conn: Connection,
    lm: Landmark,
    *,
    base_version: int | None,
    username: str,
    action: str,
    at: datetime,
    enforce: bool = True,
) -> int:
    """Save ``lm`` based on ``base_version`` (None: it must be new); return its version.

    Raises ``Conflict`` if the stored version differs, ``FieldErrors`` if it breaks a content
    rule (``enforce``: an import passes False and checks all it wrote with ``enforce_rules``).
    Saving an unchanged record writes nothing.
    """
    current = _locked_row(conn, storage.landmarks, lm.id)
    _check_version(conn, LANDMARK, lm.id, current, base_version)
    errors = landmark_rule_errors(conn, lm) if enforce else {}
    if errors:
        raise FieldErrors(errors)
    after = landmark_snapshot(lm)
    row = {**after, "themes": ";".join(lm.themes)}
    if current is None:
        _insert_new(conn, storage.landmarks, LANDMARK, {**row, "version": 1})
        conn.execute(
            storage.changes.insert().values(
                **history_row(LANDMARK, lm.id, lm.city_id, 1, action, username, at, None, after)
            )
        )
        return 1
    before = landmark_snapshot(_landmark(current))
    if before == after:
        return int(current["version"])
    version = int(current["version"]) + 1
    updated = conn.execute(
        storage.landmarks.update()
        .where(storage.landmarks.c.id == lm.id, storage.landmarks.c.version == current["version"])
        .values(**row, version=version)
    )
    if updated.rowcount != 1:  # a writer slipped in between (SQLite reads take no row lock)
        _lost_race(conn, storage.landmarks, LANDMARK, lm.id, base_version)
    conn.execute(
        storage.changes.insert().values(
            **history_row(LANDMARK, lm.id, lm.city_id, version, action, username, at, before, after)
        )
    )
    return version


def write_itinerary(
    conn: Connection,
    it: Itinerary,
    stops: Sequence[Stop],
    *,
    base_version: int | None,
    username: str,
    action: str,
    at: datetime,
    enforce: bool = True,
) -> int:
    """Save ``it`` with ``stops`` (in order) based on ``base_version``; return its version.

    Raises like ``write_landmark``; the stops' landmarks are locked until the transaction ends,
    so that none is archived meanwhile.
    """
    current = _locked_row(conn, storage.itineraries, it.id)
    _check_version(conn, ITINERARY, it.id, current, base_version)
    errors = itinerary_rule_errors(conn, it, stops) if enforce else {}
    if errors:
        raise FieldErrors(errors)
    stops = [replace(s, itinerary_id=it.id, position=i) for i, s in enumerate(stops, start=1)]
    after = itinerary_snapshot(it, stops)
    row = asdict(it)
    stop_rows = [asdict(s) for s in stops]
    if current is None:
        _insert_new(conn, storage.itineraries, ITINERARY, {**row, "version": 1})
        if stop_rows:
            conn.execute(storage.itinerary_stops.insert(), stop_rows)
        conn.execute(
            storage.changes.insert().values(
                **history_row(ITINERARY, it.id, it.city_id, 1, action, username, at, None, after)
            )
        )
        return 1
    found = read_itinerary(conn, it.id)
    assert found is not None
    before = itinerary_snapshot(found[0], found[1])
    if before == after:
        return int(current["version"])
    version = int(current["version"]) + 1
    updated = conn.execute(
        storage.itineraries.update()
        .where(storage.itineraries.c.id == it.id, storage.itineraries.c.version == current["version"])
        .values(**row, version=version)
    )
    if updated.rowcount != 1:
        _lost_race(conn, storage.itineraries, ITINERARY, it.id, base_version)
    conn.execute(storage.itinerary_stops.delete().where(storage.itinerary_stops.c.itinerary_id == it.id))
    if stop_rows:
        conn.execute(storage.itinerary_stops.insert(), stop_rows)
    conn.execute(
        storage.changes.insert().values(
            **history_row(ITINERARY, it.id, it.city_id, version, action, username, at, before, after)
        )
    )
    return version


def published_itineraries_using(conn: Connection, landmark_id: str) -> list[str]:
    return list(
        conn.execute(
            sa.select(storage.itineraries.c.id)
            .join(storage.itinerary_stops, storage.itinerary_stops.c.itinerary_id == storage.itineraries.c.id)
            .where(
                storage.itinerary_stops.c.landmark_id == landmark_id,
                storage.itineraries.c.status == "published",
            )
            .distinct()
            .order_by(storage.itineraries.c.id)
        ).scalars()
    )


def landmark_states(
    conn: Connection, landmark_ids: Iterable[str], *, lock: bool = False
) -> dict[str, rules.LandmarkState]:
    """City and status of landmarks as they are now; ``lock``: until the transaction ends."""
    query = sa.select(storage.landmarks.c.id, storage.landmarks.c.city_id, storage.landmarks.c.status).where(
        storage.landmarks.c.id.in_(set(landmark_ids))
    )
    if lock:  # a landmark archived meanwhile must not end up in a published itinerary
        query = query.with_for_update()
    return {row[0]: rules.LandmarkState(row[1], row[2]) for row in conn.execute(query)}


def landmark_rule_errors(conn: Connection, lm: Landmark) -> dict[str, rules.Problem]:
    """The content rules for saving ``lm`` against the database as it is (``rules``)."""
    problem = rules.status_problem(None, lm.status) or rules.unpublish_problem(
        lm.status, published_itineraries_using(conn, lm.id)
    )
    return {} if problem is None else {"status": problem}


def itinerary_rule_errors(conn: Connection, it: Itinerary, stops: Sequence[Stop]) -> dict[str, rules.Problem]:
    """The content rules for saving ``it`` with ``stops`` (in order), keyed like the form's fields."""
    errors: dict[str, rules.Problem] = {}
    problem = rules.status_problem(None, it.status)
    if problem is not None:
        errors["status"] = problem
    states = landmark_states(conn, (s.landmark_id for s in stops), lock=True)
    found = rules.stop_problems(
        it.city_id, it.status, [(s.landmark_id, states.get(s.landmark_id)) for s in stops]
    )
    for n, problem in found.items():
        errors["stops" if n == 0 else f"stops.{n}.landmark_id"] = problem
    return errors


def enforce_rules(
    conn: Connection, *, landmark_ids: Iterable[str] = (), itinerary_ids: Iterable[str] = ()
) -> None:
    """Check the rules on records as written in this transaction; ``FieldErrors`` rolls it back.

    Imports write many records and check them together at the end: a landmark unpublished
    together with the itinerary that used it is consistent only once both are written.
    """
    errors: dict[str, str | rules.Problem] = {}
    for landmark_id in sorted(set(landmark_ids)):
        found_lm = read_landmark(conn, landmark_id)
        if found_lm is not None:
            errors.update(
                {
                    f"{LANDMARK} {landmark_id}: {k}": v
                    for k, v in landmark_rule_errors(conn, found_lm[0]).items()
                }
            )
    for itinerary_id in sorted(set(itinerary_ids)):
        found_it = read_itinerary(conn, itinerary_id)
        if found_it is not None:
            problems = itinerary_rule_errors(conn, found_it[0], found_it[1])
            errors.update({f"{ITINERARY} {itinerary_id}: {k}": v for k, v in problems.items()})
    if errors:
        raise FieldErrors(errors)
