"""Sign-in throttling shared by every process: failed sign-ins per client, per client and user
name, and per user name (``signin_throttle``, see itinerary/signin.py).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    offline = op.get_context().as_sql
    existing = set() if offline else set(sa.inspect(op.get_bind()).get_table_names())
    if "signin_throttle" in existing:  # made by a create_all of the newest tables (adopted)
        return
    op.create_table(
        "signin_throttle",
        sa.Column("client", sa.String(128), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("failed_count", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("client", "username"),
    )


def downgrade() -> None:
    op.drop_table("signin_throttle")
