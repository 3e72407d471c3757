"""Staff edits of programmes: save with validation, version conflicts and history, publishing
over warnings (recorded), restore, and the city's programmes as staff see them.

Every save is one transaction that writes the programme's rows, a ``changes`` row (entity
``programme``, the whole programme before and after) and bumps the data version, like the
landmark and itinerary writers of ``itinerary/curation``. A programme is edited by the staff of
its city only (``permissions.EDIT_CONTENT``, ``PUBLISH``): other staff never see it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from itinerary import settings
from itinerary import store as storage
from itinerary.curation.history import changes_since, history_row, last_change
from itinerary.curation.records import CREATE, EDIT, IMPORT, RESTORE, Conflict
from itinerary.permissions import EDIT_CONTENT, PUBLISH, Account, Refused, can
from itinerary.permissions import IMPORT as IMPORT_ACTION
from itinerary.programmes import feasibility, files, repo
from itinerary.programmes.records import Full, Item, Programme, ProgrammeSet, Venue, full_of
from itinerary.validation import ValidationError

ENTITY = "programme"
Clock = Callable[[], datetime]


class Unaccepted(Exception):
    """Publishing a programme with warnings that nobody accepted: nothing was written."""

    def __init__(self, warnings: Sequence[feasibility.Warning]) -> None:
        self.warnings = list(warnings)
        super().__init__("; ".join(w.text("en") for w in self.warnings))


def snapshot(full: Full, *, accepted: Sequence[str] = ()) -> dict[str, Any]:
    """The whole programme as JSON-able data; ``published_over`` names the warnings (English)
    that staff published over, when they did."""
    snap: dict[str, Any] = {  # the programme's fields at the top: the history names them
        **asdict(full.programme),
        "venues": [asdict(v) for v in full.venues],
        "items": [asdict(i) for i in full.items],
    }
    if accepted:
        snap["published_over"] = list(accepted)
    return snap


def from_snapshot(snap: dict[str, Any]) -> Full:
    return Full(
        Programme(**{k: v for k, v in snap.items() if k not in ("venues", "items", "published_over")}),
        tuple(Venue(**v) for v in snap.get("venues", ())),
        tuple(Item(**i) for i in snap.get("items", ())),
    )


def context(conn: Connection) -> files.Context:
    c, lm = storage.cities, storage.landmarks
    return files.Context(
        {r[0]: r[1] for r in conn.execute(sa.select(c.c.id, c.c.timezone))},
        {r[0]: r[1] for r in conn.execute(sa.select(lm.c.id, lm.c.city_id))},
    )


def validate(conn: Connection, full: Full) -> Full:
    """The programme as the files would hold it, checked by the files' own rules (one home):
    raises ``ValidationError`` with every problem."""
    data = ProgrammeSet((full.programme,), full.venues, full.items)
    checked = files.read_files(files.write_files(data), context(conn))
    return Full(checked.programmes[0], checked.venues, checked.items)


def warnings_of(store: storage.Store, full: Full) -> list[feasibility.Warning]:
    """Every warning of the programme's schedule, with the landmarks' places and hours."""
    timezone = repo.city_timezone(store, full.programme.city_id)
    return feasibility.check(full, timezone=timezone, landmarks=repo.landmark_places(store, full))


def visible_to(store: storage.Store, account: Account | None, city_id: str) -> ProgrammeSet:
    """The city's programmes for a staff member who edits the city; nothing for anyone else."""
    if not can(account, EDIT_CONTENT, city_id=city_id):
        return ProgrammeSet()
    return repo.programmes_of(store, city_id)


def _version(conn: Connection, programme_id: str) -> int | None:
    p = storage.programmes
    return conn.execute(sa.select(p.c.version).where(p.c.id == programme_id)).scalar()


def version_of(store: storage.Store, programme_id: str) -> int | None:
    with store.engine.connect() as conn:
        return _version(conn, programme_id)


def _require(account: Account, before: Full | None, after: Full) -> None:
    city = after.programme.city_id
    for city_id in {city, before.programme.city_id if before is not None else city}:
        if not can(account, EDIT_CONTENT, city_id=city_id):
            raise Refused("may_not_edit", user=account.username, city_id=city_id)
    publishing = after.programme.status == "published" and (
        before is None or before.programme.status != "published"
    )
    if publishing and not can(account, PUBLISH, city_id=city):
        raise Refused("may_not_publish", user=account.username, city_id=city)


