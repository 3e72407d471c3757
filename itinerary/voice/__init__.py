"""Visitors' voice: reports of a problem on a landmark and suggestions of a place, checked,
rate-limited in the database, and moderated by staff (``Inbox``).

- ``checks``: lengths, links, spam; ``VoiceRefused`` with a code for the page to say.
- ``throttle``: the per-session and app-wide limits, shared by every process.
- ``inbox``: sending, the queue, decisions with their history, the purge.
"""

from __future__ import annotations

from itinerary.voice.checks import (
    KINDS,
    MAX_LINKS,
    MAX_PROPOSED,
    MAX_TEXT,
    SUGGESTION,
    TOPICS,
    Message,
    VoiceRefused,
    check,
    is_spam,
    link_count,
)
from itinerary.voice.inbox import (
    ACCEPTED,
    FIELD_OF_TOPIC,
    NEW,
    REJECT_REASONS,
    REJECTED,
    SPAM,
    Decision,
    Inbox,
    Item,
    draft_id,
)
from itinerary.voice.throttle import PER_APP, PER_SESSION, Limit, session_bucket

__all__ = [
    "ACCEPTED",
    "FIELD_OF_TOPIC",
    "KINDS",
    "MAX_LINKS",
    "MAX_PROPOSED",
    "MAX_TEXT",
    "NEW",
    "PER_APP",
    "PER_SESSION",
    "REJECTED",
    "REJECT_REASONS",
    "SPAM",
    "SUGGESTION",
    "TOPICS",
    "Decision",
    "Inbox",
    "Item",
    "Limit",
    "Message",
    "VoiceRefused",
    "check",
    "draft_id",
    "is_spam",
    "link_count",
    "session_bucket",
]
