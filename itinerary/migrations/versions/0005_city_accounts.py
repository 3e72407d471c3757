"""City accounts (issue 11): the cities' profile columns, and the tables of city stories.

Every new city column is optional: texts default to "" and the partnership to "platform", the
year and the place in the join order are NULL (not known), so existing rows stay valid.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# frozen here (not read from itinerary.store): a migration describes the schema of its day
TEXTS = {
    "portrait": "",
    "portrait_zh": "",
    "facts": "",
    "facts_zh": "",
    "fact_sources": "",
    "partnership": "platform",
    "joined": "",
}
ORDER = (
    "portrait",
    "portrait_zh",
    "facts",
    "facts_zh",
    "fact_sources",
    "partnership",
    "partner_since",
    "joined",
    "join_order",
)


def _column(name: str) -> sa.Column[object]:
    if name in TEXTS:
        return sa.Column(name, sa.Text(), server_default=sa.text(f"'{TEXTS[name]}'"), nullable=False)
    return sa.Column(name, sa.Integer(), nullable=True)


def _inspector() -> sa.Inspector | None:
    if op.get_context().as_sql:  # offline (`alembic upgrade --sql`): the 0004 schema
        return None
    return sa.inspect(op.get_bind())


def upgrade() -> None:
    inspector = _inspector()  # a create_all of the newest tables (adopted) has them already
    existing = {c["name"] for c in inspector.get_columns("cities")} if inspector else set()
    missing = [name for name in ORDER if name not in existing]
    if missing:
        with op.batch_alter_table("cities") as batch:
            for name in missing:
                batch.add_column(_column(name))
    if inspector is None or not inspector.has_table("stories"):
        op.create_table(
            "stories",
            sa.Column("id", sa.String(128), primary_key=True),
            sa.Column("city_id", sa.String(64), sa.ForeignKey("cities.id"), nullable=False),
            sa.Column("title", sa.Text(), nullable=False),
            sa.Column("title_zh", sa.Text(), nullable=False),
            sa.Column("summary", sa.Text(), nullable=False),
            sa.Column("summary_zh", sa.Text(), nullable=False),
            sa.Column("itinerary_id", sa.String(128), nullable=False),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        )
        op.create_index("ix_stories_city_id", "stories", ["city_id"])
    if inspector is None or not inspector.has_table("story_chapters"):
        op.create_table(
            "story_chapters",
            sa.Column(
                "story_id",
                sa.String(128),
                sa.ForeignKey("stories.id", ondelete="CASCADE"),
                primary_key=True,
            ),
            sa.Column("position", sa.Integer(), primary_key=True),
            sa.Column("title", sa.Text(), nullable=False),
            sa.Column("title_zh", sa.Text(), nullable=False),
            sa.Column("text", sa.Text(), nullable=False),
            sa.Column("text_zh", sa.Text(), nullable=False),
            sa.Column("landmark_id", sa.String(128), nullable=False),
            sa.Column("lat", sa.Float(), nullable=True),
            sa.Column("lon", sa.Float(), nullable=True),
            sa.Column("zoom", sa.Integer(), nullable=True),
            sa.Column("image", sa.Text(), nullable=False),
            sa.Column("image_alt", sa.Text(), nullable=False),
            sa.Column("image_alt_zh", sa.Text(), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("story_chapters")
    op.drop_index("ix_stories_city_id", table_name="stories")
    op.drop_table("stories")
    with op.batch_alter_table("cities") as batch:
        for name in reversed(ORDER):
            batch.drop_column(name)
