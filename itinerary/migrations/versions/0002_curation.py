"""Curation: history of changes, shared geocoding cache, a version on landmarks and itineraries.

Tolerates what the app's ``create_all`` of that time may already have added to an adopted
database (it made new tables but never new columns).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSIONED = ("landmarks", "itineraries")


def _columns(table: str) -> set[str]:
    if op.get_context().as_sql:  # offline (`alembic upgrade --sql`): the 0001 schema
        return set()
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    offline = op.get_context().as_sql
    existing = set() if offline else set(sa.inspect(op.get_bind()).get_table_names())
    if "changes" not in existing:
        op.create_table(
            "changes",
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("entity", sa.String(16), nullable=False),
            sa.Column("entity_id", sa.String(128), nullable=False),
            sa.Column("city_id", sa.String(64), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("action", sa.String(16), nullable=False),
            sa.Column("username", sa.String(64), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("before", sa.Text(), nullable=False),
            sa.Column("after", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        )
        op.create_index("ix_changes_entity", "changes", ["entity", "entity_id", "version"])
    if "geocode_cache" not in existing:
        op.create_table(
            "geocode_cache",
            sa.Column("key_sha256", sa.String(64), nullable=False),
            sa.Column("query", sa.Text(), nullable=False),
            sa.Column("results", sa.Text(), nullable=False),
            sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("key_sha256"),
        )
    for table in VERSIONED:
        if "version" not in _columns(table):
            # existing rows get version 1: the version they were seeded or saved as
            with op.batch_alter_table(table) as batch:
                batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
    op.drop_table("geocode_cache")
    op.drop_index("ix_changes_entity", table_name="changes")
    op.drop_table("changes")
