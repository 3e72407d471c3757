"""What an import would do: the plan ``preview`` makes and ``apply`` writes, and the database's side.

An ``ImportPlan`` lists, per entity, the rows to add or change (``RowChange``: the record before
and after, and the version the preview saw) and every problem as ``file:line: column: message``
in the upload's own names; ``codes`` gives the rule problems' codes so that a page can say them
in the reader's language (``texts``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import sqlalchemy as sa

from itinerary import curation, rules, seed
from itinerary import store as storage
from itinerary.i18n import t

Progress = Callable[[int, int, str], None]  # (done, total, label)
Snapshot = dict[str, Any]

CITY: Final = "city"
THEME: Final = "theme"
LANDMARK: Final = curation.LANDMARK
ITINERARY: Final = curation.ITINERARY
STORY: Final = "story"  # itinerary.curation.stories.STORY
ENTITIES: Final = (CITY, THEME, LANDMARK, ITINERARY, STORY)


@dataclass(frozen=True, slots=True)
class RowChange:
    """One row the import would add or change, with the record before and after."""

    entity: str  # city | theme | landmark | itinerary
    id: str
    city_id: str  # "" for a theme
    where: str  # the upload's place for it: "landmarks.csv:5"
    before: Snapshot | None  # None: a new row
    after: Snapshot
    base_version: int | None = None  # landmark or itinerary version the preview saw

    @property
    def is_new(self) -> bool:
        return self.before is None

    @property
    def changes(self) -> list[curation.FieldChange]:
        """Field-level before/after (every field for a new row); stops show as one ``stops`` field."""
        return curation.diff(self.before, self.after)


@dataclass
class EntityPlan:
    added: list[RowChange] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def rows(self) -> list[RowChange]:
        return self.added + self.changed


@dataclass(frozen=True, slots=True)
class Geocoded:
    """A landmark whose coordinates were looked up from its address during the preview."""

    where: str
    landmark_id: str
    address: str
    lat: float
    lon: float
    found: str  # the place the lookup answered with


@dataclass
class ImportPlan:
    """What ``preview`` found: problems (sorted) and the rows to add or change, per entity."""

    problems: list[seed.Problem] = field(default_factory=list)
    cities: EntityPlan = field(default_factory=EntityPlan)
    themes: EntityPlan = field(default_factory=EntityPlan)
    landmarks: EntityPlan = field(default_factory=EntityPlan)
    itineraries: EntityPlan = field(default_factory=EntityPlan)
    stories: EntityPlan = field(default_factory=EntityPlan)
    geocoded: list[Geocoded] = field(default_factory=list)
    data_version: int = 0  # the database's data version at the preview
    sources: list[str] = field(default_factory=list)  # the files read, by their upload names
    codes: dict[seed.Problem, rules.Problem] = field(default_factory=dict)  # coded problems

    @property
    def ok(self) -> bool:
        return not self.problems

    def entity(self, name: str) -> EntityPlan:
        return {
            CITY: self.cities,
            THEME: self.themes,
            LANDMARK: self.landmarks,
            ITINERARY: self.itineraries,
            STORY: self.stories,
        }[name]

    @property
    def rows(self) -> list[RowChange]:
        """Every row to write, in writing order (cities, themes, landmarks, itineraries)."""
        return [row for name in ENTITIES for row in self.entity(name).rows]

    def counts(self) -> dict[str, tuple[int, int, int]]:
        """Per entity: (added, changed, unchanged); stories only when the import has any."""
        plans = {name: self.entity(name) for name in ENTITIES}
        counts = {name: (len(p.added), len(p.changed), p.unchanged) for name, p in plans.items()}
        if counts[STORY] == (0, 0, 0):
            del counts[STORY]
        return counts

    def report(self) -> str:
        """Every problem as ``file:line: column: message``, one a line."""
        return "\n".join(str(p) for p in self.problems)

    def texts(self, lang: str) -> list[str]:
        """Every problem as ``file:line: column: message``, coded ones in ``lang``."""
        return [
            f"{p.file}:{p.line}: {p.column}: {self.codes[p].text(lang)}"
            if p in self.codes
            else p.located(lang)
            for p in self.problems
        ]


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What ``apply`` wrote: per entity (added, changed, unchanged), and the new data version."""

    counts: Mapping[str, tuple[int, int, int]]
    data_version: int

    def __str__(self) -> str:
        return describe_counts(self.counts)

    def text(self, lang: str = "en") -> str:
        """What was written, in ``lang`` (the staff page's words after an import)."""
        return describe_counts(self.counts, lang)


