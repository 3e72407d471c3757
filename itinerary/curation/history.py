"""The change history: one ``changes`` row per saved version, and what changed since a version."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from itinerary import store as storage
from itinerary.curation.records import Change, FieldChange, Snapshot, diff


def history_row(
    entity: str,
    entity_id: str,
    city_id: str,
    version: int,
    action: str,
    username: str,
    at: datetime,
    before: Snapshot | None,
    after: Snapshot,
) -> dict[str, Any]:
    return {
        "entity": entity,
        "entity_id": entity_id,
        "city_id": city_id,
        "version": version,
        "action": action,
        "username": username,
        "at": at,
        "before": json.dumps(before, ensure_ascii=False, sort_keys=True) if before is not None else "",
        "after": json.dumps(after, ensure_ascii=False, sort_keys=True),
    }


def last_change(conn: Connection, entity: str, entity_id: str) -> tuple[str, datetime | None]:
    row = conn.execute(
        sa.select(storage.changes.c.username, storage.changes.c.at)
        .where(storage.changes.c.entity == entity, storage.changes.c.entity_id == entity_id)
        .order_by(storage.changes.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return "", None
    at = row[1]
    return row[0], at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def changes_since(conn: Connection, entity: str, entity_id: str, version: int) -> list[FieldChange]:
    """What changed between ``version`` and now, from the recorded history."""
    rows = conn.execute(
        sa.select(storage.changes.c.before, storage.changes.c.after)
        .where(
            storage.changes.c.entity == entity,
            storage.changes.c.entity_id == entity_id,
            storage.changes.c.version > version,
        )
        .order_by(storage.changes.c.version)
    ).all()
    if not rows:
        return []
    first = json.loads(rows[0][0]) if rows[0][0] else None
    return diff(first, json.loads(rows[-1][1]))


def parse_change(row: Mapping[Any, Any]) -> Change:
    at = row["at"]
    if at.tzinfo is None:  # SQLite returns naive datetimes; they are stored as UTC
        at = at.replace(tzinfo=UTC)
    return Change(
        id=row["id"],
        entity=row["entity"],
        entity_id=row["entity_id"],
        city_id=row["city_id"],
        version=row["version"],
        action=row["action"],
        username=row["username"],
        at=at,
        before=json.loads(row["before"]) if row["before"] else None,
        after=json.loads(row["after"]),
    )
