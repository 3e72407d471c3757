"""The vocabulary of staff edits: entities and actions, snapshots, field changes, and refusals.

A snapshot is the whole record as a JSON-able dict (an itinerary's includes its ``stops``); the
history stores one before and after each save. A refused save is ``FieldErrors`` (what is wrong,
field by field), ``Conflict`` (someone saved in between) or ``NotFound``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Final

from itinerary import rules, seed
from itinerary.i18n import t
from itinerary.models import Itinerary, Landmark, Stop
from itinerary.permissions import content_text

LANDMARK: Final = "landmark"
ITINERARY: Final = "itinerary"
CITY: Final = "city"
STORY: Final = "story"  # a city story (itinerary.curation.stories)
ENTITIES: Final = (LANDMARK, ITINERARY, CITY, STORY)

CREATE: Final = "create"
EDIT: Final = "edit"
ARCHIVE: Final = "archive"
RESTORE: Final = "restore"
IMPORT: Final = "import"
SEEDED: Final = "seeded"  # the version that came from the data files, before any recorded change


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
        self.reasons = dict(errors)  # as given: coded reasons keep their ``text(lang)``
        self.problems = {k: v for k, v in errors.items() if isinstance(v, rules.Problem)}
        self.errors = {k: str(v) for k, v in errors.items()}
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))

    def texts(self, lang: str) -> dict[str, str]:
        """Every reason in ``lang``: rule problems and the cell parsers' coded messages alike."""
        return {k: _text(v, lang) for k, v in self.reasons.items()}


def _text(reason: object, lang: str) -> str:
    text = getattr(reason, "text", None)
    return str(text(lang)) if callable(text) else str(reason)


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
        # the message is a code (content.<code>) with these values: text(lang) in either language
        if current_version is None:
            self.code = "conflict_gone"
        elif base_version is None:
            self.code = "conflict_exists"
        else:
            self.code = "conflict_saved"
        super().__init__(self.text("en"))

    def text(self, lang: str = "en") -> str:
        """What happened, in ``lang``: ``str()`` is the English text."""
        values: dict[str, Any] = {"entity": self.entity, "entity_id": self.entity_id}
        if self.code == "conflict_saved":
            values |= {
                "by": self.by or t("content.someone", lang),
                "base_version": self.base_version,
                "current_version": self.current_version,
                "fields": ", ".join(c.field for c in self.changes) or t("content.nothing_visible", lang),
            }
        return content_text(self.code, lang, values)


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


_ABSENT: Final = object()
_EMPTY: Final[tuple[Any, ...]] = (None, "", [], ())  # what a field that a snapshot lacks would have held


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[FieldChange]:
    """The fields whose values differ, in the order of ``after`` (then ``before``).

    A creation (no ``before``) sets every field. A field one snapshot lacks (it was recorded
    before that column existed, like the access facts of revision 0004) did not change if the
    other holds an empty value ("not surveyed")."""
    if before is None:
        return [FieldChange(k, None, v) for k, v in (after or {}).items()]
    after = after or {}
    keys = list(after) + [k for k in before if k not in after]
    changes: list[FieldChange] = []
    for k in keys:
        old, new = before.get(k, _ABSENT), after.get(k, _ABSENT)
        if old is _ABSENT or new is _ABSENT:
            if (new if old is _ABSENT else old) in _EMPTY:
                continue
            old, new = (None if old is _ABSENT else old), (None if new is _ABSENT else new)
        if old != new:
            changes.append(FieldChange(k, old, new))
    return changes
