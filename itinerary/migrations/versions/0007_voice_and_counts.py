"""Visitors' reports and suggestions with their moderation, the throttle of their sending, and
the daily usage counts (issue 13; itinerary/voice, itinerary/counts).

No column names a person: no address, no user agent, no cookie, no visitor id.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("voice_items", "voice_decisions", "voice_throttle", "usage_counts")


def _existing() -> set[str]:
    if op.get_context().as_sql:  # offline (`alembic upgrade --sql`): the 0004 schema
        return set()
    return set(sa.inspect(op.get_bind()).get_table_names())


def _create(name: str) -> None:
    if name == "voice_items":
        op.create_table(
            "voice_items",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("city_id", sa.String(64), nullable=False),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("topic", sa.String(16), nullable=False),
            sa.Column("landmark_id", sa.String(128), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("proposed", sa.Text(), nullable=False),
            sa.Column("theme", sa.String(64), nullable=False),
            sa.Column("lat", sa.Float(), nullable=True),
            sa.Column("lon", sa.Float(), nullable=True),
            sa.Column("page", sa.String(32), nullable=False),
            sa.Column("lang", sa.String(8), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_voice_items_city_id", "voice_items", ["city_id"])
    elif name == "voice_decisions":
        op.create_table(
            "voice_decisions",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("item_id", sa.Integer(), nullable=False),
            sa.Column("city_id", sa.String(64), nullable=False),
            sa.Column("action", sa.String(16), nullable=False),
            sa.Column("reason", sa.Text(), nullable=False),
            sa.Column("result", sa.String(128), nullable=False),
            sa.Column("username", sa.String(64), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_voice_decisions_item_id", "voice_decisions", ["item_id"])
    elif name == "voice_throttle":
        op.create_table(
            "voice_throttle",
            sa.Column("bucket", sa.String(80), nullable=False),
            sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
            sa.Column("used", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("bucket"),
        )
    else:
        op.create_table(
            "usage_counts",
            sa.Column("day", sa.String(10), nullable=False),
            sa.Column("city_id", sa.String(64), nullable=False),
            sa.Column("event", sa.String(32), nullable=False),
            sa.Column("key", sa.String(128), nullable=False),
            sa.Column("lang", sa.String(8), nullable=False),
            sa.Column("n", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("day", "city_id", "event", "key", "lang"),
        )


def upgrade() -> None:
    existing = _existing()  # a create_all of the newest tables (adopted) has them already
    for name in TABLES:
        if name not in existing:
            _create(name)


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
