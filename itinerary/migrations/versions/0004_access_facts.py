"""Access facts per landmark (issue 10 section 3) and the Chinese district and address.

Every new column is optional: texts default to "" (not given), yes/no facts and measurements are
NULL (not surveyed), so existing rows read as "not surveyed", never as "no".

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# frozen here (not read from itinerary.columns): a migration describes the schema of its day
NUMBERS = ("entrance_steps", "entrance_step_height_cm", "door_width_cm")
FLAGS = (
    "entrance_ramp",
    "automatic_door",
    "toilet_wheelchair",
    "lift_all_floors",
    "parking_wheelchair",
    "hearing_loop",
    "tactile_guidance",
    "quiet_space",
    "seating",
)
# in the order of landmarks.csv; the others (texts, the survey date and name) are texts
ORDER = (
    "district_zh",
    "address_zh",
    "entrance_steps",
    "entrance_step_height_cm",
    "entrance_ramp",
    "door_width_cm",
    "automatic_door",
    "toilet_wheelchair",
    "lift_all_floors",
    "parking_wheelchair",
    "hearing_loop",
    "tactile_guidance",
    "quiet_space",
    "quiet_hours",
    "seating",
    "access_note",
    "access_note_zh",
    "access_surveyed",
    "access_surveyed_by",
)


def _column(name: str) -> sa.Column[object]:
    if name in FLAGS:
        return sa.Column(name, sa.Boolean(), nullable=True)
    if name in NUMBERS:
        return sa.Column(name, sa.Integer(), nullable=True)
    return sa.Column(name, sa.Text(), server_default=sa.text("''"), nullable=False)


def _existing() -> set[str]:
    if op.get_context().as_sql:  # offline (`alembic upgrade --sql`): the 0003 schema
        return set()
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns("landmarks")}


def upgrade() -> None:
    existing = _existing()  # a create_all of the newest tables (adopted) has them already
    missing = [name for name in ORDER if name not in existing]
    if missing:
        with op.batch_alter_table("landmarks") as batch:
            for name in missing:
                batch.add_column(_column(name))


def downgrade() -> None:
    with op.batch_alter_table("landmarks") as batch:
        for name in reversed(ORDER):
            batch.drop_column(name)
