"""Programmes for delegations, tours and conferences (issue 12): the programmes, their own
venues, their dated items, and the hashes of their link tokens.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("programme_tokens", "programme_items", "programme_venues", "programmes")  # drop order


def _text(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=False, server_default=sa.text("''"))


def _programme_id(*, key: bool) -> sa.Column[str]:
    return sa.Column(
        "programme_id",
        sa.String(128),
        sa.ForeignKey("programmes.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=key,
    )


def upgrade() -> None:
    offline = op.get_context().as_sql
    existing = set() if offline else set(sa.inspect(op.get_bind()).get_table_names())
    if "programmes" not in existing:  # else made by a create_all of the newest tables (adopted)
        op.create_table(
            "programmes",
            sa.Column("id", sa.String(128), primary_key=True),
            sa.Column("city_id", sa.String(64), sa.ForeignKey("cities.id"), nullable=False),
            sa.Column("title", sa.Text(), nullable=False),
            _text("title_zh"),
            _text("summary"),
            _text("summary_zh"),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("start_date", sa.String(10), nullable=False),
            sa.Column("end_date", sa.String(10), nullable=False),
            _text("host"),
            _text("host_zh"),
            sa.Column("mode", sa.String(16), nullable=False),
            sa.Column("visibility", sa.String(16), nullable=False),
            sa.Column("max_day_minutes", sa.Integer(), nullable=False),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        )
        op.create_index("ix_programmes_city_id", "programmes", ["city_id"])
    if "programme_venues" not in existing:
        op.create_table(
            "programme_venues",
            _programme_id(key=True),
            sa.Column("id", sa.String(128), primary_key=True),
            sa.Column("name", sa.Text(), nullable=False),
            _text("name_zh"),
            sa.Column("lat", sa.Float(), nullable=False),
            sa.Column("lon", sa.Float(), nullable=False),
            _text("address"),
            _text("address_zh"),
            _text("opening_hours"),
        )
    if "programme_items" not in existing:
        op.create_table(
            "programme_items",
            _programme_id(key=True),
            sa.Column("position", sa.Integer(), primary_key=True),
            sa.Column("day", sa.String(10), nullable=False),
            sa.Column("start", sa.String(5), nullable=False),
            sa.Column("end", sa.String(5), nullable=False),
            sa.Column("kind", sa.String(16), nullable=False),
            _text("landmark_id"),
            _text("venue_id"),
            _text("title"),
            _text("title_zh"),
            _text("note"),
            _text("note_zh"),
        )
    if "programme_tokens" not in existing:
        op.create_table(
            "programme_tokens",
            sa.Column("token_sha256", sa.String(64), primary_key=True),
            _programme_id(key=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("created_by", sa.String(64), nullable=False),
            sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        )
        op.create_index("ix_programme_tokens_programme_id", "programme_tokens", ["programme_id"])


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
