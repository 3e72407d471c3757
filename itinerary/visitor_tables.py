"""The tables of visitors' reports and suggestions and of the usage counts (revision 0007;
``itinerary/voice``, ``itinerary/counts``), defined on the store's metadata by ``itinerary.store``.

Nothing here names a person: no address, no user agent, no cookie, no visitor
id (tests/unit/test_counts.py asserts it). What a visitor sent is kept as text with the
time and the page; the throttle's buckets are "app" and a hash of a session's random token,
dropped after their window.
"""

from __future__ import annotations

import sqlalchemy as sa


def define(metadata: sa.MetaData) -> tuple[sa.Table, sa.Table, sa.Table, sa.Table]:
    """The tables ``voice_items``, ``voice_decisions``, ``voice_throttle`` and ``usage_counts``."""
    voice_items = sa.Table(
        "voice_items",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("city_id", sa.String(64), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),  # suggestion | correction
        sa.Column("topic", sa.String(16), nullable=False),  # hours | closed | access | place | other | new
        sa.Column("landmark_id", sa.String(128), nullable=False, default=""),  # "" for a suggestion
        sa.Column(
            "text", sa.Text, nullable=False, default=""
        ),  # what the visitor wrote (why, for a suggestion)
        sa.Column(
            "proposed", sa.Text, nullable=False, default=""
        ),  # a corrected value, or a suggestion's name
        sa.Column("theme", sa.String(64), nullable=False, default=""),
        sa.Column("lat", sa.Float, nullable=True),  # a map click: a moved place, a suggested one
        sa.Column("lon", sa.Float, nullable=True),
        sa.Column("page", sa.String(32), nullable=False, default=""),
        sa.Column("lang", sa.String(8), nullable=False, default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, default="new"),  # new | accepted | rejected | spam
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    )

    # Every moderation decision: who, when, what (kept when a rejected item is purged).
    voice_decisions = sa.Table(
        "voice_decisions",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("item_id", sa.Integer, nullable=False, index=True),
        sa.Column("city_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),  # accept | reject | spam
        sa.Column("reason", sa.Text, nullable=False, default=""),  # a reason code or the staff's text
        sa.Column("result", sa.String(128), nullable=False, default=""),  # the draft landmark made
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )

    voice_throttle = sa.Table(
        "voice_throttle",
        metadata,
        sa.Column("bucket", sa.String(80), primary_key=True),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used", sa.Integer, nullable=False),
    )

    # Daily aggregates: one row per day (in the city's time zone), city, event, key and language.
    usage_counts = sa.Table(
        "usage_counts",
        metadata,
        sa.Column("day", sa.String(10), primary_key=True),  # YYYY-MM-DD
        sa.Column("city_id", sa.String(64), primary_key=True),
        sa.Column("event", sa.String(32), primary_key=True),
        sa.Column("key", sa.String(128), primary_key=True),  # page, itinerary, format, hour, search text
        sa.Column("lang", sa.String(8), primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
    )
    return voice_items, voice_decisions, voice_throttle, usage_counts
