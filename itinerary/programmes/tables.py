"""The programmes' tables (revision 0006), defined on the store's metadata by ``itinerary.store``.

Programme rows reference their city; items reference landmarks by id without a foreign key
(checked by validation, like the importer's), so that reseeding the landmarks never cascades
into a programme. Tokens are stored only as SHA-256 hashes (``tokens.py``).
"""

from __future__ import annotations

import sqlalchemy as sa


def _text(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.Text, nullable=False, default="", server_default=sa.text("''"))


def define(metadata: sa.MetaData) -> tuple[sa.Table, sa.Table, sa.Table, sa.Table]:
    """The tables ``programmes``, ``programme_venues``, ``programme_items`` and ``programme_tokens``."""
    programmes = sa.Table(
        "programmes",
        metadata,
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("city_id", sa.String(64), sa.ForeignKey("cities.id"), nullable=False, index=True),
        sa.Column("title", sa.Text, nullable=False),
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
        sa.Column("max_day_minutes", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False, default=1, server_default="1"),
    )
    venues = sa.Table(
        "programme_venues",
        metadata,
        sa.Column(
            "programme_id",
            sa.String(128),
            sa.ForeignKey("programmes.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        _text("name_zh"),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        _text("address"),
        _text("address_zh"),
        _text("opening_hours"),
    )
    items = sa.Table(
        "programme_items",
        metadata,
        sa.Column(
            "programme_id",
            sa.String(128),
            sa.ForeignKey("programmes.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer, primary_key=True),
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
    tokens = sa.Table(
        "programme_tokens",
        metadata,
        sa.Column("token_sha256", sa.String(64), primary_key=True),  # the token itself is never stored
        sa.Column(
            "programme_id",
            sa.String(128),
            sa.ForeignKey("programmes.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    return programmes, venues, items, tokens
