"""Staff edits of landmarks and itineraries, with nothing lost.

- Validation is the data files' own (``seed.SPECS`` column parsers and cross-file checks), field
  by field, before anything is saved: ``parse_landmark`` and ``parse_itinerary`` raise
  ``FieldErrors`` mapping each bad field to its message.
- Optimistic concurrency: every landmark and itinerary row carries a ``version``. A save names
  the version it was based on; if someone saved in between, it is refused with ``Conflict``,
  which says who changed what, and nothing is written.
- History: every saved version is a row of ``changes`` (who, when, the whole record before and
  after, as JSON). ``history`` lists them and ``restore`` saves an earlier one as a new version.
- Every write is one database transaction: a crash mid-save leaves the database as it was.

Pages ask ``accounts.can`` before offering an action; the ``Curator`` asks again before writing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as postgresql_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection

from itinerary import rules, seed
from itinerary import store as st_
from itinerary.accounts import EDIT_CONTENT, MANAGE_CITIES, PUBLISH, Account, can
from itinerary.cells import cell_text
from itinerary.models import City, Itinerary, Landmark, Stop
from itinerary.routing import haversine_km
from itinerary.settings import utc_now

LANDMARK: Final = "landmark"
ITINERARY: Final = "itinerary"
CITY: Final = "city"
ENTITIES: Final = (LANDMARK, ITINERARY, CITY)

CREATE: Final = "create"
EDIT: Final = "edit"
ARCHIVE: Final = "archive"
RESTORE: Final = "restore"
IMPORT: Final = "import"
SEEDED: Final = "seeded"  # the version that came from the data files, before any recorded change

DUPLICATE_RADIUS_M: Final = 30.0

Snapshot = dict[str, Any]

LANDMARK_FIELDS: Final = tuple(c.name for c in seed.SPEC_BY_NAME["landmarks.csv"].columns)
ITINERARY_FIELDS: Final = tuple(c.name for c in seed.SPEC_BY_NAME["itineraries.csv"].columns)
STOP_FIELDS: Final = ("landmark_id", "dwell_minutes", "note", "note_zh")


class FieldErrors(ValueError):
    """A refused save: ``errors`` maps each bad field (``stops.2.dwell_minutes`` for a stop) to why.

    A reason is a ``rules.Problem`` (a code with values) or, for the data files' cell parsers,
    English text. ``errors`` gives every reason in English; ``problems`` the coded ones;
    ``texts(lang)`` every reason in a language.
    """

    def __init__(self, errors: Mapping[str, str | rules.Problem]) -> None:
        self.problems = {k: v for k, v in errors.items() if isinstance(v, rules.Problem)}
        self.errors = {k: str(v) for k, v in errors.items()}
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))

    def texts(self, lang: str) -> dict[str, str]:
        """Every reason in ``lang`` (the parsers' texts stay English)."""
        return {k: self.problems[k].text(lang) if k in self.problems else v for k, v in self.errors.items()}


class NotFound(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class Change:
    """One saved version of a landmark or itinerary."""

    id: int
    entity: str
    entity_id: str
    city_id: str
    version: int
    action: str
    username: str
    at: datetime | None  # None for the version loaded from the data files (SEEDED)
    before: Snapshot | None
    after: Snapshot

    @property
    def changed(self) -> list[FieldChange]:
        return diff(self.before, self.after)


class Conflict(Exception):
    """Someone saved the item after the version this save was based on; nothing was written."""

    def __init__(
        self,
        entity: str,
        entity_id: str,
        *,
        base_version: int | None,
        current_version: int | None,
        changes: Sequence[FieldChange] = (),
        by: str = "",
        at: datetime | None = None,
    ) -> None:
        self.entity = entity
        self.entity_id = entity_id
        self.base_version = base_version
        self.current_version = current_version
        self.changes = list(changes)  # what the others changed since base_version
        self.by = by
        self.at = at
        if current_version is None:
            text = f"{entity} {entity_id!r} no longer exists"
        elif base_version is None:
            text = f"{entity} {entity_id!r} already exists"
        else:
            fields = ", ".join(c.field for c in self.changes) or "nothing visible"
            text = (
                f"{entity} {entity_id!r} was saved by {by or 'someone'} since you opened it "
                f"(version {base_version} -> {current_version}; changed: {fields})"
            )
        super().__init__(text)


# --- snapshots: the whole record as JSON-able dicts -----------------------------------------------


def landmark_snapshot(lm: Landmark) -> Snapshot:
    snap = asdict(lm)
    snap["themes"] = list(lm.themes)
    return snap


def landmark_from_snapshot(snap: Mapping[str, Any]) -> Landmark:
    values = {k: snap[k] for k in Landmark.__slots__ if k in snap}  # type: ignore[attr-defined]
    values["themes"] = tuple(values.get("themes", ()))
    return Landmark(**values)


def itinerary_snapshot(it: Itinerary, stops: Sequence[Stop]) -> Snapshot:
    snap = asdict(it)
    snap["stops"] = [
        {name: getattr(s, name) for name in STOP_FIELDS} for s in sorted(stops, key=lambda s: s.position)
    ]
    return snap


def itinerary_from_snapshot(snap: Mapping[str, Any]) -> tuple[Itinerary, list[Stop]]:
    it = Itinerary(**{k: snap[k] for k in Itinerary.__slots__})  # type: ignore[attr-defined]
    stops = [
        Stop(
            itinerary_id=it.id,
            position=i,
            landmark_id=s["landmark_id"],
            dwell_minutes=s.get("dwell_minutes"),
            note=s.get("note", ""),
            note_zh=s.get("note_zh", ""),
        )
        for i, s in enumerate(snap.get("stops", []), start=1)
    ]
    return it, stops


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[FieldChange]:
    """The fields whose values differ, in the order of ``after`` (then ``before``)."""
    before = before or {}
    after = after or {}
    keys = list(after) + [k for k in before if k not in after]
    return [FieldChange(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


# --- validation ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Context:
    """What validation checks references against: the city and the known themes and landmarks."""

    city_id: str
    city_name: str
    city_lat: float
    city_lon: float
    theme_ids: frozenset[str]
    landmark_ids: frozenset[str] = frozenset()  # every landmark id (any city): ids are global
    city_landmarks: Mapping[str, str] = field(default_factory=dict)  # id -> status, this city
    itinerary_ids: frozenset[str] = frozenset()  # every itinerary id (any city)


def context_for(store: st_.Store, city_id: str) -> Context:
    with store.engine.connect() as conn:
        city = conn.execute(sa.select(st_.cities).where(st_.cities.c.id == city_id)).mappings().first()
        if city is None:
            raise NotFound(f"unknown city {city_id!r}")
        themes = frozenset(conn.execute(sa.select(st_.themes.c.id)).scalars())
        rows = conn.execute(
            sa.select(st_.landmarks.c.id, st_.landmarks.c.city_id, st_.landmarks.c.status)
        ).all()
        itinerary_ids = frozenset(conn.execute(sa.select(st_.itineraries.c.id)).scalars())
    return Context(
        city_id=city_id,
        city_name=city["name"],
        city_lat=city["lat"],
        city_lon=city["lon"],
        theme_ids=themes,
        landmark_ids=frozenset(r[0] for r in rows),
        city_landmarks={r[0]: r[2] for r in rows if r[1] == city_id},
        itinerary_ids=itinerary_ids,
    )


def _parse_columns(
    spec_name: str, fields: Mapping[str, Any], prefix: str = ""
) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for column in seed.SPEC_BY_NAME[spec_name].columns:
        if column.name not in fields and column.name in ("city_id", "itinerary_id", "position"):
            continue
        cell = cell_text(fields.get(column.name))
        if not cell.strip():
            if column.non_empty:
                errors[prefix + column.name] = "must not be empty"
                continue
            cell = column.default
        try:
            values[column.name] = column.parse(cell)
        except ValueError as exc:
            errors[prefix + column.name] = str(exc)
    return values, errors


def parse_landmark(fields: Mapping[str, Any], ctx: Context, *, new: bool) -> Landmark:
    """A landmark from form values (any of str, number, list), validated like ``landmarks.csv``."""
    values, errors = _parse_columns("landmarks.csv", {**fields, "city_id": ctx.city_id})
    if new and "id" in values and values["id"] in ctx.landmark_ids:
        errors["id"] = f"id {values['id']!r} is taken; ids are stable forever, choose another"
    if not new and "id" in values and values["id"] not in ctx.city_landmarks:
        errors["id"] = f"no landmark {values['id']!r} in this city"
    for theme in values.get("themes", ()):
        if theme not in ctx.theme_ids:
            errors["themes"] = f"unknown theme {theme!r}"
    if "lat" in values and "lon" in values:
        km = float(haversine_km(ctx.city_lat, ctx.city_lon, values["lat"], values["lon"]))
        if km > seed.MAX_KM_FROM_CITY:
            errors["lat"] = (
                f"({values['lat']}, {values['lon']}) is {km:,.0f} km from {ctx.city_name}: "
                "lat and lon swapped or mistyped?"
            )
    if errors:
        raise FieldErrors(errors)
    return Landmark(**values)


def parse_city(fields: Mapping[str, Any], *, existing_ids: Iterable[str], new: bool) -> City:
    """A city from form values, validated like ``cities.csv``."""
    values, errors = _parse_columns("cities.csv", fields)
    if new and values.get("id") in set(existing_ids):
        errors["id"] = f"id {values['id']!r} is taken; ids are stable forever, choose another"
    if errors:
        raise FieldErrors(errors)
    return City(**values)


def parse_itinerary(
    fields: Mapping[str, Any], stops: Sequence[Mapping[str, Any]], ctx: Context, *, new: bool
) -> tuple[Itinerary, list[Stop]]:
    """An itinerary and its stops (in order) from form values, validated like the data files."""
    values, column_errors = _parse_columns("itineraries.csv", {**fields, "city_id": ctx.city_id})
    errors: dict[str, str | rules.Problem] = dict(column_errors)
    if new and "id" in values and values["id"] in ctx.itinerary_ids:
        errors["id"] = f"id {values['id']!r} is taken; ids are stable forever, choose another"
    if values.get("theme_id") and values["theme_id"] not in ctx.theme_ids:
        errors["theme_id"] = f"unknown theme {values['theme_id']!r}"
    parsed_stops: list[Stop] = []
    checked: list[tuple[int, str]] = []  # (stop number, landmark id) of stops whose id parsed
    for i, raw in enumerate(stops, start=1):
        prefix = f"stops.{i}."
        stop, stop_errors = _parse_columns("itinerary_stops.csv", raw, prefix)
        errors.update(stop_errors)
        landmark_id = stop.get("landmark_id")
        if landmark_id:
            checked.append((i, landmark_id))
        if not stop_errors and landmark_id:
            parsed_stops.append(
                Stop(
                    itinerary_id=values.get("id", ""),
                    position=i,
                    landmark_id=landmark_id,
                    dwell_minutes=stop.get("dwell_minutes"),
                    note=stop.get("note", ""),
                    note_zh=stop.get("note_zh", ""),
                )
            )
    # the form knows this city's landmarks only: another city's is "no landmark in this city"
    known = {lid: rules.LandmarkState(ctx.city_id, status) for lid, status in ctx.city_landmarks.items()}
    found = rules.stop_problems(
        ctx.city_id, values.get("status", ""), [(lid, known.get(lid)) for _, lid in checked], form=True
    )
    for n, problem in found.items():
        if n:
            errors[f"stops.{checked[n - 1][0]}.landmark_id"] = problem
    if 0 in found and not stops:
        errors["stops"] = found[0]
    if errors:
        raise FieldErrors(errors)
    return Itinerary(**values), parsed_stops


def likely_duplicates(
    candidates: Iterable[Mapping[str, Any]],
    *,
    name: str,
    name_zh: str = "",
    lat: float,
    lon: float,
    exclude_id: str = "",
) -> list[tuple[str, str, str]]:
    """Landmarks that are probably the same place: ``(id, name, reason)``.

    Same name (English or Chinese, ignoring case and spaces) or within ``DUPLICATE_RADIUS_M``.
    """

    def norm(text: Any) -> str:
        return "".join(str(text or "").split()).casefold()

    wanted = {n for n in (norm(name), norm(name_zh)) if n}
    found: list[tuple[str, str, str]] = []
    for row in candidates:
        if row["id"] == exclude_id:
            continue
        same_name = bool(wanted & {norm(row.get("name")), norm(row.get("name_zh"))} - {""})
        metres = float(haversine_km(lat, lon, float(row["lat"]), float(row["lon"]))) * 1000
        if same_name:
            found.append((str(row["id"]), str(row["name"]), "same name"))
        elif metres <= DUPLICATE_RADIUS_M:
            found.append((str(row["id"]), str(row["name"]), f"{metres:.0f} m away"))
    return found


# --- writes on a connection (also used by imports, in their one transaction) ---------------------


def _history_row(
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


def _last_change(conn: Connection, entity: str, entity_id: str) -> tuple[str, datetime | None]:
    row = conn.execute(
        sa.select(st_.changes.c.username, st_.changes.c.at)
        .where(st_.changes.c.entity == entity, st_.changes.c.entity_id == entity_id)
        .order_by(st_.changes.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return "", None
    at = row[1]
    return row[0], at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def _changes_since(conn: Connection, entity: str, entity_id: str, version: int) -> list[FieldChange]:
    """What changed between ``version`` and now, from the recorded history."""
    rows = conn.execute(
        sa.select(st_.changes.c.before, st_.changes.c.after)
        .where(
            st_.changes.c.entity == entity,
            st_.changes.c.entity_id == entity_id,
            st_.changes.c.version > version,
        )
        .order_by(st_.changes.c.version)
    ).all()
    if not rows:
        return []
    first = json.loads(rows[0][0]) if rows[0][0] else None
    return diff(first, json.loads(rows[-1][1]))


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
        by, at = _last_change(conn, entity, entity_id)
        raise Conflict(
            entity,
            entity_id,
            base_version=base_version,
            current_version=None if current is None else current["version"],
            changes=[]
            if current is None or base_version is None
            else _changes_since(conn, entity, entity_id, base_version),
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
    row = conn.execute(sa.select(st_.landmarks).where(st_.landmarks.c.id == landmark_id)).mappings().first()
    return None if row is None else (_landmark(row), row["version"])


def _landmark(row: Mapping[Any, Any]) -> Landmark:
    values = {k: row[k] for k in Landmark.__slots__}  # type: ignore[attr-defined]
    values["themes"] = tuple(t for t in row["themes"].split(";") if t)
    return Landmark(**values)


def read_itinerary(conn: Connection, itinerary_id: str) -> tuple[Itinerary, list[Stop], int] | None:
    row = (
        conn.execute(sa.select(st_.itineraries).where(st_.itineraries.c.id == itinerary_id))
        .mappings()
        .first()
    )
    if row is None:
        return None
    it = Itinerary(**{k: row[k] for k in Itinerary.__slots__})  # type: ignore[attr-defined]
    stops = [
        Stop(**dict(r))
        for r in conn.execute(
            sa.select(st_.itinerary_stops)
            .where(st_.itinerary_stops.c.itinerary_id == itinerary_id)
            .order_by(st_.itinerary_stops.c.position)
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
    current = _locked_row(conn, st_.landmarks, lm.id)
    _check_version(conn, LANDMARK, lm.id, current, base_version)
    errors = landmark_rule_errors(conn, lm) if enforce else {}
    if errors:
        raise FieldErrors(errors)
    after = landmark_snapshot(lm)
    row = {**after, "themes": ";".join(lm.themes)}
    if current is None:
        _insert_new(conn, st_.landmarks, LANDMARK, {**row, "version": 1})
        conn.execute(
            st_.changes.insert().values(
                **_history_row(LANDMARK, lm.id, lm.city_id, 1, action, username, at, None, after)
            )
        )
        return 1
    before = landmark_snapshot(_landmark(current))
    if before == after:
        return int(current["version"])
    version = int(current["version"]) + 1
    updated = conn.execute(
        st_.landmarks.update()
        .where(st_.landmarks.c.id == lm.id, st_.landmarks.c.version == current["version"])
        .values(**row, version=version)
    )
    if updated.rowcount != 1:  # a writer slipped in between (SQLite reads take no row lock)
        _lost_race(conn, st_.landmarks, LANDMARK, lm.id, base_version)
    conn.execute(
        st_.changes.insert().values(
            **_history_row(LANDMARK, lm.id, lm.city_id, version, action, username, at, before, after)
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
    current = _locked_row(conn, st_.itineraries, it.id)
    _check_version(conn, ITINERARY, it.id, current, base_version)
    errors = itinerary_rule_errors(conn, it, stops) if enforce else {}
    if errors:
        raise FieldErrors(errors)
    stops = [replace(s, itinerary_id=it.id, position=i) for i, s in enumerate(stops, start=1)]
    after = itinerary_snapshot(it, stops)
    row = asdict(it)
    stop_rows = [asdict(s) for s in stops]
    if current is None:
        _insert_new(conn, st_.itineraries, ITINERARY, {**row, "version": 1})
        if stop_rows:
            conn.execute(st_.itinerary_stops.insert(), stop_rows)
        conn.execute(
            st_.changes.insert().values(
                **_history_row(ITINERARY, it.id, it.city_id, 1, action, username, at, None, after)
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
        st_.itineraries.update()
        .where(st_.itineraries.c.id == it.id, st_.itineraries.c.version == current["version"])
        .values(**row, version=version)
    )
    if updated.rowcount != 1:
        _lost_race(conn, st_.itineraries, ITINERARY, it.id, base_version)
    conn.execute(st_.itinerary_stops.delete().where(st_.itinerary_stops.c.itinerary_id == it.id))
    if stop_rows:
        conn.execute(st_.itinerary_stops.insert(), stop_rows)
    conn.execute(
        st_.changes.insert().values(
            **_history_row(ITINERARY, it.id, it.city_id, version, action, username, at, before, after)
        )
    )
    return version


def published_itineraries_using(conn: Connection, landmark_id: str) -> list[str]:
    return list(
        conn.execute(
            sa.select(st_.itineraries.c.id)
            .join(st_.itinerary_stops, st_.itinerary_stops.c.itinerary_id == st_.itineraries.c.id)
            .where(st_.itinerary_stops.c.landmark_id == landmark_id, st_.itineraries.c.status == "published")
            .distinct()
            .order_by(st_.itineraries.c.id)
        ).scalars()
    )


def landmark_states(
    conn: Connection, landmark_ids: Iterable[str], *, lock: bool = False
) -> dict[str, rules.LandmarkState]:
    """City and status of landmarks as they are now; ``lock``: until the transaction ends."""
    query = sa.select(st_.landmarks.c.id, st_.landmarks.c.city_id, st_.landmarks.c.status).where(
        st_.landmarks.c.id.in_(set(landmark_ids))
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


def _parse_change(row: Mapping[Any, Any]) -> Change:
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


# --- the staff-facing service -------------------------------------------------------------------


class Curator:
    """Landmark and itinerary edits for a signed-in account, each in one transaction."""

    def __init__(self, store: st_.Store, *, clock: Callable[[], datetime] = utc_now) -> None:
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
                sa.select(st_.changes)
                .where(st_.changes.c.entity == entity, st_.changes.c.entity_id == entity_id)
                .order_by(st_.changes.c.version.desc(), st_.changes.c.id.desc())
            ).mappings()
            found = [_parse_change(r) for r in rows]
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
                sa.select(st_.changes)
                .where(st_.changes.c.city_id == city_id)
                .order_by(st_.changes.c.id.desc())
                .limit(limit)
            ).mappings()
            return [_parse_change(r) for r in rows]

    # permission checks (pages ask ``can`` first; this is the second line)

    @staticmethod
    def _require(account: Account, city_id: str, *, before_status: str | None, after_status: str) -> None:
        if not can(account, EDIT_CONTENT, city_id=city_id):
            raise PermissionError(f"{account.username} may not edit {city_id}")
        publishing = after_status == "published" or before_status == "published"
        if publishing and before_status != after_status and not can(account, PUBLISH, city_id=city_id):
            raise PermissionError(f"{account.username} may not publish in {city_id}")

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
                raise FieldErrors({"id": f"id {lm.id!r} belongs to a landmark of {current[0].city_id}"})
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
                raise FieldErrors({"id": f"id {it.id!r} belongs to an itinerary of {current[0].city_id}"})
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
            row = conn.execute(sa.select(st_.cities).where(st_.cities.c.id == city_id)).mappings().first()
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
            raise PermissionError(f"{account.username} may not manage cities")
        after = asdict(city)
        with self.store.transaction() as conn:
            row = (
                conn.execute(sa.select(st_.cities).where(st_.cities.c.id == city.id).with_for_update())
                .mappings()
                .first()
            )
            current = None if row is None else City(**dict(row))
            recorded = conn.execute(
                sa.select(sa.func.max(st_.changes.c.version)).where(
                    st_.changes.c.entity == CITY, st_.changes.c.entity_id == city.id
                )
            ).scalar()
            version = int(recorded or (0 if current is None else 1))
            if current != base:
                by, at = _last_change(conn, CITY, city.id)
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
                conn.execute(st_.cities.insert().values(**after))
            else:
                conn.execute(st_.cities.update().where(st_.cities.c.id == city.id).values(**after))
            action = CREATE if current is None else EDIT
            before = None if current is None else asdict(current)
            conn.execute(
                st_.changes.insert().values(
                    **_history_row(
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
