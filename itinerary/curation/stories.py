"""City accounts as staff edit them: stories (snapshots, form validation, the writer with its
history, restore) and a city's profile (its portrait, facts, partnership and place on the platform).

A story's snapshot is the story's fields and its ``chapters`` (in order, without ``story_id`` and
``position``), the form the history stores before and after each save. The writer is the one
path the editor, the importer and restore use; the checks are ``itinerary.cityaccounts``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from itinerary import cityaccounts, rules, seed
from itinerary import store as storage
from itinerary.accounts import Account
from itinerary.curation.history import history_row, parse_change
from itinerary.curation.records import (
    CITY,
    RESTORE,
    STORY,
    Change,
    Conflict,
    FieldErrors,
    NotFound,
    Snapshot,
    diff,
)
from itinerary.curation.validation import _parse_columns
from itinerary.curation.writers import _check_version, _insert_new, _locked_row, _lost_race
from itinerary.models import Chapter, City, Story
from itinerary.permissions import EDIT_CONTENT, PUBLISH, Refused, can
from itinerary.settings import utc_now
from itinerary.validation import Message

STORY_FIELDS: Final = tuple(c.name for c in seed.SPEC_BY_NAME["stories.csv"].columns)
CHAPTER_FIELDS: Final = tuple(
    c.name for c in seed.SPEC_BY_NAME["story_chapters.csv"].columns if c.name not in ("story_id", "position")
)


def story_snapshot(story: Story, chapters: Sequence[Chapter]) -> Snapshot:
    snap = asdict(story)
    snap["chapters"] = [
        {name: getattr(c, name) for name in CHAPTER_FIELDS}
        for c in sorted(chapters, key=lambda c: c.position)
    ]
    return snap


def story_from_snapshot(snap: Mapping[str, Any]) -> tuple[Story, list[Chapter]]:
    story = Story(**{k: snap[k] for k in STORY_FIELDS})
    chapters = [
        Chapter(story_id=story.id, position=i, **{k: c.get(k) for k in CHAPTER_FIELDS})
        for i, c in enumerate(snap.get("chapters", []), start=1)
    ]
    return story, chapters


def parse_story(
    fields: Mapping[str, Any],
    chapters: Sequence[Mapping[str, Any]],
    *,
    city: Mapping[str, Any],
    itineraries: Mapping[str, Mapping[str, Any]],
    landmarks: Mapping[str, Mapping[str, Any]],
) -> tuple[Story, list[Chapter]]:
    """A story and its chapters from form values (or a snapshot), validated like the data files.

    ``city`` is the story's city as a row; ``itineraries`` and ``landmarks`` the rows the story
    may refer to (by id). Raises ``FieldErrors`` keyed ``chapters.N.field`` for a chapter.
    """
    values, errors = _parse_columns("stories.csv", {**fields, "city_id": city["id"]})
    target = values.get("itinerary_id")
    if target and (target not in itineraries or itineraries[target].get("city_id") != city["id"]):
        errors["itinerary_id"] = rules.Problem("story_itinerary_unknown", {"itinerary": target})
    parsed: list[Chapter] = []
    for i, raw in enumerate(chapters, start=1):
        prefix = f"chapters.{i}."
        row, row_errors = _parse_columns(
            "story_chapters.csv", {**raw, "story_id": values.get("id") or "x"}, prefix
        )
        for column, code, problem_values in cityaccounts.chapter_row_problems(row, city, landmarks):
            row_errors[prefix + column] = Message(code, **problem_values)
        errors.update(row_errors)
        if not row_errors:
            parsed.append(Chapter(**{**row, "story_id": values.get("id", ""), "position": i}))
    if errors:
        raise FieldErrors(errors)
    return Story(**values), parsed


def read_story(conn: Connection, story_id: str) -> tuple[Story, list[Chapter], int] | None:
    row = conn.execute(sa.select(storage.stories).where(storage.stories.c.id == story_id)).mappings().first()
    if row is None:
        return None
    story = Story(**{k: row[k] for k in STORY_FIELDS})
    query = (
        sa.select(storage.story_chapters)
        .where(storage.story_chapters.c.story_id == story_id)
        .order_by(storage.story_chapters.c.position)
    )
    chapters = [Chapter(**dict(r)) for r in conn.execute(query).mappings()]
    return story, chapters, int(row["version"])


def write_story(
    conn: Connection,
    story: Story,
    chapters: Sequence[Chapter],
    *,
    base_version: int | None,
    username: str,
    action: str,
    at: datetime,
) -> int:
    """Save ``story`` with ``chapters`` (in order) based on ``base_version``; return its version.

    Raises ``Conflict`` if the stored version differs; an unchanged story writes nothing.
    """
    current = _locked_row(conn, storage.stories, story.id)
    _check_version(conn, STORY, story.id, current, base_version)
    chapters = [replace(c, story_id=story.id, position=i) for i, c in enumerate(chapters, start=1)]
    after = story_snapshot(story, chapters)
    rows = [asdict(c) for c in chapters]
    if current is None:
        _insert_new(conn, storage.stories, STORY, {**asdict(story), "version": 1})
        if rows:
            conn.execute(storage.story_chapters.insert(), rows)
        conn.execute(
            storage.changes.insert().values(
                **history_row(STORY, story.id, story.city_id, 1, action, username, at, None, after)
            )
        )
        return 1
    found = read_story(conn, story.id)
    assert found is not None
    before = story_snapshot(found[0], found[1])
    if before == after:
        return int(current["version"])
    version = int(current["version"]) + 1
    updated = conn.execute(
        storage.stories.update()
        .where(storage.stories.c.id == story.id, storage.stories.c.version == current["version"])
        .values(**asdict(story), version=version)
    )
    if updated.rowcount != 1:
        _lost_race(conn, storage.stories, STORY, story.id, base_version)
    conn.execute(storage.story_chapters.delete().where(storage.story_chapters.c.story_id == story.id))
    if rows:
        conn.execute(storage.story_chapters.insert(), rows)
    conn.execute(
        storage.changes.insert().values(
            **history_row(STORY, story.id, story.city_id, version, action, username, at, before, after)
        )
    )
    return version


def require(account: Account, city_id: str, *, before_status: str | None, after_status: str) -> None:
    """The permission predicates a story save asks: edit the city, and publish when it changes."""
    if not can(account, EDIT_CONTENT, city_id=city_id):
        raise Refused("may_not_edit", user=account.username, city_id=city_id)
    publishing = "published" in (before_status, after_status) and before_status != after_status
    if publishing and not can(account, PUBLISH, city_id=city_id):
        raise Refused("may_not_publish", user=account.username, city_id=city_id)


class StoryDesk:
    """Staff saves of stories through one path: permissions, the writer, the history, restore."""

    def __init__(self, store: storage.Store, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.clock = clock

    def story(self, story_id: str) -> tuple[Story, list[Chapter], int]:
        with self.store.engine.connect() as conn:
            found = read_story(conn, story_id)
        if found is None:
            raise NotFound(f"no story {story_id!r}")
        return found

    def save(
        self,
        account: Account,
        story: Story,
        chapters: Sequence[Chapter],
        *,
        base_version: int | None,
        action: str = "",
    ) -> int:
        with self.store.transaction() as conn:
            found = read_story(conn, story.id)
            if found is not None and found[0].city_id != story.city_id:
                raise Refused("may_not_edit", user=account.username, city_id=story.city_id)
            before_status = None if found is None else found[0].status
            require(account, story.city_id, before_status=before_status, after_status=story.status)
            if found is not None:
                require(account, found[0].city_id, before_status=before_status, after_status=story.status)
            verb = action or ("create" if found is None else "edit")
            return write_story(
                conn,
                story,
                chapters,
                base_version=base_version,
                username=account.username,
                action=verb,
                at=self.clock(),
            )

    def history(self, story_id: str) -> list[Change]:
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(storage.changes)
                .where(storage.changes.c.entity == STORY, storage.changes.c.entity_id == story_id)
                .order_by(storage.changes.c.version.desc())
            ).mappings()
            return [parse_change(r) for r in rows]

    def restore(self, account: Account, story_id: str, version: int, *, base_version: int) -> int:
        """Save version ``version`` of a story again, as its newest version (checked like an edit)."""
        wanted = next((c for c in self.history(story_id) if c.version == version), None)
        if wanted is None:
            raise NotFound(f"story {story_id!r} has no version {version}")
        data = self.store.dataset()
        city = next((asdict(c) for c in data.cities if c.id == wanted.city_id), None)
        if city is None:
            raise NotFound(f"no city {wanted.city_id!r}")
        story, chapters = parse_story(
            {k: v for k, v in wanted.after.items() if k != "chapters"},
            [_form(c) for c in wanted.after.get("chapters", [])],
            city=city,
            itineraries={i.id: asdict(i) for i in data.itineraries},
            landmarks={lm.id: asdict(lm) for lm in data.landmarks},
        )
        return self.save(account, story, chapters, base_version=base_version, action=RESTORE)


# --- a city's profile: editors of the city may change it; the rest of the city row stays admins' ---

PROFILE_FIELDS: Final = (
    "portrait",
    "portrait_zh",
    "facts",
    "facts_zh",
    "fact_sources",
    "partnership",
    "partner_since",
    "joined",
    "join_order",
)


def parse_profile(city: City, fields: Mapping[str, Any], *, others: Sequence[City] = ()) -> City:
    """``city`` with its profile from form values, validated like ``cities.csv`` (facts one a line
    or ';'-separated), and its place in the join order not taken by one of ``others``."""
    cells = {k: _cell(fields.get(k)) for k in PROFILE_FIELDS}
    values, errors = _parse_columns("cities.csv", {**asdict(city), **cells})
    for column, code, problem_values in cityaccounts.city_row_problems(values):
        errors[column] = Message(code, **problem_values)
    order = values.get("join_order")
    taken = next((c for c in others if c.id != city.id and order is not None and c.join_order == order), None)
    if taken is not None:
        errors["join_order"] = rules.Problem("join_order_taken_by", {"order": order, "city": taken.name})
    if errors:
        raise FieldErrors({k: v for k, v in errors.items() if k in PROFILE_FIELDS} or errors)
    return replace(city, **{k: values[k] for k in PROFILE_FIELDS})


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return ";".join(line.strip() for line in str(value).splitlines()) if "\n" in str(value) else str(value)


def save_profile(
    store: storage.Store, account: Account, city: City, *, base: City, clock: Callable[[], datetime] = utc_now
) -> int:
    """Save a city's profile fields (the rest of ``city`` must be ``base``'s); return its version.

    Editors of the city may (``EDIT_CONTENT``); the names, centre and time zone stay the
    administrators' (``Curator.save_city``). Refused with ``Conflict`` when the stored city is no
    longer ``base``; recorded in the city's history like any city edit."""
    if not can(account, EDIT_CONTENT, city_id=city.id):
        raise Refused("may_not_edit", user=account.username, city_id=city.id)
    if {k: v for k, v in asdict(city).items() if k not in PROFILE_FIELDS} != {
        k: v for k, v in asdict(base).items() if k not in PROFILE_FIELDS
    }:
        raise Refused("may_not_manage_cities", user=account.username)
    with store.transaction() as conn:
        row = (
            conn.execute(sa.select(storage.cities).where(storage.cities.c.id == city.id).with_for_update())
            .mappings()
            .first()
        )
        if row is None:
            raise NotFound(f"no city {city.id!r}")
        current = City(**dict(row))
        recorded = conn.execute(
            sa.select(sa.func.max(storage.changes.c.version)).where(
                storage.changes.c.entity == CITY, storage.changes.c.entity_id == city.id
            )
        ).scalar()
        version = int(recorded or 1)
        if current != base:
            raise Conflict(
                CITY,
                city.id,
                base_version=version,
                current_version=version,
                changes=diff(asdict(base), asdict(current)),
            )
        if current == city:
            return version
        conn.execute(
            storage.cities.update()
            .where(storage.cities.c.id == city.id)
            .values(**{k: getattr(city, k) for k in PROFILE_FIELDS})
        )
        conn.execute(
            storage.changes.insert().values(
                **history_row(
                    CITY,
                    city.id,
                    city.id,
                    version + 1,
                    "edit",
                    account.username,
                    clock(),
                    asdict(current),
                    asdict(city),
                )
            )
        )
        return version + 1


def _form(chapter: Mapping[str, Any]) -> dict[str, Any]:
    """A chapter snapshot as form values (None is an empty cell)."""
    return {k: "" if v is None else v for k, v in chapter.items()}