def describe_counts(counts: Mapping[str, tuple[int, int, int]], lang: str = "en") -> str:
    """``landmarks: 2 added, 1 changed, 0 unchanged; ...`` in ``lang`` (English: the CLI's words)."""
    return t("content.counts_separator", lang).join(
        t(
            "content.counts",
            lang,
            what=t(f"content.plural_{name}", lang),
            added=added,
            changed=changed,
            unchanged=unchanged,
        )
        for name, (added, changed, unchanged) in counts.items()
    )


# --- the database's side ------------------------------------------------------------------------


@dataclass
class Current:
    cities: dict[str, Snapshot]
    themes: dict[str, Snapshot]
    landmarks: dict[str, tuple[Snapshot, int]]
    itineraries: dict[str, tuple[Snapshot, int]]  # snapshots include "stops"
    data_version: int
    stories: dict[str, tuple[Snapshot, int]] = field(default_factory=dict)  # include "chapters"


def content_row(table: sa.Table, row: Mapping[Any, Any]) -> Snapshot:
    return {c.name: row[c.name] for c in table.c if c.name != "version"}


def read_current(store: storage.Store) -> Current:
    with store.engine.connect() as conn:
        cities = {
            r["id"]: content_row(storage.cities, r)
            for r in conn.execute(sa.select(storage.cities)).mappings()
        }
        themes = {
            r["id"]: content_row(storage.themes, r)
            for r in conn.execute(sa.select(storage.themes)).mappings()
        }
        landmarks: dict[str, tuple[Snapshot, int]] = {}
        for r in conn.execute(sa.select(storage.landmarks)).mappings():
            snap = content_row(storage.landmarks, r)
            snap["themes"] = [t for t in snap["themes"].split(";") if t]
            landmarks[r["id"]] = (snap, int(r["version"]))
        stops: dict[str, list[Snapshot]] = {}
        query = sa.select(storage.itinerary_stops).order_by(
            storage.itinerary_stops.c.itinerary_id, storage.itinerary_stops.c.position
        )
        for r in conn.execute(query).mappings():
            stops.setdefault(r["itinerary_id"], []).append({k: r[k] for k in curation.STOP_FIELDS})
        itineraries: dict[str, tuple[Snapshot, int]] = {}
        for r in conn.execute(sa.select(storage.itineraries)).mappings():
            snap = content_row(storage.itineraries, r)
            snap["featured"] = bool(snap["featured"])
            snap["stops"] = stops.get(r["id"], [])
            itineraries[r["id"]] = (snap, int(r["version"]))
        value = conn.execute(
            sa.select(storage.meta.c.value).where(storage.meta.c.key == "data_version")
        ).scalar()
        stories = read_stories(conn)
    return Current(cities, themes, landmarks, itineraries, int(value or 0), stories)


def read_stories(conn: sa.Connection) -> dict[str, tuple[Snapshot, int]]:
    """Every stored story as its snapshot (with its chapters) and its version."""
    from itinerary.curation.stories import CHAPTER_FIELDS

    chapters: dict[str, list[Snapshot]] = {}
    query = sa.select(storage.story_chapters).order_by(
        storage.story_chapters.c.story_id, storage.story_chapters.c.position
    )
    for r in conn.execute(query).mappings():
        chapters.setdefault(r["story_id"], []).append({k: r[k] for k in CHAPTER_FIELDS})
    stories: dict[str, tuple[Snapshot, int]] = {}
    for r in conn.execute(sa.select(storage.stories)).mappings():
        snap = content_row(storage.stories, r)
        snap["chapters"] = chapters.get(r["id"], [])
        stories[r["id"]] = (snap, int(r["version"]))
    return stories
