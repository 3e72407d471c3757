"""The content rules, in one place: every writer (editor, import, restore) calls these.

- Statuses: landmarks and itineraries are ``published``, ``draft`` or ``archived``; any change
  between them is allowed (who may publish is ``accounts.can``'s question, not this module's).
- Stops: an itinerary's stops are landmarks of its own city, always. A published itinerary has at
  least one stop, and every stop is a published landmark. A draft itinerary may keep a landmark
  that was archived after it was added (so a backup of it imports again), but the editor's form
  does not offer archived landmarks (``form=True``).
- Consistency: a landmark that stops being published (draft or archived) must not be a stop of a
  published itinerary.

The functions are pure: they take plain values (ids, statuses, cities) and return ``Problem``s,
codes with values, translated by ``Problem.text`` (strings in ``itinerary/i18n/content.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from itinerary.i18n import t

PUBLISHED: Final = "published"
DRAFT: Final = "draft"
ARCHIVED: Final = "archived"
STATUSES: Final = (PUBLISHED, DRAFT, ARCHIVED)

# every change between known statuses is allowed: (before, after); None before = a new record
ALLOWED_CHANGES: Final = frozenset(
    (before, after) for before in (None, *STATUSES) for after in STATUSES if before != after
)


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a rule refuses a change: an i18n code (``content.<code>``) and the values it names."""

    code: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        return t(f"content.{self.code}", lang, **self.values)

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True, slots=True)
class LandmarkState:
    """What the stop rules need to know of a landmark."""

    city_id: str
    status: str


def status_problem(before: str | None, after: str) -> Problem | None:
    """Whether a record may go from status ``before`` (None: new) to ``after``."""
    if after not in STATUSES:
        return Problem("status_unknown", {"status": after, "known": ", ".join(STATUSES)})
    if before != after and (before, after) not in ALLOWED_CHANGES:
        return Problem("status_change", {"before": before or "", "after": after})
    return None


def stop_problems(
    city_id: str,
    status: str,
    stops: Sequence[tuple[str, LandmarkState | None]],
    *,
    form: bool = False,
) -> dict[int, Problem]:
    """Problems of an itinerary's stops, by stop number (1-based); key 0: the itinerary itself.

    ``stops`` are ``(landmark_id, its state or None if there is no such landmark)`` in order.
    ``form``: the editor's form, which refuses archived landmarks in any itinerary and knows only
    the landmarks of its own city (another city's is "no such landmark in this city").
    """
    problems: dict[int, Problem] = {}
    published = status == PUBLISHED
    if published and not stops:
        problems[0] = Problem("stops_none")
    for n, (landmark_id, landmark) in enumerate(stops, start=1):
        values = {"landmark_id": landmark_id}
        if landmark is None:
            problems[n] = Problem("stop_missing", values)
        elif landmark.city_id != city_id:
            problems[n] = Problem(
                "stop_other_city", {**values, "landmark_city": landmark.city_id, "city_id": city_id}
            )
        elif landmark.status == ARCHIVED and (published or form):
            problems[n] = Problem("stop_archived", values)
        elif landmark.status != PUBLISHED and published:
            problems[n] = Problem("stop_draft", values)
    return problems


def unpublish_problem(status: str, used_by: Iterable[str]) -> Problem | None:
    """A landmark whose status becomes ``status``, and the published itineraries that use it."""
    users = sorted(set(used_by))
    if status == PUBLISHED or not users:
        return None
    code = "in_use_archived" if status == ARCHIVED else "in_use_draft"
    return Problem(code, {"itineraries": ", ".join(users)})


def published_users(landmark_id: str, itineraries: Iterable[tuple[str, str, Iterable[str]]]) -> list[str]:
    """The published itineraries among ``(id, status, stop landmark ids)`` that stop at a landmark."""
    return sorted(
        it_id for it_id, status, stops in itineraries if status == PUBLISHED and landmark_id in set(stops)
    )
