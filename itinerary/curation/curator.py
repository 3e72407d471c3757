"""The staff-facing service: a signed-in account's edits, each in one transaction.

Pages ask ``accounts.can`` before offering an action; the ``Curator`` asks again before writing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from datetime import datetime

import sqlalchemy as sa

from itinerary import rules
from itinerary import store as storage
from itinerary.accounts import EDIT_CONTENT, MANAGE_CITIES, PUBLISH, Account, can
from itinerary.curation.history import history_row, last_change, parse_change
from itinerary.curation.records import (
    ARCHIVE,
    CITY,
    CREATE,
    EDIT,
    LANDMARK,
    RESTORE,
    SEEDED,
    Change,
    Conflict,
    FieldErrors,
    NotFound,
    diff,
)
from itinerary.curation.validation import context_for, parse_itinerary, parse_landmark
from itinerary.curation.writers import (
    _Unchanged,
    read_itinerary,
    read_landmark,
    write_itinerary,
    write_landmark,
)
from itinerary.models import City, Itinerary, Landmark, Stop
from itinerary.permissions import Refused
from itinerary.settings import utc_now


class Curator:
    """Landmark and itinerary edits for a signed-in account, each in one transaction."""

    def __init__(self, store: storage.Store, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.clock = clock

    # reads

    def landmark(self, landmark_id: str) -> tuple[Landmark, int]:
        with self.store.engine.connect() as conn:
            found = read_landmark(conn, landmark_id)
        if found is None:
            raise NotFound(f"no landmark {landmark_id!r}")
        return found

    def itinerary(self, itinerary_id: str) -> tuple[Itinerary, list[Stop], int]:
        with self.store.engine.connect() as conn:
            found = read_itinerary(conn, itinerary_id)
        if found is None:
            raise NotFound(f"no itinerary {itinerary_id!r}")
        return found

    def history(self, entity: str, entity_id: str) -> list[Change]:
        """Every saved version, newest first."""
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(storage.changes)
                .where(storage.changes.c.entity == entity, storage.changes.c.entity_id == entity_id)
                .order_by(storage.changes.c.version.desc(), storage.changes.c.id.desc())
            ).mappings()
            found = [parse_change(r) for r in rows]
        # the version loaded from the data files has no change row of its own: the first
        # recorded change's "before" is that version
        first = found[-1] if found else None
        if first is not None and first.before is not None and first.version > 1:
            found.append(
                Change(
                    0,
                    entity,
                    entity_id,
                    first.city_id,
                    first.version - 1,
                    SEEDED,
                    "",
                    None,
                    None,
                    first.before,
                )
            )
        return found

    def recent(self, city_id: str, *, limit: int = 50) -> list[Change]:
        """The latest changes in a city, newest first."""
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(storage.changes)
                .where(storage.changes.c.city_id == city_id)
                .order_by(storage.changes.c.id.desc())
                .limit(limit)
            ).mappings()
            return [parse_change(r) for r in rows]

    # permission checks (pages ask ``can`` first; this is the second line)

    @staticmethod
    def _require(account: Account, city_id: str, *, before_status: str | None, after_status: str) -> None:
        if not can(account, EDIT_CONTENT, city_id=city_id):
            raise Refused("may_not_edit", user=account.username, city_id=city_id)
        publishing = after_status == "published" or before_status == "published"
        if publishing and before_status != after_status and not can(account, PUBLISH, city_id=city_id):
            raise Refused("may_not_publish", user=account.username, city_id=city_id)

    # writes

    def save_landmark(
        self, account: Account, lm: Landmark, *, base_version: int | None, action: str = ""
    ) -> int:
        try:
            return self._save_landmark(account, lm, base_version=base_version, action=action)
        except _Unchanged as unchanged:
            return unchanged.version

    def _save_landmark(self, account: Account, lm: Landmark, *, base_version: int | None, action: str) -> int:
        with self.store.transaction() as conn:
            current = read_landmark(conn, lm.id)
            if current is not None and current[0].city_id != lm.city_id:
                raise FieldErrors(
                    {"id": rules.Problem("moved_landmark", {"id": lm.id, "city_id": current[0].city_id})}
                )
            self._require(
                account,
                lm.city_id,
                before_status=current[0].status if current else None,
                after_status=lm.status,
            )
            action = action or (CREATE if base_version is None else EDIT)
            version = write_landmark(
                conn, lm, base_version=base_version, username=account.username, action=action, at=self.clock()
            )
            if current is not None and version == current[1]:
                raise _Unchanged(version)  # roll back: the data version stays as it was
            return version

    def archive_landmark(self, account: Account, landmark_id: str, *, base_version: int) -> int:
        lm, _ = self.landmark(landmark_id)
        return self.save_landmark(
            account, replace(lm, status="archived"), base_version=base_version, action=ARCHIVE
        )

    def save_itinerary(
        self,
        account: Account,
        it: Itinerary,
        stops: Sequence[Stop],
        *,
        base_version: int | None,
        action: str = "",
    ) -> int:
        try:
            return self._save_itinerary(account, it, stops, base_version=base_version, action=action)
        except _Unchanged as unchanged:
            return unchanged.version

    def _save_itinerary(
        self, account: Account, it: Itinerary, stops: Sequence[Stop], *, base_version: int | None, action: str
    ) -> int:
        with self.store.transaction() as conn:
            current = read_itinerary(conn, it.id)
            if current is not None and current[0].city_id != it.city_id:
                raise FieldErrors(
                    {"id": rules.Problem("moved_itinerary", {"id": it.id, "city_id": current[0].city_id})}
                )
            self._require(
                account,
                it.city_id,
                before_status=current[0].status if current else None,
                after_status=it.status,
            )
            # write_itinerary checks the stops' landmarks as they are now, not as the form saw them
            action = action or (CREATE if base_version is None else EDIT)
            version = write_itinerary(
                conn,
                it,
                stops,
                base_version=base_version,
                username=account.username,
                action=action,
                at=self.clock(),
            )
            if current is not None and version == current[2]:
                raise _Unchanged(version)  # roll back: the data version stays as it was
            return version

    def archive_itinerary(self, account: Account, itinerary_id: str, *, base_version: int) -> int:
        it, stops, _ = self.itinerary(itinerary_id)
        return self.save_itinerary(
            account,
            replace(it, status="archived", featured=False),
            stops,
            base_version=base_version,
            action=ARCHIVE,
        )

    def restore(
        self, account: Account, entity: str, entity_id: str, version: int, *, base_version: int
    ) -> int:
        """Save version ``version`` of an item again, as its newest version.

        The old record is validated against today's data (a theme or a stop may have gone since),
        so a restore can fail with ``FieldErrors`` like any edit.
        """
        wanted = next((c for c in self.history(entity, entity_id) if c.version == version), None)
        if wanted is None:
            raise NotFound(f"{entity} {entity_id!r} has no version {version}")
        ctx = context_for(self.store, wanted.city_id)
        if entity == LANDMARK:
            lm = parse_landmark(wanted.after, ctx, new=False)
            return self.save_landmark(account, lm, base_version=base_version, action=RESTORE)
        it_fields = {k: v for k, v in wanted.after.items() if k != "stops"}
        it, stops = parse_itinerary(it_fields, wanted.after.get("stops", []), ctx, new=False)
        return self.save_itinerary(account, it, stops, base_version=base_version, action=RESTORE)

    # cities (admins): no version column; the record the form was loaded from is the base

    def city(self, city_id: str) -> City:
        with self.store.engine.connect() as conn:
            row = (
                conn.execute(sa.select(storage.cities).where(storage.cities.c.id == city_id))
                .mappings()
                .first()
            )
        if row is None:
            raise NotFound(f"no city {city_id!r}")
        return City(**dict(row))

    def save_city(self, account: Account, city: City, *, base: City | None) -> int:
        try:
            return self._save_city(account, city, base=base)
        except _Unchanged as unchanged:
            return unchanged.version

    def _save_city(self, account: Account, city: City, *, base: City | None) -> int:
        """Add (``base`` None) or change a city; refused with ``Conflict`` if the stored record
        is no longer ``base``. Returns the new version number in the city's history."""
        if not can(account, MANAGE_CITIES):
            raise Refused("may_not_manage_cities", user=account.username)
        after = asdict(city)
        with self.store.transaction() as conn:
            row = (
                conn.execute(
                    sa.select(storage.cities).where(storage.cities.c.id == city.id).with_for_update()
                )
                .mappings()
                .first()
            )
            current = None if row is None else City(**dict(row))
            recorded = conn.execute(
                sa.select(sa.func.max(storage.changes.c.version)).where(
                    storage.changes.c.entity == CITY, storage.changes.c.entity_id == city.id
                )
            ).scalar()
            version = int(recorded or (0 if current is None else 1))
            if current != base:
                by, at = last_change(conn, CITY, city.id)
                raise Conflict(
                    CITY,
                    city.id,
                    base_version=None if base is None else version,
                    current_version=None if current is None else version,
                    changes=diff(
                        None if base is None else asdict(base), None if current is None else asdict(current)
                    ),
                    by=by,
                    at=at,
                )
            if current == city:
                raise _Unchanged(version)
            if current is None:
                conn.execute(storage.cities.insert().values(**after))
            else:
                conn.execute(storage.cities.update().where(storage.cities.c.id == city.id).values(**after))
            action = CREATE if current is None else EDIT
            before = None if current is None else asdict(current)
            conn.execute(
                storage.changes.insert().values(
                    **history_row(
                        CITY,
                        city.id,
                        city.id,
                        version + 1,
                        action,
                        account.username,
                        self.clock(),
                        before,
                        after,
                    )
                )
            )
            return version + 1
