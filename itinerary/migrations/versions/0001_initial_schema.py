"""The schema before migrations: what ``metadata.create_all`` made until curation arrived.

Databases created that way (no ``alembic_version`` table) are adopted: this revision creates only
the tables they lack (the oldest ones have no ``accounts`` and ``sessions``) and keeps the rest.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# in creation order (foreign keys point backwards); dropped in reverse
TABLES = ("cities", "themes", "landmarks", "itineraries", "itinerary_stops", "meta", "accounts", "sessions")


def _create(name: str) -> None:
    if name == "cities":
        op.create_table(
            "cities",
            sa.Column("id", sa.String(64), nullable=False),
            sa.Column("name", sa.Text(), nullable=False),
            sa.Column("name_zh", sa.Text(), nullable=False),
            sa.Column("country", sa.Text(), nullable=False),
            sa.Column("lat", sa.Float(), nullable=False),
            sa.Column("lon", sa.Float(), nullable=False),
            sa.Column("zoom", sa.Integer(), nullable=False),
            sa.Column("timezone", sa.String(64), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
    elif name == "themes":
        op.create_table(
            "themes",
            sa.Column("id", sa.String(64), nullable=False),
            sa.Column("label", sa.Text(), nullable=False),
            sa.Column("label_zh", sa.Text(), nullable=False),
            sa.Column("color", sa.String(7), nullable=False),
            sa.Column("icon", sa.String(64), nullable=False),
            sa.Column("description", sa.Text(), nullable=False),
            sa.Column("description_zh", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
    elif name == "landmarks":
        op.create_table(
            "landmarks",
            sa.Column("id", sa.String(128), nullable=False),
            sa.Column("city_id", sa.String(64), nullable=False),
            sa.Column("name", sa.Text(), nullable=False),
            sa.Column("name_zh", sa.Text(), nullable=False),
            sa.Column("lat", sa.Float(), nullable=False),
            sa.Column("lon", sa.Float(), nullable=False),
            sa.Column("themes", sa.Text(), nullable=False),
            sa.Column("district", sa.Text(), nullable=False),
            sa.Column("address", sa.Text(), nullable=False),
            sa.Column("summary", sa.Text(), nullable=False),
            sa.Column("summary_zh", sa.Text(), nullable=False),
            sa.Column("visit_minutes", sa.Integer(), nullable=False),
            sa.Column("opening_hours", sa.Text(), nullable=False),
            sa.Column("wheelchair", sa.String(16), nullable=False),
            sa.Column("price", sa.Text(), nullable=False),
            sa.Column("website", sa.Text(), nullable=False),
            sa.Column("status", sa.String(16), nullable=False),
            sa.ForeignKeyConstraint(["city_id"], ["cities.id"]),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_landmarks_city_id", "landmarks", ["city_id"])
    elif name == "itineraries":
        op.create_table(
            "itineraries",
            sa.Column("id", sa.String(128), nullable=False),
            sa.Column("city_id", sa.String(64), nullable=False),
            sa.Column("title", sa.Text(), nullable=False),
            sa.Column("title_zh", sa.Text(), nullable=False),
            sa.Column("theme_id", sa.String(64), nullable=False),
            sa.Column("summary", sa.Text(), nullable=False),
            sa.Column("summary_zh", sa.Text(), nullable=False),
            sa.Column("mode", sa.String(16), nullable=False),
            sa.Column("start_time", sa.String(5), nullable=False),
            sa.Column("featured", sa.Boolean(), nullable=False),
            sa.Column("status", sa.String(16), nullable=False),
            sa.ForeignKeyConstraint(["city_id"], ["cities.id"]),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_itineraries_city_id", "itineraries", ["city_id"])
    elif name == "itinerary_stops":
        op.create_table(
            "itinerary_stops",
            sa.Column("itinerary_id", sa.String(128), nullable=False),
            sa.Column("position", sa.Integer(), nullable=False),
            sa.Column("landmark_id", sa.String(128), nullable=False),
            sa.Column("dwell_minutes", sa.Integer(), nullable=True),
            sa.Column("note", sa.Text(), nullable=False),
            sa.Column("note_zh", sa.Text(), nullable=False),
            sa.ForeignKeyConstraint(["itinerary_id"], ["itineraries.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint(["landmark_id"], ["landmarks.id"]),
            sa.PrimaryKeyConstraint("itinerary_id", "position"),
        )
    elif name == "meta":
        op.create_table(
            "meta",
            sa.Column("key", sa.String(64), nullable=False),
            sa.Column("value", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("key"),
        )
    elif name == "accounts":
        op.create_table(
            "accounts",
            sa.Column("username", sa.String(32), nullable=False),
            sa.Column("password_hash", sa.Text(), nullable=False),
            sa.Column("role", sa.String(16), nullable=False),
            sa.Column("cities", sa.Text(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("disabled", sa.Boolean(), nullable=False),
            sa.Column("failed_count", sa.Integer(), nullable=False),
            sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
            sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("username"),
        )
    elif name == "sessions":
        op.create_table(
            "sessions",
            sa.Column("token_sha256", sa.String(64), nullable=False),
            sa.Column("username", sa.String(32), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(["username"], ["accounts.username"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("token_sha256"),
        )
        op.create_index("ix_sessions_username", "sessions", ["username"])
    else:
        raise ValueError(name)


def upgrade() -> None:
    # offline (`alembic upgrade --sql`) there is no database to look at: assume an empty one
    existing = set() if op.get_context().as_sql else set(sa.inspect(op.get_bind()).get_table_names())
    for name in TABLES:
        if name not in existing:
            _create(name)


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