def _write(conn: Connection, full: Full, version: int) -> None:
    p, v, i = storage.programmes, storage.programme_venues, storage.programme_items
    pid = full.programme.id
    conn.execute(i.delete().where(i.c.programme_id == pid))
    conn.execute(v.delete().where(v.c.programme_id == pid))
    row = {**asdict(full.programme), "version": version}
    if version == 1:
        conn.execute(p.insert().values(**row))
    else:
        conn.execute(p.update().where(p.c.id == pid).values(**row))
    if full.venues:
        conn.execute(v.insert(), [asdict(x) for x in full.venues])
    if full.items:
        conn.execute(i.insert(), [asdict(x) for x in full.items])


def save(
    store: storage.Store,
    account: Account,
    full: Full,
    *,
    base_version: int | None,
    accept_warnings: bool = False,
    action: str | None = None,
    clock: Clock = settings.utc_now,
) -> int:
    """Save ``full`` (a new programme when ``base_version`` is None); the new version.

    Raises ``ValidationError`` (every problem), ``Conflict`` (saved by someone since
    ``base_version``), ``Refused`` and, when it is published with warnings that
    ``accept_warnings`` does not accept, ``Unaccepted``. Publishing over warnings is recorded in
    the history (``published_over``)."""
    pid = full.programme.id
    before = repo.load(store, pid)
    _require(account, before, full)
    with store.engine.connect() as conn:
        full = validate(conn, full)
    accepted: list[str] = []
    if full.programme.status == "published":
        found = warnings_of(store, full)
        if found and not accept_warnings:
            raise Unaccepted(found)
        accepted = [w.text("en") for w in found]
    with store.transaction() as conn:
        current = _version(conn, pid)
        if current != base_version:
            by, at = last_change(conn, ENTITY, pid) if current is not None else ("", None)
            since = changes_since(conn, ENTITY, pid, base_version) if base_version and current else []
            raise Conflict(
                ENTITY, pid, base_version=base_version, current_version=current, changes=since, by=by, at=at
            )
        version = (current or 0) + 1
        _write(conn, full, version)
        conn.execute(
            storage.changes.insert().values(
                **history_row(
                    ENTITY,
                    pid,
                    full.programme.city_id,
                    version,
                    action or (CREATE if current is None else EDIT),
                    account.username,
                    clock(),
                    snapshot(before) if before is not None else None,
                    snapshot(full, accepted=accepted),
                )
            )
        )
    return version


def history(store: storage.Store, programme_id: str) -> list[tuple[int, str, str, datetime, dict[str, Any]]]:
    """(version, action, who, when, the programme after) for each saved version, newest first."""
    c = storage.changes
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(c.c.version, c.c.action, c.c.username, c.c.at, c.c.after)
            .where(c.c.entity == ENTITY, c.c.entity_id == programme_id)
            .order_by(c.c.id.desc())
        ).all()
    return [(r.version, r.action, r.username, r.at, json.loads(r.after)) for r in rows]


def restore(
    store: storage.Store,
    account: Account,
    programme_id: str,
    *,
    version: int,
    base_version: int,
    accept_warnings: bool = False,
    clock: Clock = settings.utc_now,
) -> int:
    """Save the programme as it was at ``version`` again (a new version, through ``save``)."""
    snap = next((after for v, _a, _u, _t, after in history(store, programme_id) if v == version), None)
    if snap is None:
        raise LookupError(f"no version {version} of programme {programme_id!r}")
    return save(
        store,
        account,
        from_snapshot(snap),
        base_version=base_version,
        accept_warnings=accept_warnings,
        action=RESTORE,
        clock=clock,
    )


def with_status(full: Full, status: str) -> Full:
    return replace(full, programme=replace(full.programme, status=status))


__all__ = [
    "ENTITY",
    "Unaccepted",
    "ValidationError",
    "history",
    "restore",
    "save",
    "visible_to",
    "warnings_of",
]


def import_files(
    store: storage.Store,
    account: Account,
    raw_files: dict[str, bytes],
    *,
    city_id: str,
    clock: Clock = settings.utc_now,
) -> list[str]:
    """Load the programme files of an upload into ``city_id``: every problem first (nothing is
    written when there is one), then each programme that differs saved as an ``import`` (its
    history too; a published one over its warnings, which the history names). The ids saved."""
    if not can(account, IMPORT_ACTION, city_id=city_id):
        raise Refused("may_not_edit", user=account.username, city_id=city_id)
    with store.engine.connect() as conn:
        data = files.read_files(raw_files, context(conn))
    others = sorted({p.city_id for p in data.programmes} - {city_id})
    if others:
        raise Refused("may_not_edit", user=account.username, city_id=others[0])
    saved = []
    for programme in data.programmes:
        full = full_of(data, programme.id)
        current = repo.load(store, programme.id)
        if full is None or full == current:
            continue  # unchanged: no new version
        save(
            store,
            account,
            full,
            base_version=version_of(store, programme.id),
            accept_warnings=True,
            action=IMPORT,
            clock=clock,
        )
        saved.append(programme.id)
    return saved
