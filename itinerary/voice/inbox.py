"""Visitors' reports and suggestions: sending them, the staff's queue, decisions, the purge.

``Inbox.send`` checks a message (``checks.check``), takes a slot of the shared rate limits and
stores it, in one transaction. Nothing stored here reaches other visitors: the catalog reads
only landmarks, and a suggestion becomes one only as a *draft* that staff complete and publish.

Decisions are made from ``new`` only, each in one transaction with its row in
``voice_decisions`` (who, when, why), and only by an account that may edit the item's city
(``can(account, EDIT_CONTENT, city_id=...)``, asked again here behind the page).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from itinerary import store as storage
from itinerary.models import Landmark
from itinerary.permissions import EDIT_CONTENT, Account, Refused, can
from itinerary.settings import utc_now, voice_purge_days
from itinerary.voice import throttle
from itinerary.voice.checks import Message, VoiceRefused, check

NEW: Final = "new"
ACCEPTED: Final = "accepted"
REJECTED: Final = "rejected"
SPAM: Final = "spam"
STATUSES: Final = (NEW, ACCEPTED, REJECTED, SPAM)
ACTIONS: Final = {"accept": ACCEPTED, "reject": REJECTED, "spam": SPAM}
REJECT_REASONS: Final = ("wrong", "duplicate", "not_a_place", "out_of_area")  # or the staff's text
MAX_REASON: Final = 300
# the landmark field a report's corrected value is for (None: a text only; "place": the point)
FIELD_OF_TOPIC: Final[dict[str, str | None]] = {
    "hours": "opening_hours",
    "closed": "status",
    "access": "access_note",
    "place": None,
    "other": None,
}

_items = storage.voice_items
_decisions = storage.voice_decisions


@dataclass(frozen=True, slots=True)
class Item:
    """One message as staff see it (its text is the visitor's: escape it wherever shown)."""

    id: int
    city_id: str
    kind: str
    topic: str
    landmark_id: str
    text: str
    proposed: str
    theme: str
    point: tuple[float, float] | None
    page: str
    lang: str
    created_at: datetime
    status: str

    @property
    def field(self) -> str | None:
        """The landmark field a correction proposes a value for."""
        return FIELD_OF_TOPIC.get(self.topic) if self.kind == "correction" else None


@dataclass(frozen=True, slots=True)
class Decision:
    item_id: int
    city_id: str
    action: str
    reason: str
    result: str
    username: str
    at: datetime


def _utc(at: datetime) -> datetime:
    """SQLite returns naive datetimes; they are stored as UTC."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def _item(row: Any) -> Item:
    point = (float(row.lat), float(row.lon)) if row.lat is not None and row.lon is not None else None
    return Item(
        row.id,
        row.city_id,
        row.kind,
        row.topic,
        row.landmark_id,
        row.text,
        row.proposed,
        row.theme,
        point,
        row.page,
        row.lang,
        _utc(row.created_at),
        row.status,
    )


def draft_id(name: str, item_id: int) -> str:
    """A slug for a suggested place's draft: its name in ASCII, else ``suggested``, and the item."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_name)[:5]
    return "-".join([*(words or ["suggested"]), str(item_id)])


class Inbox:
    """The visitors' inbox on one store; ``clock`` is the seam for time."""

    def __init__(self, store: storage.Store, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.clock = clock

    # --- visitors ---------------------------------------------------------------------------

    def send(
        self,
        message: Message,
        *,
        session: str,
        landmarks: Iterable[str],
        themes: Iterable[str],
        per_session: throttle.Limit = throttle.PER_SESSION,
        per_app: throttle.Limit = throttle.PER_APP,
    ) -> int:
        """Check and keep a visitor's message; its id. ``VoiceRefused`` says why not.

        ``session`` is a ``throttle.session_bucket``. The checks come first, so a refused
        text uses no slot; the slot and the row are one transaction."""
        clean = check(message, landmarks=frozenset(landmarks), themes=frozenset(themes))
        now = self.clock()
        with self.store.engine.begin() as conn:
            throttle.take_slot(conn, session, now, per_session=per_session, per_app=per_app)
            point = clean.point
            row = conn.execute(
                _items.insert()
                .values(
                    city_id=clean.city_id,
                    kind=clean.kind,
                    topic=clean.topic,
                    landmark_id=clean.landmark_id,
                    text=clean.text,
                    proposed=clean.proposed,
                    theme=clean.theme,
                    lat=point[0] if point else None,
                    lon=point[1] if point else None,
                    page=clean.page,
                    lang=clean.lang,
                    created_at=now,
                    status=NEW,
                )
                .returning(_items.c.id)
            ).one()
            return int(row[0])

    # --- staff --------------------------------------------------------------------------------

    def queue(self, city_ids: Iterable[str], *, status: str = NEW, limit: int = 200) -> list[Item]:
        """The items of these cities in ``status``, oldest first (the order they came in)."""
        ids = list(city_ids)
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(_items)
                .where(_items.c.city_id.in_(ids), _items.c.status == status)
                .order_by(_items.c.id)
                .limit(limit)
            )
            return [_item(r) for r in rows]

    def pending(self, city_ids: Iterable[str]) -> dict[str, int]:
        """City id -> how many new items wait (cities with none are left out)."""
        ids = list(city_ids)
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(_items.c.city_id, sa.func.count())
                .where(_items.c.city_id.in_(ids), _items.c.status == NEW)
                .group_by(_items.c.city_id)
            )
            return {city: int(n) for city, n in rows}

    def item(self, item_id: int) -> Item | None:
        with self.store.engine.connect() as conn:
            row = conn.execute(sa.select(_items).where(_items.c.id == item_id)).first()
        return _item(row) if row is not None else None

    def history(self, city_ids: Iterable[str], *, limit: int = 100) -> list[Decision]:
        """The latest decisions in these cities, newest first."""
        ids = list(city_ids)
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                sa.select(_decisions)
                .where(_decisions.c.city_id.in_(ids))
                .order_by(_decisions.c.id.desc())
                .limit(limit)
            )
            return [
                Decision(r.item_id, r.city_id, r.action, r.reason, r.result, r.username, _utc(r.at))
                for r in rows
            ]

    def decide(
        self,
        account: Account,
        item_id: int,
        action: str,
        *,
        reason: str = "",
        result: str = "",
        conn: Connection | None = None,
    ) -> Item:
        """Record ``action`` (accept, reject, spam) on a new item; the item as it was.

        ``Refused`` when the account may not edit the item's city, ``VoiceRefused``
        (``already_decided``, ``no_item``) when there is nothing to decide."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        reason = reason.strip()[:MAX_REASON]
        if conn is None:
            with self.store.engine.begin() as own:
                return self._decide(own, account, item_id, action, reason, result)
        return self._decide(conn, account, item_id, action, reason, result)

    def _decide(
        self, conn: Connection, account: Account, item_id: int, action: str, reason: str, result: str
    ) -> Item:
        row = conn.execute(sa.select(_items).where(_items.c.id == item_id)).first()
        if row is None:
            raise VoiceRefused("no_item")
        item = _item(row)
        if not can(account, EDIT_CONTENT, city_id=item.city_id):
            raise Refused("may_not_edit", user=account.username, city_id=item.city_id)
        now = self.clock()
        done = conn.execute(
            _items.update()
            .where(_items.c.id == item_id, _items.c.status == NEW)
            .values(status=ACTIONS[action], decided_at=now)
        )
        if done.rowcount != 1:  # someone decided first (another tab, another editor)
            raise VoiceRefused("already_decided")
        conn.execute(
            _decisions.insert().values(
                item_id=item_id,
                city_id=item.city_id,
                action=action,
                reason=reason,
                result=result,
                username=account.username,
                at=now,
            )
        )
        return item

    def accept_suggestion(self, account: Account, item_id: int, curator: Any) -> str:
        """Accept a suggested place: a draft landmark (name, point, theme) to complete; its id.

        The draft is saved through ``curator.save_landmark`` (the content rules, the history
        with who and when), then the decision. Two editors accepting at once make one draft:
        the second save finds the id taken and is refused.
        """
        item = self.item(item_id)
        if item is None:
            raise VoiceRefused("no_item")
        if item.kind != "suggestion":
            raise VoiceRefused("not_a_suggestion")
        if not can(account, EDIT_CONTENT, city_id=item.city_id):
            raise Refused("may_not_edit", user=account.username, city_id=item.city_id)
        if item.status != NEW:
            raise VoiceRefused("already_decided")
        lat, lon = item.point or (0.0, 0.0)
        landmark_id = draft_id(item.proposed, item.id)
        draft = Landmark(
            id=landmark_id,
            city_id=item.city_id,
            name=item.proposed,
            name_zh="",
            lat=lat,
            lon=lon,
            themes=(item.theme,) if item.theme else (),
            district="",
            address="",
            summary="",
            summary_zh="",
            visit_minutes=60,
            opening_hours="",
            wheelchair="unknown",
            price="",
            website="",
            status="draft",
        )
        curator.save_landmark(account, draft, base_version=None)
        self.decide(account, item_id, "accept", result=landmark_id)
        return landmark_id

    def purge(self, *, days: float | None = None) -> int:
        """Delete rejected and spam items decided more than ``days`` ago
        (``CITYPLUS_VOICE_PURGE_DAYS``), and ended throttle buckets; how many items went. The
        decisions stay: they hold no visitor's text."""
        now = self.clock()
        cutoff = now - timedelta(days=voice_purge_days() if days is None else days)
        with self.store.engine.begin() as conn:
            gone = conn.execute(
                _items.delete().where(
                    _items.c.status.in_((REJECTED, SPAM)),
                    _items.c.decided_at.is_not(None),
                    _items.c.decided_at < cutoff,
                )
            ).rowcount
            throttle.purge(conn, now)
        return int(gone)
